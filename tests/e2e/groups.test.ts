import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { AppShell } from './pages/app-shell.js';
import { LoginPage } from './pages/login-page.js';
import { addMember, addPerson, call, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const FIRST_THREAD = 'Deflating the poverty line';
const SECOND_THREAD = 'Census rounds of 2030';

/**
 * Several working groups in the browser (issue 19): a person in two groups switches group from
 * the header, reads the second group's debates under /g/<slug>/ (and stays in it as they follow
 * links), and the first group's at the old addresses; someone of one group only, sent to the
 * other's address, is told they are not a member and offered their own.
 */
describeInBrowser('working groups in the browser', () => {
  let h: Harness;
  let admin: Person;
  let member: Person;
  let coordinator: Person;
  let secondThread: string;

  /** A request of the API in the group `slug`, as `person` (the administrator by default). */
  const inGroup = async <T>(slug: string, method: 'GET' | 'POST', url: string, payload?: object, person = admin): Promise<T> => {
    const response = await h.app.inject({ method, url, payload, headers: { cookie: person.cookie, 'x-concilia-group': slug, ...(method === 'GET' ? {} : { origin: h.baseUrl }) } });
    if (response.statusCode >= 300) throw new Error(`${method} ${url} in ${slug}: ${response.statusCode} ${response.body}`);
    return response.json() as T;
  };

  const startThread = async (slug: string | null, title: string) => {
    const categories = slug ? await inGroup<{ items: Array<{ id: string; mayStart: boolean }> }>(slug, 'GET', '/api/categories') : await call<{ items: Array<{ id: string; mayStart: boolean }> }>(h, 'GET', '/api/categories', undefined, admin.cookie);
    const categoryId = categories.items.find((category) => category.mayStart)!.id;
    const body = { categoryId, title, body: 'Which sources do your offices use?' };
    const created = slug ? await inGroup<{ thread: { id: string } }>(slug, 'POST', '/api/threads', body) : await call<{ thread: { id: string } }>(h, 'POST', '/api/threads', body, admin.cookie);
    return created.thread.id;
  };

  beforeAll(async () => {
    h = await startHarness();
    admin = await setUp(h, ADMIN);
    member = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx' });
    coordinator = await addPerson(h, admin, { displayName: 'Carla Coordinadora', email: 'carla@ine.cl', password: 'carla-password-1', role: 'coordinator', countryId: 'cl' });
    // The second group: its creator (the instance's administrator) and Carla administer it, so both are in two groups.
    await call(h, 'POST', '/api/instance/groups', { slug: 'censos', name: 'Censos de población', adminEmail: coordinator.email }, admin.cookie);
    await startThread(null, FIRST_THREAD);
    secondThread = await startThread('censos', SECOND_THREAD);
    // Carla mentions Ana in the second group: Ana's bell, read from the first group, says where.
    await inGroup('censos', 'POST', `/api/threads/${secondThread}/posts`, { body: 'Ana, ¿puedes revisar? @ana.admin' }, coordinator);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("shows on the first group's home what waits in the other group, and leads to that group's home", async () => {
    const context = await h.newContext();
    await signIn(h, context, admin);
    const page = h.watch(await context.newPage());
    await page.goto(`${h.baseUrl}/`);
    const card = page.getByRole('region', { name: 'In your other groups' });
    await card.waitFor();
    // Carla's mention of Ana in the census group is counted there, not on this group's home.
    await expect.poll(() => card.innerText()).toContain('1 unread mention or reply');
    await card.getByRole('link', { name: 'Censos de población' }).click();
    await page.waitForURL(`${h.baseUrl}/g/censos/`);
    await page.getByRole('region', { name: 'In your other groups' }).getByRole('link', { name: 'Grupo de trabajo ODM' }).waitFor();
    await context.close();
  });

  it("switches group from the header, shows the second group's debates at /g/<slug>/ and the first group's at the old address", async () => {
    const context = await h.newContext();
    await signIn(h, context, admin);
    const page = h.watch(await context.newPage());
    const shell = new AppShell(page, 'en');

    await page.goto(`${h.baseUrl}/debates`);
    await page.getByRole('link', { name: FIRST_THREAD }).waitFor();
    const switcher = shell.banner().getByRole('button', { name: /^Working group:/ });
    expect(await switcher.innerText()).toContain('Grupo de trabajo ODM');

    // With the keyboard: open the switch, Escape closes it and gives the focus back.
    await switcher.focus();
    await page.keyboard.press('Enter');
    expect(await switcher.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Escape');
    expect(await switcher.getAttribute('aria-expanded')).toBe('false');
    expect(await switcher.evaluate((element) => element.matches(':focus'))).toBe(true);
    // A click anywhere outside closes it too.
    await switcher.click();
    expect(await switcher.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('main').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => switcher.getAttribute('aria-expanded')).toBe('false');

    await switcher.click();
    await shell.banner().getByRole('link', { name: /Censos de población/ }).click();
    await page.waitForURL(`${h.baseUrl}/g/censos/`);
    const switched = shell.banner().getByRole('button', { name: /^Working group:/ });
    await expect.poll(() => switched.innerText()).toContain('Censos de población');

    // The navigation keeps the group: its debates, not the first group's.
    await shell.navLink('Debates').click();
    await page.waitForURL(`${h.baseUrl}/g/censos/debates`);
    await page.getByRole('link', { name: SECOND_THREAD }).waitFor();
    expect(await page.getByRole('link', { name: FIRST_THREAD }).count()).toBe(0);
    await page.getByRole('link', { name: SECOND_THREAD }).click();
    await page.waitForURL(/\/g\/censos\/debates\/t\/[^/]+$/);
    await shell.heading(SECOND_THREAD).waitFor();

    // The old address is the first group's.
    await page.goto(`${h.baseUrl}/debates`);
    await page.getByRole('link', { name: FIRST_THREAD }).waitFor();
    expect(await page.getByRole('link', { name: SECOND_THREAD }).count()).toBe(0);
    await expect.poll(() => shell.banner().getByRole('button', { name: /^Working group:/ }).innerText()).toContain('Grupo de trabajo ODM');

    // On a phone: the switch and its list fit the screen, and nothing scrolls sideways.
    await page.setViewportSize({ width: 360, height: 740 });
    await shell.banner().getByRole('button', { name: /^Working group:/ }).click();
    const choice = shell.banner().getByRole('link', { name: /Censos de población/ });
    await choice.waitFor();
    const box = (await choice.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await context.close();
  });

  it("sends someone not signed in from a second group's address to sign in, and back to it, in that group", async () => {
    const context = await h.newContext();
    const page = h.watch(await context.newPage(), { expectedStatuses: [{ status: 401, path: '/api/me' }] });
    await page.goto(`${h.baseUrl}/g/censos/debates`);
    const login = new LoginPage(page, 'en');
    await login.waitUntilShown();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/g/censos/debates');
    await login.signIn(admin.email, admin.password);
    await page.waitForURL(`${h.baseUrl}/g/censos/debates`);
    await page.getByRole('link', { name: SECOND_THREAD }).waitFor();
    // Signed in from a page of no group, she is then shown as she is in this one.
    await expect.poll(() => login.banner().getByRole('button', { name: /^Working group:/ }).innerText()).toContain('Censos de población');
    await context.close();
  });

  it("labels each notification with its group and opens it there, from another group's page", async () => {
    const context = await h.newContext();
    await signIn(h, context, admin);
    const page = h.watch(await context.newPage());
    await page.goto(`${h.baseUrl}/notifications`);
    const list = page.locator('cn-notifications-page');
    const items = list.getByRole('listitem').filter({ hasText: SECOND_THREAD });
    await items.first().getByText('Censos de población', { exact: true }).waitFor();
    expect(await items.count()).toBe(1);

    // A new one arrives live (its event names no group): it is listed with its group all the same.
    await inGroup('censos', 'POST', `/api/threads/${secondThread}/posts`, { body: 'Otra cosa, @ana.admin' }, coordinator);
    await expect.poll(() => items.count()).toBe(2);
    for (const item of await items.all()) {
      await item.getByText('Censos de población', { exact: true }).waitFor();
      expect(await item.getByRole('link').getAttribute('href')).toMatch(/^\/g\/censos\/debates\/t\//);
    }
    await items.last().getByRole('link').click();
    await page.waitForURL(/\/g\/censos\/debates\/t\/[^/]+(#.*)?$/);
    await new AppShell(page, 'en').heading(SECOND_THREAD).waitFor();
    await context.close();
  });

  it("lets the instance's administrator create a group: the address suggested from the name, a taken one refused beside its field with nothing typed lost", async () => {
    const context = await h.newContext();
    await signIn(h, context, admin);
    const page = h.watch(await context.newPage(), { expectedStatuses: [{ status: 409, path: '/api/instance/groups' }] });
    const shell = new AppShell(page, 'en');
    await page.goto(`${h.baseUrl}/`);
    await page.getByRole('button', { name: ADMIN.displayName, exact: true }).click();
    await page.getByRole('link', { name: 'Working groups of this Concilia' }).click();
    await shell.heading('Working groups of this Concilia').waitFor();
    const groups = page.locator('cn-instance-groups-page ul.groups > li');
    await expect.poll(() => groups.count()).toBe(2);
    expect(await groups.nth(1).innerText()).toContain('/g/censos/');

    const name = page.getByLabel('Name', { exact: true });
    const slug = page.getByLabel('Address', { exact: true });
    await name.fill('Estadísticas de género');
    expect(await slug.inputValue()).toBe('estadisticas-de-genero');
    await slug.fill('censos');
    await page.getByLabel('Description').fill('Encuestas de uso del tiempo');
    await page.getByRole('button', { name: 'Create the group' }).click();
    await page.getByText('This is taken: choose another.').waitFor();
    expect(await slug.evaluate((element) => element.matches(':focus'))).toBe(true);
    expect(await name.inputValue()).toBe('Estadísticas de género');
    expect(await page.getByLabel('Description').inputValue()).toBe('Encuestas de uso del tiempo');

    await slug.fill('genero');
    await page.getByRole('button', { name: 'Create the group' }).click();
    await page.getByRole('status').filter({ hasText: 'The group Estadísticas de género is created, at /g/genero/.' }).waitFor();
    await expect.poll(() => groups.count()).toBe(3);
    expect(await name.inputValue()).toBe('');
    // The creator is in the new group too: its address opens for her.
    await groups.nth(2).getByRole('link', { name: '/g/genero/' }).click();
    await page.waitForURL(`${h.baseUrl}/g/genero/`);
    await expect.poll(() => shell.banner().getByRole('button', { name: /^Working group:/ }).innerText()).toContain('Estadísticas de género');
    await context.close();
  });

  it('takes someone who joins a second group by invitation to it, as they are there', async () => {
    const jorge = await addMember(h, admin, { displayName: 'Jorge Quispe', email: 'jorge@inei.gob.pe', password: 'jorge-password-1', countryId: 'pe' });
    const invitation = await inGroup<{ acceptUrl: string }>('censos', 'POST', '/api/invitations', { email: jorge.email, role: 'member', countryId: 'pe' });
    const context = await h.newContext();
    await signIn(h, context, jorge);
    const page = h.watch(await context.newPage());
    const shell = new AppShell(page, 'en');
    await page.goto(`${h.baseUrl}/`);
    // In one group: its name in the brand, no switch.
    await shell.banner().getByText('Grupo de trabajo ODM').waitFor();
    await page.goto(new URL(invitation.acceptUrl).pathname);
    await page.getByRole('button', { name: 'Join the group' }).click();
    await page.waitForURL(`${h.baseUrl}/g/censos/`);
    await expect.poll(() => shell.banner().getByRole('button', { name: /^Working group:/ }).innerText()).toContain('Censos de población');
    await shell.navLink('Debates').click();
    await page.getByRole('link', { name: SECOND_THREAD }).click();
    await shell.heading(SECOND_THREAD).waitFor();
    // Live in that group: the page's connection is the new group's, not the one it started in.
    await inGroup('censos', 'POST', `/api/threads/${secondThread}/posts`, { body: 'Bienvenido, Jorge.' });
    await page.locator('cn-thread-page').getByText('Bienvenido, Jorge.').waitFor({ timeout: 10_000 });
    await context.close();
  });

  it('tells someone of the first group only that they are not a member of the second, with a link to theirs', async () => {
    const context = await h.newContext();
    await signIn(h, context, member);
    const page = h.watch(await context.newPage(), { expectedStatuses: [{ status: 403, path: '/api/session' }, { status: 403, path: '/api/setup' }, { status: 403, path: '/api/countries' }, { status: 403, path: '/api/organizations' }] });
    const shell = new AppShell(page, 'en');
    await page.goto(`${h.baseUrl}/g/censos/debates`);
    await shell.heading('You are not a member of this group').waitFor();
    // In one group only: no switch in the header.
    expect(await shell.banner().getByRole('button', { name: /^Working group:/ }).count()).toBe(0);
    await page.getByRole('main').getByRole('link', { name: 'Grupo de trabajo ODM' }).click();
    await shell.navLink('Debates').click();
    await page.getByRole('link', { name: FIRST_THREAD }).waitFor();
    await context.close();
  });
});
