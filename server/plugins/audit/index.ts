import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { AuditRepository, type AuditEntryInput, type AuditRow } from './repository.js';

export type { AuditEntryInput, AuditRow } from './repository.js';
export { auditRoutes } from './routes.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const PURGE_JOB = 'audit-purge';
/** The action a sign-in from an address the person never signed in from is recorded as. */
export const NEW_ADDRESS_ACTION = 'user.signed_in_new_address';

/** What a feature says of an action taken through a request: the group, actor and address come from the request. */
export type RequestAuditEntry = Omit<AuditEntryInput, 'groupId' | 'actorId' | 'ip'> & { groupId?: string };

export interface AuditService {
  repository: AuditRepository;
  /** How long entries are kept, in days. */
  retentionDays: number;
  /** Records an entry. Called inside a unit of work, the entry is written with the action or not at all. */
  record(entry: AuditEntryInput): Promise<void>;
  /** Records an action of the signed-in person making this request, from the request's address. */
  recordRequest(request: FastifyRequest, entry: RequestAuditEntry): Promise<void>;
  /** A subject's entries, newest first. */
  trail(subjectKind: string, subjectId: string, limit?: number): Promise<AuditRow[]>;
  /** Notes a successful sign-in: recorded when it comes from an address this person never signed in from. */
  noteSignIn(user: { id: string; groupId: string }, ip: string, at?: Date): Promise<boolean>;
  /** Deletes what is older than the retention; returns how many entries went. */
  purge(now?: Date): Promise<number>;
}

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditService;
  }
}

/**
 * The audit log (server/plugins/audit): `fastify.audit.record(...)` for every feature, the admin's
 * view and CSV export (./routes.ts, registered under /api by the app), and its own retention,
 * purged daily by a scheduled job. Imports no feature: subjects are named by kind and id, the kind
 * one a feature defined in the subject registry (fastify.subjects), checked on every entry.
 */
export default fp<{ retentionDays: number }>(
  async (fastify, options) => {
    const repository = new AuditRepository(fastify.database);
    const { scheduler, unitOfWork, subjects } = fastify;
    const retentionDays = options.retentionDays;

    const service: AuditService = {
      repository,
      retentionDays,
      async record(entry) {
        subjects.assertKnown(entry.subjectKind);
        await repository.record({ ...entry, at: entry.at ?? scheduler.now() });
      },
      async recordRequest(request, entry) {
        const user = request.user;
        if (!user) throw new Error('recordRequest needs a signed-in request');
        subjects.assertKnown(entry.subjectKind);
        await repository.record({ ...entry, groupId: entry.groupId ?? user.groupId, actorId: user.id, ip: request.ip, at: entry.at ?? scheduler.now() });
      },
      trail: (subjectKind, subjectId, limit) => repository.ofSubject(subjectKind, subjectId, limit),
      async noteSignIn(user, ip, at = scheduler.now()) {
        if (await repository.seenFrom(user.id, NEW_ADDRESS_ACTION, ip)) return false;
        subjects.assertKnown('user');
        await repository.record({ groupId: user.groupId, subjectKind: 'user', subjectId: user.id, actorId: user.id, action: NEW_ADDRESS_ACTION, details: {}, ip, at });
        return true;
      },
      async purge(now = scheduler.now()) {
        const removed = await repository.purgeBefore(new Date(now.getTime() - retentionDays * DAY_MS));
        if (removed > 0) fastify.log.info({ removed }, 'audit log purged');
        return removed;
      },
    };
    fastify.decorate('audit', service);

    // Daily, through the scheduler: each run purges, then plans the next day's run. The first is
    // planned at start (a key already planned keeps its row, so restarts plan nothing twice).
    const nextRun = (now: Date) => {
      const day = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
      return { key: `${PURGE_JOB}:${day.toISOString().slice(0, 10)}`, kind: PURGE_JOB, subject: 'audit', runAt: day, payload: {} };
    };
    scheduler.define(PURGE_JOB, async (_job, { commit, now }) => {
      await service.purge(now);
      await scheduler.planWithin(commit, [nextRun(now)]);
      return 'done' as const;
    });
    fastify.addHook('onReady', async () => {
      await unitOfWork.run(async (commit) => {
        await service.purge();
        await scheduler.planWithin(commit, [nextRun(scheduler.now())]);
      });
    });
  },
  { name: 'audit', dependencies: ['db', 'scheduler', 'sessions', 'subjects'] },
);
