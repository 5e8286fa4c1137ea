import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SmtpSink, type CapturedMail } from '../support/smtp-sink.js';
import { describeInBrowser, startHarness, type Harness } from './harness.js';

const PERSON = { displayName: 'Teresa Trinidad', email: 'teresa@cso.gov.tt', password: 'first-password-2026', locale: 'en' };

/** The reset link a mail's plain-text part holds. */
const resetLink = (mail: CapturedMail) => /https?:\/\/\S+\/reset-password\/[a-z2-7]+/.exec(mail.parsed.text ?? '')![0];

describeInBrowser('mail', () => {
  let h: Harness;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    h = await startHarness({ SMTP_URL: sink.url, MAIL_FROM: 'Concilia <foro@concilia.example.org>' });
    const post = (url: string, payload: unknown, cookie?: string) =>
      h.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: { origin: h.baseUrl, ...(cookie ? { cookie } : {}) } });
    const setup = await post('/api/setup', { groupName: 'Grupo de trabajo ODM', displayName: 'Ana Admin', email: 'admin@cepal.org', password: 'admin-password-1', locale: 'es', timeZone: 'America/Santiago', organizationId: 'eclac' });
    const cookie = `concilia_session=${setup.cookies.find((c) => c.name === 'concilia_session')!.value}`;
    const invited = await post('/api/invitations', { email: PERSON.email, role: 'member', countryId: 'tt', locale: 'en' }, cookie);
    const token = invited.json().acceptUrl.split('/').pop();
    const accepted = await post(`/api/invitations/${token}/accept`, { displayName: PERSON.displayName, password: PERSON.password, locale: 'en', timeZone: 'America/Port_of_Spain' });
    expect(accepted.statusCode).toBe(201);
    await sink.waitFor(1);
    sink.clear();
  });

  afterAll(async () => {
    await h?.close();
    await sink?.close();
  });

  it('resets a forgotten password by e-mail; the link works once, and an expired one is refused', async () => {
    const context = await h.newContext({ viewport: { width: 390, height: 844 } });
    const page = h.watch(await context.newPage(), { expectedStatuses: [{ status: 410, path: '/api/auth/password-resets/' }] });
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL('**/forgot-password');
    await page.getByLabel('E-mail').fill(PERSON.email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByText(`If ${PERSON.email} belongs to an account`).waitFor();

    const [mail] = await sink.waitFor(1);
    expect(mail!.rcptTo).toEqual([PERSON.email]);
    expect(mail!.parsed.subject).toBe('Set a new Concilia password');
    const link = resetLink(mail!);
    expect(link.startsWith(`${h.baseUrl}/reset-password/`)).toBe(true);

    await page.goto(link);
    await page.getByText(`For ${PERSON.displayName} (${PERSON.email}).`).waitFor();
    await page.locator('input[name=password]').fill('second-password-2026');
    await page.locator('input[name=confirm]').fill('second-password-2026');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByText('Your password was changed.').waitFor();
    // The person is told by mail that their password changed.
    await sink.waitFor(2);
    expect(sink.messages[1]!.parsed.subject).toBe('Your Concilia password was changed');

    await page.getByRole('link', { name: 'Sign in with the new password' }).click();
    await page.waitForURL('**/login');
    await page.getByLabel('E-mail').fill(PERSON.email);
    await page.getByLabel('Password').fill('second-password-2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    // The same link a second time: used.
    const other = h.watch(await (await h.newContext()).newPage(), { expectedStatuses: [{ status: 410, path: new URL(link).pathname.replace('/reset-password/', '/api/auth/password-resets/') }] });
    await other.goto(link);
    await other.getByText('This password reset link has expired or was already used.').waitFor();

    // A new link, expired before it is opened.
    sink.clear();
    await other.goto('/forgot-password');
    await other.getByLabel('E-mail').fill(PERSON.email);
    await other.getByRole('button', { name: 'Send me a link' }).click();
    const [second] = await sink.waitFor(1);
    const expired = resetLink(second!);
    const db = new Database(h.app.db.$client.name);
    try {
      db.prepare('update password_resets set expires_at = ? where used_at is null').run(Date.now() - 1000);
    } finally {
      db.close();
    }
    const third = h.watch(await (await h.newContext()).newPage(), { expectedStatuses: [{ status: 410, path: new URL(expired).pathname.replace('/reset-password/', '/api/auth/password-resets/') }] });
    await third.goto(expired);
    await third.getByText('This password reset link has expired or was already used.').waitFor();
    expect(h.problems).toEqual([]);
  });
});
