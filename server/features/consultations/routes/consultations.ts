import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../../plugins/authorization.js';
import { accessChanged } from '../../../plugins/live/hub.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import type { PendingCommit } from '../../../plugins/unit-of-work.js';
import { badRequest, conflict, errorResponses } from '../../../shared/errors.js';
import { newId } from '../../../shared/ids.js';
import { classifyChange, decideChange, type AnswerHolder } from '../domain/change-control.js';
import { checkDeadline, closeConsultation, deadlineInstant, openConsultation, setDeadline, type Consultation, type Outcome } from '../domain/lifecycle.js';
import { checkQuestionnaire } from '../domain/questionnaire.js';
import { withValidationColumns } from '../domain/validation-round.js';
import type { Questionnaire } from '../domain/schemas.js';
import { type Core, iso, matrixTopic, refusal, toConsultation } from '../core.js';
import * as may from '../permissions.js';
import type { ConsultationRow, NewConsultation } from '../repository.js';
import { ConsultationDetailSchema, ConsultationPatch, ListResponse, NewConsultationBody, SummaryBody, type RelatedInput } from '../schemas.js';
import { contentLocaleOf, refKey } from '../../../plugins/subjects/index.js';

/** The subject-link relation of what a consultation is about. */
const RELATED = 'related';
import { planReminderJobs } from '../reminders.js';
import { notifyWithin } from '../subjects.js';
import { rowDefinitions } from '../validation-rounds.js';

const ORGANIZERS = onlyRoles(...may.ORGANIZER_ROLES);
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Detail = Type.Object({ consultation: ConsultationDetailSchema });

/** A new consultation's questionnaire: one empty section for the builder to fill. */
const EMPTY_QUESTIONNAIRE: Questionnaire = { sections: [{ id: 'general', title: { es: 'General', en: 'General' }, questions: [] }] };

/** The consultation itself: list (with "waiting for my country"), create, read, edit under change control, open, close, summary. */
export const consultationRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (fastify, { core }) => {
  const { repository } = core;

  const detailView = async (user: Parameters<Core['summaryView']>[0], row: ConsultationRow) => {
    const refs = await core.respondentRefs();
    const names = await core.displayNames(row.groupId, [row.createdBy]);
    return {
      ...(await core.summaryView(user, row, null)),
      purpose: { es: row.purposeEs, en: row.purposeEn },
      version: row.version,
      targets: row.targets.map((id) => refs.get(id) ?? { id, kind: 'country' as const, name: { es: id, en: id }, code: id.toUpperCase() }),
      questionnaire: row.questionnaire,
      summary: row.summaryPublishedAt === null ? null : { text: { es: row.summaryEs ?? '', en: row.summaryEn ?? '' }, publishedAt: iso(row.summaryPublishedAt) },
      createdBy: { id: row.createdBy, displayName: names.get(row.createdBy) ?? '' },
      createdAt: iso(row.createdAt),
      mayManage: may.mayManage(user, row),
      earlierRoundId: row.earlierRoundId,
      related: {
        items: (await fastify.links.list(user, { kind: 'consultation', id: row.id }, RELATED)).map(({ kind, id, title, href }) => ({ kind, id, title, href })),
        indicators: row.relatedIndicators,
      },
    };
  };

  /**
   * Checks what a consultation is said to be about: documents and meetings the organizer may read
   * (through the subject registry: nothing they cannot see), indicators of the official list.
   * Returns what to write inside the piece.
   */
  const checkRelated = async (user: Parameters<Core['summaryView']>[0], related: RelatedInput | undefined) => {
    if (!related) return null;
    const wanted = [...(related.documents ?? []).map((id) => ({ kind: 'document', id })), ...(related.meetings ?? []).map((id) => ({ kind: 'meeting', id }))];
    const found = await fastify.subjects.describe(user, wanted, contentLocaleOf(user.locale));
    const unknown = wanted.filter((ref) => !found.has(refKey(ref)));
    if (unknown.length > 0) throw badRequest('unknown_related', 'Some related documents or meetings do not exist or you may not read them.', unknown.map((ref) => ({ field: `related.${ref.kind}s`, message: `unknown: ${ref.id}` })));
    const indicators = related.indicators ? fastify.reference.knownIndicatorCodes(related.indicators) : undefined;
    return async (row: { id: string; groupId: string }, patch: Partial<NewConsultation>, now: number) => {
      const from = { kind: 'consultation', id: row.id, groupId: row.groupId };
      if (related.documents) await fastify.links.set(from, RELATED, 'document', related.documents, user.id, new Date(now));
      if (related.meetings) await fastify.links.set(from, RELATED, 'meeting', related.meetings, user.id, new Date(now));
      if (indicators) patch.relatedIndicators = indicators;
    };
  };

  const checkTargets = async (targets: readonly string[]) => {
    const refs = await core.respondentRefs();
    const unknown = targets.filter((id) => !refs.has(id));
    if (unknown.length > 0) throw badRequest('unknown_target', `No country or organization is called ${unknown.join(', ')}.`, unknown.map((id) => ({ field: 'targets', message: `unknown: ${id}` })));
  };

  fastify.get(
    '/consultations',
    { config: { access: 'signed-in' }, schema: { tags: ['consultations'], summary: 'Consultations I may see, and what my delegation still has to answer', response: { 200: ListResponse, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const rows = (await repository.list(user.groupId)).filter((row) => may.mayRead(user, row));
      const items = await Promise.all(rows.map((row) => core.summaryView(user, row, null)));
      const waiting = items
        .filter((item) => item.status === 'open' && item.mine && ['not_started', 'draft', 'extended'].includes(item.mine.status))
        .sort((a, b) => (a.deadlineAt < b.deadlineAt ? -1 : 1));
      return { items, waiting };
    },
  );

  fastify.post(
    '/consultations',
    { config: { access: ORGANIZERS }, schema: { tags: ['consultations'], summary: 'Create a consultation (a draft until opened)', body: NewConsultationBody, response: { 201: Detail, ...errorResponses } } },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body;
      const problem = checkDeadline(body.deadline);
      if (problem) throw refusal(problem);
      const targets = body.targets ?? (await fastify.reference.listCountries()).map((country) => country.id);
      await checkTargets(targets);
      if (body.earlierRoundId) {
        const earlier = await repository.find(body.earlierRoundId);
        if (!earlier || earlier.groupId !== user.groupId) throw badRequest('unknown_earlier_round', 'There is no such earlier consultation.', [{ field: 'earlierRoundId', message: 'unknown' }]);
      }
      const writeRelated = await checkRelated(user, body.related);
      const now = core.now();
      const row: NewConsultation = {
        earlierRoundId: body.earlierRoundId ?? null,
        id: newId(),
        groupId: user.groupId,
        titleEs: body.title.es.trim(),
        titleEn: body.title.en.trim(),
        purposeEs: body.purpose?.es ?? '',
        purposeEn: body.purpose?.en ?? '',
        status: 'draft',
        deadlineDate: body.deadline.date,
        deadlineTime: body.deadline.time,
        deadlineZone: body.deadline.zone,
        targets,
        questionnaire: body.questionnaire ? withValidationColumns(body.questionnaire) : EMPTY_QUESTIONNAIRE,
        version: 1,
        createdBy: user.id,
        createdAt: now,
        updatedAt: now,
      };
      if (!row.titleEs && !row.titleEn) throw badRequest('validation_failed', 'Give the consultation a title.', [{ field: 'title', message: 'is required' }]);
      await fastify.unitOfWork.run(async () => {
        await writeRelated?.(row, row, now);
        repository.insert(row);
      });
      reply.status(201);
      return { consultation: await detailView(user, (await repository.find(row.id))!) };
    },
  );

  fastify.get(
    '/consultations/:id',
    { config: { access: 'signed-in' }, schema: { tags: ['consultations'], summary: 'A consultation: texts, deadline in my zone, targets, questionnaire, summary, my delegation', params: IdParams, response: { 200: Detail, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      return { consultation: await detailView(user, await core.loadReadable(user, request.params.id)) };
    },
  );

  fastify.patch(
    '/consultations/:id',
    {
      config: { access: ORGANIZERS },
      schema: {
        tags: ['consultations'],
        summary: 'Edit a consultation; a questionnaire change that would invalidate answers is refused (409 change_invalidates_answers)',
        params: IdParams,
        body: ConsultationPatch,
        response: { 200: Detail, ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      const body = request.body.questionnaire ? { ...request.body, questionnaire: withValidationColumns(request.body.questionnaire) } : request.body;
      if (body.targets) await checkTargets(body.targets);
      const writeRelated = await checkRelated(user, body.related);
      // Every holder of an answer, read before the commit: change control needs the drafts and submissions.
      const holders: AnswerHolder[] = [];
      if (body.questionnaire) {
        // A validation round's answers are read against the rows kept for their respondent.
        const generated = await repository.generatedRows(row.id);
        const rowsOf = (respondent: string) => rowDefinitions(generated.get(respondent));
        for (const stored of await repository.respondents(row.id)) holders.push({ respondent: stored.respondent, answers: stored.draft.answers, submitted: false, generatedRows: rowsOf(stored.respondent) });
        for (const submitted of await repository.allSubmittedAnswers(row.id)) holders.push({ respondent: submitted.respondent, answers: submitted.answers, submitted: true, generatedRows: rowsOf(submitted.respondent) });
      }
      const now = core.now();
      await fastify.unitOfWork.run(async (commit) => {
        const current = repository.findNow(row.id)!;
        if (current.version !== body.version) throw conflict('stale_version', 'Someone changed this consultation after you loaded it; reload it and make your change again.');
        if (current.status === 'closed') throw conflict('consultation_closed', 'The consultation is closed.');
        const patch: Partial<NewConsultation> = { version: current.version + 1, updatedAt: now };
        if (body.title) Object.assign(patch, { titleEs: body.title.es.trim(), titleEn: body.title.en.trim() });
        if (body.purpose) Object.assign(patch, { purposeEs: body.purpose.es, purposeEn: body.purpose.en });
        if (body.deadline) {
          const moved = setDeadline(toConsultation(current), body.deadline, now);
          if (!moved.ok) throw refusal(moved.error);
          Object.assign(patch, { deadlineDate: body.deadline.date, deadlineTime: body.deadline.time, deadlineZone: body.deadline.zone });
        }
        if (body.targets) {
          // Once open, nobody is dropped who may have started answering: targets only grow.
          const dropped = current.status === 'open' ? current.targets.filter((id) => !body.targets!.includes(id)) : [];
          if (dropped.length > 0) throw conflict('target_removed', `Once open, a consultation keeps its targets (${dropped.join(', ')} would be dropped).`);
          patch.targets = body.targets;
        }
        if (body.questionnaire) {
          const decision = decideChange(classifyChange(current.questionnaire, body.questionnaire, holders));
          if (!decision.ok) throw refusal(decision.error);
          if (current.status === 'open') {
            const problems = checkQuestionnaire(body.questionnaire);
            if (problems.length > 0) throw badRequest('questionnaire_invalid', 'The questionnaire has problems.', problems);
          }
          patch.questionnaire = body.questionnaire;
        }
        await writeRelated?.(current, patch, now);
        repository.update(row.id, patch);
        const next = { ...current, ...patch } as ConsultationRow;
        if (body.deadline && next.status === 'open') planReminderJobs(fastify, commit, next);
        fastify.liveHub.publishWithin(commit, [{ topic: matrixTopic(row.id), type: 'consultation.updated', payload: { consultationId: row.id, version: next.version }, audience: { roles: may.ORGANIZER_ROLES } }]);
      });
      const updated = (await repository.find(row.id))!;
      // Targets added to an open validation round get their rows now, from the register as it stands.
      if (updated.status === 'open') await core.rounds.keepForTargets(updated);
      return { consultation: await detailView(user, updated) };
    },
  );

  /**
   * Opens or closes a consultation for an organizer: the domain decides on the row read again inside
   * the unit of work, the row takes the status and time decided (and a version more), and `within`
   * adds to the same commit what goes with the move. Answers the row as now stored.
   */
  const moveStatus = async (
    user: SessionUser,
    id: string,
    decide: (current: Consultation, row: ConsultationRow, now: number) => Outcome<Consultation>,
    within: (commit: PendingCommit, current: ConsultationRow, now: number) => void | Promise<unknown>,
  ): Promise<ConsultationRow> => {
    const row = await core.loadManaged(user, id);
    const now = core.now();
    await fastify.unitOfWork.run(async (commit) => {
      const current = repository.findNow(row.id)!;
      const moved = decide(toConsultation(current), current, now);
      if (!moved.ok) throw refusal(moved.error);
      repository.update(row.id, { status: moved.state.status, openedAt: moved.state.openedAt, closedAt: moved.state.closedAt, updatedAt: now, version: current.version + 1 });
      await within(commit, current, now);
    });
    return (await repository.find(row.id))!;
  };

  fastify.post(
    '/consultations/:id/open',
    { config: { access: ORGANIZERS }, schema: { tags: ['consultations'], summary: 'Open the consultation to its targets', params: IdParams, response: { 200: Detail, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const opened = await moveStatus(
        user,
        request.params.id,
        (consultation, current, now) => openConsultation(consultation, checkQuestionnaire(current.questionnaire), now),
        async (commit, current, now) => {
          planReminderJobs(fastify, commit, { ...current, openedAt: now });
          const delegates = current.targets.flatMap((target) => repository.delegatesNow(current.groupId, target));
          await notifyWithin(fastify, commit, delegates, current, user, 'consultation_opened', { deadline: new Date(deadlineInstant(toConsultation(current).deadline)).toISOString() }, '', new Date(now));
          // Participants who could not see a draft may now: the live channel checks them again.
          fastify.liveHub.publishWithin(commit, [accessChanged(matrixTopic(current.id)), { topic: matrixTopic(current.id), type: 'consultation.opened', payload: { consultationId: current.id }, audience: { roles: may.ORGANIZER_ROLES } }]);
        },
      );
      // A validation round's tables: each country's rows made from the register now and kept, so
      // every delegation answers about the values as they stood when the round opened.
      await core.rounds.keepForTargets(opened);
      return { consultation: await detailView(user, opened) };
    },
  );

  fastify.post(
    '/consultations/:id/close',
    { config: { access: ORGANIZERS }, schema: { tags: ['consultations'], summary: 'Close the consultation for good (extensions included)', params: IdParams, response: { 200: Detail, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const closed = await moveStatus(user, request.params.id, (consultation, _current, now) => closeConsultation(consultation, now), (commit, current) =>
        fastify.liveHub.publishWithin(commit, [{ topic: matrixTopic(current.id), type: 'consultation.closed', payload: { consultationId: current.id } }]),
      );
      return { consultation: await detailView(user, closed) };
    },
  );

  fastify.put(
    '/consultations/:id/summary',
    { config: { access: ORGANIZERS }, schema: { tags: ['consultations'], summary: 'Publish (or replace) the summary every participant sees', params: IdParams, body: SummaryBody, response: { 200: Detail, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      if (row.status === 'draft') throw conflict('not_open', 'A consultation publishes its summary once it has been open.');
      const { es, en } = request.body.text;
      if (!es.trim() && !en.trim()) throw badRequest('validation_failed', 'Write the summary.', [{ field: 'text', message: 'is required' }]);
      const now = core.now();
      await fastify.unitOfWork.run((commit) => {
        repository.update(row.id, { summaryEs: es, summaryEn: en, summaryPublishedAt: now, updatedAt: now });
        fastify.liveHub.publishWithin(commit, [{ topic: matrixTopic(row.id), type: 'consultation.summary', payload: { consultationId: row.id } }]);
      });
      return { consultation: await detailView(user, (await repository.find(row.id))!) };
    },
  );
};

export { deadlineInstant };
