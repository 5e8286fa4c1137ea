import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import type { PendingCommit } from '../group-commit.js';
import { newTimeOrderedId } from '../../shared/ids.js';
import { notifications, type MeetingNoticeDetails, type NotificationKind } from './tables.js';

export type NotificationRow = typeof notifications.$inferSelect;

/** What the home page shows of an unread notification. */
export interface UnreadNotice {
  id: string;
  kind: NotificationKind;
  actorName: string | null;
  threadId: string | null;
  threadTitle: string | null;
  postId: string | null;
  excerpt: string;
  createdAt: number;
}

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  actorId: string | null;
  actorName: string | null;
  threadId: string | null;
  threadTitle: string | null;
  postId: string | null;
  /** Set for kind 'document' (a library document published). */
  documentId?: string | null;
  documentTitle?: string | null;
  /** Set for the 'meeting_*' kinds. */
  meetingId?: string | null;
  meetingTitle?: string | null;
  meetingDetails?: MeetingNoticeDetails | null;
  excerpt: string;
}

/** Stored in-app notifications: newest first, unread when read_at is null. */
export class NotificationsRepository {
  private readonly unreadCountQuery;
  private readonly insertQuery;
  private readonly unreadNewPostQuery;
  /**
   * Unread counts of people told recently. Counting runs over every unread row of a person (one
   * who never reads has thousands), and each notification sends the new count: counted once, then
   * kept up to date by insert and markRead, the only writers of these rows in this process.
   */
  private readonly unreadCounts = new LRUCache<string, number>({ max: 10_000, memoMethod: (userId) => this.unreadCountQuery.get({ userId })?.n ?? 0 });
  /**
   * Per thread, the people holding an unread "new posts" notice of it: asked for every post (a
   * busy thread's watchers nearly all hold one). Kept up to date by insertWithin, the only writer
   * of such rows; forgotten wholesale by markRead, the only thing that makes rows read.
   */
  /**
   * unreadOfKinds' answers, per person and question (kinds and limit); forgotten for a person by
   * each write to their rows, and for everyone when an excerpt changes (moderation, rare).
   */
  private readonly unreadOfKindsAnswers = new LRUCache<string, Map<string, { count: number; rows: UnreadNotice[] }>>({ max: 2_000 });
  /** unreadOfKinds' statements, per number of kinds: `kind in (?, ?, …)` is an index-friendly test, where a JSON list built a table per call. */
  private readonly unreadOfKindsQueries = new Map<number, { count: Database.Statement<unknown[], number>; rows: Database.Statement<unknown[], UnreadNotice> }>();
  private readonly newPostNoticeHolders = new LRUCache<string, Set<string>>({ max: 2_000, memoMethod: (threadId) => new Set(this.unreadNewPostQuery.all(threadId)) });

  constructor(private readonly db: Db) {
    // Plain better-sqlite3 with positional parameters: the statement runs once per recipient of
    // every post, and drizzle's per-call parameter mapping cost as much as the insert itself.
    this.insertQuery = db.$client.prepare(
      'insert into notifications (id, user_id, kind, actor_id, actor_name, thread_id, thread_title, post_id, document_id, document_title, meeting_id, meeting_title, meeting_details, excerpt, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.unreadNewPostQuery = db.$client
      .prepare<[string], string>("select distinct user_id from notifications where thread_id = ? and kind = 'new_post' and read_at is null")
      .pluck();
    this.unreadCountQuery = db
      .select({ n: sql<number>`count(*)` })
      .from(notifications)
      .where(and(eq(notifications.userId, sql.placeholder('userId')), isNull(notifications.readAt)))
      .prepare();
  }

  /**
   * The recipients of one event, stored in the caller's group-commit piece (the post that caused
   * them, or concurrent posts' notifications). Which "new posts" notices are repeats is decided
   * inside it, after every earlier write. Returns the rows stored, in the items' order.
   */
  insertWithin(commit: PendingCommit, items: NewNotification[], now: Date): NotificationRow[] {
    if (items.length === 0) return [];
    const rows = this.withoutRepeatedNewPosts(items).map((item) => ({ ...item, documentId: item.documentId ?? null, documentTitle: item.documentTitle ?? null, meetingId: item.meetingId ?? null, meetingTitle: item.meetingTitle ?? null, meetingDetails: item.meetingDetails ?? null, id: newTimeOrderedId(now.getTime()), createdAt: now, readAt: null }));
    for (const row of rows) {
      this.insertQuery.run(row.id, row.userId, row.kind, row.actorId, row.actorName, row.threadId, row.threadTitle, row.postId, row.documentId, row.documentTitle, row.meetingId, row.meetingTitle, row.meetingDetails === null ? null : JSON.stringify(row.meetingDetails), row.excerpt, row.createdAt.getTime());
    }
    // Counted with the rows, so a count taken after this commit never adds them twice; undone
    // (counted afresh next time) if the rows are.
    for (const row of rows) {
      const known = this.unreadCounts.get(row.userId);
      if (known !== undefined) this.unreadCounts.set(row.userId, known + 1);
      this.unreadOfKindsAnswers.delete(row.userId);
    }
    commit.afterRollback(() => {
      for (const row of rows) {
        this.unreadCounts.delete(row.userId);
        this.unreadOfKindsAnswers.delete(row.userId);
        if (row.threadId !== null) this.newPostNoticeHolders.delete(row.threadId);
      }
    });
    return rows;
  }

  /**
   * A person who has not yet read the "new posts" notice of a thread gets no second one for it: it
   * leads to the first of the posts, and the thread lands them on the first unread. A busy thread
   * otherwise wrote a row (and a live event) per watcher per post, and buried everything else.
   */
  private withoutRepeatedNewPosts(items: NewNotification[]): NewNotification[] {
    return items.filter((item) => {
      if (item.kind !== 'new_post' || item.threadId === null) return true;
      const holders = this.newPostNoticeHolders.memo(item.threadId);
      if (holders.has(item.userId)) return false;
      holders.add(item.userId);
      return true;
    });
  }

  /** People who hold an unread "new posts" notice of this thread, and so get no second one. */
  newPostNoticeHoldersOf(threadId: string): ReadonlySet<string> {
    return this.newPostNoticeHolders.memo(threadId);
  }

  async unreadCount(userId: string): Promise<number> {
    return this.unreadCountNow(userId);
  }

  /** unreadCount for callers inside a write (it sees that write's own rows). */
  unreadCountNow(userId: string): number {
    return this.unreadCounts.memo(userId);
  }

  /**
   * A person's unread notifications of these kinds (the home page's mentions and replies): how
   * many, and the newest few. The count is remembered per person and kinds, and forgotten when a
   * notification is stored for them or they read some: the only changes to it.
   */
  unreadOfKinds(userId: string, kinds: readonly NotificationKind[], limit: number): { count: number; rows: readonly UnreadNotice[] } {
    if (kinds.length === 0 || this.unreadCountNow(userId) === 0) return { count: 0, rows: [] };
    const key = `${kinds.join(' ')}|${limit}`;
    let answers = this.unreadOfKindsAnswers.get(userId);
    if (!answers) this.unreadOfKindsAnswers.set(userId, (answers = new Map()));
    let answer = answers.get(key);
    if (!answer) {
      const queries = this.unreadOfKindsStatements(kinds.length);
      const count = queries.count.get(userId, ...kinds) ?? 0;
      answer = { count, rows: count === 0 ? [] : queries.rows.all(userId, ...kinds, limit) };
      answers.set(key, answer);
    }
    return answer;
  }

  private unreadOfKindsStatements(kindCount: number) {
    let queries = this.unreadOfKindsQueries.get(kindCount);
    if (!queries) {
      const sqlite = this.db.$client;
      const where = `user_id = ? and read_at is null and kind in (${Array.from({ length: kindCount }, () => '?').join(', ')})`;
      queries = {
        count: sqlite.prepare<unknown[], number>(`select count(*) from notifications where ${where}`).pluck(),
        rows: sqlite.prepare<unknown[], UnreadNotice>(
          `select id, kind, actor_name as actorName, thread_id as threadId, thread_title as threadTitle, post_id as postId, excerpt, created_at as createdAt
             from notifications where ${where} order by created_at desc, id desc limit ?`,
        ),
      };
      this.unreadOfKindsQueries.set(kindCount, queries);
    }
    return queries;
  }

  /** Newest first; the cursor is "<createdAt ms>:<id>" of the last item seen. */
  async list(userId: string, cursor: { createdAt: Date; id: string } | null, limit: number): Promise<NotificationRow[]> {
    const after = cursor
      ? or(lt(notifications.createdAt, cursor.createdAt), and(eq(notifications.createdAt, cursor.createdAt), lt(notifications.id, cursor.id)))
      : undefined;
    return this.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), after))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit)
      .all();
  }

  /**
   * Replaces the excerpt of every notification about a post (emptied while the post is hidden or
   * withdrawn, restored when it is shown again). Moderation is rare, so this scans rather than keep
   * an index on post_id that every notification written would pay for.
   */
  setExcerptForPost(postId: string, excerpt: string): void {
    this.db.update(notifications).set({ excerpt }).where(eq(notifications.postId, postId)).run();
    this.unreadOfKindsAnswers.clear();
  }

  /** Who was told about a post (their live topics hold its excerpt). */
  recipientsOfPost(postId: string): string[] {
    return this.db.selectDistinct({ userId: notifications.userId }).from(notifications).where(eq(notifications.postId, postId)).all().map((row) => row.userId);
  }

  async markRead(userId: string, ids: string[] | 'all', now: Date): Promise<void> {
    const which = ids === 'all' ? undefined : inArray(notifications.id, ids);
    if (ids !== 'all' && ids.length === 0) return;
    this.unreadCounts.delete(userId);
    this.unreadOfKindsAnswers.delete(userId);
    this.newPostNoticeHolders.clear();
    // With ids, the unary + leaves the primary key to find the rows rather than the person's index.
    const owner = ids === 'all' ? eq(notifications.userId, userId) : sql`+${notifications.userId} = ${userId}`;
    this.db
      .update(notifications)
      .set({ readAt: now })
      .where(and(owner, isNull(notifications.readAt), which))
      .run();
  }
}
