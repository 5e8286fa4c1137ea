import { api } from '../../app/api.js';
import type { Static } from 'typebox';
import type { PostHitSchema } from '../../../server/features/debates/schemas.js';
import type { MeetingHitSchema } from '../../../server/features/meetings/schemas.js';

/** A post found; `snippetHtml` is server-escaped text whose only markup is <mark>. */
export type SearchResult = Static<typeof PostHitSchema>;

/**
 * A meeting found by its title, description or agenda, or by the minutes of one of its
 * occurrences (`draft`: only in the unpublished draft, shown to their writers).
 */
export type MeetingSearchHit = Static<typeof MeetingHitSchema>;

export interface SearchResults {
  items: SearchResult[];
  total: number;
  meetings: { items: MeetingSearchHit[]; total: number };
}

export interface SearchQuery {
  q: string;
  categoryId?: string;
  authorId?: string;
  countryId?: string;
  indicator?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

/** GET /search: posts (paged by offset) and, beside them, meetings and minutes. */
export const searchApi = {
  search: (query: SearchQuery, signal?: AbortSignal) => api.get<SearchResults>('/search', { query: { ...query }, signal }),
};
