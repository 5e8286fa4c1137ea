/** What other client features may use of the comment rounds: where a round's and a document's rounds are. */
export { roundHref } from './rounds-api.js';
export const documentRoundsHref = (documentId: string) => `/rounds?documentId=${encodeURIComponent(documentId)}`;
export const newRoundHref = (documentId: string) => `/rounds/new?documentId=${encodeURIComponent(documentId)}`;
