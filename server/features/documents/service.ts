import type { FastifyInstance } from 'fastify';
import * as may from './permissions.js';
import type { DocumentReference, DocumentsService } from './public.js';
import type { DocumentsRepository } from './repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `fastify.documents` over the library's repository. */
export function documentsService(fastify: FastifyInstance, repository: DocumentsRepository, trashDays: number): DocumentsService {
  return {
    versionFiles: async (reader, id) => {
      const document = await repository.find(id);
      if (!document || !may.mayRead(reader, document)) return undefined;
      const versions = (await repository.versions(id)).map((v) => ({ number: v.number, sha256: v.sha256, mime: v.mime, fileName: v.fileName, uploadedAt: new Date(v.uploadedAt) }));
      return { id, groupId: document.groupId, title: { es: document.titleEs, en: document.titleEn }, versions };
    },
    readable: async (reader, ids) => {
      const found = new Map<string, DocumentReference>();
      // A meeting links a handful: one prepared lookup each.
      for (const id of ids) {
        const document = await repository.readable(id);
        if (document && may.mayRead(reader, document)) found.set(id, { id, title: { es: document.titleEs, en: document.titleEn } });
      }
      return found;
    },
    fileRestricted: async ({ groupId, actorId, ip, file, audience, now }) => {
      const { files } = fastify;
      const title = file.fileName;
      let id: string;
      try {
        const text = await files.extractText(file);
        await files.claim(file, now);
        await files.store.keep(file);
        id = await fastify.unitOfWork.run(() => repository.create({
          groupId,
          actorId,
          ip: ip ?? null,
          now,
          text,
          audience: [...new Set(audience)],
          // Not announced to the group nor listed to it: the publishers and the audience find it.
          metadata: {
            titleEs: title,
            titleEn: title,
            descriptionEs: '',
            descriptionEn: '',
            type: 'other',
            languages: [],
            publicationDate: now.toISOString().slice(0, 10),
            tags: [],
            indicatorCodes: [],
            visibility: 'restricted',
            authorCountryId: null,
            authorOrganizationId: null,
            relatedThreadId: null,
            relatedMeetingId: null,
          },
          version: { sha256: file.sha256, fileName: file.fileName, mime: file.mime, size: file.size, changeNote: '' },
        }));
      } catch (error) {
        await files.store.discard(file);
        throw error;
      }
      return { id, title: { es: title, en: title } };
    },
    purge: async (now = new Date()) => {
      const documents = await fastify.unitOfWork.run(() => repository.purgeTrashed(new Date(now.getTime() - trashDays * DAY_MS), now));
      if (documents > 0) fastify.log.info({ documents }, 'library purged');
      // Right away, so the purged versions' files go in the same pass.
      const { files, temporary } = await fastify.files.purge(now);
      return { documents, files, temporary };
    },
  };
}
