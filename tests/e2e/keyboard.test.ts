import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { HomePage } from './pages/home-page.js';
import { LoginPage } from './pages/login-page.js';


const ADMIN = { displayName: 'Rodrigo Coordinador', email: 'rodrigo@cepal.org', password: 'rodrigo-password-1' };

/** Name and type of the focused element, looking through shadow roots. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return { tag: active?.localName ?? '', name: active?.getAttribute('name') ?? '', text: active?.textContent?.trim() ?? '' };
  });

describeInBrowser('keyboard use', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/setup',
      headers: { origin: h.baseUrl },
      payload: { groupName: 'Grupo de prueba', ...ADMIN, locale: 'en', timeZone: 'America/Santiago' },
    });
    if (response.statusCode !== 201) throw new Error(`setup failed: ${response.statusCode} ${response.body}`);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('signs in with Tab and Enter only; a wrong password is announced and the e-mail kept', async () => {
    const context = await h.newContext();
    const page = h.watch(await context.newPage(), {
      expectedStatuses: [{ status: 401, path: '/api/auth/login' }],
    });
    const login = new LoginPage(page, 'en');
    await login.goto();

    // The first Tab reaches the skip link.
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe(login.t.skipLink);

    // Enter follows it to the main landmark; the next Tab reaches the e-mail field.
    await page.keyboard.press('Enter');
    expect((await focused(page)).tag).toBe('main');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('email');
    await page.keyboard.type(ADMIN.email);
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('password');
    await page.keyboard.type('not-the-password');
    await page.keyboard.press('Enter');

    // The refusal is announced; the e-mail stays; focus is back on the (selected) password.
    await login.alert().getByText(login.t.wrongCredentials).waitFor();
    expect(await login.email().inputValue()).toBe(ADMIN.email);
    expect((await focused(page)).name).toBe('password');

    // Typing replaces the selected wrong password; Enter submits again.
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    // Signed in, the home page.
    const home = new HomePage(page, 'en');
    await home.waitUntilShown();
    expect(new URL(page.url()).pathname).toBe('/');
    // After a navigation, focus is on the new page's heading, so screen readers announce it.
    expect(await focused(page)).toMatchObject({ tag: 'h1', text: home.t.homeHeading });

    expect(h.problems).toEqual([]);
  }, 60_000);
});
