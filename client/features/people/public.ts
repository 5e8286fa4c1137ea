/**
 * The people as other features may use them: the only module of this folder another feature
 * imports (tests/client/boundaries.test.ts). Its API (the directory, a person, the profile).
 */
export { peopleApi } from './people-api.js';
