import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { addMember, call, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };

/**
 * The indicator catalogue in Chromium at phone width: browsing the MDG list to indicator 4.1, its
 * hub showing the debate tagged with it (and one tagged while the hub is open, live), and the
 * picker of a new debate suggesting indicators from the text without tagging anything by itself.
 */
describeInBrowser('indicator catalogue and hub', () => {
  let h: Harness;
  let member: Person;
  let categoryId = '';
  let threadId = '';

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    member = await addMember(h, admin, { displayName: 'Camila Rojas', email: 'camila@ine.cl', password: 'camila-password-1', countryId: 'cl' });
    const categories = await call<{ items: Array<{ id: string; mayStart: boolean }> }>(h, 'GET', '/api/categories', undefined, member.cookie);
    categoryId = categories.items.find((c) => c.mayStart)!.id;
    const thread = await call<{ thread: { id: string } }>(h, 'POST', '/api/threads', { categoryId, title: 'Mortalidad de menores de 5 años en Chile', body: 'Las cifras de UN IGME difieren.', indicatorCodes: ['4.1'] }, member.cookie);
    threadId = thread.thread.id;
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('leads from the catalogue to the hub of 4.1, which lists the tagged debate and one tagged while it is open', async () => {
    const context = await h.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    await signIn(h, context, member);
    const page = h.watch(await context.newPage());
    await page.goto('/indicators');
    const catalogue = page.locator('cn-indicator-catalogue-page');
    await catalogue.getByRole('heading', { level: 1, name: 'Indicator catalogue' }).waitFor();
    await catalogue.getByRole('status').filter({ hasText: '60 indicators' }).waitFor();

    await catalogue.getByLabel('Code or words').fill('under-five mortality');
    await catalogue.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL('**/indicators?q=under-five+mortality');
    await catalogue.getByRole('status').filter({ hasText: '1 indicator' }).waitFor();
    const link = catalogue.getByRole('link', { name: /4\.1 Under-five mortality rate/ });
    await link.waitFor();
    const row = catalogue.locator('li').filter({ hasText: 'Under-five mortality rate' });
    expect(await row.textContent()).toContain('1 thing tagged');
    await link.click();

    await page.waitForURL('**/indicators/mdg-2008/4.1');
    const hub = page.locator('cn-indicator-hub-page');
    await hub.getByRole('heading', { level: 1, name: '4.1 Under-five mortality rate' }).waitFor();
    await hub.getByText('Tasa de mortalidad de los niños menores de 5 años').waitFor();
    const tagged = hub.getByRole('region', { name: /Tagged with this indicator/ });
    await tagged.getByRole('heading', { level: 3, name: 'Debates' }).waitFor();
    expect(await tagged.getByRole('link', { name: 'Mortalidad de menores de 5 años en Chile' }).getAttribute('href')).toBe(`/debates/t/${threadId}`);
    // The SDG list is not imported here: its equivalent is named, not linked.
    expect(await hub.getByRole('region', { name: 'In other frameworks' }).textContent()).toContain('SDG 3.2.1');

    await call(h, 'POST', '/api/threads', { categoryId, title: 'Estimaciones de UN IGME para 2010', body: 'Comparación.', indicatorCodes: ['4.1', '4.2'] }, member.cookie);
    await tagged.getByRole('link', { name: 'Estimaciones de UN IGME para 2010' }).waitFor();
    expect(await tagged.getByRole('link').count()).toBe(2);

    // And back: the debate's indicator chip leads to the hub.
    await tagged.getByRole('link', { name: 'Mortalidad de menores de 5 años en Chile' }).click();
    await page.waitForURL(`**/debates/t/${threadId}`);
    await page.locator('cn-thread-page').getByRole('link', { name: 'Indicator 4.1' }).click();
    await page.waitForURL('**/indicators/mdg-2008/4.1');
    await hub.getByRole('heading', { level: 1, name: '4.1 Under-five mortality rate' }).waitFor();
    expect(h.problems).toEqual([]);
  }, 90_000);

  it('suggests indicators from the text of a new debate, and tags only what the person adds', async () => {
    const context = await h.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    await signIn(h, context, member);
    const page = h.watch(await context.newPage());
    await page.goto('/debates/new');
    const form = page.locator('cn-new-thread-page');
    await form.getByLabel('Title').fill('Tasa de mortalidad infantil: cifras nacionales');
    const picker = form.locator('cn-indicator-picker');
    await picker.getByRole('button', { name: 'Suggest from the text' }).click();
    const add = picker.getByRole('button', { name: 'Add indicator 4.2' });
    await add.waitFor();
    // Nothing chosen yet: a suggestion is not a tag.
    expect(await picker.getByRole('list', { name: 'Chosen indicators' }).count()).toBe(0);
    await add.click();
    await picker.getByRole('list', { name: 'Chosen indicators' }).getByRole('button', { name: 'Remove indicator 4.2' }).first().waitFor();
    expect(h.problems).toEqual([]);
  }, 90_000);
});
