/** The directory of the built dashboard (static files), for the collector to serve at `/`. */
export declare const dashboardDirectory: string;
