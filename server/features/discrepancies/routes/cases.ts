import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../../shared/errors.js';
import { agreeExplanation, publish, setCauses, setExplanation, transition } from '../domain/statuses.js';
import { buildMatrix, caseSeriesOf, viewerOf, toSummary, type CasesCore } from '../core.js';
import type { CaseFilter, Viewer } from '../repository.js';
import { MatrixCache } from '../matrix-cache.js';
import { preferredEncoding } from '../../../shared/compression.js';
import {
  CaseAnswerSchema,
  CaseListQuerySchema,
  CaseListSchema,
  CasePageSchema,
  CaseParams,
  CausesBody,
  CommentAnswerSchema,
  CommentBody,
  ExplanationBody,
  MatrixQuerySchema,
  MatrixSchema,
  TransitionBody,
  type Matrix,
} from '../schemas.js';

const tags = ['discrepancies'];

/**
 * Cases: the list and the matrix (only what the caller may see), one case with its chart's series
 * and its discussion, and the acts on it (status, causes, explanation, agreement, publication).
 */
export const caseRoutes: FastifyPluginAsyncTypebox<{ core: CasesCore; matrixCache: MatrixCache }> = async (fastify, { core, matrixCache }) => {
  const { repository } = core;

  const matrixOf = (groupId: string, viewer: Viewer, filter: CaseFilter) => buildMatrix(repository, groupId, viewer, filter);

  fastify.get(
    '/discrepancies/cases',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Cases the caller may see, by indicator, country and year', querystring: CaseListQuerySchema, response: { 200: CaseListSchema, ...errorResponses } } },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      const { items, total } = await repository.listCases(request.user!.groupId, viewerOf(request.user!), filter, limit, offset);
      return { items: items.map(toSummary), total };
    },
  );

  fastify.get(
    '/discrepancies/matrix',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Indicator × country (or, for one indicator, year × country): cases, least advanced status, largest gap; ETag/If-None-Match supported',
        querystring: MatrixQuerySchema,
        response: { 200: MatrixSchema, 304: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = request.user!;
      const viewer = viewerOf(user);
      const query = request.query;
      const filter = { indicator: query.indicator, status: query.status, goal: query.goal, cause: query.cause, agencyId: query.agencyId };
      const answer = await matrixCache.answer(user.groupId, viewer, JSON.stringify(filter), async () => JSON.stringify(await matrixOf(user.groupId, viewer, filter)));
      // The route's typed reply only takes the schema's shapes; these answers are raw bytes.
      const raw: FastifyReply = reply;
      raw.header('etag', answer.etag).header('cache-control', 'private, no-cache').header('vary', 'accept-encoding');
      if (request.headers['if-none-match'] === answer.etag) return raw.status(304).send();
      const encoding = preferredEncoding(request.headers['accept-encoding']);
      if (encoding) raw.header('content-encoding', encoding);
      return raw.type('application/json; charset=utf-8').send(MatrixCache.encoded(answer, encoding));
    },
  );

  fastify.get(
    '/discrepancies/cases/:id',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'A case, the series its chart draws, and its discussion (its debates thread and latest posts)', params: CaseParams, response: { 200: CasePageSchema, ...errorResponses } } },
    async (request) => {
      const user = request.user!;
      const row = await core.visibleCase(user, request.params.id);
      const series = await caseSeriesOf(repository, row);
      return { case: await core.detail(user, row), series, discussion: await core.discussion(row) };
    },
  );

  const answer = async (request: { user: unknown }, row: Awaited<ReturnType<CasesCore['visibleCase']>>) => ({ case: await core.detail(request.user as never, row) });

  fastify.post(
    '/discrepancies/cases/:id/status',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Move the case to another status, with an optional note', params: CaseParams, body: TransitionBody, response: { 200: CaseAnswerSchema, ...errorResponses } } },
    async (request) => answer(request, await core.act(request.user!, request.params.id, (state, actor, now) => transition(state, request.body.to, actor, now, request.body.note), request.body.version)),
  );

  fastify.put(
    '/discrepancies/cases/:id/causes',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Set the primary and secondary causes', params: CaseParams, body: CausesBody, response: { 200: CaseAnswerSchema, ...errorResponses } } },
    async (request) => answer(request, await core.act(request.user!, request.params.id, (state, actor, now) => setCauses(state, request.body.primary, request.body.secondary ?? [], actor, now))),
  );

  fastify.put(
    '/discrepancies/cases/:id/explanation',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Write the explanation (a new wording clears both agreements)', params: CaseParams, body: ExplanationBody, response: { 200: CaseAnswerSchema, ...errorResponses } } },
    async (request) => answer(request, await core.act(request.user!, request.params.id, (state, actor, now) => setExplanation(state, request.body.text, actor, now))),
  );

  fastify.post(
    '/discrepancies/cases/:id/agreement',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Agree to the explanation for my side (country or agency)', params: CaseParams, response: { 200: CaseAnswerSchema, ...errorResponses } } },
    async (request) => answer(request, await core.act(request.user!, request.params.id, (state, actor, now) => agreeExplanation(state, actor, now))),
  );

  fastify.post(
    '/discrepancies/cases/:id/publish',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Publish a reconciled or documented case to the whole group, side by side', params: CaseParams, response: { 200: CaseAnswerSchema, ...errorResponses } } },
    async (request) => {
      const published = await core.act(request.user!, request.params.id, (state, actor, now) => publish(state, actor, now));
      // Access-relevant: from now on the whole group sees what only the case's people saw (issue 18).
      await fastify.audit.recordRequest(request, { subjectKind: 'discrepancy_case', subjectId: published.id, action: 'discrepancy_case.published', details: { indicator: published.indicator, series: published.series, countryId: published.countryId, year: published.year, status: published.status } });
      return answer(request, published);
    },
  );

  fastify.post(
    '/discrepancies/cases/:id/comments',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Comment in the case’s discussion: a post in its debates thread, opened by the first comment', params: CaseParams, body: CommentBody, response: { 201: CommentAnswerSchema, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await core.comment(request.user!, request.params.id, request.body.body)),
  );
};
