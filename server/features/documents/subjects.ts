import type { FastifyInstance } from 'fastify';
import type { SubjectSummary } from '../../plugins/subjects/index.js';
import * as may from './permissions.js';
import type { DocumentsRepository } from './repository.js';

/**
 * What the library registers of the shared registries: its subject kind (a document, titled in
 * the content language asked for, falling back on the other; readable as the library's rules say)
 * and its notification kind ('document': one was published).
 */
export function defineDocumentSubjects(fastify: FastifyInstance, repository: DocumentsRepository): void {
  fastify.subjects.define({
    kind: 'document',
    describe: async (user, ids, locale) => {
      const found = new Map<string, SubjectSummary>();
      for (const document of await repository.findMany(ids)) {
        if (!may.mayRead(user, document)) continue;
        const { id } = document;
        const title = (locale === 'es' ? document.titleEs || document.titleEn : document.titleEn || document.titleEs) ?? '';
        found.set(id, { kind: 'document', id, title, href: `/documents/${encodeURIComponent(id)}`, groupId: document.groupId });
      }
      return found;
    },
  });
  fastify.notifications.defineKind('document', { subjects: ['document'] });
  fastify.noticeMail.describe('document', {
    label: { en: 'New documents and versions in the library', es: 'Nuevos documentos y versiones en la biblioteca', pt: 'Novos documentos e versões na biblioteca', fr: 'Nouveaux documents et versions dans la bibliothèque' },
  });
}
