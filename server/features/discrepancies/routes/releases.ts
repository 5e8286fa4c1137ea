import { Transform, type Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { onlyRoles } from '../../../plugins/authorization.js';
import { AppError, badRequest, errorResponses, forbidden } from '../../../shared/errors.js';
import { newId } from '../../../shared/ids.js';
import { collect, type ImportReport, type RowOutcome } from '../../../shared/row-import.js';
import { nationalTemplateCsv, readNationalCsv } from '../domain/national-template.js';
import { parseTolerance } from '../domain/pairing.js';
import { readUnsdCsv } from '../domain/unsd-csv.js';
import { nationalTemplateXlsx, readNationalXlsx } from '../domain/xlsx.js';
import type { Observation } from '../domain/observations.js';
import { isStaff } from '../core.js';
import { DEFAULT_TOLERANCE, planImport } from '../planning.js';
import type { DiscrepanciesRepository, ReleaseRow } from '../repository.js';
import type { DiscrepancyImportsRepository } from '../import-repository.js';
import { ImportAnswerSchema, ImportQuerySchema, ReleaseListSchema, RowErrorSchema, TemplateQuerySchema, ToleranceParams, ToleranceSchema, type ReleaseView } from '../schemas.js';
import { Ok, PageQuery } from '../../../shared/schemas.js';

/** A statistical file is larger than the JSON bodies the app takes elsewhere (a 50,000-row UNSD export is about 17 MB). */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FILE_TYPES = ['text/csv', 'application/octet-stream', XLSX];

const ImportRefusedSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Object({ rows: Type.Integer(), refusedRows: Type.Integer(), errorCount: Type.Integer(), errorsTruncated: Type.Boolean(), errors: Type.Array(RowErrorSchema) }),
    }),
  },
  { description: 'The file was refused as a whole: nothing was stored; every refused row is listed with its reason' },
);

export const toReleaseView = (row: ReleaseRow): ReleaseView => ({
  id: row.id,
  side: row.side,
  format: row.format,
  agencyId: row.agencyId,
  country: row.country,
  title: row.title,
  releaseDate: row.releaseDate,
  link: row.link,
  fileName: row.fileName,
  rowCount: row.rowCount,
  summary: row.summary,
  createdAt: row.createdAt.toISOString(),
});

/** Counts the bytes of an upload as they stream, and stops it past the limit (a 413, nothing stored). */
function limited(stream: Readable, max: number): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) return done(new AppError(413, 'file_too_large', `An import holds at most ${Math.round(max / 1024 / 1024)} MB; split the file.`));
      done(null, chunk);
    },
  });
  stream.on('error', (error) => counter.destroy(error));
  return stream.pipe(counter);
}

/** Staged rows older than this belong to an import whose process stopped mid-file. */
const STALE_STAGING_MS = 60 * 60 * 1000;
/** Accepted rows written to the staging table per transaction. */
const STAGE_CHUNK = 250;

/**
 * An import's accepted rows on their way to the staging table, a chunk at a time, each chunk a
 * piece of the unit of work (rows appended: its savepoint journals next to nothing).
 */
class Staging {
  count = 0;
  failed = false;
  private pending: Observation[] = [];
  constructor(private readonly stage: (chunk: Observation[]) => Promise<void>) {}

  async add(observation: Observation): Promise<void> {
    this.pending.push(observation);
    this.count += 1;
    if (this.pending.length >= STAGE_CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending;
    this.pending = [];
    try {
      await this.stage(chunk);
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /** A row was refused: nothing will be imported (what was staged goes in the route's finally, as for any import not stored). */
  discard(): void {
    this.pending = [];
    this.count = 0;
  }
}

/** A delegation's file: a row of another country is refused like any bad row, with its row number. */
async function* ownCountryOnly(rows: AsyncIterable<RowOutcome<Observation>>, iso3: string): AsyncGenerator<RowOutcome<Observation>> {
  for await (const outcome of rows) {
    if ('value' in outcome && outcome.value.country !== iso3) {
      yield { row: outcome.row, errors: [{ row: outcome.row, code: 'other_country', column: 'country', value: outcome.value.country, message: `Your delegation imports ${iso3}'s values only.` }] };
    } else yield outcome;
  }
}

/**
 * Imports (an international release in UNSD's CSV, a national file in the template as CSV or
 * XLSX), the list of releases, the national template, and tolerances per series.
 */
export const releaseRoutes: FastifyPluginAsyncTypebox<{ repository: DiscrepanciesRepository; imports: DiscrepancyImportsRepository; casesChanged: (groupId: string) => void }> = async (fastify, { repository, imports, casesChanged }) => {
  // The file is the body, streamed to the importer as it arrives (this plugin's routes only).
  fastify.addContentTypeParser(FILE_TYPES, (_request, payload, done) => done(null, payload));

  fastify.post(
    '/discrepancies/releases',
    {
      config: { access: 'signed-in' },
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags: ['discrepancies'],
        summary: 'Import a file: the body is the file (text/csv, or the XLSX type for a national workbook); all or nothing',
        consumes: FILE_TYPES,
        querystring: ImportQuerySchema,
        response: { 201: ImportAnswerSchema, ...errorResponses, 413: errorResponses[400], 415: errorResponses[400], 422: ImportRefusedSchema },
      },
    },
    async (request, reply) => {
      const user = request.user!;
      const query = request.query;
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as Readable).pipe !== 'function') throw new AppError(415, 'unsupported_media_type', 'Send the file itself as the body, as text/csv or as an XLSX workbook.');
      const international = query.side === 'international';
      if (international !== (query.format === 'unsd_csv')) throw badRequest('bad_format', 'International releases are UNSD SDG API CSV exports; national files use the national template (CSV or XLSX).');
      if (international) {
        if (!query.agencyId) throw badRequest('agency_required', 'Say which agency published the release (agencyId).', [{ field: 'agencyId', message: 'required' }]);
        if (!(await fastify.reference.findOrganization(query.agencyId))) throw badRequest('unknown_agency', `No organization "${query.agencyId}".`, [{ field: 'agencyId', message: 'unknown' }]);
        // The staff, or observers of the agency that publishes the release.
        if (!isStaff(user) && !(user.role === 'observer' && user.organizationId === query.agencyId)) throw forbidden('Only the coordinator, the secretariat or the agency’s observers may import its release.');
      } else if (!isStaff(user) && !((user.role === 'member' || user.role === 'coordinator') && user.countryId)) {
        throw forbidden('Only a country’s delegation or the staff may import national values.');
      }
      const countries = await fastify.reference.countryCodes();
      const input = limited(body, MAX_IMPORT_BYTES);
      // A delegation imports its own country's values only: a row of another country is refused like any bad row.
      const ownCountry = !international && !isStaff(user) ? (await fastify.reference.findCountry(user.countryId!))?.iso3 ?? null : null;
      const id = newId();
      const now = new Date();
      await fastify.unitOfWork.run(() => imports.discardStagedBefore(new Date(now.getTime() - STALE_STAGING_MS)));
      // The accepted rows go to the staging table as the file streams in, never all in memory;
      // whatever ends the request before the import is stored (a refused row, a fault) drops them,
      // once, in the finally below.
      const staging = new Staging((chunk) => fastify.unitOfWork.run(() => imports.stageObservations(id, chunk, now)));
      // Stored, or its staged rows dropped: either way nothing is left to drop.
      let done = false;
      const dropStaged = async () => {
        done = true;
        await fastify.unitOfWork.run(() => imports.discardStaged(id));
      };
      try {
        let report: ImportReport<Observation>;
        try {
          const read = international ? readUnsdCsv(input, { countries, otherAreas: 'skip' }) : query.format === 'national_xlsx' ? readNationalXlsx(input, { countries }) : readNationalCsv(input, { countries });
          report = await collect(ownCountry ? ownCountryOnly(read, ownCountry) : read, { onValue: (o) => staging.add(o), onRefused: () => staging.discard() });
          if (report.ok) await staging.flush();
        } catch (error) {
          if (error instanceof AppError || staging.failed) throw error;
          throw badRequest('unreadable_file', 'The file could not be read.');
        }
        if (!report.ok) {
          // Before the answer: a reply sent here goes out before the finally below has run.
          await dropStaged();
          return reply.status(422).send({
            error: {
              code: 'import_refused',
              message: `Nothing was imported: ${report.refusedRows} row(s) refused.`,
              details: { rows: report.rows, refusedRows: report.refusedRows, errorCount: report.errorCount, errorsTruncated: report.errorsTruncated, errors: report.errors },
            },
          });
        }
        if (staging.count === 0) throw badRequest('empty_file', 'The file holds no values.');
        const tolerances = await repository.tolerances(user.groupId);
        const countryList = await fastify.reference.listCountries();
        const byIso3 = new Map(countryList.map((c) => [c.iso3, c.id]));
        const release = {
          id,
          groupId: user.groupId,
          side: query.side,
          format: query.format,
          agencyId: international ? query.agencyId! : null,
          country: ownCountry,
          title: query.title.trim(),
          releaseDate: query.releaseDate ?? null,
          link: query.link ?? null,
          fileName: query.fileName ?? (international ? 'unsd.csv' : 'national'),
          rowCount: staging.count,
          createdBy: user.id,
          createdAt: now,
        };
        // One unit of work, all or nothing. On SQLite, alone in its batch (as an import nearly always
        // is), its piece is the batch's transaction; beside other pieces it is a savepoint, whose
        // journal of the pages it changes (the staged rows it moves and deletes, the values it
        // replaces) is kept in memory (temp_store = MEMORY) until the commit: 246 MB of RSS against
        // 25 to 37 MB, for a 50,000-value release restating the last one (bench/discrepancy-replace-memory.ts).
        await fastify.unitOfWork.run(() =>
          imports.storeImport(release, { staged: id }, report.skipped, (context) =>
            planImport({ side: query.side, releaseId: id, groupId: user.groupId, now, tolerance: (series) => tolerances.get(series) ?? DEFAULT_TOLERANCE, countryIdOf: (iso3) => byIso3.get(iso3) ?? null }, context),
          ),
        );
        done = true;
      } finally {
        if (!done) await dropStaged();
      }
      casesChanged(user.groupId);
      const stored = (await repository.findRelease(id))!;
      await fastify.liveHub.publish({ topic: `discrepancies:${user.groupId}`, type: 'release.imported', payload: { id, side: stored.side } });
      return reply.status(201).send({ release: toReleaseView(stored) });
    },
  );

  fastify.get(
    '/discrepancies/releases',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['discrepancies'], summary: 'Imported releases and national files, newest first', querystring: Type.Object(PageQuery), response: { 200: ReleaseListSchema, ...errorResponses } },
    },
    async (request) => {
      const { items, total } = await repository.listReleases(request.user!.groupId, request.query.limit, request.query.offset);
      return { items: items.map(toReleaseView), total };
    },
  );

  fastify.get(
    '/discrepancies/template',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['discrepancies'],
        summary: 'The national template, as CSV (Spanish: semicolons and decimal commas) or XLSX',
        querystring: TemplateQuerySchema,
        response: {
          200: { description: 'The template, as an attachment', content: { 'text/csv': { schema: Type.String() }, [XLSX]: { schema: Type.String({ format: 'binary' }) } } },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const lang = request.query.lang ?? 'en';
      const name = lang === 'es' ? 'plantilla-nacional' : 'national-template';
      if (request.query.format === 'xlsx') {
        reply.header('content-type', XLSX);
        reply.header('content-disposition', `attachment; filename="${name}.xlsx"`);
        return reply.send((await nationalTemplateXlsx(lang)) as unknown as string);
      }
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${name}.csv"`);
      return reply.send(nationalTemplateCsv(lang));
    },
  );

  fastify.put(
    '/discrepancies/tolerances/:series',
    {
      config: { access: onlyRoles('coordinator', 'secretariat') },
      schema: { tags: ['discrepancies'], summary: 'Set the tolerance of a series (applies to imports from now on)', params: ToleranceParams, body: ToleranceSchema, response: { 200: Ok, ...errorResponses } },
    },
    async (request) => {
      const parsed = parseTolerance(request.body);
      if (!parsed.ok) throw badRequest('bad_tolerance', parsed.message, [{ field: 'value', message: parsed.message }]);
      await repository.setTolerance(request.user!.groupId, request.params.series, parsed.tolerance);
      return { ok: true as const };
    },
  );
};
