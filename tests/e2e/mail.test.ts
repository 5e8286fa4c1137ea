import Database from 'better-sqlite3';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { SmtpSink, type CapturedMail } from '../support/smtp-sink.js';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { ThreadPage } from './pages/debates-pages.js';
import { fichaTecnica } from '../server/consultations/fixtures.js';
import { addMember, call, signIn, type Person } from './scenario.js';

const REPLY_DOMAIN = 'reply.concilia.example.org';
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

  it('changes one\u2019s e-mail address from the profile, confirmed at the new address', async () => {
    const NEW_EMAIL = 'teresa.trinidad@statistics.gov.tt';
    const context = await h.newContext({ viewport: { width: 390, height: 844 } });
    const response = await context.request.post(`${h.baseUrl}/api/auth/login`, { data: { email: PERSON.email, password: 'second-password-2026' }, headers: { origin: h.baseUrl } });
    expect(response.ok()).toBe(true);
    const page = h.watch(await context.newPage(), { expectedStatuses: [{ status: 400, path: '/api/auth/email' }] });
    await page.goto('/profile');
    const section = page.getByRole('form', { name: 'Change your e-mail address' });
    await section.waitFor();
    sink.clear();

    // Checked before anything is sent: the same address, then a wrong password (the server's answer, on its field).
    await section.getByLabel('New e-mail address').fill(PERSON.email.toUpperCase());
    await section.getByLabel('Current password').fill('second-password-2026');
    await section.getByRole('button', { name: 'Send the confirmation link' }).click();
    await section.getByText('This is already your address.').waitFor();
    await section.getByLabel('New e-mail address').fill(NEW_EMAIL);
    await section.getByLabel('Current password').fill('not-my-password');
    await section.getByRole('button', { name: 'Send the confirmation link' }).click();
    await section.getByText('The current password is not right.').first().waitFor();
    await section.getByLabel('Current password').fill('second-password-2026');
    await section.getByRole('button', { name: 'Send the confirmation link' }).click();

    // Sent: the page says where, and that nothing changes until the link is opened.
    const status = page.getByRole('status').filter({ hasText: NEW_EMAIL });
    await status.waitFor();
    await status.getByText(`Until then, sign in and receive mail at ${PERSON.email}.`).waitFor();
    await expect(page.getByRole('heading', { name: 'Change your e-mail address' }).evaluate((heading) => (heading.getRootNode() as Document | ShadowRoot).activeElement === heading)).resolves.toBe(true);
    const mails = await sink.waitFor(2);
    const confirmation = mails.find((mail) => mail.rcptTo.includes(NEW_EMAIL))!;
    expect(confirmation.parsed.subject).toBe('Confirm your new Concilia e-mail address');
    expect(mails.find((mail) => mail.rcptTo.includes(PERSON.email))!.parsed.subject).toBe('A change of your Concilia e-mail address was asked');
    const link = /https?:\/\/\S+\/confirm-email\/[a-z2-7]+/.exec(confirmation.parsed.text ?? '')![0];

    await page.goto(link);
    await page.getByRole('button', { name: 'Confirm this address' }).click();
    await page.getByText(`Done: your account's address is now ${NEW_EMAIL}.`).waitFor();
    await page.goto('/profile');
    await page.getByRole('region', { name: 'Account' }).getByText(NEW_EMAIL, { exact: true }).waitFor();
    expect(h.problems).toEqual([]);
  });
});

describeInBrowser('mail: answers by e-mail', () => {
  let h: Harness;
  let sink: SmtpSink;
  let inboundPort: number;
  let admin: Person;
  let ana: Person;
  let luis: Person;

  /** A mail program sending through the site's mail server, which hands the reply to the forum's listener over SMTP. */
  async function mailFrom(from: string, to: string, subject: string, text: string, inReplyTo?: string) {
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true, logger: false });
    try {
      return await client.sendMail({ from, to, subject, text, ...(inReplyTo ? { inReplyTo, references: [inReplyTo] } : {}) });
    } finally {
      client.close();
    }
  }

  beforeAll(async () => {
    sink = await SmtpSink.start();
    inboundPort = await freePort();
    h = await startHarness({ SMTP_URL: sink.url, MAIL_FROM: 'Concilia <foro@concilia.example.org>', INBOUND_SMTP_PORT: String(inboundPort), MAIL_REPLY_DOMAIN: REPLY_DOMAIN });
    const setup = await h.app.inject({
      method: 'POST',
      url: '/api/setup',
      headers: { origin: h.baseUrl },
      payload: { groupName: 'Grupo de trabajo ODM', displayName: 'Ana Admin', email: 'admin@cepal.org', password: 'admin-password-1', locale: 'en', timeZone: 'America/Santiago', organizationId: 'eclac' },
    });
    admin = { displayName: 'Ana Admin', email: 'admin@cepal.org', password: 'admin-password-1', id: setup.json().user.id, cookie: `concilia_session=${setup.cookies.find((c) => c.name === 'concilia_session')!.value}` };
    ana = await addMember(h, admin, { displayName: 'Ana Gómez', email: 'ana.gomez@ine.gob.cl', password: 'ana-password-2026', countryId: 'cl', locale: 'es', timeZone: 'America/Santiago' });
    luis = await addMember(h, admin, { displayName: 'Luis Souza', email: 'luis.souza@ibge.gov.br', password: 'luis-password-2026', countryId: 'br', locale: 'en', timeZone: 'America/Sao_Paulo' });
    await sink.waitFor(2);
    sink.clear();
  });

  afterAll(async () => {
    await h?.close();
    await sink?.close();
  });

  it('mails a reply notification; the answer sent back by mail appears live in the open debate, without the quoted text and signature; a forged sender is bounced', async () => {
    const categories = await call<{ items: Array<{ id: string; slug: string }> }>(h, 'GET', '/api/categories', undefined, ana.cookie);
    const general = categories.items.find((category) => category.slug === 'general')!.id;
    const started = await call<{ thread: { id: string }; post: { id: string } }>(h, 'POST', '/api/threads', { categoryId: general, title: 'Metadatos de pobreza 2024', body: '¿Alguien tiene ya los metadatos de la encuesta de hogares?' }, ana.cookie);
    await call(h, 'POST', `/api/threads/${started.thread.id}/posts`, { body: 'Tenemos las cifras de 2024, faltan los metadatos.', parentId: started.post.id }, luis.cookie);

    // Ana has not read it in the forum: the notification is mailed to her once its minute has passed, in Spanish.
    await h.app.noticeMail.runDue(new Date(Date.now() + 2 * 60_000));
    const [notice] = await sink.waitFor(1);
    expect(notice!.rcptTo).toEqual([ana.email]);
    expect(notice!.parsed.subject).toBe('Re: Metadatos de pobreza 2024');
    expect(notice!.parsed.text).toContain('Tenemos las cifras de 2024, faltan los metadatos.');
    const replyTo = notice!.parsed.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(new RegExp(`^reply\\+[a-z2-7]{32}@${REPLY_DOMAIN.replaceAll('.', '\\.')}$`));
    const link = /https?:\/\/\S+\/debates\/t\/\S+/.exec(notice!.parsed.text ?? '')![0];
    sink.clear();

    // Ana follows the mail's link (on her phone); Luis has the debate open on his desk.
    const anaContext = await h.newContext({ viewport: { width: 390, height: 844 }, locale: 'es-CL' });
    const luisContext = await h.newContext({ viewport: { width: 1280, height: 900 } });
    await signIn(h, anaContext, ana);
    await signIn(h, luisContext, luis);
    const anaPage = h.watch(await anaContext.newPage());
    const luisPage = h.watch(await luisContext.newPage());
    await anaPage.goto(link);
    await luisPage.goto(`/debates/t/${started.thread.id}`);
    const anaThread = new ThreadPage(anaPage, 'es');
    const luisThread = new ThreadPage(luisPage);
    await anaThread.waitUntilShown('Metadatos de pobreza 2024');
    await luisThread.waitUntilShown('Metadatos de pobreza 2024');
    await expect.poll(() => luisThread.posts().count()).toBe(2);
    let reloads = 0;
    luisPage.on('load', () => (reloads += 1));
    anaPage.on('load', () => (reloads += 1));

    // Someone else replying with Ana's address is refused: a bounce to them, no post.
    await mailFrom(`Luis Souza <${luis.email}>`, replyTo, 'Re: Metadatos de pobreza 2024', 'Escrito en nombre de Ana.');
    const [bounce] = await sink.waitFor(1);
    expect(bounce!.rcptTo).toEqual([luis.email]);
    expect(bounce!.parsed.subject).toBe('Not delivered: Re: Metadatos de pobreza 2024');
    expect(bounce!.parsed.text).toContain('This reply address belongs to another person');

    // Ana answers from her mail program: her words above the quoted notification and her signature.
    const answer = 'Gracias, Luis. Los reviso hoy y comento el viernes.';
    const sent = await mailFrom(
      `Ana Gómez <${ana.email}>`,
      replyTo,
      'Re: Metadatos de pobreza 2024',
      [answer, '', '-- ', 'Ana Gómez', 'Departamento de Estadísticas Sociales, INE Chile', '', `El lun, 7 dic 2026 a las 10:15, Concilia <${replyTo}> escribió:`, '> Tenemos las cifras de 2024, faltan los metadatos.', '>', '> Abrir en Concilia'].join('\n'),
      notice!.parsed.messageId,
    );
    expect(sent.response).toMatch(/^250/);

    // Both open pages show it live, as Ana's, with her words only.
    for (const thread of [luisThread, anaThread]) {
      const post = thread.post(answer);
      await post.waitFor();
      await expect.poll(() => thread.posts().count()).toBe(3);
      await expect(post.getByText('Ana Gómez', { exact: true }).first().isVisible()).resolves.toBe(true);
      const body = await post.locator('.post-body').innerText();
      expect(body.trim()).toBe(answer);
    }
    expect(reloads).toBe(0);
    expect(await luisPage.getByText('Escrito en nombre de Ana.').count()).toBe(0);
    expect(await luisPage.getByText('INE Chile').count()).toBe(0);
    const posts = await call<{ items: Array<{ author: { id: string }; html: string | null }> }>(h, 'GET', `/api/threads/${started.thread.id}/posts`, undefined, luis.cookie);
    expect(posts.items.map((post) => post.author.id)).toEqual([ana.id, luis.id, ana.id]);
    expect(posts.items.at(-1)!.html).toBe(`<p>${answer}</p>\n`);
    // Nothing else went out to Luis's address: the one bounce.
    expect(sink.to(luis.email)).toHaveLength(1);
    expect(h.problems).toEqual([]);
  });

  it('keeps a reply to a consultation’s notice as a note beside the delegation’s draft, shown live on the open page at phone width, never submitted', async () => {
    sink.clear();
    await call(h, 'PUT', '/api/mail/preferences', { kinds: { consultation_opened: 'immediately' } }, ana.cookie);
    const created = await call<{ consultation: { id: string } }>(h, 'POST', '/api/consultations', { title: { es: 'Ficha técnica 2027', en: 'Technical questionnaire 2027' }, deadline: { date: '2099-06-30', time: '23:59', zone: 'America/Santiago' }, targets: ['cl'], questionnaire: fichaTecnica() }, admin.cookie);
    const id = created.consultation.id;
    await call(h, 'POST', `/api/consultations/${id}/open`, {}, admin.cookie);
    await h.app.noticeMail.runDue(new Date(Date.now() + 2 * 60_000));
    const [notice] = await sink.waitFor(1, { filter: (mail) => mail.rcptTo.includes(ana.email) && mail.parsed.subject === 'Re: Ficha técnica 2027' });
    const replyTo = notice!.parsed.replyTo?.value[0]?.address ?? '';
    sink.clear();

    const context = await h.newContext({ viewport: { width: 390, height: 844 }, locale: 'es-CL' });
    await signIn(h, context, ana);
    const page = h.watch(await context.newPage());
    await page.goto(`/consultations/${id}`);
    await page.locator('[data-my-status]').waitFor();
    let reloads = 0;
    page.on('load', () => (reloads += 1));

    const note = 'Enviaremos la ficha el viernes; falta la firma del director.';
    const sent = await mailFrom(`Ana Gómez <${ana.email}>`, replyTo, 'Re: Ficha técnica 2027', [note, '', `El lun, 7 dic 2026 a las 10:15, Concilia <${replyTo}> escribió:`, '> Consultas abiertas a mi país'].join('\n'), notice!.parsed.messageId);
    expect(sent.response).toMatch(/^250/);
    const notes = page.getByRole('region', { name: 'Respuestas por correo' });
    await notes.getByText(note).waitFor();
    expect(await notes.getByText('escribió').count()).toBe(0);
    await notes.getByText('No forman parte de las respuestas y nunca se envían').waitFor();
    expect(reloads).toBe(0);
    // A note, not an answer: the delegation's status is unchanged and nothing was submitted.
    const draft = await call<{ position: { status: string; submissions: number } }>(h, 'GET', `/api/consultations/${id}/draft`, undefined, ana.cookie);
    expect(draft.position).toMatchObject({ status: 'not_started', submissions: 0 });
    const [confirmation] = await sink.waitFor(1, { filter: (mail) => mail.rcptTo.includes(ana.email) });
    expect(confirmation!.parsed.text).toContain('Su respuesta se guardó como nota junto al borrador de su delegación.');
    expect(h.problems).toEqual([]);
  });
});
