import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { addMember, addPerson, call, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };

describeInBrowser('a meeting page whose reader stops being invited', () => {
  let h: Harness;
  let coordinator: Person;
  let mexico: Person;
  let trinidad: Person;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    coordinator = await addPerson(h, admin, { displayName: 'Carla Coordinadora', email: 'carla@indec.gob.ar', password: 'carla-password-1', role: 'coordinator', countryId: 'ar' });
    mexico = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx' });
    trinidad = await addMember(h, admin, { displayName: 'Kavita Ramdial', email: 'kavita@cso.gov.tt', password: 'kavita-password-1', countryId: 'tt' });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('turns into "not found" as soon as the invitees change, and never shows the new passcode', async () => {
    const start = new Date(Date.now() + 2 * 24 * 3_600_000);
    start.setUTCMinutes(0, 0, 0);
    const { meeting } = await call<{ meeting: { id: string } }>(
      h,
      'POST',
      '/api/meetings',
      {
        title: 'Restricted drafting session',
        kind: 'virtual_meeting',
        description: '',
        agenda: [],
        timeZone: 'America/Mexico_City',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
        onlineUrl: 'https://meet.jit.si/concilia-drafting',
        accessNotes: 'Passcode 4321',
        invitees: { everyone: false, personIds: [mexico.id, trinidad.id] },
      },
      coordinator.cookie,
    );

    const context = await h.newContext();
    await signIn(h, context, mexico);
    const page = h.watch(await context.newPage(), { expectedStatuses: [{ status: 404, path: `/api/meetings/${meeting.id}` }] });
    await page.goto(`/meetings/${meeting.id}`);
    await page.getByRole('heading', { name: 'Restricted drafting session', level: 1 }).waitFor();
    await page.getByText('Passcode 4321').waitFor();
    // The page follows the meeting live: a change of title shows without reloading.
    await call(h, 'PATCH', `/api/meetings/${meeting.id}`, { title: 'Restricted drafting session, second round' }, coordinator.cookie);
    await page.getByRole('heading', { name: 'Restricted drafting session, second round', level: 1 }).waitFor();

    await call(h, 'PATCH', `/api/meetings/${meeting.id}`, { invitees: { everyone: false, personIds: [trinidad.id] }, accessNotes: 'Passcode 9876' }, coordinator.cookie);

    await page.getByRole('heading', { name: 'Meeting not found', level: 1 }).waitFor();
    const text = await page.evaluate(() => {
      // Every shadow root's text, since the page is made of web components.
      const collect = (root: Document | ShadowRoot): string => [...root.querySelectorAll('*')].map((element) => (element.shadowRoot ? collect(element.shadowRoot) : '')).join(' ') + (root instanceof Document ? root.body.innerText : root.textContent ?? '');
      return collect(document);
    });
    expect(text).not.toContain('9876');
    expect(text).not.toContain('4321');
    expect(h.problems).toEqual([]);
  });
});
