import { DEFAULT_MAIL_WORKER, type MailWorkerSettings } from '../../../server/config.js';
import type { LocalizedText } from '../../../server/plugins/mail/index.js';
import { addPerson, buildTestApp, type TestApp } from '../../helper.js';
import { openTestDb } from '../../support/test-db.js';

export const MAIL_FROM = 'Concilia <foro@concilia.example.org>';
export const MAIL_DOMAIN = 'concilia.example.org';

/** The outbox worked fast enough for a test: retries after tens of milliseconds, short leases. */
export const FAST_WORKER: MailWorkerSettings = { ...DEFAULT_MAIL_WORKER, retryBaseMs: 100, retryCapMs: 2_000, maxAttempts: 5, leaseMs: 5_000, maxInFlight: 4 };

/** The real app, sending to `smtpUrl` (or to nobody) with a fast worker. */
export function buildMailApp(env: Record<string, string>, worker: Partial<MailWorkerSettings> = {}): Promise<TestApp> {
  return buildTestApp({ MAIL_FROM, ...env }, { mailWorker: { ...FAST_WORKER, ...worker } });
}

export const REPLIES_LABEL: LocalizedText = { en: 'Replies to my posts', es: 'Respuestas a mis mensajes', pt: 'Respostas às minhas mensagens', fr: 'Réponses à mes messages' };

/** The notification kind these tests send, as a feature would define it: observers get it in the digest by default. */
export function defineTestKinds(t: TestApp): void {
  // The debates define 'reply' (notification mail, the same label and defaults) in the real app.
  if (!t.app.mail.notificationKind('reply')) t.app.mail.defineKind('reply', { label: REPLIES_LABEL, defaultFor: (role) => (role === 'observer' ? 'digest' : 'immediately') });
  t.app.mail.defineKind('meeting_invited', {
    label: { en: 'Meeting invitations', es: 'Invitaciones a reuniones', pt: 'Convites para reuniões', fr: 'Invitations aux réunions' },
    defaultFor: () => 'immediately',
    digest: false,
  });
  t.app.mail.defineKind('account.test', { transactional: true });
}

/** The outbox rows, read over a second connection (what the API gives the administrators, and more). */
export async function outboxRows(t: Pick<TestApp, 'config'>): Promise<Array<{ id: string; message_id: string; status: string; attempts: number; last_error: string | null; smtp_response: string | null; to_address: string; kind: string }>> {
  const db = openTestDb(t);
  try {
    return (await db.prepare('select * from mail_outbox order by created_at, id').all()) as never;
  } finally {
    await db.close();
  }
}

/** One outbox row by id; a test that names it expects it to be there. */
export async function outboxRow(t: Pick<TestApp, 'config'>, id: string | null) {
  const row = (await outboxRows(t)).find((r) => r.id === id);
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, polling; throws with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string | (() => Promise<string>), timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : await what()}`);
    await sleep(25);
  }
}

/**
 * Waits until every message queued so far has left the outbox (sent, or given up), then forgets
 * what the sink caught: the invitation mails of a test's own setup (addPerson) are out of the way.
 */
export async function drainOutbox(t: TestApp, sink: { clear(): void }): Promise<void> {
  await eventually(async () => (await outboxRows(t)).every((row) => row.status !== 'pending' && row.status !== 'sending'), 'the outbox to be sent');
  sink.clear();
}

/** addPerson, with their invitation mail sent and forgotten. */
export async function addMailPerson(t: TestApp, sink: { clear(): void }, ...rest: Parameters<typeof addPerson> extends [unknown, ...infer R] ? R : never) {
  const person = await addPerson(t.app, ...rest);
  await drainOutbox(t, sink);
  return person;
}
