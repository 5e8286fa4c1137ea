import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../../plugins/authorization.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { badRequest, conflict, errorResponses } from '../../../shared/errors.js';
import { textExportResponses } from '../../../shared/responses.js';
import { unwrap, type RoundsCore } from '../core.js';
import { buildMatrix, type MatrixLanguage } from '../domain/matrix.js';
import { matrixHtml, matrixXlsxInWorker, MATRIX_STYLES_CSP } from '../domain/matrix-export.js';
import { mayReadDispositions } from '../domain/dispositions.js';
import { affiliation, partyKey, type Party, type Person } from '../domain/participants.js';
import { breakSilence, cancelSilence, settleSilence, startSilence } from '../domain/silence.js';
import type { RoundState } from '../domain/round.js';
import { notifyRound } from '../subjects.js';
import { MatrixSchema, RoundIdParams, SilenceBreakSchema, SilenceStartSchema } from '../schemas.js';

const MatrixQuery = Type.Object({ lang: Type.Optional(Type.Enum(['en', 'es', 'pt', 'fr'])) }, { additionalProperties: false });
const VERSION_WORD: Record<MatrixLanguage, string> = { en: 'Version', es: 'Versión', pt: 'Versão', fr: 'Version' };
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The comment-resolution matrix (page data, XLSX, printable HTML) and the silence procedure. */
export function matrixRoutes(core: RoundsCore): FastifyPluginAsyncTypebox {
  return async (fastify) => {
    const { repository } = core;

    const matrixOf = async (user: SessionUser, round: RoundState, viewer: Person, lang: MatrixLanguage | undefined) => {
      const language: MatrixLanguage = lang ?? (['en', 'es', 'pt', 'fr'].includes(user.locale) ? (user.locale as MatrixLanguage) : 'es');
      const now = core.now();
      const files = await core.document(user, round.documentId);
      const [comments, dispositions, replies] = await Promise.all([repository.comments(round.id), repository.dispositions(round.id), repository.replies(round.id)]);
      const showDispositions = mayReadDispositions(round, viewer, now);
      const names = new Map<string, string>();
      for (const comment of comments) {
        const key = partyKey(comment.party);
        if (!names.has(key)) names.set(key, await core.partyName(comment.party, language));
      }
      const versionNames: Record<string, string> = {};
      for (const version of files.versions) versionNames[String(version.number)] = `${VERSION_WORD[language]} ${version.number}`;
      return buildMatrix({
        language,
        documentTitle: (language === 'es' || language === 'pt' ? files.title.es : files.title.en) || files.title.es || files.title.en,
        versionName: versionNames[round.versionId] ?? round.versionId,
        round,
        now,
        structure: await core.structure(user, round.documentId, Number(round.versionId)),
        comments,
        // Before publication the dispositions are the organizers' work: others get the comments only.
        dispositions: showDispositions ? dispositions : new Map(),
        replies: showDispositions ? replies : new Map(),
        partyName: (party: Party) => names.get(partyKey(party)) ?? party.id,
        versionNames,
        pageUrl: `${core.publicUrl.replace(/\/$/, '')}/rounds/${round.id}/matrix`,
      });
    };

    fastify.get(
      '/rounds/:id/matrix',
      {
        config: { access: 'signed-in' },
        schema: { tags: ['rounds'], summary: 'The comment-resolution matrix: every submitted comment with its disposition and reply', params: RoundIdParams, querystring: MatrixQuery, response: { 200: MatrixSchema, ...errorResponses } },
      },
      async (request) => {
        const user = requireUser(request);
        const { round, person } = await core.load(user, request.params.id);
        const matrix = await matrixOf(user, round, person, request.query.lang);
        return { language: matrix.language, documentTitle: matrix.documentTitle, versionName: matrix.versionName, columns: matrix.columns, rows: matrix.rows, generatedAt: matrix.generatedAt };
      },
    );

    fastify.get(
      '/rounds/:id/matrix.xlsx',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['rounds'],
          summary: 'The comment-resolution matrix as an Excel workbook',
          params: RoundIdParams,
          querystring: MatrixQuery,
          response: { 200: { description: 'The workbook, as an attachment', content: { [XLSX_MIME]: { schema: Type.String({ format: 'binary' }) } } }, ...errorResponses },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const { round, person } = await core.load(user, request.params.id);
        const workbook = await matrixXlsxInWorker(await matrixOf(user, round, person, request.query.lang));
        reply.type(XLSX_MIME).header('cache-control', 'private, no-store').header('content-disposition', contentDisposition(`comment-matrix-${round.id}.xlsx`));
        // The workbook is bytes; the declared 200 is binary, which the type provider does not model.
        return reply.send(workbook as unknown as string);
      },
    );

    fastify.get(
      '/rounds/:id/matrix.html',
      {
        config: { access: 'signed-in' },
        schema: { tags: ['rounds'], summary: 'The comment-resolution matrix as a printable page (A4 landscape)', params: RoundIdParams, querystring: MatrixQuery, response: textExportResponses('text/html', 'The matrix as a printable HTML page') },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const { round, person } = await core.load(user, request.params.id);
        const html = matrixHtml(await matrixOf(user, round, person, request.query.lang));
        reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').header('content-disposition', contentDisposition(`comment-matrix-${round.id}.html`, { type: 'inline' })).header('content-security-policy', MATRIX_STYLES_CSP);
        return html;
      },
    );

    // ------------------------------------------------------------ silence procedure

    const SilenceAnswer = Type.Object({ outcome: Type.Enum(['running', 'adopted', 'broken', 'cancelled']) });

    fastify.post(
      '/rounds/:id/silence',
      {
        config: { access: onlyRoles('secretariat', 'coordinator') },
        schema: {
          tags: ['rounds'],
          summary: 'Send the next (final) version out under the silence procedure: adopted at the deadline unless a country breaks silence',
          params: RoundIdParams,
          body: SilenceStartSchema,
          response: { 201: SilenceAnswer, ...errorResponses },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const { round, person } = await core.load(user, request.params.id);
        if (round.nextVersionId === null) throw conflict('next_version_missing', 'Attach the final version first.');
        const current = await repository.silence(round.id);
        if (current && current.status === 'running') throw conflict('silence_running', 'A silence procedure is already running on this round.');
        const countryIds = request.body.countryIds ?? [...round.consulted.countryIds];
        for (const id of countryIds) if (!(await fastify.reference.findCountry(id))) throw badRequest('unknown_country', `Unknown country "${id}".`);
        const now = core.now();
        const state = unwrap(startSilence({ id: core.newId(), documentId: round.documentId, versionId: round.nextVersionId, countryIds, deadline: new Date(request.body.deadline) }, person, now));
        await repository.insertSilence(round.id, state, now);
        await core.changed(round.id, 'silence');
        reply.status(201);
        return { outcome: 'running' as const };
      },
    );

    fastify.post(
      '/rounds/:id/silence/break',
      {
        config: { access: onlyRoles('member', 'coordinator') },
        schema: { tags: ['rounds'], summary: 'Break silence for the caller’s country, with a reason (its focal point)', params: RoundIdParams, body: SilenceBreakSchema, response: { 200: SilenceAnswer, ...errorResponses } },
      },
      async (request) => {
        const user = requireUser(request);
        const { round, person } = await core.load(user, request.params.id);
        const state = await repository.silence(round.id);
        if (!state) throw conflict('no_silence', 'No silence procedure runs on this round.');
        const party = affiliation(person);
        const delegation = party ? await core.delegation(round, party, user.groupId) : { focalPointId: null, designatedId: null };
        const broken = unwrap(breakSilence(state, person, delegation, request.body.reason, core.now()));
        await repository.saveSilence(broken);
        await core.changed(round.id, 'silence');
        // The first break decides the outcome; the organizers hear of every one.
        await notifyRound(fastify, round, user.groupId, 'silence_broken', { organizers: true }, user, request.body.reason);
        return { outcome: 'broken' as const };
      },
    );

    fastify.post(
      '/rounds/:id/silence/settle',
      {
        config: { access: onlyRoles('secretariat', 'coordinator') },
        schema: { tags: ['rounds'], summary: 'Record the outcome once the deadline has passed (adopted, or broken)', params: RoundIdParams, response: { 200: SilenceAnswer, ...errorResponses } },
      },
      async (request) => {
        const user = requireUser(request);
        const { round } = await core.load(user, request.params.id);
        const state = await repository.silence(round.id);
        if (!state) throw conflict('no_silence', 'No silence procedure runs on this round.');
        const settled = unwrap(settleSilence(state, core.now()));
        await repository.saveSilence(settled);
        await core.changed(round.id, 'silence');
        return { outcome: settled.outcome! };
      },
    );

    fastify.post(
      '/rounds/:id/silence/cancel',
      {
        config: { access: onlyRoles('secretariat', 'coordinator') },
        schema: { tags: ['rounds'], summary: 'Cancel a running silence procedure before its deadline', params: RoundIdParams, response: { 200: SilenceAnswer, ...errorResponses } },
      },
      async (request) => {
        const user = requireUser(request);
        const { round, person } = await core.load(user, request.params.id);
        const state = await repository.silence(round.id);
        if (!state) throw conflict('no_silence', 'No silence procedure runs on this round.');
        const cancelled = unwrap(cancelSilence(state, person, core.now()));
        await repository.saveSilence(cancelled);
        await core.changed(round.id, 'silence');
        return { outcome: 'cancelled' as const };
      },
    );
  };
}
