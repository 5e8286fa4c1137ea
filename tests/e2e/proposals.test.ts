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
  let admin: Person;
  let threadId: string;

  beforeAll(async () => {
    h = await startHarness();
    admin = await setUp(h, ADMIN);
    const category = await createCategory(h, admin, CATEGORY);
    chile = await addMember(h, admin, { displayName: 'Claudia Rojas', email: 'claudia@ine.gob.cl', password: 'claudia-password-1', countryId: 'cl', timeZone: 'America/Santiago' });
    peru = await addMember(h, admin, { displayName: 'Jorge Quispe', email: 'jorge@inei.gob.pe', password: 'jorge-password-1', countryId: 'pe', timeZone: 'America/Lima' });
    mexico = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx' });
    argentina = await addMember(h, admin, { displayName: 'Martín Gómez', email: 'martin@indec.gob.ar', password: 'martin-password-1', countryId: 'ar' });
    threadId = (await call<{ thread: { id: string } }>(h, 'POST', '/api/threads', { categoryId: category.id, title: TITLE, body: 'Which method should the group adopt?', indicatorCodes: ['4.1'] }, chile.cookie)).thread.id;
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

    // So does the hub of the indicator the debate is tagged with.
    await pageB.goto('/indicators/mdg-2008/4.1');
    const onHub = pageB.locator('ul.things li').filter({ hasText: TITLE });
    await onHub.getByText(`Outcome: ${OUTCOME}`).waitFor();
    await onHub.getByText('Concluded').waitFor();

    expect(h.problems).toEqual([]);
  }, 120_000);

  it("turns a meeting's closed quick poll into a proposal from the thread page, on a phone, by keyboard", async () => {
    const startsAt = Date.now() - 5 * 60_000;
    const meeting = await call<{ meeting: { id: string } }>(
      h,
      'POST',
      '/api/meetings',
      { title: 'May virtual meeting', kind: 'virtual_meeting', agenda: [{ title: 'Method', presenter: 'Chair', minutes: 30 }], timeZone: 'America/Santiago', startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 3_600_000).toISOString(), invitees: { everyone: true } },
      admin.cookie,
    );
    const base = `/api/meetings/${meeting.meeting.id}/room/polls`;
    const poll = await call<{ poll: { id: string } }>(h, 'POST', base, { question: 'Do we adopt the work plan for 2027?', kind: 'yes_no_abstain', scope: 'country' }, admin.cookie);
    await call(h, 'PUT', `${base}/${poll.poll.id}/answer`, { optionId: 'yes' }, peru.cookie);
    await call(h, 'PUT', `${base}/${poll.poll.id}/answer`, { optionId: 'no' }, mexico.cookie);
    await call(h, 'POST', `${base}/${poll.poll.id}/close`, {}, admin.cookie);

    const context = await h.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'America/Lima' });
    await signIn(h, context, peru);
    const page = h.watch(await context.newPage());
    await page.goto(`/debates/t/${threadId}`);
    const from = block(page).getByRole('button', { name: "From a meeting's poll" });
    await from.focus();
    await page.keyboard.press('Enter');
    const choice = block(page).getByRole('radio', { name: /Do we adopt the work plan for 2027\?/ });
    await choice.waitFor();
    expect(await choice.isChecked()).toBe(true);
    await block(page).getByRole('button', { name: 'Turn into a proposal' }).focus();
    await page.keyboard.press('Enter');
    const turned = block(page).locator('article[data-proposal]').filter({ hasText: 'Do we adopt the work plan for 2027?' });
    await turned.waitFor({ timeout: 10_000 });
    await expect.poll(() => turned.locator('tr[data-country="pe"]').getAttribute('data-position')).toBe('agree');
    expect(await turned.locator('tr[data-country="mx"]').getAttribute('data-position')).toBe('disagree');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(h.problems).toEqual([]);
  }, 60_000);
});
