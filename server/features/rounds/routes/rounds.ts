import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../../plugins/authorization.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { badRequest, errorResponses } from '../../../shared/errors.js';
import { unwrap, type RoundsCore } from '../core.js';
import { compareVersions } from '../domain/alignment.js';
import { consultedParties, isOrganizer, partyKey, type Person } from '../domain/participants.js';
import { reanchorAll } from '../domain/reanchor.js';
import { suggestAppliedIn } from '../domain/dispositions.js';
import { attachNextVersion, cancelRound, closeRound, concludeRound, newRound, openRound, phase, publishDispositions, type RoundState } from '../domain/round.js';
import { ComparisonSchema, ListRoundsQuery, NewRoundSchema, NextVersionSchema, PublishSchema, RoundIdParams, RoundSummarySchema } from '../schemas.js';
import { roundSummary } from '../views.js';
import { planRoundReminders } from '../reminders.js';
import { notifyRound } from '../subjects.js';

const ORGANIZERS = onlyRoles('secretariat', 'coordinator');
const RoundAnswer = Type.Object({ round: RoundSummarySchema });

/** Rounds: list, open on a library version (the round as its reader sees it: round-page.ts), its lifecycle, the next version and the comparison. */
export function roundRoutes(core: RoundsCore): FastifyPluginAsyncTypebox {
  return async (fastify) => {
    const { repository } = core;

    const titleOf = async (user: SessionUser, round: RoundState) => (await core.document(user, round.documentId)).title;
    const summary = async (user: SessionUser, round: RoundState) => roundSummary(round, await titleOf(user, round), core.now());

    const counts = async (round: RoundState) => {
      const [comments, submissions, dispositions, replies] = await Promise.all([repository.comments(round.id), repository.submissions(round.id), repository.dispositions(round.id), repository.replies(round.id)]);
      const standing = new Set(submissions.filter((entry) => entry.withdrawnAt === null).map((entry) => entry.partyKey));
      const submitted = comments.filter((comment) => comment.state === 'submitted');
      return {
        partiesPending: consultedParties(round.consulted).filter((party) => !standing.has(partyKey(party))).length,
        undisposed: submitted.filter((comment) => !dispositions.has(comment.id)).length,
        unreplied: submitted.filter((comment) => {
          const disposition = dispositions.get(comment.id);
          const reply = replies.get(comment.id);
          return disposition && !(reply && reply.toRevision === disposition.revision);
        }).length,
      };
    };

    fastify.get(
      '/rounds',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['rounds'],
          summary: 'Comment rounds of the group, newest first (drafts only for organizers)',
          querystring: ListRoundsQuery,
          response: { 200: Type.Object({ items: Type.Array(RoundSummarySchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const viewer = await core.person(user);
        const rows = await repository.rounds(user.groupId, request.query.documentId ?? null, request.query.limit ?? 25, request.query.offset ?? 0);
        const items = [];
        for (const row of rows) {
          if (row.state.status === 'draft' && !isOrganizer(viewer)) continue;
          const files = await fastify.documents.versionFiles(user, row.documentId);
          if (files) items.push(roundSummary(row.state, files.title, core.now()));
        }
        return { items };
      },
    );

    fastify.post(
      '/rounds',
      {
        config: { access: ORGANIZERS },
        schema: { tags: ['rounds'], summary: 'Prepare (or open at once) a comment round on a library document version', body: NewRoundSchema, response: { 201: RoundAnswer, ...errorResponses } },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const viewer = await core.person(user);
        const body = request.body;
        const files = await core.document(user, body.documentId);
        if (!files.versions.some((version) => version.number === body.version)) throw badRequest('unknown_version', `The document has no version ${body.version}.`);
        for (const id of body.consulted.countryIds) if (!(await fastify.reference.findCountry(id))) throw badRequest('unknown_country', `Unknown country "${id}".`);
        for (const id of body.consulted.organizationIds) if (!(await fastify.reference.findOrganization(id))) throw badRequest('unknown_organization', `Unknown organization "${id}".`);
        // Read the version now: a file that cannot be shown by paragraph is refused before the round exists.
        await core.structure(user, body.documentId, body.version);
        const now = core.now();
        let round = unwrap(
          newRound({ id: core.newId(), documentId: body.documentId, versionId: String(body.version), consulted: body.consulted, deadline: new Date(body.deadline), instructions: body.instructions ?? '' }, viewer, now),
        );
        if (body.open !== false) round = unwrap(openRound(round, viewer, now));
        await repository.insertRound(user.groupId, round, now);
        if (round.status === 'open') {
          await planRoundReminders(fastify, round);
          await notifyRound(fastify, round, user.groupId, 'round_opened', { consulted: true }, user, round.instructions);
        }
        reply.status(201);
        return { round: roundSummary(round, files.title, now) };
      },
    );

    /** A lifecycle step: load, let the domain decide, store, tell the open pages. */
    const step = (path: string, summaryText: string, move: (round: RoundState, viewer: Person, body: any) => Promise<RoundState>, body?: typeof PublishSchema) => {
      fastify.post(
        `/rounds/:id/${path}`,
        {
          config: { access: ORGANIZERS },
          schema: { tags: ['rounds'], summary: summaryText, params: RoundIdParams, ...(body ? { body } : {}), response: { 200: RoundAnswer, ...errorResponses } },
        },
        async (request) => {
          const user = requireUser(request);
          const { round, person } = await core.load(user, request.params.id);
          const moved = await move(round, person, request.body);
          await repository.saveRound(moved);
          await core.changed(moved.id, path);
          if (path === 'open') await planRoundReminders(fastify, moved);
          if (path === 'open') await notifyRound(fastify, moved, user.groupId, 'round_opened', { consulted: true }, user, moved.instructions);
          if (path === 'publish') await notifyRound(fastify, moved, user.groupId, 'round_dispositions', { consulted: true }, user);
          return { round: await summary(user, moved) };
        },
      );
    };

    step('open', 'Open a prepared round', async (round, viewer) => unwrap(openRound(round, viewer, core.now())));
    step('close', 'Close commenting (before the deadline only once every consulted party has submitted)', async (round, viewer) =>
      unwrap(closeRound(catchUp(round), viewer, core.now(), await counts(round))),
    );
    step(
      'publish',
      'Publish every disposition at once and open replies until the reply deadline',
      async (round, viewer, body: { replyDeadline: string }) => unwrap(publishDispositions(catchUp(round), viewer, new Date(body.replyDeadline), core.now(), await counts(round))),
      PublishSchema,
    );
    step('conclude', 'Conclude the round (before the reply deadline only once every disposition has its reply)', async (round, viewer) =>
      unwrap(concludeRound(round, viewer, core.now(), await counts(round))),
    );
    step('cancel', 'Cancel a prepared or open round', async (round, viewer) => unwrap(cancelRound(round, viewer, core.now())));

    /**
     * A round past its deadline is closed whether or not anything stored it (phase); the stored
     * status catches up (by the clock) before an organizer's next step.
     */
    const catchUp = (round: RoundState): RoundState => {
      const now = core.now();
      if (round.status === 'open' && phase(round, now) === 'closed') {
        const closed = closeRound(round, null, now, { partiesPending: 0 });
        if (closed.ok) return closed.value;
      }
      return round;
    };

    fastify.post(
      '/rounds/:id/next-version',
      {
        config: { access: ORGANIZERS },
        schema: {
          tags: ['rounds'],
          summary: 'Attach the next version of the document: every comment re-anchors onto it (kept, drifted, orphaned)',
          params: RoundIdParams,
          body: NextVersionSchema,
          response: { 200: RoundAnswer, ...errorResponses },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const { round, person } = await core.load(user, request.params.id);
        const files = await core.document(user, round.documentId);
        if (!files.versions.some((version) => version.number === request.body.version)) throw badRequest('unknown_version', `The document has no version ${request.body.version}.`);
        const attached = unwrap(attachNextVersion(catchUp(round), person, String(request.body.version), core.now()));
        const from = await core.structure(user, round.documentId, Number(round.versionId));
        const to = await core.structure(user, round.documentId, request.body.version);
        const comments = (await repository.comments(round.id)).filter((comment) => comment.state === 'submitted');
        const results = reanchorAll(comments.map((comment) => ({ id: comment.id, anchor: comment.anchor })), from, to);
        // Accepted comments point to where their passage went, until the secretariat says otherwise.
        const dispositions = [...(await repository.dispositions(round.id)).values()]
          .filter((disposition) => disposition.kind === 'accepted' || disposition.kind === 'partially_accepted')
          .map((disposition) => {
            const result = results.get(disposition.commentId);
            return { ...disposition, appliedIn: result ? suggestAppliedIn(result, attached.nextVersionId!) : null };
          });
        await fastify.unitOfWork.run(() => repository.attachNextVersion(attached, request.body.version, results, dispositions));
        await core.changed(round.id, 'next-version');
        return { round: await summary(user, attached) };
      },
    );

    fastify.get(
      '/rounds/:id/comparison',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['rounds'],
          summary: 'The commented version and the next one compared paragraph by paragraph',
          params: RoundIdParams,
          querystring: Type.Object({ from: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })), to: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) }, { additionalProperties: false }),
          response: { 200: Type.Object({ from: Type.Integer(), to: Type.Integer(), comparison: ComparisonSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const { round } = await core.load(user, request.params.id);
        const files = await core.document(user, round.documentId);
        const from = request.query.from ?? Number(round.versionId);
        const to = request.query.to ?? (round.nextVersionId === null ? null : Number(round.nextVersionId));
        if (to === null) throw badRequest('next_version_missing', 'The round has no next version yet: name the versions to compare.');
        for (const number of [from, to]) if (!files.versions.some((version) => version.number === number)) throw badRequest('unknown_version', `The document has no version ${number}.`);
        const comparison = compareVersions(await core.structure(user, round.documentId, from), await core.structure(user, round.documentId, to));
        return { from, to, comparison };
      },
    );
  };
}
