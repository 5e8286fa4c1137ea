import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { ThreadPage } from './pages/debates-pages.js';
import { addMember, call, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const TITLE = 'Child mortality estimates from vital statistics';

/** The focused element's id, looking through shadow roots. */
const focusedId = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.id ?? '';
  });

describeInBrowser('debates, reading', () => {
  let h: Harness;
  let mexico: Person;
  let peru: Person;
  let threadId = '';
  const postIds: string[] = [];

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    mexico = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx' });
    peru = await addMember(h, admin, { displayName: 'Jorge Quispe', email: 'jorge@inei.gob.pe', password: 'jorge-password-1', countryId: 'pe' });
    const categories = await call<{ items: Array<{ id: string; mayStart: boolean }> }>(h, 'GET', '/api/categories', undefined, peru.cookie);
    const created = await call<{ thread: { id: string }; post: { id: string } }>(
      h,
      'POST',
      '/api/threads',
      { categoryId: categories.items.find((c) => c.mayStart)!.id, title: TITLE, body: 'How complete is the registration of infant deaths in your country?' },
      peru.cookie,
    );
    threadId = created.thread.id;
    postIds.push(created.post.id);
    for (let i = 2; i <= 24; i++) {
      const post = await call<{ post: { id: string } }>(h, 'POST', `/api/threads/${threadId}/posts`, { body: `Registration note number ${i}.\n\nMore detail about coverage in region ${i}, with a second paragraph.`, parentId: created.post.id }, peru.cookie);
      postIds.push(post.post.id);
    }
    // Lucía has read up to the tenth post.
    await call(h, 'PUT', `/api/threads/${threadId}/read`, { seq: 10 }, mexico.cookie);
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('lands on the first unread post, keeps the place when posts arrive, and follows presence, typing and the connection', async () => {
    const contextA = await h.newContext({ viewport: { width: 1280, height: 800 } });
    await signIn(h, contextA, mexico);
    const pageA = h.watch(await contextA.newPage());
    const threadA = new ThreadPage(pageA);
    await pageA.goto(`/debates/t/${threadId}`);
    await threadA.waitUntilShown(TITLE);

    // Lands on the first unread post (the 11th), scrolled to and focused.
    await expect.poll(() => focusedId(pageA)).toBe(`post-${postIds[10]}`);
    const top = await pageA.locator(`cn-thread-page #post-${postIds[10]}`).evaluate((element) => element.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(200);
    // What is seen is marked read on the server.
    await expect.poll(async () => (await call<{ thread: { lastReadSeq: number } }>(h, 'GET', `/api/threads/${threadId}`, undefined, mexico.cookie)).thread.lastReadSeq, { timeout: 8000 }).toBeGreaterThan(10);

    // Jorge opens the debate too: Lucía sees him reading, then typing.
    const contextB = await h.newContext({ viewport: { width: 390, height: 844 } });
    await signIn(h, contextB, peru);
    const pageB = h.watch(await contextB.newPage());
    await pageB.goto(`/debates/t/${threadId}`);
    await new ThreadPage(pageB).waitUntilShown(TITLE);
    await pageA.locator('cn-thread-page').getByText(`Reading now: ${peru.displayName}`).waitFor();
    await pageB.getByRole('combobox', { name: 'Your reply', exact: true }).pressSequentially('Thinking', { delay: 20 });
    await pageA.locator('cn-thread-page').getByText(`${peru.displayName} is typing…`).waitFor();

    // A reply to the second post lands above what Lucía reads: her view does not move.
    const anchor = pageA.locator(`cn-thread-page #post-${postIds[10]}`);
    await anchor.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await pageA.waitForTimeout(200);
    const before = await anchor.evaluate((element) => element.getBoundingClientRect().top);
    await call(h, 'POST', `/api/threads/${threadId}/posts`, { body: 'A late answer to the second post.', parentId: postIds[1] }, peru.cookie);
    await threadA.post('A late answer to the second post.').waitFor({ state: 'attached' });
    await pageA.waitForTimeout(200);
    const after = await anchor.evaluate((element) => element.getBoundingClientRect().top);
    expect(Math.abs(after - before)).toBeLessThanOrEqual(2);

    // A reply at the end lands below: a pill says so and takes her there.
    await call(h, 'POST', `/api/threads/${threadId}/posts`, { body: 'The newest answer, at the end.', parentId: postIds[0] }, peru.cookie);
    const pill = pageA.getByRole('button', { name: '1 new post below' });
    await pill.click();
    const newest = threadA.post('The newest answer, at the end.');
    await expect.poll(() => focusedId(pageA)).toBe(await newest.getAttribute('id'));

    // Mentions: @ offers people, chosen with the keyboard.
    const editor = pageA.getByRole('combobox', { name: 'Your reply', exact: true });
    await editor.click();
    await editor.pressSequentially('Thanks @Jor', { delay: 20 });
    const option = pageA.getByRole('option', { name: new RegExp(peru.displayName) });
    await option.waitFor();
    await editor.press('Enter');
    await expect.poll(() => editor.inputValue()).toMatch(/^Thanks @[a-z0-9._-]+ $/);

    // The connection drops and comes back: the shell says so, then clears.
    await contextA.setOffline(true);
    await pageA.getByRole('status').getByText('Connection lost. Reconnecting…').waitFor();
    await contextA.setOffline(false);
    await pageA.getByText('Connection lost. Reconnecting…').waitFor({ state: 'detached', timeout: 15_000 });
    // Requests made while offline (the read position) fail as they should; they are not faults.
    for (let i = h.problems.length - 1; i >= 0; i--) if (h.problems[i]!.includes('ERR_INTERNET_DISCONNECTED')) h.problems.splice(i, 1);

    expect(h.problems).toEqual([]);
  }, 90_000);

  it('lists notifications that open the post, and finds posts by their words', async () => {
    const found = await call<{ people: Array<{ id: string; handle: string }> }>(h, 'GET', '/api/mentionable?q=Luc', undefined, peru.cookie);
    const handle = found.people.find((person) => person.id === mexico.id)!.handle;
    await call(h, 'POST', `/api/threads/${threadId}/posts`, { body: `@${handle} what does INEGI estimate for underregistration?`, parentId: postIds[0] }, peru.cookie);
    const context = await h.newContext({ viewport: { width: 390, height: 844 } });
    await signIn(h, context, mexico);
    const page = h.watch(await context.newPage());
    await page.goto('/notifications');
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const first = page.locator('cn-notifications-page').getByRole('link').first();
    await first.waitFor();
    await first.click();
    await new ThreadPage(page).waitUntilShown(TITLE);
    await expect.poll(() => focusedId(page)).toMatch(/^post-/);

    await page.goto('/search?q=registration');
    await page.getByRole('heading', { level: 1, name: 'Search debates, documents and meetings' }).waitFor();
    await page.locator('cn-search-page mark').first().waitFor();
    await page.getByRole('link', { name: TITLE }).first().waitFor();
    expect(h.problems).toEqual([]);
  }, 60_000);
});
