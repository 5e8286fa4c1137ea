import { load, printTable, freePort, startProcess } from './measure.js';
import { DISCREPANCY_TITLE, discrepancyRows, measureDiscrepancies } from './discrepancies.js';

/** `npm run bench:discrepancies`: only the discrepancy register's measures of `npm run bench`, beside a hello-world ceiling. */
const seconds = process.argv.includes('--quick') ? 3 : 8;
const helloPort = await freePort();
const hello = await startProcess(['--import', 'tsx', 'bench/hello-server.ts'], { LOG_LEVEL: 'warn' }, helloPort, '/hello');
await load({ url: `${hello.url}/hello`, duration: 2 });
const ceiling = await load({ url: `${hello.url}/hello`, duration: seconds });
await hello.stop();
printTable(DISCREPANCY_TITLE, discrepancyRows(await measureDiscrepancies({ seconds, log: (line) => console.log(line) }), ceiling));
