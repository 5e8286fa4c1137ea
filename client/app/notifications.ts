import type { Static } from 'typebox';
import type { NotificationSchema } from '../../server/plugins/notifications/index.js';

/**
 * An in-app notification as GET /api/notifications lists it: the server's schema (type-only, no
 * server code in the bundle). Here, in the shell, because the header's bell and the home page
 * show them; how each kind reads is registered by its feature (features/notifications/kinds.ts).
 */
export type AppNotification = Static<typeof NotificationSchema>;

/** Sent on window by a page that marked notifications read (the notifications page, a mention opened from the home page), with the new count. */
export const UNREAD_CHANGED = 'cn-notifications-unread';
