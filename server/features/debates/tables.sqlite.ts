import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { groups, users } from '../../plugins/identity/tables.sqlite.js';

export type WatchLevel = 'watching' | 'normal' | 'muted';
export type PostState = 'visible' | 'withdrawn' | 'hidden';

/** An outcome pinned on a thread: sanitized HTML, a plain excerpt, when, and what it came from ({kind, id}). */
export interface ThreadOutcome {
  html: string;
  excerpt: string;
  at: string;
  source: { kind: string; id: string };
}

/** A group's discussion areas; `startRoles` null means every participant may start threads. */
export const categories = sqliteTable(
  'categories',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull().references(() => groups.id),
    slug: text('slug').notNull(),
    nameEs: text('name_es').notNull(),
    nameEn: text('name_en').notNull(),
    descriptionEs: text('description_es').notNull().default(''),
    descriptionEn: text('description_en').notNull().default(''),
    position: integer('position').notNull().default(0),
    startRoles: text('start_roles', { mode: 'json' }).$type<string[] | null>(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [uniqueIndex('categories_group_slug').on(table.groupId, table.slug)],
);

/**
 * A discussion. Counters are denormalized so the thread list is one indexed scan: `lastSeq` is the
 * highest post seq (unread = lastSeq - the reader's position), `version` changes on every change to
 * the thread or its posts and keys the page cache and ETags.
 */
export const threads = sqliteTable(
  'threads',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull().references(() => groups.id),
    categoryId: text('category_id').notNull().references(() => categories.id),
    authorId: text('author_id').notNull().references(() => users.id),
    title: text('title').notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    // Its indicators are tags of the catalogue (fastify.indicators: subject_indicators, kind 'thread').
    pinned: integer('pinned', { mode: 'boolean' }).notNull().default(false),
    locked: integer('locked', { mode: 'boolean' }).notNull().default(false),
    version: integer('version').notNull().default(1),
    lastSeq: integer('last_seq').notNull().default(0),
    replyCount: integer('reply_count').notNull().default(0),
    participatingCountries: text('participating_countries', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastActivityAt: integer('last_activity_at', { mode: 'timestamp_ms' }).notNull(),
    /**
     * The outcome another feature pinned at the top of the thread (a proposal's), rendered by it;
     * the list shows its excerpt. `concludedAt`: the thread was marked concluded with it.
     */
    outcome: text('outcome', { mode: 'json' }).$type<ThreadOutcome | null>(),
    concludedAt: integer('concluded_at', { mode: 'timestamp_ms' }),
    /**
     * The thing of another feature whose discussion this thread is (a discrepancy case's: a subject
     * reference, server/plugins/subjects), or both null for a thread of the group's lists. Such a
     * thread is read by exactly whom its owner says (DebatesService.defineThreadOwner) and kept out
     * of the group's lists, counts, search and live list events.
     */
    subjectKind: text('subject_kind'),
    subjectId: text('subject_id'),
  },
  (table) => [
    index('threads_group_list').on(table.groupId, table.pinned, table.lastActivityAt, table.id),
    index('threads_category_list').on(table.categoryId, table.pinned, table.lastActivityAt, table.id),
    // One thread per subject.
    uniqueIndex('threads_subject').on(table.subjectKind, table.subjectId).where(sql`${table.subjectKind} is not null`),
  ],
);

/**
 * A post; the thread's opening post has seq 1. `path` is the materialized tree position: the
 * parent's path plus this post's seq as 6 base-36 digits, so ORDER BY path is depth-first pre-order
 * (siblings by age) and one indexed range scan returns any page of the tree.
 * Markdown is rendered once, at write time: source, sanitized html and plain text are all stored.
 */
export const posts = sqliteTable(
  'posts',
  {
    id: text('id').primaryKey(),
    threadId: text('thread_id').notNull().references(() => threads.id),
    seq: integer('seq').notNull(),
    parentId: text('parent_id'),
    depth: integer('depth').notNull(),
    path: text('path').notNull(),
    authorId: text('author_id').notNull().references(() => users.id),
    source: text('source').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    state: text('state', { enum: ['visible', 'withdrawn', 'hidden'] }).notNull().default('visible'),
    hiddenReason: text('hidden_reason'),
    hiddenBy: text('hidden_by'),
    revisionCount: integer('revision_count').notNull().default(0),
    agreeCount: integer('agree_count').notNull().default(0),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    editedAt: integer('edited_at', { mode: 'timestamp_ms' }),
  },
  (table) => [
    uniqueIndex('posts_thread_seq').on(table.threadId, table.seq),
    uniqueIndex('posts_thread_path').on(table.threadId, table.path),
    index('posts_author').on(table.authorId),
  ],
);

/** Earlier versions of an edited post: number 1 is the original. The current text stays on the post. */
export const postRevisions = sqliteTable(
  'post_revisions',
  {
    postId: text('post_id').notNull().references(() => posts.id),
    number: integer('number').notNull(),
    source: text('source').notNull(),
    html: text('html').notNull(),
    editorId: text('editor_id').notNull().references(() => users.id),
    /** When this version was written (the post's creation for number 1). */
    writtenAt: integer('written_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.postId, table.number] })],
);

export const postAgreements = sqliteTable(
  'post_agreements',
  {
    postId: text('post_id').notNull().references(() => posts.id),
    userId: text('user_id').notNull().references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.postId, table.userId] }), index('post_agreements_user').on(table.userId, table.postId)],
);

/** The highest seq a user has read in a thread. */
export const readPositions = sqliteTable(
  'read_positions',
  {
    userId: text('user_id').notNull().references(() => users.id),
    threadId: text('thread_id').notNull().references(() => threads.id),
    lastReadSeq: integer('last_read_seq').notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.threadId] })],
);

export const threadWatches = sqliteTable(
  'thread_watches',
  {
    threadId: text('thread_id').notNull().references(() => threads.id),
    userId: text('user_id').notNull().references(() => users.id),
    level: text('level', { enum: ['watching', 'normal', 'muted'] }).notNull(),
  },
  // The threads a person muted, for their home page's unread count: small, as it holds muted rows only.
  (table) => [primaryKey({ columns: [table.threadId, table.userId] }), index('thread_watches_muted_by_user').on(table.userId).where(sql`${table.level} = 'muted'`)],
);

export const categoryWatches = sqliteTable(
  'category_watches',
  {
    categoryId: text('category_id').notNull().references(() => categories.id),
    userId: text('user_id').notNull().references(() => users.id),
    level: text('level', { enum: ['watching', 'normal', 'muted'] }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.categoryId, table.userId] }), index('category_watches_by_user').on(table.userId)],
);
