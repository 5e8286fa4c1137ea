import { load, printTable, serverNodeArgs, freePort, startProcess } from './measure.js';
import { consultationRows, measureConsultations } from './consultations.js';

/** `npm run bench:consultations`: only the consultations' measures of `npm run bench`, beside a hello-world ceiling. */
const quick = process.argv.includes('--quick');
const serverArgs = serverNodeArgs();
const helloPort = await freePort();
const hello = await startProcess(['--import', 'tsx', 'bench/hello-server.ts'], { LOG_LEVEL: 'warn' }, helloPort, '/hello');
await load({ url: `${hello.url}/hello`, duration: 2 });
const ceiling = await load({ url: `${hello.url}/hello`, duration: quick ? 3 : 10 });
await hello.stop();
const result = await measureConsultations(serverArgs, { quick });
printTable(`Concilia consultations (server: node ${serverArgs.join(' ')}; seeded in ${result.seedSeconds.toFixed(1)} s)`, [
  ['hello-world req/s (ceiling)', ceiling.requestsPerSecond.toFixed(0), '', ''],
  ...consultationRows(result, ceiling.requestsPerSecond),
]);
