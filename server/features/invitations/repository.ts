import { and, desc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, DbTransaction } from '../../plugins/db.js';
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

export type AcceptOutcome = { ok: true; userId: string } | { ok: false; reason: 'unusable' | 'email_taken' };

export class InvitationsRepository {
  /** @param insertPerson creates the person inside the acceptance's transaction (the people feature's, `fastify.people.insertWithin`). */
  constructor(
    private readonly db: Db,
    private readonly insertPerson: (tx: DbTransaction, person: NewPerson, now: Date) => string,
  ) {}

  /** A new invitation supersedes any pending one for the same address. */
  async create(invitation: NewInvitation, now = new Date()): Promise<Invitation> {
    return this.db.transaction(() => this.createWithin(invitation, now));
  }

  /** create() inside the caller's group-commit piece (the invitation mail is queued in the same commit). */
  createWithin(invitation: NewInvitation, now = new Date()): Invitation {
    this.db
      .update(invitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invitations.groupId, invitation.groupId),
          eq(invitations.email, invitation.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .run();
    return this.db.insert(invitations).values({ id: newId(), createdAt: now, ...invitation }).returning().get();
  }

  async list(groupId: string, filter: { status?: 'pending'; limit: number; offset: number }, now = new Date()) {
    const conditions: SQL[] = [eq(invitations.groupId, groupId)];
    if (filter.status === 'pending') {
      conditions.push(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now));
    }
    const where = and(...conditions);
    const items = this.db
      .select({ invitation: invitations, invitedByName: users.displayName })
      .from(invitations)
      .innerJoin(users, eq(users.id, invitations.invitedBy))
      .where(where)
      .orderBy(desc(invitations.createdAt), desc(invitations.id))
      .limit(filter.limit)
      .offset(filter.offset)
      .all();
    const total = this.db.select({ n: sql<number>`count(*)` }).from(invitations).where(where).get()?.n ?? 0;
    return { items, total };
  }

  async findById(groupId: string, id: string): Promise<{ invitation: Invitation; invitedByName: string } | undefined> {
    return this.db
      .select({ invitation: invitations, invitedByName: users.displayName })
      .from(invitations)
      .innerJoin(users, eq(users.id, invitations.invitedBy))
      .where(and(eq(invitations.groupId, groupId), eq(invitations.id, id)))
      .get();
  }

  async findByTokenHash(tokenHash: string): Promise<Invitation | undefined> {
    return this.db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).get();
  }

  /** Marks a usable invitation used by this person, inside the caller's unit-of-work piece; false when it is no longer usable. */
  useWithin(id: string, userId: string, now: Date): boolean {
    const used = this.db
      .update(invitations)
      .set({ acceptedAt: now, acceptedBy: userId })
      .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
      .run();
    return used.changes === 1;
  }

  async revoke(id: string, now = new Date()): Promise<void> {
    this.db.update(invitations).set({ revokedAt: now }).where(and(eq(invitations.id, id), isNull(invitations.acceptedAt))).run();
  }

  /**
   * Creates the account and its membership and uses the invitation, in one transaction:
   * two tabs accepting the same link cannot both succeed.
   */
  async accept(tokenHash: string, acceptance: Acceptance, now = new Date()): Promise<AcceptOutcome> {
    return this.db.transaction(
      (tx): AcceptOutcome => {
        const invitation = tx
          .select()
          .from(invitations)
          .where(and(eq(invitations.tokenHash, tokenHash), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
          .get();
        if (!invitation) return { ok: false, reason: 'unusable' };
        if (tx.select({ id: users.id }).from(users).where(eq(users.email, invitation.email)).get()) return { ok: false, reason: 'email_taken' };
        const userId = this.insertPerson(
          tx,
          { groupId: invitation.groupId, email: invitation.email, role: invitation.role, countryId: invitation.countryId, organizationId: invitation.organizationId, ...acceptance },
          now,
        );
        tx.update(invitations).set({ acceptedAt: now, acceptedBy: userId }).where(eq(invitations.id, invitation.id)).run();
        return { ok: true, userId };
      },
      { behavior: 'immediate' },
    );
  }
}
