import { fileURLToPath } from 'node:url';

/** The directory of the built dashboard (static files), for the collector to serve at `/`. */
export const dashboardDirectory = fileURLToPath(new URL('./dist/', import.meta.url));
