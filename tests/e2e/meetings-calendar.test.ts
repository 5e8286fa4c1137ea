import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { addMember, addPerson, call, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const MEXICO_CITY = 'America/Mexico_City';
const BUENOS_AIRES = 'America/Argentina/Buenos_Aires';
const TITLE = 'Late call on the SDG indicators';

/** The text of the element that has keyboard focus, inside shadow roots. */
const focusedDay = (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return (active as HTMLElement | null)?.dataset.day ?? null;
  });

describeInBrowser('meetings calendar', () => {
  let h: Harness;
  let organizer: Person;
  let reader: Person;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    organizer = await addPerson(h, admin, { displayName: 'Carla Coordinadora', email: 'carla@inegi.org.mx', password: 'carla-password-1', role: 'coordinator', countryId: 'mx', timeZone: MEXICO_CITY });
    reader = await addMember(h, admin, { displayName: 'Diego Pérez', email: 'diego@indec.gob.ar', password: 'diego-password-1', countryId: 'ar', timeZone: BUENOS_AIRES });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('puts a meeting on the reader’s day and is driven by the keyboard', async () => {
    // 23:30 in Mexico City on the 10th of next month is 02:30 on the 11th in Buenos Aires.
    const start = DateTime.fromObject({ hour: 23, minute: 30 }, { zone: MEXICO_CITY }).plus({ months: 1 }).set({ day: 10 });
    await call(
      h,
      'POST',
      '/api/meetings',
      {
        title: TITLE,
        kind: 'virtual_meeting',
        timeZone: MEXICO_CITY,
        startsAt: start.toUTC().toISO(),
        endsAt: start.plus({ hours: 1 }).toUTC().toISO(),
        invitees: { everyone: true },
      },
      organizer.cookie,
    );
    const readerDay = start.setZone(BUENOS_AIRES);
    expect(readerDay.day).toBe(11);

    const context = await h.newContext({ timezoneId: BUENOS_AIRES, viewport: { width: 1280, height: 1000 } });
    await signIn(h, context, reader);
    const page = h.watch(await context.newPage());
    const month = readerDay.toFormat('yyyy-MM');
    await page.goto(`/meetings/calendar?month=${month}`);
    const grid = page.getByRole('grid');
    await grid.waitFor();
    await grid.locator(`td[data-day="${readerDay.toFormat('yyyy-MM-dd')}"] li`, { hasText: TITLE }).waitFor();
    await expect(grid.locator(`td[data-day="${readerDay.minus({ days: 1 }).toFormat('yyyy-MM-dd')}"] li`).count()).resolves.toBe(0);

    // The first of the month is the grid's one tab stop; the arrows move a day, a week; Home and End the week's ends.
    await grid.locator('td[tabindex="0"]').focus();
    expect(await focusedDay(page)).toBe(`${month}-01`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(await focusedDay(page)).toBe(`${month}-09`);
    for (let day = 9; day < 11; day++) await page.keyboard.press('ArrowRight');
    expect(await focusedDay(page)).toBe(readerDay.toFormat('yyyy-MM-dd'));
    await expect(grid.locator('td[tabindex="0"]').count()).resolves.toBe(1);

    // Enter chooses the day: its meetings are listed under the grid, at the reader's time.
    await page.keyboard.press('Enter');
    const dayList = page.getByRole('region', { name: `Meetings on ${readerDay.setLocale('en').toFormat('cccc, LLLL d, yyyy')}`, exact: true });
    await dayList.getByRole('link', { name: TITLE, exact: true }).waitFor();
    await expect(dayList.locator('cn-meeting-times time.start').textContent()).resolves.toBe('02:30');
    await expect(dayList.locator('cn-meeting-times time.organizer-start').textContent()).resolves.toBe('23:30');

    // Page Down goes to the same day next month, keeping the focus in the grid; Page Up comes back.
    await page.keyboard.press('PageDown');
    const nextMonth = readerDay.plus({ months: 1 });
    await expect.poll(() => focusedDay(page)).toBe(nextMonth.toFormat('yyyy-MM-dd'));
    await page.getByRole('heading', { name: nextMonth.setLocale('en').toFormat('LLLL yyyy'), exact: true }).waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get('month')).toBe(nextMonth.toFormat('yyyy-MM'));
    await page.keyboard.press('PageUp');
    await expect.poll(() => focusedDay(page)).toBe(readerDay.toFormat('yyyy-MM-dd'));
    expect(h.problems).toEqual([]);
  }, 60_000);
});
