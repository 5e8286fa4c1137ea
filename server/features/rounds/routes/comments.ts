import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../../plugins/authorization.js';
import { isKeyViolation } from '../../../plugins/db.js';
import { conflict, errorResponses, forbidden, notFound } from '../../../shared/errors.js';
import { Ok } from '../../../shared/schemas.js';
import { unwrap, type RoundsCore } from '../core.js';
import { resolveAnchor } from '../domain/anchors.js';
import { createComment, deleteComment, submitPosition, updateComment, withdrawSubmission } from '../domain/comments.js';
import { recordDisposition, replyToDisposition, setAppliedIn } from '../domain/dispositions.js';
import { partyKey, partyOf } from '../domain/participants.js';
import { AppliedInSchema, CommentInputSchema, CommentParams, CommentUpdateSchema, DispositionInputSchema, ReplyInputSchema, RoundIdParams } from '../schemas.js';
import { DispositionSchema, ReplySchema, CommentSchema } from '../domain/schemas.js';
import { notifyRound } from '../subjects.js';

const ORGANIZERS = onlyRoles('secretariat', 'coordinator');
const CommentAnswer = Type.Object({ comment: CommentSchema });

/**
 * Comments (drafts of a delegation until its submitter submits them), the submission, the
 * secretariat's dispositions and the commenters' replies. The domain decides every refusal.
 */
export function commentRoutes(core: RoundsCore): FastifyPluginAsyncTypebox {
  return async (fastify) => {
    const { repository } = core;

    /** The caller's party in the round and its delegation; 403 for someone not consulted. */
    const ownDelegation = async (user: Parameters<RoundsCore['load']>[0], roundId: string) => {
      const loaded = await core.load(user, roundId);
      const party = partyOf(loaded.person, loaded.round.consulted);
      if (!party) throw forbidden('Only the consulted countries and agencies comment in this round.');
      return { ...loaded, party, delegation: await core.delegation(loaded.round, party, user.groupId) };
    };

    /** A comment the caller may read (a draft of another party does not exist for them). */
    const readableComment = async (roundId: string, commentId: string, viewer: { countryId: string | null; organizationId: string | null; role: string }) => {
      const comment = await repository.comment(roundId, commentId);
      if (!comment) throw notFound('Comment');
      const own = (comment.party.kind === 'country' && viewer.countryId === comment.party.id && (viewer.role === 'member' || viewer.role === 'coordinator')) ||
        (comment.party.kind === 'organization' && viewer.organizationId === comment.party.id && viewer.role === 'observer');
      if (comment.state === 'draft' && !own) throw notFound('Comment');
      return comment;
    };

    fastify.post(
      '/rounds/:id/comments',
      {
        config: { access: onlyRoles('member', 'coordinator', 'observer') },
        schema: {
          tags: ['rounds'],
          summary: 'Comment on the version (the document, a paragraph or a passage): a draft of the delegation',
          params: RoundIdParams,
          body: CommentInputSchema,
          response: { 201: CommentAnswer, ...errorResponses },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const { round, person, party, delegation } = await ownDelegation(user, request.params.id);
        const structure = await core.structure(user, round.documentId, Number(round.versionId));
        const anchor = unwrap(resolveAnchor(structure, request.body.anchor));
        const now = core.now();
        const comment = unwrap(createComment(round, delegation, person, { ...request.body, anchor }, now, core.newId()));
        await repository.insertComment(comment, partyKey(party), now);
        await core.draftsChanged(round.id);
        reply.status(201);
        return { comment };
      },
    );

    fastify.patch(
      '/rounds/:id/comments/:commentId',
      {
        config: { access: onlyRoles('member', 'coordinator', 'observer') },
        schema: { tags: ['rounds'], summary: 'Change a draft comment (its author or the delegation’s submitter)', params: CommentParams, body: CommentUpdateSchema, response: { 200: CommentAnswer, ...errorResponses } },
      },
      async (request) => {
        const user = requireUser(request);
        const { round, person, delegation } = await ownDelegation(user, request.params.id);
        const comment = await readableComment(round.id, request.params.commentId, user);
        const changes = { ...request.body, anchor: undefined as never };
        if (request.body.anchor) {
          const structure = await core.structure(user, round.documentId, Number(round.versionId));
          changes.anchor = unwrap(resolveAnchor(structure, request.body.anchor)) as never;
        } else delete (changes as { anchor?: unknown }).anchor;
        const updated = unwrap(updateComment(comment, delegation, person, changes, round, core.now()));
        await repository.saveComment(updated);
        await core.draftsChanged(round.id);
        return { comment: updated };
      },
    );

    fastify.delete(
      '/rounds/:id/comments/:commentId',
      {
        config: { access: onlyRoles('member', 'coordinator', 'observer') },
        schema: { tags: ['rounds'], summary: 'Delete a draft comment', params: CommentParams, response: { 200: Ok, ...errorResponses } },
      },
      async (request) => {
        const user = requireUser(request);
        const { round, person, delegation } = await ownDelegation(user, request.params.id);
        const comment = await readableComment(round.id, request.params.commentId, user);
        unwrap(deleteComment(comment, delegation, person, round, core.now()));
        await repository.deleteComment(comment.id);
        await core.draftsChanged(round.id);
        return { ok: true as const };
      },
    );

    const SubmissionAnswer = Type.Object({ submission: Type.Object({ revision: Type.Integer(), submittedAt: Type.String(), comments: Type.Integer() }) });

    fastify.post(
      '/rounds/:id/submission',
      {
        config: { access: onlyRoles('member', 'coordinator', 'observer') },
        schema: {
          tags: ['rounds'],
          summary: 'Submit every draft of the delegation as its position (the focal point, or the alternate it named)',
          params: RoundIdParams,
          response: { 201: SubmissionAnswer, ...errorResponses },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const { round, person, party, delegation } = await ownDelegation(user, request.params.id);
        const key = partyKey(party);
        const drafts = (await repository.comments(round.id)).filter((comment) => comment.state === 'draft' && partyKey(comment.party) === key);
        const submitted = unwrap(submitPosition(delegation, drafts, person, round, core.now()));
        const submission = submitted.delegation.submission!;
        // Another submitter of the delegation got there first: the standing submission's unique index refuses this one, and nothing is written.
        await fastify.unitOfWork.run(() => repository.submit(round.id, key, submission, submitted.comments)).catch((error: unknown) => {
          if (isKeyViolation(error)) throw conflict('already_submitted', 'The delegation has submitted already; withdraw the submission to amend it.');
          throw error;
        });
        await core.changed(round.id, 'submission');
        await notifyRound(fastify, round, user.groupId, 'round_submitted', { organizers: true }, user, await core.partyName(party, 'en'));
        reply.status(201);
        return { submission: { revision: submission.revision, submittedAt: submission.submittedAt, comments: submission.commentIds.length } };
      },
    );

    fastify.delete(
      '/rounds/:id/submission',
      {
        config: { access: onlyRoles('member', 'coordinator', 'observer') },
        schema: { tags: ['rounds'], summary: 'Withdraw the delegation’s submission to amend it (before the deadline)', params: RoundIdParams, response: { 200: Ok, ...errorResponses } },
      },
      async (request) => {
        const user = requireUser(request);
        const { round, person, party, delegation } = await ownDelegation(user, request.params.id);
        const key = partyKey(party);
        const submitted = (await repository.comments(round.id)).filter((comment) => comment.state === 'submitted' && partyKey(comment.party) === key);
        const withdrawn = unwrap(withdrawSubmission(delegation, submitted, person, round, core.now()));
        await fastify.unitOfWork.run(() => repository.withdraw(round.id, key, withdrawn.comments, core.now()));
        await core.changed(round.id, 'withdrawal');
        return { ok: true as const };
      },
    );

    fastify.put(
      '/rounds/:id/comments/:commentId/disposition',
      {
        config: { access: ORGANIZERS },
        schema: {
          tags: ['rounds'],
          summary: 'Record the secretariat’s disposition of a submitted comment (accepted, partially accepted, not accepted, noted, deferred)',
          params: CommentParams,
          body: DispositionInputSchema,
          response: { 200: Type.Object({ disposition: DispositionSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const { round, person } = await core.load(user, request.params.id);
        const comment = await readableComment(round.id, request.params.commentId, user);
        const current = (await repository.dispositions(round.id)).get(comment.id) ?? null;
        const disposition = unwrap(recordDisposition(current, comment, request.body, person, round, core.now()));
        if (disposition !== current) {
          await repository.saveDisposition(round.id, disposition);
          await core.changed(round.id, 'disposition');
        }
        return { disposition };
      },
    );

    fastify.put(
      '/rounds/:id/comments/:commentId/applied-in',
      {
        config: { access: ORGANIZERS },
        schema: {
          tags: ['rounds'],
          summary: 'Link an accepted comment to the paragraph of the next version where it was applied (null: the version as a whole)',
          params: CommentParams,
          body: AppliedInSchema,
          response: { 200: Type.Object({ disposition: DispositionSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const { round, person } = await core.load(user, request.params.id);
        const comment = await readableComment(round.id, request.params.commentId, user);
        const current = (await repository.dispositions(round.id)).get(comment.id);
        if (!current) throw conflict('no_disposition', 'The comment has no disposition yet.');
        if (round.nextVersionId === null) throw conflict('next_version_missing', 'Attach the next version first.');
        const next = await core.structure(user, round.documentId, Number(round.nextVersionId));
        const disposition = unwrap(setAppliedIn(current, { versionId: round.nextVersionId, blockId: request.body.blockId }, next, round, person));
        await repository.saveDisposition(round.id, disposition);
        await core.changed(round.id, 'disposition');
        return { disposition };
      },
    );

    fastify.put(
      '/rounds/:id/comments/:commentId/reply',
      {
        config: { access: onlyRoles('member', 'coordinator', 'observer') },
        schema: {
          tags: ['rounds'],
          summary: 'The commenting delegation’s reply to a published disposition: satisfied, or objects with a reason',
          params: CommentParams,
          body: ReplyInputSchema,
          response: { 200: Type.Object({ reply: ReplySchema }), ...errorResponses },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const { round, person, delegation } = await ownDelegation(user, request.params.id);
        const comment = await readableComment(round.id, request.params.commentId, user);
        if (partyKey(comment.party) !== partyKey(delegation.party)) throw forbidden('A delegation replies to the dispositions of its own comments.');
        const disposition = (await repository.dispositions(round.id)).get(comment.id);
        if (!disposition || round.dispositionsPublishedAt === null) throw conflict('dispositions_not_published', 'The dispositions are not published yet.');
        const existing = (await repository.replies(round.id)).get(comment.id) ?? null;
        const answer = unwrap(replyToDisposition(existing, comment, disposition, request.body, person, delegation, round, core.now()));
        if (answer !== existing) {
          await repository.saveReply(round.id, answer);
          await core.changed(round.id, 'reply');
        }
        return { reply: answer };
      },
    );
  };
}
