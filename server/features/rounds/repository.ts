import { and, asc, desc, eq, isNull, or } from 'drizzle-orm';
import { isKeyViolation, type Db } from '../../plugins/db.js';
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

/** SQLite's answer to a second standing submission of a party (the partial unique index). */

/**
 * The comment rounds' storage. Async at its boundary (the calls are synchronous SQLite underneath):
 * what changes together is written in one transaction.
 */
export class RoundsRepository {
  constructor(private readonly db: Db) {}

  async structure(documentId: string, version: number): Promise<DocumentStructure | undefined> {
    return this.db.select({ structure: roundStructures.structure }).from(roundStructures).where(and(eq(roundStructures.documentId, documentId), eq(roundStructures.version, version))).get()?.structure;
  }

  async saveStructure(documentId: string, version: number, structure: DocumentStructure, now: Date): Promise<void> {
    this.db.insert(roundStructures).values({ documentId, version, structure, createdAt: now }).onConflictDoNothing().run();
  }

  async insertRound(groupId: string, state: RoundState, now: Date): Promise<void> {
    this.db.insert(commentRounds).values({ id: state.id, groupId, documentId: state.documentId, status: state.status, state, createdAt: now }).run();
  }

  async round(id: string): Promise<RoundRow | undefined> {
    return this.db.select({ id: commentRounds.id, groupId: commentRounds.groupId, documentId: commentRounds.documentId, state: commentRounds.state }).from(commentRounds).where(eq(commentRounds.id, id)).get();
  }

  async saveRound(state: RoundState): Promise<void> {
    this.db.update(commentRounds).set({ state, status: state.status }).where(eq(commentRounds.id, state.id)).run();
  }

  /** The group's rounds, newest first, optionally on one document. */
  async rounds(groupId: string, documentId: string | null, limit: number, offset: number): Promise<RoundRow[]> {
    const where = documentId ? and(eq(commentRounds.groupId, groupId), eq(commentRounds.documentId, documentId)) : eq(commentRounds.groupId, groupId);
    return this.db
      .select({ id: commentRounds.id, groupId: commentRounds.groupId, documentId: commentRounds.documentId, state: commentRounds.state })
      .from(commentRounds)
      .where(where)
      .orderBy(desc(commentRounds.createdAt), desc(commentRounds.id))
      .limit(limit)
      .offset(offset)
      .all();
  }

  async comments(roundId: string): Promise<Comment[]> {
    return this.db.select({ comment: roundComments.comment }).from(roundComments).where(eq(roundComments.roundId, roundId)).orderBy(asc(roundComments.createdAt), asc(roundComments.id)).all().map((row) => row.comment);
  }

  async comment(roundId: string, id: string): Promise<Comment | undefined> {
    return this.db.select({ comment: roundComments.comment }).from(roundComments).where(and(eq(roundComments.roundId, roundId), eq(roundComments.id, id))).get()?.comment;
  }

  async insertComment(comment: Comment, partyKey: string, now: Date): Promise<void> {
    this.db.insert(roundComments).values({ id: comment.id, roundId: comment.roundId, partyKey, authorId: comment.authorId, state: comment.state, comment, createdAt: now }).run();
  }

  async saveComment(comment: Comment): Promise<void> {
    this.db.update(roundComments).set({ comment, state: comment.state }).where(eq(roundComments.id, comment.id)).run();
  }

  async deleteComment(id: string): Promise<void> {
    this.db.delete(roundComments).where(eq(roundComments.id, id)).run();
  }

  /** Every submission of the round, withdrawn ones included, oldest first. */
  async submissions(roundId: string): Promise<Array<StoredSubmission & { withdrawnAt: Date | null }>> {
    return this.db
      .select()
      .from(roundSubmissions)
      .where(eq(roundSubmissions.roundId, roundId))
      .orderBy(asc(roundSubmissions.submittedAt))
      .all()
      .map((row) => ({ partyKey: row.partyKey, revision: row.revision, submittedAt: row.submittedAt.toISOString(), submittedBy: row.submittedBy, commentIds: row.commentIds, withdrawnAt: row.withdrawnAt }));
  }

  async designations(roundId: string): Promise<Map<string, string | null>> {
    const rows = this.db.select().from(roundDesignations).where(eq(roundDesignations.roundId, roundId)).all();
    return new Map(rows.map((row) => [row.partyKey, row.designatedId]));
  }

  async designate(roundId: string, partyKey: string, designatedId: string | null): Promise<void> {
    this.db.insert(roundDesignations).values({ roundId, partyKey, designatedId }).onConflictDoUpdate({ target: [roundDesignations.roundId, roundDesignations.partyKey], set: { designatedId } }).run();
  }

  /**
   * Stores a submission and its comments in one transaction. False when the party already has a
   * standing submission (another submitter got there first): nothing is written then.
   */
  async submit(roundId: string, partyKey: string, submission: Submission, comments: readonly Comment[]): Promise<boolean> {
    try {
      this.db.transaction((tx) => {
        tx.insert(roundSubmissions)
          .values({ roundId, partyKey, revision: submission.revision, submittedBy: submission.submittedBy, submittedAt: new Date(submission.submittedAt), commentIds: submission.commentIds })
          .run();
        for (const comment of comments) tx.update(roundComments).set({ comment, state: comment.state }).where(and(eq(roundComments.id, comment.id), eq(roundComments.state, 'draft'))).run();
      });
      return true;
    } catch (error) {
      if (isKeyViolation(error)) return false;
      throw error;
    }
  }

  async withdraw(roundId: string, partyKey: string, comments: readonly Comment[], now: Date): Promise<void> {
    this.db.transaction((tx) => {
      tx.update(roundSubmissions).set({ withdrawnAt: now }).where(and(eq(roundSubmissions.roundId, roundId), eq(roundSubmissions.partyKey, partyKey), isNull(roundSubmissions.withdrawnAt))).run();
      for (const comment of comments) tx.update(roundComments).set({ comment, state: comment.state }).where(eq(roundComments.id, comment.id)).run();
    });
  }

  async dispositions(roundId: string): Promise<Map<string, Disposition>> {
    const rows = this.db.select({ disposition: roundDispositions.disposition }).from(roundDispositions).where(eq(roundDispositions.roundId, roundId)).all();
    return new Map(rows.map((row) => [row.disposition.commentId, row.disposition]));
  }

  async saveDisposition(roundId: string, disposition: Disposition): Promise<void> {
    this.db.insert(roundDispositions).values({ commentId: disposition.commentId, roundId, disposition }).onConflictDoUpdate({ target: roundDispositions.commentId, set: { disposition } }).run();
  }

  async replies(roundId: string): Promise<Map<string, Reply>> {
    const rows = this.db.select({ reply: roundReplies.reply }).from(roundReplies).where(eq(roundReplies.roundId, roundId)).all();
    return new Map(rows.map((row) => [row.reply.commentId, row.reply]));
  }

  async saveReply(roundId: string, reply: Reply): Promise<void> {
    this.db.insert(roundReplies).values({ commentId: reply.commentId, roundId, reply }).onConflictDoUpdate({ target: roundReplies.commentId, set: { reply } }).run();
  }

  async reanchors(roundId: string, version: number): Promise<Map<string, Reanchored>> {
    const rows = this.db.select().from(roundReanchors).where(and(eq(roundReanchors.roundId, roundId), eq(roundReanchors.version, version))).all();
    return new Map(rows.map((row) => [row.commentId, row.result]));
  }

  /** The round with its next version and where every comment re-anchored onto it, in one transaction. */
  async attachNextVersion(state: RoundState, version: number, results: ReadonlyMap<string, Reanchored>, dispositions: readonly Disposition[]): Promise<void> {
    this.db.transaction((tx) => {
      tx.update(commentRounds).set({ state, status: state.status }).where(eq(commentRounds.id, state.id)).run();
      tx.delete(roundReanchors).where(and(eq(roundReanchors.roundId, state.id), eq(roundReanchors.version, version))).run();
      for (const [commentId, result] of results) tx.insert(roundReanchors).values({ commentId, roundId: state.id, version, result }).run();
      for (const disposition of dispositions) tx.update(roundDispositions).set({ disposition }).where(eq(roundDispositions.commentId, disposition.commentId)).run();
    });
  }

  async silence(roundId: string): Promise<SilenceState | undefined> {
    return this.db.select({ state: silenceProcedures.state }).from(silenceProcedures).where(eq(silenceProcedures.roundId, roundId)).orderBy(desc(silenceProcedures.createdAt)).limit(1).get()?.state;
  }

  async insertSilence(roundId: string, state: SilenceState, now: Date): Promise<void> {
    this.db.insert(silenceProcedures).values({ id: state.id, roundId, state, createdAt: now }).run();
  }

  async saveSilence(state: SilenceState): Promise<void> {
    this.db.update(silenceProcedures).set({ state }).where(eq(silenceProcedures.id, state.id)).run();
  }

  // ------------------------------------------------ synchronous reads for the scheduler's jobs (run inside a commit piece)

  roundNow(id: string): RoundRow | undefined {
    return this.db.select({ id: commentRounds.id, groupId: commentRounds.groupId, documentId: commentRounds.documentId, state: commentRounds.state }).from(commentRounds).where(eq(commentRounds.id, id)).get();
  }

  /** The party keys with a standing (not withdrawn) submission. */
  standingPartiesNow(roundId: string): Set<string> {
    const rows = this.db.select({ partyKey: roundSubmissions.partyKey }).from(roundSubmissions).where(and(eq(roundSubmissions.roundId, roundId), isNull(roundSubmissions.withdrawnAt))).all();
    return new Set(rows.map((row) => row.partyKey));
  }

  /** The active people who speak for a party: a country's members and coordinator, an agency's observers. */
  partyPeopleNow(groupId: string, party: Party): Array<{ id: string; locale: string }> {
    const speaks =
      party.kind === 'country'
        ? and(or(eq(memberships.role, 'member'), eq(memberships.role, 'coordinator')), eq(memberships.countryId, party.id))
        : and(eq(memberships.role, 'observer'), eq(memberships.organizationId, party.id));
    return this.db
      .select({ id: users.id, locale: users.locale })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.groupId, groupId), isNull(users.deactivatedAt), speaks))
      .all();
  }
}
