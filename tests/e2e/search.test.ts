import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { addMember, call, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };

describeInBrowser('search page', () => {
  let h: Harness;
  let member: Person;
  let threadId = '';
  let meetingId = '';

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    member = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx' });
    const categories = await call<{ items: Array<{ id: string; mayStart: boolean }> }>(h, 'GET', '/api/categories', undefined, member.cookie);
    const thread = await call<{ thread: { id: string } }>(h, 'POST', '/api/threads', { categoryId: categories.items.find((c) => c.mayStart)!.id, title: 'Series de pobreza', body: 'Las cifras nacionales difieren de las internacionales.' }, member.cookie);
    threadId = thread.thread.id;
    const meeting = await call<{ meeting: { id: string } }>(
      h,
      'POST',
      '/api/meetings',
      {
        title: 'Taller de conciliación',
        kind: 'virtual_meeting',
        description: 'Revisión de avances.',
        agenda: [{ title: 'Cifras nacionales de pobreza', presenter: 'CEPAL', minutes: 30 }],
        timeZone: 'America/Mexico_City',
        startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 7 * 86_400_000 + 3_600_000).toISOString(),
        onlineUrl: 'https://meet.jit.si/concilia-taller',
        accessNotes: '',
        invitees: { everyone: true },
      },
      admin.cookie,
    );
    meetingId = meeting.meeting.id;
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('names what it searches and shows meetings and posts found by another form of the words, with links', async () => {
    const context = await h.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    await signIn(h, context, member);
    const page = h.watch(await context.newPage());
    await page.goto(`/search?q=${encodeURIComponent('cifra nacional')}`);
    const search = page.locator('cn-search-page');
    await search.getByRole('heading', { level: 1, name: 'Search debates, documents and meetings' }).waitFor();
    expect(await page.title()).toContain('Search debates, documents and meetings');
    const meetings = search.getByRole('region', { name: 'Meetings and minutes' });
    const meetingLink = meetings.getByRole('link', { name: 'Taller de conciliación' });
    await meetingLink.waitFor();
    expect(await meetingLink.getAttribute('href')).toBe(`/meetings/${meetingId}`);
    expect(await meetings.locator('mark').allTextContents()).toEqual(['Cifras', 'nacionales']);
    await search.getByRole('heading', { level: 2, name: 'Posts in the debates' }).waitFor();
    const postLink = search.getByRole('link', { name: 'Series de pobreza' });
    expect(await postLink.getAttribute('href')).toMatch(new RegExp(`^/debates/t/${threadId}#post-`));
    await meetingLink.click();
    await page.waitForURL(`**/meetings/${meetingId}`);
    expect(h.problems).toEqual([]);
  }, 60_000);
});
