import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addPerson, request, setUpGroup, type TestApp } from '../../helper.js';
import { SmtpSink, type CapturedMail } from '../../support/smtp-sink.js';
import { expectError } from '../support.js';
import { addMailPerson, buildMailApp, defineTestKinds, outboxRow, sleep } from './support.js';

let sink: SmtpSink;
let t: TestApp;
let adminCookie: string;

/** The https URI of a mail's List-Unsubscribe header, as a mail provider reads it. */
function unsubscribeUri(mail: CapturedMail): string {
  const headers = mail.raw.toString('utf8').split(/\r\n\r\n/)[0]!.replace(/\r\n[ \t]+/g, ' ');
  return /^List-Unsubscribe: <([^>]+)>$/im.exec(headers)![1]!;
}

/** RFC 8058's POST, as a provider's server sends it: no cookie, no Origin of ours. */
function oneClick(url: string, body = 'List-Unsubscribe=One-Click', contentType = 'application/x-www-form-urlencoded', accept = '*/*') {
  return t.app.inject({ method: 'POST', url: new URL(url).pathname, headers: { 'content-type': contentType, accept, origin: 'https://mail.provider.example' }, payload: body });
}

beforeAll(async () => {
  sink = await SmtpSink.start();
  t = await buildMailApp({ SMTP_URL: sink.url });
  defineTestKinds(t);
  adminCookie = await setUpGroup(t.app);
});

afterAll(async () => {
  await t.close();
  await sink.close();
});

beforeEach(() => sink.clear());

describe('one-click unsubscribe (RFC 8058)', () => {
  it('stops one kind for one person with one POST, answers 200 again, and sends no more of that kind', async () => {
    const member = await addMailPerson(t, sink, adminCookie, 'member');
    await t.app.mail.enqueue({ kind: 'reply', to: { userId: member.id }, content: { subject: 'Una respuesta', blocks: [] } });
    const [mail] = await sink.waitFor(1);
    const uri = unsubscribeUri(mail!);

    const first = await oneClick(uri);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ ok: true, kind: 'reply' });
    const prefs = (await request(t.app, { url: '/api/mail/preferences', cookie: member.cookie })).json();
    expect(prefs.kinds.find((k: { kind: string }) => k.kind === 'reply')).toMatchObject({ delivery: 'never', defaultDelivery: 'immediately' });

    // Already unsubscribed: still 200 (a provider may post twice).
    expect((await oneClick(uri)).statusCode).toBe(200);

    // No more mail of that kind; another kind still comes.
    expect(await t.app.mail.enqueue({ kind: 'reply', to: { userId: member.id }, content: { subject: 'Otra respuesta', blocks: [] } })).toBeNull();
    await t.app.mail.enqueue({ kind: 'meeting_invited', to: { userId: member.id }, content: { subject: 'Una invitación', blocks: [] } });
    await sink.waitFor(2);
    await sleep(200);
    expect(sink.messages.map((m) => m.parsed.subject)).toEqual(['Una respuesta', 'Una invitación']);
  });

  it('takes the form as multipart/form-data too, and gives a browser a page', async () => {
    const member = await addMailPerson(t, sink, adminCookie, 'member');
    const uri = await t.app.mail.unsubscribeUrl(member.id, 'reply');
    const boundary = '----provider';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const answer = await oneClick(uri, multipart, `multipart/form-data; boundary=${boundary}`, 'text/html,application/xhtml+xml');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toContain('text/html');
    expect(answer.body).toContain('Ya no recibirá correos de «Respuestas a mis mensajes».');
    expect(await t.app.mail.deliveryOf(member.id, 'reply')).toBe('never');
  });

  it('refuses a token it did not sign (404) and a POST that is not one-click (400)', async () => {
    const member = await addMailPerson(t, sink, adminCookie, 'member');
    const uri = await t.app.mail.unsubscribeUrl(member.id, 'reply');
    const token = uri.split('/').pop()!;
    const tampered = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
    expectError(await oneClick(uri.replace(token, tampered)), 404, 'not_found');
    // A token of another purpose (a reply address's) does not unsubscribe.
    const other = await addMailPerson(t, sink, adminCookie, 'member');
    const replyToken = 'r'.repeat(32);
    await t.app.mail.repository.saveToken(replyToken, 'reply', other.id, 'reply', '', Date.now());
    expectError(await oneClick(uri.replace(token, replyToken)), 404, 'not_found');
    // A kind nobody defines (any more).
    expectError(await oneClick(await t.app.mail.unsubscribeUrl(member.id, 'nothing.like.this')), 404, 'not_found');
    // Not a token's shape.
    expectError(await oneClick(uri.replace(token, token.slice(0, 20))), 400, 'validation_failed');
    expectError(await oneClick(uri, 'List-Unsubscribe=Maybe'), 400, 'not_one_click');
    expectError(await oneClick(uri, ''), 400, 'not_one_click');
    expect(await t.app.mail.deliveryOf(member.id, 'reply')).toBe('immediately');
    expect(await t.app.mail.deliveryOf(other.id, 'reply')).toBe('immediately');
  });

  it('shows a confirmation page on GET that changes nothing, in the person\u2019s language', async () => {
    const member = await addMailPerson(t, sink, adminCookie, 'member', {}, { locale: 'en' });
    const uri = await t.app.mail.unsubscribeUrl(member.id, 'reply');
    const page = await t.app.inject({ url: new URL(uri).pathname });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toMatch(/style-src 'sha256-[^']+'/);
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.body).toContain('You will no longer receive e-mails about “Replies to my posts”.');
    expect(page.body).toMatch(/<form method="post" action="\/api\/mail\/unsubscribe\/[a-z2-7]+"><input type="hidden" name="List-Unsubscribe" value="One-Click">/);
    expect(await t.app.mail.deliveryOf(member.id, 'reply')).toBe('immediately');

    const unknown = await t.app.inject({ url: '/api/mail/unsubscribe/' + 'a'.repeat(32), headers: { accept: 'text/html', 'accept-language': 'pt-BR,pt;q=0.9' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Este link não funciona');
    expectError(await t.app.inject({ url: '/api/mail/unsubscribe/' + 'a'.repeat(32) }), 404, 'not_found');
  });
});

describe('mail preferences', () => {
  it('lists every kind with the defaults of the person\u2019s role, and stores their choices', async () => {
    const observer = await addMailPerson(t, sink, adminCookie, 'observer', {}, { locale: 'en' });
    const prefs = await request(t.app, { url: '/api/mail/preferences', cookie: observer.cookie });
    expect(prefs.statusCode).toBe(200);
    const listed = prefs.json();
    expect(listed.digestHour).toBe(8);
    expect(listed.timeZone).toBe('America/Mexico_City');
    expect(listed.kinds).toContainEqual({ kind: 'reply', label: 'Replies to my posts', delivery: 'digest', defaultDelivery: 'digest', digest: true });
    expect(listed.kinds).toContainEqual({ kind: 'meeting_invited', label: 'Meeting invitations', delivery: 'immediately', defaultDelivery: 'immediately', digest: false });
    // Every notification kind the features define is listed (an observer gets mentions of themselves at once, the rest in the digest)...
    expect(listed.kinds).toContainEqual({ kind: 'mention', label: 'Mentions of me', delivery: 'immediately', defaultDelivery: 'immediately', digest: true });
    expect(listed.kinds).toContainEqual({ kind: 'document', label: 'New documents and versions in the library', delivery: 'digest', defaultDelivery: 'digest', digest: true });
    expect(listed.kinds).toContainEqual({ kind: 'meeting_invitation', label: 'Meeting invitations, changes and cancellations', delivery: 'immediately', defaultDelivery: 'immediately', digest: false });
    // ...but those the meetings mail themselves with a calendar part are one kind, not four; and account mail is not a choice.
    const names = listed.kinds.map((k: { kind: string }) => k.kind);
    for (const kind of ['meeting_changed', 'meeting_cancelled', 'account.password_reset', 'account.invitation', 'notifications.digest']) expect(names).not.toContain(kind);
    expect(await t.app.mail.deliveryOf(observer.id, 'reply')).toBe('digest');

    const changed = await request(t.app, { method: 'PUT', url: '/api/mail/preferences', cookie: observer.cookie, payload: { digestHour: 18, kinds: { reply: 'immediately', meeting_invited: 'never' } } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().digestHour).toBe(18);
    const chosen = Object.fromEntries(changed.json().kinds.map((k: { kind: string; delivery: string }) => [k.kind, k.delivery]));
    expect([chosen.reply, chosen.meeting_invited]).toEqual(['immediately', 'never']);
    expect((await request(t.app, { url: '/api/mail/preferences', cookie: observer.cookie })).json()).toEqual(changed.json());
    expect(await t.app.mail.deliveryOf(observer.id, 'meeting_invited')).toBe('never');
  });

  it('refuses kinds nobody defines, a digest for a kind that has none, and an hour out of range', async () => {
    const member = await addMailPerson(t, sink, adminCookie, 'member');
    const put = (payload: object) => request(t.app, { method: 'PUT', url: '/api/mail/preferences', cookie: member.cookie, payload });
    const unknown = expectError(await put({ kinds: { nope: 'never', reply: 'never' } }), 400, 'invalid_preferences');
    expect(unknown.details).toEqual([{ field: 'kinds.nope', message: 'is not a kind of mail' }]);
    expect(expectError(await put({ kinds: { meeting_invited: 'digest' } }), 400, 'invalid_preferences').details).toEqual([{ field: 'kinds.meeting_invited', message: 'is not sent in digests' }]);
    expectError(await put({ digestHour: 24 }), 400, 'validation_failed');
    expectError(await put({ kinds: { reply: 'sometimes' } }), 400, 'validation_failed');
    // Nothing of a refused change was kept.
    expect(await t.app.mail.deliveryOf(member.id, 'reply')).toBe('immediately');
    expectError(await request(t.app, { url: '/api/mail/preferences' }), 401, 'unauthenticated');
  });
});

describe('without SMTP_URL', () => {
  let quiet: TestApp;
  let quietAdmin: string;
  beforeAll(async () => {
    quiet = await buildMailApp({});
    defineTestKinds(quiet);
    quietAdmin = await setUpGroup(quiet.app);
  });
  afterAll(() => quiet.close());

  it('keeps every message in the outbox, where administrators read them', async () => {
    const member = await addPerson(quiet.app, quietAdmin, 'member');
    const id = await quiet.app.mail.enqueue({ kind: 'account.test', to: { userId: member.id }, content: { subject: 'Su enlace', blocks: [{ action: { label: 'Restablecer la contraseña', url: 'http://127.0.0.1:3000/reset/abc' } }] } });
    await sleep(300);
    expect((await outboxRow(quiet, id)).status).toBe('pending');
    const list = (await request(quiet.app, { url: '/api/admin/mail/outbox', cookie: quietAdmin })).json();
    expect(list.sending).toBe(false);
    expect(list.items[0]).toMatchObject({ id, status: 'pending', subject: 'Su enlace', to: { address: member.email } });
    const one = (await request(quiet.app, { url: `/api/admin/mail/outbox/${id}`, cookie: quietAdmin })).json();
    expect(one.text).toContain('Restablecer la contraseña: http://127.0.0.1:3000/reset/abc');
    expect(sink.messages).toHaveLength(0);
  });
});
