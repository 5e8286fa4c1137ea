import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { MinutesPage } from './pages/meetings-pages.js';
import { addPerson, call, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const AGENDA = 'Regional progress report';
const SUMMARY = (section: string) => `Summary of ${section}`;

describeInBrowser('meeting minutes, two writers', () => {
  let h: Harness;
  let coordinator: Person;
  let secretariat: Person;
  let meetingId: string;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    coordinator = await addPerson(h, admin, { displayName: 'Carla Coordinadora', email: 'carla@ine.cl', password: 'carla-password-1', role: 'coordinator', countryId: 'cl', timeZone: 'America/Santiago' });
    secretariat = await addPerson(h, admin, { displayName: 'Sofía Secretaría', email: 'sofia@cepal.org', password: 'sofia-password-1', role: 'secretariat', organizationId: 'eclac', timeZone: 'America/Santiago' });
    // A meeting starting in a few minutes: its room is open, so its minutes can be written.
    const start = DateTime.utc().plus({ minutes: 5 }).startOf('minute');
    const { meeting } = await call<{ meeting: { id: string } }>(
      h,
      'POST',
      '/api/meetings',
      {
        title: 'Working group session',
        kind: 'virtual_meeting',
        timeZone: 'America/Santiago',
        startsAt: start.toISO(),
        endsAt: start.plus({ hours: 1 }).toISO(),
        agenda: [{ title: AGENDA, minutes: 30 }],
        invitees: { everyone: true },
      },
      coordinator.cookie,
    );
    meetingId = meeting.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('keeps text typed offline, even across a closed tab, and shows a conflicting change instead of overwriting it', async () => {
    const coordinatorContext = await h.newContext({ timezoneId: 'America/Santiago' });
    const secretariatContext = await h.newContext({ timezoneId: 'America/Santiago' });
    await signIn(h, coordinatorContext, coordinator);
    await signIn(h, secretariatContext, secretariat);
    const coordinatorPage = h.watch(await coordinatorContext.newPage());
    let secretariatPage = h.watch(await secretariatContext.newPage());
    const path = `/meetings/${meetingId}/minutes`;
    const summary = (page: typeof coordinatorPage) => page.getByRole('textbox', { name: SUMMARY(AGENDA), exact: true });

    // The secretariat writes while the connection is down, then closes the tab before it is back.
    await secretariatPage.goto(path);
    await summary(secretariatPage).waitFor();
    await secretariatContext.setOffline(true);
    await summary(secretariatPage).fill('Ten countries presented; the secretariat summarised the regional figures.');
    await expect.poll(() => new MinutesPage(secretariatPage).saveState().textContent(), { timeout: 10_000 }).toMatch(/^The server cannot be reached/);
    await secretariatPage.close();
    await secretariatContext.setOffline(false);

    // Meanwhile the coordinator writes the same summary; it is saved.
    await coordinatorPage.goto(path);
    await summary(coordinatorPage).fill('Eight countries presented their progress.');
    const coordinatorMinutes = new MinutesPage(coordinatorPage);
    await expect.poll(() => coordinatorMinutes.saveState().textContent(), { timeout: 10_000 }).toMatch(/^Draft saved/);

    // The secretariat opens the minutes again: her text is back from the device, and its save is refused as stale,
    // so both texts are shown side by side instead of hers silently replacing the coordinator's.
    secretariatPage = h.watch(await secretariatContext.newPage(), { expectedStatuses: [{ status: 409, path: `/api/meetings/${meetingId}/minutes` }] });
    await secretariatPage.goto(path);
    await secretariatPage.getByText('Changes you had not saved on this device were restored and are being saved.').waitFor();
    const conflict = secretariatPage.getByRole('alert').filter({ hasText: 'changed the same part meanwhile' });
    await conflict.getByText('Eight countries presented their progress.').waitFor();
    await conflict.getByText('Ten countries presented; the secretariat summarised the regional figures.').waitFor();
    await expect(summary(secretariatPage).inputValue()).resolves.toBe('Ten countries presented; the secretariat summarised the regional figures.');

    // She keeps hers: it is saved over the coordinator's, who sees it arrive without reloading.
    await secretariatPage.getByRole('button', { name: 'Keep my text', exact: true }).click();
    await expect.poll(() => new MinutesPage(secretariatPage).saveState().textContent(), { timeout: 10_000 }).toMatch(/^Draft saved/);
    await expect.poll(() => summary(coordinatorPage).inputValue(), { timeout: 10_000 }).toBe('Ten countries presented; the secretariat summarised the regional figures.');

    // The server holds exactly that text.
    const { minutes } = await call<{ minutes: { draft: { content: { sections: Array<{ title: string; summary: string }> } } } }>(
      h,
      'GET',
      `/api/meetings/${meetingId}/minutes`,
      undefined,
      coordinator.cookie,
    );
    expect(minutes.draft.content.sections.find((section) => section.title === AGENDA)?.summary).toBe('Ten countries presented; the secretariat summarised the regional figures.');
    // The only console errors are the requests the browser refused while it was offline.
    expect(h.problems.filter((problem) => !problem.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  }, 90_000);
});
