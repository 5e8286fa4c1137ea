import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../plugins/db.js';
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

/**
 * The consultations' storage. Reads are async at the boundary; the writes are synchronous because
 * they run inside a group-commit piece (better-sqlite3 transactions cannot await), after the reads
 * of the same piece (`*Now`), so a check and the write it allows see one state: two delegates
 * submitting at once are serialized by the commit, and the second finds the first's submission.
 */
export class ConsultationsRepository {
  /**
   * The home page's two reads, built once: "waiting for my country" is asked on every look at the
   * home, and building the select of the whole row through drizzle each time (and parsing every
   * questionnaire) took a quarter of the home's time with no consultation at all.
   */
  private readonly home;

  constructor(private readonly db: Db) {
    this.home = {
      open: db
        .select({
          id: consultations.id,
          titleEs: consultations.titleEs,
          titleEn: consultations.titleEn,
          status: consultations.status,
          deadlineDate: consultations.deadlineDate,
          deadlineTime: consultations.deadlineTime,
          deadlineZone: consultations.deadlineZone,
          targets: consultations.targets,
          openedAt: consultations.openedAt,
          closedAt: consultations.closedAt,
        })
        .from(consultations)
        .where(and(eq(consultations.groupId, sql.placeholder('groupId')), eq(consultations.status, 'open')))
        .orderBy(desc(consultations.createdAt))
        .prepare(),
      states: db
        .select({ consultationId: consultationRespondents.consultationId, state: consultationRespondents.state })
        .from(consultationRespondents)
        .where(
          and(
            sql`${consultationRespondents.consultationId} in (select value from json_each(${sql.placeholder('ids')}))`,
            eq(consultationRespondents.respondent, sql.placeholder('respondent')),
          ),
        )
        .prepare(),
    };
  }

  /** The group's open consultations, newest first, without what the home page does not show (questionnaire, purpose). */
  async openOf(groupId: string): Promise<OpenConsultationRow[]> {
    return this.home.open.all({ groupId });
  }

  /** One respondent's lifecycle state in each of these consultations that has its row (no drafts). */
  async statesOf(consultationIds: readonly string[], respondent: string): Promise<Map<string, RespondentState>> {
    if (consultationIds.length === 0) return new Map();
    return new Map(this.home.states.all({ ids: JSON.stringify(consultationIds), respondent }).map((row) => [row.consultationId, row.state]));
  }

  async list(groupId: string): Promise<ConsultationRow[]> {
    return this.db.select().from(consultations).where(eq(consultations.groupId, groupId)).orderBy(desc(consultations.createdAt)).all();
  }

  async find(id: string): Promise<ConsultationRow | undefined> {
    return this.findNow(id);
  }

  findNow(id: string): ConsultationRow | undefined {
    return this.db.select().from(consultations).where(eq(consultations.id, id)).get();
  }

  insert(row: NewConsultation): void {
    this.db.insert(consultations).values(row).run();
  }

  update(id: string, patch: Partial<NewConsultation>): void {
    this.db.update(consultations).set(patch).where(eq(consultations.id, id)).run();
  }

  async respondents(consultationId: string): Promise<RespondentRow[]> {
    return this.respondentsNow(consultationId);
  }

  respondentsNow(consultationId: string): RespondentRow[] {
    return this.db.select().from(consultationRespondents).where(eq(consultationRespondents.consultationId, consultationId)).all();
  }

  /** Every respondent's lifecycle state, without the drafts: what the matrix, the exports and the reminders need. */
  async states(consultationId: string): Promise<RespondentState[]> {
    return this.statesNow(consultationId);
  }

  statesNow(consultationId: string): RespondentState[] {
    return this.db.select({ state: consultationRespondents.state }).from(consultationRespondents).where(eq(consultationRespondents.consultationId, consultationId)).all().map((row) => row.state);
  }

  async respondent(consultationId: string, respondent: string): Promise<RespondentRow | undefined> {
    return this.respondentNow(consultationId, respondent);
  }

  respondentNow(consultationId: string, respondent: string): RespondentRow | undefined {
    return this.db
      .select()
      .from(consultationRespondents)
      .where(and(eq(consultationRespondents.consultationId, consultationId), eq(consultationRespondents.respondent, respondent)))
      .get();
  }

  saveRespondent(consultationId: string, respondent: string, state: RespondentState, draft: AnswerSet, submitterId: string | null, now: number): void {
    this.db
      .insert(consultationRespondents)
      .values({ consultationId, respondent, state, draft, submitterId, updatedAt: now })
      .onConflictDoUpdate({ target: [consultationRespondents.consultationId, consultationRespondents.respondent], set: { state, draft, submitterId, updatedAt: now } })
      .run();
  }

  addSubmission(row: typeof consultationSubmissions.$inferInsert): void {
    this.db.insert(consultationSubmissions).values(row).run();
  }

  async submissions(consultationId: string, respondent: string): Promise<SubmissionRow[]> {
    return this.db
      .select()
      .from(consultationSubmissions)
      .where(and(eq(consultationSubmissions.consultationId, consultationId), eq(consultationSubmissions.respondent, respondent)))
      .orderBy(asc(consultationSubmissions.number))
      .all();
  }

  /** Every respondent's latest submission (the standing answer), by respondent. */
  async standing(consultationId: string): Promise<Map<string, SubmissionRow>> {
    const rows = this.db.select().from(consultationSubmissions).where(eq(consultationSubmissions.consultationId, consultationId)).orderBy(asc(consultationSubmissions.number)).all();
    const latest = new Map<string, SubmissionRow>();
    for (const row of rows) latest.set(row.respondent, row);
    return latest;
  }

  /**
   * What changes when a submitted answer or a generated row does: submissions are only added (a
   * reopening submits a new number) and generated rows only inserted, so counts and sums tell.
   */
  async answersStamp(consultationId: string): Promise<string> {
    const submissions = this.db
      .select({ n: sql<number>`count(*)`, numbers: sql<number>`coalesce(sum(${consultationSubmissions.number}), 0)`, last: sql<number>`coalesce(max(${consultationSubmissions.at}), 0)` })
      .from(consultationSubmissions)
      .where(eq(consultationSubmissions.consultationId, consultationId))
      .get();
    const generated = this.db.select({ n: sql<number>`count(*)` }).from(consultationGeneratedRows).where(eq(consultationGeneratedRows.consultationId, consultationId)).get();
    return `${submissions?.n ?? 0}.${submissions?.numbers ?? 0}.${submissions?.last ?? 0}.${generated?.n ?? 0}`;
  }

  /** Answers of submissions, for change control: every submission and draft must still read. */
  async allSubmittedAnswers(consultationId: string): Promise<Array<{ respondent: string; answers: AnswerMap }>> {
    return this.db
      .select({ respondent: consultationSubmissions.respondent, answers: consultationSubmissions.answers })
      .from(consultationSubmissions)
      .where(eq(consultationSubmissions.consultationId, consultationId))
      .all();
  }

  /** A data validation round's rows for one respondent (or every respondent), by respondent and question. */
  async generatedRows(consultationId: string, respondent?: string): Promise<Map<string, Map<string, GeneratedRow[]>>> {
    const scope = eq(consultationGeneratedRows.consultationId, consultationId);
    const found = this.db
      .select({ respondent: consultationGeneratedRows.respondent, question: consultationGeneratedRows.question, rows: consultationGeneratedRows.rows })
      .from(consultationGeneratedRows)
      .where(respondent === undefined ? scope : and(scope, eq(consultationGeneratedRows.respondent, respondent)))
      .all();
    const out = new Map<string, Map<string, GeneratedRow[]>>();
    for (const row of found) {
      const tables = out.get(row.respondent) ?? new Map<string, GeneratedRow[]>();
      tables.set(row.question, row.rows);
      out.set(row.respondent, tables);
    }
    return out;
  }

  /** Keeps the rows made for a respondent's table; rows already kept stay (the first made are the ones shown). */
  storeGeneratedRows(consultationId: string, respondent: string, question: string, rows: GeneratedRow[], now: number): void {
    this.db.insert(consultationGeneratedRows).values({ consultationId, respondent, question, rows, generatedAt: now }).onConflictDoNothing().run();
  }

  setSubmissionValidation(consultationId: string, respondent: string, number: number, validation: ValidationRecord[]): void {
    this.db
      .update(consultationSubmissions)
      .set({ validation })
      .where(and(eq(consultationSubmissions.consultationId, consultationId), eq(consultationSubmissions.respondent, respondent), eq(consultationSubmissions.number, number)))
      .run();
  }

  logChanges(consultationId: string, respondent: string, changes: readonly FieldChange[]): void {
    if (changes.length === 0) return;
    this.db
      .insert(consultationChanges)
      .values(changes.map((change) => ({ consultationId, respondent, field: change.field, kind: change.kind, before: change.before, after: change.after, by: change.by, at: change.at, revision: change.revision })))
      .run();
  }

  /** The newest changes first, before `beforeId` when paging. */
  async changes(consultationId: string, respondent: string, limit: number, beforeId: number | null): Promise<ChangeRow[]> {
    const scope = and(eq(consultationChanges.consultationId, consultationId), eq(consultationChanges.respondent, respondent));
    return this.db
      .select()
      .from(consultationChanges)
      .where(beforeId === null ? scope : and(scope, lt(consultationChanges.id, beforeId)))
      .orderBy(desc(consultationChanges.id))
      .limit(limit)
      .all();
  }

  reviewNow(consultationId: string, respondent: string, question: string): AnswerReview | undefined {
    return this.db
      .select({ review: consultationReviews.review })
      .from(consultationReviews)
      .where(and(eq(consultationReviews.consultationId, consultationId), eq(consultationReviews.respondent, respondent), eq(consultationReviews.question, question)))
      .get()?.review;
  }

  saveReview(consultationId: string, respondent: string, question: string, review: AnswerReview, now: number): void {
    this.db
      .insert(consultationReviews)
      .values({ consultationId, respondent, question, review, updatedAt: now })
      .onConflictDoUpdate({ target: [consultationReviews.consultationId, consultationReviews.respondent, consultationReviews.question], set: { review, updatedAt: now } })
      .run();
  }

  /** Reviews of a consultation, of one respondent when given. */
  async reviews(consultationId: string, respondent?: string): Promise<ReviewRow[]> {
    return this.reviewsNow(consultationId, respondent);
  }

  reviewsNow(consultationId: string, respondent?: string): ReviewRow[] {
    const scope = eq(consultationReviews.consultationId, consultationId);
    return this.db
      .select()
      .from(consultationReviews)
      .where(respondent === undefined ? scope : and(scope, eq(consultationReviews.respondent, respondent)))
      .all();
  }

  /** False when this mail (by its Message-ID) was already kept as a note. */
  addMailNote(note: MailNoteRow): boolean {
    return this.db.insert(consultationMailNotes).values(note).onConflictDoNothing().run().changes > 0;
  }

  /** A delegation's notes from replies by mail, oldest first. */
  async mailNotes(consultationId: string, respondent: string): Promise<MailNoteRow[]> {
    return this.db
      .select()
      .from(consultationMailNotes)
      .where(and(eq(consultationMailNotes.consultationId, consultationId), eq(consultationMailNotes.respondent, respondent)))
      .orderBy(asc(consultationMailNotes.createdAt), asc(consultationMailNotes.id))
      .all();
  }

  remindersSentNow(consultationId: string): Array<{ respondent: string; kind: string }> {
    return this.db.select({ respondent: consultationReminders.respondent, kind: consultationReminders.kind }).from(consultationReminders).where(eq(consultationReminders.consultationId, consultationId)).all();
  }

  /** False when that reminder was already recorded (sent). */
  recordReminder(key: string, consultationId: string, respondent: string, kind: string, now: number): boolean {
    const result = this.db.insert(consultationReminders).values({ key, consultationId, respondent, kind, sentAt: now }).onConflictDoNothing().run();
    return result.changes > 0;
  }

  async remindersSent(consultationId: string) {
    return this.db.select().from(consultationReminders).where(eq(consultationReminders.consultationId, consultationId)).orderBy(asc(consultationReminders.sentAt)).all();
  }

  /**
   * The active people who answer for a respondent: the members of a country (with their delegation
   * role), or the observers of an organization. Synchronous: reminder jobs address them inside their commit.
   */
  delegatesNow(groupId: string, respondent: string): Array<{ id: string; displayName: string; delegationRole: 'focal_point' | 'alternate' | null }> {
    return this.db
      .select({ id: users.id, displayName: users.displayName, delegationRole: memberships.delegationRole })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.groupId, groupId),
          isNull(users.deactivatedAt),
          or(and(eq(memberships.role, 'member'), eq(memberships.countryId, respondent)), and(eq(memberships.role, 'observer'), eq(memberships.organizationId, respondent))),
        ),
      )
      .all();
  }
}
