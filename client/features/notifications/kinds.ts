import { msg } from '@lit/localize';
import { inGroup } from '../../app/group-address.js';
import type { AppNotification } from '../../app/notifications.js';

export type { AppNotification };

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

/**
 * Where the notification leads: its kind's path, in the notification's own group (the list spans
 * all of the person's groups, whichever group's page it is read from).
 */
export function notificationHref(notification: AppNotification): string | null {
  if (notification.subject.available === false) return null;
  const href = renderers.get(notification.kind)?.href(notification) ?? null;
  return href && notification.group ? inGroup(href, notification.group.slug) : href;
}

/** The actor's name, or "Someone": what every renderer starts with. */
export const actorName = (notification: AppNotification) => notification.actor?.displayName ?? msg('Someone');
