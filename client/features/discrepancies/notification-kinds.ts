import { msg, str } from '@lit/localize';
import { actorName, registerNotificationKind } from '../notifications/public.js';
import { statusLabel } from './labels.js';

/* How the register's notification kinds read and where they lead. Loaded with the signed-in shell. */
const href = (n: { subject: { kind: string; id: string } }) => (n.subject.kind === 'discrepancy_case' ? `/discrepancies/cases/${encodeURIComponent(n.subject.id)}` : null);

registerNotificationKind('discrepancy_status', {
  text: (n) => {
    const who = actorName(n);
    const subject = n.subject.title || msg('a discrepancy case');
    const to = typeof n.details['to'] === 'string' ? statusLabel(n.details['to']) : '';
    return msg(str`${who} moved the case "${subject}" to ${to}.`);
  },
  href,
});

registerNotificationKind('discrepancy_comment', {
  text: (n) => {
    const who = actorName(n);
    const subject = n.subject.title || msg('a discrepancy case');
    return msg(str`${who} commented on the case "${subject}".`);
  },
  href,
});
