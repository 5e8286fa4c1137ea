import { api } from '../../app/api.js';
import type { Author } from '../debates/public.js';

export interface SearchResult {
  threadId: string;
  threadTitle: string;
  postId: string;
  seq: number;
  categoryId: string;
  author: Author;
  createdAt: string;
  /** Server-escaped text whose only markup is <mark>. */
  snippetHtml: string;
}

/** A meeting found by its title, description or agenda, or by the minutes of one of its occurrences. */
export interface MeetingSearchHit {
  kind: 'meeting' | 'minutes';
  meetingId: string;
  title: string;
  meetingKind: string;
  status: string;
  startsAt: string | null;
  occurrenceId: string | null;
  /** Minutes whose words are only in the unpublished draft (shown to their writers). */
  draft: boolean;
  /** Server-escaped text whose only markup is <mark>. */
  snippetHtml: string;
}

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
