import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { DebatesListPage, NewThreadPage, ThreadPage } from './pages/debates-pages.js';
import { addMember, createCategory, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const CATEGORY = { slug: 'poverty', nameEn: 'Poverty and hunger', nameEs: 'Pobreza y hambre', descriptionEn: 'Goal 1 indicators', descriptionEs: 'Indicadores del objetivo 1' };
const TITLE = 'Measuring extreme poverty in household surveys';
const OPENING = 'How do your offices deflate the poverty line between survey rounds?';
const ANSWER = 'In Peru we use the regional CPI since 2019.';

describeInBrowser('debates, live', () => {
  let h: Harness;
  let mexico: Person;
  let peru: Person;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    await createCategory(h, admin, CATEGORY);
    mexico = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx' });
    peru = await addMember(h, admin, { displayName: 'Jorge Quispe', email: 'jorge@inei.gob.pe', password: 'jorge-password-1', countryId: 'pe', timeZone: 'America/Lima' });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('shows a new debate, a nested answer and the notification without reloading', async () => {
    const contextA = await h.newContext({ viewport: { width: 1280, height: 900 } });
    const contextB = await h.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'America/Lima' });
    await signIn(h, contextA, mexico);
    await signIn(h, contextB, peru);
    const pageA = h.watch(await contextA.newPage());
    const pageB = h.watch(await contextB.newPage());

    // B waits on the list of debates; it is empty.
    const listB = new DebatesListPage(pageB);
    await listB.goto();
    await pageB.getByText('No debate here yet. Start the first one!').waitFor();
    let reloadsB = 0;
    pageB.on('load', () => (reloadsB += 1));

    // A starts a debate through the form.
    const listA = new DebatesListPage(pageA);
    await listA.goto();
    const start = new NewThreadPage(pageA);
    await start.open();
    await start.start({ title: TITLE, category: CATEGORY.nameEn, body: OPENING, tags: 'poverty, surveys' });
    const threadA = new ThreadPage(pageA);
    await threadA.waitUntilShown(TITLE);
    await threadA.post(OPENING).waitFor();
    await expect(listA.bell().getAttribute('aria-label')).resolves.toBe('Notifications');

    // B sees it appear in the list without reloading.
    await listB.thread(TITLE).waitFor();
    expect(reloadsB).toBe(0);
    await listB.thread(TITLE).getByText('#poverty').waitFor();

    // B opens it and answers A's post.
    await listB.threadLink(TITLE).click();
    const threadB = new ThreadPage(pageB);
    await threadB.waitUntilShown(TITLE);
    await threadB.reply(mexico.displayName, OPENING, ANSWER);
    await threadB.post(ANSWER).waitFor();

    // A, still on the debate, sees the nested answer and the bell rise, without reloading.
    let reloadsA = 0;
    pageA.on('load', () => (reloadsA += 1));
    const answer = threadA.post(ANSWER);
    await answer.waitFor();
    await expect(answer.getAttribute('class')).resolves.toMatch(/indent-1/);
    await answer.getByText(peru.displayName, { exact: true }).waitFor();
    await listA.banner().getByRole('link', { name: listA.t.notificationsUnread(1) }).waitFor();
    expect(reloadsA).toBe(0);
    expect(await threadA.posts().count()).toBe(2);

    expect(h.problems).toEqual([]);
  }, 90_000);
});
