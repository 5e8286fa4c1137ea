/**
 * The administration as other features may use it: the only module of this folder another
 * feature imports (tests/client/boundaries.test.ts). Its API (accounts and invitations).
 */
export { adminApi } from './admin-api.js';
