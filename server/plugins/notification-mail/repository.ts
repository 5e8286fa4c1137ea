import type { Database } from '../database.js';
import type { SessionUser } from '../sessions/index.js';

/** A waiting mail notice with what its notification says (null fields when the notification is gone). */
export interface DueNotice {
  notificationId: string;
  userId: string;
  delivery: 'immediately' | 'digest';
  kind: string | null;
  actorName: string | null;
  subjectKind: string | null;
  subjectId: string | null;
  subjectTitle: string | null;
  excerpt: string | null;
  createdAt: number | null;
  readAt: number | null;
}

/**
 * The notices waiting to be mailed and the digests' days. Reads the notifications and identity
 * tables by name (as the mail plugin does), never a feature's. The writes run in the caller's unit
 * of work.
 */
export class NoticeMailRepository {
  private readonly s;

  constructor(database: Database) {
    const noticeColumns = `mn.notification_id as "notificationId", mn.user_id as "userId", mn.delivery, n.kind, n.actor_name as "actorName",
      n.subject_kind as "subjectKind", n.subject_id as "subjectId", n.subject_title as "subjectTitle", n.excerpt, n.created_at as "createdAt", n.read_at as "readAt"`;
    this.s = {
      notificationId: database.statement<[string, string, string, string, number], { id: string }>(
        'select id from notifications where user_id = ? and kind = ? and subject_kind = ? and subject_id = ? and created_at = ? order by id desc limit 1',
      ),
      insert: database.statement<[string, string, 'immediately' | 'digest', number]>(
        'insert into mail_notices (notification_id, user_id, delivery, due_at) values (?, ?, ?, ?) on conflict do nothing',
      ),
      dueImmediate: database.statement<[number, number], DueNotice>(
        `select ${noticeColumns} from mail_notices mn left join notifications n on n.id = mn.notification_id
          where mn.delivery = 'immediately' and mn.due_at <= ? order by mn.due_at limit ?`,
      ),
      digestUsers: database.statement<[number], { userId: string }>(`select distinct user_id as "userId" from mail_notices where delivery = 'digest' and due_at <= ?`),
      digestOf: database.statement<[string, number], DueNotice>(
        `select ${noticeColumns} from mail_notices mn left join notifications n on n.id = mn.notification_id
          where mn.user_id = ? and mn.delivery = 'digest' and mn.due_at <= ? order by n.kind, n.created_at`,
      ),
      delete: database.statement<[string]>('delete from mail_notices where notification_id = ?'),
      lastDigest: database.statement<[string], { lastLocalDate: string }>('select last_local_date as "lastLocalDate" from mail_digests where user_id = ?'),
      // Changes no row when the day is already taken: on PostgreSQL two servers' writes run side
      // by side, and the second waits for the first's row, then sees its date.
      claimDay: database.statement<[string, string]>(
        `insert into mail_digests (user_id, last_local_date) values (?, ?)
           on conflict (user_id) do update set last_local_date = excluded.last_local_date where mail_digests.last_local_date <> excluded.last_local_date`,
      ),
    };
  }

  /** The id of the in-app notification just stored for this person in this unit of work (none: it was not stored, as a "new posts" already held). */
  async notificationIdOf(userId: string, kind: string, subject: { kind: string; id: string }, createdAt: number): Promise<string | null> {
    return (await this.s.notificationId.get(userId, kind, subject.kind, subject.id, createdAt))?.id ?? null;
  }

  async insert(notificationId: string, userId: string, delivery: 'immediately' | 'digest', dueAt: number): Promise<void> {
    await this.s.insert.run(notificationId, userId, delivery, dueAt);
  }

  async dueImmediate(now: number, limit: number): Promise<DueNotice[]> {
    return this.s.dueImmediate.all(now, limit);
  }

  async digestUsers(now: number): Promise<string[]> {
    return (await this.s.digestUsers.all(now)).map((row) => row.userId);
  }

  async digestOf(userId: string, now: number): Promise<DueNotice[]> {
    return this.s.digestOf.all(userId, now);
  }

  /**
   * Takes the notice off the list, inside the write that mails it. False when it was already gone:
   * another server on the same database mailed it (or it was read) since it was found due.
   */
  async claim(notificationId: string): Promise<boolean> {
    return (await this.s.delete.run(notificationId)) > 0;
  }

  async lastDigest(userId: string): Promise<string | null> {
    return (await this.s.lastDigest.get(userId))?.lastLocalDate ?? null;
  }

  /**
   * Records the person's digest of this local day, inside the write that queues it. False when it
   * was already recorded: another server on the same database sent it since this one looked.
   */
  async claimDay(userId: string, localDate: string): Promise<boolean> {
    return (await this.s.claimDay.run(userId, localDate)) > 0;
  }
}
