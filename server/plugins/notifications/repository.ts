import { LRUCache } from 'lru-cache';
import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database, Statement } from '../database.js';
import type { PendingCommit } from '../unit-of-work.js';
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
  private readonly statements;
  /**
   * Unread counts of people told recently. Counting runs over every unread row of a person (one
   * who never reads has thousands), and each notification sends the new count: counted once, then
   * kept up to date by insert and markRead, the only writers of these rows in this process.
   */
  private readonly unreadCounts = new LRUCache<string, number>({ max: 10_000 });
  /**
   * unreadOfKinds' answers, per person and question (kinds and limit); forgotten for a person by
   * each write to their rows, and for everyone when an excerpt changes (moderation, rare).
   */
  private readonly unreadOfKindsAnswers = new LRUCache<string, Map<string, { count: number; rows: UnreadNotice[] }>>({ max: 2_000 });
  /** unreadOfKinds' statements, per number of kinds: `kind in (?, ?, …)` is an index-friendly test, where a JSON list built a table per call. */
  private readonly unreadOfKindsQueries = new Map<number, { count: Statement<unknown[], { n: number }>; rows: Statement<unknown[], StoredUnreadNotice> }>();
  /**
   * Per kind told once while unread and subject, the people holding an unread notice of it: asked
   * for every post (a busy thread's watchers nearly all hold one). Kept up to date by insertWithin,
   * the only writer of such rows; forgotten wholesale by markRead, the only thing that makes rows read.
   */
  private readonly unreadHolders = new LRUCache<string, Set<string>>({ max: 2_000 });
  /**
   * Moves on with every write to the rows the caches above answer for (and every forgetting). A
   * read that began before a write and ended after it may have missed that write's rows: its answer
   * is returned but not remembered, since the write could not keep up to date what was not there yet.
   */
  private generation = 0;
  /**
   * Whether a read outside a write sees that write's rows before it commits. On SQLite every read
   * goes through the one connection, which holds the open write: the caches move with the write
   * (and back if it is undone). On PostgreSQL another connection sees only committed rows: the
   * caches move once the write has committed, and, while a write holding a person's notices (or
   * a subject's holders) is open, a read of theirs is answered but not remembered, since it may
   * or may not have seen those rows.
   */
  private readonly readsSeeOpenWrites: boolean;
  /** PostgreSQL: per person (`user:<id>`) and per holders' key, the writes storing their notices not yet committed or undone. */
  private readonly openWrites = new Map<string, number>();

  constructor(
    private readonly database: Database,
    private readonly onceWhileUnread: OnceWhileUnread = () => false,
  ) {
    this.readsSeeOpenWrites = database.kind === 'sqlite';
    this.statements = {
      // Raw, with positional parameters: the insert runs once per recipient of every post, and
      // drizzle's per-call parameter mapping cost as much as the insert itself.
      insert: database.statement<[string, string, string, string | null, string | null, string, string, string, string, string, number]>(
        'insert into notifications (id, user_id, kind, actor_id, actor_name, subject_kind, subject_id, subject_title, details, excerpt, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      unreadHolders: database.statement<[string, string, string], { userId: string }>(
        'select distinct user_id as "userId" from notifications where subject_kind = ? and subject_id = ? and kind = ? and read_at is null',
      ),
      unreadCount: database.statement<[string], { n: number }>('select count(*) as n from notifications where user_id = ? and read_at is null'),
      // A top-level key of the details (a post's id); moderation is rare, so these scan rather than
      // keep an index that every notification written would pay for.
      setExcerptByDetail: database.statement<[string, string, string]>({
        sqlite: "update notifications set excerpt = ? where json_extract(details, '$.' || ?) = ?",
        postgres: 'update notifications set excerpt = $1 where details ->> $2::text = $3',
      }),
      recipientsByDetail: database.statement<[string, string], { userId: string }>({
        sqlite: "select distinct user_id as \"userId\" from notifications where json_extract(details, '$.' || ?) = ?",
        postgres: 'select distinct user_id as "userId" from notifications where details ->> $1::text = $2',
      }),
    };
  }

  /**
   * The recipients of one event, stored in the caller's unit of work (the post that caused them,
   * or concurrent posts' notifications). Which notices are repeats is decided inside it, after
   * every earlier write. Resolves with the rows stored, in the items' order.
   */
  async insertWithin(commit: PendingCommit, items: NewNotification[], now: Date): Promise<NotificationRow[]> {
    if (items.length === 0) return [];
    const rows: NotificationRow[] = (await this.withoutRepeats(items)).map((item) => ({
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
      await this.statements.insert.run(row.id, row.userId, row.kind, row.actorId, row.actorName, row.subjectKind, row.subjectId, row.subjectTitle, JSON.stringify(row.details), row.excerpt, row.createdAt.getTime());
    }
    this.generation += 1;
    const undo = () => {
      this.generation += 1;
      for (const row of rows) {
        this.unreadCounts.delete(row.userId);
        this.unreadOfKindsAnswers.delete(row.userId);
        this.unreadHolders.delete(holdersKey(row.kind, row));
      }
    };
    if (this.readsSeeOpenWrites) {
      // Counted with the rows, so a count taken after this commit never adds them twice; undone
      // (counted afresh next time) if the rows are.
      for (const row of rows) this.counted(row);
      commit.afterRollback(undo);
      return rows;
    }
    const keys = rows.flatMap((row) => [`user:${row.userId}`, holdersKey(row.kind, row)]);
    for (const key of keys) this.openWrites.set(key, (this.openWrites.get(key) ?? 0) + 1);
    const closed = () => {
      for (const key of keys) {
        const left = this.openWrites.get(key)! - 1;
        if (left === 0) this.openWrites.delete(key);
        else this.openWrites.set(key, left);
      }
    };
    for (const row of rows) this.unreadOfKindsAnswers.delete(row.userId);
    commit.afterCommit(() => {
      // A read that began before the commit may have missed the rows: moving on keeps it from being remembered.
      this.generation += 1;
      for (const row of rows) this.counted(row);
      closed();
    });
    commit.afterRollback(() => {
      undo();
      closed();
    });
    return rows;
  }

  /** A stored notice in the caches: one more unread for its person, their answers worked out afresh. */
  private counted(row: NotificationRow): void {
    const known = this.unreadCounts.get(row.userId);
    if (known !== undefined) this.unreadCounts.set(row.userId, known + 1);
    this.unreadOfKindsAnswers.delete(row.userId);
  }

  /** PostgreSQL: a write storing rows under this key is open, so what a read finds now is not to be remembered. */
  private writeOpen(key: string): boolean {
    return this.openWrites.has(key);
  }

  /**
   * A person who has not yet read a notice of a kind told once while unread (the debates' "new
   * posts" of a thread) gets no second one about the same subject: it leads to the first of the
   * posts, and the thread lands them on the first unread. A busy thread otherwise wrote a row (and
   * a live event) per watcher per post, and buried everything else.
   */
  private async withoutRepeats(items: NewNotification[]): Promise<NewNotification[]> {
    const kept: NewNotification[] = [];
    for (const item of items) {
      if (this.onceWhileUnread(item.kind)) {
        const holders = await this.holders(item.kind, item.subject);
        if (holders.has(item.userId)) continue;
        holders.add(item.userId);
      }
      kept.push(item);
    }
    return kept;
  }

  /** The remembered set of holders (insertWithin adds to it), read when not known. */
  private async holders(kind: string, subject: SubjectRef): Promise<Set<string>> {
    const key = holdersKey(kind, { subjectKind: subject.kind, subjectId: subject.id });
    const known = this.unreadHolders.get(key);
    if (known) return known;
    const generation = this.generation;
    const read = new Set((await this.statements.unreadHolders.all(subject.kind, subject.id, kind)).map((row) => row.userId));
    // Another read of the same key may have finished first: everyone adds to one set.
    const meanwhile = this.unreadHolders.get(key);
    if (meanwhile) return meanwhile;
    if (generation === this.generation && !this.writeOpen(key)) this.unreadHolders.set(key, read);
    return read;
  }

  /** People who hold an unread notice of this kind about this subject (of a kind told once while unread, they get no second one). */
  async unreadHoldersOf(kind: string, subject: SubjectRef): Promise<ReadonlySet<string>> {
    return this.holders(kind, subject);
  }

  /** A person's unread count; inside a write, it sees that write's own rows. */
  async unreadCount(userId: string): Promise<number> {
    // On PostgreSQL, while a write storing their notices is open, the remembered count is the
    // committed one: counted afresh, so that the write itself sees its own rows.
    const open = this.writeOpen(`user:${userId}`);
    const known = open ? undefined : this.unreadCounts.get(userId);
    if (known !== undefined) return known;
    const generation = this.generation;
    const count = (await this.statements.unreadCount.get(userId))?.n ?? 0;
    if (generation === this.generation && !open && !this.writeOpen(`user:${userId}`)) this.unreadCounts.set(userId, count);
    return count;
  }

  /**
   * A person's unread notifications of these kinds (the home page's mentions and replies): how
   * many, and the newest few. The count is remembered per person and kinds, and forgotten when a
   * notification is stored for them or they read some: the only changes to it.
   */
  async unreadOfKinds(userId: string, kinds: readonly string[], limit: number): Promise<{ count: number; rows: readonly UnreadNotice[] }> {
    if (kinds.length === 0 || (await this.unreadCount(userId)) === 0) return { count: 0, rows: [] };
    const key = `${kinds.join(' ')}|${limit}`;
    const open = this.writeOpen(`user:${userId}`);
    const remembered = open ? undefined : this.unreadOfKindsAnswers.get(userId)?.get(key);
    if (remembered) return remembered;
    const generation = this.generation;
    const queries = this.unreadOfKindsStatements(kinds.length);
    const count = (await queries.count.get(userId, ...kinds))?.n ?? 0;
    const answer = { count, rows: count === 0 ? [] : (await queries.rows.all(userId, ...kinds, limit)).map(fromStoredUnread) };
    if (generation === this.generation && !open && !this.writeOpen(`user:${userId}`)) {
      let answers = this.unreadOfKindsAnswers.get(userId);
      if (!answers) this.unreadOfKindsAnswers.set(userId, (answers = new Map()));
      answers.set(key, answer);
    }
    return answer;
  }

  private unreadOfKindsStatements(kindCount: number) {
    let queries = this.unreadOfKindsQueries.get(kindCount);
    if (!queries) {
      const where = `user_id = ? and read_at is null and kind in (${Array.from({ length: kindCount }, () => '?').join(', ')})`;
      queries = {
        count: this.database.statement<unknown[], { n: number }>(`select count(*) as n from notifications where ${where}`),
        rows: this.database.statement<unknown[], StoredUnreadNotice>(
          `select id, kind, actor_name as "actorName", subject_kind as "subjectKind", subject_id as "subjectId", subject_title as "subjectTitle", details, excerpt, created_at as "createdAt"
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
    return this.database.orm
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), after))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit);
  }

  /**
   * Replaces the excerpt of every notification whose details hold `value` at `key` (a post's id:
   * emptied while the post is hidden or withdrawn, restored when it is shown again).
   */
  async setExcerptByDetail(key: string, value: string, excerpt: string): Promise<void> {
    await this.statements.setExcerptByDetail.run(excerpt, key, value);
    this.generation += 1;
    this.unreadOfKindsAnswers.clear();
  }

  /** Who was told something whose details hold `value` at `key` (their live topics hold its excerpt). */
  async recipientsByDetail(key: string, value: string): Promise<string[]> {
    return (await this.statements.recipientsByDetail.all(key, value)).map((row) => row.userId);
  }

  /**
   * Another process stored a notification for this person or they read some there (the cache
   * registry): their count and answers are worked out afresh, and the holders of that notice's
   * kind and subject (or of every one, when a read may have freed any) are read again.
   */
  changedElsewhere(userId: string, notice: { kind: string; subject: { kind: string; id: string } } | 'any' | null): void {
    this.generation += 1;
    this.unreadCounts.delete(userId);
    this.unreadOfKindsAnswers.delete(userId);
    if (notice === 'any') this.unreadHolders.clear();
    else if (notice !== null) this.unreadHolders.delete(holdersKey(notice.kind, { subjectKind: notice.subject.kind, subjectId: notice.subject.id }));
  }

  /** Another process changed a post's excerpt (a moderation): the remembered answers may hold it. */
  excerptsChangedElsewhere(): void {
    this.generation += 1;
    this.unreadOfKindsAnswers.clear();
  }

  async markRead(userId: string, ids: string[] | 'all', now: Date): Promise<void> {
    const which = ids === 'all' ? undefined : inArray(notifications.id, ids);
    if (ids !== 'all' && ids.length === 0) return;
    this.forgetReadsOf(userId);
    // With ids, SQLite's unary + leaves the primary key to find the rows rather than the person's
    // index (PostgreSQL has no + on text, and its planner needs no such hint).
    const owner = ids === 'all' || this.database.kind === 'postgres' ? eq(notifications.userId, userId) : sql`+${notifications.userId} = ${userId}`;
    await this.database.orm
      .update(notifications)
      .set({ readAt: now })
      .where(and(owner, isNull(notifications.readAt), which));
    // Again once the rows are read: an answer worked out while the update ran is not kept.
    this.forgetReadsOf(userId);
  }

  private forgetReadsOf(userId: string): void {
    this.generation += 1;
    this.unreadCounts.delete(userId);
    this.unreadOfKindsAnswers.delete(userId);
    this.unreadHolders.clear();
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
