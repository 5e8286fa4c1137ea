import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { AcceptInvitationPage } from './pages/accept-invitation-page.js';
import { AdminUsersPage } from './pages/admin-users-page.js';
import { AppShell } from './pages/app-shell.js';
import { DirectoryPage } from './pages/directory-page.js';
import { HomePage } from './pages/home-page.js';
import { LoginPage } from './pages/login-page.js';
import { SetupPage } from './pages/setup-page.js';


const GROUP = 'Grupo de trabajo sobre los ODS';
const ADMIN = { displayName: 'Ana Administradora', email: 'ana.admin@cepal.org', password: 'una-clave-larga-1' };
const INVITEE = { displayName: 'María Pérez', email: 'maria.perez@ine.cl', password: 'clave-de-maria-1' };

describeInBrowser('foundation', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('sets up the group, invites a member of Chile who joins in Spanish, then switches to English for good', async () => {
    // The administrator sets up the forum on an empty database.
    const adminContext = await h.newContext({ viewport: { width: 1280, height: 900 } });
    const adminPage = h.watch(await adminContext.newPage());
    await adminPage.goto('/');
    await adminPage.waitForURL('**/setup');
    const setup = new SetupPage(adminPage);
    await setup.waitUntilShown();
    await setup.fill({ groupName: GROUP, ...ADMIN, locale: 'en', timeZone: 'America/Santiago' });
    await setup.submit();

    // Signed in at once, on the home page; invites a member of Chile and reads the link from the page.
    await new HomePage(adminPage, 'en').waitUntilShown();
    expect(new URL(adminPage.url()).pathname).toBe('/');
    const admin = new AdminUsersPage(adminPage, 'en');
    await expect(admin.banner().getByText(GROUP)).toBeTruthy();
    await admin.navLink('Directory').click();
    await adminPage.waitForURL('**/directory');
    await admin.open();
    const acceptUrl = await admin.invite({ email: INVITEE.email, roleLabel: 'Member', country: 'Chile' });
    expect(acceptUrl).toMatch(new RegExp(`^${h.baseUrl}/invitation/[a-z2-7]{16,}$`));
    await adminPage.getByRole('cell', { name: INVITEE.email }).or(adminPage.getByRole('rowheader', { name: INVITEE.email })).first().waitFor();
    // A reload on a deep URL serves the app again and keeps the session.
    await adminPage.reload();
    await admin.heading('Users and invitations').waitFor();

    // The invitee, in a browser with no cookies, accepts in Spanish.
    const inviteeContext = await h.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'America/Mexico_City' });
    const inviteePage = h.watch(await inviteeContext.newPage());
    const accept = new AcceptInvitationPage(inviteePage, 'en');
    await accept.goto(acceptUrl, GROUP);
    await expect(inviteePage.getByRole('combobox', { name: 'Time zone' }).inputValue()).resolves.toBe('America/Mexico_City');
    await accept.accept({ displayName: INVITEE.displayName, password: INVITEE.password, locale: 'es', timeZone: 'America/Santiago' });
    // Joined and signed in: the home page, in Spanish.
    const homeEs = new HomePage(inviteePage, 'es');
    await homeEs.waitUntilShown();
    expect(new URL(inviteePage.url()).pathname).toBe('/');

    // Signs out and back in through the sign-in page, which stays in Spanish.
    await homeEs.signOut(INVITEE.displayName);
    await inviteePage.waitForURL('**/login');
    const login = new LoginPage(inviteePage, 'es');
    await login.waitUntilShown();
    await login.signIn(INVITEE.email, INVITEE.password);
    await homeEs.waitUntilShown();
    expect(new URL(inviteePage.url()).pathname).toBe('/');

    // The directory in Spanish, from the navigation, with the invitee under Chile.
    await homeEs.navLink(homeEs.t.directoryNav).click();
    const directoryEs = new DirectoryPage(inviteePage, 'es');
    await directoryEs.waitUntilShown();
    expect(new URL(inviteePage.url()).pathname).toBe('/directory');
    expect(await inviteePage.getAttribute('html', 'lang')).toBe('es');
    const chile = directoryEs.delegation('Chile');
    await chile.getByText(directoryEs.t.alternates).waitFor();
    await directoryEs.personLink(chile, INVITEE.displayName).waitFor();
    await inviteePage.getByRole('heading', { name: 'Aún sin delegación' }).waitFor();
    await inviteePage.getByText('Trinidad y Tabago').waitFor();

    // Switches to English: the interface changes at once...
    await directoryEs.switchLanguage('English');
    const directoryEn = new DirectoryPage(inviteePage, 'en');
    await directoryEn.waitUntilShown();
    await inviteePage.getByRole('heading', { name: 'No delegation yet' }).waitFor();
    await inviteePage.getByText('Trinidad and Tobago').waitFor();
    expect(await inviteePage.getAttribute('html', 'lang')).toBe('en');

    // ...and the choice is kept on the profile, not only in this browser.
    const me = await inviteePage.evaluate(async () => (await (await fetch('/api/me')).json()) as { user: { locale: string; timeZone: string } });
    expect(me.user.locale).toBe('en');
    expect(me.user.timeZone).toBe('America/Santiago');
    await inviteePage.evaluate(() => window.localStorage.clear());
    await inviteePage.reload();
    await directoryEn.waitUntilShown();
    await directoryEn.personLink(directoryEn.delegation('Chile'), INVITEE.displayName).waitFor();

    // The person's page, and the browser's Back button to return.
    await directoryEn.personLink(directoryEn.delegation('Chile'), INVITEE.displayName).click();
    await inviteePage.getByRole('heading', { level: 1, name: INVITEE.displayName }).waitFor();
    // Focus moved to the heading and stayed there when the loaded profile replaced the placeholder.
    const focusedText = await inviteePage.evaluate(() => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return `${active?.localName}:${active?.textContent?.trim()}`;
    });
    expect(focusedText).toBe(`h1:${INVITEE.displayName}`);
    await inviteePage.getByRole('link', { name: 'Edit your profile' }).waitFor();
    await inviteePage.goBack();
    await directoryEn.waitUntilShown();
    expect(new URL(inviteePage.url()).pathname).toBe('/directory');

    // A deep URL opened directly (not through the app's own navigation) works too.
    await inviteePage.goto('/directory');
    await directoryEn.waitUntilShown();
    expect(await inviteePage.title()).toContain('Member directory');

    // Back to the administrator: the invitation is no longer pending, and the shell still works.
    await adminPage.reload();
    await admin.heading('Users and invitations').waitFor();
    await adminPage.getByText('No invitation is waiting for an answer.').waitFor();
    await new AppShell(adminPage, 'en').navLink('Directory').click();
    const adminDirectory = new DirectoryPage(adminPage, 'en');
    const chileForAdmin = adminDirectory.delegation('Chile');
    await adminDirectory.personLink(chileForAdmin, INVITEE.displayName).waitFor();

    // The administrator names the invitee focal point of Chile.
    await chileForAdmin.getByRole('button', { name: `Make focal point: ${INVITEE.displayName}` }).click();
    await adminPage.getByText(`${INVITEE.displayName} is now the focal point of Chile.`).waitFor();
    await chileForAdmin.getByText('No focal point designated yet.').waitFor({ state: 'detached' });
    expect(await chileForAdmin.getByRole('button').count()).toBe(0);

    expect(h.problems).toEqual([]);
  }, 120_000);
});
