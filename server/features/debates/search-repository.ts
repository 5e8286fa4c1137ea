import { LRUCache } from 'lru-cache';
import { postgresText, type Database, type Statement } from '../../plugins/database.js';
import type { ThreadTags } from './repository.js';
import type { Role } from '../../shared/roles.js';
import type { FullTextQuery } from '../../shared/full-text.js';

export interface SearchFilters {
  groupId: string;
  categoryId?: string;
  authorId?: string;
  countryId?: string;
  indicator?: string;
  from?: Date;
  to?: Date;
  /** Moderators also find hidden posts; withdrawn posts are not in the index at all. */
  includeHidden: boolean;
}

export interface SearchHit {
  threadId: string;
  threadTitle: string;
  postId: string;
  seq: number;
  categoryId: string;
  createdAt: Date;
  snippet: string;
  author: { id: string; displayName: string; handle: string | null; role: Role; countryId: string | null; organizationId: string | null };
}


/**
 * `total` counts matches up to this many and then stops: an exact count of a common word on 100k
 * posts would cost more than the search itself. A total of TOTAL_CAP means "at least that many".
 */
export const TOTAL_CAP = 2000;

/**
 * bm25 ranking costs time in proportion to the number of matches (about 100 ms for 70k matches).
 * A query matching more posts than this is ordered newest first instead, which FTS5 serves
 * straight from its index.
 */
export const RANKED_MATCH_LIMIT = 5000;


export interface SearchResult {
  hits: SearchHit[];
  total: number;
}

/**
 * Repeated searches (the same popular words, a person paging back and forth) reuse the answer
 * while the database is unchanged. The generation that says so: on SQLite total_changes(), this
 * process's writes (the cache registry, forget(), tells of other processes' posts); on PostgreSQL
 * the position of the write-ahead log, which moves with every write committed by any instance, so
 * no instance needs telling. The age limit covers what is missed (on SQLite a maintenance script's
 * writes; on PostgreSQL a commit written to the log a moment before it became visible to the search).
 */
const RESULT_TTL_MS = 10_000;

type Shape = Record<'category' | 'author' | 'country' | 'indicator' | 'from' | 'to' | 'hidden', boolean>;

type Filter = 'categoryId' | 'authorId' | 'countryId' | 'tagged' | 'from' | 'to';

interface HitRow {
  threadId: string;
  threadTitle: string;
  postId: string;
  seq: number;
  categoryId: string;
  createdAt: number;
  authorId: string;
  displayName: string;
  handle: string | null;
  role: string | null;
  countryId: string | null;
  organizationId: string | null;
  title: string | null;
  body: string | null;
}

/**
 * Full-text search. The FTS index finds and ranks (ORDER BY rank with a LIMIT), and only the
 * ranked candidates are joined to posts, threads and authors and filtered; snippets are computed
 * for the returned page only. Statements are prepared once per combination of filters. On
 * PostgreSQL the index is full_text.posts (migrations/pg/0004_full_text_search.sql), matched with
 * the same forms as a tsquery.
 */
export class SearchRepository {
  private readonly prepared = new Map<string, ReturnType<SearchRepository['prepare']>>();
  private readonly matchProbe;
  private readonly changes;
  private readonly results = new LRUCache<string, { generation: number; result: SearchResult }>({ max: 500, ttl: RESULT_TTL_MS });

  constructor(
    private readonly database: Database,
    private readonly tags: Pick<ThreadTags, 'subjectsTagged'>,
  ) {
    this.changes = database.statement<[], { n: number }>({ sqlite: 'select total_changes() as n', postgres: "select pg_current_wal_insert_lsn() - '0/0'::pg_lsn as n" });
    this.matchProbe = database.statement<[match: string, cap: number], { n: number }>({
      sqlite: 'select count(*) as n from (select 1 from search_index where search_index match ? limit ?)',
      postgres: 'select count(*) as n from (select 1 from full_text.posts where terms @@ $1::tsquery limit $2) m',
    });
  }

  /** Another process wrote posts or threads (the cache registry): answers are worked out afresh. */
  forget(): void {
    this.results.clear();
  }

  private prepare(shape: Shape, order: 'rank' | 'recent'): { page: Statement<unknown[], HitRow>; total: Statement<unknown[], { n: number }>; filters: Filter[] } {
    // The unary + keeps SQLite from driving the join through the thread/author indexes (which
    // would visit every post of the group): matches come first, filters are checked after.
    // PostgreSQL's planner weighs the GIN match against the filters itself (and has no unary + on text).
    // A subject's thread (a discrepancy case's) is read by its owner's audience only: never searched here.
    const conditions: Array<{ sqlite: string; postgres: string }> = [
      { sqlite: 'search_index match ?', postgres: 's.terms @@ ?::tsquery' },
      { sqlite: '+threads.group_id = ?', postgres: 'threads.group_id = ?' },
    ];
    const both = (condition: string) => conditions.push({ sqlite: condition, postgres: condition });
    both('threads.subject_kind is null');
    both(shape.hidden ? "posts.state in ('visible', 'hidden')" : "posts.state = 'visible'");
    const filters: Filter[] = [];
    const filter = (name: Filter, sqlite: string, postgres = sqlite.replace(/^\+/, '')) => {
      conditions.push({ sqlite, postgres });
      filters.push(name);
    };
    if (shape.category) filter('categoryId', '+threads.category_id = ?');
    if (shape.author) filter('authorId', '+posts.author_id = ?');
    if (shape.country) filter('countryId', '+memberships.country_id = ?');
    // The threads tagged with the indicator, from the catalogue's index (fastify.indicators).
    if (shape.indicator) filter('tagged', 'threads.id in (select value from json_each(?))', 'threads.id in (select jsonb_array_elements_text(?::jsonb))');
    if (shape.from) filter('from', 'posts.created_at >= ?');
    if (shape.to) filter('to', 'posts.created_at < ?');
    const where = (engine: 'sqlite' | 'postgres') => conditions.map((condition) => condition[engine]).join(' and ');
    const index = { sqlite: 'search_index', postgres: 'full_text.posts s' };
    const joins = {
      sqlite: 'inner join posts on posts.rowid = search_index.rowid inner join threads on threads.id = posts.thread_id',
      postgres: 'inner join posts on posts.id = s.post_id inner join threads on threads.id = posts.thread_id',
    };
    const onMembership = 'left join memberships on memberships.user_id = posts.author_id and memberships.group_id = threads.group_id';
    // rank is bm25 weighing the text columns four times the stems (migrations/0012_search_word_forms.sql);
    // ts_rank weighs them alike (weights A and D, migrations/pg/0004_full_text_search.sql), its $1 the
    // match's. Newest first is the index's order on SQLite (the post's rowid), the posts' on PostgreSQL.
    const orderBy = {
      sqlite: order === 'rank' ? 'search_index.rank' : 'search_index.rowid desc',
      postgres: order === 'rank' ? "ts_rank('{0.25,0.25,0.25,1}', s.terms, $1::tsquery) desc, posts.created_at desc, posts.id desc" : 'posts.created_at desc, posts.id desc',
    };
    const text = { sqlite: 'search_index', postgres: 's' };
    // The snippet is cut from the index's title and body (for the returned rows only), not by
    // FTS5's snippet(), which marks only the exact forms it matched and would choose the `stems` column.
    const pageOn = (engine: 'sqlite' | 'postgres') => `select threads.id as "threadId", threads.title as "threadTitle", posts.id as "postId", posts.seq, threads.category_id as "categoryId", posts.created_at as "createdAt",
        users.id as "authorId", users.display_name as "displayName", users.handle, memberships.role, memberships.country_id as "countryId", memberships.organization_id as "organizationId",
        ${text[engine]}.title, ${text[engine]}.body
      from ${index[engine]} ${joins[engine]} inner join users on users.id = posts.author_id ${onMembership}
      where ${where(engine)}
      order by ${orderBy[engine]}
      limit ? offset ?`;
    // FTS5 itself delivers rows in either order, so the LIMIT stops the scan early.
    const page = this.database.statement<unknown[], HitRow>({ sqlite: pageOn('sqlite'), postgres: postgresText(pageOn('postgres')) });
    // Counting needs the author's membership only to filter by country.
    const totalOn = (engine: 'sqlite' | 'postgres') => `select count(*) as n from (select 1 from ${index[engine]} ${joins[engine]} ${shape.country ? onMembership : ''} where ${where(engine)} limit ?) m`;
    const total = this.database.statement<unknown[], { n: number }>({ sqlite: totalOn('sqlite'), postgres: postgresText(totalOn('postgres')) });
    return { page, total, filters };
  }

  async search(query: FullTextQuery, filters: SearchFilters, limit: number, offset: number): Promise<SearchResult> {
    // Any write through this connection (a post, an edit, a hidden post, a renamed author) changes
    // total_changes(): a remembered answer is reused only while nothing at all was written.
    const generation = (await this.changes.get())?.n ?? 0;
    const key = JSON.stringify([query.match, filters.groupId, filters.categoryId, filters.authorId, filters.countryId, filters.indicator, filters.from?.getTime(), filters.to?.getTime(), filters.includeHidden, limit, offset]);
    const remembered = this.results.get(key);
    if (remembered && remembered.generation === generation) return remembered.result;
    const tagged = filters.indicator === undefined ? undefined : JSON.stringify(await this.tags.subjectsTagged(filters.groupId, 'thread', filters.indicator));
    const result = await this.run(query, filters, tagged, limit, offset);
    this.results.set(key, { generation, result });
    return result;
  }

  private async run(query: FullTextQuery, filters: SearchFilters, tagged: string | undefined, limit: number, offset: number): Promise<SearchResult> {
    const match = query.on(this.database.kind);
    const shape: Shape = {
      category: filters.categoryId !== undefined,
      author: filters.authorId !== undefined,
      country: filters.countryId !== undefined,
      indicator: filters.indicator !== undefined,
      from: filters.from !== undefined,
      to: filters.to !== undefined,
      hidden: filters.includeHidden,
    };
    const order = ((await this.matchProbe.get(match, RANKED_MATCH_LIMIT + 1))?.n ?? 0) > RANKED_MATCH_LIMIT ? 'recent' : 'rank';
    const key = `${Object.values(shape).map(Number).join('')}${order}`;
    let statements = this.prepared.get(key);
    if (!statements) {
      statements = this.prepare(shape, order);
      this.prepared.set(key, statements);
    }
    const values: Record<Filter, unknown> = {
      categoryId: filters.categoryId,
      authorId: filters.authorId,
      countryId: filters.countryId,
      tagged,
      from: filters.from?.getTime(),
      to: filters.to?.getTime(),
    };
    const params = [match, filters.groupId, ...statements.filters.map((name) => values[name])];
    const rows = await statements.page.all(...params, limit, offset);
    const total = Math.min(TOTAL_CAP, (await statements.total.get(...params, TOTAL_CAP))?.n ?? 0);
    return {
      total,
      hits: rows.map((row) => ({
        threadId: row.threadId,
        threadTitle: row.threadTitle,
        postId: row.postId,
        seq: row.seq,
        categoryId: row.categoryId,
        createdAt: new Date(row.createdAt),
        snippet: query.snippet([row.body ?? '', row.title ?? '']).html,
        author: { id: row.authorId, displayName: row.displayName, handle: row.handle, role: row.role as Role, countryId: row.countryId, organizationId: row.organizationId },
      })),
    };
  }
}
