import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import { stringify } from 'csv-stringify';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../authorization.js';
import { defuseFormula } from '../../shared/csv-cells.js';
import { badRequest, errorResponses } from '../../shared/errors.js';
import { textExportResponses } from '../../shared/responses.js';
import { IdSchema, PageLimit, PageOffset, Timestamp } from '../../shared/schemas.js';
import type { AuditFilter, AuditRow } from './repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The most rows one CSV export holds; a filter narrows a larger log. */
export const CSV_MAX_ROWS = 100_000;
const CSV_BATCH = 1_000;

const Day = Type.String({ format: 'date', description: 'A day (YYYY-MM-DD, UTC)' });
const Filters = {
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  actorId: Type.Optional(IdSchema),
  subjectKind: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  subjectId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  from: Type.Optional({ ...Day, description: 'From this day on (inclusive)' }),
  to: Type.Optional({ ...Day, description: 'Up to this day (inclusive)' }),
};
const ListQuery = Type.Object({ ...Filters, limit: PageLimit(200, 50), offset: PageOffset() }, { additionalProperties: false });
const CsvQuery = Type.Object(Filters, { additionalProperties: false });

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  subjectKind: Type.String(),
  subjectId: Type.String(),
  actor: Type.Union([Type.Object({ id: Type.String(), displayName: Type.String() }), Type.Null()]),
  action: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  ip: Type.Union([Type.String(), Type.Null()]),
  at: Timestamp,
});

type FilterQuery = { action?: string; actorId?: string; subjectKind?: string; subjectId?: string; from?: string; to?: string };

function toFilter(groupId: string, query: FilterQuery): AuditFilter {
  const from = query.from === undefined ? undefined : Date.parse(`${query.from}T00:00:00Z`);
  const to = query.to === undefined ? undefined : Date.parse(`${query.to}T00:00:00Z`) + DAY_MS;
  if (from !== undefined && to !== undefined && from >= to) throw badRequest('validation_failed', 'The first day is after the last day.', [{ field: 'from', message: 'is after to' }]);
  const { action, actorId, subjectKind, subjectId } = query;
  return { groupId, action, actorId, subjectKind, subjectId, from, to };
}

const toView = (row: AuditRow) => ({
  id: row.id,
  subjectKind: row.subjectKind,
  subjectId: row.subjectId,
  actor: row.actorId ? { id: row.actorId, displayName: row.actorName ?? '' } : null,
  action: row.action,
  details: row.details,
  ip: row.ip,
  at: new Date(row.createdAt).toISOString(),
});

const CSV_COLUMNS = ['id', 'at', 'action', 'subject_kind', 'subject_id', 'actor_id', 'actor_name', 'ip', 'details'];

/** The audit log for the group's administrators: filtered and paged, or exported whole as CSV. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repository } = fastify.audit;

  fastify.get(
    '/admin/audit',
    {
      config: { access: onlyRoles('admin') },
      schema: {
        tags: ['admin'],
        summary: 'The audit log, newest first, filtered by action, actor, subject and days',
        querystring: ListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(AuditEntrySchema),
            total: Type.Integer(),
            actions: Type.Array(Type.String(), { description: 'Every action the log holds, for the filter' }),
            subjectKinds: Type.Array(Type.String(), { description: 'Every subject kind the log holds, for the filter' }),
            retentionDays: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { limit, offset, ...query } = request.query;
      const { items, total } = await repository.list(toFilter(user.groupId, query), offset, limit);
      return { items: items.map(toView), total, ...(await repository.facets(user.groupId)), retentionDays: fastify.audit.retentionDays };
    },
  );

  fastify.get(
    '/admin/audit.csv',
    {
      config: { access: onlyRoles('admin') },
      schema: {
        tags: ['admin'],
        summary: `The audit log as CSV (UTF-8 with BOM), newest first, with the same filters (at most ${CSV_MAX_ROWS} rows)`,
        querystring: CsvQuery,
        response: textExportResponses('text/csv', 'The matching entries, as an attachment'),
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const filter = toFilter(user.groupId, request.query);
      // Streamed in batches: a year of a busy forum's log is large, and is never held whole.
      const csv = stringify({ header: true, columns: CSV_COLUMNS, bom: true, record_delimiter: 'windows' });
      let beforeId = Number.MAX_SAFE_INTEGER;
      let left = CSV_MAX_ROWS;
      const pump = async (): Promise<void> => {
        while (left > 0) {
          const batch = await repository.batchBefore(filter, beforeId, Math.min(CSV_BATCH, left));
          if (batch.length === 0) break;
          left -= batch.length;
          beforeId = batch[batch.length - 1]!.id;
          let room = true;
          for (const row of batch) {
            const record = [row.id, new Date(row.createdAt).toISOString(), row.action, row.subjectKind, row.subjectId, row.actorId ?? '', defuseFormula(row.actorName ?? ''), row.ip ?? '', defuseFormula(JSON.stringify(row.details))];
            room = csv.write(record);
          }
          if (!room) return void csv.once('drain', resume);
        }
        csv.end();
      };
      // A failed read ends the download with an error rather than a short file that looks whole.
      const resume = () => void pump().catch((err: unknown) => csv.destroy(err as Error));
      resume();
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition(`audit-${new Date().toISOString().slice(0, 10)}.csv`))
        .header('cache-control', 'private, no-store');
      // A stream, which the declared text body describes to the OpenAPI reader but not to the type provider.
      return reply.send(csv as unknown as string);
    },
  );
};
