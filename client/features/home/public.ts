/**
 * The home page as other features may use it: the only module of this folder another feature
 * imports (tests/client/boundaries.test.ts). Its API (GET /api/home) and the shapes it answers with.
 */
export { homeApi } from './home-api.js';
export type { Home, HomeItem, HomeSection } from './home-api.js';
