/**
 * The debates' hand-written statements' select lists and what their rows become. The hot reads
 * (a thread, a post, a page of posts, the thread list) are raw statements prepared once
 * (plugins/database.ts), so the row a drizzle select gave is built here. Raw rows come back as
 * SQLite gives them on both engines: instants as milliseconds, JSON columns as their text,
 * booleans as 1 and 0.
 */
import { postgresText, type StatementText } from '../../plugins/database.js';
import type { Role } from '../../shared/roles.js';
import type { AuthorRow, PostRecord, PostRow, ThreadListRow, ThreadRow } from './repository.js';
import type { PostState, WatchLevel } from './tables.js';

/** Each engine's text, both written with `?` (PostgreSQL's numbered from it). */
export const eachEngine = (sqlite: string, postgres: string): StatementText => ({ sqlite, postgres: postgresText(postgres) });

/** A thread's columns, under its drizzle names, from the table aliased `t`. */
export const THREAD_COLUMNS =
  't.id, t.group_id as "groupId", t.category_id as "categoryId", t.author_id as "authorId", t.title, t.tags, t.pinned, t.locked, t.version, t.last_seq as "lastSeq", t.reply_count as "replyCount", t.participating_countries as "participatingCountries", t.created_at as "createdAt", t.last_activity_at as "lastActivityAt", t.outcome, t.concluded_at as "concludedAt", t.subject_kind as "subjectKind", t.subject_id as "subjectId"';

export interface RawThread {
  id: string;
  groupId: string;
  categoryId: string;
  authorId: string;
  title: string;
  tags: string;
  pinned: number;
  locked: number;
  version: number;
  lastSeq: number;
  replyCount: number;
  participatingCountries: string;
  createdAt: number;
  lastActivityAt: number;
  outcome: string | null;
  concludedAt: number | null;
  subjectKind: string | null;
  subjectId: string | null;
}

export const toThread = (row: RawThread): ThreadRow => ({
  id: row.id,
  groupId: row.groupId,
  categoryId: row.categoryId,
  authorId: row.authorId,
  title: row.title,
  tags: JSON.parse(row.tags) as string[],
  pinned: row.pinned === 1,
  locked: row.locked === 1,
  version: row.version,
  lastSeq: row.lastSeq,
  replyCount: row.replyCount,
  participatingCountries: JSON.parse(row.participatingCountries) as string[],
  createdAt: new Date(row.createdAt),
  lastActivityAt: new Date(row.lastActivityAt),
  outcome: row.outcome === null ? null : (JSON.parse(row.outcome) as ThreadRow['outcome']),
  concludedAt: row.concludedAt === null ? null : new Date(row.concludedAt),
  subjectKind: row.subjectKind,
  subjectId: row.subjectId,
});

/** A post's columns, under its drizzle names, from the table aliased `p`. */
export const POST_COLUMNS =
  'p.id, p.thread_id as "threadId", p.seq, p.parent_id as "parentId", p.depth, p.path, p.author_id as "authorId", p.source, p.html, p.text, p.state, p.hidden_reason as "hiddenReason", p.hidden_by as "hiddenBy", p.revision_count as "revisionCount", p.agree_count as "agreeCount", p.created_at as "createdAt", p.edited_at as "editedAt"';

export interface RawPost {
  id: string;
  threadId: string;
  seq: number;
  parentId: string | null;
  depth: number;
  path: string;
  authorId: string;
  source: string;
  html: string;
  text: string;
  state: PostState;
  hiddenReason: string | null;
  hiddenBy: string | null;
  revisionCount: number;
  agreeCount: number;
  createdAt: number;
  editedAt: number | null;
}

export const toPostRecord = (row: RawPost): PostRecord => ({
  id: row.id,
  threadId: row.threadId,
  seq: row.seq,
  parentId: row.parentId,
  depth: row.depth,
  path: row.path,
  authorId: row.authorId,
  source: row.source,
  html: row.html,
  text: row.text,
  state: row.state,
  hiddenReason: row.hiddenReason,
  hiddenBy: row.hiddenBy,
  revisionCount: row.revisionCount,
  agreeCount: row.agreeCount,
  createdAt: new Date(row.createdAt),
  editedAt: row.editedAt === null ? null : new Date(row.editedAt),
});

/**
 * The author of a thread or post (users aliased `u`, their membership in its group `m`, left
 * joined: a former member's role and country are null). Their id is the row's `authorId`.
 */
export const AUTHOR_COLUMNS = 'u.display_name as "authorName", u.handle as "authorHandle", m.role as "authorRole", m.country_id as "authorCountryId", m.organization_id as "authorOrganizationId"';

export interface RawAuthor {
  authorId: string;
  authorName: string;
  authorHandle: string | null;
  authorRole: string | null;
  authorCountryId: string | null;
  authorOrganizationId: string | null;
}

export const toAuthor = (row: RawAuthor): AuthorRow => ({
  id: row.authorId,
  displayName: row.authorName,
  handle: row.authorHandle,
  role: row.authorRole as Role,
  countryId: row.authorCountryId,
  organizationId: row.authorOrganizationId,
});

/** A post with its author and what it answers (the parent's author and seq). */
export const POST_SELECT = `select ${POST_COLUMNS}, ${AUTHOR_COLUMNS}, pu.display_name as "parentAuthorName", pp.seq as "parentSeq"
  from posts p
  join threads t on t.id = p.thread_id
  join users u on u.id = p.author_id
  left join memberships m on m.user_id = p.author_id and m.group_id = t.group_id
  left join posts pp on pp.id = p.parent_id
  left join users pu on pu.id = pp.author_id`;

export type RawPostRow = RawPost & RawAuthor & { parentAuthorName: string | null; parentSeq: number | null };

export const toPostRow = (row: RawPostRow): PostRow => ({ ...toPostRecord(row), author: toAuthor(row), parentAuthorName: row.parentAuthorName, parentSeq: row.parentSeq });

/** A thread as one reader sees it in a list: its author, the reader's position and watch level (`?` twice: the reader). */
export const THREAD_FOR_READER_SELECT = `select ${THREAD_COLUMNS}, ${AUTHOR_COLUMNS}, rp.last_read_seq as "lastReadSeq", tw.level as "watchLevel"
  from threads t
  join users u on u.id = t.author_id
  left join memberships m on m.user_id = t.author_id and m.group_id = t.group_id
  left join read_positions rp on rp.thread_id = t.id and rp.user_id = ?
  left join thread_watches tw on tw.thread_id = t.id and tw.user_id = ?`;

export type RawThreadForReader = RawThread & RawAuthor & { lastReadSeq: number | null; watchLevel: WatchLevel | null };

export const toThreadForReader = (row: RawThreadForReader, indicatorCodes: string[]): ThreadListRow => ({
  ...toThread(row),
  indicatorCodes,
  author: toAuthor(row),
  lastReadSeq: row.lastReadSeq ?? 0,
  watchLevel: row.watchLevel ?? 'normal',
});
