import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../../../plugins/authorization.js';
import { AppError, conflict, errorResponses, notFound } from '../../../shared/errors.js';
import { unwrap, type ProposalsCore } from '../core.js';
import { changeClosingTime, closeEarly, newProposal, setOutcome, takePosition, voterKey, type Position } from '../domain/proposal.js';
import { pollToProposal } from '../domain/quick-poll.js';
import { ClosingInputSchema, FromPollInputSchema, NewProposalSchema, OutcomeInputSchema, PollChoicesAnswer, PositionInputSchema, ProposalAnswer, ProposalListAnswer, ProposalParams, ThreadParams } from '../schemas.js';
import { notifyOutcomeWithin } from '../subjects.js';

const TAGS = ['proposals'];

/**
 * Proposals in a thread: put one, read them with their live results, take or change a position,
 * close early or move the close, and write the outcome pinned at the top of the thread. Every
 * decision is the domain's (domain/proposal.ts), on the core's clock; what a decision reads is
 * read again inside the write's piece, so two answers at once are decided one after the other.
 */
export function proposalRoutes(core: ProposalsCore): FastifyPluginAsyncTypebox {
  return async (fastify) => {
    const { repository } = core;

    fastify.get(
      '/threads/:threadId/proposals',
      { config: { access: 'signed-in' }, schema: { tags: TAGS, summary: 'The proposals put to a thread, oldest first, with their results and the reader’s position', params: ThreadParams, response: { 200: ProposalListAnswer, ...errorResponses } } },
      async (request) => {
        const user = requireUser(request);
        const access = core.thread(user, request.params.threadId);
        const members = await repository.members(user.groupId);
        const rows = await repository.ofThread(access.id);
        return { items: await Promise.all(rows.map((row) => core.view(user, row, access, members))), mayPropose: access.mayPost };
      },
    );

    fastify.post(
      '/threads/:threadId/proposals',
      { config: { access: 'signed-in' }, schema: { tags: TAGS, summary: 'Put a proposal to the thread (anyone who may post in it)', params: ThreadParams, body: NewProposalSchema, response: { 201: ProposalAnswer, ...errorResponses } } },
      async (request, reply) => {
        const user = requireUser(request);
        const access = core.thread(user, request.params.threadId);
        const members = await repository.members(user.groupId);
        const me = core.actor(user, members, access);
        const proposal = unwrap(newProposal({ id: core.newId(), threadId: access.id, statement: request.body.statement, closesAt: new Date(request.body.closesAt), eligibility: request.body.eligibility }, me, core.now()));
        const rendered = core.render(user.groupId, proposal.statement);
        await fastify.unitOfWork.run((commit) => {
          repository.insertNow(user.groupId, proposal, rendered.html, null);
          core.planReminderWithin(commit, proposal);
          core.changedWithin(commit, proposal, 'created');
        });
        reply.code(201);
        return { proposal: await core.view(user, repository.findNow(proposal.id)!, access, members) };
      },
    );

    fastify.get(
      '/threads/:threadId/proposals/poll-choices',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: TAGS,
          summary: 'The closed quick polls the reader may turn into a proposal to the thread: of meetings they may see, those linked to the thread first, none already taken',
          params: ThreadParams,
          response: { 200: PollChoicesAnswer, ...errorResponses },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const access = core.thread(user, request.params.threadId);
        if (!access.mayPost) return { items: [] };
        const polls = await fastify.meetings.closedQuickPolls(user, { threadId: access.id, limit: 50 });
        const taken = await Promise.all(polls.map(async (poll) => (await repository.fromPoll(poll.id)) !== undefined));
        return {
          items: polls
            .filter((_, index) => !taken[index])
            .map((poll) => ({ ...poll, closedAt: new Date(poll.closedAt).toISOString(), occurrenceStartsAt: new Date(poll.occurrenceStartsAt).toISOString() })),
        };
      },
    );

    fastify.post(
      '/threads/:threadId/proposals/from-poll',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: TAGS,
          summary: 'Turn a closed quick poll of a meeting into a proposal to the thread, its answers carried over as positions',
          description: 'A per-country poll becomes one position per country; yes / no / abstain answers carry over as agree / disagree / abstain unless optionPositions says otherwise. A poll is turned into one proposal only (409 poll_taken).',
          params: ThreadParams,
          body: FromPollInputSchema,
          response: { 201: ProposalAnswer, ...errorResponses },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const access = core.thread(user, request.params.threadId);
        const poll = await fastify.meetings.quickPoll(user, request.body.pollId);
        if (!poll) throw notFound('Poll');
        if (await repository.fromPoll(poll.id)) throw conflict('poll_taken', 'This poll has already been turned into a proposal.');
        const members = await repository.members(user.groupId);
        const me = core.actor(user, members, access);
        const language = (['en', 'es', 'pt', 'fr'] as const).find((code) => code === user.locale) ?? 'es';
        const taken = unwrap(
          pollToProposal(
            { ...poll, answers: poll.answers.map((answer) => ({ ...answer, updatedAt: poll.closedAt ?? 0 })) },
            { id: core.newId(), threadId: access.id, closesAt: new Date(request.body.closesAt), language, statement: request.body.statement, optionPositions: request.body.optionPositions },
            me,
            core.now(),
          ),
        );
        const rendered = core.render(user.groupId, taken.proposal.statement);
        await fastify.unitOfWork.run((commit) => {
          try {
            repository.insertNow(user.groupId, taken.proposal, rendered.html, poll.id);
          } catch (error) {
            if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict('poll_taken', 'This poll has already been turned into a proposal.');
            throw error;
          }
          for (const position of taken.positions) repository.savePositionNow(position);
          core.planReminderWithin(commit, taken.proposal);
          core.changedWithin(commit, taken.proposal, 'created');
        });
        reply.code(201);
        return { proposal: await core.view(user, repository.findNow(taken.proposal.id)!, access, members) };
      },
    );

    fastify.get(
      '/proposals/:id',
      { config: { access: 'signed-in' }, schema: { tags: TAGS, summary: 'A proposal with its live results and the reader’s position', params: ProposalParams, response: { 200: ProposalAnswer, ...errorResponses } } },
      async (request) => {
        const user = requireUser(request);
        const { row, access } = await core.load(user, request.params.id);
        return { proposal: await core.view(user, row, access) };
      },
    );

    fastify.put(
      '/proposals/:id/position',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: TAGS,
          summary: 'Take or change one’s position (one per country delegation, or one per participant), until the close',
          description:
            'Two delegates of one country answering at once: the first is stored, the second is answered 409 position_changed with the stored position in details.position. Replacing a position another delegate took names the revision seen (`replaces`).',
          params: ProposalParams,
          body: PositionInputSchema,
          response: { 200: ProposalAnswer, ...errorResponses },
        },
      },
      async (request) =>
        core.act(requireUser(request), request.params.id, ({ commit, state, me }) => {
          // The state is read inside the piece: an answer committed meanwhile (by a colleague of the delegation) is seen here.
          const key = voterKey(state, me);
          const current = key === null ? null : repository.positionNow(state.id, key);
          const taken = takePosition(current, state, me, request.body, core.now());
          // A position taken meanwhile is answered with the stored one, for the page to show before replacing it.
          if (!taken.ok) return new AppError(taken.error.status, taken.error.code, taken.error.message, taken.error.code === 'position_changed' ? { position: current } : undefined);
          if (!repository.savePositionNow(taken.value)) {
            const stored: Position | null = repository.positionNow(state.id, taken.value.voterKey);
            return new AppError(409, 'position_changed', 'Someone of your delegation has taken a position meanwhile: look at it before replacing it.', { position: stored });
          }
          core.changedWithin(commit, state, 'position');
        }),
    );

    fastify.post(
      '/proposals/:id/close',
      { config: { access: 'signed-in' }, schema: { tags: TAGS, summary: 'Close the proposal now (the proposer or a moderator)', params: ProposalParams, response: { 200: ProposalAnswer, ...errorResponses } } },
      async (request) =>
        core.act(requireUser(request), request.params.id, ({ commit, state, me }) => {
          const closed = unwrap(closeEarly(state, me, core.now()));
          repository.updateNow(closed);
          core.planReminderWithin(commit, closed);
          core.changedWithin(commit, closed, 'closed');
        }),
    );

    fastify.put(
      '/proposals/:id/closing',
      { config: { access: 'signed-in' }, schema: { tags: TAGS, summary: 'Move the closing time while open (the proposer or a moderator); the reminder follows', params: ProposalParams, body: ClosingInputSchema, response: { 200: ProposalAnswer, ...errorResponses } } },
      async (request) =>
        core.act(requireUser(request), request.params.id, ({ commit, state, me }) => {
          const moved = unwrap(changeClosingTime(state, me, new Date(request.body.closesAt), core.now()));
          repository.updateNow(moved);
          core.planReminderWithin(commit, moved);
          core.changedWithin(commit, moved, 'closing');
        }),
    );

    fastify.put(
      '/proposals/:id/outcome',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: TAGS,
          summary: 'Write (or edit) the outcome after the close (the proposer or a moderator): pinned at the top of the thread and on the thread list; the first time, the participants are told',
          params: ProposalParams,
          body: OutcomeInputSchema,
          response: { 200: ProposalAnswer, ...errorResponses },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const rendered = core.render(user.groupId, request.body.markdown.trim());
        return core.act(user, request.params.id, async ({ commit, state, me, row, access }) => {
          const now = core.now();
          const written = unwrap(setOutcome(state, me, request.body, now));
          repository.updateNow(written.proposal, rendered.html);
          fastify.debates.pinOutcomeWithin(commit, access.id, { html: rendered.html, excerpt: rendered.text.trim().slice(0, 280), at: now, source: { kind: 'proposal', id: row.id } }, written.concludeThread ? true : undefined, now);
          core.changedWithin(commit, written.proposal, 'outcome');
          if (written.notify) await notifyOutcomeWithin(fastify, commit, repository, { proposalId: row.id, threadId: access.id, threadTitle: access.title, actor: { id: user.id, displayName: user.displayName }, excerpt: rendered.text, now });
        });
      },
    );
  };
}
