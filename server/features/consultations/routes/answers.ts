import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { AppError, badRequest, errorResponses, forbidden } from '../../../shared/errors.js';
import { applyAnswerSave, emptyAnswerSet, unconfirmedPrefill, type AnswerSet } from '../domain/answers.js';
import { decline, mayWrite, recordWrite, reopen, submit, withdrawDecline, type RespondentState } from '../domain/lifecycle.js';
import { prefillFromEarlier } from '../domain/prefill.js';
import { submittedAnswers, validateSubmission } from '../domain/validation.js';
import type { AnswerMap } from '../domain/schemas.js';
import { type Core, draftTopic, iso, refusal, toConsultation } from '../core.js';
import type { ConsultationRow } from '../repository.js';
import { recordSubmissionWithin, rowDefinitions } from '../validation-rounds.js';
import type { PendingCommit } from '../../../plugins/unit-of-work.js';
import { assertReadableFiles, documentIdsIn, documentsFor } from './files.js';
import { AnswerSaveSchema, ChangeSchema, DeclineBody, DraftResponse, SubmitBody, SubmitterBody } from '../schemas.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const HistoryQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })) }, { additionalProperties: false });

/**
 * A delegation's side: its one shared draft (autosaved field by field, stale saves refused per
 * field), who changed what, submission by the focal point (or the alternate it named), reopening,
 * declining. Every write checks the deadline itself (lifecycle.mayWrite), jobs or not.
 */
export const answerRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (fastify, { core }) => {
  const { repository } = core;

  /** A respondent's first draft: empty, or pre-filled from its answer to the earlier round. */
  const firstDraft = async (row: ConsultationRow, respondent: string): Promise<AnswerSet> => {
    if (!row.earlierRoundId) return emptyAnswerSet();
    const earlier = (await repository.standing(row.earlierRoundId)).get(respondent);
    if (!earlier) return emptyAnswerSet();
    const earlierRow = await repository.find(row.earlierRoundId);
    return prefillFromEarlier({ questionnaire: row.questionnaire }, { questionnaire: earlierRow!.questionnaire, answers: earlier.answers, source: `submission:${row.earlierRoundId}:${earlier.number}` }, core.now()).set;
  };

  const draftView = async (user: SessionUser, row: ConsultationRow, respondent: string) => {
    const stored = await repository.respondent(row.id, respondent);
    const draft = stored?.draft ?? (await firstDraft(row, respondent));
    const names = await core.displayNames(user.groupId, Object.values(draft.fields).map((meta) => meta.by));
    return {
      draft: { ...draft, people: Object.fromEntries(names) },
      position: await core.positionView(user, row, respondent, stored),
      generatedRows: rowDefinitions(await core.rounds.of(row, respondent)),
      mailNotes: await mailNotesOf(user.groupId, row.id, respondent),
      documents: await documentsFor(fastify, user, documentIdsIn([draft.answers])),
    };
  };

  const mailNotesOf = async (groupId: string, id: string, respondent: string) => {
    const notes = await repository.mailNotes(id, respondent);
    const names = await core.displayNames(groupId, notes.map((note) => note.authorId));
    return notes.map((note) => ({ id: note.id, by: { id: note.authorId, displayName: names.get(note.authorId) ?? '' }, at: iso(note.createdAt), text: note.text }));
  };

  /** Runs a change of the respondent's state in one commit, after the checks the change makes on what is stored now. */
  const changeState = async (
    user: SessionUser,
    row: ConsultationRow,
    respondent: string,
    change: (
      state: RespondentState,
      draft: AnswerSet,
      submitterId: string | null,
      commit: PendingCommit,
    ) => Promise<{ state: RespondentState; draft?: AnswerSet; submitterId?: string | null; submission?: { number: number; at: number; late: boolean; answers: AnswerMap }; after?: (commit: PendingCommit) => Promise<void> }>,
  ) => {
    const first = (await repository.respondent(row.id, respondent)) ? null : await firstDraft(row, respondent);
    await fastify.unitOfWork.run(async (commit) => {
      const current = (await repository.find(row.id))!;
      const stored = await repository.respondentForWrite(row.id, respondent);
      const { state, draft, submitterId } = core.stateOf(stored, respondent);
      const next = await change(state, stored ? draft : (first ?? draft), submitterId, commit);
      await repository.saveRespondent(row.id, respondent, next.state, next.draft ?? (stored ? draft : (first ?? draft)), next.submitterId === undefined ? submitterId : next.submitterId, core.now());
      if (next.submission) await repository.addSubmission({ consultationId: row.id, respondent, number: next.submission.number, at: next.submission.at, by: user.id, late: next.submission.late, answers: next.submission.answers });
      await next.after?.(commit);
      await core.announceStatus(commit, current, respondent, next.state);
    });
  };

  const assertMaySubmit = async (user: SessionUser, row: ConsultationRow, respondent: string) => {
    const stored = await repository.respondent(row.id, respondent);
    if (!(await core.maySubmit(user, respondent, stored?.submitterId ?? null))) throw forbidden('Only your focal point, or the alternate the focal point named, speaks for the delegation here.');
  };

  fastify.get(
    '/consultations/:id/draft',
    { config: { access: 'signed-in' }, schema: { tags: ['consultations: answering'], summary: "My delegation's draft and position (the delegation's own: nobody else reads it)", params: IdParams, response: { 200: DraftResponse, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { row, respondent } = await core.loadAnswering(user, request.params.id);
      return draftView(user, row, respondent);
    },
  );

  fastify.patch(
    '/consultations/:id/draft',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['consultations: answering'],
        summary: 'Autosave: changes to fields of the draft, on the revision they were made on (409 stale_revision with both values per field)',
        params: IdParams,
        body: AnswerSaveSchema,
        response: { 200: DraftResponse, ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { row, respondent } = await core.loadAnswering(user, request.params.id);
      await assertReadableFiles(fastify, user, request.body.changes);
      const first = (await repository.respondent(row.id, respondent)) ? null : await firstDraft(row, respondent);
      const generatedRows = rowDefinitions(await core.rounds.of(row, respondent));
      await fastify.unitOfWork.run(async (commit) => {
        const current = (await repository.find(row.id))!;
        const consultation = toConsultation(current);
        const now = core.now();
        const stored = await repository.respondentForWrite(row.id, respondent);
        const { state, submitterId } = core.stateOf(stored, respondent);
        const draft = stored?.draft ?? first ?? emptyAnswerSet();
        const allowed = mayWrite(consultation, state, now);
        if (!allowed.ok) throw refusal(allowed.error);
        const outcome = applyAnswerSave({ questionnaire: current.questionnaire, generatedRows }, draft, request.body, user.id, now);
        if (outcome.kind === 'invalid') throw badRequest('answer_invalid', 'Some changes do not fit the questionnaire; nothing was saved.', outcome.problems);
        if (outcome.kind === 'conflict') {
          throw new AppError(409, 'stale_revision', 'Someone in your delegation changed these answers after your copy was loaded: nothing was saved.', {
            revision: draft.revision,
            conflicts: outcome.conflicts.map((conflict) => ({ ...conflict, theirs: { ...conflict.theirs, at: conflict.theirs.at === null ? null : iso(conflict.theirs.at) } })),
          });
        }
        if (outcome.kind === 'unchanged') return;
        const written = recordWrite(consultation, state, now);
        if (!written.ok) throw refusal(written.error);
        await repository.saveRespondent(row.id, respondent, written.state, outcome.state, submitterId, now);
        await repository.logChanges(row.id, respondent, outcome.changes);
        await fastify.liveHub.publishWithin(commit, [
          {
            topic: draftTopic(row.id, respondent),
            type: 'consultation.draft',
            payload: {
              consultationId: row.id,
              revision: outcome.state.revision,
              by: { id: user.id, displayName: user.displayName },
              changes: outcome.changes.map((change) => ({ field: change.field, kind: change.kind, after: change.after })),
            },
          },
        ]);
        if (state.firstWriteAt === null) await core.announceStatus(commit, current, respondent, written.state);
      });
      return draftView(user, row, respondent);
    },
  );

  fastify.get(
    '/consultations/:id/draft/history',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['consultations: answering'], summary: "Who changed what in my delegation's draft, newest first", params: IdParams, querystring: HistoryQuery, response: { 200: Type.Object({ items: Type.Array(ChangeSchema) }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const { row, respondent } = await core.loadAnswering(user, request.params.id);
      const rows = await repository.changes(row.id, respondent, request.query.limit ?? 50, request.query.before ?? null);
      const names = await core.displayNames(user.groupId, rows.map((change) => change.by));
      return {
        items: rows.map((change) => ({ ...change, by: change.by === null ? null : { id: change.by, displayName: names.get(change.by) ?? '' }, at: iso(change.at) })),
      };
    },
  );

  fastify.post(
    '/consultations/:id/submit',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['consultations: answering'], summary: 'Submit the draft at this revision (the focal point, or the alternate it named)', params: IdParams, body: SubmitBody, response: { 200: DraftResponse, ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const { row, respondent } = await core.loadAnswering(user, request.params.id);
      await assertMaySubmit(user, row, respondent);
      const now = core.now();
      const tables = await core.rounds.of(row, respondent);
      const ref = await core.respondentRef(respondent);
      await changeState(user, row, respondent, async (state, draft) => {
        const current = (await repository.find(row.id))!;
        const context = { questionnaire: current.questionnaire, generatedRows: rowDefinitions(tables) };
        const problems = validateSubmission(context, draft.answers, unconfirmedPrefill(draft));
        const submitted = submit(toConsultation(current), state, { by: user.id, baseRevision: request.body.revision, draftRevision: draft.revision, problems }, now);
        if (!submitted.ok) throw refusal(submitted.error);
        const record = submitted.state.submissions.at(-1)!;
        const answers = submittedAnswers(context, draft.answers);
        return {
          state: submitted.state,
          submission: { number: record.number, at: record.at, late: record.late, answers },
          // A validation round's corrections and explanations go to the register in the same write: both stand or neither.
          after: async (commit) => {
            const validation = await recordSubmissionWithin(fastify, commit, { row: current, respondent: ref, user, answers, tables, now });
            if (validation) await repository.setSubmissionValidation(row.id, respondent, record.number, validation);
          },
        };
      });
      return draftView(user, row, respondent);
    },
  );

  fastify.post(
    '/consultations/:id/reopen',
    { config: { access: 'signed-in' }, schema: { tags: ['consultations: answering'], summary: 'Reopen the submitted answer to change it (it stands until the next submission)', params: IdParams, response: { 200: DraftResponse, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { row, respondent } = await core.loadAnswering(user, request.params.id);
      await assertMaySubmit(user, row, respondent);
      await changeState(user, row, respondent, async (state) => {
        const reopened = reopen(toConsultation((await repository.find(row.id))!), state, core.now());
        if (!reopened.ok) throw refusal(reopened.error);
        return { state: reopened.state };
      });
      return draftView(user, row, respondent);
    },
  );

  fastify.post(
    '/consultations/:id/decline',
    { config: { access: 'signed-in' }, schema: { tags: ['consultations: answering'], summary: 'Decline to answer, with a reason', params: IdParams, body: DeclineBody, response: { 200: DraftResponse, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { row, respondent } = await core.loadAnswering(user, request.params.id);
      await assertMaySubmit(user, row, respondent);
      await changeState(user, row, respondent, async (state) => {
        const declined = decline(toConsultation((await repository.find(row.id))!), state, user.id, request.body.reason, core.now());
        if (!declined.ok) throw refusal(declined.error);
        return { state: declined.state };
      });
      return draftView(user, row, respondent);
    },
  );

  fastify.delete(
    '/consultations/:id/decline',
    { config: { access: 'signed-in' }, schema: { tags: ['consultations: answering'], summary: 'Withdraw the decline', params: IdParams, response: { 200: DraftResponse, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { row, respondent } = await core.loadAnswering(user, request.params.id);
      await assertMaySubmit(user, row, respondent);
      await changeState(user, row, respondent, async (state) => {
        const withdrawn = withdrawDecline(toConsultation((await repository.find(row.id))!), state, core.now());
        if (!withdrawn.ok) throw refusal(withdrawn.error);
        return { state: withdrawn.state };
      });
      return draftView(user, row, respondent);
    },
  );

  fastify.put(
    '/consultations/:id/submitter',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['consultations: answering'], summary: 'The focal point names an alternate who may submit (null: only the focal point)', params: IdParams, body: SubmitterBody, response: { 200: DraftResponse, ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const { row, respondent } = await core.loadAnswering(user, request.params.id);
      const delegates = await repository.delegatesNow(user.groupId, respondent);
      if (!delegates.some((person) => person.id === user.id && person.delegationRole === 'focal_point')) throw forbidden('Only the focal point names who else may submit.');
      const named = request.body.userId;
      if (named !== null && !delegates.some((person) => person.id === named)) throw badRequest('not_a_delegate', 'Name someone of your own delegation.', [{ field: 'userId', message: 'not a delegate of your country' }]);
      await changeState(user, row, respondent, async (state) => ({ state, submitterId: named }));
      return draftView(user, row, respondent);
    },
  );
};
