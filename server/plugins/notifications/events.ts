import type { NotificationView } from './channels.js';

/** The notifications' live events, on the person's own topic `user:<id>` (see ../live/events.ts). */
declare module '../live/events.js' {
  interface LiveEventMap {
    /** A notification was stored for the person; with their unread count after it. */
    'notification.created': { notification: NotificationView; unreadCount: number };
    /** The person marked notifications read (on any of their devices). */
    'notifications.read': { unreadCount: number };
  }
}
