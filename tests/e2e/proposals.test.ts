import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { addMember, call, createCategory, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const CATEGORY = { slug: 'methods', nameEn: 'Methods', nameEs: 'Métodos' };
const TITLE = 'Conciliation method for infant mortality';
const STATEMENT = 'Adopt method B to reconcile national and international infant mortality figures.';
const OUTCOME = 'Method B is adopted by consensus; Brazil will review it in 2027.';

/**
 * A proposal in a debate: Chile puts it through the form (keyboard only), Peru answers on a phone
 * (390 px), Mexico and Argentina answer too; Chile's page shows the country grid fill in live, with
 * no reload. Chile closes the proposal and writes the outcome, which appears pinned at the top of
 * Peru's page live, and on the list of debates with the debate marked concluded.
 */
describeInBrowser('proposals in a debate', () => {
  let h: Harness;
  let chile: Person;
  let peru: Person;
  let mexico: Person;
  let argentina: Person;
  let threadId: string;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    const category = await createCategory(h, admin, CATEGORY);
    chile = await addMember(h, admin, { displayName: 'Claudia Rojas', email: 'claudia@ine.gob.cl', password: 'claudia-password-1', countryId: 'cl', timeZone: 'America/Santiago' });
    peru = await addMember(h, admin, { displayName: 'Jorge Quispe', email: 'jorge@inei.gob.pe', password: 'jorge-password-1', countryId: 'pe', timeZone: 'America/Lima' });
    mexico = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx' });
    argentina = await addMember(h, admin, { displayName: 'Martín Gómez', email: 'martin@indec.gob.ar', password: 'martin-password-1', countryId: 'ar' });
    threadId = (await call<{ thread: { id: string } }>(h, 'POST', '/api/threads', { categoryId: category.id, title: TITLE, body: 'Which method should the group adopt?' }, chile.cookie)).thread.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  const block = (page: Page) => page.locator('cn-thread-proposals');
  const gridRow = (page: Page, countryId: string) => block(page).locator(`tr[data-country="${countryId}"]`);

  it('takes three countries’ positions, updates the grid live, and pins the outcome after the close', async () => {
    const contextA = await h.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Santiago' });
    const contextB = await h.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'America/Lima' });
    await signIn(h, contextA, chile);
    await signIn(h, contextB, peru);
    const pageA = h.watch(await contextA.newPage());
    const pageB = h.watch(await contextB.newPage());

    // Chile puts the proposal, with the keyboard only.
    await pageA.goto(`/debates/t/${threadId}`);
    await pageA.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    const put = block(pageA).getByRole('button', { name: 'Put a proposal' });
    await put.focus();
    await pageA.keyboard.press('Enter');
    const statement = block(pageA).getByLabel('Statement (Markdown)');
    await expect.poll(() => statement.evaluate((element) => (element.getRootNode() as ShadowRoot).activeElement === element)).toBe(true);
    await pageA.keyboard.type(STATEMENT);
    await block(pageA).getByRole('radio', { name: 'One position per country delegation' }).check();
    await block(pageA).getByRole('button', { name: 'Put the proposal' }).focus();
    await pageA.keyboard.press('Enter');
    const proposalA = block(pageA).locator('article[data-proposal]');
    await proposalA.getByText(STATEMENT).waitFor();
    await gridRow(pageA, 'pe').waitFor();
    expect(await gridRow(pageA, 'pe').getAttribute('data-position')).toBe('none');
    let reloadsA = 0;
    pageA.on('load', () => (reloadsA += 1));

    // Peru answers on a phone.
    await pageB.goto(`/debates/t/${threadId}`);
    const proposalB = block(pageB).locator('article[data-proposal]');
    await proposalB.getByText(STATEMENT).waitFor();
    await proposalB.getByRole('radio', { name: 'Agree', exact: true }).check();
    await proposalB.getByLabel('Reason (required for a block)').fill('We already use it.');
    await proposalB.getByRole('button', { name: 'Take position' }).click();
    await proposalB.getByRole('button', { name: 'Change position' }).waitFor();
    const overflow = await pageB.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // Chile's grid fills in live.
    await expect.poll(() => gridRow(pageA, 'pe').getAttribute('data-position'), { timeout: 10_000 }).toBe('agree');
    const proposalId = (await proposalA.getAttribute('data-proposal'))!;
    await call(h, 'PUT', `/api/proposals/${proposalId}/position`, { position: 'abstain' }, mexico.cookie);
    await call(h, 'PUT', `/api/proposals/${proposalId}/position`, { position: 'block', reason: 'Our registers are incomplete.' }, argentina.cookie);
    await expect.poll(() => gridRow(pageA, 'mx').getAttribute('data-position'), { timeout: 10_000 }).toBe('abstain');
    await expect.poll(() => gridRow(pageA, 'ar').getAttribute('data-position'), { timeout: 10_000 }).toBe('block');
    await gridRow(pageA, 'ar').getByText('Our registers are incomplete.').waitFor();
    expect(await gridRow(pageA, 'cl').getAttribute('data-position')).toBe('none');
    expect(await proposalA.locator('[data-count="agree"] strong').textContent()).toBe('1');
    expect(reloadsA).toBe(0);

    // Chile closes it and writes the outcome; Peru's page shows it pinned at the top, live.
    await proposalA.getByRole('button', { name: 'Close now' }).click();
    const outcome = proposalA.getByLabel('Outcome (Markdown), pinned at the top of the debate');
    await outcome.fill(OUTCOME);
    await proposalA.getByLabel('Mark the debate as concluded').check();
    await proposalA.getByRole('button', { name: 'Publish outcome' }).click();
    const pinnedB = block(pageB).locator('aside[data-outcome]');
    await pinnedB.getByText(OUTCOME).waitFor({ timeout: 10_000 });
    const pinnedTop = await pinnedB.boundingBox();
    const proposalTop = await proposalB.boundingBox();
    expect(pinnedTop!.y).toBeLessThan(proposalTop!.y);
    await expect(proposalB.getByRole('button', { name: 'Change position' }).count()).resolves.toBe(0);

    // The list of debates shows the outcome and that the debate is concluded.
    await pageB.goto('/debates');
    const listed = pageB.locator('article.thread').filter({ hasText: TITLE });
    await listed.getByText(`Outcome: ${OUTCOME}`).waitFor();
    await listed.getByText('Concluded').waitFor();

    expect(h.problems).toEqual([]);
  }, 120_000);
});
