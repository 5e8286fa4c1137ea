import { and, asc, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database, Statement } from '../../plugins/database.js';
import { memberships, users } from '../../plugins/identity/tables.js';
import type { AnswerSet, FieldChange } from './domain/answers.js';
import type { RespondentState } from './domain/lifecycle.js';
import type { AnswerReview } from './domain/review.js';
import type { AnswerMap } from './domain/schemas.js';
import type { GeneratedRow } from './domain/validation-round.js';
import { consultationChanges, consultationGeneratedRows, consultationMailNotes, consultationReminders, consultationRespondents, consultationReviews, consultationSubmissions, consultations, type ValidationRecord } from './tables.js';

export type ConsultationRow = typeof consultations.$inferSelect;
export type NewConsultation = typeof consultations.$inferInsert;
export type RespondentRow = typeof consultationRespondents.$inferSelect;
export type SubmissionRow = typeof consultationSubmissions.$inferSelect;
export type ChangeRow = typeof consultationChanges.$inferSelect;
export type ReviewRow = typeof consultationReviews.$inferSelect;
export type MailNoteRow = typeof consultationMailNotes.$inferSelect;
export type OpenConsultationRow = Pick<ConsultationRow, 'id' | 'titleEs' | 'titleEn' | 'status' | 'deadlineDate' | 'deadlineTime' | 'deadlineZone' | 'targets' | 'openedAt' | 'closedAt'>;
/** An open consultation's row as the raw statement gives it: `targets` is the JSON text. */
type OpenConsultationRecord = Omit<OpenConsultationRow, 'targets'> & { targets: string };

/**
 * The consultations' storage, asynchronous on both engines. A unit of work's piece reads and then
 * writes in one transaction, so that a check and the write it allows see one state: on SQLite the
 * group commit runs pieces one after another, so of two delegates submitting at once the second
 * finds the first's submission. PostgreSQL runs transactions side by side: there a piece that
 * changes a respondent's row reads it through respondentForWrite, which locks it first.
 */
export class ConsultationsRepository {
  /**
   * The home page's two reads, prepared once as raw statements: "waiting for my country" is asked
   * on every look at the home, and building the select of the whole row through drizzle each time
   * (and parsing every questionnaire) took a quarter of the home's time with no consultation at all.
   */
  private readonly home: {
    open: Statement<[groupId: string], OpenConsultationRecord>;
    states: Statement<[ids: string, respondent: string], { consultationId: string; state: string }>;
  };
  private readonly locks: {
    respondent: Statement<[consultationId: string, respondent: string], { found: number }>;
    consultation: Statement<[consultationId: string], { found: number }>;
    review: Statement<[consultationId: string, respondent: string, question: string], { found: number }>;
  };

  constructor(private readonly database: Database) {
    this.home = {
      open: database.statement(
        `select id, title_es as "titleEs", title_en as "titleEn", status, deadline_date as "deadlineDate", deadline_time as "deadlineTime", deadline_zone as "deadlineZone",
                targets, opened_at as "openedAt", closed_at as "closedAt"
           from consultations where group_id = ? and status = 'open' order by created_at desc`,
      ),
      // The ids come as one JSON array: one statement whatever their number.
      states: database.statement({
        sqlite: `select consultation_id as "consultationId", state from consultation_respondents where consultation_id in (select value from json_each(?)) and respondent = ?`,
        postgres: `select consultation_id as "consultationId", state from consultation_respondents where consultation_id in (select jsonb_array_elements_text($1::jsonb)) and respondent = $2`,
      }),
    };
    // SQLite's one writer at a time already orders the pieces: the same reads without a lock.
    this.locks = {
      respondent: database.statement({
        sqlite: 'select 1 as found from consultation_respondents where consultation_id = ? and respondent = ?',
        postgres: 'select 1 as found from consultation_respondents where consultation_id = $1 and respondent = $2 for no key update',
      }),
      consultation: database.statement({
        sqlite: 'select 1 as found from consultations where id = ?',
        postgres: 'select 1 as found from consultations where id = $1 for no key update',
      }),
      review: database.statement({
        sqlite: 'select 1 as found from consultation_reviews where consultation_id = ? and respondent = ? and question = ?',
        postgres: 'select 1 as found from consultation_reviews where consultation_id = $1 and respondent = $2 and question = $3 for no key update',
      }),
    };
  }

  private get orm() {
    return this.database.orm;
  }

  /** The group's open consultations, newest first, without what the home page does not show (questionnaire, purpose). */
  async openOf(groupId: string): Promise<OpenConsultationRow[]> {
    return (await this.home.open.all(groupId)).map((row) => ({ ...row, targets: JSON.parse(row.targets) as string[] }));
  }

  /** One respondent's lifecycle state in each of these consultations that has its row (no drafts). */
  async statesOf(consultationIds: readonly string[], respondent: string): Promise<Map<string, RespondentState>> {
    if (consultationIds.length === 0) return new Map();
    return new Map((await this.home.states.all(JSON.stringify(consultationIds), respondent)).map((row) => [row.consultationId, JSON.parse(row.state) as RespondentState]));
  }

  async list(groupId: string): Promise<ConsultationRow[]> {
    return this.orm.select().from(consultations).where(eq(consultations.groupId, groupId)).orderBy(desc(consultations.createdAt));
  }

  async find(id: string): Promise<ConsultationRow | undefined> {
    return (await this.orm.select().from(consultations).where(eq(consultations.id, id)).limit(1))[0];
  }

  async insert(row: NewConsultation): Promise<void> {
    await this.orm.insert(consultations).values(row);
  }

  async update(id: string, patch: Partial<NewConsultation>): Promise<void> {
    await this.orm.update(consultations).set(patch).where(eq(consultations.id, id));
  }

  async respondents(consultationId: string): Promise<RespondentRow[]> {
    return this.orm.select().from(consultationRespondents).where(eq(consultationRespondents.consultationId, consultationId));
  }

  /** Every respondent's lifecycle state, without the drafts: what the matrix, the exports and the reminders need. */
  async states(consultationId: string): Promise<RespondentState[]> {
    return (await this.orm.select({ state: consultationRespondents.state }).from(consultationRespondents).where(eq(consultationRespondents.consultationId, consultationId))).map((row) => row.state);
  }

  async respondent(consultationId: string, respondent: string): Promise<RespondentRow | undefined> {
    const found = await this.orm
      .select()
      .from(consultationRespondents)
      .where(and(eq(consultationRespondents.consultationId, consultationId), eq(consultationRespondents.respondent, respondent)))
      .limit(1);
    return found[0];
  }

  /**
   * In the caller's unit of work, before changing the respondent's row: the row as it stands, held
   * until the commit, so that a concurrent change (two delegates submitting at once) waits for this
   * one and then reads its result instead of overwriting it. A respondent without a row yet (the
   * first write) locks the consultation's row instead, so first writes take turns too, and then
   * locks the row a turn before it may have written.
   */
  async respondentForWrite(consultationId: string, respondent: string): Promise<RespondentRow | undefined> {
    if (!(await this.locks.respondent.get(consultationId, respondent))) {
      await this.locks.consultation.get(consultationId);
      await this.locks.respondent.get(consultationId, respondent);
    }
    return this.respondent(consultationId, respondent);
  }

  async saveRespondent(consultationId: string, respondent: string, state: RespondentState, draft: AnswerSet, submitterId: string | null, now: number): Promise<void> {
    await this.orm
      .insert(consultationRespondents)
      .values({ consultationId, respondent, state, draft, submitterId, updatedAt: now })
      .onConflictDoUpdate({ target: [consultationRespondents.consultationId, consultationRespondents.respondent], set: { state, draft, submitterId, updatedAt: now } });
  }

  async addSubmission(row: typeof consultationSubmissions.$inferInsert): Promise<void> {
    await this.orm.insert(consultationSubmissions).values(row);
  }

  async submissions(consultationId: string, respondent: string): Promise<SubmissionRow[]> {
    return this.orm
      .select()
      .from(consultationSubmissions)
      .where(and(eq(consultationSubmissions.consultationId, consultationId), eq(consultationSubmissions.respondent, respondent)))
      .orderBy(asc(consultationSubmissions.number));
  }

  /** Every respondent's latest submission (the standing answer), by respondent. */
  async standing(consultationId: string): Promise<Map<string, SubmissionRow>> {
    const rows = await this.orm.select().from(consultationSubmissions).where(eq(consultationSubmissions.consultationId, consultationId)).orderBy(asc(consultationSubmissions.number));
    const latest = new Map<string, SubmissionRow>();
    for (const row of rows) latest.set(row.respondent, row);
    return latest;
  }

  /**
   * What changes when a submitted answer or a generated row does: submissions are only added (a
   * reopening submits a new number) and generated rows only inserted, so counts and sums tell.
   * Mapped with Number: PostgreSQL gives count and sum of its int8 columns as text.
   */
  async answersStamp(consultationId: string): Promise<string> {
    const [submissions] = await this.orm
      .select({
        n: sql<number>`count(*)`.mapWith(Number),
        numbers: sql<number>`coalesce(sum(${consultationSubmissions.number}), 0)`.mapWith(Number),
        last: sql<number>`coalesce(max(${consultationSubmissions.at}), 0)`.mapWith(Number),
      })
      .from(consultationSubmissions)
      .where(eq(consultationSubmissions.consultationId, consultationId));
    const [generated] = await this.orm.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(consultationGeneratedRows).where(eq(consultationGeneratedRows.consultationId, consultationId));
    return `${submissions?.n ?? 0}.${submissions?.numbers ?? 0}.${submissions?.last ?? 0}.${generated?.n ?? 0}`;
  }

  /** Answers of submissions, for change control: every submission and draft must still read. */
  async allSubmittedAnswers(consultationId: string): Promise<Array<{ respondent: string; answers: AnswerMap }>> {
    return this.orm
      .select({ respondent: consultationSubmissions.respondent, answers: consultationSubmissions.answers })
      .from(consultationSubmissions)
      .where(eq(consultationSubmissions.consultationId, consultationId));
  }

  /** A data validation round's rows for one respondent (or every respondent), by respondent and question. */
  async generatedRows(consultationId: string, respondent?: string): Promise<Map<string, Map<string, GeneratedRow[]>>> {
    const scope = eq(consultationGeneratedRows.consultationId, consultationId);
    const found = await this.orm
      .select({ respondent: consultationGeneratedRows.respondent, question: consultationGeneratedRows.question, rows: consultationGeneratedRows.rows })
      .from(consultationGeneratedRows)
      .where(respondent === undefined ? scope : and(scope, eq(consultationGeneratedRows.respondent, respondent)));
    const out = new Map<string, Map<string, GeneratedRow[]>>();
    for (const row of found) {
      const tables = out.get(row.respondent) ?? new Map<string, GeneratedRow[]>();
      tables.set(row.question, row.rows);
      out.set(row.respondent, tables);
    }
    return out;
  }

  /** Keeps the rows made for a respondent's table; rows already kept stay (the first made are the ones shown). */
  async storeGeneratedRows(consultationId: string, respondent: string, question: string, rows: GeneratedRow[], now: number): Promise<void> {
    await this.orm.insert(consultationGeneratedRows).values({ consultationId, respondent, question, rows, generatedAt: now }).onConflictDoNothing();
  }

  async setSubmissionValidation(consultationId: string, respondent: string, number: number, validation: ValidationRecord[]): Promise<void> {
    await this.orm
      .update(consultationSubmissions)
      .set({ validation })
      .where(and(eq(consultationSubmissions.consultationId, consultationId), eq(consultationSubmissions.respondent, respondent), eq(consultationSubmissions.number, number)));
  }

  async logChanges(consultationId: string, respondent: string, changes: readonly FieldChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.orm
      .insert(consultationChanges)
      .values(changes.map((change) => ({ consultationId, respondent, field: change.field, kind: change.kind, before: change.before, after: change.after, by: change.by, at: change.at, revision: change.revision })));
  }

  /** The newest changes first, before `beforeId` when paging. */
  async changes(consultationId: string, respondent: string, limit: number, beforeId: number | null): Promise<ChangeRow[]> {
    const scope = and(eq(consultationChanges.consultationId, consultationId), eq(consultationChanges.respondent, respondent));
    return this.orm
      .select()
      .from(consultationChanges)
      .where(beforeId === null ? scope : and(scope, lt(consultationChanges.id, beforeId)))
      .orderBy(desc(consultationChanges.id))
      .limit(limit);
  }

  /** In the caller's unit of work, before changing a review: locked as respondentForWrite locks a respondent's row (two queries answered at once both stay). */
  async reviewForWrite(consultationId: string, respondent: string, question: string): Promise<AnswerReview | undefined> {
    if (!(await this.locks.review.get(consultationId, respondent, question))) {
      await this.locks.consultation.get(consultationId);
      await this.locks.review.get(consultationId, respondent, question);
    }
    return this.reviewNow(consultationId, respondent, question);
  }

  async reviewNow(consultationId: string, respondent: string, question: string): Promise<AnswerReview | undefined> {
    const found = await this.orm
      .select({ review: consultationReviews.review })
      .from(consultationReviews)
      .where(and(eq(consultationReviews.consultationId, consultationId), eq(consultationReviews.respondent, respondent), eq(consultationReviews.question, question)))
      .limit(1);
    return found[0]?.review;
  }

  async saveReview(consultationId: string, respondent: string, question: string, review: AnswerReview, now: number): Promise<void> {
    await this.orm
      .insert(consultationReviews)
      .values({ consultationId, respondent, question, review, updatedAt: now })
      .onConflictDoUpdate({ target: [consultationReviews.consultationId, consultationReviews.respondent, consultationReviews.question], set: { review, updatedAt: now } });
  }

  /** Reviews of a consultation, of one respondent when given. */
  async reviews(consultationId: string, respondent?: string): Promise<ReviewRow[]> {
    const scope = eq(consultationReviews.consultationId, consultationId);
    return this.orm
      .select()
      .from(consultationReviews)
      .where(respondent === undefined ? scope : and(scope, eq(consultationReviews.respondent, respondent)));
  }

  /** False when this mail (by its Message-ID) was already kept as a note. */
  async addMailNote(note: MailNoteRow): Promise<boolean> {
    const added = await this.orm.insert(consultationMailNotes).values(note).onConflictDoNothing().returning({ id: consultationMailNotes.id });
    return added.length > 0;
  }

  /** A delegation's notes from replies by mail, oldest first. */
  async mailNotes(consultationId: string, respondent: string): Promise<MailNoteRow[]> {
    return this.orm
      .select()
      .from(consultationMailNotes)
      .where(and(eq(consultationMailNotes.consultationId, consultationId), eq(consultationMailNotes.respondent, respondent)))
      .orderBy(asc(consultationMailNotes.createdAt), asc(consultationMailNotes.id));
  }

  async remindersSentNow(consultationId: string): Promise<Array<{ respondent: string; kind: string }>> {
    return this.orm.select({ respondent: consultationReminders.respondent, kind: consultationReminders.kind }).from(consultationReminders).where(eq(consultationReminders.consultationId, consultationId));
  }

  /** False when that reminder was already recorded (sent). */
  async recordReminder(key: string, consultationId: string, respondent: string, kind: string, now: number): Promise<boolean> {
    const added = await this.orm.insert(consultationReminders).values({ key, consultationId, respondent, kind, sentAt: now }).onConflictDoNothing().returning({ key: consultationReminders.key });
    return added.length > 0;
  }

  async remindersSent(consultationId: string) {
    return this.orm.select().from(consultationReminders).where(eq(consultationReminders.consultationId, consultationId)).orderBy(asc(consultationReminders.sentAt));
  }

  /** The active people who answer for a respondent: the members of a country (with their delegation role), or the observers of an organization. */
  async delegatesNow(groupId: string, respondent: string): Promise<Array<{ id: string; displayName: string; delegationRole: 'focal_point' | 'alternate' | null }>> {
    return this.orm
      .select({ id: users.id, displayName: users.displayName, delegationRole: memberships.delegationRole })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.groupId, groupId),
          isNull(users.deactivatedAt),
          or(and(eq(memberships.role, 'member'), eq(memberships.countryId, respondent)), and(eq(memberships.role, 'observer'), eq(memberships.organizationId, respondent))),
        ),
      );
  }
}
