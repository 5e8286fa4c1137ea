import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
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
/** A WAL database of notes with a group commit over it; closed when the test ends. */
function notesWithGroupCommit(name: string) {
  const sqlite = openWal(name);
  onTestFinished(() => {
    sqlite.close();
  });
  return {
    sqlite,
    insert: sqlite.prepare('insert into notes (text) values (?)'),
    commits: new GroupCommit(sqlite),
    texts: () => sqlite.prepare('select text from notes order by id').pluck().all(),
  };
}
/** Frames in the write-ahead log: each commit appends at least one. */
const walFrames = (sqlite: Database.Database) => (sqlite.pragma('wal_checkpoint(NOOP)') as Array<{ log: number }>)[0]!.log;

describe('group commit', () => {
  it('commits the writes of one turn together, each with its own result, in order', async () => {
    const { sqlite, insert, commits } = notesWithGroupCommit('group.db');
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
  });

  it('commits what resumed callers submit next in the same turn, ahead of work queued meanwhile', async () => {
    const { insert, commits, texts } = notesWithGroupCommit('follow-up.db');
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
    expect(texts()).toEqual(['a post', 'b post', 'a events', 'b events', 'later']);
  });

  it('rolls back only the piece that failed; the others commit', async () => {
    const { insert, commits, texts } = notesWithGroupCommit('failure.db');
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
    expect(texts()).toEqual(['kept', 'also kept']);
  });
});

describe('group commit: an error that ends the whole transaction', () => {
  it('fails every piece of the batch and lets none run outside a transaction', async () => {
    const { sqlite, insert, commits, texts } = notesWithGroupCommit('ended.db');
    const outcomes = await Promise.allSettled([
      commits.run(() => insert.run('before')),
      commits.run(() => {
        // What SQLite does by itself on some errors (a full disk): the transaction is gone.
        sqlite.exec('rollback');
        throw new Error('disk full');
      }),
      commits.run(() => insert.run('after')),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(texts()).toEqual([]);
    // The next batch works normally.
    await commits.run(() => insert.run('next'));
    expect(texts()).toEqual(['next']);
  });
});

describe('group commit: actions after commit and rollback (the outbox)', () => {
  it('runs after-commit actions once the batch is durable, in submission order, before the callers resume', async () => {
    const { insert, commits } = notesWithGroupCommit('after-commit.db');
    // A second connection sees only what is committed.
    const observer = new Database(path.join(dir, 'after-commit.db'), { readonly: true });
    const committedCount = () => observer.prepare('select count(*) from notes').pluck().get() as number;
    const seen: string[] = [];
    const piece = (name: string) =>
      commits
        .run((commit) => {
          insert.run(name);
          commit.afterCommit(() => seen.push(`${name} announced with ${committedCount()} rows committed`));
          return name;
        })
        .then((value) => seen.push(`${value} resumed`));
    await Promise.all([piece('a'), piece('b')]);
    expect(seen).toEqual(['a announced with 2 rows committed', 'b announced with 2 rows committed', 'a resumed', 'b resumed']);
    observer.close();
  });

  it('drops the actions of a piece that rolls back and runs its rollback actions; the other pieces announce', async () => {
    const { insert, commits, texts } = notesWithGroupCommit('after-rollback.db');
    const seen: string[] = [];
    const outcomes = await Promise.allSettled([
      commits.run((commit) => {
        insert.run('kept');
        commit.afterCommit(() => seen.push('kept announced'));
        commit.afterRollback(() => seen.push('kept undone'));
      }),
      commits.run((commit) => {
        insert.run('doomed');
        commit.afterCommit(() => seen.push('doomed announced'));
        commit.afterRollback(() => seen.push('doomed undone'));
        insert.run('kept'); // unique: throws
      }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
    expect(seen).toEqual(['doomed undone', 'kept announced']);
    expect(texts()).toEqual(['kept']);
  });

  it('undoes a failed savepoint inside a piece (its writes and actions) and lets the piece carry on', async () => {
    const { insert, commits, texts } = notesWithGroupCommit('savepoint.db');
    const seen: string[] = [];
    await commits.run((commit) => {
      insert.run('post');
      expect(() =>
        commit.savepoint((inner) => {
          insert.run('notification');
          inner.afterCommit(() => seen.push('notification announced'));
          inner.afterRollback(() => seen.push('notification undone'));
          throw new Error('delivery failed');
        }),
      ).toThrow('delivery failed');
      commit.savepoint((inner) => {
        insert.run('event');
        inner.afterCommit(() => seen.push('event announced'));
      });
    });
    expect(seen).toEqual(['notification undone', 'event announced']);
    expect(texts()).toEqual(['post', 'event']);
  });

  it('opens the database with statement journals in memory (temp_store = MEMORY), so savepoints write no temporary file', async () => {
    const { openDatabase } = await import('../../server/plugins/db.js');
    const { sqlite } = openDatabase(path.join(dir, 'temp-store.db'));
    expect(sqlite.pragma('temp_store', { simple: true })).toBe(2);
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
