import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { LoginPage } from './pages/login-page.js';
import { setUp, signIn, type Person } from './scenario.js';

/** Elements of each lazily loaded feature: none of them may be defined on the sign-in page. */
const FEATURE_ELEMENTS = [
  'cn-debates-page',
  'cn-library-page',
  'cn-meetings-page',
  'cn-notifications-page',
  'cn-notification-bell',
  'cn-connection-status',
  'cn-search-page',
  'cn-directory-page',
  'cn-admin-users-page',
  'cn-setup-page',
  'cn-accept-invitation-page',
];

/** Tags of custom elements on the page (through every shadow root) that nothing has defined. */
const undefinedElements = (page: Page) =>
  page.evaluate(() => {
    const missing = new Set<string>();
    const walk = (root: Document | ShadowRoot) => {
      for (const element of root.querySelectorAll('*')) {
        if (element.localName.includes('-') && !customElements.get(element.localName)) missing.add(element.localName);
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);
    return [...missing];
  });

describeInBrowser('first load', () => {
  let h: Harness;
  let admin: Person;

  beforeAll(async () => {
    h = await startHarness();
    admin = await setUp(h, { displayName: 'Ana Administradora', email: 'ana@cepal.org', password: 'ana-password-123' });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('a signed-out visitor gets the sign-in form with nothing in the console, and no feature code', async () => {
    const context = await h.newContext();
    // No expected statuses: a 401 (or any failed request) logged in the console is a fault here.
    const page = h.watch(await context.newPage());
    const problemsBefore = h.problems.length;
    await page.goto('/');
    await page.waitForURL('**/login');
    const login = new LoginPage(page, 'en');
    await login.waitUntilShown();
    expect(await login.email().isEditable()).toBe(true);
    expect(await page.getByRole('button', { name: login.t.signIn, exact: true }).isEnabled()).toBe(true);
    await page.waitForLoadState('networkidle');
    expect(h.problems.slice(problemsBefore)).toEqual([]);
    const defined = await page.evaluate((tags) => tags.filter((tag) => customElements.get(tag)), FEATURE_ELEMENTS);
    expect(defined).toEqual([]);
  });

  it('a signed-in person who opens any section directly gets its page with every element on it defined', async () => {
    const context = await h.newContext();
    await signIn(h, context, admin);
    const page = h.watch(await context.newPage());
    const problemsBefore = h.problems.length;
    const sections: Array<[string, string | RegExp]> = [
      ['/', 'Home'],
      ['/debates', 'Debates'],
      ['/debates/new', 'Start a debate'],
      ['/notifications', 'Notifications'],
      ['/documents', 'Document library'],
      ['/documents/new', 'Upload a document'],
      ['/meetings', 'Upcoming meetings'],
      ['/meetings/new', 'New meeting'],
      ['/meetings/action-items', 'Action items'],
      ['/search', /^Search/],
      ['/directory', 'Member directory'],
      ['/profile', 'Your profile'],
      ['/admin/users', 'Users and invitations'],
    ];
    for (const [path, heading] of sections) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading, exact: typeof heading === 'string' }).waitFor();
      // The signed-in chrome (bell, connection status) and any widget another feature lends arrive too.
      await page.getByRole('link', { name: /^Notifications/ }).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await undefinedElements(page), path).toEqual([]);
    }
    expect(h.problems.slice(problemsBefore)).toEqual([]);
  }, 90_000);

  it('moving to a section fetches its code then; when the code cannot be fetched the page says so and offers to try again', async () => {
    const context = await h.newContext();
    await signIn(h, context, admin);
    const page = await context.newPage();
    let offline = false;
    await page.route('**/assets/**', (route) => (offline ? route.abort('internetdisconnected') : route.continue()));
    await page.goto('/directory');
    await page.getByRole('heading', { level: 1, name: 'Member directory', exact: true }).waitFor();
    // The signed-in chrome's code (bell, connection status) arrives beside the page's: this test cuts
    // off the next section's code, so it waits for that first (a CI run once cut the chrome's instead).
    await page.getByRole('link', { name: /^Notifications/ }).first().waitFor();
    await page.waitForLoadState('networkidle');

    offline = true;
    await page.getByRole('navigation').getByRole('link', { name: 'Search', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.getByRole('heading', { name: 'This page could not be loaded' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/search');

    offline = false;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { level: 1, name: /^Search/ }).waitFor();
    expect(await undefinedElements(page)).toEqual([]);
  });
});
