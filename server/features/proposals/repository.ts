import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../plugins/database.js';
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

/** The proposals' storage. The writes run inside the caller's unit of work (its pieces, the scheduler's jobs). */
export class ProposalsRepository {
  constructor(private readonly database: Database) {}

  private get orm() {
    return this.database.orm;
  }

  async find(id: string): Promise<ProposalRecord | undefined> {
    return (await this.orm.select().from(proposals).where(eq(proposals.id, id)).limit(1))[0];
  }

  async ofThread(threadId: string): Promise<ProposalRecord[]> {
    return this.orm.select().from(proposals).where(eq(proposals.threadId, threadId)).orderBy(asc(proposals.createdAt), asc(proposals.id));
  }

  async fromPoll(pollId: string): Promise<ProposalRecord | undefined> {
    return (await this.orm.select().from(proposals).where(eq(proposals.fromPollId, pollId)).limit(1))[0];
  }

  async positions(proposalIds: readonly string[]): Promise<Position[]> {
    if (proposalIds.length === 0) return [];
    const rows = await this.orm.select().from(proposalPositions).where(inArray(proposalPositions.proposalId, [...proposalIds])).orderBy(asc(proposalPositions.at));
    return rows.map(toPosition);
  }

  async position(proposalId: string, voterKey: string): Promise<Position | null> {
    const [row] = await this.orm.select().from(proposalPositions).where(and(eq(proposalPositions.proposalId, proposalId), eq(proposalPositions.voterKey, voterKey))).limit(1);
    return row ? toPosition(row) : null;
  }

  /** Active people of the group, with what they speak for. */
  async members(groupId: string): Promise<MemberRow[]> {
    return this.orm
      .select({ id: users.id, displayName: users.displayName, role: memberships.role, countryId: memberships.countryId, organizationId: memberships.organizationId, delegationRole: memberships.delegationRole })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.groupId, groupId), isNull(users.deactivatedAt)))
      .orderBy(asc(users.displayName), asc(users.id));
  }

  async countryNames(ids: readonly string[]): Promise<Map<string, { en: string; es: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.orm.select({ id: countries.id, en: countries.nameEn, es: countries.nameEs }).from(countries).where(inArray(countries.id, [...ids]));
    return new Map(rows.map((row) => [row.id, { en: row.en, es: row.es }]));
  }

  /** Fails on the unique index of `fromPollId` (isKeyViolation) when that poll was turned into a proposal meanwhile. */
  async insert(groupId: string, proposal: ProposalState, statementHtml: string, fromPollId: string | null): Promise<void> {
    await this.orm.insert(proposals).values({
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
    });
  }

  /** Closing time, early close and outcome as the domain left them. */
  async update(proposal: ProposalState, outcomeHtml?: string): Promise<void> {
    await this.orm
      .update(proposals)
      .set({
        closesAt: new Date(proposal.closesAt),
        closedAt: proposal.closedAt === null ? null : new Date(proposal.closedAt),
        closedBy: proposal.closedBy,
        ...(proposal.outcome && outcomeHtml !== undefined
          ? { outcome: proposal.outcome.markdown, outcomeHtml, outcomeBy: proposal.outcome.by, outcomeAt: new Date(proposal.outcome.at), outcomeEditedAt: proposal.outcome.editedAt === null ? null : new Date(proposal.outcome.editedAt) }
          : {}),
      })
      .where(eq(proposals.id, proposal.id));
  }

  /**
   * Stores a position the domain accepted: a first one is inserted (false when another took the
   * key meanwhile), a replacement updates only the revision it replaces (false when it moved).
   */
  async savePosition(position: Position): Promise<boolean> {
    const values = { ...position, at: new Date(position.at) };
    // A taken key is answered by the conflict clause rather than an error: on PostgreSQL an error would end the caller's transaction.
    if (position.revision === 1) return (await this.orm.insert(proposalPositions).values(values).onConflictDoNothing().returning({ key: proposalPositions.voterKey })).length === 1;
    const updated = await this.orm
      .update(proposalPositions)
      .set(values)
      .where(and(eq(proposalPositions.proposalId, position.proposalId), eq(proposalPositions.voterKey, position.voterKey), eq(proposalPositions.revision, position.revision - 1)))
      .returning({ key: proposalPositions.voterKey });
    return updated.length === 1;
  }

  async remindersSent(proposalId: string): Promise<Set<string>> {
    const rows = await this.orm.select({ key: proposalReminders.key }).from(proposalReminders).where(eq(proposalReminders.proposalId, proposalId));
    return new Set(rows.map((row) => row.key));
  }

  /** Records a reminder as sent; false if it already was (nothing is sent twice). */
  async recordReminder(key: string, proposalId: string, userId: string, now: Date): Promise<boolean> {
    return (await this.orm.insert(proposalReminders).values({ key, proposalId, userId, sentAt: now }).onConflictDoNothing().returning({ key: proposalReminders.key })).length === 1;
  }
}
