import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import contentDisposition from 'content-disposition';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../../plugins/authorization.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { badRequest, conflict, errorResponses, forbidden, notFound } from '../../../shared/errors.js';
import { newId } from '../../../shared/ids.js';
import { textExportResponses } from '../../../shared/responses.js';
import { AnswerCache } from '../../../shared/answer-cache.js';
import { documentIdsIn, documentsFor } from './files.js';
import { diffAnswers, summarizeDiff } from '../domain/diff.js';
import { rowDefinitions } from '../validation-rounds.js';
import { exportCsv, exportXlsxInWorker } from '../domain/export-files.js';
import { sideBySide, type ExportInput } from '../domain/export-model.js';
import { deadlineInstant, grantExtension, inZone, respondentStatus, revokeExtension, type RespondentState } from '../domain/lifecycle.js';
import { REPORT_CSP, reportHtml } from '../domain/report.js';
import { responseMatrix } from '../domain/matrix.js';
import { contentLanguage, indexQuestionnaire } from '../domain/questionnaire.js';
import { accept, awaitingRespondent, openQuery, resolveQuery, reviewStatus, unaccept, type AnswerReview, type ReviewActor } from '../domain/review.js';
import { type Core, iso, isoOrNull, refusal, toConsultation } from '../core.js';
import * as may from '../permissions.js';
import { notifyWithin } from '../subjects.js';
import type { ConsultationRow } from '../repository.js';
import { ExportQuery, ExtensionBody, MatrixResponse, MessageBody, QueryBody, RespondentIdSchema, RespondentResponse, ReviewResponse, SideBySideResponse } from '../schemas.js';

const ORGANIZERS = onlyRoles(...may.ORGANIZER_ROLES);
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const RespondentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), respondent: RespondentIdSchema });
const QueryParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), respondent: RespondentIdSchema, queryId: Type.String({ minLength: 1, maxLength: 64 }) });
const AnswerParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), respondent: RespondentIdSchema, question: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * The organizer's side, and the delegation's view of its own submissions and queries: the response
 * matrix, per-answer review (acceptance, threaded queries), extensions, the side-by-side view and
 * the exports (CSV and XLSX, wide and long).
 */
export const reviewRoutes: FastifyPluginAsyncTypebox<{ core: Core; publicUrl: string }> = async (fastify, { core, publicUrl }) => {
  const { repository } = core;

  /** The consultation, for an organizer or the respondent's own delegation; anyone else is refused. */
  const loadForRespondent = async (user: SessionUser, id: string, respondent: string) => {
    const row = await core.loadReadable(user, id);
    if (!row.targets.includes(respondent)) throw notFound('Respondent');
    const side: ReviewActor['side'] = may.mayManage(user, row) ? 'organizer' : may.respondentOf(user, row.targets) === respondent ? 'respondent' : null;
    if (!side) throw forbidden("Only the organizers and the respondent's own delegation read its answers.");
    return { row, side };
  };

  const reviewView = async (groupId: string, question: string, review: AnswerReview) => {
    const names = await core.displayNames(groupId, [...review.queries.flatMap((query) => [query.openedBy, ...query.messages.map((message) => message.by)])]);
    const person = (id: string | null) => (id === null ? null : { id, displayName: names.get(id) ?? '' });
    return {
      question,
      status: reviewStatus(review),
      acceptedAt: isoOrNull(review.accepted?.at),
      queries: review.queries.map((query) => ({
        id: query.id,
        openedBy: person(query.openedBy),
        openedAt: iso(query.openedAt),
        resolvedAt: isoOrNull(query.resolved?.at),
        messages: query.messages.map((message) => ({ id: message.id, by: person(message.by), side: message.side, at: iso(message.at), text: message.text })),
      })),
    };
  };

  const openQueriesOf = async (id: string) => {
    const counts = new Map<string, number>();
    for (const review of await repository.reviews(id)) counts.set(review.respondent, (counts.get(review.respondent) ?? 0) + awaitingRespondent(review.review));
    return counts;
  };

  const statesOf = (id: string): Promise<RespondentState[]> => repository.states(id);

  /** Changes a review in one commit (core.changeReview), answered with its view. */
  const changeReview = async (user: SessionUser, row: ConsultationRow, respondent: string, question: string, change: Parameters<Core['changeReview']>[4], notify?: Parameters<Core['changeReview']>[5]) => ({
    review: await reviewView(user.groupId, question, await core.changeReview(user, row, respondent, question, change, notify)),
  });

  const assertQuestion = (row: ConsultationRow, question: string) => {
    if (!indexQuestionnaire(row.questionnaire).byId.has(question)) throw badRequest('unknown_question', `The questionnaire has no question "${question}".`, [{ field: 'question', message: 'unknown' }]);
  };

  /** A query or an acceptance is about an answer the respondent submitted. */
  const assertAnswered = async (row: ConsultationRow, respondent: string, question: string) => {
    const standing = (await repository.standing(row.id)).get(respondent);
    if (!standing || standing.answers[question] === undefined) throw conflict('no_answer', 'This respondent has submitted no answer to that question.');
  };

  fastify.get(
    '/consultations/:id/matrix',
    { config: { access: ORGANIZERS }, schema: { tags: ['consultations: review'], summary: 'The response matrix: every target with its status (updates live on consultation:<id>)', params: IdParams, response: { 200: MatrixResponse, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      const refs = await core.respondentRefs();
      const name = (id: string) => refs.get(id)?.name.es ?? id;
      const matrix = responseMatrix(toConsultation(row), await statesOf(row.id), core.now(), { openQueries: await openQueriesOf(row.id), order: (a, b) => name(a).localeCompare(name(b), 'es') });
      return {
        rows: await Promise.all(
          matrix.rows.map(async (entry) => ({
            ...entry,
            respondent: await core.respondentRef(entry.respondent),
            lastSubmittedAt: isoOrNull(entry.lastSubmittedAt),
            lastWriteAt: isoOrNull(entry.lastWriteAt),
            extensionUntil: isoOrNull(entry.extensionUntil),
            writableUntil: iso(entry.writableUntil),
          })),
        ),
        counts: matrix.counts,
        total: matrix.total,
      };
    },
  );

  fastify.get(
    '/consultations/:id/respondents/:respondent',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['consultations: review'], summary: "A respondent's submissions (with what changed between them) and the review of its answers", params: RespondentParams, response: { 200: RespondentResponse, ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const { row } = await loadForRespondent(user, request.params.id, request.params.respondent);
      const { respondent } = request.params;
      const stored = await repository.respondent(row.id, respondent);
      const state = core.stateOf(stored, respondent).state;
      const submissions = await repository.submissions(row.id, respondent);
      const names = await core.displayNames(user.groupId, submissions.map((submission) => submission.by));
      const lang = contentLanguage(user.locale);
      const reviews = await repository.reviews(row.id, respondent);
      const generatedRows = rowDefinitions((await repository.generatedRows(row.id, respondent)).get(respondent));
      return {
        respondent: await core.respondentRef(respondent),
        status: respondentStatus(toConsultation(row), state, core.now()),
        submissions: submissions.map((submission, index) => ({
          number: submission.number,
          at: iso(submission.at),
          by: submission.by === null ? null : { id: submission.by, displayName: names.get(submission.by) ?? '' },
          late: submission.late,
          answers: submission.answers,
          changes: index === 0 ? [] : summarizeDiff(row.questionnaire, diffAnswers(row.questionnaire, submissions[index - 1]!.answers, submission.answers), lang, generatedRows),
          validation: submission.validation ?? null,
        })),
        reviews: await Promise.all(reviews.map((review) => reviewView(user.groupId, review.question, review.review))),
        documents: await documentsFor(fastify, user, documentIdsIn(submissions.map((submission) => submission.answers))),
      };
    },
  );

  fastify.put(
    '/consultations/:id/respondents/:respondent/extension',
    { config: { access: ORGANIZERS }, schema: { tags: ['consultations: review'], summary: 'Grant (or replace) an extension past the deadline for one respondent', params: RespondentParams, body: ExtensionBody, response: { 200: MatrixResponse.properties.rows.items, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      const { respondent } = request.params;
      const until = Date.parse(request.body.until);
      let state: RespondentState | null = null;
      await fastify.unitOfWork.run(async (commit) => {
        const current = (await repository.find(row.id))!;
        const stored = await repository.respondentForWrite(row.id, respondent);
        const { state: before, draft, submitterId } = core.stateOf(stored, respondent);
        const granted = grantExtension(toConsultation(current), before, until, user.id, request.body.reason ?? null, core.now());
        if (!granted.ok) throw refusal(granted.error);
        state = granted.state;
        await repository.saveRespondent(row.id, respondent, granted.state, draft, submitterId, core.now());
        await core.announceStatus(commit, current, respondent, granted.state);
      });
      return matrixRow(row, state!);
    },
  );

  fastify.delete(
    '/consultations/:id/respondents/:respondent/extension',
    { config: { access: ORGANIZERS }, schema: { tags: ['consultations: review'], summary: "Revoke a respondent's extension", params: RespondentParams, response: { 200: MatrixResponse.properties.rows.items, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      const { respondent } = request.params;
      if (!row.targets.includes(respondent)) throw notFound('Respondent');
      let state: RespondentState | null = null;
      await fastify.unitOfWork.run(async (commit) => {
        const current = (await repository.find(row.id))!;
        const stored = await repository.respondentForWrite(row.id, respondent);
        const { state: before, draft, submitterId } = core.stateOf(stored, respondent);
        const revoked = revokeExtension(before);
        if (!revoked.ok) throw refusal(revoked.error);
        state = revoked.state;
        await repository.saveRespondent(row.id, respondent, revoked.state, draft, submitterId, core.now());
        await core.announceStatus(commit, current, respondent, revoked.state);
      });
      return matrixRow(row, state!);
    },
  );

  const matrixRow = async (row: ConsultationRow, state: RespondentState) => {
    const entry = responseMatrix({ ...toConsultation(row), targets: [state.respondent] }, [state], core.now(), { openQueries: await openQueriesOf(row.id) }).rows[0]!;
    return { ...entry, respondent: await core.respondentRef(entry.respondent), lastSubmittedAt: isoOrNull(entry.lastSubmittedAt), lastWriteAt: isoOrNull(entry.lastWriteAt), extensionUntil: isoOrNull(entry.extensionUntil), writableUntil: iso(entry.writableUntil) };
  };

  fastify.post(
    '/consultations/:id/respondents/:respondent/queries',
    { config: { access: ORGANIZERS }, schema: { tags: ['consultations: review'], summary: 'Send a query on one answer back to the respondent', params: RespondentParams, body: QueryBody, response: { 201: ReviewResponse, ...errorResponses } } },
    async (request, reply) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      const { respondent } = request.params;
      if (!row.targets.includes(respondent)) throw notFound('Respondent');
      assertQuestion(row, request.body.question);
      await assertAnswered(row, respondent, request.body.question);
      const result = await changeReview(
        user,
        row,
        respondent,
        request.body.question,
        (review, now) => openQuery(review, { id: user.id, side: 'organizer' }, request.body.text, now, { query: newId(), message: newId() }),
        async (commit, _review, now) => notifyWithin(fastify, commit, await repository.delegatesNow(row.groupId, respondent), row, user, 'consultation_query', { respondent, question: request.body.question }, request.body.text, new Date(now)),
      );
      reply.status(201);
      return result;
    },
  );

  const findQuestionOf = async (row: ConsultationRow, respondent: string, queryId: string) => {
    const found = (await repository.reviews(row.id, respondent)).find((review) => review.review.queries.some((query) => query.id === queryId));
    if (!found) throw notFound('Query');
    return found.question;
  };

  fastify.post(
    '/consultations/:id/respondents/:respondent/queries/:queryId/messages',
    { config: { access: 'signed-in' }, schema: { tags: ['consultations: review'], summary: 'Reply in a query (the organizers or the delegation)', params: QueryParams, body: MessageBody, response: { 201: ReviewResponse, ...errorResponses } } },
    async (request, reply) => {
      const user = requireUser(request);
      const { row, side } = await loadForRespondent(user, request.params.id, request.params.respondent);
      const question = await findQuestionOf(row, request.params.respondent, request.params.queryId);
      const { respondent, queryId } = request.params;
      const result = { review: await reviewView(user.groupId, question, await core.replyInQuery(user, row, respondent, question, queryId, side, request.body.text)) };
      reply.status(201);
      return result;
    },
  );

  fastify.post(
    '/consultations/:id/respondents/:respondent/queries/:queryId/resolve',
    { config: { access: ORGANIZERS }, schema: { tags: ['consultations: review'], summary: 'Mark a query resolved', params: QueryParams, response: { 200: ReviewResponse, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      if (!row.targets.includes(request.params.respondent)) throw notFound('Respondent');
      const question = await findQuestionOf(row, request.params.respondent, request.params.queryId);
      return changeReview(user, row, request.params.respondent, question, (review, now) => resolveQuery(review, request.params.queryId, { id: user.id, side: 'organizer' }, now));
    },
  );

  fastify.put(
    '/consultations/:id/respondents/:respondent/answers/:question/acceptance',
    { config: { access: ORGANIZERS }, schema: { tags: ['consultations: review'], summary: 'Accept one answer (refused while a query on it is open)', params: AnswerParams, response: { 200: ReviewResponse, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      if (!row.targets.includes(request.params.respondent)) throw notFound('Respondent');
      assertQuestion(row, request.params.question);
      await assertAnswered(row, request.params.respondent, request.params.question);
      return changeReview(user, row, request.params.respondent, request.params.question, (review, now) => accept(review, { id: user.id, side: 'organizer' }, now));
    },
  );

  fastify.delete(
    '/consultations/:id/respondents/:respondent/answers/:question/acceptance',
    { config: { access: ORGANIZERS }, schema: { tags: ['consultations: review'], summary: 'Withdraw the acceptance of one answer', params: AnswerParams, response: { 200: ReviewResponse, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      if (!row.targets.includes(request.params.respondent)) throw notFound('Respondent');
      assertQuestion(row, request.params.question);
      return changeReview(user, row, request.params.respondent, request.params.question, (review) => unaccept(review, { id: user.id, side: 'organizer' }));
    },
  );

  /** Every target's standing submission, in the matrix's order, for the exports and the side-by-side view. */
  const exportInput = async (user: SessionUser, row: ConsultationRow): Promise<ExportInput> => {
    const consultation = toConsultation(row);
    const refs = await core.respondentRefs();
    const states = new Map((await statesOf(row.id)).map((state) => [state.respondent, state]));
    const standing = await repository.standing(row.id);
    const generated = await repository.generatedRows(row.id);
    const now = core.now();
    const lang = contentLanguage(user.locale);
    const targets = [...row.targets].sort((a, b) => (refs.get(a)?.name[lang] ?? a).localeCompare(refs.get(b)?.name[lang] ?? b, lang));
    const documents = await fastify.documents.readable(user, documentIdsIn([...standing.values()].map((submission) => submission.answers)));
    const groupPath = await fastify.groups.pathNow(row.groupId);
    return {
      questionnaire: row.questionnaire,
      lang,
      documentTitle: (id) => documents.get(id)?.title[lang] ?? id,
      documentUrl: (id) => `${publicUrl}${groupPath}/documents/${encodeURIComponent(id)}`,
      respondents: targets.map((id) => {
        const ref = refs.get(id);
        const submission = standing.get(id);
        const state = states.get(id) ?? core.stateOf(undefined, id).state;
        return {
          respondent: id,
          code: ref?.code ?? id.toUpperCase(),
          name: ref?.name ?? { es: id, en: id },
          status: respondentStatus(consultation, state, now),
          submittedAt: submission?.at ?? null,
          submissionNumber: submission?.number ?? null,
          answers: submission?.answers ?? null,
          generatedRows: rowDefinitions(generated.get(id)),
        };
      }),
    };
  };

  /**
   * The side-by-side view (every answer of every country, some 600 KB of JSON for 60 questions and
   * 33 countries: reading and parsing every submission, formatting thousands of figures, a p99
   * over 60 ms), kept per consultation and language; enough for every consultation organizers
   * have open at once, in both languages.
   */
  const sideBySideAnswers = new AnswerCache({ maxBytes: 32 * 1024 * 1024, maxAnswerBytes: 8 * 1024 * 1024 });
  /**
   * Everything the side-by-side view shows that can change, a few small reads on every request:
   * the definition (its version, status and targets), the submissions and generated rows, and each
   * target's status now (which the clock changes: a deadline passing, an extension running out).
   * So a kept answer is never stale, whichever process wrote.
   */
  const sideBySideStamp = async (row: ConsultationRow) => {
    const consultation = toConsultation(row);
    const states = new Map((await statesOf(row.id)).map((state) => [state.respondent, state]));
    const now = core.now();
    const statuses = row.targets.map((id) => respondentStatus(consultation, states.get(id) ?? core.stateOf(undefined, id).state, now)).join(',');
    return `${row.version}|${row.updatedAt}|${row.status}|${row.targets.join(',')}|${await repository.answersStamp(row.id)}|${statuses}`;
  };

  fastify.get(
    '/consultations/:id/side-by-side',
    { config: { access: ORGANIZERS }, schema: { tags: ['consultations: review'], summary: 'Per question, every target’s submitted answer side by side, in my language; ETag/If-None-Match supported', params: IdParams, response: { 200: SideBySideResponse, 304: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      const lang = contentLanguage(user.locale);
      const base = await sideBySideStamp(row);
      // The names of the documents file answers attach (a publisher may rename one in the library).
      const stampOf = async (documentIds: readonly string[]) => {
        if (documentIds.length === 0) return base;
        const documents = await fastify.documents.readable(user, documentIds);
        return `${base}|${JSON.stringify(documentIds.map((id) => documents.get(id)?.title ?? null))}`;
      };
      const key = `${row.id}|${lang}`;
      let answer = sideBySideAnswers.get(key, await stampOf(sideBySideAnswers.uses(key)));
      if (!answer) {
        const input = await exportInput(user, row);
        const uses = documentIdsIn(input.respondents.flatMap((respondent) => (respondent.answers ? [respondent.answers] : [])));
        // Kept under the stamp of what it used (the stamp asked first covered what the last answer used).
        answer = sideBySideAnswers.keep(key, await stampOf(uses), JSON.stringify({ sections: sideBySide(input) }), { uses });
      }
      // The route's typed reply only takes the schema's shapes; this answer is raw bytes.
      return sideBySideAnswers.send(request, reply as FastifyReply, key, answer);
    },
  );

  const fileStem = (row: ConsultationRow) => `consultation-${row.id.slice(0, 8)}`;
  /** Every export leaves the forum with every delegation's answers: the audit log says who took which, and from where (issue 18). */
  const auditExport = async (request: FastifyRequest, row: ConsultationRow, format: 'csv' | 'xlsx', layout: string, file?: string) =>
    fastify.audit.recordRequest(request, { subjectKind: 'consultation', subjectId: row.id, action: 'consultation.exported', details: { format, layout, ...(file ? { file } : {}) } });

  fastify.get(
    '/consultations/:id/report.html',
    {
      config: { access: ORGANIZERS },
      schema: { tags: ['consultations: review'], summary: 'The consolidated report: every answer side by side, as a printable page in my language', params: IdParams, response: textExportResponses('text/html', 'The report as a printable HTML page') },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      const input = await exportInput(user, row);
      const due = inZone(deadlineInstant(toConsultation(row).deadline), user.timeZone);
      const html = reportHtml({
        lang: input.lang,
        title: input.lang === 'es' ? row.titleEs || row.titleEn : row.titleEn || row.titleEs,
        purpose: input.lang === 'es' ? row.purposeEs || row.purposeEn : row.purposeEn || row.purposeEs,
        deadline: `${due.date} ${due.time} (${due.zone})`,
        generatedAt: new Date(core.now()).toISOString(),
        pageUrl: `${publicUrl}${await fastify.groups.pathNow(row.groupId)}/consultations/${encodeURIComponent(row.id)}`,
        submitted: input.respondents.filter((respondent) => respondent.answers !== null).length,
        targets: input.respondents.length,
        sections: sideBySide(input),
      });
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', contentDisposition(`${fileStem(row)}-report.html`, { type: 'inline' }))
        .header('content-security-policy', REPORT_CSP);
      return html;
    },
  );

  fastify.get(
    '/consultations/:id/export.xlsx',
    {
      config: { access: ORGANIZERS },
      schema: {
        tags: ['consultations: review'],
        summary: 'The submitted answers as an Excel workbook: wide (a row per country, a sheet per table) or long (a row per answer)',
        params: IdParams,
        querystring: ExportQuery,
        response: { 200: { description: 'The workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: Type.String({ format: 'binary' }) } } }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      const layout = request.query.layout ?? 'wide';
      const workbook = await exportXlsxInWorker(await exportInput(user, row), layout);
      reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', contentDisposition(`${fileStem(row)}-${layout}.xlsx`))
        .header('cache-control', 'private, no-store');
      await auditExport(request, row, 'xlsx', layout);
      return reply.send(workbook as never);
    },
  );

  fastify.get(
    '/consultations/:id/export.csv',
    {
      config: { access: ORGANIZERS },
      schema: {
        tags: ['consultations: review'],
        summary: 'The submitted answers as CSV: long (one file) or wide (file 0 by country, then one per table); semicolons with decimal commas on request',
        params: IdParams,
        querystring: ExportQuery,
        response: textExportResponses('text/csv', 'The answers, as an attachment'),
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const row = await core.loadManaged(user, request.params.id);
      const layout = request.query.layout ?? 'wide';
      const files = exportCsv(await exportInput(user, row), layout, request.query.separator ?? 'comma');
      const file = files[request.query.file ?? 0];
      if (!file) throw notFound('Export file');
      await auditExport(request, row, 'csv', layout, file.name);
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition(`${fileStem(row)}-${file.name}`))
        .header('cache-control', 'private, no-store');
      return file.content;
    },
  );
};
