import { msg } from '@lit/localize';
import type { Static } from 'typebox';
import type { NotificationSchema } from '../../../server/plugins/notifications/index.js';

/** A notification as GET /api/notifications lists it (the server's schema: type-only, no server code in the bundle). */
export type AppNotification = Static<typeof NotificationSchema>;

/** How the client shows one notification kind: its line of text and the page it opens. */
export interface NotificationRenderer {
  /** One line saying what happened, in the interface language; times in `timeZone` (the reader's). */
  text(notification: AppNotification, timeZone?: string): string;
  /** The client path it opens, or null when there is nothing to open. */
  href(notification: AppNotification): string | null;
}

const renderers = new Map<string, NotificationRenderer>();
const listeners = new Set<() => void>();

/**
 * Each feature registers the kinds it defined on the server, from its own registration module
 * (loaded with the signed-in shell: client/app/features.ts); the bell and the list know no feature.
 */
export function registerNotificationKind(kind: string, renderer: NotificationRenderer): void {
  if (renderers.has(kind)) throw new Error(`Notification kind "${kind}" is registered twice`);
  renderers.set(kind, renderer);
  for (const listener of listeners) listener();
}

/** Called whenever a kind is registered (a list drawn before its renderers arrived draws again); returns the unsubscribe. */
export function onNotificationKindsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The notification's line. A kind no feature registered (a newer server, or renderers still
 * loading) still names what it is about (a renderer's sentence needs its translations).
 */
export function notificationText(notification: AppNotification, timeZone?: string): string {
  // The reader may no longer read what it was about: the server withheld its title and details.
  if (notification.subject.available === false) return msg('Something you can no longer see (it was moved, unpublished or removed).');
  const renderer = renderers.get(notification.kind);
  if (renderer) return renderer.text(notification, timeZone);
  return notification.subject?.title ?? '';
}

export function notificationHref(notification: AppNotification): string | null {
  if (notification.subject.available === false) return null;
  const renderer = renderers.get(notification.kind);
  return renderer ? renderer.href(notification) : null;
}

/** The actor's name, or "Someone": what every renderer starts with. */
export const actorName = (notification: AppNotification) => notification.actor?.displayName ?? msg('Someone');
