import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../server/plugins/group-commit.js';
import { WalCheckpointer } from '../../server/plugins/wal-checkpointer.js';
import { projectRoot } from '../../server/shared/paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'concilia-database-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openWal(name: string) {
  const sqlite = new Database(path.join(dir, name));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.exec('create table notes (id integer primary key, text text not null unique)');
  return sqlite;
}
/** Frames in the write-ahead log: each commit appends at least one. */
const walFrames = (sqlite: Database.Database) => (sqlite.pragma('wal_checkpoint(NOOP)') as Array<{ log: number }>)[0]!.log;

describe('group commit', () => {
  it('commits the writes of one turn together, each with its own result, in order', async () => {
    const sqlite = openWal('group.db');
    const insert = sqlite.prepare('insert into notes (text) values (?)');
    const commits = new GroupCommit(sqlite);
    // One commit of one row appends its pages (the table's and the unique index's) once.
    const start = walFrames(sqlite);
    await commits.run(() => insert.run('first'));
    const perCommit = walFrames(sqlite) - start;
    expect(perCommit).toBeGreaterThan(0);

    const before = walFrames(sqlite);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => commits.run(() => Number(insert.run(`note ${i}`).lastInsertRowid))));
    expect(results).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // Ten rows on the same pages, submitted in one turn: one commit's worth of log, not ten.
    expect(walFrames(sqlite) - before).toBe(perCommit);

    // Awaited one by one, each is its own turn and its own commit.
    for (let i = 10; i < 13; i += 1) await commits.run(() => insert.run(`note ${i}`));
    expect(walFrames(sqlite) - before).toBe(4 * perCommit);
    sqlite.close();
  });

  it('commits what resumed callers submit next in the same turn, ahead of work queued meanwhile', async () => {
    const sqlite = openWal('follow-up.db');
    const insert = sqlite.prepare('insert into notes (text) values (?)');
    const commits = new GroupCommit(sqlite);
    const order: string[] = [];
    // A post, then its events after it commits: as the reply route does.
    const chain = async (name: string) => {
      await commits.run(() => insert.run(`${name} post`));
      order.push(`${name} post committed`);
      await Promise.resolve(); // a few awaits in between, as real callers have
      await commits.run(() => insert.run(`${name} events`));
      order.push(`${name} events committed`);
    };
    const both = Promise.all([chain('a'), chain('b')]);
    // Arrives "from the network" after the first commit: must not get in between.
    setImmediate(() => {
      order.push('next turn');
      void commits.run(() => insert.run('later')).then(() => order.push('later committed'));
    });
    await both;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual(['a post committed', 'b post committed', 'a events committed', 'b events committed', 'next turn', 'later committed']);
    expect(sqlite.prepare('select text from notes order by id').pluck().all()).toEqual(['a post', 'b post', 'a events', 'b events', 'later']);
    sqlite.close();
  });

  it('rolls back only the piece that failed; the others commit', async () => {
    const sqlite = openWal('failure.db');
    const insert = sqlite.prepare('insert into notes (text) values (?)');
    const commits = new GroupCommit(sqlite);
    const outcomes = await Promise.allSettled([
      commits.run(() => insert.run('kept')),
      commits.run(() => {
        insert.run('rolled back with its piece');
        insert.run('kept'); // unique: throws
      }),
      commits.run(() => insert.run('also kept')),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(sqlite.prepare('select text from notes order by id').pluck().all()).toEqual(['kept', 'also kept']);
    sqlite.close();
  });
});

describe('WAL checkpoints', () => {
  it('are made by the worker thread, off the thread that writes', async () => {
    const file = path.join(dir, 'checkpoints.db');
    const sqlite = openWal('checkpoints.db');
    const insert = sqlite.prepare('insert into notes (text) values (?)');
    sqlite.transaction(() => {
      for (let i = 0; i < 2_000; i += 1) insert.run(`a note long enough to fill several pages of the log, number ${i}`);
    })();
    const sizeBefore = statSync(file).size;
    const errors: string[] = [];
    const checkpointer = new WalCheckpointer(file, 50, (message) => errors.push(message));
    const deadline = Date.now() + 5_000;
    while (statSync(file).size === sizeBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    await checkpointer.stop();
    expect(statSync(file).size).toBeGreaterThan(sizeBefore);
    expect(errors).toEqual([]);
    sqlite.close();
  });

  it('let a script that opens and closes the app end normally (the worker is waited for)', () => {
    const script = path.join(dir, 'open-and-close.mts');
    writeFileSync(
      script,
      `import { buildApp } from ${JSON.stringify(path.join(projectRoot, 'server/app.ts'))};
import { loadConfig } from ${JSON.stringify(path.join(projectRoot, 'server/config.ts'))};
const app = await buildApp(loadConfig({ DATA_DIR: ${JSON.stringify(path.join(dir, 'app'))}, LOG_LEVEL: 'silent' }));
await app.ready();
await app.close();
console.log('closed');
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: projectRoot, encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('closed');
    expect(run.status).toBe(0);
  });
});
