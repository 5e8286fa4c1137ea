import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { HomePage } from './pages/home-page.js';
import { LoginPage } from './pages/login-page.js';
import { addMember, addPerson, call, setUp, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const HOUR = 60 * 60_000;

/** Live updates arrive within a few seconds (the page asks again at most every 2 s). */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000 });

/** "14:00" in a zone, by Node's Intl (not the client's code). */
const clock = (iso: string, timeZone: string) => new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(iso));

describeInBrowser('the home page', () => {
  let h: Harness;
  let coordinator: Person;
  let mexico: Person;
  let peru: Person;
  let generalId: string;
  let threadId: string;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    coordinator = await addPerson(h, admin, { displayName: 'Carla Coordinadora', email: 'carla@ine.cl', password: 'carla-password-1', role: 'coordinator', countryId: 'cl', timeZone: 'America/Santiago' });
    mexico = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx', timeZone: 'America/Mexico_City' });
    peru = await addMember(h, admin, { displayName: 'Jorge Quispe', email: 'jorge@inei.gob.pe', password: 'jorge-password-1', countryId: 'pe', timeZone: 'America/Lima' });
    const categories = await call<{ items: Array<{ id: string; slug: string }> }>(h, 'GET', '/api/categories', undefined, peru.cookie);
    generalId = categories.items.find((category) => category.slug === 'general')!.id;
    const started = await call<{ thread: { id: string } }>(h, 'POST', '/api/threads', { categoryId: generalId, title: 'Deflating the poverty line', body: 'Which index do your offices use?' }, peru.cookie);
    threadId = started.thread.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('lands a member on the home page after signing in, with counts that follow new posts, invitations and mentions live, on a phone', async () => {
    const context = await h.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'America/Mexico_City' });
    const page = h.watch(await context.newPage(), { expectedStatuses: [{ status: 401, path: '/api/me' }] });
    const login = new LoginPage(page, 'en');
    await login.goto();
    await login.signIn(mexico.email, mexico.password);

    // Signed in: the home page, first in the navigation and marked current.
    const home = new HomePage(page, 'en');
    await home.waitUntilShown();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await home.navLink(home.t.homeNav).getAttribute('aria-current')).toBe('page');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').first().innerText()).toBe(home.t.homeNav);

    // The counts of what is there: one unread debate, nothing else waiting.
    await eventually(() => home.count('Unread debates')).toBe(1);
    await home.item('Unread debates', 'Deflating the poverty line').getByText('1 unread post').waitFor();
    expect(await home.count('Waiting for your answer')).toBe(0);
    await home.section('Waiting for your answer').getByText('Nothing waits for you: every poll and invitation is answered.').waitFor();
    expect(await home.count('Mentions and replies')).toBe(0);
    expect(await home.count('Meetings in the next two weeks')).toBe(0);
    await home.section('Meetings in the next two weeks').getByRole('link', { name: 'All meetings' }).waitFor();
    let reloads = 0;
    page.on('load', () => (reloads += 1));

    // Someone answers in the debate, then starts another: the counts follow, without a reload.
    await call(h, 'POST', `/api/threads/${threadId}/posts`, { body: 'We use the regional CPI.' }, peru.cookie);
    await home.item('Unread debates', 'Deflating the poverty line').getByText('2 unread posts').waitFor();
    await call(h, 'POST', '/api/threads', { categoryId: generalId, title: 'Census rounds of 2030', body: 'Dates by country.' }, peru.cookie);
    await eventually(() => home.count('Unread debates')).toBe(2);
    await home.item('Unread debates', 'Census rounds of 2030').waitFor();

    // The coordinator invites Mexico to a meeting: it waits for an answer, and is coming up, in both zones.
    const startsAt = new Date(Date.now() + 3 * 24 * HOUR);
    startsAt.setUTCMinutes(0, 0, 0);
    const endsAt = new Date(startsAt.getTime() + HOUR);
    await call(h, 'POST', '/api/meetings', {
      title: 'Poverty line workshop',
      kind: 'virtual_meeting',
      timeZone: 'America/Santiago',
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      invitees: { everyone: false, countryIds: ['mx'] },
    }, coordinator.cookie);
    await eventually(() => home.count('Waiting for your answer')).toBe(1);
    await home.item('Waiting for your answer', 'Poverty line workshop').getByText('Will you attend?').waitFor();
    expect(await home.count('Meetings in the next two weeks')).toBe(1);
    const meeting = home.item('Meetings in the next two weeks', 'Poverty line workshop');
    const mine = `${clock(startsAt.toISOString(), 'America/Mexico_City')}–${clock(endsAt.toISOString(), 'America/Mexico_City')}`;
    const organizers = `${clock(startsAt.toISOString(), 'America/Santiago')}–${clock(endsAt.toISOString(), 'America/Santiago')}`;
    await meeting.getByText(`${mine} (your time)`, { exact: false }).waitFor();
    await meeting.getByText(`${organizers} in Santiago, the organizer's time`, { exact: false }).waitFor();

    // A mention: counted, and opening it leads to the post and marks it read.
    const mentionable = await call<{ people: Array<{ id: string; handle: string }> }>(h, 'GET', '/api/mentionable?q=luc', undefined, coordinator.cookie);
    const handle = mentionable.people.find((person) => person.id === mexico.id)!.handle;
    await call(h, 'POST', `/api/threads/${threadId}/posts`, { body: `@${handle} could you share INEGI's series?` }, coordinator.cookie);
    await eventually(() => home.count('Mentions and replies')).toBe(1);
    expect(reloads).toBe(0);
    const mention = home.item('Mentions and replies', 'Carla Coordinadora mentioned you in "Deflating the poverty line".');
    await mention.getByText("could you share INEGI's series?", { exact: false }).waitFor();

    // Keyboard: the mention's link is reachable and opens the debate.
    await mention.getByRole('link').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/debates/t/${threadId}*`);
    await page.getByRole('heading', { level: 1, name: 'Deflating the poverty line' }).waitFor();
    await home.navLink(home.t.homeNav).click();
    await home.waitUntilShown();
    await eventually(() => home.count('Mentions and replies')).toBe(0);

    // A phone's width: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(h.problems).toEqual([]);
  }, 90_000);

  it('says so when the home cannot be loaded, and tries again on request', async () => {
    const context = await h.newContext({ viewport: { width: 1280, height: 900 } });
    const page = h.watch(await context.newPage(), { expectedStatuses: [{ status: 401, path: '/api/me' }, { status: 503, path: '/api/home' }] });
    const login = new LoginPage(page, 'en');
    await login.goto();
    // The first answer fails; the next ones reach the server.
    let failures = 1;
    await page.route('**/api/home', async (route) => {
      if (failures-- > 0) await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'Down for a moment.' } }) });
      else await route.continue();
    });
    await login.signIn(peru.email, peru.password);
    const home = new HomePage(page, 'en');
    await home.waitUntilShown();
    await page.getByRole('alert').waitFor();
    await page.getByRole('button', { name: 'Try again' }).click();
    await home.section('Unread debates').waitFor();
    const expected = await call<{ sections: Array<{ id: string; count: number }> }>(h, 'GET', '/api/home', undefined, peru.cookie);
    expect(await home.count('Unread debates')).toBe(expected.sections.find((section) => section.id === 'debates.unread')!.count);
    expect(h.problems).toEqual([]);
  }, 60_000);
});
