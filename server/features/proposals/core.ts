import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { SessionUser } from '../../plugins/sessions/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import type { ThreadAccess } from '../debates/public.js';
import { mayTakePosition, isOpen, voterKey, type Participant, type ProposalState } from './domain/proposal.js';
import type { Result } from '../../shared/result.js';
import { proposalReminderJob, REMINDER_JOB, results } from './domain/results.js';
import type { ProposalChangedEvent } from './public.js';
import { ProposalsRepository, toState, type MemberRow, type ProposalRecord } from './repository.js';
import type { ProposalView } from './schemas.js';

export interface ProposalsOptions {
  /** The clock every close and reminder is decided on (tests move it). */
  now: () => Date;
}

/** A domain refusal as the API's error (with the details given); the value otherwise. */
export function unwrap<T>(result: Result<T>, details?: unknown): T {
  if (!result.ok) throw new AppError(result.error.status, result.error.code, result.error.message, details);
  return result.value;
}

export const subjectOf = (proposalId: string) => `proposal:${proposalId}`;

/** What the proposals' routes and jobs share: storage, clock, who is who in a thread, the view, live changes. */
export function createProposalsCore(fastify: FastifyInstance, options: ProposalsOptions) {
  const repository = new ProposalsRepository(fastify.db);
  const { debates } = fastify;

  /** A member as the domain sees them in this thread. */
  const participant = (member: Pick<MemberRow, 'id' | 'role' | 'countryId' | 'organizationId' | 'delegationRole'>, thread: Pick<ThreadAccess, 'locked'>): Participant => ({
    id: member.id,
    role: member.role,
    countryId: member.countryId,
    organizationId: member.organizationId,
    delegationRole: member.delegationRole,
    mayPost: debates.mayPost(member.role, thread),
    isModerator: debates.isModerator(member.role),
  });

  /** The thread as this reader may act in it; a 404 when it is not of their group. */
  const thread = (user: Pick<SessionUser, 'groupId' | 'role'>, threadId: string): ThreadAccess => {
    const found = debates.threadAccess(user, threadId);
    if (!found) throw notFound('Thread');
    return found;
  };

  /** The reader as a participant of the thread (their delegation role read from their membership). */
  const actor = (user: SessionUser, members: readonly MemberRow[], access: ThreadAccess): Participant => {
    const member = members.find((entry) => entry.id === user.id);
    return participant({ id: user.id, role: user.role, countryId: user.countryId, organizationId: user.organizationId, delegationRole: member?.delegationRole ?? null }, access);
  };

  const load = async (user: SessionUser, id: string): Promise<{ row: ProposalRecord; state: ProposalState; access: ThreadAccess }> => {
    const row = await repository.find(id);
    if (!row || row.groupId !== user.groupId) throw notFound('Proposal');
    return { row, state: toState(row), access: thread(user, row.threadId) };
  };

  /** Who may take a position, for the results: the countries with a delegate who may post (by name), the people who may. */
  const eligible = async (state: ProposalState, members: readonly MemberRow[], access: ThreadAccess, locale: string) => {
    const people = members.filter((member) => mayTakePosition(state, participant(member, access)));
    const countryIds = [...new Set(people.flatMap((member) => (member.countryId && (member.role === 'member' || member.role === 'coordinator') ? [member.countryId] : [])))];
    const names = await repository.countryNames(countryIds);
    const spanish = locale === 'es' || locale === 'pt';
    const countries = countryIds
      .map((id) => ({ id, name: (spanish ? names.get(id)?.es : names.get(id)?.en) ?? id.toUpperCase() }))
      .sort((a, b) => a.name.localeCompare(b.name, locale));
    return { countries, people };
  };

  /** The proposal as this reader sees it: statement and outcome rendered, results, every position, their own part. */
  const view = async (user: SessionUser, row: ProposalRecord, access: ThreadAccess, members?: readonly MemberRow[]): Promise<ProposalView> => {
    const everyone = members ?? (await repository.members(row.groupId));
    const state = toState(row);
    const positions = await repository.positions([row.id]);
    const { countries, people } = await eligible(state, everyone, access, user.locale);
    const outcomeResults = results(state, positions, { countries, people });
    const me = actor(user, everyone, access);
    const key = voterKey(state, me);
    const nameOf = new Map(everyone.map((member) => [member.id, member.displayName]));
    const named = new Set([row.proposerId, ...positions.map((position) => position.by), ...(state.eligibility === 'participants' ? outcomeResults.pending : []), row.closedBy, row.outcomeBy].filter((id): id is string => id !== null));
    return {
      ...state,
      statementHtml: row.statementHtml,
      outcomeHtml: row.outcomeHtml,
      open: isOpen(state, options.now()),
      fromPollId: row.fromPollId,
      results: outcomeResults,
      positions,
      names: Object.fromEntries([...named].map((id) => [id, nameOf.get(id) ?? '—'])),
      mine: { mayTakePosition: key !== null, voterKey: key, position: (key && positions.find((position) => position.voterKey === key)) || null, mayManage: me.id === row.proposerId || me.isModerator },
    };
  };

  /** Tells the thread's open pages, in the write's commit, that a proposal changed: they fetch it again. */
  const changedWithin = (commit: PendingCommit, proposal: Pick<ProposalState, 'id' | 'threadId'>, what: ProposalChangedEvent['what']) => {
    const payload: ProposalChangedEvent = { proposalId: proposal.id, threadId: proposal.threadId, what };
    fastify.liveHub.publishWithin(commit, [{ topic: `thread:${proposal.threadId}`, type: 'proposal.changed', payload }]);
  };

  /** Plans the reminder a day before the (current) close, dropping one planned for an earlier closing time. */
  const planReminderWithin = (commit: PendingCommit, state: ProposalState) => {
    const job = proposalReminderJob(state, options.now());
    fastify.scheduler.dropPendingWithin(commit, subjectOf(state.id), [REMINDER_JOB], job ? [job.key] : []);
    if (job) fastify.scheduler.planWithin(commit, [{ key: job.key, kind: REMINDER_JOB, subject: subjectOf(state.id), runAt: job.runAt, payload: { proposalId: state.id, closesAt: new Date(state.closesAt).getTime() } }]);
  };

  /**
   * One change to a proposal by the reader: the proposal, the thread's members and the reader as a
   * participant loaded, `write` run in a unit of work on the state read again inside it (so two
   * answers at once are decided one after the other), and the proposal answered as the reader now
   * sees it. `write` may return an error instead of throwing: it is thrown once the piece is over.
   */
  const act = async (user: SessionUser, id: string, write: (step: { commit: PendingCommit; state: ProposalState; me: Participant; row: ProposalRecord; access: ThreadAccess }) => AppError | void | Promise<AppError | void>) => {
    const { row, access } = await load(user, id);
    const members = await repository.members(user.groupId);
    const me = actor(user, members, access);
    const refused = await fastify.unitOfWork.run((commit) => write({ commit, state: toState(repository.findNow(row.id)!), me, row, access }));
    if (refused) throw refused;
    return { proposal: await view(user, repository.findNow(row.id)!, access, members) };
  };

  const render = (groupId: string, source: string) => fastify.markdown.render(source, fastify.people.mentionResolver(groupId));

  return { repository, now: options.now, newId: () => randomUUID(), participant, thread, actor, load, act, view, changedWithin, planReminderWithin, render };
}

export type ProposalsCore = ReturnType<typeof createProposalsCore>;
