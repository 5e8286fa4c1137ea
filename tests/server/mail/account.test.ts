import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addPerson, request, setUpGroup, type TestApp } from '../../helper.js';
import { SmtpSink, type CapturedMail } from '../../support/smtp-sink.js';
import { expectError, login, openTestDb } from '../support.js';
import { buildMailApp, eventually, outboxRows, sleep } from './support.js';

let sink: SmtpSink;
let t: TestApp;
let adminCookie: string;

beforeAll(async () => {
  sink = await SmtpSink.start();
  t = await buildMailApp({ SMTP_URL: sink.url });
  adminCookie = await setUpGroup(t.app);
});

afterAll(async () => {
  await t.close();
  await sink.close();
});

beforeEach(() => sink.clear());

/** Waits until everything queued so far has been sent, then forgets it: the mail of a test's own setup. */
async function drain() {
  await eventually(async () => (await outboxRows(t)).every((row) => row.status === 'sent'), 'the outbox to be sent');
  sink.clear();
}

/** The link a mail's plain-text part holds under `path` (/reset-password, /invitation, /confirm-email). */
function linkIn(mail: CapturedMail, path: string): string {
  const match = new RegExp(`https?://[^\\s)\\]]+${path}/[a-z2-7]+`).exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`no ${path} link in: ${mail.parsed.text}`);
  return match[0];
}
const tokenOf = (url: string) => url.split('/').pop()!;

const askReset = (email: string, remoteAddress = '10.0.0.1') => request(t.app, { method: 'POST', url: '/api/auth/password-resets', payload: { email }, remoteAddress });

async function setLocale(cookie: string, locale: string) {
  const changed = await request(t.app, { method: 'PATCH', url: '/api/me', cookie, payload: { locale } });
  expect(changed.statusCode, changed.body).toBe(200);
}

describe('invitations by e-mail', () => {
  it('mails the invitation once, in the language chosen for it, and still answers the link to copy', async () => {
    const response = await request(t.app, { method: 'POST', url: '/api/invitations', cookie: adminCookie, payload: { email: 'Joana@Example.org', role: 'member', countryId: 'br', locale: 'pt' } });
    expect(response.statusCode, response.body).toBe(201);
    const { acceptUrl } = response.json();
    const [mail] = await sink.waitFor(1);
    await sleep(200);
    expect(sink.messages).toHaveLength(1);
    expect(mail!.rcptTo).toEqual(['joana@example.org']);
    expect(mail!.parsed.subject).toBe('Convite para Grupo de trabajo ODM no Concilia');
    expect(mail!.parsed.text).toContain('Ana Admin convida você');
    expect(linkIn(mail!, '/invitation')).toBe(acceptUrl);
    expect(mail!.parsed.html).toContain(acceptUrl);
    // Account mail: nothing to unsubscribe from.
    expect(mail!.parsed.headers.get('list-unsubscribe')).toBeUndefined();
  });

  it('writes the invitation in the inviter\'s language when none is chosen', async () => {
    const response = await request(t.app, { method: 'POST', url: '/api/invitations', cookie: adminCookie, payload: { email: 'otro@example.org', role: 'member', countryId: 'cl' } });
    expect(response.statusCode).toBe(201);
    const [mail] = await sink.waitFor(1);
    expect(mail!.parsed.subject).toBe('Invitación a Grupo de trabajo ODM en Concilia');
  });
});

describe('password reset by e-mail', () => {
  it('mails a working link for an address with an account, and nothing for one without; the answers are the same', async () => {
    const person = await addPerson(t.app, adminCookie, 'member', {}, { displayName: 'Élise Martin' });
    await setLocale(person.cookie, 'fr');
    await drain();

    const known = await askReset(person.email.toUpperCase(), '10.0.1.1');
    const unknown = await askReset('nobody-here@example.org', '10.0.1.1');
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);

    const [mail] = await sink.waitFor(1);
    await sleep(300);
    expect(sink.messages).toHaveLength(1);
    expect(mail!.rcptTo).toEqual([person.email]);
    expect(mail!.parsed.subject).toBe('Choisir un nouveau mot de passe Concilia');
    expect(mail!.parsed.text).toContain('Bonjour Élise Martin,');

    const token = tokenOf(linkIn(mail!, '/reset-password'));
    const info = await request(t.app, { url: `/api/auth/password-resets/${token}` });
    expect(info.statusCode).toBe(200);
    expect(info.json().email).toBe(person.email);

    await drain();
    const used = await request(t.app, { method: 'POST', url: `/api/auth/password-resets/${token}`, payload: { password: 'a-brand-new-password' } });
    expect(used.statusCode, used.body).toBe(200);
    expect((await login(t.app, person.email, 'a-brand-new-password')).statusCode).toBe(200);
    // The old session ended with the reset.
    expect((await request(t.app, { url: '/api/me', cookie: person.cookie })).statusCode).toBe(401);
    // And the person is told their password changed.
    const [notice] = await sink.waitFor(1);
    expect(notice!.rcptTo).toEqual([person.email]);
    expect(notice!.parsed.subject).toBe('Votre mot de passe Concilia a été modifié');

    // A link works once.
    expectError(await request(t.app, { method: 'POST', url: `/api/auth/password-resets/${token}`, payload: { password: 'yet-another-password' } }), 410, 'reset_link_invalid');
    expectError(await request(t.app, { url: `/api/auth/password-resets/${token}` }), 410, 'reset_link_invalid');
  });

  it('refuses an expired link', async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    await drain();
    expect((await askReset(person.email, '10.0.2.1')).statusCode).toBe(202);
    const [mail] = await sink.waitFor(1);
    const token = tokenOf(linkIn(mail!, '/reset-password'));
    const db = openTestDb(t);
    try {
      await db.prepare('update password_resets set expires_at = ? where used_at is null').run(Date.now() - 1000);
    } finally {
      await db.close();
    }
    expectError(await request(t.app, { method: 'POST', url: `/api/auth/password-resets/${token}`, payload: { password: 'too-late-password' } }), 410, 'reset_link_invalid');
    expect((await login(t.app, person.email, 'too-late-password')).statusCode).toBe(401);
  });

  it('limits the links per account silently and the requests per client address with a 429', async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    await drain();
    // Three links an hour for one account; the fourth and fifth answer the same, and send nothing.
    for (let i = 0; i < 5; i += 1) {
      const answer = await askReset(person.email, `10.0.3.${i}`);
      expect(answer.statusCode).toBe(202);
    }
    await sink.waitFor(3);
    await sleep(400);
    expect(sink.to(person.email)).toHaveLength(3);

    // Ten requests an hour from one address, whatever they ask for.
    for (let i = 0; i < 10; i += 1) expect((await askReset(`someone${i}@example.org`, '10.0.4.1')).statusCode).toBe(202);
    const refused = await askReset('someone-else@example.org', '10.0.4.1');
    expectError(refused, 429, 'too_many_requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('sends no link to a deactivated account, with the same answer', async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    expect((await request(t.app, { method: 'POST', url: `/api/admin/users/${person.id}/deactivate`, cookie: adminCookie })).statusCode).toBe(200);
    await drain();
    expect((await askReset(person.email, '10.0.5.1')).statusCode).toBe(202);
    await sleep(400);
    expect(sink.messages).toHaveLength(0);
  });
});

describe('password and address changes', () => {
  it('tells the person when their password changes', async () => {
    const person = await addPerson(t.app, adminCookie, 'member', {}, { locale: 'en' });
    await drain();
    const changed = await request(t.app, { method: 'POST', url: '/api/auth/password', cookie: person.cookie, payload: { currentPassword: person.password, newPassword: 'changed-password-2026' } });
    expect(changed.statusCode, changed.body).toBe(200);
    const [mail] = await sink.waitFor(1);
    expect(mail!.rcptTo).toEqual([person.email]);
    expect(mail!.parsed.subject).toBe('Your Concilia password was changed');
  });

  it('changes the address only once the new one confirms, telling the old one', async () => {
    const person = await addPerson(t.app, adminCookie, 'member', {}, { locale: 'en' });
    await drain();
    expectError(
      await request(t.app, { method: 'POST', url: '/api/auth/email', cookie: person.cookie, payload: { email: 'new@example.org', currentPassword: 'wrong-password' } }),
      400,
      'wrong_current_password',
    );
    expectError(await request(t.app, { method: 'POST', url: '/api/auth/email', cookie: person.cookie, payload: { email: 'admin@cepal.org', currentPassword: person.password } }), 409, 'email_taken');

    const asked = await request(t.app, { method: 'POST', url: '/api/auth/email', cookie: person.cookie, payload: { email: 'New.Address@example.org', currentPassword: person.password } });
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json().pendingEmail).toBe('new.address@example.org');
    await sink.waitFor(2);
    const [confirmation] = sink.to('new.address@example.org');
    const [warning] = sink.to(person.email);
    expect(confirmation!.parsed.subject).toBe('Confirm your new Concilia e-mail address');
    expect(warning!.parsed.subject).toBe('A change of your Concilia e-mail address was asked');
    expect(warning!.parsed.text).not.toMatch(/confirm-email/);

    // Nothing changes until the link is used.
    expect((await login(t.app, person.email, person.password)).statusCode).toBe(200);
    const token = tokenOf(linkIn(confirmation!, '/confirm-email'));
    expect((await request(t.app, { url: `/api/auth/email-changes/${token}` })).json()).toEqual({ email: 'new.address@example.org' });

    await drain();
    const confirmed = await request(t.app, { method: 'POST', url: `/api/auth/email-changes/${token}` });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect((await login(t.app, 'new.address@example.org', person.password)).statusCode).toBe(200);
    expect((await login(t.app, person.email, person.password)).statusCode).toBe(401);
    expect((await request(t.app, { url: '/api/me', cookie: person.cookie })).json().user.email).toBe('new.address@example.org');
    await sink.waitFor(2);
    expect(sink.to(person.email).map((mail) => mail.parsed.subject)).toEqual(['Your Concilia e-mail address was changed']);
    expect(sink.to('new.address@example.org').map((mail) => mail.parsed.subject)).toEqual(['Your Concilia e-mail address was changed']);

    expectError(await request(t.app, { method: 'POST', url: `/api/auth/email-changes/${token}` }), 410, 'email_link_invalid');
  });
});

describe('the outbox keeps account mail with what caused it', () => {
  it('queues no reset mail when the reset could not be stored', async () => {
    const before = (await outboxRows(t)).length;
    expectError(await request(t.app, { method: 'POST', url: '/api/auth/password-resets', payload: { email: 'not an address' }, remoteAddress: '10.0.6.1' }), 400, 'validation_failed');
    expect((await outboxRows(t)).length).toBe(before);
  });
});
