import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../../plugins/authorization.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { AppError, badRequest, errorResponses, forbidden, notFound, uploadErrorResponses } from '../../../shared/errors.js';
import { fileDownloadResponses } from '../../../shared/responses.js';
import { FullTextQuery } from '../../../shared/full-text.js';
import { receiveUpload, sendStoredFile, uploadRoutes } from '../../../plugins/files/index.js';
import { IdSchema } from '../../../shared/schemas.js';
import { bodyValidator } from '../../../shared/validation.js';
import { libraryTopic } from '../home.js';
import * as may from '../permissions.js';
import type { DocumentMetadata, DocumentsRepository, DocumentRow, VersionRow } from '../repository.js';
import {
  AuditEntrySchema,
  DocumentChanges,
  DocumentDetailSchema,
  DocumentSummarySchema,
  DownloadQuery,
  ListQuery,
  NewDocumentMetadata,
  TrashItemSchema,
} from '../schemas.js';

export interface DocumentsOptions {
  /** How long a deleted document stays restorable in the trash. */
  trashDays: number;
}

const IdParams = Type.Object({ id: IdSchema });
const PUBLISHERS = onlyRoles(...may.PUBLISHER_ROLES);
const DAY_MS = 24 * 60 * 60 * 1000;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Of a text kept in Spanish and English, the one a reader of `locale` gets (the other when it is
 * empty): Portuguese readers the Spanish, French readers the English, as the client chooses.
 */
const inReadersLanguage = (locale: string, es: string, en: string) => ((locale === 'es' || locale === 'pt' ? es : en) || es || en);

/** The document library's routes: upload, versions, download, search, trash and audit trail. */
export const libraryRoutes: FastifyPluginAsyncTypebox<DocumentsOptions & { repository: DocumentsRepository }> = async (fastify, options) => {
  const { repository } = options;
  const { files } = fastify;
  const { store, maxUploadBytes } = files;

  const validateMetadata = bodyValidator(NewDocumentMetadata);

  // ------------------------------------------------------------ helpers

  const loadReadable = async (request: FastifyRequest, id: string): Promise<DocumentRow> => {
    const document = await repository.find(id);
    if (!document || !may.mayRead(request.user, document)) throw notFound('Document');
    return document;
  };

  const loadEditable = async (user: SessionUser, id: string): Promise<DocumentRow> => {
    const document = await repository.find(id);
    if (!document || !may.mayRead(user, document)) throw notFound('Document');
    if (!may.mayEdit(user, document)) throw forbidden('Only the secretariat, the coordinator and admins change library documents.');
    return document;
  };

  /** A document's metadata in the API's shape: what lists show and what PATCH changes. */
  const metadataView = (document: DocumentRow): Required<Omit<NewDocumentMetadata, 'changeNote'>> => ({
    title: { es: document.titleEs, en: document.titleEn },
    description: { es: document.descriptionEs, en: document.descriptionEn },
    type: document.type,
    languages: document.languages as NewDocumentMetadata['languages'],
    publicationDate: document.publicationDate,
    tags: document.tags,
    indicatorCodes: document.indicatorCodes,
    visibility: document.visibility,
    authorCountryId: document.authorCountryId,
    authorOrganizationId: document.authorOrganizationId,
    relatedThreadId: document.relatedThreadId,
    relatedMeetingId: document.relatedMeetingId,
  });

  const versionView = (version: VersionRow) => ({
    number: version.number,
    fileName: version.fileName,
    mime: version.mime,
    size: version.size,
    sha256: version.sha256,
    changeNote: version.changeNote,
    uploadedAt: iso(version.uploadedAt),
    uploadedBy: { id: version.uploadedBy, displayName: version.uploadedByName },
  });

  const summaryView = (document: DocumentRow, latest: VersionRow, snippetHtml: string | null = null) => ({
    id: document.id,
    ...metadataView(document),
    latestVersion: versionView(latest),
    versionCount: document.latestVersion,
    downloadCount: document.downloadCount,
    createdAt: iso(document.createdAt),
    updatedAt: iso(document.updatedAt),
    snippetHtml,
  });

  /** Pure: the document and its versions (newest first) in, the view out. */
  const detailView = (user: SessionUser | null, document: DocumentRow, versions: VersionRow[]) => {
    return {
      ...summaryView(document, versions[0]!),
      versions: versions.map(versionView),
      mayEdit: user !== null && may.mayEdit(user, document),
      deletedAt: document.deletedAt === null ? null : iso(document.deletedAt),
    };
  };

  const parseJsonField = (raw: string | undefined, field: string): unknown => {
    if (raw === undefined) throw badRequest('validation_failed', `The "${field}" field is missing; send it before the file.`, [{ field, message: 'is required' }]);
    try {
      return JSON.parse(raw);
    } catch {
      throw badRequest('validation_failed', `The "${field}" field is not valid JSON.`, [{ field, message: 'is not valid JSON' }]);
    }
  };

  const toMetadata = (input: NewDocumentMetadata): DocumentMetadata => ({
    titleEs: input.title.es.trim(),
    titleEn: input.title.en.trim(),
    descriptionEs: input.description?.es.trim() ?? '',
    descriptionEn: input.description?.en.trim() ?? '',
    type: input.type,
    languages: input.languages,
    publicationDate: input.publicationDate,
    tags: [...new Set((input.tags ?? []).map((tag) => tag.trim()))],
    indicatorCodes: [...new Set(input.indicatorCodes ?? [])],
    visibility: input.visibility,
    authorCountryId: input.authorCountryId ?? null,
    authorOrganizationId: input.authorOrganizationId ?? null,
    relatedThreadId: input.relatedThreadId ?? null,
    relatedMeetingId: input.relatedMeetingId ?? null,
  });

  /** Checked before anything is stored: a reference that does not hold is the caller's mistake, a clear 400. */
  const assertValid = async (metadata: DocumentMetadata, was: DocumentRow['visibility'] | null = null) => {
    if (metadata.visibility === 'restricted' && was !== 'restricted') {
      throw badRequest('validation_failed', 'A document is restricted to an audience only by the feature that files it (a consultation answer); choose draft, group, instance or public.', [{ field: 'visibility', message: 'cannot be set to restricted' }]);
    }
    if (!metadata.titleEs && !metadata.titleEn) throw badRequest('validation_failed', 'A title is needed, in Spanish or English.', [{ field: 'title', message: 'is required in at least one language' }]);
    // Canonical references of the catalogue ("4.1", "sdg-2025:3.2.1"); a 400 names any it lacks.
    metadata.indicatorCodes = await fastify.indicators.resolveCodes(metadata.indicatorCodes);
    const unknown = [
      ...(metadata.authorCountryId !== null && !(await fastify.reference.findCountry(metadata.authorCountryId)) ? ['authorCountryId'] : []),
      ...(metadata.authorOrganizationId !== null && !(await fastify.reference.findOrganization(metadata.authorOrganizationId)) ? ['authorOrganizationId'] : []),
    ];
    if (unknown.length > 0) throw badRequest('unknown_reference', 'The author country or organization is not one the forum knows.', unknown.map((field) => ({ field, message: 'is unknown' })));
  };

  /**
   * Publishing (a new group or public document, or a draft made visible) tells the whole group, and
   * so does a new version of a visible one (its number in the details, its change note as the excerpt).
   */
  const announce = async (document: DocumentRow, actor: SessionUser, version?: { number: number; changeNote: string }) => {
    if (document.visibility === 'draft') return;
    const recipients = (await fastify.people.listDirectory(document.groupId)).filter((person) => person.id !== actor.id);
    await fastify.notifications.notify(
      recipients.map((person) => ({
        userId: person.id,
        kind: 'document' as const,
        actorId: actor.id,
        actorName: actor.displayName,
        subject: { kind: 'document', id: document.id, title: inReadersLanguage(person.locale, document.titleEs, document.titleEn) },
        ...(version ? { details: { version: version.number } } : {}),
        excerpt: (version?.changeNote || inReadersLanguage(person.locale, document.descriptionEs, document.descriptionEn)).slice(0, 160),
      })),
    );
  };

  /**
   * Tells the group's library topic that a document changed (its id only: readers ask for what they
   * may see). A draft's changes go to publishers only, unless it was visible to everyone before.
   */
  const tellLibrary = (document: DocumentRow, type: 'document.published' | 'document.version_added' | 'document.changed' | 'document.removed', wasVisible = false) =>
    fastify.liveHub.publish({
      topic: libraryTopic(document.groupId),
      type,
      payload: { documentId: document.id },
      ...(document.visibility === 'draft' && !wasVisible ? { audience: { roles: [...may.PUBLISHER_ROLES] } } : {}),
    });

  // ------------------------------------------------------------ routes

  fastify.get(
    '/documents',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['documents'],
        summary: 'The library: filter, search, sort and page',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(DocumentSummarySchema), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { q, offset, limit, sort, ...filters } = request.query;
      const match = q ? FullTextQuery.parse(q) : null;
      if (q && !match) return { items: [], total: 0 };
      const { items, total } = await repository.list({ groupId: user.groupId, includeDrafts: may.isPublisher(user), reader: user, match, sort: sort ?? (match ? 'relevance' : 'published'), offset, limit, ...filters });
      const latest = await repository.latestVersions(items.map((item) => item.id));
      return { items: items.map((item) => ({ ...summaryView(item, latest.get(item.id)!, item.snippet), matchedVersion: item.matchedVersion })), total };
    },
  );


  await uploadRoutes(fastify, maxUploadBytes, (uploads) => {
    uploads.post(
      '/documents',
      {
        config: { access: PUBLISHERS },
        schema: {
          tags: ['documents'],
          summary: 'Publish a document: multipart with the "metadata" JSON field before the "file" part',
          consumes: ['multipart/form-data'],
          response: { 201: Type.Object({ document: DocumentDetailSchema }), ...uploadErrorResponses },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        let input: NewDocumentMetadata | null = null;
        const upload = await receiveUpload(request, store, maxUploadBytes, async (fields) => {
          const parsed = parseJsonField(fields.get('metadata'), 'metadata');
          const problems = validateMetadata(parsed);
          if (problems.length > 0) throw badRequest('validation_failed', `Invalid metadata: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
          input = parsed as NewDocumentMetadata;
          await assertValid(toMetadata(input));
        });
        const metadata = toMetadata(input!);
        const { file } = upload;
        const now = new Date();
        let id: string;
        try {
          const text = await files.extractText(file);
          await files.claim(file, now);
          await store.keep(file);
          const changeNote = input!.changeNote?.trim() ?? '';
          id = await fastify.unitOfWork.run(() =>
            repository.create({ groupId: user.groupId, actorId: user.id, ip: request.ip, metadata, text, now, version: { sha256: file.sha256, fileName: file.fileName, mime: file.mime, size: file.size, changeNote } }),
          );
        } catch (error) {
          await store.discard(file);
          throw error;
        }
        const document = (await repository.find(id))!;
        await announce(document, user);
        await tellLibrary(document, 'document.published');
        reply.status(201);
        return { document: detailView(user, document, await repository.versions(document.id)) };
      },
    );

    uploads.post(
      '/documents/:id/versions',
      {
        config: { access: PUBLISHERS },
        schema: {
          tags: ['documents'],
          summary: 'Upload a new version: multipart with an optional "changeNote" field before the "file" part',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: { 201: Type.Object({ document: DocumentDetailSchema }), ...uploadErrorResponses },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const document = await loadEditable(user, request.params.id);
        let changeNote = '';
        const { file } = await receiveUpload(request, store, maxUploadBytes, (fields) => {
          changeNote = (fields.get('changeNote') ?? '').trim();
          if (changeNote.length > 2000) throw badRequest('validation_failed', 'The change note is too long (2,000 characters at most).', [{ field: 'changeNote', message: 'is too long' }]);
          // PostgreSQL's text cannot hold one (the insert failed there with a 500) and nobody types one: refused on both engines.
          if (changeNote.includes('\u0000')) throw badRequest('validation_failed', 'The change note must not contain the NUL character (U+0000).', [{ field: 'changeNote', message: 'must not contain the NUL character (U+0000)' }]);
        });
        const now = new Date();
        try {
          const text = await files.extractText(file);
          await files.claim(file, now);
          await store.keep(file);
          // Re-read in the write: another version may have been added while this one was uploading.
          await fastify.unitOfWork.run(async () =>
            repository.addVersion((await repository.find(document.id))!, { actorId: user.id, ip: request.ip, text, now, version: { sha256: file.sha256, fileName: file.fileName, mime: file.mime, size: file.size, changeNote } }),
          );
        } catch (error) {
          await store.discard(file);
          throw error;
        }
        const versioned = (await repository.find(document.id))!;
        await announce(versioned, user, { number: versioned.latestVersion, changeNote });
        await tellLibrary(versioned, 'document.version_added');
        reply.status(201);
        return { document: detailView(user, versioned, await repository.versions(versioned.id)) };
      },
    );
  });

  fastify.get(
    '/documents/limits',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['documents'], summary: 'What an upload may be: its largest size in bytes', response: { 200: Type.Object({ maxUploadBytes: Type.Integer() }), ...errorResponses } },
    },
    // The browser checks a file's size before sending it: a refused upload otherwise sends up to the
    // limit first, and some browsers then report the connection cut rather than the 413.
    async () => ({ maxUploadBytes }),
  );

  fastify.get(
    '/documents/trash',
    {
      config: { access: onlyRoles('admin') },
      schema: { tags: ['documents'], summary: 'Deleted documents, restorable until purged', response: { 200: Type.Object({ items: Type.Array(TrashItemSchema) }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const items = await repository.trash(user.groupId);
      const latest = await repository.latestVersions(items.map((item) => item.id));
      return {
        items: items.map((item) => ({
          ...summaryView(item, latest.get(item.id)!),
          deletedAt: iso(item.deletedAt!),
          deletedBy: item.deletedBy ? { id: item.deletedBy, displayName: item.deletedByName ?? '' } : null,
          purgeAfter: iso(item.deletedAt! + options.trashDays * DAY_MS),
        })),
      };
    },
  );

  fastify.get(
    '/documents/:id',
    {
      config: { access: 'public' },
      schema: { tags: ['documents'], summary: 'One document with its versions (public documents need no session)', params: IdParams, response: { 200: Type.Object({ document: DocumentDetailSchema }), ...errorResponses } },
    },
    async (request) => {
      const document = await loadReadable(request, request.params.id);
      return { document: detailView(request.user, document, await repository.versions(document.id)) };
    },
  );

  fastify.patch(
    '/documents/:id',
    {
      config: { access: PUBLISHERS },
      schema: { tags: ['documents'], summary: 'Change a document\'s metadata', params: IdParams, body: DocumentChanges, response: { 200: Type.Object({ document: DocumentDetailSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const document = await loadEditable(user, request.params.id);
      const current = metadataView(document);
      const metadata = toMetadata({ ...current, ...request.body });
      await assertValid(metadata, document.visibility);
      const changed = Object.keys(request.body).filter((key) => JSON.stringify((request.body as Record<string, unknown>)[key]) !== JSON.stringify((current as Record<string, unknown>)[key]));
      if (changed.length > 0) await fastify.unitOfWork.run(() => repository.update(document, metadata, user.id, changed, new Date(), request.ip));
      const updated = (await repository.find(document.id))!;
      if (document.visibility === 'draft' && updated.visibility !== 'draft') await announce(updated, user);
      if (changed.length > 0) await tellLibrary(updated, document.visibility === 'draft' && updated.visibility !== 'draft' ? 'document.published' : 'document.changed', document.visibility !== 'draft');
      return { document: detailView(user, updated, await repository.versions(updated.id)) };
    },
  );


  fastify.get(
    '/documents/:id/download',
    {
      config: { access: 'public' },
      schema: {
        tags: ['documents'],
        summary: 'The file of the latest version, or of ?version=N; Range and If-None-Match supported',
        params: IdParams,
        querystring: DownloadQuery,
        response: fileDownloadResponses,
      },
    },
    async (request, reply) => {
      const document = await loadReadable(request, request.params.id);
      const version = await repository.version(document.id, request.query.version ?? document.latestVersion);
      if (!version) throw notFound('Version');
      return sendStoredFile(request, reply, store, { ...version, lastModified: version.uploadedAt }, {
        disposition: request.query.disposition,
        publicCache: document.visibility === 'public',
        onDownload: () => void fastify.unitOfWork.run(() => repository.countDownload(document.id)).catch((err: unknown) => request.log.error({ err, documentId: document.id }, 'documents: could not count a download')),
      });
    },
  );

  fastify.delete(
    '/documents/:id',
    {
      config: { access: PUBLISHERS },
      schema: { tags: ['documents'], summary: 'Move a document to the trash', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const document = await loadEditable(user, request.params.id);
      if (await fastify.unitOfWork.run(() => repository.softDelete(document, user.id, new Date(), request.ip))) await tellLibrary(document, 'document.removed');
      reply.status(204);
      return null;
    },
  );

  fastify.post(
    '/documents/:id/restore',
    {
      config: { access: onlyRoles('admin') },
      schema: { tags: ['documents'], summary: 'Bring a document back from the trash', params: IdParams, body: Type.Optional(Type.Object({}, { additionalProperties: false })), response: { 200: Type.Object({ document: DocumentDetailSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const document = await repository.find(request.params.id);
      if (!document || !may.mayRestore(user, document)) throw notFound('Document');
      if (document.deletedAt === null) throw new AppError(409, 'not_deleted', 'This document is not in the trash.');
      const restored = await fastify.unitOfWork.run(() => repository.restore(document, user.id, new Date(), request.ip));
      const current = (await repository.find(document.id))!;
      if (restored) await tellLibrary(current, 'document.changed');
      return { document: detailView(user, current, await repository.versions(current.id)) };
    },
  );

  fastify.get(
    '/documents/:id/audit',
    {
      config: { access: PUBLISHERS },
      schema: { tags: ['documents'], summary: 'Who uploaded, changed, deleted and restored this document, newest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(AuditEntrySchema) }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const document = await repository.find(request.params.id);
      if (!document || document.groupId !== user.groupId) throw notFound('Document');
      return {
        items: (await repository.auditTrail(document.id)).map((entry) => ({
          action: entry.action,
          actor: entry.actorId ? { id: entry.actorId, displayName: entry.actorName ?? '' } : null,
          at: iso(entry.at),
          details: entry.details,
        })),
      };
    },
  );
};
