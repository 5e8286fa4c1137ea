import type { Static } from 'typebox';
import type { MentionableSchema } from '../../server/features/people/schemas.js';
import { api } from './api.js';

/** Who and which countries an @-mention may name (GET /mentionable). */
export type Mentionable = Static<typeof MentionableSchema>;

/**
 * What the Markdown editor asks the server, whichever feature it writes for (posts, meeting
 * notes and chat, minutes): a preview rendered and sanitized as the text would be published,
 * and the people and countries an @-mention may name.
 */
export const markdownApi = {
  preview: (body: string, signal?: AbortSignal) => api.post<{ html: string }>('/markdown/preview', { body }, { signal }).then((r) => r.html),
  mentionable: (q: string, signal?: AbortSignal) => api.get<Mentionable>('/mentionable', { query: { q }, signal }),
};
