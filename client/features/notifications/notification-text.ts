import { msg, str } from '@lit/localize';
import type { AppNotification } from '../debates/models.js';

/** One line saying what happened, in the interface language. */
export function notificationText(notification: AppNotification): string {
  const who = notification.actor?.displayName ?? msg('Someone');
  const title = notification.threadTitle ?? msg('a debate');
  switch (notification.kind) {
    case 'reply':
      return msg(str`${who} replied to you in "${title}".`);
    case 'mention':
      return msg(str`${who} mentioned you in "${title}".`);
    case 'country_mention':
      return msg(str`${who} mentioned your country in "${title}".`);
    case 'new_thread':
      return msg(str`${who} started "${title}".`);
    case 'new_post':
      return msg(str`${who} posted in "${title}".`);
    case 'document': {
      const document = notification.documentTitle ?? msg('a document');
      return msg(str`${who} published "${document}" in the library.`);
    }
  }
}

export function notificationHref(notification: AppNotification): string | null {
  if (notification.kind === 'document') return notification.documentId ? `/documents/${encodeURIComponent(notification.documentId)}` : null;
  if (!notification.threadId) return null;
  const base = `/debates/t/${encodeURIComponent(notification.threadId)}`;
  return notification.postId ? `${base}#post-${encodeURIComponent(notification.postId)}` : base;
}
