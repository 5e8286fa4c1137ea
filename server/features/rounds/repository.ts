import { and, asc, desc, eq, isNull, or } from 'drizzle-orm';
import type { Database } from '../../plugins/database.js';
import { memberships, users } from '../../plugins/identity/tables.js';
import type { Party } from './domain/participants.js';
import type { Comment, Submission } from './domain/comments.js';
import type { Disposition, Reply } from './domain/dispositions.js';
import type { Reanchored } from './domain/reanchor.js';
import type { RoundState } from './domain/round.js';
import type { SilenceState } from './domain/silence.js';
import type { DocumentStructure } from './domain/structure.js';
import { commentRounds, roundComments, roundDesignations, roundDispositions, roundReanchors, roundReplies, roundStructures, roundSubmissions, silenceProcedures } from './tables.js';

export interface RoundRow {
  id: string;
  groupId: string;
  documentId: string;
  state: RoundState;
}

export interface StoredSubmission extends Submission {
  partyKey: string;
}

/**
 * The comment rounds' storage. What changes together (a submission and its comments, the next
 * version and the re-anchored comments) is written by one call, which the caller runs inside its
 * unit of work: that holds the transaction.
 */
export class RoundsRepository {
  constructor(private readonly database: Database) {}

  private get orm() {
    return this.database.orm;
  }

  async structure(documentId: string, version: number): Promise<DocumentStructure | undefined> {
    const rows = await this.orm.select({ structure: roundStructures.structure }).from(roundStructures).where(and(eq(roundStructures.documentId, documentId), eq(roundStructures.version, version))).limit(1);
    return rows[0]?.structure;
  }

  async saveStructure(documentId: string, version: number, structure: DocumentStructure, now: Date): Promise<void> {
    await this.orm.insert(roundStructures).values({ documentId, version, structure, createdAt: now }).onConflictDoNothing();
  }

  async insertRound(groupId: string, state: RoundState, now: Date): Promise<void> {
    await this.orm.insert(commentRounds).values({ id: state.id, groupId, documentId: state.documentId, status: state.status, state, createdAt: now });
  }

  async round(id: string): Promise<RoundRow | undefined> {
    const rows = await this.orm.select({ id: commentRounds.id, groupId: commentRounds.groupId, documentId: commentRounds.documentId, state: commentRounds.state }).from(commentRounds).where(eq(commentRounds.id, id)).limit(1);
    return rows[0];
  }

  async saveRound(state: RoundState): Promise<void> {
    await this.orm.update(commentRounds).set({ state, status: state.status }).where(eq(commentRounds.id, state.id));
  }

  /** The group's rounds, newest first, optionally on one document. */
  async rounds(groupId: string, documentId: string | null, limit: number, offset: number): Promise<RoundRow[]> {
    const where = documentId ? and(eq(commentRounds.groupId, groupId), eq(commentRounds.documentId, documentId)) : eq(commentRounds.groupId, groupId);
    return this.orm
      .select({ id: commentRounds.id, groupId: commentRounds.groupId, documentId: commentRounds.documentId, state: commentRounds.state })
      .from(commentRounds)
      .where(where)
      .orderBy(desc(commentRounds.createdAt), desc(commentRounds.id))
      .limit(limit)
      .offset(offset);
  }

  async comments(roundId: string): Promise<Comment[]> {
    const rows = await this.orm.select({ comment: roundComments.comment }).from(roundComments).where(eq(roundComments.roundId, roundId)).orderBy(asc(roundComments.createdAt), asc(roundComments.id));
    return rows.map((row) => row.comment);
  }

  async comment(roundId: string, id: string): Promise<Comment | undefined> {
    const rows = await this.orm.select({ comment: roundComments.comment }).from(roundComments).where(and(eq(roundComments.roundId, roundId), eq(roundComments.id, id))).limit(1);
    return rows[0]?.comment;
  }

  async insertComment(comment: Comment, partyKey: string, now: Date): Promise<void> {
    await this.orm.insert(roundComments).values({ id: comment.id, roundId: comment.roundId, partyKey, authorId: comment.authorId, state: comment.state, comment, createdAt: now });
  }

  async saveComment(comment: Comment): Promise<void> {
    await this.orm.update(roundComments).set({ comment, state: comment.state }).where(eq(roundComments.id, comment.id));
  }

  async deleteComment(id: string): Promise<void> {
    await this.orm.delete(roundComments).where(eq(roundComments.id, id));
  }

  /** Every submission of the round, withdrawn ones included, oldest first. */
  async submissions(roundId: string): Promise<Array<StoredSubmission & { withdrawnAt: Date | null }>> {
    const rows = await this.orm.select().from(roundSubmissions).where(eq(roundSubmissions.roundId, roundId)).orderBy(asc(roundSubmissions.submittedAt));
    return rows.map((row) => ({ partyKey: row.partyKey, revision: row.revision, submittedAt: row.submittedAt.toISOString(), submittedBy: row.submittedBy, commentIds: row.commentIds, withdrawnAt: row.withdrawnAt }));
  }

  async designations(roundId: string): Promise<Map<string, string | null>> {
    const rows = await this.orm.select().from(roundDesignations).where(eq(roundDesignations.roundId, roundId));
    return new Map(rows.map((row) => [row.partyKey, row.designatedId]));
  }

  async designate(roundId: string, partyKey: string, designatedId: string | null): Promise<void> {
    await this.orm.insert(roundDesignations).values({ roundId, partyKey, designatedId }).onConflictDoUpdate({ target: [roundDesignations.roundId, roundDesignations.partyKey], set: { designatedId } });
  }

  /**
   * Stores a submission and its comments; the caller's unit of work holds them together. When the
   * party already has a standing submission (another submitter got there first) the first insert
   * fails on the partial unique index (isKeyViolation) and nothing is written.
   */
  async submit(roundId: string, partyKey: string, submission: Submission, comments: readonly Comment[]): Promise<void> {
    await this.orm
      .insert(roundSubmissions)
      .values({ roundId, partyKey, revision: submission.revision, submittedBy: submission.submittedBy, submittedAt: new Date(submission.submittedAt), commentIds: submission.commentIds });
    for (const comment of comments) await this.orm.update(roundComments).set({ comment, state: comment.state }).where(and(eq(roundComments.id, comment.id), eq(roundComments.state, 'draft')));
  }

  /** Withdraws the party's standing submission and stores its comments back as drafts; inside the caller's unit of work. */
  async withdraw(roundId: string, partyKey: string, comments: readonly Comment[], now: Date): Promise<void> {
    await this.orm.update(roundSubmissions).set({ withdrawnAt: now }).where(and(eq(roundSubmissions.roundId, roundId), eq(roundSubmissions.partyKey, partyKey), isNull(roundSubmissions.withdrawnAt)));
    for (const comment of comments) await this.orm.update(roundComments).set({ comment, state: comment.state }).where(eq(roundComments.id, comment.id));
  }

  async dispositions(roundId: string): Promise<Map<string, Disposition>> {
    const rows = await this.orm.select({ disposition: roundDispositions.disposition }).from(roundDispositions).where(eq(roundDispositions.roundId, roundId));
    return new Map(rows.map((row) => [row.disposition.commentId, row.disposition]));
  }

  async saveDisposition(roundId: string, disposition: Disposition): Promise<void> {
    await this.orm.insert(roundDispositions).values({ commentId: disposition.commentId, roundId, disposition }).onConflictDoUpdate({ target: roundDispositions.commentId, set: { disposition } });
  }

  async replies(roundId: string): Promise<Map<string, Reply>> {
    const rows = await this.orm.select({ reply: roundReplies.reply }).from(roundReplies).where(eq(roundReplies.roundId, roundId));
    return new Map(rows.map((row) => [row.reply.commentId, row.reply]));
  }

  async saveReply(roundId: string, reply: Reply): Promise<void> {
    await this.orm.insert(roundReplies).values({ commentId: reply.commentId, roundId, reply }).onConflictDoUpdate({ target: roundReplies.commentId, set: { reply } });
  }

  async reanchors(roundId: string, version: number): Promise<Map<string, Reanchored>> {
    const rows = await this.orm.select().from(roundReanchors).where(and(eq(roundReanchors.roundId, roundId), eq(roundReanchors.version, version)));
    return new Map(rows.map((row) => [row.commentId, row.result]));
  }

  /** The round with its next version and where every comment re-anchored onto it; inside the caller's unit of work. */
  async attachNextVersion(state: RoundState, version: number, results: ReadonlyMap<string, Reanchored>, dispositions: readonly Disposition[]): Promise<void> {
    await this.orm.update(commentRounds).set({ state, status: state.status }).where(eq(commentRounds.id, state.id));
    await this.orm.delete(roundReanchors).where(and(eq(roundReanchors.roundId, state.id), eq(roundReanchors.version, version)));
    for (const [commentId, result] of results) await this.orm.insert(roundReanchors).values({ commentId, roundId: state.id, version, result });
    for (const disposition of dispositions) await this.orm.update(roundDispositions).set({ disposition }).where(eq(roundDispositions.commentId, disposition.commentId));
  }

  async silence(roundId: string): Promise<SilenceState | undefined> {
    const rows = await this.orm.select({ state: silenceProcedures.state }).from(silenceProcedures).where(eq(silenceProcedures.roundId, roundId)).orderBy(desc(silenceProcedures.createdAt)).limit(1);
    return rows[0]?.state;
  }

  async insertSilence(roundId: string, state: SilenceState, now: Date): Promise<void> {
    await this.orm.insert(silenceProcedures).values({ id: state.id, roundId, state, createdAt: now });
  }

  async saveSilence(state: SilenceState): Promise<void> {
    await this.orm.update(silenceProcedures).set({ state }).where(eq(silenceProcedures.id, state.id));
  }

  /** The party keys with a standing (not withdrawn) submission. */
  async standingParties(roundId: string): Promise<Set<string>> {
    const rows = await this.orm.select({ partyKey: roundSubmissions.partyKey }).from(roundSubmissions).where(and(eq(roundSubmissions.roundId, roundId), isNull(roundSubmissions.withdrawnAt)));
    return new Set(rows.map((row) => row.partyKey));
  }

  /** The active people who speak for a party: a country's members and coordinator, an agency's observers. */
  async partyPeople(groupId: string, party: Party): Promise<Array<{ id: string; locale: string }>> {
    const speaks =
      party.kind === 'country'
        ? and(or(eq(memberships.role, 'member'), eq(memberships.role, 'coordinator')), eq(memberships.countryId, party.id))
        : and(eq(memberships.role, 'observer'), eq(memberships.organizationId, party.id));
    return this.orm
      .select({ id: users.id, locale: users.locale })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.groupId, groupId), isNull(users.deactivatedAt), speaks));
  }
}
