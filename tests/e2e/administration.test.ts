import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { DirectoryPage } from './pages/directory-page.js';
import { HomePage } from './pages/home-page.js';
import { LoginPage } from './pages/login-page.js';


const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const MEMBER = { displayName: 'Pedro Soto', email: 'pedro@ine.cl', password: 'pedro-password-1' };
const COORDINATOR = { displayName: 'Carla Coordinadora', email: 'carla@cepal.org', password: 'carla-password-1' };

const focusedElement = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return { tag: active?.localName ?? '', name: active?.getAttribute('name') ?? '', text: active?.textContent?.trim() ?? '' };
  });

describeInBrowser('administration', () => {
  let h: Harness;

  const api = async (method: 'GET' | 'POST', url: string, payload?: object, cookie?: string) => {
    const response = await h.app.inject({ method, url, payload, headers: { origin: h.baseUrl, ...(cookie ? { cookie } : {}) } });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response;
  };

  beforeAll(async () => {
    h = await startHarness();
    const setup = await api('POST', '/api/setup', { groupName: 'Grupo ODS', ...ADMIN, locale: 'en', timeZone: 'America/Santiago' });
    const cookie = String(setup.headers['set-cookie']).split(';')[0]!;
    for (const [person, role, affiliation] of [
      [MEMBER, 'member', { countryId: 'cl' }],
      [COORDINATOR, 'coordinator', { organizationId: 'eclac' }],
    ] as const) {
      const invitation = await api('POST', '/api/invitations', { email: person.email, role, ...affiliation }, cookie);
      const token = String(invitation.json().acceptUrl).split('/').pop();
      await api('POST', `/api/invitations/${token}/accept`, { displayName: person.displayName, password: person.password, locale: 'en', timeZone: 'America/Santiago' });
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  it('manages roles, invitations and password resets; guards pages by role', async () => {
    const adminPage = h.watch(await (await h.newContext()).newPage(), {
      expectedStatuses: [{ status: 409, path: '/api/invitations' }],
    });

    // A deep link while signed out goes through the sign-in page and comes back, query included.
    await adminPage.goto('/admin/users?role=member');
    await adminPage.waitForURL('**/login?next=*');
    await new LoginPage(adminPage).signIn(ADMIN.email, ADMIN.password);
    await adminPage.getByRole('heading', { level: 1, name: 'Users and invitations' }).waitFor();
    expect(new URL(adminPage.url()).search).toBe('?role=member');
    await adminPage.getByRole('rowheader', { name: new RegExp(MEMBER.displayName) }).waitFor();
    expect(await adminPage.getByRole('rowheader').count()).toBe(1);

    // Changing a member into an observer asks for the organization before anything is sent.
    const users = adminPage.locator('cn-users-panel');
    await adminPage.getByRole('button', { name: `Change role: ${MEMBER.displayName}` }).click();
    await adminPage.getByRole('dialog', { name: `Change the role of ${MEMBER.displayName}` }).waitFor();
    await users.getByRole('combobox', { name: 'Role', exact: true }).last().selectOption('observer');
    await users.getByRole('button', { name: 'Save the role' }).click();
    await users.getByRole('alert').getByText('One field needs your attention.').waitFor();
    expect(await focusedElement(adminPage)).toMatchObject({ tag: 'select', name: 'organizationId' });
    await users.getByRole('combobox', { name: 'Organization' }).selectOption('unicef');
    await users.getByRole('button', { name: 'Save the role' }).click();
    await adminPage.getByText(`The role of ${MEMBER.displayName} is now Observer.`).waitFor();
    // The list is still filtered on members, so they left it; clearing the filter brings everyone back.
    await users.getByText('No user matches these filters.').waitFor();
    await users.getByRole('search').getByRole('combobox', { name: 'Role' }).selectOption('');
    await users.getByRole('rowheader', { name: new RegExp(MEMBER.displayName) }).waitFor();
    expect(new URL(adminPage.url()).search).toBe('');

    // A password reset link, handed over and used in another browser.
    await adminPage.getByRole('button', { name: `Reset password: ${MEMBER.displayName}` }).click();
    await users.getByRole('button', { name: 'Create the link' }).click();
    const resetUrl = await users.getByRole('textbox', { name: 'Password reset link' }).inputValue();
    expect(resetUrl).toMatch(new RegExp(`^${h.baseUrl}/reset-password/`));
    await adminPage.keyboard.press('Escape');
    await adminPage.getByRole('dialog').waitFor({ state: 'hidden' });

    // Invitations: client-side checks, a server refusal shown in the dialog, then withdrawal.
    const invite = adminPage.locator('cn-invite-dialog');
    await adminPage.getByRole('button', { name: 'Invite someone' }).click();
    await invite.getByRole('textbox', { name: 'E-mail', exact: true }).fill('not-an-address');
    await invite.getByRole('button', { name: 'Create invitation' }).click();
    await invite.getByRole('alert').getByText('2 fields need your attention.').waitFor();
    expect((await focusedElement(adminPage)).name).toBe('email');
    await invite.getByRole('textbox', { name: 'E-mail', exact: true }).fill(COORDINATOR.email);
    await invite.getByRole('combobox', { name: 'Country' }).selectOption('mx');
    await invite.getByRole('button', { name: 'Create invitation' }).click();
    await invite.getByRole('alert').getByText('This person is already a member of this group.').waitFor();
    await invite.getByRole('textbox', { name: 'E-mail', exact: true }).fill('nueva@inegi.mx');
    await invite.getByRole('button', { name: 'Create invitation' }).click();
    await invite.getByRole('textbox', { name: 'Acceptance link' }).waitFor();
    await invite.getByRole('button', { name: 'Done' }).click();
    await adminPage.getByRole('button', { name: 'Withdraw: nueva@inegi.mx' }).click();
    await adminPage.getByRole('button', { name: 'Withdraw the invitation' }).click();
    await adminPage.getByText('The invitation for nueva@inegi.mx was withdrawn.').waitFor();
    await adminPage.getByText('No invitation is waiting for an answer.').waitFor();
    expect(await focusedElement(adminPage)).toMatchObject({ tag: 'h2', text: 'Pending invitations' });

    // The member (now observer) sets a new password through the link, then signs in with it.
    const memberPage = h.watch(await (await h.newContext()).newPage(), {
      expectedStatuses: [
        { status: 410, path: new URL(resetUrl).pathname.replace('/reset-password/', '/api/auth/password-resets/') },
      ],
    });
    await memberPage.goto(resetUrl);
    await memberPage.getByText(`For ${MEMBER.displayName} (${MEMBER.email}).`).waitFor();
    await memberPage.getByLabel('New password', { exact: true }).fill('a-brand-new-password');
    await memberPage.getByLabel('Repeat the new password').fill('a-different-password');
    await memberPage.getByRole('button', { name: 'Save the new password' }).click();
    await memberPage.getByText('The two passwords are not the same.').waitFor();
    await memberPage.getByLabel('Repeat the new password').fill('a-brand-new-password');
    await memberPage.getByRole('button', { name: 'Save the new password' }).click();
    await memberPage.getByRole('link', { name: 'Sign in with the new password' }).click();
    await new LoginPage(memberPage).signIn(MEMBER.email, 'a-brand-new-password');
    const memberHome = new HomePage(memberPage);
    await memberHome.waitUntilShown();
    await memberHome.navLink(memberHome.t.directoryNav).click();
    await new DirectoryPage(memberPage).waitUntilShown();
    // Observers are listed under their organization now.
    await memberPage.getByRole('article', { name: 'UNICEF' }).getByRole('link', { name: MEMBER.displayName }).waitFor();

    // Not an administrator: the admin page explains instead of showing anything.
    await memberPage.goto('/admin/users');
    await memberPage.getByRole('heading', { level: 1, name: 'You do not have access to this page' }).waitFor();
    // A spent link says so.
    await memberPage.goto(resetUrl);
    await memberPage.getByRole('alert').getByText(/expired or was already used/).waitFor();

    // The coordinator sees the invitations, not the accounts.
    const coordinatorPage = h.watch(await (await h.newContext()).newPage());
    await coordinatorPage.goto('/login');
    await new LoginPage(coordinatorPage).signIn(COORDINATOR.email, COORDINATOR.password);
    await coordinatorPage.getByRole('navigation').getByRole('link', { name: 'Invitations', exact: true }).click();
    await coordinatorPage.getByRole('heading', { level: 1, name: 'Invitations' }).waitFor();
    await coordinatorPage.getByRole('heading', { level: 2, name: 'Pending invitations' }).waitFor();
    expect(await coordinatorPage.getByRole('heading', { level: 2, name: 'Users' }).count()).toBe(0);

    expect(h.problems).toEqual([]);
  }, 120_000);

  it('shows the audit log to administrators: filtered, narrowed to a person, in Spanish at phone width, with its CSV', async () => {
    // A role change to look for (the coordinator becomes secretariat and back).
    const signedIn = await api('POST', '/api/auth/login', { email: ADMIN.email, password: ADMIN.password });
    const adminCookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
    const users = await h.app.inject({ url: '/api/admin/users?q=Carla', headers: { cookie: adminCookie } });
    const carla = users.json().items[0].id as string;
    for (const role of ['secretariat', 'coordinator']) {
      const changed = await h.app.inject({ method: 'PUT', url: `/api/admin/users/${carla}/role`, payload: { role, organizationId: 'eclac' }, headers: { origin: h.baseUrl, cookie: adminCookie } });
      expect(changed.statusCode, changed.body).toBe(200);
    }
    const page = h.watch(await (await h.newContext({ viewport: { width: 390, height: 844 } })).newPage());
    await page.goto('/admin/users');
    await page.waitForURL('**/login?next=*');
    await new LoginPage(page).signIn(ADMIN.email, ADMIN.password);
    await page.getByRole('heading', { level: 1, name: 'Users and invitations' }).waitFor();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    const log = page.locator('cn-audit-page');
    // The role change made in the test above, by the administrator.
    await log.getByRole('cell', { name: 'Role changed' }).first().waitFor();
    await log.getByRole('combobox', { name: 'Action' }).selectOption('user.role_changed');
    await page.waitForURL('**/admin/audit?action=user.role_changed');
    await log.getByText(/ of [23]$/).waitFor(); // the two changes above, and the one of the test before when it ran
    expect(await log.getByRole('cell', { name: 'Role changed' }).count()).toBe(await log.getByRole('row').count() - 1);
    await log.getByRole('button', { name: `Only what ${ADMIN.displayName} did` }).first().click();
    await log.getByText(`Only what ${ADMIN.displayName} did`).first().waitFor();
    expect(new URL(page.url()).searchParams.get('actorId')).not.toBeNull();
    const csv = await log.getByRole('link', { name: 'Download as CSV' }).getAttribute('href');
    expect(csv).toMatch(/^\/api\/admin\/audit\.csv\?action=user\.role_changed&actorId=/);
    // Nothing is wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // In Spanish.
    await page.evaluate(() => fetch('/api/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'es' }) }));
    await page.goto('/admin/audit');
    await page.getByRole('heading', { level: 1, name: 'Registro de auditoría' }).waitFor();
    await log.getByRole('cell', { name: 'Cambio de rol' }).first().waitFor();
    expect(h.problems).toEqual([]);
  }, 120_000);
});
