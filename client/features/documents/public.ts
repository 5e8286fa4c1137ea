/**
 * The library as other features may use it: the only module of this folder another feature
 * imports (tests/client/boundaries.test.ts). Its API (documents for a link picker, the upload
 * limit post attachments share), how a document is linked and summed up in a list of results,
 * and the shapes those answer with.
 */
export { checkUploadSize, documentsApi, downloadHref, findDocuments } from './documents-api.js';
export { documentFacts, documentHref, documentSnippet } from './document-list-item.js';
export { localizedText } from './documents-format.js';
export type { DocumentSummary } from './models.js';
