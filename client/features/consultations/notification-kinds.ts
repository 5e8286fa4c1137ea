import { msg, str } from '@lit/localize';
import { formatDateTime } from '../../app/format.js';
import { actorName, registerNotificationKind, type AppNotification } from '../notifications/public.js';

/* How the consultations' notification kinds read and where they lead. Loaded with the signed-in shell. */

const title = (n: AppNotification) => n.subject.title || msg('a consultation');
const href = (n: AppNotification) => (n.subject.kind === 'consultation' ? `/consultations/${encodeURIComponent(n.subject.id)}` : null);

registerNotificationKind('consultation_opened', {
  text: (n, timeZone) => {
    const deadline = (n.details as { deadline?: string }).deadline;
    return deadline ? msg(str`"${title(n)}" is open for your country until ${formatDateTime(deadline, timeZone)}.`) : msg(str`"${title(n)}" is open for your country.`);
  },
  href,
});
registerNotificationKind('consultation_query', { text: (n) => msg(str`${actorName(n)} sent your country a query about "${title(n)}".`), href });
registerNotificationKind('consultation_reply', { text: (n) => msg(str`${actorName(n)} replied to a query about "${title(n)}".`), href });
registerNotificationKind('consultation_reminder', {
  text: (n, timeZone) => {
    const deadline = (n.details as { deadline?: string }).deadline;
    return deadline ? msg(str`Reminder: your country has not yet answered "${title(n)}" (deadline ${formatDateTime(deadline, timeZone)}).`) : msg(str`Reminder: your country has not yet answered "${title(n)}".`);
  },
  href,
});
