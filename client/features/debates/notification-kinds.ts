import { msg, str } from '@lit/localize';
import { actorName, registerNotificationKind, type AppNotification } from '../notifications/public.js';

/*
 * How the debates' notification kinds read and where they lead (server: features/debates/subjects.ts).
 * Each is about a thread; details.postId is the post it points at. Loaded with the signed-in shell.
 */

function href(n: AppNotification): string | null {
  if (n.subject.kind !== 'thread') return null;
  const base = `/debates/t/${encodeURIComponent(n.subject.id)}`;
  const postId = n.details.postId;
  return typeof postId === 'string' ? `${base}#post-${encodeURIComponent(postId)}` : base;
}

/** Each kind's sentence, over who did it and the thread's title (the names the translations know). */
const sentence = (say: (who: string, title: string) => string) => (n: AppNotification) => say(actorName(n), n.subject.title || msg('a debate'));

registerNotificationKind('reply', { href, text: sentence((who, title) => msg(str`${who} replied to you in "${title}".`)) });
registerNotificationKind('mention', { href, text: sentence((who, title) => msg(str`${who} mentioned you in "${title}".`)) });
registerNotificationKind('country_mention', { href, text: sentence((who, title) => msg(str`${who} mentioned your country in "${title}".`)) });
registerNotificationKind('new_thread', { href, text: sentence((who, title) => msg(str`${who} started "${title}".`)) });
registerNotificationKind('new_post', { href, text: sentence((who, title) => msg(str`${who} posted in "${title}".`)) });
