import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import { Type } from 'typebox';
import { errorResponses } from '../../../shared/errors.js';
import { textBody, textExportResponses } from '../../../shared/responses.js';
import { buildMatrix, caseSeriesOf, toSummary, viewerOf, type CasesCore } from '../core.js';
import { casesCsv, casesXlsxInWorker, caseNoteHtml, matrixCsv, matrixXlsxInWorker, NOTE_CSP, XLSX_MIME } from '../exports.js';
import { CaseFilterProperties, CaseParams, CaseStatusSchema } from '../schemas.js';

const tags = ['discrepancies'];
/** An export holds every case the caller may see under the filter, up to this many (the whole register of the size is about 5,000). */
export const MAX_EXPORTED_CASES = 100_000;

const Lang = Type.Optional(Type.Enum(['en', 'es'], { description: 'Labels and number format: English, or Spanish (semicolons and decimal commas in CSV)' }));
const Format = Type.Enum(['csv', 'xlsx']);
const CasesExportQuery = Type.Object({
  format: Format,
  lang: Lang,
  indicator: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  countryId: Type.Optional(Type.String({ minLength: 1, maxLength: 8 })),
  status: Type.Optional(CaseStatusSchema),
  year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
  ...CaseFilterProperties,
});
const MatrixExportQuery = Type.Object({ format: Format, lang: Lang, indicator: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })), status: Type.Optional(CaseStatusSchema), ...CaseFilterProperties });
const spreadsheet = (what: string) => ({
  200: { description: `${what}: CSV (UTF-8 with a byte-order mark) or XLSX`, content: { 'text/csv': { schema: Type.String() }, [XLSX_MIME]: { schema: Type.String({ format: 'binary' }) } } },
  ...errorResponses,
});

/**
 * Exports: the cases (as the list filters them) and the matrix as CSV or XLSX, each holding only
 * what the caller may see; a case's note, printable, for whoever may see the case (its audience,
 * or everyone once published; others get the same 404 as for the case).
 */
export const exportRoutes: FastifyPluginAsyncTypebox<{ core: CasesCore }> = async (fastify, { core }) => {
  const { repository } = core;

  fastify.get(
    '/discrepancies/exports/cases',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'The cases the caller may see, filtered as the list is, as CSV or XLSX', querystring: CasesExportQuery, response: spreadsheet('The cases') } },
    async (request, reply) => {
      const user = request.user!;
      const { format, lang = 'en', ...filter } = request.query;
      const { items } = await repository.listCases(user.groupId, viewerOf(user), filter, MAX_EXPORTED_CASES, 0);
      const rows = items.map((row) => ({ ...toSummary(row), secondaryCauses: row.secondaryCauses }));
      const name = lang === 'es' ? 'casos-discrepancias' : 'discrepancy-cases';
      reply.header('cache-control', 'private, no-store');
      if (format === 'xlsx') return reply.type(XLSX_MIME).header('content-disposition', contentDisposition(`${name}.xlsx`)).send((await casesXlsxInWorker(rows, lang)) as unknown as string);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', contentDisposition(`${name}.csv`)).send(casesCsv(rows, lang));
    },
  );

  fastify.get(
    '/discrepancies/exports/matrix',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'The matrix the caller may see, filtered as the page is, as CSV (one line per cell) or XLSX (the grid and its cells)', querystring: MatrixExportQuery, response: spreadsheet('The matrix') } },
    async (request, reply) => {
      const user = request.user!;
      const { format, lang = 'en', ...filter } = request.query;
      const matrix = await buildMatrix(repository, user.groupId, viewerOf(user), filter);
      const name = lang === 'es' ? 'matriz-discrepancias' : 'discrepancy-matrix';
      reply.header('cache-control', 'private, no-store');
      if (format === 'xlsx') return reply.type(XLSX_MIME).header('content-disposition', contentDisposition(`${name}.xlsx`)).send((await matrixXlsxInWorker(matrix, lang)) as unknown as string);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', contentDisposition(`${name}.csv`)).send(matrixCsv(matrix, lang));
    },
  );

  fastify.get(
    '/discrepancies/cases/:id/note',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'The case’s note, printable: both values side by side, the causes, the agreed explanation, both series as a chart and a table',
        params: CaseParams,
        querystring: Type.Object({ lang: Lang }),
        response: { ...textExportResponses('text/html', 'The note as a printable HTML page'), 200: textBody('text/html', 'The note as a printable HTML page') },
      },
    },
    async (request, reply) => {
      const user = request.user!;
      const row = await core.visibleCase(user, request.params.id);
      const lang = request.query.lang ?? (user.locale === 'es' || user.locale === 'pt' ? 'es' : 'en');
      const html = caseNoteHtml(await core.detail(user, row), await caseSeriesOf(repository, row), lang);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', contentDisposition(`${lang === 'es' ? 'nota' : 'note'}-${row.indicator}-${row.country}-${row.year}.html`, { type: 'inline' }))
        .header('content-security-policy', NOTE_CSP)
        .send(html);
    },
  );
};
