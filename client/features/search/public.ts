/**
 * Search as other features may use it: the only module of this folder another feature imports
 * (tests/client/boundaries.test.ts). GET /search (debates' link pickers look debates up by their
 * words) and the shapes it answers with.
 */
export { searchApi } from './search-api.js';
export type { MeetingSearchHit, SearchQuery, SearchResult, SearchResults } from './search-api.js';
