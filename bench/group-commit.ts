import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../server/plugins/db.js';
import { GroupCommit } from '../server/plugins/group-commit.js';
import type { PendingCommit } from '../server/plugins/unit-of-work.js';

/**
 * `node --expose-gc --import tsx bench/group-commit.ts [<rev>] [--rounds=N] [--ms=M]`: the group commit alone,
 * this tree's against revision <rev>'s (default main), in one process on one database file, so
 * that nothing but the code differs: no HTTP, no other feature. Each piece is shaped like a post's
 * write (a row, then two savepoints holding a row each, and after-commit actions); pieces are
 * submitted 1, 8 and 32 to a turn (one person posting; a busy forum). Rounds alternate A B, B A;
 * the summary gives the median round's B/A pieces per second and its spread. End to end, with
 * HTTP and every feature, `npm run bench:compare -- <rev> --writes` measures posts per second.
 */
const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const rev = positional[0] ?? 'main';
const rounds = Number(option('rounds') ?? 10);
const ms = Number(option('ms') ?? 500);

type Committer = { run<T>(work: (commit: PendingCommit) => T): Promise<T> };

const dir = mkdtempSync(path.join(tmpdir(), 'concilia-group-commit-'));
try {
  // The old group commit's source, run from the temporary folder: its imports are all `import type`, which vanish.
  const oldFile = path.join(dir, 'old-group-commit.ts');
  const oldSource = execFileSync('git', ['show', `${rev}:server/plugins/group-commit.ts`], { encoding: 'utf8' });
  if (/^import (?!type )/m.test(oldSource)) throw new Error(`${rev}'s group-commit.ts imports more than types: this bench cannot load it on its own`);
  writeFileSync(oldFile, oldSource);
  const { GroupCommit: OldGroupCommit } = (await import(pathToFileURL(oldFile).href)) as { GroupCommit: new (sqlite: unknown) => Committer };

  const { sqlite } = openDatabase(path.join(dir, 'bench.db'));
  sqlite.exec('create table bench_posts (id integer primary key, thread integer not null, body text not null, created_at integer not null)');
  sqlite.exec('create index bench_posts_thread on bench_posts (thread, id)');
  sqlite.exec('create table bench_events (id integer primary key autoincrement, topic text not null, payload text not null)');
  sqlite.exec('create table bench_notices (id integer primary key, person integer not null, post integer not null)');
  const insertPost = sqlite.prepare('insert into bench_posts (thread, body, created_at) values (?, ?, ?)');
  const insertEvent = sqlite.prepare('insert into bench_events (topic, payload) values (?, ?)');
  const insertNotice = sqlite.prepare('insert into bench_notices (person, post) values (?, ?)');
  let sequence = 0;
  let announced = 0;
  const piece = (commit: PendingCommit) => {
    sequence += 1;
    const post = Number(insertPost.run(sequence % 100, `Respuesta ${sequence}: revisamos la serie de población.`, Date.now()).lastInsertRowid);
    commit.savepoint((inner) => {
      insertEvent.run(`thread:${sequence % 100}`, JSON.stringify({ post }));
      inner.afterCommit(() => (announced += 1));
    });
    commit.savepoint(() => insertNotice.run(sequence % 60, post));
    commit.afterCommit(() => (announced += 1));
    return post;
  };

  const implementations: Record<'A' | 'B', Committer> = { A: new OldGroupCommit(sqlite), B: new GroupCommit(sqlite) };
  /** Pieces per second with `perTurn` pieces submitted in each turn, for `ms` milliseconds. */
  const measure = async (committer: Committer, perTurn: number): Promise<number> => {
    // Each load from the same state: the log emptied (a checkpoint inside a load costs more than
    // the code measured), and the garbage of the one before collected (with --expose-gc).
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    (globalThis as { gc?: () => void }).gc?.();
    let pieces = 0;
    const started = performance.now();
    while (performance.now() - started < ms) {
      await Promise.all(Array.from({ length: perTurn }, () => committer.run(piece)));
      pieces += perTurn;
    }
    return pieces / ((performance.now() - started) / 1000);
  };
  const sizes = [1, 8, 32];
  for (const name of ['A', 'B'] as const) for (const size of sizes) await measure(implementations[name], size); // warm-up

  const ratios = new Map<number, number[]>(sizes.map((size) => [size, []]));
  const rates = new Map<string, number[]>();
  console.log(`A: ${rev}'s group commit; B: this tree's. ${rounds} rounds of ${ms} ms per load; pieces/s`);
  for (let round = 1; round <= rounds; round += 1) {
    const order = round % 2 === 1 ? (['A', 'B'] as const) : (['B', 'A'] as const);
    const line: string[] = [];
    for (const size of sizes) {
      const result: Partial<Record<'A' | 'B', number>> = {};
      for (const name of order) result[name] = await measure(implementations[name], size);
      ratios.get(size)!.push(result.B! / result.A!);
      for (const name of ['A', 'B'] as const) rates.set(`${name}${size}`, [...(rates.get(`${name}${size}`) ?? []), result[name]!]);
      line.push(`${size}/turn A ${result.A!.toFixed(0)} B ${result.B!.toFixed(0)}`);
    }
    console.log(`round ${round}: ${line.join('; ')}`);
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  console.log('\nmedian (min–max)');
  for (const size of sizes) {
    const r = ratios.get(size)!;
    console.log(
      `  ${String(size).padStart(2)} pieces a turn: A ${median(rates.get(`A${size}`)!).toFixed(0)} /s, B ${median(rates.get(`B${size}`)!).toFixed(0)} /s; B/A ${median(r).toFixed(3)} (${Math.min(...r).toFixed(3)}–${Math.max(...r).toFixed(3)})`,
    );
  }
  if (announced === 0) throw new Error('no after-commit action ran');
  sqlite.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
