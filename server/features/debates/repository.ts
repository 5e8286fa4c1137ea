/**
 * The debates' storage: categories, threads, posts, agreements, read positions and watches. Over
 * 500 lines on purpose: it is one class because what it remembers in memory (thread versions,
 * watch lists, the home page's unread answers) is kept right by its own writes, each forgetting
 * or bumping exactly what it changes; split across modules, every write would reach into the
 * others' caches. The cache registry (server/plugins/live/caches.ts) now clears them for writes
 * made by other processes, but this process's own writes still bump them in place, inside the
 * write; once they too go through the registry, the class can split by resource like the routes did.
 */
import { LRUCache } from 'lru-cache';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import { and, asc, desc, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../plugins/db.js';
import type { Role } from '../../shared/roles.js';
import { stemText } from '../../shared/full-text.js';
import { newId, newTimeOrderedId } from '../../shared/ids.js';
import {
  categories,
  categoryWatches,
  postAgreements,
  postRevisions,
  posts,
  readPositions,
  threads,
  threadWatches,
  type PostState,
  type WatchLevel,
} from './tables.js';
import { groups, memberships, users } from '../../plugins/identity/tables.js';
import type { IndicatorsService } from '../indicators/public.js';

/** What the threads need of the indicator catalogue: their tags (subject kind 'thread'). */
export type ThreadTags = Pick<IndicatorsService, 'tagsOfNow' | 'subjectsTagged'>;

export type CategoryRow = typeof categories.$inferSelect;
export type ThreadRow = typeof threads.$inferSelect;
export type PostRecord = typeof posts.$inferSelect;

export interface AuthorRow {
  id: string;
  displayName: string;
  handle: string | null;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
}

export interface PostRow extends PostRecord {
  author: AuthorRow;
  parentAuthorName: string | null;
  parentSeq: number | null;
}

export interface ThreadListRow extends ThreadRow {
  /** Its indicators, tags of the catalogue (fastify.indicators), in the order given. */
  indicatorCodes: string[];
  author: AuthorRow;
  lastReadSeq: number;
  watchLevel: WatchLevel;
}

/** The home page's unread debates: how many threads, and the most recently active few. */
export interface UnreadThreads {
  count: number;
  items: ReadonlyArray<{ id: string; title: string; unread: number; lastActivityAt: number }>;
}

/** What every thread page request asks first: the thread's version, group and owner (a subject's thread). */
export interface ThreadVersion {
  version: number;
  groupId: string;
  subjectKind: string | null;
  subjectId: string | null;
}

export interface Rendered {
  html: string;
  text: string;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The categories every group starts with; `announcements` only for the coordinator and the secretariat (and admins). */
export const DEFAULT_CATEGORIES: Array<Pick<CategoryRow, 'slug' | 'nameEs' | 'nameEn' | 'descriptionEs' | 'descriptionEn' | 'startRoles'>> = [
  { slug: 'statistical-development', nameEs: 'Desarrollo estadístico', nameEn: 'Statistical development', descriptionEs: 'Métodos, fuentes y capacidades para producir los indicadores.', descriptionEn: 'Methods, sources and capacities to produce the indicators.', startRoles: null },
  { slug: 'statistical-reconciliation', nameEs: 'Conciliación estadística', nameEn: 'Statistical reconciliation', descriptionEs: 'Diferencias entre cifras nacionales e internacionales.', descriptionEn: 'Differences between national and international figures.', startRoles: null },
  { slug: 'training', nameEs: 'Capacitación', nameEn: 'Training', descriptionEs: 'Cursos, talleres y materiales.', descriptionEn: 'Courses, workshops and materials.', startRoles: null },
  { slug: 'regional-network', nameEs: 'Red regional', nameEn: 'Regional network', descriptionEs: 'Cooperación entre oficinas nacionales de estadística.', descriptionEn: 'Cooperation between national statistics offices.', startRoles: null },
  { slug: 'financing', nameEs: 'Financiamiento', nameEn: 'Financing', descriptionEs: 'Recursos para las actividades estadísticas.', descriptionEn: 'Resources for statistical activities.', startRoles: null },
  { slug: 'general', nameEs: 'General', nameEn: 'General', descriptionEs: 'Todo lo demás.', descriptionEn: 'Everything else.', startRoles: null },
  { slug: 'announcements', nameEs: 'Anuncios', nameEn: 'Announcements', descriptionEs: 'Comunicaciones de la coordinación y la secretaría.', descriptionEn: 'Notices from the coordinator and the secretariat.', startRoles: ['coordinator', 'secretariat'] },
];

const placeholder = sql.placeholder;

/** Seq as 6 base-36 digits: fixed width, so string order is numeric order (up to 2 billion posts per thread). */
export const pathSegment = (seq: number) => seq.toString(36).padStart(6, '0');

const parentPosts = alias(posts, 'parent_posts');
const parentUsers = alias(users, 'parent_users');

const authorColumns = {
  id: users.id,
  displayName: users.displayName,
  handle: users.handle,
  role: memberships.role,
  countryId: memberships.countryId,
  organizationId: memberships.organizationId,
};

/**
 * Categories, threads, posts, agreements, read positions and watches. Writes are synchronous
 * better-sqlite3 transactions; the hot reads are prepared once.
 */
/**
 * Threads by id, in the order asked (a notice's, a notification list's subjects; titles of the
 * group's own threads). A CROSS JOIN,
 * which SQLite never reorders: each asked id is looked up by the key. With a plain join SQLite
 * walked the group's threads and scanned the asked ids for each, every thread of the forum read
 * to describe one.
 */
export const THREAD_TITLES_SQL = 'select t.id, t.title from json_each(?) j cross join threads t on t.id = j.value where t.group_id = ? and t.subject_kind is null order by j.key';
export const THREAD_CARDS_SQL =
  "select t.id, t.title, json_extract(t.outcome, '$.excerpt') as excerpt, t.concluded_at is not null as concluded, t.subject_kind as subjectKind, t.subject_id as subjectId from json_each(?) j cross join threads t on t.id = j.value where t.group_id = ? order by j.key";

export class DebatesRepository {
  private readonly seeded = new Set<string>();
  private readonly postPageByPath;
  private readonly postPageBySeq;
  private readonly pathBySeq;
  private readonly threadVersion;
  private readonly versions = new LRUCache<string, ThreadVersion>({ max: 10_000 });
  /**
   * Explicit watch levels per thread ("t:<id>") and per category ("c:<id>"), asked for every post
   * (a busy thread has dozens of watchers). Only this repository writes watches, and each write
   * forgets the list it changes.
   */
  private readonly watchLists = new LRUCache<string, ReadonlyMap<string, WatchLevel>>({
    max: 5_000,
    memoMethod: (key) => new Map(key.startsWith('t:') ? this.watchesOfThread.all(key.slice(2)) : this.watchesOfCategory.all(key.slice(2))),
  });
  private readonly readPosition;
  private readonly threadById;
  private readonly postById;
  private readonly openingPostQuery;
  /** A subject's (a discrepancy case's) page asks for its thread and latest posts on every request. */
  private readonly subjectThreadQuery;
  private readonly shownPosts;
  private readonly agreedInThread;
  private readonly threadListQueries = new Map<string, ReturnType<DebatesRepository['prepareThreadList']>>();
  private readonly write;
  private readonly watchesOfThread;
  private readonly watchesOfCategory;
  private readonly countryMembers;
  private readonly activeUsers;
  private readonly firstAfter;
  private readonly threadForViewerQuery;
  private readonly home;
  /**
   * Each group's threads as the home page counts them (id, last seq, category, last activity),
   * latest activity first: every look at a home page walks them. Only this repository writes
   * threads: a post moves its thread to the front in place (reading and sorting 2,000 threads again
   * after every post cost a few milliseconds per look), a new thread or a moved one forgets the list.
   */
  private readonly groupThreads = new LRUCache<string, Array<[string, number, string, number]>>({ max: 100, memoMethod: (groupId) => this.home.threadsOfGroup.all(groupId) });
  /**
   * unreadThreads' answers per person, kept while nothing they depend on changed: no thread moved
   * (threadsEpoch, moved by every post) and the person read or watched nothing (their entry is
   * forgotten by markRead, markAllRead and the watch settings).
   */
  private threadsEpoch = 0;
  private readonly unreadAnswers = new LRUCache<string, { epoch: number; groupId: string; limit: number; answer: UnreadThreads }>({ max: 5_000 });

  constructor(
    private readonly db: Db,
    private readonly tags: ThreadTags,
  ) {
    // The post-creation path runs these for every post, inside the write transaction: plain
    // better-sqlite3 with positional parameters, prepared once. drizzle's per-call mapping of
    // named placeholders cost about as much as the statements themselves.
    const sqlite = db.$client;
    this.write = {
      threadCounters: sqlite.prepare<[string], { lastSeq: number; replyCount: number; countries: string }>(
        'select last_seq as lastSeq, reply_count as replyCount, participating_countries as countries from threads where id = ?',
      ),
      insertPost: sqlite.prepare<[id: string, threadId: string, seq: number, parentId: string, depth: number, path: string, authorId: string, source: string, html: string, text: string, createdAt: number]>(
        'insert into posts (id, thread_id, seq, parent_id, depth, path, author_id, source, html, text, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // The countries are bound as the JSON text the column stores.
      threadAfterPost: sqlite.prepare<[seq: number, at: number, countries: string, threadId: string]>(
        'update threads set last_seq = ?, reply_count = reply_count + 1, last_activity_at = ?, version = version + 1, participating_countries = ? where id = ?',
      ),
      watch: sqlite.prepare<[threadId: string, userId: string]>("insert into thread_watches (thread_id, user_id, level) values (?, ?, 'watching') on conflict do nothing"),
      readUpTo: sqlite.prepare<[userId: string, threadId: string, seq: number]>(
        'insert into read_positions (user_id, thread_id, last_read_seq) values (?, ?, ?) on conflict (user_id, thread_id) do update set last_read_seq = max(last_read_seq, excluded.last_read_seq)',
      ),
      indexPost: sqlite.prepare<[title: string, body: string, stems: string, postId: string]>('insert into search_index (rowid, title, body, stems) select rowid, ?, ?, ? from posts where id = ?'),
      unindexPost: sqlite.prepare<[postId: string]>('delete from search_index where rowid = (select rowid from posts where id = ?)'),
    };
    // Asked for every post, returning every watcher of a busy thread: plain better-sqlite3 rows as
    // [user, level] pairs, which cost a fraction of drizzle's per-row mapping.
    this.watchesOfThread = db.$client.prepare<[string], [string, WatchLevel]>('select user_id, level from thread_watches where thread_id = ?').raw();
    this.watchesOfCategory = db.$client.prepare<[string], [string, WatchLevel]>('select user_id, level from category_watches where category_id = ?').raw();
    // Variable-length id lists travel as one JSON array, so the statement stays prepared.
    this.countryMembers = db
      .select({ id: users.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.groupId, placeholder('groupId')),
          eq(memberships.role, 'member'),
          sql`${memberships.countryId} in (select value from json_each(${placeholder('countries')}))`,
          isNull(users.deactivatedAt),
        ),
      )
      .prepare();
    // Once per post, inside its write: plain better-sqlite3, the ids as one JSON array.
    this.activeUsers = db.$client
      .prepare<[groupId: string, ids: string], string>(
        'select users.id from users join memberships on memberships.user_id = users.id and memberships.group_id = ? where users.id in (select value from json_each(?)) and users.deactivated_at is null',
      )
      .pluck();
    // The home page's "unread debates" (unreadThreads): plain better-sqlite3 rows as arrays.
    this.home = {
      threadsOfGroup: sqlite
        .prepare<[string], [id: string, lastSeq: number, categoryId: string, lastActivityAt: number]>(
          // A thread of another feature's subject (a discrepancy case's) is not the group's to count.
          'select id, last_seq, category_id, last_activity_at from threads where group_id = ? and subject_kind is null order by last_activity_at desc, id desc',
        )
        .raw(),
      readPositions: sqlite.prepare<[string], [threadId: string, seq: number]>('select thread_id, last_read_seq from read_positions where user_id = ?').raw(),
      mutedThreads: sqlite.prepare<[string], string>("select thread_id from thread_watches where user_id = ? and level = 'muted'").pluck(),
      mutedCategories: sqlite.prepare<[string], string>("select category_id from category_watches where user_id = ? and level = 'muted'").pluck(),
      threadLevel: sqlite.prepare<[threadId: string, userId: string], WatchLevel>('select level from thread_watches where thread_id = ? and user_id = ?').pluck(),
      titles: sqlite.prepare<[string], [id: string, title: string]>('select t.id, t.title from json_each(?) j join threads t on t.id = j.value').raw(),
      titlesInGroup: sqlite.prepare<[ids: string, groupId: string], { id: string; title: string }>(
        THREAD_TITLES_SQL,
      ),
      cardsInGroup: sqlite.prepare<[ids: string, groupId: string], { id: string; title: string; excerpt: string | null; concluded: 0 | 1; subjectKind: string | null; subjectId: string | null }>(
        THREAD_CARDS_SQL,
      ),
    };
    this.threadForViewerQuery = db
      .select({ thread: threads, author: authorColumns, lastReadSeq: readPositions.lastReadSeq, watchLevel: threadWatches.level })
      .from(threads)
      .innerJoin(users, eq(users.id, threads.authorId))
      .leftJoin(memberships, and(eq(memberships.userId, threads.authorId), eq(memberships.groupId, threads.groupId)))
      .leftJoin(readPositions, and(eq(readPositions.threadId, threads.id), eq(readPositions.userId, placeholder('userId'))))
      .leftJoin(threadWatches, and(eq(threadWatches.threadId, threads.id), eq(threadWatches.userId, placeholder('userId'))))
      .where(eq(threads.id, placeholder('threadId')))
      .prepare();
    this.firstAfter = db
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.threadId, placeholder('threadId')), gt(posts.seq, placeholder('seq'))))
      .orderBy(asc(posts.seq))
      .limit(1)
      .prepare();
    const postSelect = () =>
      db
        .select({ post: posts, author: authorColumns, parentAuthorName: parentUsers.displayName, parentSeq: parentPosts.seq })
        .from(posts)
        .innerJoin(threads, eq(threads.id, posts.threadId))
        .innerJoin(users, eq(users.id, posts.authorId))
        .leftJoin(memberships, and(eq(memberships.userId, posts.authorId), eq(memberships.groupId, threads.groupId)))
        .leftJoin(parentPosts, eq(parentPosts.id, posts.parentId))
        .leftJoin(parentUsers, eq(parentUsers.id, parentPosts.authorId));
    this.postPageByPath = postSelect()
      .where(and(eq(posts.threadId, sql.placeholder('threadId')), gt(posts.path, sql.placeholder('after'))))
      .orderBy(asc(posts.path))
      .limit(sql.placeholder('limit'))
      .prepare();
    this.postPageBySeq = postSelect()
      .where(and(eq(posts.threadId, sql.placeholder('threadId')), gt(posts.seq, sql.placeholder('after'))))
      .orderBy(asc(posts.seq))
      .limit(sql.placeholder('limit'))
      .prepare();
    this.pathBySeq = db
      .select({ path: posts.path })
      .from(posts)
      .where(and(eq(posts.threadId, sql.placeholder('threadId')), eq(posts.seq, sql.placeholder('seq'))))
      .prepare();
    this.postById = postSelect().where(eq(posts.id, sql.placeholder('id'))).prepare();
    this.subjectThreadQuery = db
      .select()
      .from(threads)
      .where(and(eq(threads.subjectKind, sql.placeholder('kind')), eq(threads.subjectId, sql.placeholder('id'))))
      .prepare();
    const shown = and(eq(posts.threadId, sql.placeholder('threadId')), sql`${posts.state} <> 'withdrawn'`);
    this.shownPosts = {
      count: db.select({ n: sql<number>`count(*)` }).from(posts).where(shown).prepare(),
      // Only what a subject's page shows of a post: not its source and plain text beside its HTML.
      latest: db
        .select({ id: posts.id, seq: posts.seq, state: posts.state, html: posts.html, createdAt: posts.createdAt, authorId: users.id, authorName: users.displayName })
        .from(posts)
        .innerJoin(users, eq(users.id, posts.authorId))
        .where(shown)
        .orderBy(desc(posts.seq))
        .limit(sql.placeholder('limit'))
        .prepare(),
    };
    this.openingPostQuery = db
      .select({ id: posts.id, path: posts.path, depth: posts.depth, authorId: posts.authorId, state: posts.state, threadId: posts.threadId })
      .from(posts)
      .where(and(eq(posts.threadId, sql.placeholder('threadId')), eq(posts.seq, 1)))
      .prepare();
    // Every thread page request and revalidation starts here: plain better-sqlite3, a fraction of
    // the per-call cost of drizzle's wrapper.
    this.threadVersion = db.$client.prepare<[string], ThreadVersion>('select version, group_id as groupId, subject_kind as subjectKind, subject_id as subjectId from threads where id = ?');
    this.threadById = db.select().from(threads).where(eq(threads.id, sql.placeholder('id'))).prepare();
    this.readPosition = db
      .select({ seq: readPositions.lastReadSeq })
      .from(readPositions)
      .where(and(eq(readPositions.userId, sql.placeholder('userId')), eq(readPositions.threadId, sql.placeholder('threadId'))))
      .prepare();
    this.agreedInThread = db
      .select({ postId: postAgreements.postId })
      .from(postAgreements)
      .innerJoin(posts, eq(posts.id, postAgreements.postId))
      .where(and(eq(postAgreements.userId, sql.placeholder('userId')), eq(posts.threadId, sql.placeholder('threadId'))))
      .prepare();
  }

  // ---------------------------------------------------------------- categories

  /** Idempotent: creates the default categories a group lacks (new groups, and groups older than debates). */
  async ensureDefaultCategories(groupId: string, now = new Date()): Promise<void> {
    this.seedDefaultCategories(groupId, now);
  }

  private seedDefaultCategories(groupId: string, now = new Date()): void {
    if (this.seeded.has(groupId)) return;
    this.db.transaction((tx) => {
      const existing = tx.select({ n: sql<number>`count(*)` }).from(categories).where(eq(categories.groupId, groupId)).get()!.n;
      // Seed only an empty group: once admins have edited or removed categories, their choice stands.
      if (existing === 0) {
        DEFAULT_CATEGORIES.forEach((category, position) => {
          tx.insert(categories)
            .values({ ...category, id: newId(), groupId, position, createdAt: now })
            .onConflictDoNothing()
            .run();
        });
      }
    });
    this.seeded.add(groupId);
  }

  /** Seeds every group that has no categories yet: groups set up before debates existed. */
  async ensureDefaultCategoriesForAllGroups(): Promise<void> {
    for (const group of this.db.select({ id: groups.id }).from(groups).all()) this.seedDefaultCategories(group.id);
  }

  async listCategories(groupId: string, userId: string) {
    this.seedDefaultCategories(groupId);
    return this.db
      .select({
        category: categories,
        threadCount: sql<number>`(select count(*) from ${threads} where ${threads.categoryId} = ${categories.id} and ${threads.subjectKind} is null)`,
        watchLevel: categoryWatches.level,
      })
      .from(categories)
      .leftJoin(categoryWatches, and(eq(categoryWatches.categoryId, categories.id), eq(categoryWatches.userId, userId)))
      .where(eq(categories.groupId, groupId))
      .orderBy(asc(categories.position), asc(categories.nameEn))
      .all()
      .map((row) => ({ ...row.category, threadCount: row.threadCount, watchLevel: (row.watchLevel ?? 'normal') as WatchLevel }));
  }

  async findCategory(groupId: string, id: string): Promise<CategoryRow | undefined> {
    this.seedDefaultCategories(groupId);
    return this.db.select().from(categories).where(and(eq(categories.id, id), eq(categories.groupId, groupId))).get();
  }

  async slugTaken(groupId: string, slug: string, exceptId?: string): Promise<boolean> {
    const row = this.db.select({ id: categories.id }).from(categories).where(and(eq(categories.groupId, groupId), eq(categories.slug, slug))).get();
    return row !== undefined && row.id !== exceptId;
  }

  async createCategory(groupId: string, values: Omit<CategoryRow, 'id' | 'groupId' | 'createdAt'>, now = new Date()): Promise<string> {
    const id = newId();
    this.db.insert(categories).values({ ...values, id, groupId, createdAt: now }).run();
    return id;
  }

  async updateCategory(id: string, changes: Partial<Omit<CategoryRow, 'id' | 'groupId' | 'createdAt'>>): Promise<void> {
    if (Object.keys(changes).length > 0) this.db.update(categories).set(changes).where(eq(categories.id, id)).run();
  }

  /** In the caller's unit of work (which stores the internal event that tells other processes). */
  setCategoryWatchWithin(tx: PendingCommit, categoryId: string, userId: string, level: WatchLevel): void {
    this.db
      .insert(categoryWatches)
      .values({ categoryId, userId, level })
      .onConflictDoUpdate({ target: [categoryWatches.categoryId, categoryWatches.userId], set: { level } })
      .run();
    this.watchChanged(userId, null, categoryId);
    tx.afterRollback(() => this.watchChanged(userId, null, categoryId));
  }

  // ---------------------------------------------------------------- people, for notifications

  /** Active people of the group who speak for these countries (members), for @CL mentions. */
  membersOfCountries(groupId: string, countryIds: string[]): string[] {
    if (countryIds.length === 0) return [];
    return this.countryMembers.all({ groupId, countries: JSON.stringify(countryIds) }).map((row) => row.id);
  }

  async author(groupId: string, userId: string): Promise<AuthorRow | undefined> {
    return this.db
      .select(authorColumns)
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.groupId, groupId)))
      .where(eq(users.id, userId))
      .get();
  }

  // ---------------------------------------------------------------- threads

  /** Threads of the group's lists among these ids, in the given order (unknown ones and subjects' threads left out). */
  threadTitles(groupId: string, ids: readonly string[]): Array<{ id: string; title: string }> {
    if (ids.length === 0) return [];
    return this.home.titlesInGroup.all(JSON.stringify(ids), groupId);
  }

  /** As threadTitles, with what lists show of each beside its title: its pinned outcome's excerpt and whether it is concluded. */
  threadCards(groupId: string, ids: readonly string[]): Array<{ id: string; title: string; excerpt: string | null; concluded: boolean; subjectKind: string | null; subjectId: string | null }> {
    if (ids.length === 0) return [];
    return this.home.cardsInGroup.all(JSON.stringify(ids), groupId).map((row) => ({ ...row, concluded: row.concluded === 1 }));
  }

  async findThread(id: string): Promise<ThreadRow | undefined> {
    return this.threadById.get({ id });
  }

  /** Which of these threads are the group's (a person of several groups holds notices about each group's). */
  async threadIdsOfGroup(groupId: string, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = this.db.select({ id: threads.id }).from(threads).where(and(eq(threads.groupId, groupId), inArray(threads.id, [...ids]))).all();
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Asked on every thread page request, before the page cache: remembered per thread, and forgotten
   * by every write here that moves a thread's version (threadChanged). Only this repository writes
   * threads.version.
   */
  async threadVersionOf(id: string): Promise<ThreadVersion | undefined> {
    let known = this.versions.get(id);
    if (known === undefined) {
      known = this.threadVersion.get(id);
      if (known === undefined) return undefined;
      this.versions.set(id, known);
    }
    return known;
  }

  private threadChanged(threadId: string): void {
    this.versions.delete(threadId);
  }

  /** A thread created or changed (title, category, pin, lock), or a post undone: the group lists are read again. */
  private forgetThreadLists(): void {
    this.groupThreads.clear();
    this.threadsEpoch += 1;
  }

  /** A post in the thread: its entry in the remembered group list takes its new counters and moves to the front. */
  private movedToFront(threadId: string, lastSeq: number, lastActivityAt: number): void {
    this.threadsEpoch += 1;
    if (this.groupThreads.size === 0) return;
    const groupId = this.versions.get(threadId)?.groupId ?? this.threadVersion.get(threadId)?.groupId;
    const list = groupId === undefined ? undefined : this.groupThreads.get(groupId);
    if (!list) return;
    const index = list.findIndex((entry) => entry[0] === threadId);
    if (index < 0) {
      this.groupThreads.delete(groupId!);
      return;
    }
    const [entry] = list.splice(index, 1);
    list.unshift([threadId, lastSeq, entry![2], lastActivityAt]);
  }

  /** The post's entry in the search index, replaced (inside the caller's transaction: same connection). */
  private reindexPost(postId: string, title: string, text: string): void {
    this.write.unindexPost.run(postId);
    this.indexPost(postId, title, text);
  }

  /** Adds the post's entry to the search index, with the stems of its words (server/shared/full-text.ts). */
  private indexPost(postId: string, title: string, text: string): void {
    this.write.indexPost.run(title, text, stemText(title, text), postId);
  }

  /** A change to the thread's page made outside this repository (a post's attachments): its version moves. */
  touchThread(threadId: string): void {
    this.db.transaction((tx) => this.bumpVersion(tx, threadId));
  }

  private bumpVersion(tx: Tx, threadId: string): void {
    tx.update(threads).set({ version: sql`${threads.version} + 1` }).where(eq(threads.id, threadId)).run();
    this.threadChanged(threadId);
  }

  private prepareThreadList(filters: { category: boolean; tag: boolean; indicator: boolean }) {
    // Subjects' threads (a discrepancy case's) are reached from their subject, never listed.
    const conditions: SQL[] = [eq(threads.groupId, sql.placeholder('groupId')), isNull(threads.subjectKind)];
    if (filters.category) conditions.push(eq(threads.categoryId, sql.placeholder('categoryId')));
    if (filters.tag) conditions.push(sql`exists (select 1 from json_each(${threads.tags}) where value = ${sql.placeholder('tag')})`);
    // The threads tagged with the indicator, found in the catalogue's index (fastify.indicators).
    if (filters.indicator) conditions.push(sql`${threads.id} in (select value from json_each(${sql.placeholder('tagged')}))`);
    // Keyset on (pinned, lastActivityAt, id), all descending; the first page passes a cursor above every row.
    conditions.push(
      sql`(${threads.pinned} < ${sql.placeholder('cPinned')} or (${threads.pinned} = ${sql.placeholder('cPinned')} and (${threads.lastActivityAt} < ${sql.placeholder('cAt')} or (${threads.lastActivityAt} = ${sql.placeholder('cAt')} and ${threads.id} < ${sql.placeholder('cId')}))))`,
    );
    return this.db
      .select({ thread: threads, author: authorColumns, lastReadSeq: readPositions.lastReadSeq, watchLevel: threadWatches.level })
      .from(threads)
      .innerJoin(users, eq(users.id, threads.authorId))
      .leftJoin(memberships, and(eq(memberships.userId, threads.authorId), eq(memberships.groupId, threads.groupId)))
      .leftJoin(readPositions, and(eq(readPositions.threadId, threads.id), eq(readPositions.userId, sql.placeholder('userId'))))
      .leftJoin(threadWatches, and(eq(threadWatches.threadId, threads.id), eq(threadWatches.userId, sql.placeholder('userId'))))
      .where(and(...conditions))
      .orderBy(desc(threads.pinned), desc(threads.lastActivityAt), desc(threads.id))
      .limit(sql.placeholder('limit'))
      .prepare();
  }

  async listThreads(
    groupId: string,
    userId: string,
    filters: { categoryId?: string; tag?: string; indicator?: string },
    cursor: { pinned: number; at: number; id: string } | null,
    limit: number,
  ): Promise<ThreadListRow[]> {
    const shape = { category: filters.categoryId !== undefined, tag: filters.tag !== undefined, indicator: filters.indicator !== undefined };
    const key = `${+shape.category}${+shape.tag}${+shape.indicator}`;
    let query = this.threadListQueries.get(key);
    if (!query) {
      query = this.prepareThreadList(shape);
      this.threadListQueries.set(key, query);
    }
    const tagged = filters.indicator === undefined ? undefined : JSON.stringify(await this.tags.subjectsTagged(groupId, 'thread', filters.indicator));
    const rows = query.all({
      groupId,
      userId,
      categoryId: filters.categoryId,
      tag: filters.tag,
      tagged,
      cPinned: cursor?.pinned ?? 2,
      cAt: cursor?.at ?? Number.MAX_SAFE_INTEGER,
      cId: cursor?.id ?? '\uffff',
      limit,
    });
    const codes = this.tags.tagsOfNow('thread', rows.map((row) => row.thread.id));
    return rows.map((row) => ({ ...row.thread, indicatorCodes: codes.get(row.thread.id) ?? [], author: row.author as AuthorRow, lastReadSeq: row.lastReadSeq ?? 0, watchLevel: (row.watchLevel ?? 'normal') as WatchLevel }));
  }

  /** Synchronous: the live events of a write carry the thread as that write left it (its tags included). */
  threadForViewer(threadId: string, userId: string): ThreadListRow | undefined {
    const row = this.threadForViewerQuery.get({ threadId, userId });
    const codes = row ? this.tags.tagsOfNow('thread', [threadId]).get(threadId) ?? [] : [];
    return row && { ...row.thread, indicatorCodes: codes, author: row.author as AuthorRow, lastReadSeq: row.lastReadSeq ?? 0, watchLevel: (row.watchLevel ?? 'normal') as WatchLevel };
  }

  /** The first post after the reader's position (any state: the client scrolls to it). */
  async firstPostAfter(threadId: string, seq: number): Promise<string | null> {
    return this.firstAfter.get({ threadId, seq })?.id ?? null;
  }

  /** Starts a thread with its opening post. Runs inside the caller's group-commit piece, like appendPost. */
  insertThread(input: {
    groupId: string;
    categoryId: string;
    author: { id: string; countryId: string | null };
    title: string;
    tags: string[];
    source: string;
    rendered: Rendered;
    now: Date;
    /** The subject whose discussion this is (a discrepancy case): kept out of the lists and the search index. */
    subject?: { kind: string; id: string };
  }): { threadId: string; postId: string } {
    const threadId = newId();
    const postId = newId();
    const { now } = input;
    const { db } = this;
    db.insert(threads)
      .values({
        id: threadId,
        groupId: input.groupId,
        categoryId: input.categoryId,
        authorId: input.author.id,
        title: input.title,
        tags: input.tags,
        lastSeq: 1,
        replyCount: 0,
        participatingCountries: input.author.countryId ? [input.author.countryId] : [],
        createdAt: now,
        lastActivityAt: now,
        subjectKind: input.subject?.kind ?? null,
        subjectId: input.subject?.id ?? null,
      })
      .run();
    db.insert(posts)
      .values({ id: postId, threadId, seq: 1, parentId: null, depth: 0, path: pathSegment(1), authorId: input.author.id, source: input.source, html: input.rendered.html, text: input.rendered.text, createdAt: now })
      .run();
    this.indexPost(postId, input.title, input.rendered.text);
    this.forgetThreadLists();
    this.write.watch.run(threadId, input.author.id);
    this.write.readUpTo.run(input.author.id, threadId, 1);
    return { threadId, postId };
  }

  /**
   * Appends a post. Runs inside the caller's group-commit piece (one immediate transaction, where
   * the caller also stores the post's events and notifications): the thread's lastSeq is read and
   * bumped in it, so seqs never collide.
   */
  appendPost(commit: PendingCommit, input: {
    threadId: string;
    parent: { id: string; path: string; depth: number };
    author: { id: string; countryId: string | null };
    source: string;
    rendered: Rendered;
    now: Date;
  }): { postId: string; seq: number; thread: { replyCount: number; participatingCountries: string[] } } {
    const postId = newTimeOrderedId(input.now.getTime());
    const { now } = input;
    const { write } = this;
    const thread = write.threadCounters.get(input.threadId)!;
    const seq = thread.lastSeq + 1;
    write.insertPost.run(postId, input.threadId, seq, input.parent.id, input.parent.depth + 1, input.parent.path + pathSegment(seq), input.author.id, input.source, input.rendered.html, input.rendered.text, now.getTime());
    this.indexPost(postId, '', input.rendered.text);
    const country = input.author.countryId;
    const known = JSON.parse(thread.countries) as string[];
    const countries = country && !known.includes(country) ? [...known, country].sort() : known;
    write.threadAfterPost.run(seq, now.getTime(), JSON.stringify(countries), input.threadId);
    this.movedToFront(input.threadId, seq, now.getTime());
    this.threadChanged(input.threadId);
    write.watch.run(input.threadId, input.author.id);
    // The author now watches the thread unless they chose a level: a cached list without them is stale
    // (and one read later in this batch would hold this uncommitted row should the post roll back).
    const watchKey = `t:${input.threadId}`;
    if (this.watchLists.get(watchKey)?.has(input.author.id) === false) this.watchLists.delete(watchKey);
    commit.afterRollback(() => {
      this.watchLists.delete(watchKey);
      this.forgetThreadLists();
    });
    // Writing a post means having read up to it.
    write.readUpTo.run(input.author.id, input.threadId, seq);
    // The thread's counters as this post left them, for its "activity" event: no second read.
    return { postId, seq, thread: { replyCount: thread.replyCount + 1, participatingCountries: countries } };
  }

  /** Synchronous, like the other writes here, so a route can run it in the group-commit piece that also stores its live events. */
  updateThread(threadId: string, changes: Partial<Pick<ThreadRow, 'title' | 'tags' | 'pinned' | 'locked' | 'categoryId'>>): void {
    this.db.transaction((tx) => {
      tx.update(threads)
        .set({ ...changes, version: sql`${threads.version} + 1` })
        .where(eq(threads.id, threadId))
        .run();
      this.threadChanged(threadId);
      this.forgetThreadLists();
      if (changes.title !== undefined) {
        const opening = tx.select({ id: posts.id, text: posts.text, state: posts.state }).from(posts).where(and(eq(posts.threadId, threadId), eq(posts.seq, 1))).get();
        if (opening) this.reindexPost(opening.id, changes.title, opening.state === 'withdrawn' ? '' : opening.text);
      }
    });
  }

  /** The thread, read now (scheduled jobs and other features' writes, inside a piece). */
  threadNow(id: string): ThreadRow | undefined {
    return this.threadById.get({ id });
  }

  /**
   * Pins (or, with null, unpins) an outcome at the top of the thread; `concluded` marks the thread
   * concluded (true), not concluded (false), or leaves it as it is (undefined). The page's version moves.
   */
  setOutcome(threadId: string, outcome: ThreadRow['outcome'], concluded: boolean | undefined, now: Date): void {
    this.db.transaction((tx) => {
      tx.update(threads)
        .set({ outcome, ...(concluded === undefined ? {} : { concludedAt: concluded ? now : null }), version: sql`${threads.version} + 1` })
        .where(eq(threads.id, threadId))
        .run();
      this.threadChanged(threadId);
      this.forgetThreadLists();
    });
  }

  /** Who wrote the thread's posts still shown, once each. */
  postAuthorIdsNow(threadId: string): string[] {
    return this.db
      .selectDistinct({ id: posts.authorId })
      .from(posts)
      .where(and(eq(posts.threadId, threadId), eq(posts.state, 'visible')))
      .all()
      .map((row) => row.id);
  }

  // ---------------------------------------------------------------- posts

  findPost(id: string): PostRow | undefined {
    const row = this.postById.get({ id });
    return row && toPostRow(row);
  }

  /** As openingPost, inside a piece. */
  openingPostNow(threadId: string) {
    return this.openingPostQuery.get({ threadId });
  }

  /** The thread's first post: what a reply "to the thread" answers. */
  async openingPost(threadId: string) {
    return this.openingPostQuery.get({ threadId });
  }

  /**
   * Where a tree page resumes: the path of the thread's post `seq`, or undefined when the thread
   * has none. Paths grow by 6 characters a level, so cursors carry the seq and not the path.
   */
  async pathOfPost(threadId: string, seq: number): Promise<string | undefined> {
    return this.pathBySeq.get({ threadId, seq })?.path;
  }

  /** One page of a thread, in tree (path) or chronological (seq) order, after the cursor. */
  async postPage(threadId: string, view: 'tree' | 'chronological', after: string | null, limit: number): Promise<PostRow[]> {
    const rows =
      view === 'tree'
        ? this.postPageByPath.all({ threadId, after: after ?? '', limit })
        : this.postPageBySeq.all({ threadId, after: after === null ? 0 : Number(after), limit });
    return rows.map(toPostRow);
  }

  async agreedPostIds(userId: string, threadId: string): Promise<Set<string>> {
    return new Set(this.agreedInThread.all({ userId, threadId }).map((row) => row.postId));
  }

  editPost(post: PostRecord, editorId: string, source: string, rendered: Rendered, now: Date): void {
    this.db.transaction((tx) => {
      // The text being replaced is read here, not taken from \`post\`: another edit of the same post
      // may have committed since it was loaded, and its text must become a revision too.
      const current = tx
        .select({ source: posts.source, html: posts.html, revisionCount: posts.revisionCount, editedAt: posts.editedAt, createdAt: posts.createdAt })
        .from(posts)
        .where(eq(posts.id, post.id))
        .get() ?? post;
      tx.insert(postRevisions)
        .values({ postId: post.id, number: current.revisionCount + 1, source: current.source, html: current.html, editorId, writtenAt: current.editedAt ?? current.createdAt })
        .run();
      tx.update(posts)
        .set({ source, html: rendered.html, text: rendered.text, editedAt: now, revisionCount: sql`${posts.revisionCount} + 1` })
        .where(eq(posts.id, post.id))
        .run();
      const title = post.seq === 1 ? (tx.select({ title: threads.title }).from(threads).where(eq(threads.id, post.threadId)).get()?.title ?? '') : '';
      this.reindexPost(post.id, title, rendered.text);
      this.bumpVersion(tx, post.threadId);
    });
  }

  async revisions(postId: string) {
    return this.db.select().from(postRevisions).where(eq(postRevisions.postId, postId)).orderBy(asc(postRevisions.number)).all();
  }

  setPostState(post: PostRecord, state: PostState, moderation: { reason: string | null; by: string | null }): void {
    this.db.transaction((tx) => {
      tx.update(posts).set({ state, hiddenReason: moderation.reason, hiddenBy: moderation.by }).where(eq(posts.id, post.id)).run();
      // Withdrawn text is found by nobody, so it leaves the index; the title stays findable through the opening post.
      if (state === 'withdrawn') {
        if (post.seq === 1) {
          const title = tx.select({ title: threads.title }).from(threads).where(eq(threads.id, post.threadId)).get()?.title ?? '';
          this.reindexPost(post.id, title, '');
        } else {
          this.write.unindexPost.run(post.id);
        }
      }
      this.bumpVersion(tx, post.threadId);
    });
  }

  /** Returns the new count, or null when nothing changed (already agreed / not agreed). */
  setAgreement(post: PostRecord, userId: string, agree: boolean, now: Date): number {
    return this.db.transaction((tx) => {
      const changed = agree
        ? tx.insert(postAgreements).values({ postId: post.id, userId, createdAt: now }).onConflictDoNothing().run().changes
        : tx.delete(postAgreements).where(and(eq(postAgreements.postId, post.id), eq(postAgreements.userId, userId))).run().changes;
      if (changed > 0) {
        tx.update(posts).set({ agreeCount: sql`${posts.agreeCount} + ${agree ? 1 : -1}` }).where(eq(posts.id, post.id)).run();
        this.bumpVersion(tx, post.threadId);
      }
      return tx.select({ n: posts.agreeCount }).from(posts).where(eq(posts.id, post.id)).get()!.n;
    });
  }

  async agreements(postId: string, groupId: string): Promise<AuthorRow[]> {
    return this.db
      .select(authorColumns)
      .from(postAgreements)
      .innerJoin(users, eq(users.id, postAgreements.userId))
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.groupId, groupId)))
      .where(eq(postAgreements.postId, postId))
      .orderBy(asc(postAgreements.createdAt))
      .all();
  }

  // ---------------------------------------------------------------- reading and watching

  async lastReadSeq(userId: string, threadId: string): Promise<number> {
    return this.readPosition.get({ userId, threadId })?.seq ?? 0;
  }

  /** Moves the reader's position forward only; returns the position. In the caller's unit of work. */
  markReadWithin(tx: PendingCommit, userId: string, threadId: string, seq: number): number {
    this.db
      .insert(readPositions)
      .values({ userId, threadId, lastReadSeq: seq })
      .onConflictDoUpdate({ target: [readPositions.userId, readPositions.threadId], set: { lastReadSeq: sql`max(${readPositions.lastReadSeq}, excluded.last_read_seq)` } })
      .run();
    this.readingChanged(userId);
    tx.afterRollback(() => this.readingChanged(userId));
    return this.readPosition.get({ userId, threadId })?.seq ?? 0;
  }

  markAllReadWithin(tx: PendingCommit, userId: string, groupId: string, categoryId: string | undefined): void {
    const category = categoryId === undefined ? sql`` : sql` and category_id = ${categoryId}`;
    this.db.run(sql`
      insert into read_positions (user_id, thread_id, last_read_seq)
      select ${userId}, id, last_seq from threads where group_id = ${groupId}${category}
      on conflict (user_id, thread_id) do update set last_read_seq = max(last_read_seq, excluded.last_read_seq)`);
    this.readingChanged(userId);
    tx.afterRollback(() => this.readingChanged(userId));
  }

  setThreadWatchWithin(tx: PendingCommit, threadId: string, userId: string, level: WatchLevel): void {
    this.db
      .insert(threadWatches)
      .values({ threadId, userId, level })
      .onConflictDoUpdate({ target: [threadWatches.threadId, threadWatches.userId], set: { level } })
      .run();
    this.watchChanged(userId, threadId, null);
    tx.afterRollback(() => this.watchChanged(userId, threadId, null));
  }

  // ------------------------------------------------- what other processes changed (the cache registry)

  /** The person read something: their unread answer is worked out again. */
  readingChanged(userId: string): void {
    this.unreadAnswers.delete(userId);
  }

  /** The person set a watch level on a thread or a category. */
  watchChanged(userId: string, threadId: string | null, categoryId: string | null): void {
    this.unreadAnswers.delete(userId);
    if (threadId !== null) this.watchLists.delete(`t:${threadId}`);
    if (categoryId !== null) this.watchLists.delete(`c:${categoryId}`);
  }

  /**
   * Another process changed the thread (a post, an edit, a moderation, an agreement, its title):
   * its version is read again (so are its pages and ETags, which are keyed by it), and so are its
   * watchers (an author starts watching) and the group lists behind the unread answers.
   */
  threadChangedElsewhere(threadId: string): void {
    this.threadChanged(threadId);
    this.watchLists.delete(`t:${threadId}`);
    this.forgetThreadLists();
  }

  /** Another process created a thread or moved one in the lists. */
  threadListsChangedElsewhere(): void {
    this.forgetThreadLists();
  }

  /** Explicit levels for a thread and its category: who watches, who muted. */
  watchLevels(threadId: string | null, categoryId: string): { thread: ReadonlyMap<string, WatchLevel>; category: ReadonlyMap<string, WatchLevel> } {
    return { thread: threadId ? this.watchLists.memo(`t:${threadId}`) : new Map(), category: this.watchLists.memo(`c:${categoryId}`) };
  }

  /**
   * The threads of the group with posts after the reader's position, leaving out those they muted
   * (the thread's own level, else its category's): how many, and the most recently active few.
   */
  unreadThreads(groupId: string, userId: string, limit: number): UnreadThreads {
    const known = this.unreadAnswers.get(userId);
    if (known && known.epoch === this.threadsEpoch && known.groupId === groupId && known.limit === limit) return known.answer;
    const epoch = this.threadsEpoch;
    const answer = this.countUnreadThreads(groupId, userId, limit);
    this.unreadAnswers.set(userId, { epoch, groupId, limit, answer });
    return answer;
  }

  private countUnreadThreads(groupId: string, userId: string, limit: number): UnreadThreads {
    const { home } = this;
    const read = new Map(home.readPositions.all(userId));
    const mutedThreads = new Set(home.mutedThreads.all(userId));
    const mutedCategories = new Set(home.mutedCategories.all(userId));
    let count = 0;
    const first: Array<{ id: string; unread: number; lastActivityAt: number }> = [];
    for (const [id, lastSeq, categoryId, lastActivityAt] of this.groupThreads.memo(groupId)) {
      const unread = lastSeq - (read.get(id) ?? 0);
      if (unread <= 0 || mutedThreads.has(id)) continue;
      // A muted category mutes its threads, except those given a level of their own (rare: looked up one by one).
      if (mutedCategories.has(categoryId) && home.threadLevel.get(id, userId) === undefined) continue;
      count += 1;
      if (first.length < limit) first.push({ id, unread, lastActivityAt });
    }
    const titles = new Map(first.length > 0 ? home.titles.all(JSON.stringify(first.map((thread) => thread.id))) : []);
    return { count, items: first.map((thread) => ({ ...thread, title: titles.get(thread.id) ?? '' })) };
  }

  /** The thread of this subject (a discrepancy case), if it has one. */
  subjectThreadNow(subject: { kind: string; id: string }): ThreadRow | undefined {
    return this.subjectThreadQuery.get({ kind: subject.kind, id: subject.id });
  }

  /** How many posts of the thread are not withdrawn. */
  async shownPostCount(threadId: string): Promise<number> {
    return this.shownPosts.count.get({ threadId })?.n ?? 0;
  }

  /** The last `limit` posts of the thread not withdrawn, oldest first, in one query (it was one per post). */
  async latestPosts(threadId: string, limit: number): Promise<Array<{ id: string; seq: number; state: PostRecord['state']; html: string; createdAt: Date; authorId: string; authorName: string }>> {
    return this.shownPosts.latest.all({ threadId, limit }).reverse();
  }

  /** The category a subject's thread is filed under: the group's of this slug, else its first. */
  categoryForSubjectNow(groupId: string, slug: string | undefined): string | undefined {
    this.seedDefaultCategories(groupId);
    const bySlug = slug === undefined ? undefined : this.db.select({ id: categories.id }).from(categories).where(and(eq(categories.groupId, groupId), eq(categories.slug, slug))).get();
    return bySlug?.id ?? this.db.select({ id: categories.id }).from(categories).where(eq(categories.groupId, groupId)).orderBy(asc(categories.position), asc(categories.nameEn)).limit(1).get()?.id;
  }

  /** Active people among these, as a thread's owner judges its readers (role, country, organization). */
  readersAmong(groupId: string, userIds: readonly string[]): Array<{ id: string; groupId: string; role: Role; countryId: string | null; organizationId: string | null }> {
    if (userIds.length === 0) return [];
    return this.db
      .select({ id: users.id, role: memberships.role, countryId: memberships.countryId, organizationId: memberships.organizationId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.groupId, groupId), sql`${users.id} in (select value from json_each(${JSON.stringify(userIds)}))`, isNull(users.deactivatedAt)))
      .all()
      .map((row) => ({ ...row, groupId, role: row.role as Role }));
  }

  /** Active user ids among these, for notifications (deactivated people are not told). */
  activeAmong(groupId: string, userIds: string[]): Set<string> {
    if (userIds.length === 0) return new Set();
    return new Set(this.activeUsers.all(groupId, JSON.stringify(userIds)));
  }
}

function toPostRow(row: { post: PostRecord; author: unknown; parentAuthorName: string | null; parentSeq: number | null }): PostRow {
  return { ...row.post, author: row.author as AuthorRow, parentAuthorName: row.parentAuthorName, parentSeq: row.parentSeq };
}
