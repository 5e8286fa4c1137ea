import { and, count, desc, eq, gt, isNull, type SQL } from 'drizzle-orm';
import type { Database, Orm } from '../../plugins/database.js';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { Role } from '../../shared/roles.js';
import { newId } from '../../shared/ids.js';
import type { NewPerson } from '../people/public.js';
import { invitations } from './tables.js';
import { users } from '../../plugins/identity/tables.js';

export type Invitation = typeof invitations.$inferSelect;
export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export function invitationStatus(invitation: Invitation, now = new Date()): InvitationStatus {
  if (invitation.acceptedAt) return 'accepted';
  if (invitation.revokedAt) return 'revoked';
  if (invitation.expiresAt <= now) return 'expired';
  return 'pending';
}

export interface NewInvitation {
  groupId: string;
  tokenHash: string;
  email: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
  invitedBy: string;
  expiresAt: Date;
}

export interface Acceptance {
  displayName: string;
  passwordHash: string;
  locale: string;
  timeZone: string;
}

export type AcceptOutcome = { ok: true; userId: string; invitation: Invitation } | { ok: false; reason: 'unusable' | 'email_taken' };

export class InvitationsRepository {
  private readonly db: Orm;

  /** @param insertPerson creates the person inside the acceptance's unit of work (the people feature's, `fastify.people.insertWithin`). */
  constructor(
    database: Database,
    private readonly insertPerson: (commit: PendingCommit, person: NewPerson, now: Date) => Promise<string>,
  ) {
    this.db = database.orm;
  }

  /** Inside the caller's unit of work (the invitation mail is queued in the same commit). A new invitation supersedes any pending one for the same address. */
  async createWithin(invitation: NewInvitation, now = new Date()): Promise<Invitation> {
    await this.db
      .update(invitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invitations.groupId, invitation.groupId),
          eq(invitations.email, invitation.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
    const [created] = await this.db.insert(invitations).values({ id: newId(), createdAt: now, ...invitation }).returning();
    return created!;
  }

  async list(groupId: string, filter: { status?: 'pending'; limit: number; offset: number }, now = new Date()) {
    const conditions: SQL[] = [eq(invitations.groupId, groupId)];
    if (filter.status === 'pending') {
      conditions.push(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now));
    }
    const where = and(...conditions);
    const items = await this.db
      .select({ invitation: invitations, invitedByName: users.displayName })
      .from(invitations)
      .innerJoin(users, eq(users.id, invitations.invitedBy))
      .where(where)
      .orderBy(desc(invitations.createdAt), desc(invitations.id))
      .limit(filter.limit)
      .offset(filter.offset);
    const [counted] = await this.db.select({ n: count() }).from(invitations).where(where);
    return { items, total: counted?.n ?? 0 };
  }

  async findById(groupId: string, id: string): Promise<{ invitation: Invitation; invitedByName: string } | undefined> {
    const [found] = await this.db
      .select({ invitation: invitations, invitedByName: users.displayName })
      .from(invitations)
      .innerJoin(users, eq(users.id, invitations.invitedBy))
      .where(and(eq(invitations.groupId, groupId), eq(invitations.id, id)))
      .limit(1);
    return found;
  }

  async findByTokenHash(tokenHash: string): Promise<Invitation | undefined> {
    return (await this.db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).limit(1))[0];
  }

  /**
   * Marks a usable invitation used (by this person, once known), inside the caller's unit of work;
   * false when it is no longer usable. Conditional on the row as it is when written: of two tabs
   * using one link, the second finds it used (on PostgreSQL it waits for the first's commit).
   */
  async useWithin(id: string, userId: string | null, now: Date): Promise<boolean> {
    const used = await this.db
      .update(invitations)
      .set({ acceptedAt: now, acceptedBy: userId })
      .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
      .returning({ id: invitations.id });
    return used.length === 1;
  }

  async revoke(id: string, now = new Date()): Promise<void> {
    await this.db.update(invitations).set({ revokedAt: now }).where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)));
  }

  /**
   * Creates the account and its membership and uses the invitation, inside the caller's unit of
   * work: two tabs accepting the same link cannot both succeed.
   */
  async acceptWithin(commit: PendingCommit, tokenHash: string, acceptance: Acceptance, now = new Date()): Promise<AcceptOutcome> {
    const invitation = await this.findByTokenHash(tokenHash);
    if (!invitation || invitationStatus(invitation, now) !== 'pending') return { ok: false, reason: 'unusable' };
    if ((await this.db.select({ id: users.id }).from(users).where(eq(users.email, invitation.email)).limit(1)).length > 0) return { ok: false, reason: 'email_taken' };
    // Claimed before the account exists (nothing is written when another tab claimed it first); whose it is comes after.
    if (!(await this.useWithin(invitation.id, null, now))) return { ok: false, reason: 'unusable' };
    const userId = await this.insertPerson(
      commit,
      { groupId: invitation.groupId, email: invitation.email, role: invitation.role, countryId: invitation.countryId, organizationId: invitation.organizationId, ...acceptance },
      now,
    );
    await this.db.update(invitations).set({ acceptedBy: userId }).where(eq(invitations.id, invitation.id));
    return { ok: true, userId, invitation };
  }
}
