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
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../plugins/database.js';
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
import { Fills } from './fills.js';
import { eachEngine, POST_SELECT, THREAD_COLUMNS, THREAD_FOR_READER_SELECT, toPostRow, toThread, toThreadForReader, type RawPostRow, type RawThread, type RawThreadForReader } from './rows.js';

/** What the threads need of the indicator catalogue: their tags (subject kind 'thread'). */
export type ThreadTags = Pick<IndicatorsService, 'tagsOf' | 'subjectsTagged'>;

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

/** Seq as 6 base-36 digits: fixed width, so string order is numeric order (up to 2 billion posts per thread). */
export const pathSegment = (seq: number) => seq.toString(36).padStart(6, '0');

// A function, not a constant: the columns are those of the tables bound to the process's engine
// when the query is built (server/plugins/engine-tables.ts), not those bound when this module loaded.
const authorColumns = () => ({
  id: users.id,
  displayName: users.displayName,
  handle: users.handle,
  role: memberships.role,
  countryId: memberships.countryId,
  organizationId: memberships.organizationId,
});

/**
 * Threads by id, in the order asked (a notice's, a notification list's subjects; titles of the
 * group's own threads). A CROSS JOIN,
 * which SQLite never reorders: each asked id is looked up by the key. With a plain join SQLite
 * walked the group's threads and scanned the asked ids for each, every thread of the forum read
 * to describe one.
 */
export const THREAD_TITLES_SQL = 'select t.id, t.title from json_each(?) j cross join threads t on t.id = j.value where t.group_id = ? and t.subject_kind is null order by j.key';
export const THREAD_CARDS_SQL =
  "select t.id, t.title, json_extract(t.outcome, '$.excerpt') as excerpt, t.concluded_at is not null as concluded, t.subject_kind as \"subjectKind\", t.subject_id as \"subjectId\" from json_each(?) j cross join threads t on t.id = j.value where t.group_id = ? order by j.key";
/** PostgreSQL's: the ids' positions from `with ordinality` (it has no CROSS JOIN ... ON, and plans the join itself). */
const THREAD_TITLES_PG = 'select t.id, t.title from jsonb_array_elements_text(?::jsonb) with ordinality j(value, n) join threads t on t.id = j.value where t.group_id = ? and t.subject_kind is null order by j.n';
const THREAD_CARDS_PG =
  "select t.id, t.title, t.outcome->>'excerpt' as excerpt, t.concluded_at is not null as concluded, t.subject_kind as \"subjectKind\", t.subject_id as \"subjectId\" from jsonb_array_elements_text(?::jsonb) with ordinality j(value, n) join threads t on t.id = j.value where t.group_id = ? order by j.n";

/** A thread of a group as the home page counts it: id, last seq, category, last activity. */
type GroupThread = [id: string, lastSeq: number, categoryId: string, lastActivityAt: number];

type ThreadListShape = { category: boolean; tag: boolean; indicator: boolean };

/**
 * The thread list's statement for one combination of filters, on each engine, and the order of its
 * parameters. Subjects' threads (a discrepancy case's) are reached from their subject, never listed.
 * Keyset on (pinned, lastActivityAt, id), all descending; the first page passes a cursor above every row.
 */
function threadListText(shape: ThreadListShape): { text: ReturnType<typeof eachEngine>; params: Array<'categoryId' | 'tag' | 'tagged'> } {
  const params: Array<'categoryId' | 'tag' | 'tagged'> = [];
  const sqlite = ['t.group_id = ?', 't.subject_kind is null'];
  const postgres = [...sqlite];
  if (shape.category) {
    sqlite.push('t.category_id = ?');
    postgres.push('t.category_id = ?');
    params.push('categoryId');
  }
  if (shape.tag) {
    sqlite.push('exists (select 1 from json_each(t.tags) where value = ?)');
    postgres.push('exists (select 1 from jsonb_array_elements_text(t.tags) tag where tag = ?)');
    params.push('tag');
  }
  // The threads tagged with the indicator, found in the catalogue's index (fastify.indicators).
  if (shape.indicator) {
    sqlite.push('t.id in (select value from json_each(?))');
    postgres.push('t.id in (select jsonb_array_elements_text(?::jsonb))');
    params.push('tagged');
  }
  // PostgreSQL's pinned is a boolean, and the cursor's 2 stands above both.
  sqlite.push('(t.pinned < ? or (t.pinned = ? and (t.last_activity_at < ? or (t.last_activity_at = ? and t.id < ?))))');
  postgres.push('(t.pinned::int < ? or (t.pinned::int = ? and (t.last_activity_at < ? or (t.last_activity_at = ? and t.id < ?))))');
  const tail = 'order by t.pinned desc, t.last_activity_at desc, t.id desc limit ?';
  return { text: eachEngine(`${THREAD_FOR_READER_SELECT} where ${sqlite.join(' and ')} ${tail}`, `${THREAD_FOR_READER_SELECT} where ${postgres.join(' and ')} ${tail}`), params };
}

export class DebatesRepository {
  private readonly seeded = new Set<string>();
  private readonly versions = new LRUCache<string, ThreadVersion>({ max: 10_000 });
  private readonly versionFills = new Fills<string, ThreadVersion | undefined>(
    (id) => this.threadVersion.get(id),
    (id, version) => {
      if (version !== undefined) this.versions.set(id, version);
    },
  );
  /**
   * Explicit watch levels per thread ("t:<id>") and per category ("c:<id>"), asked for every post
   * (a busy thread has dozens of watchers). Only this repository writes watches, and each write
   * forgets the list it changes.
   */
  private readonly watchLists = new LRUCache<string, ReadonlyMap<string, WatchLevel>>({ max: 5_000 });
  private readonly watchListFills = new Fills<string, ReadonlyMap<string, WatchLevel>>(
    async (key) => {
      const rows = await (key.startsWith('t:') ? this.watchesOfThread : this.watchesOfCategory).all(key.slice(2));
      return new Map(rows.map((row) => [row.userId, row.level]));
    },
    (key, list) => this.watchLists.set(key, list),
  );
  private readonly threadListQueries = new Map<string, ReturnType<typeof threadListText> & { statement: ReturnType<Database['statement']> }>();
  /**
   * Each group's threads as the home page counts them (id, last seq, category, last activity),
   * latest activity first: every look at a home page walks them. Only this repository writes
   * threads: a post moves its thread to the front in place (reading and sorting 2,000 threads again
   * after every post cost a few milliseconds per look), a new thread or a moved one forgets the list.
   */
  private readonly groupThreads = new LRUCache<string, GroupThread[]>({ max: 100 });
  private readonly groupThreadFills = new Fills<string, GroupThread[]>(
    async (groupId) => (await this.home.threadsOfGroup.all(groupId)).map((row): GroupThread => [row.id, row.lastSeq, row.categoryId, row.lastActivityAt]),
    (groupId, list) => this.groupThreads.set(groupId, list),
  );
  /**
   * unreadThreads' answers per person, kept while nothing they depend on changed: no thread moved
   * (threadsEpoch, moved by every post) and the person read or watched nothing (their entry is
   * forgotten by markRead, markAllRead and the watch settings).
   */
  private threadsEpoch = 0;
  private readonly unreadAnswers = new LRUCache<string, { epoch: number; groupId: string; limit: number; answer: UnreadThreads }>({ max: 5_000 });
  /** The answer being worked out per person: one the person's reading or watching overtook is not kept. */
  private readonly unreadReads = new Map<string, symbol>();

  // (The statements below are fields that read the constructor's `database`: with
  // useDefineForClassFields off, field initializers run after parameter properties are set.)
  // The post-creation path runs these for every post, inside the write transaction: raw
  // statements with positional parameters, prepared once. drizzle's per-call mapping of
  // placeholders cost about as much as the statements themselves.
  private readonly write = {
    // Read to be bumped: on PostgreSQL the row is held to the commit, so replies at once take turns
    // rather than the same seq (SQLite's one writer at a time orders them already).
    threadCounters: this.database.statement<[string], { lastSeq: number; replyCount: number; countries: string; groupId: string }>({
      sqlite: 'select last_seq as "lastSeq", reply_count as "replyCount", participating_countries as countries, group_id as "groupId" from threads where id = ?',
      postgres: 'select last_seq as "lastSeq", reply_count as "replyCount", participating_countries as countries, group_id as "groupId" from threads where id = $1 for no key update',
    }),
    insertPost: this.database.statement<[id: string, threadId: string, seq: number, parentId: string, depth: number, path: string, authorId: string, source: string, html: string, text: string, createdAt: number]>(
      'insert into posts (id, thread_id, seq, parent_id, depth, path, author_id, source, html, text, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    // The countries are bound as the JSON text the column stores.
    threadAfterPost: this.database.statement<[seq: number, at: number, countries: string, threadId: string]>(
      'update threads set last_seq = ?, reply_count = reply_count + 1, last_activity_at = ?, version = version + 1, participating_countries = ? where id = ?',
    ),
    watch: this.database.statement<[threadId: string, userId: string]>("insert into thread_watches (thread_id, user_id, level) values (?, ?, 'watching') on conflict do nothing"),
    // A read position only moves forward: SQLite's scalar max is PostgreSQL's greatest.
    readUpTo: this.database.statement<[userId: string, threadId: string, seq: number]>(
      eachEngine(
        'insert into read_positions (user_id, thread_id, last_read_seq) values (?, ?, ?) on conflict (user_id, thread_id) do update set last_read_seq = max(last_read_seq, excluded.last_read_seq)',
        'insert into read_positions (user_id, thread_id, last_read_seq) values (?, ?, ?) on conflict (user_id, thread_id) do update set last_read_seq = greatest(read_positions.last_read_seq, excluded.last_read_seq)',
      ),
    ),
    // SQLite's one writer at a time orders the edits already.
    lockPost: this.database.statement<[postId: string]>({ sqlite: 'select 1 from posts where id = ?', postgres: 'select 1 from posts where id = $1 for no key update' }),
    // The search index: FTS5's rowid is the post's; PostgreSQL's row (full_text.posts) is keyed by the
    // post's id, its words weighed as bm25 weighs the columns (title and body above the stems).
    indexPost: this.database.statement<[title: string, body: string, stems: string, postId: string]>({
      sqlite: 'insert into search_index (rowid, title, body, stems) select rowid, ?, ?, ? from posts where id = ?',
      postgres: `insert into full_text.posts (post_id, title, body, stems, terms)
        select id, $1::text, $2::text, $3::text, full_text.terms(array[$1, $2, $3], '{A,A,D}') from posts where id = $4
        on conflict (post_id) do update set title = excluded.title, body = excluded.body, stems = excluded.stems, terms = excluded.terms`,
    }),
    unindexPost: this.database.statement<[postId: string]>({
      sqlite: 'delete from search_index where rowid = (select rowid from posts where id = ?)',
      postgres: 'delete from full_text.posts where post_id = $1',
    }),
  };
  // Asked for every post, returning every watcher of a busy thread.
  private readonly watchesOfThread = this.database.statement<[string], { userId: string; level: WatchLevel }>('select user_id as "userId", level from thread_watches where thread_id = ?');
  private readonly watchesOfCategory = this.database.statement<[string], { userId: string; level: WatchLevel }>('select user_id as "userId", level from category_watches where category_id = ?');
  // Variable-length id lists travel as one JSON array, so the statement stays prepared.
  private readonly countryMembers = this.database.statement<[groupId: string, countries: string], { id: string }>(
    eachEngine(
      "select u.id from memberships m join users u on u.id = m.user_id where m.group_id = ? and m.role = 'member' and m.country_id in (select value from json_each(?)) and u.deactivated_at is null",
      "select u.id from memberships m join users u on u.id = m.user_id where m.group_id = ? and m.role = 'member' and m.country_id in (select jsonb_array_elements_text(?::jsonb)) and u.deactivated_at is null",
    ),
  );
  // Once per post, inside its write, the ids as one JSON array.
  private readonly activeUsers = this.database.statement<[groupId: string, ids: string], { id: string }>(
    eachEngine(
      'select users.id from users join memberships on memberships.user_id = users.id and memberships.group_id = ? where users.id in (select value from json_each(?)) and users.deactivated_at is null',
      'select users.id from users join memberships on memberships.user_id = users.id and memberships.group_id = ? where users.id in (select jsonb_array_elements_text(?::jsonb)) and users.deactivated_at is null',
    ),
  );
  // The home page's "unread debates" (unreadThreads).
  private readonly home = {
    threadsOfGroup: this.database.statement<[string], { id: string; lastSeq: number; categoryId: string; lastActivityAt: number }>(
      // A thread of another feature's subject (a discrepancy case's) is not the group's to count.
      'select id, last_seq as "lastSeq", category_id as "categoryId", last_activity_at as "lastActivityAt" from threads where group_id = ? and subject_kind is null order by last_activity_at desc, id desc',
    ),
    readPositions: this.database.statement<[string], { threadId: string; seq: number }>('select thread_id as "threadId", last_read_seq as seq from read_positions where user_id = ?'),
    mutedThreads: this.database.statement<[string], { id: string }>("select thread_id as id from thread_watches where user_id = ? and level = 'muted'"),
    mutedCategories: this.database.statement<[string], { id: string }>("select category_id as id from category_watches where user_id = ? and level = 'muted'"),
    threadLevel: this.database.statement<[threadId: string, userId: string], { level: WatchLevel }>('select level from thread_watches where thread_id = ? and user_id = ?'),
    titles: this.database.statement<[string], { id: string; title: string }>(
      eachEngine('select t.id, t.title from json_each(?) j join threads t on t.id = j.value', 'select t.id, t.title from jsonb_array_elements_text(?::jsonb) j(value) join threads t on t.id = j.value'),
    ),
    titlesInGroup: this.database.statement<[ids: string, groupId: string], { id: string; title: string }>(eachEngine(THREAD_TITLES_SQL, THREAD_TITLES_PG)),
    cardsInGroup: this.database.statement<[ids: string, groupId: string], { id: string; title: string; excerpt: string | null; concluded: 0 | 1; subjectKind: string | null; subjectId: string | null }>(
      eachEngine(THREAD_CARDS_SQL, THREAD_CARDS_PG),
    ),
  };
  // Every thread page request and revalidation starts here.
  private readonly threadVersion = this.database.statement<[string], ThreadVersion>('select version, group_id as "groupId", subject_kind as "subjectKind", subject_id as "subjectId" from threads where id = ?');
  private readonly threadById = this.database.statement<[string], RawThread>(`select ${THREAD_COLUMNS} from threads t where t.id = ?`);
  /** A subject's (a discrepancy case's) page asks for its thread and latest posts on every request. */
  private readonly subjectThreadQuery = this.database.statement<[kind: string, id: string], RawThread>(`select ${THREAD_COLUMNS} from threads t where t.subject_kind = ? and t.subject_id = ?`);
  private readonly threadForReader = this.database.statement<[userId: string, userId: string, threadId: string], RawThreadForReader>(`${THREAD_FOR_READER_SELECT} where t.id = ?`);
  private readonly firstAfter = this.database.statement<[threadId: string, seq: number], { id: string }>('select id from posts where thread_id = ? and seq > ? order by seq limit 1');
  private readonly postPageByPath = this.database.statement<[threadId: string, after: string, limit: number], RawPostRow>(`${POST_SELECT} where p.thread_id = ? and p.path > ? order by p.path limit ?`);
  private readonly postPageBySeq = this.database.statement<[threadId: string, after: number, limit: number], RawPostRow>(`${POST_SELECT} where p.thread_id = ? and p.seq > ? order by p.seq limit ?`);
  private readonly pathBySeq = this.database.statement<[threadId: string, seq: number], { path: string }>('select path from posts where thread_id = ? and seq = ?');
  private readonly postById = this.database.statement<[string], RawPostRow>(`${POST_SELECT} where p.id = ?`);
  private readonly shownPosts = {
    count: this.database.statement<[threadId: string], { n: number }>("select count(*) as n from posts where thread_id = ? and state <> 'withdrawn'"),
    // Only what a subject's page shows of a post: not its source and plain text beside its HTML.
    latest: this.database.statement<[threadId: string, limit: number], { id: string; seq: number; state: PostRecord['state']; html: string; createdAt: number; authorId: string; authorName: string }>(
      `select p.id, p.seq, p.state, p.html, p.created_at as "createdAt", u.id as "authorId", u.display_name as "authorName"
        from posts p join users u on u.id = p.author_id
        where p.thread_id = ? and p.state <> 'withdrawn' order by p.seq desc limit ?`,
    ),
  };
  private readonly openingPostQuery = this.database.statement<[threadId: string], { id: string; path: string; depth: number; authorId: string; state: PostState; threadId: string }>(
    'select id, path, depth, author_id as "authorId", state, thread_id as "threadId" from posts where thread_id = ? and seq = 1',
  );
  private readonly readPosition = this.database.statement<[userId: string, threadId: string], { seq: number }>('select last_read_seq as seq from read_positions where user_id = ? and thread_id = ?');
  private readonly agreedInThread = this.database.statement<[userId: string, threadId: string], { postId: string }>(
    'select a.post_id as "postId" from post_agreements a join posts p on p.id = a.post_id where a.user_id = ? and p.thread_id = ?',
  );
  private readonly markAllRead = {
    // Only forward, as readUpTo.
    inGroup: this.database.statement<[userId: string, groupId: string]>(
      eachEngine(
        'insert into read_positions (user_id, thread_id, last_read_seq) select ?, id, last_seq from threads where group_id = ? on conflict (user_id, thread_id) do update set last_read_seq = max(last_read_seq, excluded.last_read_seq)',
        'insert into read_positions (user_id, thread_id, last_read_seq) select ?::text, id, last_seq from threads where group_id = ? on conflict (user_id, thread_id) do update set last_read_seq = greatest(read_positions.last_read_seq, excluded.last_read_seq)',
      ),
    ),
    inCategory: this.database.statement<[userId: string, groupId: string, categoryId: string]>(
      eachEngine(
        'insert into read_positions (user_id, thread_id, last_read_seq) select ?, id, last_seq from threads where group_id = ? and category_id = ? on conflict (user_id, thread_id) do update set last_read_seq = max(last_read_seq, excluded.last_read_seq)',
        'insert into read_positions (user_id, thread_id, last_read_seq) select ?::text, id, last_seq from threads where group_id = ? and category_id = ? on conflict (user_id, thread_id) do update set last_read_seq = greatest(read_positions.last_read_seq, excluded.last_read_seq)',
      ),
    ),
  };

  constructor(
    private readonly database: Database,
    private readonly tags: ThreadTags,
  ) {}

  // ---------------------------------------------------------------- categories

  /** Idempotent: creates the default categories a group lacks (new groups, and groups older than debates). */
  async ensureDefaultCategories(groupId: string, now = new Date()): Promise<void> {
    await this.seedDefaultCategories(groupId, now);
  }

  /**
   * Seeds only an empty group: once admins have edited or removed categories, their choice stands.
   * The categories go in one statement; two seeds at once insert them once (the slug is unique in a group).
   */
  private async seedDefaultCategories(groupId: string, now = new Date()): Promise<void> {
    if (this.seeded.has(groupId)) return;
    const { orm } = this.database;
    const [existing] = await orm.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(categories).where(eq(categories.groupId, groupId));
    if (existing!.n === 0) {
      await orm
        .insert(categories)
        .values(DEFAULT_CATEGORIES.map((category, position) => ({ ...category, id: newId(), groupId, position, createdAt: now })))
        .onConflictDoNothing();
    }
    this.seeded.add(groupId);
  }

  /** Seeds every group that has no categories yet: groups set up before debates existed. */
  async ensureDefaultCategoriesForAllGroups(): Promise<void> {
    for (const group of await this.database.orm.select({ id: groups.id }).from(groups)) await this.seedDefaultCategories(group.id);
  }

  async listCategories(groupId: string, userId: string) {
    await this.seedDefaultCategories(groupId);
    const rows = await this.database.orm
      .select({
        category: categories,
        threadCount: sql<number>`(select count(*) from ${threads} where ${threads.categoryId} = ${categories.id} and ${threads.subjectKind} is null)`.mapWith(Number),
        watchLevel: categoryWatches.level,
      })
      .from(categories)
      .leftJoin(categoryWatches, and(eq(categoryWatches.categoryId, categories.id), eq(categoryWatches.userId, userId)))
      .where(eq(categories.groupId, groupId))
      .orderBy(asc(categories.position), asc(categories.nameEn));
    return rows.map((row) => ({ ...row.category, threadCount: row.threadCount, watchLevel: (row.watchLevel ?? 'normal') as WatchLevel }));
  }

  async findCategory(groupId: string, id: string): Promise<CategoryRow | undefined> {
    await this.seedDefaultCategories(groupId);
    return (await this.database.orm.select().from(categories).where(and(eq(categories.id, id), eq(categories.groupId, groupId))).limit(1))[0];
  }

  async slugTaken(groupId: string, slug: string, exceptId?: string): Promise<boolean> {
    const [row] = await this.database.orm.select({ id: categories.id }).from(categories).where(and(eq(categories.groupId, groupId), eq(categories.slug, slug))).limit(1);
    return row !== undefined && row.id !== exceptId;
  }

  async createCategory(groupId: string, values: Omit<CategoryRow, 'id' | 'groupId' | 'createdAt'>, now = new Date()): Promise<string> {
    const id = newId();
    await this.database.orm.insert(categories).values({ ...values, id, groupId, createdAt: now });
    return id;
  }

  async updateCategory(id: string, changes: Partial<Omit<CategoryRow, 'id' | 'groupId' | 'createdAt'>>): Promise<void> {
    if (Object.keys(changes).length > 0) await this.database.orm.update(categories).set(changes).where(eq(categories.id, id));
  }

  /** In the caller's unit of work (which stores the internal event that tells other processes). */
  async setCategoryWatchWithin(tx: PendingCommit, categoryId: string, userId: string, level: WatchLevel): Promise<void> {
    await this.database.orm
      .insert(categoryWatches)
      .values({ categoryId, userId, level })
      .onConflictDoUpdate({ target: [categoryWatches.categoryId, categoryWatches.userId], set: { level } });
    this.watchChanged(userId, null, categoryId);
    this.onSettled(tx, () => this.watchChanged(userId, null, categoryId));
  }

  // ---------------------------------------------------------------- people, for notifications

  /** Active people of the group who speak for these countries (members), for @CL mentions. */
  async membersOfCountries(groupId: string, countryIds: string[]): Promise<string[]> {
    if (countryIds.length === 0) return [];
    return (await this.countryMembers.all(groupId, JSON.stringify(countryIds))).map((row) => row.id);
  }

  async author(groupId: string, userId: string): Promise<AuthorRow | undefined> {
    const [row] = await this.database.orm
      .select(authorColumns())
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.groupId, groupId)))
      .where(eq(users.id, userId))
      .limit(1);
    return row;
  }

  // ---------------------------------------------------------------- threads

  /**
   * Threads of the group's lists among these ids, in the given order (unknown ones and subjects'
   * threads left out): fastify.debates.threadTitles.
   */
  async threadTitles(groupId: string, ids: readonly string[]): Promise<Array<{ id: string; title: string }>> {
    if (ids.length === 0) return [];
    return this.home.titlesInGroup.all(JSON.stringify(ids), groupId);
  }

  /** As threadTitles, with what lists show of each beside its title: its pinned outcome's excerpt and whether it is concluded. */
  async threadCards(groupId: string, ids: readonly string[]): Promise<Array<{ id: string; title: string; excerpt: string | null; concluded: boolean; subjectKind: string | null; subjectId: string | null }>> {
    if (ids.length === 0) return [];
    return (await this.home.cardsInGroup.all(JSON.stringify(ids), groupId)).map((row) => ({ ...row, concluded: row.concluded === 1 }));
  }

  async findThread(id: string): Promise<ThreadRow | undefined> {
    const row = await this.threadById.get(id);
    return row && toThread(row);
  }

  /** Which of these threads are the group's (a person of several groups holds notices about each group's). */
  async threadIdsOfGroup(groupId: string, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.database.orm.select({ id: threads.id }).from(threads).where(and(eq(threads.groupId, groupId), inArray(threads.id, [...ids])));
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Asked on every thread page request, before the page cache: remembered per thread, and forgotten
   * by every write here that moves a thread's version (threadChanged). Only this repository writes
   * threads.version.
   */
  async threadVersionOf(id: string): Promise<ThreadVersion | undefined> {
    return this.versions.get(id) ?? this.versionFills.of(id);
  }

  /** With the write's commit, reads until it commits keep nothing (fills.ts: on PostgreSQL they still see the old row). */
  private threadChanged(threadId: string, commit?: PendingCommit): void {
    this.versions.delete(threadId);
    this.versionFills.forget(threadId, commit);
  }

  /** A thread created or changed (title, category, pin, lock), or a post undone: the group lists are read again. */
  private forgetThreadLists(commit?: PendingCommit): void {
    this.groupThreads.clear();
    this.groupThreadFills.forgetAll(commit);
    this.threadsEpoch += 1;
    // An unread answer worked out before the commit, from rows as they were, is not kept past it.
    if (commit) this.onSettled(commit, () => (this.threadsEpoch += 1));
  }

  /** Once the write's unit of work commits or rolls back: what a read outside it found meanwhile is stale (PostgreSQL). */
  private onSettled(commit: PendingCommit, action: () => void): void {
    commit.afterCommit(action);
    commit.afterRollback(action);
  }

  /** A post in the thread: its entry in the remembered group list takes its new counters and moves to the front. */
  private movedToFront(commit: PendingCommit, groupId: string, threadId: string, lastSeq: number, lastActivityAt: number): void {
    this.threadsEpoch += 1;
    this.onSettled(commit, () => (this.threadsEpoch += 1));
    // A list being read now, or until the commit, was read before this post.
    this.groupThreadFills.forget(groupId, commit);
    const list = this.groupThreads.get(groupId);
    if (!list) return;
    const index = list.findIndex((entry) => entry[0] === threadId);
    if (index < 0) {
      this.groupThreads.delete(groupId);
      return;
    }
    const [entry] = list.splice(index, 1);
    list.unshift([threadId, lastSeq, entry![2], lastActivityAt]);
  }

  /** The post's entry in the search index, replaced (inside the caller's transaction: same connection). */
  private async reindexPost(postId: string, title: string, text: string): Promise<void> {
    await this.write.unindexPost.run(postId);
    await this.indexPost(postId, title, text);
  }

  /** Adds the post's entry to the search index, with the stems of its words (server/shared/full-text.ts). */
  private async indexPost(postId: string, title: string, text: string): Promise<void> {
    await this.write.indexPost.run(title, text, stemText(title, text), postId);
  }

  /** A change to the thread's page made outside this repository (a post's attachments): its version moves. In the caller's unit of work. */
  async touchThread(commit: PendingCommit, threadId: string): Promise<void> {
    await this.bumpVersion(commit, threadId);
  }

  private async bumpVersion(commit: PendingCommit, threadId: string): Promise<void> {
    await this.database.orm.update(threads).set({ version: sql`${threads.version} + 1` }).where(eq(threads.id, threadId));
    this.threadChanged(threadId, commit);
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
      const list = threadListText(shape);
      query = { ...list, statement: this.database.statement(list.text) };
      this.threadListQueries.set(key, query);
    }
    const tagged = filters.indicator === undefined ? undefined : JSON.stringify(await this.tags.subjectsTagged(groupId, 'thread', filters.indicator));
    const values = { categoryId: filters.categoryId, tag: filters.tag, tagged };
    const pinned = cursor?.pinned ?? 2;
    const at = cursor?.at ?? Number.MAX_SAFE_INTEGER;
    const rows = (await query.statement.all(userId, userId, groupId, ...query.params.map((name) => values[name]), pinned, pinned, at, at, cursor?.id ?? '\uffff', limit)) as unknown as RawThreadForReader[];
    const codes = await this.tags.tagsOf('thread', rows.map((row) => row.id));
    return rows.map((row) => toThreadForReader(row, codes.get(row.id) ?? []));
  }

  /** The thread as this reader sees it in a list (`''`: as one who has read nothing); the live events of a write carry it as that write left it (its tags included). */
  async threadForViewer(threadId: string, userId: string): Promise<ThreadListRow | undefined> {
    const row = await this.threadForReader.get(userId, userId, threadId);
    if (!row) return undefined;
    const codes = (await this.tags.tagsOf('thread', [threadId])).get(threadId) ?? [];
    return toThreadForReader(row, codes);
  }

  /** The first post after the reader's position (any state: the client scrolls to it). */
  async firstPostAfter(threadId: string, seq: number): Promise<string | null> {
    return (await this.firstAfter.get(threadId, seq))?.id ?? null;
  }

  /** Starts a thread with its opening post. Runs inside the caller's unit of work, like appendPost. */
  async insertThread(commit: PendingCommit, input: {
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
  }): Promise<{ threadId: string; postId: string }> {
    const threadId = newId();
    const postId = newId();
    const { now } = input;
    const { orm } = this.database;
    await orm.insert(threads).values({
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
    });
    await orm
      .insert(posts)
      .values({ id: postId, threadId, seq: 1, parentId: null, depth: 0, path: pathSegment(1), authorId: input.author.id, source: input.source, html: input.rendered.html, text: input.rendered.text, createdAt: now });
    await this.indexPost(postId, input.title, input.rendered.text);
    this.forgetThreadLists(commit);
    await this.write.watch.run(threadId, input.author.id);
    await this.write.readUpTo.run(input.author.id, threadId, 1);
    return { threadId, postId };
  }

  /**
   * Appends a post. Runs inside the caller's unit of work (where the caller also stores the post's
   * events and notifications): the thread's lastSeq is read and bumped in it, so seqs never collide.
   */
  async appendPost(commit: PendingCommit, input: {
    threadId: string;
    parent: { id: string; path: string; depth: number };
    author: { id: string; countryId: string | null };
    source: string;
    rendered: Rendered;
    now: Date;
  }): Promise<{ postId: string; seq: number; thread: { replyCount: number; participatingCountries: string[] } }> {
    const postId = newTimeOrderedId(input.now.getTime());
    const { now } = input;
    const { write } = this;
    const thread = (await write.threadCounters.get(input.threadId))!;
    const seq = thread.lastSeq + 1;
    await write.insertPost.run(postId, input.threadId, seq, input.parent.id, input.parent.depth + 1, input.parent.path + pathSegment(seq), input.author.id, input.source, input.rendered.html, input.rendered.text, now.getTime());
    await this.indexPost(postId, '', input.rendered.text);
    const country = input.author.countryId;
    const known = JSON.parse(thread.countries) as string[];
    const countries = country && !known.includes(country) ? [...known, country].sort() : known;
    await write.threadAfterPost.run(seq, now.getTime(), JSON.stringify(countries), input.threadId);
    this.movedToFront(commit, thread.groupId, input.threadId, seq, now.getTime());
    this.threadChanged(input.threadId, commit);
    await write.watch.run(input.threadId, input.author.id);
    // The author now watches the thread unless they chose a level: a cached list without them is stale
    // (and one read later in this batch would hold this uncommitted row should the post roll back).
    const watchKey = `t:${input.threadId}`;
    this.watchListFills.forget(watchKey, commit);
    if (this.watchLists.get(watchKey)?.has(input.author.id) === false) this.watchLists.delete(watchKey);
    commit.afterRollback(() => {
      this.forgetWatchList(watchKey);
      this.forgetThreadLists();
    });
    // Writing a post means having read up to it.
    await write.readUpTo.run(input.author.id, input.threadId, seq);
    // The thread's counters as this post left them, for its "activity" event: no second read.
    return { postId, seq, thread: { replyCount: thread.replyCount + 1, participatingCountries: countries } };
  }

  /** In the caller's unit of work, which also stores its live events. */
  async updateThread(commit: PendingCommit, threadId: string, changes: Partial<Pick<ThreadRow, 'title' | 'tags' | 'pinned' | 'locked' | 'categoryId'>>): Promise<void> {
    const { orm } = this.database;
    await orm
      .update(threads)
      .set({ ...changes, version: sql`${threads.version} + 1` })
      .where(eq(threads.id, threadId));
    this.threadChanged(threadId, commit);
    this.forgetThreadLists(commit);
    if (changes.title !== undefined) {
      const [opening] = await orm.select({ id: posts.id, text: posts.text, state: posts.state }).from(posts).where(and(eq(posts.threadId, threadId), eq(posts.seq, 1))).limit(1);
      if (opening) await this.reindexPost(opening.id, changes.title, opening.state === 'withdrawn' ? '' : opening.text);
    }
  }

  /**
   * Pins (or, with null, unpins) an outcome at the top of the thread; `concluded` marks the thread
   * concluded (true), not concluded (false), or leaves it as it is (undefined). The page's version
   * moves. In the caller's unit of work.
   */
  async setOutcome(commit: PendingCommit, threadId: string, outcome: ThreadRow['outcome'], concluded: boolean | undefined, now: Date): Promise<void> {
    await this.database.orm
      .update(threads)
      .set({ outcome, ...(concluded === undefined ? {} : { concludedAt: concluded ? now : null }), version: sql`${threads.version} + 1` })
      .where(eq(threads.id, threadId));
    this.threadChanged(threadId, commit);
    this.forgetThreadLists(commit);
  }

  /** Who wrote the thread's posts still shown, once each. */
  async postAuthorIdsNow(threadId: string): Promise<string[]> {
    const rows = await this.database.orm
      .selectDistinct({ id: posts.authorId })
      .from(posts)
      .where(and(eq(posts.threadId, threadId), eq(posts.state, 'visible')));
    return rows.map((row) => row.id);
  }

  // ---------------------------------------------------------------- posts

  async findPost(id: string): Promise<PostRow | undefined> {
    const row = await this.postById.get(id);
    return row && toPostRow(row);
  }

  /** The thread's first post: what a reply "to the thread" answers. */
  async openingPost(threadId: string) {
    return this.openingPostQuery.get(threadId);
  }

  /**
   * Where a tree page resumes: the path of the thread's post `seq`, or undefined when the thread
   * has none. Paths grow by 6 characters a level, so cursors carry the seq and not the path.
   */
  async pathOfPost(threadId: string, seq: number): Promise<string | undefined> {
    return (await this.pathBySeq.get(threadId, seq))?.path;
  }

  /** One page of a thread, in tree (path) or chronological (seq) order, after the cursor. */
  async postPage(threadId: string, view: 'tree' | 'chronological', after: string | null, limit: number): Promise<PostRow[]> {
    const rows = view === 'tree' ? await this.postPageByPath.all(threadId, after ?? '', limit) : await this.postPageBySeq.all(threadId, after === null ? 0 : Number(after), limit);
    return rows.map(toPostRow);
  }

  async agreedPostIds(userId: string, threadId: string): Promise<Set<string>> {
    return new Set((await this.agreedInThread.all(userId, threadId)).map((row) => row.postId));
  }

  /** In the caller's unit of work. */
  async editPost(commit: PendingCommit, post: PostRecord, editorId: string, source: string, rendered: Rendered, now: Date): Promise<void> {
    const { orm } = this.database;
    // The text being replaced is read here, not taken from `post`: another edit of the same post
    // may have committed since it was loaded, and its text must become a revision too. On
    // PostgreSQL edits run side by side: the row is locked first, so a concurrent edit waits for
    // this one's commit and then reads its text (both would otherwise take the same revision number).
    await this.write.lockPost.get(post.id);
    const [read] = await orm
      .select({ source: posts.source, html: posts.html, revisionCount: posts.revisionCount, editedAt: posts.editedAt, createdAt: posts.createdAt })
      .from(posts)
      .where(eq(posts.id, post.id))
      .limit(1);
    const current = read ?? post;
    await orm.insert(postRevisions).values({ postId: post.id, number: current.revisionCount + 1, source: current.source, html: current.html, editorId, writtenAt: current.editedAt ?? current.createdAt });
    await orm
      .update(posts)
      .set({ source, html: rendered.html, text: rendered.text, editedAt: now, revisionCount: sql`${posts.revisionCount} + 1` })
      .where(eq(posts.id, post.id));
    const title = post.seq === 1 ? await this.titleOf(post.threadId) : '';
    await this.reindexPost(post.id, title, rendered.text);
    await this.bumpVersion(commit, post.threadId);
  }

  private async titleOf(threadId: string): Promise<string> {
    return (await this.database.orm.select({ title: threads.title }).from(threads).where(eq(threads.id, threadId)).limit(1))[0]?.title ?? '';
  }

  async revisions(postId: string) {
    return this.database.orm.select().from(postRevisions).where(eq(postRevisions.postId, postId)).orderBy(asc(postRevisions.number));
  }

  /** In the caller's unit of work. */
  async setPostState(commit: PendingCommit, post: PostRecord, state: PostState, moderation: { reason: string | null; by: string | null }): Promise<void> {
    await this.database.orm.update(posts).set({ state, hiddenReason: moderation.reason, hiddenBy: moderation.by }).where(eq(posts.id, post.id));
    // Withdrawn text is found by nobody, so it leaves the index; the title stays findable through the opening post.
    if (state === 'withdrawn') {
      if (post.seq === 1) await this.reindexPost(post.id, await this.titleOf(post.threadId), '');
      else await this.write.unindexPost.run(post.id);
    }
    await this.bumpVersion(commit, post.threadId);
  }

  /** Returns the new count. In the caller's unit of work. */
  async setAgreement(commit: PendingCommit, post: PostRecord, userId: string, agree: boolean, now: Date): Promise<number> {
    const { orm } = this.database;
    // The rows written, by RETURNING: what a write's result says differs between the engines.
    const changed = agree
      ? await orm.insert(postAgreements).values({ postId: post.id, userId, createdAt: now }).onConflictDoNothing().returning({ postId: postAgreements.postId })
      : await orm.delete(postAgreements).where(and(eq(postAgreements.postId, post.id), eq(postAgreements.userId, userId))).returning({ postId: postAgreements.postId });
    if (changed.length > 0) {
      await orm.update(posts).set({ agreeCount: sql`${posts.agreeCount} + ${agree ? 1 : -1}` }).where(eq(posts.id, post.id));
      await this.bumpVersion(commit, post.threadId);
    }
    return (await orm.select({ n: posts.agreeCount }).from(posts).where(eq(posts.id, post.id)).limit(1))[0]!.n;
  }

  async agreements(postId: string, groupId: string): Promise<AuthorRow[]> {
    return this.database.orm
      .select(authorColumns())
      .from(postAgreements)
      .innerJoin(users, eq(users.id, postAgreements.userId))
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.groupId, groupId)))
      .where(eq(postAgreements.postId, postId))
      .orderBy(asc(postAgreements.createdAt));
  }

  // ---------------------------------------------------------------- reading and watching

  async lastReadSeq(userId: string, threadId: string): Promise<number> {
    return (await this.readPosition.get(userId, threadId))?.seq ?? 0;
  }

  /** Moves the reader's position forward only; returns the position. In the caller's unit of work. */
  async markReadWithin(tx: PendingCommit, userId: string, threadId: string, seq: number): Promise<number> {
    await this.write.readUpTo.run(userId, threadId, seq);
    this.readingChanged(userId);
    this.onSettled(tx, () => this.readingChanged(userId));
    return this.lastReadSeq(userId, threadId);
  }

  async markAllReadWithin(tx: PendingCommit, userId: string, groupId: string, categoryId: string | undefined): Promise<void> {
    if (categoryId === undefined) await this.markAllRead.inGroup.run(userId, groupId);
    else await this.markAllRead.inCategory.run(userId, groupId, categoryId);
    this.readingChanged(userId);
    this.onSettled(tx, () => this.readingChanged(userId));
  }

  async setThreadWatchWithin(tx: PendingCommit, threadId: string, userId: string, level: WatchLevel): Promise<void> {
    await this.database.orm
      .insert(threadWatches)
      .values({ threadId, userId, level })
      .onConflictDoUpdate({ target: [threadWatches.threadId, threadWatches.userId], set: { level } });
    this.watchChanged(userId, threadId, null);
    this.onSettled(tx, () => this.watchChanged(userId, threadId, null));
  }

  // ------------------------------------------------- what other processes changed (the cache registry)

  /** The person read something: their unread answer is worked out again. */
  readingChanged(userId: string): void {
    this.unreadAnswers.delete(userId);
    this.unreadReads.delete(userId);
  }

  /** The person set a watch level on a thread or a category. */
  watchChanged(userId: string, threadId: string | null, categoryId: string | null): void {
    this.readingChanged(userId);
    if (threadId !== null) this.forgetWatchList(`t:${threadId}`);
    if (categoryId !== null) this.forgetWatchList(`c:${categoryId}`);
  }

  private forgetWatchList(key: string): void {
    this.watchLists.delete(key);
    this.watchListFills.forget(key);
  }

  /**
   * Another process changed the thread (a post, an edit, a moderation, an agreement, its title):
   * its version is read again (so are its pages and ETags, which are keyed by it), and so are its
   * watchers (an author starts watching) and the group lists behind the unread answers.
   */
  threadChangedElsewhere(threadId: string): void {
    this.threadChanged(threadId);
    this.forgetWatchList(`t:${threadId}`);
    this.forgetThreadLists();
  }

  /** Another process created a thread or moved one in the lists. */
  threadListsChangedElsewhere(): void {
    this.forgetThreadLists();
  }

  /** Explicit levels for a thread and its category: who watches, who muted. */
  async watchLevels(threadId: string | null, categoryId: string): Promise<{ thread: ReadonlyMap<string, WatchLevel>; category: ReadonlyMap<string, WatchLevel> }> {
    const thread = threadId ? await this.watchList(`t:${threadId}`) : new Map<string, WatchLevel>();
    return { thread, category: await this.watchList(`c:${categoryId}`) };
  }

  private async watchList(key: string): Promise<ReadonlyMap<string, WatchLevel>> {
    return this.watchLists.get(key) ?? this.watchListFills.of(key);
  }

  /**
   * The threads of the group with posts after the reader's position, leaving out those they muted
   * (the thread's own level, else its category's): how many, and the most recently active few.
   */
  async unreadThreads(groupId: string, userId: string, limit: number): Promise<UnreadThreads> {
    const known = this.unreadAnswers.get(userId);
    if (known && known.epoch === this.threadsEpoch && known.groupId === groupId && known.limit === limit) return known.answer;
    // A post moves the epoch past this one; the person's reading or watching takes their mark away.
    const epoch = this.threadsEpoch;
    const mark = Symbol(userId);
    this.unreadReads.set(userId, mark);
    const answer = await this.countUnreadThreads(groupId, userId, limit);
    if (this.unreadReads.get(userId) === mark) {
      this.unreadReads.delete(userId);
      this.unreadAnswers.set(userId, { epoch, groupId, limit, answer });
    }
    return answer;
  }

  private async countUnreadThreads(groupId: string, userId: string, limit: number): Promise<UnreadThreads> {
    const { home } = this;
    const read = new Map((await home.readPositions.all(userId)).map((row) => [row.threadId, row.seq]));
    const mutedThreads = new Set((await home.mutedThreads.all(userId)).map((row) => row.id));
    const mutedCategories = new Set((await home.mutedCategories.all(userId)).map((row) => row.id));
    const remembered = this.groupThreads.get(groupId) ?? (await this.groupThreadFills.of(groupId));
    // The look-ups below await, and a post meanwhile moves its thread within the remembered list in place: walked as it is now.
    const list = mutedCategories.size > 0 ? [...remembered] : remembered;
    let count = 0;
    const first: Array<{ id: string; unread: number; lastActivityAt: number }> = [];
    for (const [id, lastSeq, categoryId, lastActivityAt] of list) {
      const unread = lastSeq - (read.get(id) ?? 0);
      if (unread <= 0 || mutedThreads.has(id)) continue;
      // A muted category mutes its threads, except those given a level of their own (rare: looked up one by one).
      if (mutedCategories.has(categoryId) && (await home.threadLevel.get(id, userId)) === undefined) continue;
      count += 1;
      if (first.length < limit) first.push({ id, unread, lastActivityAt });
    }
    const titles = new Map(first.length > 0 ? (await home.titles.all(JSON.stringify(first.map((thread) => thread.id)))).map((row) => [row.id, row.title]) : []);
    return { count, items: first.map((thread) => ({ ...thread, title: titles.get(thread.id) ?? '' })) };
  }

  /** The thread of this subject (a discrepancy case), if it has one. */
  async subjectThreadNow(subject: { kind: string; id: string }): Promise<ThreadRow | undefined> {
    const row = await this.subjectThreadQuery.get(subject.kind, subject.id);
    return row && toThread(row);
  }

  /** How many posts of the thread are not withdrawn. */
  async shownPostCount(threadId: string): Promise<number> {
    return (await this.shownPosts.count.get(threadId))?.n ?? 0;
  }

  /** The last `limit` posts of the thread not withdrawn, oldest first, in one query (it was one per post). */
  async latestPosts(threadId: string, limit: number): Promise<Array<{ id: string; seq: number; state: PostRecord['state']; html: string; createdAt: Date; authorId: string; authorName: string }>> {
    return (await this.shownPosts.latest.all(threadId, limit)).map((row) => ({ ...row, createdAt: new Date(row.createdAt) })).reverse();
  }

  /** The category a subject's thread is filed under: the group's of this slug, else its first. */
  async categoryForSubjectNow(groupId: string, slug: string | undefined): Promise<string | undefined> {
    await this.seedDefaultCategories(groupId);
    const { orm } = this.database;
    const bySlug = slug === undefined ? undefined : (await orm.select({ id: categories.id }).from(categories).where(and(eq(categories.groupId, groupId), eq(categories.slug, slug))).limit(1))[0];
    return bySlug?.id ?? (await orm.select({ id: categories.id }).from(categories).where(eq(categories.groupId, groupId)).orderBy(asc(categories.position), asc(categories.nameEn)).limit(1))[0]?.id;
  }

  /** Active people among these, as a thread's owner judges its readers (role, country, organization). */
  async readersAmong(groupId: string, userIds: readonly string[]): Promise<Array<{ id: string; groupId: string; role: Role; countryId: string | null; organizationId: string | null }>> {
    if (userIds.length === 0) return [];
    const rows = await this.database.orm
      .select({ id: users.id, role: memberships.role, countryId: memberships.countryId, organizationId: memberships.organizationId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.groupId, groupId), inArray(users.id, [...userIds]), isNull(users.deactivatedAt)));
    return rows.map((row) => ({ ...row, groupId, role: row.role as Role }));
  }

  /** Active user ids among these, for notifications (deactivated people are not told). */
  async activeAmong(groupId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    return new Set((await this.activeUsers.all(groupId, JSON.stringify(userIds))).map((row) => row.id));
  }
}
