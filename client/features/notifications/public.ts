/**
 * The notifications as the rest of the client may use them: the only module of this folder
 * another feature or the shell imports (tests/client/boundaries.test.ts). The bell the shell's
 * header shows (defined by the shell once someone is signed in), the API behind it, and the
 * registry where each feature says how the notification kinds it defined read and where they lead.
 */
export { CnNotificationBell } from './notification-bell.js';
export { notificationsApi } from './notifications-api.js';
export { actorName, registerNotificationKind, type AppNotification, type NotificationRenderer } from './kinds.js';
