import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, ORIGIN, request, setUpGroup, type TestApp } from '../../helper.js';
import { myId } from '../support.js';
import { buildApp } from '../../../server/app.js';
import { loadConfig } from '../../../server/config.js';
import { categoryId, reply, startThread, type Participant } from '../debates/support.js';
import { buildMailApp, MAIL_FROM, outboxRows } from './support.js';

/**
 * Two servers on one database file (a supported set-up: tests/server/two-processes.test.ts) both
 * run the notification mail's timer. A notice, or a person's digest of the day, is mailed by one of
 * them, once. Two apps in one process interleave exactly as two processes may: each reads what is
 * due, then awaits the subjects' descriptions before it writes.
 */
const HOUR = 60 * 60_000;
let t: TestApp;
let other: FastifyInstance;
let ana: Participant;
let luis: Participant;
let category: string;

beforeAll(async () => {
  // No SMTP: the outbox keeps every message, so the rows say what each server queued.
  t = await buildMailApp({});
  // On PostgreSQL the second server is given the same database as the first.
  const database = t.config.databaseUrl === null ? {} : { DATABASE_URL: t.config.databaseUrl };
  other = await buildApp(loadConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: ORIGIN, MAIL_FROM, ...database }), { logger: false });
  await other.ready();
  const adminCookie = await setUpGroup(t.app);
  const admin = { id: await myId(t.app, adminCookie), cookie: adminCookie };
  const added = await addPerson(t.app, adminCookie, 'member', { countryId: 'cl' }, { displayName: 'Ana Gómez', locale: 'es' });
  ana = { id: added.id, cookie: added.cookie };
  await request(t.app, { method: 'PATCH', url: '/api/me', cookie: ana.cookie, payload: { timeZone: 'America/Santiago' } });
  const luisAdded = await addPerson(t.app, adminCookie, 'member', { countryId: 'br' }, { displayName: 'Luis Souza', locale: 'en' });
  luis = { id: luisAdded.id, cookie: luisAdded.cookie };
  category = await categoryId(t.app, admin, 'general');
});

afterAll(async () => {
  await other?.close();
  await t?.close();
});

const rowsOf = async (kind: string) => (await outboxRows(t)).filter((row) => row.kind === kind);

async function luisRepliesToAna(title: string) {
  const thread = await startThread(t.app, ana, { categoryId: category, title });
  await reply(t.app, luis, thread.thread.id, 'Tenemos las cifras de 2024.', thread.post.id);
}

describe('notification mail with two servers on one database', () => {
  it('mails a due notice once, whichever server runs first', async () => {
    expect((await request(t.app, { method: 'PUT', url: '/api/mail/preferences', cookie: ana.cookie, payload: { kinds: { reply: 'immediately' } } })).statusCode).toBe(200);
    await luisRepliesToAna('Metadatos de pobreza');
    const later = new Date(Date.now() + 2 * 60_000);
    const [first, second] = await Promise.all([t.app.noticeMail.runDue(later), other.noticeMail.runDue(later)]);
    expect(first.mailed + second.mailed).toBe(1);
    expect(await rowsOf('reply')).toHaveLength(1);
  });

  it('sends a person one digest a day, whichever server runs first', async () => {
    expect((await request(t.app, { method: 'PUT', url: '/api/mail/preferences', cookie: ana.cookie, payload: { digestHour: 9, kinds: { reply: 'digest' } } })).statusCode).toBe(200);
    await luisRepliesToAna('Cuadro de empleo');
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Santiago', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + 24 * HOUR));
    const at = new Date(`${day}T09:30:00-03:00`);
    const [first, second] = await Promise.all([t.app.noticeMail.runDue(at), other.noticeMail.runDue(at)]);
    expect(first.digests + second.digests).toBe(1);
    expect(await rowsOf('notifications.digest')).toHaveLength(1);
  });
});

describe('the outbox with two servers on one database', () => {
  it('hands each due message to one sender when both claim at once', async () => {
    if (!t.app.mail.notificationKind('two-processes.test')) t.app.mail.defineKind('two-processes.test', { transactional: true });
    for (let i = 0; i < 40; i++) {
      await t.app.mail.enqueue({ kind: 'two-processes.test', to: { address: `claimed${i}@example.org`, locale: 'es' }, content: { subject: `Mensaje ${i}`, blocks: [{ text: `Número ${i}` }] } });
    }
    const queued = (await rowsOf('two-processes.test')).map((row) => row.id);
    const now = Date.now() + 60_000;
    const rounds = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? t.app : other).mail.repository.claim(now, `sender-${i}`, now + 5 * 60_000, 10)),
    );
    const claimed = rounds.flatMap((rows) => rows.map((row) => row.id)).filter((id) => queued.includes(id));
    expect(claimed).toHaveLength(new Set(claimed).size);
    expect(new Set(claimed)).toEqual(new Set(queued));
  });
});
