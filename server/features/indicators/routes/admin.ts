import type { Readable } from 'node:stream';
import { isKeyViolation } from '../../../plugins/db.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../../plugins/authorization.js';
import { AppError, badRequest, conflict, errorResponses, notFound } from '../../../shared/errors.js';
import { ImportFileError } from '../../../shared/row-import.js';
import { Ok } from '../../../shared/schemas.js';
import { importSdgList } from '../domain/sdg-csv.js';
import type { IndicatorsRepository } from '../repository.js';
import type { CatalogueHolder } from '../service.js';
import {
  CrosswalkLinkSchema,
  CrosswalkListSchema,
  CrosswalkRemoveSchema,
  FrameworkParams,
  FrameworkSchema,
  ImportAnswerSchema,
  ImportQuery,
  ImportRefusedSchema,
  IndicatorSummarySchema,
  NewFrameworkSchema,
  NewIndicatorSchema,
  NewVersionSchema,
  VersionParams,
  VersionSummarySchema,
} from '../schemas.js';
import { indicatorSummary, versionSummary } from './catalogue.js';

/**
 * Keeping the catalogue, without code: a new framework (a regional list), a version of one, a
 * complementary indicator, an SDG list imported from CSV (all or nothing, every refused row
 * listed), and the crosswalk. For administrators and the secretariat (ECLAC's statistics division
 * keeps the official lists); everyone signed in reads it.
 */

export const CURATORS = onlyRoles('admin', 'secretariat');
const MAX_LIST_BYTES = 5 * 1024 * 1024;
const CSV_TYPES = ['text/csv', 'application/octet-stream'];

/** Two curators adding the same thing at once: the second meets the key the first just stored. */
async function storing<T>(write: () => Promise<T>, code: string, message: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isKeyViolation(error)) throw conflict(code, message);
    throw error;
  }
}

const versionIdOf = (frameworkId: string, version: string) => `${frameworkId.toLowerCase()}-${version.toLowerCase().replace(/\./g, '-')}`;

export const adminRoutes: FastifyPluginAsyncTypebox<{ repository: IndicatorsRepository; holder: CatalogueHolder }> = async (fastify, { repository, holder }) => {
  // An SDG list is the body itself, as text/csv (this plugin's routes only).
  fastify.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: MAX_LIST_BYTES }, (_request, body, done) => done(null, body));

  fastify.post(
    '/indicators/frameworks',
    {
      config: { access: CURATORS },
      schema: { tags: ['indicators'], summary: 'Add a framework (a regional list of complementary indicators), with no version yet', body: NewFrameworkSchema, response: { 201: Type.Object({ framework: FrameworkSchema }), ...errorResponses } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body;
      if ((await holder.get()).frameworks.has(body.id)) throw conflict('framework_exists', `There is a framework ${body.id} already.`);
      const title = { en: body.title.en.trim(), es: body.title.es.trim() };
      await storing(() => fastify.unitOfWork.run(() => repository.insertFrameworkWithin({ id: body.id, kind: body.kind, titleEn: title.en, titleEs: title.es }, user.id, new Date())), 'framework_exists', `There is a framework ${body.id} already.`);
      reply.status(201);
      return { framework: { id: body.id, kind: body.kind, title, versions: [] } };
    },
  );

  fastify.post(
    '/indicators/frameworks/:frameworkId/versions',
    {
      config: { access: CURATORS },
      schema: {
        tags: ['indicators'],
        summary: 'Add an empty version of a framework (its indicators are then added one by one)',
        params: FrameworkParams,
        body: NewVersionSchema,
        response: { 201: Type.Object({ version: VersionSummarySchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { frameworkId } = request.params;
      const body = request.body;
      const catalogue = await holder.get();
      if (!catalogue.frameworks.has(frameworkId)) throw notFound('Framework');
      const id = versionIdOf(frameworkId, body.version);
      if (catalogue.versions.has(id)) throw conflict('version_exists', `Version ${body.version} of ${frameworkId} exists already.`);
      await storing(
        () =>
          fastify.unitOfWork.run(() =>
            repository.insertVersionWithin({ id, frameworkId, version: body.version, titleEn: body.title.en.trim(), titleEs: body.title.es.trim(), effectiveDate: body.effectiveDate ?? null }, user.id, new Date()),
          ),
        'version_exists',
        `Version ${body.version} of ${frameworkId} exists already.`,
      );
      reply.status(201);
      return { version: versionSummary((await holder.get()).versions.get(id)!) };
    },
  );

  fastify.post(
    '/indicators/versions/:versionId/indicators',
    {
      config: { access: CURATORS },
      schema: {
        tags: ['indicators'],
        summary: 'Add an indicator to a version (a regional complementary indicator: hunger, employment, health), its goal and target created when new',
        params: VersionParams,
        body: NewIndicatorSchema,
        response: { 201: Type.Object({ indicator: IndicatorSummarySchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body;
      const content = (await holder.get()).versions.get(request.params.versionId);
      if (!content) throw notFound('Framework version');
      const code = body.code;
      if (!body.target.startsWith(`${body.goal}.`)) throw badRequest('target_outside_goal', `Target ${body.target} is not under goal ${body.goal}.`, [{ field: 'target', message: `is not under goal ${body.goal}` }]);
      if (!code.startsWith(`${body.target}.`) && !code.startsWith(`${body.goal}.`)) throw badRequest('code_outside_goal', `Indicator ${code} is not under goal ${body.goal}.`, [{ field: 'code', message: `does not start with ${body.goal}.` }]);
      if (content.indicators.some((row) => row.code === code)) throw conflict('indicator_exists', `${content.version.id} has an indicator ${code} already.`);
      const optional = (title: { en: string; es: string } | undefined) => ({ en: title?.en.trim() || null, es: title?.es.trim() || null });
      const now = new Date();
      await storing(() => fastify.unitOfWork.run(async () => {
        const goalTitle = optional(body.goalTitle);
        const targetTitle = optional(body.targetTitle);
        await repository.upsertGoalWithin({ versionId: content.version.id, code: body.goal, titleEn: goalTitle.en, titleEs: goalTitle.es });
        await repository.upsertTargetWithin({ versionId: content.version.id, code: body.target, goalCode: body.goal, titleEn: targetTitle.en, titleEs: targetTitle.es });
        await repository.insertIndicatorWithin(
          content.version.id,
          {
            code,
            goal: body.goal,
            targets: [body.target],
            title: { en: body.title.en.trim(), es: body.title.es.trim() },
            tier: body.tier ?? null,
            custodians: [...new Set((body.custodians ?? []).map((c) => c.trim()))],
            unit: body.unit ?? null,
            seriesCodes: [...new Set(body.seriesCodes ?? [])],
          },
          true,
          user.id,
          now,
        );
      }), 'indicator_exists', `${content.version.id} has an indicator ${code} already.`);
      reply.status(201);
      return { indicator: indicatorSummary((await holder.get()).indicators.get(`${content.version.id}:${code}`)!, 0) };
    },
  );

  fastify.post(
    '/indicators/frameworks/:frameworkId/import',
    {
      config: { access: CURATORS },
      bodyLimit: MAX_LIST_BYTES,
      schema: {
        tags: ['indicators'],
        summary: 'A new version of a framework from an indicator list in CSV (the body, text/csv): all or nothing, every refused row listed',
        consumes: CSV_TYPES,
        params: FrameworkParams,
        querystring: ImportQuery,
        response: { 201: ImportAnswerSchema, ...errorResponses, 413: errorResponses[400], 415: errorResponses[400], 422: ImportRefusedSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { frameworkId } = request.params;
      const query = request.query;
      const body = request.body as Buffer | Readable | undefined;
      if (!Buffer.isBuffer(body)) throw new AppError(415, 'unsupported_media_type', 'Send the list itself as the body, as text/csv.');
      const catalogue = await holder.get();
      if (!catalogue.frameworks.has(frameworkId)) throw notFound('Framework');
      const id = versionIdOf(frameworkId, query.version);
      if (catalogue.versions.has(id)) throw conflict('version_exists', `Version ${query.version} of ${frameworkId} exists already.`);
      let result;
      try {
        result = await importSdgList(body, { id, family: frameworkId, version: query.version, title: { en: query.titleEn.trim(), es: query.titleEs.trim() }, effectiveDate: query.effectiveDate ?? null });
      } catch (error) {
        if (error instanceof ImportFileError) throw badRequest(error.code, error.message, error.details);
        throw badRequest('unreadable_file', 'The list could not be read as CSV.');
      }
      if (!result.ok || !result.framework) {
        return reply.status(422).send({
          error: {
            code: 'import_refused',
            message: `Nothing was imported: ${result.errorCount} problem(s) in the list.`,
            details: { rows: result.rows, errorCount: result.errorCount, errorsTruncated: result.errorsTruncated, errors: result.errors },
          },
        });
      }
      const framework = result.framework;
      if (framework.indicators.length === 0) throw badRequest('empty_file', 'The list holds no indicators.');
      const now = new Date();
      await storing(() => fastify.unitOfWork.run(async () => {
        await repository.insertVersionWithin({ id, frameworkId, version: query.version, titleEn: framework.title.en, titleEs: framework.title.es, effectiveDate: framework.effectiveDate }, user.id, now);
        await repository.insertFrameworkContentWithin(framework, user.id, now);
      }), 'version_exists', `Version ${query.version} of ${frameworkId} exists already.`);
      reply.status(201);
      return { version: versionSummary((await holder.get()).versions.get(id)!) };
    },
  );

  fastify.get(
    '/indicators/crosswalk',
    { config: { access: 'signed-in' }, schema: { tags: ['indicators'], summary: 'Every link between indicators of different frameworks', response: { 200: CrosswalkListSchema, ...errorResponses } } },
    async () => ({ items: [...(await holder.get()).crosswalk.links] }),
  );

  fastify.put(
    '/indicators/crosswalk',
    {
      config: { access: CURATORS },
      schema: {
        tags: ['indicators'],
        summary: 'Link two indicators of different frameworks (or change the relation of their link); read both ways',
        body: CrosswalkLinkSchema,
        response: { 200: Type.Object({ link: CrosswalkLinkSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const link = request.body;
      const catalogue = await holder.get();
      if (link.from.family === link.to.family) throw badRequest('same_framework', 'A crosswalk links indicators of two different frameworks.');
      const missing = [link.from, link.to].filter((key) => catalogue.inFamily(key.family, key.code).length === 0);
      if (missing.length > 0) {
        throw badRequest('unknown_indicator', `No version of the catalogue lists ${missing.map((key) => `${key.family} ${key.code}`).join(', ')}.`, missing.map((key) => ({ field: key === link.from ? 'from' : 'to', message: `${key.family} ${key.code} is not in the catalogue` })));
      }
      await fastify.unitOfWork.run(async () => {
        await repository.removeLinkWithin(link.from, link.to);
        await repository.insertLinkWithin(link, user.id, new Date());
      });
      return { link };
    },
  );

  fastify.delete(
    '/indicators/crosswalk',
    {
      config: { access: CURATORS },
      schema: { tags: ['indicators'], summary: 'Remove the link between two indicators, whichever way it was made', body: CrosswalkRemoveSchema, response: { 200: Ok, ...errorResponses } },
    },
    async (request) => {
      const { from, to } = request.body;
      const removed = await fastify.unitOfWork.run(() => repository.removeLinkWithin(from, to));
      if (!removed) throw notFound('Crosswalk link');
      return { ok: true as const };
    },
  );
};
