import { msg, str } from '@lit/localize';
import { actorName, registerNotificationKind, type AppNotification } from '../notifications/public.js';

/* How the comment rounds' notification kinds read and where they lead. Loaded with the signed-in shell. */
const href = (n: AppNotification) => (n.subject.kind === 'round' ? `/rounds/${encodeURIComponent(n.subject.id)}` : null);
const title = (n: AppNotification) => n.subject.title || msg('a document');

registerNotificationKind('round_opened', {
  text: (n) => msg(str`${actorName(n)} opened a comment round on "${title(n)}": your delegation is consulted.`),
  href,
});
registerNotificationKind('round_submitted', {
  text: (n) => msg(str`${n.excerpt} submitted its comments on "${title(n)}".`),
  href,
});
registerNotificationKind('round_dispositions', {
  text: (n) => msg(str`The dispositions of the comments on "${title(n)}" are published.`),
  href,
});
registerNotificationKind('silence_broken', {
  text: (n) => msg(str`${actorName(n)} broke silence on "${title(n)}".`),
  href,
});
registerNotificationKind('round_reminder', {
  text: (n) =>
    (n.details as { lead?: string }).lead === 'day'
      ? msg(str`Reminder: your delegation has not yet submitted its comments on "${title(n)}". The round closes in a day.`)
      : msg(str`Reminder: your delegation has not yet submitted its comments on "${title(n)}". The round closes in a week.`),
  href,
});
