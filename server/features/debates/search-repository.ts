import { LRUCache } from 'lru-cache';
import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../plugins/db.js';
import type { ThreadTags } from './repository.js';
import type { Role } from '../../shared/roles.js';
import { posts, threads } from './tables.js';
import type { FullTextQuery } from '../../shared/full-text.js';
import { memberships, users } from '../../plugins/identity/tables.js';

/**
 * The FTS5 table, declared here (not in a tables.ts) so queries on it can be prepared, while
 * drizzle-kit, which cannot express virtual tables, leaves it to the custom migration that creates it.
 * Its rowid is the post's rowid.
 */
export const searchIndex = sqliteTable('search_index', { rowid: integer('rowid'), title: text('title'), body: text('body'), stems: text('stems') });

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
 * while the database is unchanged: total_changes() sees this process's writes, the cache registry
 * (forget) other servers' posts. The age limit covers what writes no event (maintenance scripts).
 */
const RESULT_TTL_MS = 10_000;

type Shape = Record<'category' | 'author' | 'country' | 'indicator' | 'from' | 'to' | 'hidden', boolean>;

/**
 * Full-text search. The FTS index finds and ranks (ORDER BY rank with a LIMIT), and only the
 * ranked candidates are joined to posts, threads and authors and filtered; snippets are computed
 * for the returned page only. Statements are prepared once per combination of filters.
 */
export class SearchRepository {
  private readonly prepared = new Map<string, ReturnType<SearchRepository['prepare']>>();
  private readonly matchProbe;
  private readonly changes;
  private readonly results = new LRUCache<string, { generation: number; result: SearchResult }>({ max: 500, ttl: RESULT_TTL_MS });

  constructor(
    private readonly db: Db,
    private readonly tags: Pick<ThreadTags, 'subjectsTagged'>,
  ) {
    this.changes = db.$client.prepare<[], { n: number }>('select total_changes() as n');
    this.matchProbe = db
      .select({ n: sql<number>`count(*)` })
      .from(sql`(select 1 from search_index where search_index match ${sql.placeholder('match')} limit ${sql.placeholder('cap')})`)
      .prepare();
  }

  /** Another process wrote posts or threads (the cache registry): answers are worked out afresh. */
  forget(): void {
    this.results.clear();
  }

  private prepare(shape: Shape, order: 'rank' | 'recent') {
    const p = sql.placeholder;
    // The unary + keeps SQLite from driving the join through the thread/author indexes (which
    // would visit every post of the group): matches come first, filters are checked after.
    // A subject's thread (a discrepancy case's) is read by its owner's audience only: never searched here.
    const conditions: SQL[] = [sql`+${threads.groupId} = ${p('groupId')}`, sql`${threads.subjectKind} is null`];
    conditions.push(shape.hidden ? sql`${posts.state} in ('visible', 'hidden')` : eq(posts.state, 'visible'));
    if (shape.category) conditions.push(sql`+${threads.categoryId} = ${p('categoryId')}`);
    if (shape.author) conditions.push(sql`+${posts.authorId} = ${p('authorId')}`);
    if (shape.country) conditions.push(sql`+${memberships.countryId} = ${p('countryId')}`);
    // The threads tagged with the indicator, from the catalogue's index (fastify.indicators).
    if (shape.indicator) conditions.push(sql`${threads.id} in (select value from json_each(${p('tagged')}))`);
    if (shape.from) conditions.push(gte(posts.createdAt, p('from')));
    if (shape.to) conditions.push(lt(posts.createdAt, p('to')));
    const where = and(sql`search_index match ${p('match')}`, ...conditions);
    const onPost = sql`${posts}.rowid = ${searchIndex.rowid}`;
    const onMembership = and(eq(memberships.userId, posts.authorId), eq(memberships.groupId, threads.groupId));
    const page = this.db
      .select({
        rowid: searchIndex.rowid,
        threadId: threads.id,
        threadTitle: threads.title,
        postId: posts.id,
        seq: posts.seq,
        categoryId: threads.categoryId,
        createdAt: posts.createdAt,
        authorId: users.id,
        displayName: users.displayName,
        handle: users.handle,
        role: memberships.role,
        countryId: memberships.countryId,
        organizationId: memberships.organizationId,
        // The snippet is cut from these (for the returned rows only), not by FTS5's snippet(), which
        // marks only the exact forms it matched and would choose the `stems` column.
        title: searchIndex.title,
        body: searchIndex.body,
      })
      .from(searchIndex)
      .innerJoin(posts, onPost)
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .innerJoin(users, eq(users.id, posts.authorId))
      .leftJoin(memberships, onMembership)
      .where(where)
      // FTS5 itself delivers rows in either order, so the LIMIT stops the scan early.
      // rank is bm25 weighing the text columns four times the stems (migrations/0012_search_word_forms.sql).
      .orderBy(order === 'rank' ? sql`search_index.rank` : sql`${searchIndex.rowid} desc`)
      .limit(p('limit'))
      .offset(p('offset'))
      .prepare();
    // Counting needs the author's membership only to filter by country.
    const counted = this.db.select({ one: sql<number>`1`.as('one') }).from(searchIndex).innerJoin(posts, onPost).innerJoin(threads, eq(threads.id, posts.threadId));
    const capped = (shape.country ? counted.leftJoin(memberships, onMembership) : counted).where(where).limit(p('cap')).as('capped');
    const total = this.db.select({ n: sql<number>`count(*)` }).from(capped).prepare();
    return { page, total };
  }

  async search(query: FullTextQuery, filters: SearchFilters, limit: number, offset: number): Promise<SearchResult> {
    // Any write through this connection (a post, an edit, a hidden post, a renamed author) changes
    // total_changes(): a remembered answer is reused only while nothing at all was written.
    const generation = this.changes.get()!.n;
    const key = JSON.stringify([query.match, filters.groupId, filters.categoryId, filters.authorId, filters.countryId, filters.indicator, filters.from?.getTime(), filters.to?.getTime(), filters.includeHidden, limit, offset]);
    const remembered = this.results.get(key);
    if (remembered && remembered.generation === generation) return remembered.result;
    const tagged = filters.indicator === undefined ? undefined : JSON.stringify(await this.tags.subjectsTagged(filters.groupId, 'thread', filters.indicator));
    const result = this.run(query, filters, tagged, limit, offset);
    this.results.set(key, { generation, result });
    return result;
  }

  private run(query: FullTextQuery, filters: SearchFilters, tagged: string | undefined, limit: number, offset: number): SearchResult {
    const { match } = query;
    const shape: Shape = {
      category: filters.categoryId !== undefined,
      author: filters.authorId !== undefined,
      country: filters.countryId !== undefined,
      indicator: filters.indicator !== undefined,
      from: filters.from !== undefined,
      to: filters.to !== undefined,
      hidden: filters.includeHidden,
    };
    const order = (this.matchProbe.get({ match, cap: RANKED_MATCH_LIMIT + 1 })?.n ?? 0) > RANKED_MATCH_LIMIT ? 'recent' : 'rank';
    const key = `${Object.values(shape).map(Number).join('')}${order}`;
    let statements = this.prepared.get(key);
    if (!statements) {
      statements = this.prepare(shape, order);
      this.prepared.set(key, statements);
    }
    const params = {
      match,
      groupId: filters.groupId,
      categoryId: filters.categoryId,
      authorId: filters.authorId,
      countryId: filters.countryId,
      tagged,
      from: filters.from?.getTime(),
      to: filters.to?.getTime(),
    };
    const rows = statements.page.all({ ...params, limit, offset });
    const total = Math.min(TOTAL_CAP, statements.total.get({ ...params, cap: TOTAL_CAP })?.n ?? 0);
    return {
      total,
      hits: rows.map((row) => ({
        threadId: row.threadId,
        threadTitle: row.threadTitle,
        postId: row.postId,
        seq: row.seq,
        categoryId: row.categoryId,
        createdAt: row.createdAt,
        snippet: query.snippet([row.body ?? '', row.title ?? '']).html,
        author: { id: row.authorId, displayName: row.displayName, handle: row.handle, role: row.role as Role, countryId: row.countryId, organizationId: row.organizationId },
      })),
    };
  }
}
