import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import type { PendingCommit } from '../group-commit.js';
import { newTimeOrderedId } from '../../shared/ids.js';
import type { SubjectRef } from '../subjects/index.js';
import { notifications, type NotificationDetails } from './tables.js';

export type NotificationRow = typeof notifications.$inferSelect;

/** What the home page shows of an unread notification. */
export interface UnreadNotice {
  id: string;
  kind: string;
  actorName: string | null;
  subject: SubjectRef & { title: string };
  details: NotificationDetails;
  excerpt: string;
  createdAt: number;
}

export interface NewNotification {
  userId: string;
  /** A kind some feature defined (fastify.notifications.defineKind). */
  kind: string;
  actorId: string | null;
  actorName: string | null;
  /** What it is about, titled in the recipient's content language as it is now. */
  subject: SubjectRef & { title: string };
  /** The feature's own particulars (the post of a thread, a meeting's new time); none: {}. */
  details?: NotificationDetails;
  excerpt: string;
}

/** Kinds told once while unread: a person holding an unread notice of the kind about a subject gets no second one. */
export type OnceWhileUnread = (kind: string) => boolean;

/** Stored in-app notifications: newest first, unread when read_at is null. */
export class NotificationsRepository {
  private readonly unreadCountQuery;
  private readonly insertQuery;
  private readonly unreadHoldersQuery;
  /**
   * Unread counts of people told recently. Counting runs over every unread row of a person (one
   * who never reads has thousands), and each notification sends the new count: counted once, then
   * kept up to date by insert and markRead, the only writers of these rows in this process.
   */
  private readonly unreadCounts = new LRUCache<string, number>({ max: 10_000, memoMethod: (userId) => this.unreadCountQuery.get({ userId })?.n ?? 0 });
  /**
   * unreadOfKinds' answers, per person and question (kinds and limit); forgotten for a person by
   * each write to their rows, and for everyone when an excerpt changes (moderation, rare).
   */
  private readonly unreadOfKindsAnswers = new LRUCache<string, Map<string, { count: number; rows: UnreadNotice[] }>>({ max: 2_000 });
  /** unreadOfKinds' statements, per number of kinds: `kind in (?, ?, …)` is an index-friendly test, where a JSON list built a table per call. */
  private readonly unreadOfKindsQueries = new Map<number, { count: Database.Statement<unknown[], number>; rows: Database.Statement<unknown[], StoredUnreadNotice> }>();
  /**
   * Per kind told once while unread and subject, the people holding an unread notice of it: asked
   * for every post (a busy thread's watchers nearly all hold one). Kept up to date by insertWithin,
   * the only writer of such rows; forgotten wholesale by markRead, the only thing that makes rows read.
   */
  private readonly unreadHolders = new LRUCache<string, Set<string>>({
    max: 2_000,
    memoMethod: (key) => {
      const [kind, subjectKind, subjectId] = JSON.parse(key) as [string, string, string];
      return new Set(this.unreadHoldersQuery.all(subjectKind, subjectId, kind));
    },
  });

  constructor(
    private readonly db: Db,
    private readonly onceWhileUnread: OnceWhileUnread = () => false,
  ) {
    // Plain better-sqlite3 with positional parameters: the statement runs once per recipient of
    // every post, and drizzle's per-call parameter mapping cost as much as the insert itself.
    this.insertQuery = db.$client.prepare(
      'insert into notifications (id, user_id, kind, actor_id, actor_name, subject_kind, subject_id, subject_title, details, excerpt, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.unreadHoldersQuery = db.$client
      .prepare<[string, string, string], string>('select distinct user_id from notifications where subject_kind = ? and subject_id = ? and kind = ? and read_at is null')
      .pluck();
    this.unreadCountQuery = db
      .select({ n: sql<number>`count(*)` })
      .from(notifications)
      .where(and(eq(notifications.userId, sql.placeholder('userId')), isNull(notifications.readAt)))
      .prepare();
  }

  /**
   * The recipients of one event, stored in the caller's group-commit piece (the post that caused
   * them, or concurrent posts' notifications). Which notices are repeats is decided inside it,
   * after every earlier write. Returns the rows stored, in the items' order.
   */
  insertWithin(commit: PendingCommit, items: NewNotification[], now: Date): NotificationRow[] {
    if (items.length === 0) return [];
    const rows: NotificationRow[] = this.withoutRepeats(items).map((item) => ({
      id: newTimeOrderedId(now.getTime()),
      userId: item.userId,
      kind: item.kind,
      actorId: item.actorId,
      actorName: item.actorName,
      subjectKind: item.subject.kind,
      subjectId: item.subject.id,
      subjectTitle: item.subject.title,
      details: item.details ?? {},
      excerpt: item.excerpt,
      createdAt: now,
      readAt: null,
    }));
    for (const row of rows) {
      this.insertQuery.run(row.id, row.userId, row.kind, row.actorId, row.actorName, row.subjectKind, row.subjectId, row.subjectTitle, JSON.stringify(row.details), row.excerpt, row.createdAt.getTime());
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
        this.unreadHolders.delete(holdersKey(row.kind, row));
      }
    });
    return rows;
  }

  /**
   * A person who has not yet read a notice of a kind told once while unread (the debates' "new
   * posts" of a thread) gets no second one about the same subject: it leads to the first of the
   * posts, and the thread lands them on the first unread. A busy thread otherwise wrote a row (and
   * a live event) per watcher per post, and buried everything else.
   */
  private withoutRepeats(items: NewNotification[]): NewNotification[] {
    return items.filter((item) => {
      if (!this.onceWhileUnread(item.kind)) return true;
      const holders = this.unreadHolders.memo(holdersKey(item.kind, { subjectKind: item.subject.kind, subjectId: item.subject.id }));
      if (holders.has(item.userId)) return false;
      holders.add(item.userId);
      return true;
    });
  }

  /** People who hold an unread notice of this kind about this subject (of a kind told once while unread, they get no second one). */
  unreadHoldersOf(kind: string, subject: SubjectRef): ReadonlySet<string> {
    return this.unreadHolders.memo(holdersKey(kind, { subjectKind: subject.kind, subjectId: subject.id }));
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
  unreadOfKinds(userId: string, kinds: readonly string[], limit: number): { count: number; rows: readonly UnreadNotice[] } {
    if (kinds.length === 0 || this.unreadCountNow(userId) === 0) return { count: 0, rows: [] };
    const key = `${kinds.join(' ')}|${limit}`;
    let answers = this.unreadOfKindsAnswers.get(userId);
    if (!answers) this.unreadOfKindsAnswers.set(userId, (answers = new Map()));
    let answer = answers.get(key);
    if (!answer) {
      const queries = this.unreadOfKindsStatements(kinds.length);
      const count = queries.count.get(userId, ...kinds) ?? 0;
      answer = { count, rows: count === 0 ? [] : queries.rows.all(userId, ...kinds, limit).map(fromStoredUnread) };
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
        rows: sqlite.prepare<unknown[], StoredUnreadNotice>(
          `select id, kind, actor_name as actorName, subject_kind as subjectKind, subject_id as subjectId, subject_title as subjectTitle, details, excerpt, created_at as createdAt
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
   * Replaces the excerpt of every notification whose details hold `value` at `key` (a post's id:
   * emptied while the post is hidden or withdrawn, restored when it is shown again). Moderation is
   * rare, so this scans rather than keep an index that every notification written would pay for.
   */
  setExcerptByDetail(key: string, value: string, excerpt: string): void {
    this.db.$client.prepare('update notifications set excerpt = ? where json_extract(details, ?) = ?').run(excerpt, `$.${key}`, value);
    this.unreadOfKindsAnswers.clear();
  }

  /** Who was told something whose details hold `value` at `key` (their live topics hold its excerpt). */
  recipientsByDetail(key: string, value: string): string[] {
    return this.db.$client.prepare<[string, string], string>('select distinct user_id from notifications where json_extract(details, ?) = ?').pluck().all(`$.${key}`, value);
  }

  async markRead(userId: string, ids: string[] | 'all', now: Date): Promise<void> {
    const which = ids === 'all' ? undefined : inArray(notifications.id, ids);
    if (ids !== 'all' && ids.length === 0) return;
    this.unreadCounts.delete(userId);
    this.unreadOfKindsAnswers.delete(userId);
    this.unreadHolders.clear();
    // With ids, the unary + leaves the primary key to find the rows rather than the person's index.
    const owner = ids === 'all' ? eq(notifications.userId, userId) : sql`+${notifications.userId} = ${userId}`;
    this.db
      .update(notifications)
      .set({ readAt: now })
      .where(and(owner, isNull(notifications.readAt), which))
      .run();
  }
}

const holdersKey = (kind: string, subject: { subjectKind: string; subjectId: string }) => JSON.stringify([kind, subject.subjectKind, subject.subjectId]);

interface StoredUnreadNotice {
  id: string;
  kind: string;
  actorName: string | null;
  subjectKind: string;
  subjectId: string;
  subjectTitle: string;
  details: string;
  excerpt: string;
  createdAt: number;
}

const fromStoredUnread = (row: StoredUnreadNotice): UnreadNotice => ({
  id: row.id,
  kind: row.kind,
  actorName: row.actorName,
  subject: { kind: row.subjectKind, id: row.subjectId, title: row.subjectTitle },
  details: JSON.parse(row.details) as NotificationDetails,
  excerpt: row.excerpt,
  createdAt: row.createdAt,
});
