import { msg, str } from '@lit/localize';
import { actorName, registerNotificationKind } from '../notifications/public.js';

/* How the library's notification kind reads and where it leads. Loaded with the signed-in shell. */
registerNotificationKind('document', {
  text: (n) => {
    const who = actorName(n);
    const document = n.subject.title || msg('a document');
    // A new version of a published document carries its number.
    const version = typeof n.details['version'] === 'number' ? n.details['version'] : null;
    if (version !== null) return msg(str`${who} added version ${version} of "${document}" to the library.`);
    return msg(str`${who} published "${document}" in the library.`);
  },
  href: (n) => (n.subject.kind === 'document' ? `/documents/${encodeURIComponent(n.subject.id)}` : null),
});
