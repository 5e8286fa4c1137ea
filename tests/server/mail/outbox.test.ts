import ICAL from 'ical.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backoff } from '../../../server/plugins/mail/sender.js';
import { addPerson, request, setUpGroup, type TestApp } from '../../helper.js';
import { SmtpSink } from '../../support/smtp-sink.js';
import { expectError } from '../support.js';
import { addMailPerson, buildMailApp, defineTestKinds, eventually, MAIL_DOMAIN, outboxRow, outboxRows, sleep } from './support.js';

let sink: SmtpSink;
let t: TestApp;
let adminCookie: string;
let member: Awaited<ReturnType<typeof addPerson>>;

const INVITE_ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Concilia//Meetings//EN',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:meeting-42@concilia.example.org',
  'SEQUENCE:3',
  'DTSTAMP:20260301T120000Z',
  'DTSTART:20260310T140000Z',
  'DTEND:20260310T153000Z',
  'SUMMARY:Taller de indicadores',
  'ORGANIZER;CN=Concilia:mailto:foro@concilia.example.org',
  'ATTENDEE;CN=Ana;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:ana@example.org',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

beforeAll(async () => {
  sink = await SmtpSink.start();
  t = await buildMailApp({ SMTP_URL: sink.url });
  defineTestKinds(t);
  adminCookie = await setUpGroup(t.app);
  member = await addMailPerson(t, sink, adminCookie, 'member', {}, { displayName: 'Ana Gómez' });
});

afterAll(async () => {
  await t.close();
  await sink.close();
});

beforeEach(() => {
  sink.clear();
  sink.dataDelayMs = 0;
});

describe('the outbox', () => {
  it('sends nothing for a message queued in a commit that rolls back', async () => {
    const before = (await outboxRows(t)).length;
    await expect(
      t.app.unitOfWork.run(async (commit) => {
        await t.app.mail.enqueueWithin(commit, { kind: 'reply', to: { userId: member.id }, content: { subject: 'Rolled back', blocks: [{ text: 'never' }] } });
        throw new Error('the write that caused it failed');
      }),
    ).rejects.toThrow('the write that caused it failed');
    // A message queued after it is sent: had the first been stored, it would have gone out before or with it.
    await t.app.mail.enqueue({ kind: 'reply', to: { userId: member.id }, content: { subject: 'Committed', blocks: [{ text: 'yes' }] } });
    await sink.waitFor(1);
    await sleep(300);
    expect(sink.messages.map((mail) => mail.parsed.subject)).toEqual(['Committed']);
    expect((await outboxRows(t)).length).toBe(before + 1);
  });

  it('sends a committed message once, with its text and HTML parts and the right headers', async () => {
    const id = await t.app.mail.enqueue({
      kind: 'reply',
      to: { userId: member.id },
      about: { kind: 'thread', id: 'thread-7' },
      replyable: true,
      content: {
        subject: 'Nueva respuesta en «Metadatos de pobreza»',
        blocks: [
          { text: 'Luis respondió a su mensaje:' },
          { markdown: 'Los **datos** de 2024 <script>alert(1)</script> [ver](javascript:alert(1)) @ana' },
          { html: '<p>Citado <a href="/debates/thread-7">aquí</a><img src=x onerror=alert(1)></p>' },
          { action: { label: 'Abrir el debate', url: 'https://concilia.example.org/debates/thread-7' } },
        ],
      },
    });
    expect(id).toEqual(expect.any(String));
    const [mail] = await sink.waitFor(1);
    await sleep(300);
    expect(sink.messages).toHaveLength(1);
    const row = await outboxRow(t, id);
    await eventually(async () => (await outboxRow(t, id)).status === 'sent', 'the row marked sent');
    const { parsed } = mail!;

    expect(mail!.rcptTo).toEqual([member.email]);
    expect(parsed.from?.value).toEqual([{ name: 'Concilia', address: 'foro@concilia.example.org' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : null).toEqual([{ name: 'Ana Gómez', address: member.email }]);
    expect(parsed.subject).toBe('Nueva respuesta en «Metadatos de pobreza»');
    expect(parsed.messageId).toBe(row.message_id);
    expect(row.message_id).toMatch(new RegExp(`^<[^@<>]+@${MAIL_DOMAIN.replaceAll('.', '\\.')}>$`));
    const root = t.app.mail.threadRootId({ kind: 'thread', id: 'thread-7' });
    expect(parsed.inReplyTo).toBe(root);
    expect([parsed.references].flat()).toEqual([root]);
    const rawHeaders = mail!.raw.toString('utf8').split(/\r\n\r\n/)[0]!.replace(/\r\n[ \t]+/g, ' ');
    expect(rawHeaders).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:3000\/api\/mail\/unsubscribe\/[a-z2-7]+>$/m);
    expect(rawHeaders).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(rawHeaders).toMatch(/^List-Id: Concilia <notifications\.concilia\.example\.org>$/im);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    // Replies by mail are off in this app: no reply address.
    expect(parsed.replyTo).toBeUndefined();

    // Plain text: greeting in the recipient's language, the content, the footer with both links.
    expect(parsed.text).toContain('Hola, Ana Gómez:');
    expect(parsed.text).toContain('Los datos de 2024');
    expect(parsed.text).toContain('Abrir el debate: https://concilia.example.org/debates/thread-7');
    expect(parsed.text).toMatch(/\n-- \n/);
    expect(parsed.text).toContain('«Respuestas a mis mensajes»');
    expect(parsed.text).toMatch(/Dejar de recibir correos de «Respuestas a mis mensajes»: http:\/\/127\.0\.0\.1:3000\/api\/mail\/unsubscribe\/[a-z2-7]+/);
    expect(parsed.text).toContain('Elegir qué correos recibo: http://127.0.0.1:3000/mail/preferences');

    // HTML: sanitized as posts are; our links absolute.
    const html = String(parsed.html);
    expect(html).toContain('<strong>datos</strong>');
    expect(html).not.toMatch(/<script|javascript:|onerror|<img/i);
    expect(html).toContain('href="http://127.0.0.1:3000/debates/thread-7"');
    expect(html).toContain('lang="es"');

    expect(row.status === 'sending' || row.status === 'sent').toBe(true);
    const sent = await outboxRow(t, id);
    expect(sent.smtp_response).toMatch(/^250/);
    expect(sent.attempts).toBe(1);
  });

  it('gives every mail about one subject the same thread root, and each its own Message-ID', async () => {
    const about = { kind: 'meeting', id: 'm-1' };
    await t.app.mail.enqueue({ kind: 'reply', to: { userId: member.id }, about, content: { subject: 'Primera', blocks: [] } });
    await t.app.mail.enqueue({ kind: 'reply', to: { userId: member.id }, about, content: { subject: 'Segunda', blocks: [] } });
    const mails = await sink.waitFor(2);
    expect(new Set(mails.map((mail) => mail.parsed.messageId)).size).toBe(2);
    expect(mails.map((mail) => mail.parsed.inReplyTo)).toEqual([t.app.mail.threadRootId(about), t.app.mail.threadRootId(about)]);
    expect(t.app.mail.threadRootId(about)).not.toBe(t.app.mail.threadRootId({ kind: 'thread', id: 'm-1' }));
  });

  it('sends a calendar part as a text/calendar alternative with its method', async () => {
    await t.app.mail.enqueue({
      kind: 'meeting_invited',
      to: { userId: member.id },
      about: { kind: 'meeting', id: 'meeting-42' },
      calendar: { method: 'REQUEST', ics: INVITE_ICS },
      content: { subject: 'Invitación: Taller de indicadores', blocks: [{ text: 'Está invitada.' }] },
    });
    const [mail] = await sink.waitFor(1);
    const raw = mail!.raw.toString('utf8');
    expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    const calendarPart = mail!.parsed.attachments.find((attachment) => attachment.contentType === 'text/calendar');
    expect(calendarPart).toBeDefined();
    const calendar = new ICAL.Component(ICAL.parse(calendarPart!.content.toString('utf8')));
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    const event = calendar.getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('uid')).toBe('meeting-42@concilia.example.org');
    expect(event.getFirstPropertyValue('sequence')).toBe(3);
    expect(mail!.parsed.text).toContain('Está invitada.');
  });

  it('keeps line breaks and header syntax out of every header a person can influence', async () => {
    await t.app.mail.enqueue({
      kind: 'account.test',
      to: { address: 'eve@example.org', name: 'Eve\r\nBcc: victim@example.org\r\nX-Injected: yes', locale: 'en' },
      inReplyTo: '<a@b>\r\nBcc: victim2@example.org',
      content: { subject: 'Hello\r\nBcc: victim3@example.org\nX-Injected: subject\u2028Cc: victim4@example.org', blocks: [{ text: 'body' }] },
    });
    const [mail] = await sink.waitFor(1);
    expect(mail!.rcptTo).toEqual(['eve@example.org']);
    const { parsed } = mail!;
    for (const name of ['bcc', 'cc', 'x-injected']) expect(parsed.headers.has(name)).toBe(false);
    expect(parsed.subject).toBe('Hello Bcc: victim3@example.org X-Injected: subject Cc: victim4@example.org');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : null).toEqual([{ name: 'Eve Bcc: victim@example.org X-Injected: yes', address: 'eve@example.org' }]);
    expect(parsed.inReplyTo).toBeUndefined();
    const headerBlock = mail!.raw.toString('utf8').split(/\r\n\r\n/)[0]!;
    expect(headerBlock).not.toMatch(/^(Bcc|Cc|X-Injected):/im);

    // An address with a line break in it is no address: nothing is queued.
    await expect(
      t.app.unitOfWork.run((commit) => t.app.mail.enqueueWithin(commit, { kind: 'account.test', to: { address: 'a@example.org\r\nBcc: b@example.org', locale: 'en' }, content: { subject: 's', blocks: [] } })),
    ).rejects.toThrow('Not a deliverable e-mail address');
  });

  it('keeps a display name with line breaks, given through the API, out of the headers', async () => {
    const eve = await addMailPerson(t, sink, adminCookie, 'member', {}, { displayName: 'Eve\r\nBcc: victim@example.org' });
    await t.app.mail.enqueue({ kind: 'reply', to: { userId: eve.id }, content: { subject: 'Hi', blocks: [] } });
    const [mail] = await sink.waitFor(1);
    expect(mail!.rcptTo).toEqual([eve.email]);
    expect(mail!.parsed.headers.has('bcc')).toBe(false);
    expect(mail!.raw.toString('utf8').split(/\r\n\r\n/)[0]).not.toMatch(/^Bcc:/im);
  });

  it('tries again with growing, jittered delays while the SMTP server refuses, then sends once', async () => {
    sink.refuseFor({ stage: 'connect', code: 421, times: 3 });
    await sleep(200); // the pool notices its connection closed
    const id = await t.app.mail.enqueue({ kind: 'reply', to: { userId: member.id }, content: { subject: 'Después de la caída', blocks: [] } });
    await sink.waitFor(1, { timeoutMs: 15_000 });
    await eventually(async () => (await outboxRow(t, id)).status === 'sent', 'the row marked sent');
    expect(sink.refusals.map((r) => r.code)).toEqual([421, 421, 421]);
    const gaps = sink.refusals.slice(1).map((r, i) => r.at - sink.refusals[i]!.at);
    // base 100 ms: the 2nd try 50-100 ms after the 1st, the 3rd 100-200 ms after the 2nd (plus connecting).
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[1]).toBeGreaterThanOrEqual(95);
    const row = await outboxRow(t, id);
    expect(row.attempts).toBe(4);
    expect(row.last_error).toBeNull();
    await sleep(300);
    expect(sink.messages).toHaveLength(1);
  });

  it('tries again when the DATA is refused with 451, and records the reason meanwhile', async () => {
    sink.refuseFor({ stage: 'data', code: 451, times: 2 });
    sink.dataDelayMs = 0;
    const id = await t.app.mail.enqueue({ kind: 'reply', to: { userId: member.id }, content: { subject: 'Reintento', blocks: [] } });
    await eventually(async () => ((await outboxRow(t, id)).last_error ?? '').includes('451'), 'the 451 recorded');
    await sink.waitFor(1, { timeoutMs: 15_000 });
    await eventually(async () => (await outboxRow(t, id)).status === 'sent', 'the row marked sent');
    expect((await outboxRow(t, id)).attempts).toBe(3);
    expect(sink.messages).toHaveLength(1);
  });

  it('marks a message failed at once when the server refuses it for good, and an administrator can send it again', async () => {
    sink.refuseFor({ stage: 'data', code: 550, times: 1 });
    const id = await t.app.mail.enqueue({ kind: 'reply', to: { userId: member.id }, content: { subject: 'Rechazado', blocks: [] } });
    await eventually(async () => (await outboxRow(t, id)).status === 'failed', 'the row marked failed');
    const failed = await outboxRow(t, id);
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toContain('550');
    expect(sink.messages).toHaveLength(0);

    const listed = await request(t.app, { url: '/api/admin/mail/outbox?status=failed', cookie: adminCookie });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((item: { id: string }) => item.id)).toContain(id);
    expect(listed.json().items.find((item: { id: string }) => item.id === id).lastError).toContain('550');

    const retried = await request(t.app, { method: 'POST', url: `/api/admin/mail/outbox/${id}/retry`, cookie: adminCookie });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().id).toBe(id);
    await sink.waitFor(1);
    await eventually(async () => (await outboxRow(t, id)).status === 'sent', 'the row marked sent');
    expectError(await request(t.app, { method: 'POST', url: `/api/admin/mail/outbox/${id}/retry`, cookie: adminCookie }), 409, 'not_failed');
  });

  it('gives up after the last attempt with the last error, until an administrator retries every failed message', async () => {
    sink.refuseFor({ stage: 'data', code: 451, times: 5 });
    const id = await t.app.mail.enqueue({ kind: 'reply', to: { userId: member.id }, content: { subject: 'Sin suerte', blocks: [] } });
    await eventually(async () => (await outboxRow(t, id)).status === 'failed', async () => `the row marked failed ${JSON.stringify(await outboxRow(t, id))}`, 15_000);
    const row = await outboxRow(t, id);
    expect(row.attempts).toBe(5);
    expect(row.last_error).toContain('451');
    expect(sink.refusals).toHaveLength(5);

    const retried = await request(t.app, { method: 'POST', url: '/api/admin/mail/outbox/retry-failed', cookie: adminCookie });
    expect(retried.json()).toEqual({ retried: 1 });
    await sink.waitFor(1);
    expect(sink.messages[0]!.parsed.messageId).toBe(row.message_id);
  });

  it('does not send a message past its discard time', async () => {
    const id = await t.app.mail.enqueue({ kind: 'account.test', to: { address: 'late@example.org', locale: 'es' }, discardAfter: new Date(Date.now() - 1), content: { subject: 'Tarde', blocks: [] } });
    await eventually(async () => (await outboxRow(t, id)).status === 'expired', 'the row marked expired');
    await sleep(200);
    expect(sink.to('late@example.org')).toHaveLength(0);
  });

  it('lists the outbox to administrators only, paged and by status, with each message readable', async () => {
    expectError(await request(t.app, { url: '/api/admin/mail/outbox', cookie: member.cookie }), 403, 'forbidden');
    expectError(await request(t.app, { url: '/api/admin/mail/outbox' }), 401, 'unauthenticated');
    const all = (await request(t.app, { url: '/api/admin/mail/outbox?limit=100', cookie: adminCookie })).json();
    expect(all.sending).toBe(true);
    expect(all.total).toBe(all.items.length);
    expect(all.total).toBe(Object.values(all.counts as Record<string, number>).reduce((a, b) => a + b, 0));
    const page = (await request(t.app, { url: '/api/admin/mail/outbox?limit=2&offset=1', cookie: adminCookie })).json();
    expect(page.items.map((item: { id: string }) => item.id)).toEqual(all.items.slice(1, 3).map((item: { id: string }) => item.id));
    const sent = (await request(t.app, { url: '/api/admin/mail/outbox?status=sent&limit=100', cookie: adminCookie })).json();
    expect(sent.items.every((item: { status: string }) => item.status === 'sent')).toBe(true);
    expect(sent.total).toBe(all.counts.sent);
    const one = (await request(t.app, { url: `/api/admin/mail/outbox/${sent.items[0].id}`, cookie: adminCookie })).json();
    expect(one.text).toContain('-- ');
    expectError(await request(t.app, { url: '/api/admin/mail/outbox?status=lost', cookie: adminCookie }), 400, 'validation_failed');
    expectError(await request(t.app, { url: '/api/admin/mail/outbox/nope', cookie: adminCookie }), 404, 'not_found');
  });
});

describe('backoff', () => {
  it('doubles up to the cap, each delay between half and all of it', () => {
    const settings = { retryBaseMs: 1_000, retryCapMs: 10_000 };
    expect([1, 2, 3, 4, 5, 9].map((n) => backoff(n, settings, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000]);
    expect([1, 2, 3, 4, 5, 9].map((n) => backoff(n, settings, () => 0.999999))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });
});
