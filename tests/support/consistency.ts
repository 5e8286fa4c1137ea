import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openTestDb } from './test-db.js';

/**
 * Is the database whole, and does everything derived from its rows agree with them? Used after
 * the fuzzer and after every crash of the durability run. Opens its own connection to the file
 * (the server may still hold one: WAL lets both read) and returns a list of problems, empty when
 * all is well. Every check is written from the schema, not from the server's code.
 *
 * With `dataDir`, the stored files are checked too: every document version and attachment has its
 * file, with the SHA-256 its row names; no file lies there without a row; no upload was left half
 * received in files/tmp.
 */
export function consistencyProblems(databaseFile: string, options: { dataDir?: string; allowTemporaryFiles?: boolean } = {}): string[] {
  const db = new Database(databaseFile);
  const problems: string[] = [];
  const rows = <T>(query: string, ...params: unknown[]) => db.prepare(query).all(...params) as T[];
  try {
    const integrity = db.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>;
    if (integrity.map((row) => row.integrity_check).join() !== 'ok') problems.push(`integrity_check: ${JSON.stringify(integrity).slice(0, 500)}`);
    const foreignKeys = db.pragma('foreign_key_check') as unknown[];
    if (foreignKeys.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(foreignKeys.slice(0, 10))}`);

    for (const index of ['search_index', 'document_versions_search', 'meetings_search', 'minutes_search']) {
      try {
        db.prepare(`insert into ${index}(${index}) values ('integrity-check')`).run();
      } catch (error) {
        problems.push(`${index} integrity-check: ${(error as Error).message}`);
      }
    }

    // The forum's index: one row per post (the post's rowid) except withdrawn replies; the opening
    // post's row carries the thread's title; a withdrawn post's text is out of it.
    const postIndex = rows<{ problem: string; id: string }>(`
      select 'missing' as problem, p.id from posts p
       where (p.state <> 'withdrawn' or p.seq = 1) and not exists (select 1 from search_index s where s.rowid = p.rowid)
      union all
      select 'not removed when withdrawn', p.id from posts p
       where p.state = 'withdrawn' and p.seq > 1 and exists (select 1 from search_index s where s.rowid = p.rowid)
      union all
      select 'differs from its post', p.id from posts p join threads t on t.id = p.thread_id join search_index s on s.rowid = p.rowid
       where s.title is not (case when p.seq = 1 then t.title else '' end)
          or s.body is not (case when p.state = 'withdrawn' then '' else p.text end)
      union all
      select 'for no post', cast(s.rowid as text) from search_index s where not exists (select 1 from posts p where p.rowid = s.rowid)
      limit 20`);
    for (const row of postIndex) problems.push(`search_index row ${row.problem}: post ${row.id}`);

    // The library's index: one row per version (the version's rowid; trashed documents included),
    // carrying its document's titles.
    const documentIndex = rows<{ problem: string; id: string }>(`
      select 'missing' as problem, v.document_id || ' #' || v.number as id from document_versions v
       where not exists (select 1 from document_versions_search s where s.rowid = v.rowid)
      union all
      select 'differs from its document', v.document_id || ' #' || v.number from document_versions v
        join documents d on d.id = v.document_id join document_versions_search s on s.rowid = v.rowid
       where s.title is not (d.title_es || ' ' || d.title_en)
      union all
      select 'for no version', cast(s.rowid as text) from document_versions_search s where not exists (select 1 from document_versions v where v.rowid = s.rowid)
      limit 20`);
    for (const row of documentIndex) problems.push(`document_versions_search row ${row.problem}: ${row.id}`);

    // Meetings' index: one row per meeting (its rowid), with its title.
    const meetingIndex = rows<{ problem: string; id: string }>(`
      select 'missing' as problem, m.id from meetings m where not exists (select 1 from meetings_search s where s.rowid = m.rowid)
      union all
      select 'differs from its meeting', m.id from meetings m join meetings_search s on s.rowid = m.rowid where s.title is not m.title
      union all
      select 'for no meeting', cast(s.rowid as text) from meetings_search s where not exists (select 1 from meetings m where m.rowid = s.rowid)
      limit 20`);
    for (const row of meetingIndex) problems.push(`meetings_search row ${row.problem}: ${row.id}`);

    for (const [check, describe] of COUNTER_CHECKS) for (const row of rows<Record<string, unknown>>(check)) problems.push(describe(row));

    if (options.dataDir) {
      const referenced = rows<StoredFileRow>(REFERENCED_FILES);
      const known = db.prepare('select sha256 from stored_files').pluck().all() as string[];
      problems.push(...fileProblems(referenced, known, options.dataDir, options.allowTemporaryFiles ?? false));
    }
  } finally {
    db.close();
  }
  return problems;
}

/**
 * What of consistencyProblems holds on either engine, for a test app (with TEST_ENGINE=postgres, on
 * its PostgreSQL database): on SQLite all of it; on PostgreSQL the counters and the stored files.
 * There the engine itself keeps the pages and foreign keys whole, and search's own tests check its
 * indexes (SQLite's FTS5 checks here read tables PostgreSQL does not have).
 */
export async function portableConsistencyProblems(t: { config: { databaseFile: string; databaseUrl: string | null }; dataDir: string }): Promise<string[]> {
  if (t.config.databaseUrl === null) return consistencyProblems(t.config.databaseFile, { dataDir: t.dataDir });
  const db = openTestDb(t);
  try {
    const problems: string[] = [];
    for (const [check, describe] of COUNTER_CHECKS) for (const row of await db.prepare(check).all()) problems.push(describe(row));
    const referenced = await db.prepare<StoredFileRow>(REFERENCED_FILES).all();
    const known = await db.prepare('select sha256 from stored_files').values<string>();
    problems.push(...fileProblems(referenced, known, t.dataDir, false));
    return problems;
  } finally {
    await db.close();
  }
}

/** Denormalized counters against the rows they count: each query finds the rows that disagree (portable SQL). */
const COUNTER_CHECKS: Array<[string, (row: Record<string, unknown>) => string]> = [
  [
    `select t.id, t.reply_count as "replyCount", t.last_seq as "lastSeq", count(p.id) as posts, coalesce(max(p.seq), 0) as "maxSeq"
       from threads t left join posts p on p.thread_id = t.id group by t.id
     having t.reply_count <> count(p.id) - 1 or t.last_seq <> coalesce(max(p.seq), 0) limit 20`,
    (thread) => `thread ${thread.id}: replyCount ${thread.replyCount} and lastSeq ${thread.lastSeq}, but ${thread.posts} posts up to seq ${thread.maxSeq}`,
  ],
  [
    `select p.id, p.agree_count as "agreeCount", (select count(*) from post_agreements a where a.post_id = p.id) as "real"
       from posts p where p.agree_count <> (select count(*) from post_agreements a where a.post_id = p.id) limit 20`,
    (post) => `post ${post.id}: agreeCount ${post.agreeCount}, but ${post.real} agreements`,
  ],
  [
    `select p.id, p.revision_count as "revisionCount", (select count(*) from post_revisions r where r.post_id = p.id) as "real"
       from posts p where p.revision_count <> (select count(*) from post_revisions r where r.post_id = p.id) limit 20`,
    (post) => `post ${post.id}: revisionCount ${post.revisionCount}, but ${post.real} earlier versions kept`,
  ],
  [
    `select d.id, d.latest_version as latest, count(v.number) as count, coalesce(max(v.number), 0) as max
       from documents d left join document_versions v on v.document_id = d.id group by d.id
     having d.latest_version <> coalesce(max(v.number), 0) or count(v.number) <> coalesce(max(v.number), 0) limit 20`,
    (document) => `document ${document.id}: latestVersion ${document.latest}, but ${document.count} versions up to ${document.max}`,
  ],
];

type StoredFileRow = { sha256: string; size: number; what: string };
const REFERENCED_FILES = `select sha256, size, 'version ' || document_id || ' #' || number as what from document_versions
  union all select sha256, size, 'attachment ' || id from attachments where removed_at is null`;

function fileProblems(referenced: StoredFileRow[], knownFiles: string[], dataDir: string, allowTemporaryFiles: boolean): string[] {
  const problems: string[] = [];
  const root = path.join(dataDir, 'files');
  const pathOf = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  const checked = new Map<string, string>();
  for (const row of referenced) {
    const file = pathOf(row.sha256);
    if (!existsSync(file)) {
      problems.push(`${row.what}: its file ${row.sha256} is not on disk`);
      continue;
    }
    const actual = checked.get(row.sha256) ?? createHash('sha256').update(readFileSync(file)).digest('hex');
    checked.set(row.sha256, actual);
    if (actual !== row.sha256) problems.push(`${row.what}: the file named ${row.sha256} holds content hashing to ${actual}`);
    else if (statSync(file).size !== row.size) problems.push(`${row.what}: ${row.size} bytes in the row, ${statSync(file).size} on disk`);
  }
  // A file no version or attachment uses is fine while its stored_files row lets the purge collect it; one without any row would stay forever.
  const known = new Set(knownFiles);
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? walk(path.join(dir, name)) : [path.join(dir, name)]));
  if (!existsSync(root)) return problems;
  for (const file of walk(root)) {
    const relative = path.relative(root, file);
    if (relative.startsWith(`tmp${path.sep}`)) {
      if (!allowTemporaryFiles) problems.push(`a temporary upload left behind: files/${relative}`);
    } else if (!known.has(path.basename(file))) problems.push(`a file on disk that no row knows: files/${relative}`);
  }
  return problems;
}
