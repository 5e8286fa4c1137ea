import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { isKeyViolation, type Db } from '../../plugins/db.js';
import { countries, memberships, users } from '../../plugins/identity/tables.js';
import type { Position, ProposalState } from './domain/proposal.js';
import { proposalPositions, proposalReminders, proposals } from './tables.js';

export type ProposalRecord = typeof proposals.$inferSelect;

/** A person of the group as the proposals need them: who they are, what they speak for. */
export interface MemberRow {
  id: string;
  displayName: string;
  role: 'admin' | 'coordinator' | 'secretariat' | 'member' | 'observer';
  countryId: string | null;
  organizationId: string | null;
  delegationRole: 'focal_point' | 'alternate' | null;
}

export const toState = (row: ProposalRecord): ProposalState => ({
  id: row.id,
  threadId: row.threadId,
  proposerId: row.proposerId,
  statement: row.statement,
  eligibility: row.eligibility,
  closesAt: row.closesAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
  closedAt: row.closedAt?.toISOString() ?? null,
  closedBy: row.closedBy,
  outcome: row.outcome !== null && row.outcomeBy !== null && row.outcomeAt !== null ? { markdown: row.outcome, by: row.outcomeBy, at: row.outcomeAt.toISOString(), editedAt: row.outcomeEditedAt?.toISOString() ?? null } : null,
});

const toPosition = (row: typeof proposalPositions.$inferSelect): Position => ({
  proposalId: row.proposalId,
  voterKey: row.voterKey,
  countryId: row.countryId,
  position: row.position,
  reason: row.reason,
  by: row.by,
  at: row.at.toISOString(),
  revision: row.revision,
  fromPoll: row.fromPoll,
});


/**
 * The proposals' storage. Reads are async at the boundary; the `...Now` reads and the writes are
 * synchronous, for the unit of work's pieces and the scheduler's jobs (better-sqlite3 underneath).
 */
export class ProposalsRepository {
  constructor(private readonly db: Db) {}

  findNow(id: string): ProposalRecord | undefined {
    return this.db.select().from(proposals).where(eq(proposals.id, id)).get();
  }

  async find(id: string): Promise<ProposalRecord | undefined> {
    return this.findNow(id);
  }

  async ofThread(threadId: string): Promise<ProposalRecord[]> {
    return this.db.select().from(proposals).where(eq(proposals.threadId, threadId)).orderBy(asc(proposals.createdAt), asc(proposals.id)).all();
  }

  async fromPoll(pollId: string): Promise<ProposalRecord | undefined> {
    return this.db.select().from(proposals).where(eq(proposals.fromPollId, pollId)).get();
  }

  positionsNow(proposalIds: readonly string[]): Position[] {
    if (proposalIds.length === 0) return [];
    return this.db.select().from(proposalPositions).where(inArray(proposalPositions.proposalId, [...proposalIds])).orderBy(asc(proposalPositions.at)).all().map(toPosition);
  }

  async positions(proposalIds: readonly string[]): Promise<Position[]> {
    return this.positionsNow(proposalIds);
  }

  positionNow(proposalId: string, voterKey: string): Position | null {
    const row = this.db.select().from(proposalPositions).where(and(eq(proposalPositions.proposalId, proposalId), eq(proposalPositions.voterKey, voterKey))).get();
    return row ? toPosition(row) : null;
  }

  /** Active people of the group, with what they speak for (scheduled jobs read them inside their piece). */
  membersNow(groupId: string): MemberRow[] {
    return this.db
      .select({ id: users.id, displayName: users.displayName, role: memberships.role, countryId: memberships.countryId, organizationId: memberships.organizationId, delegationRole: memberships.delegationRole })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.groupId, groupId), isNull(users.deactivatedAt)))
      .orderBy(asc(users.displayName), asc(users.id))
      .all();
  }

  async members(groupId: string): Promise<MemberRow[]> {
    return this.membersNow(groupId);
  }

  async countryNames(ids: readonly string[]): Promise<Map<string, { en: string; es: string }>> {
    if (ids.length === 0) return new Map();
    const rows = this.db.select({ id: countries.id, en: countries.nameEn, es: countries.nameEs }).from(countries).where(inArray(countries.id, [...ids])).all();
    return new Map(rows.map((row) => [row.id, { en: row.en, es: row.es }]));
  }

  insertNow(groupId: string, proposal: ProposalState, statementHtml: string, fromPollId: string | null): void {
    this.db
      .insert(proposals)
      .values({
        id: proposal.id,
        groupId,
        threadId: proposal.threadId,
        proposerId: proposal.proposerId,
        statement: proposal.statement,
        statementHtml,
        eligibility: proposal.eligibility,
        closesAt: new Date(proposal.closesAt),
        createdAt: new Date(proposal.createdAt),
        fromPollId,
      })
      .run();
  }

  /** Closing time, early close and outcome as the domain left them. */
  updateNow(proposal: ProposalState, outcomeHtml?: string): void {
    this.db
      .update(proposals)
      .set({
        closesAt: new Date(proposal.closesAt),
        closedAt: proposal.closedAt === null ? null : new Date(proposal.closedAt),
        closedBy: proposal.closedBy,
        ...(proposal.outcome && outcomeHtml !== undefined
          ? { outcome: proposal.outcome.markdown, outcomeHtml, outcomeBy: proposal.outcome.by, outcomeAt: new Date(proposal.outcome.at), outcomeEditedAt: proposal.outcome.editedAt === null ? null : new Date(proposal.outcome.editedAt) }
          : {}),
      })
      .where(eq(proposals.id, proposal.id))
      .run();
  }

  /**
   * Stores a position the domain accepted: a first one is inserted (false when another took the
   * key meanwhile), a replacement updates only the revision it replaces (false when it moved).
   */
  savePositionNow(position: Position): boolean {
    const values = { ...position, at: new Date(position.at) };
    if (position.revision === 1) {
      try {
        this.db.insert(proposalPositions).values(values).run();
        return true;
      } catch (error) {
        if (isKeyViolation(error)) return false;
        throw error;
      }
    }
    const result = this.db
      .update(proposalPositions)
      .set(values)
      .where(and(eq(proposalPositions.proposalId, position.proposalId), eq(proposalPositions.voterKey, position.voterKey), eq(proposalPositions.revision, position.revision - 1)))
      .run();
    return result.changes === 1;
  }

  remindersSentNow(proposalId: string): Set<string> {
    return new Set(this.db.select({ key: proposalReminders.key }).from(proposalReminders).where(eq(proposalReminders.proposalId, proposalId)).all().map((row) => row.key));
  }

  /** Records a reminder as sent; false if it already was (nothing is sent twice). */
  recordReminderNow(key: string, proposalId: string, userId: string, now: Date): boolean {
    return this.db.insert(proposalReminders).values({ key, proposalId, userId, sentAt: now }).onConflictDoNothing().run().changes === 1;
  }
}
