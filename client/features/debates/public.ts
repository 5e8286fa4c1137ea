/**
 * The debates as other features may use them: the only module of this folder another feature
 * imports (tests/client/boundaries.test.ts). Its API (a document's related debate, the debates a
 * link picker offers), a category's name, and the shapes those answer with.
 */
export { attachmentHref, debatesApi, findThreads } from './debates-api.js';
export { categoryName } from './debates-format.js';
export type { Attachment, Author, Category, Post, ThreadDetail, ThreadSummary, WatchLevel } from './models.js';
