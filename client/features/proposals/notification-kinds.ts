import { msg, str } from '@lit/localize';
import { actorName, registerNotificationKind, type AppNotification } from '../notifications/public.js';

/* How the proposals' notification kinds read and where they lead (the debate). Loaded with the signed-in shell. */
const href = (n: AppNotification) => (n.subject.kind === 'thread' ? `/debates/t/${encodeURIComponent(n.subject.id)}` : null);
const title = (n: AppNotification) => n.subject.title || msg('a debate');

registerNotificationKind('proposal_outcome', {
  text: (n) => msg(str`${actorName(n)} wrote the outcome of the proposal in "${title(n)}".`),
  href,
});
registerNotificationKind('proposal_reminder', {
  text: (n) => msg(str`A proposal in "${title(n)}" closes within a day and you have not taken a position.`),
  href,
});
