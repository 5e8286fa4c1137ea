/** What other features may use of the notifications: register a renderer per notification kind they define. */
export { actorName, registerNotificationKind, type AppNotification, type NotificationRenderer } from './kinds.js';
