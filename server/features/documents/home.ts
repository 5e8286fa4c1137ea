import type { SessionUser } from '../../plugins/sessions/index.js';
import type { HomeSection } from '../home/public.js';
import * as may from './permissions.js';
import type { DocumentsRepository } from './repository.js';

/** The library's live topic, one per group: documents published, versioned, changed or removed. */
export const libraryTopic = (groupId: string) => `library:${groupId}`;
export const LIBRARY_EVENTS = ['document.published', 'document.version_added', 'document.changed', 'document.removed'] as const;

/** The library's part of the home page: documents and versions others added since the person's last visit. */
export function documentsHomeSection(repository: DocumentsRepository): HomeSection {
  return {
    id: 'documents.new',
    order: 50,
    seeAllPath: '/documents?sort=updated',
    live: (user: SessionUser) => ({ topics: [libraryTopic(user.groupId)], events: [...LIBRARY_EVENTS] }),
    load: (user, { since, limit }) => {
      const { count, items } = repository.newSince(user.groupId, may.isPublisher(user), since.getTime(), user.id, limit);
      return {
        count,
        items: items.map((document) => ({
          id: document.id,
          kind: document.isNew ? 'document' : 'version',
          path: `/documents/${encodeURIComponent(document.id)}`,
          title: document.titleEs || document.titleEn,
          titles: { es: document.titleEs, en: document.titleEn },
          at: document.at,
          actor: document.uploadedByName,
          number: document.latestVersion,
        })),
      };
    },
  };
}
