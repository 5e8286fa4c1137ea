/**
 * The notifications as the rest of the client may use them: the only module of this folder
 * another feature or the shell imports (tests/client/boundaries.test.ts). The bell the shell's
 * header shows (defined by the shell once someone is signed in) and the API behind it.
 */
export { CnNotificationBell } from './notification-bell.js';
export { notificationsApi } from './notifications-api.js';
