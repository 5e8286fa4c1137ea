import { readFileSync } from 'node:fs';
import { runCrashRounds } from './crash/durability.js';

/**
 * `npm run crash-test`: the crash-durability run by hand, on the built server started exactly as
 * `npm start` starts it. Options: `--rounds N` (default 50), `--seed S`, `--workers W` (default 4).
 * Prints each round, then the totals: acknowledged writes by kind, writes cut by a kill, writes lost
 * (0 expected). Exits 1 on any problem, keeping the DATA_DIR for inspection.
 */
const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
const serverArgs = /node ((?:--\S+ )*)(dist\/server\/server\.js)/.exec(startScript)?.slice(1).join('').split(' ').filter(Boolean);
if (!serverArgs) throw new Error('package.json "start" no longer runs node dist/server/server.js');

const started = Date.now();
const report = await runCrashRounds({
  rounds: Number(argument('rounds') ?? 50),
  ...(argument('seed') ? { seed: Number(argument('seed')) } : {}),
  workers: Number(argument('workers') ?? 4),
  serverArgs,
  cwd: process.cwd(),
  log: (line) => console.log(line),
});
console.log(`\ncrash test (seed ${report.seed}): ${report.rounds} rounds in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`  acknowledged writes: ${report.acknowledged} (${Object.entries(report.byKind).map(([kind, count]) => `${kind} ${count}`).join(', ')})`);
console.log(`  writes cut by a kill (kept or not, never half): ${report.uncertain} (${Object.entries(report.cutByKind).map(([kind, count]) => `${kind} ${count}`).join(', ')})`);
console.log(`  acknowledged replies found in the live log's replay from event 0 (summed over rounds): ${report.repliesReplayed}`);
console.log(`  lost writes: ${report.lost.length}`);
if (report.problems.length > 0) {
  console.log(`\n${report.problems.length} problems:\n${report.problems.join('\n')}`);
  process.exitCode = 1;
}
