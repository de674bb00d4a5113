// `npm start`: sets up a fresh clone, then runs the demo.
import { root, run, setup } from './setup.mjs';

setup({ quiet: true });
process.exit(run(process.execPath, [`${root}/scripts/tour.mjs`, ...process.argv.slice(2)]));
