import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { AppShell } from './pages/app-shell.js';
import { MeetingPage, MinutesPage, MEETINGS_UI } from './pages/meetings-pages.js';
import { addMember, addPerson, call, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const BUENOS_AIRES = 'America/Argentina/Buenos_Aires';
const MEXICO_CITY = 'America/Mexico_City';
const PORT_OF_SPAIN = 'America/Port_of_Spain';
const CALL = 'Monthly coordination call';
const SERIES = 'Weekly call on the indicator tables';
const SESSION = 'Extraordinary session on the 2030 targets';
const SESSION_ITEM = 'Regional poverty estimates';
const QUESTION = 'Do we adopt the revised poverty line?';
const ACTION = 'Send the revised poverty series to the secretariat';
const LUCIA_NOTE = 'I join for the first hour only.';
const KAVITA_NOTE = 'On mission in Tobago that week.';

/** The words of the screens this file drives beyond the ones MEETINGS_UI already names (English). */
const WORKFLOW_UI = {
  going: 'Going',
  notGoing: 'Not going',
  note: 'Note (optional)',
  saveAnswer: 'Save my answer',
  answersSoFar: 'Answers so far',
  nobodyGoing: (n: number) => `Invited countries with nobody going (${n})`,
  date: 'Date',
  startsAt: 'Starts at',
  endsAt: 'Ends at',
  repeat: 'Repeat',
  occurrences: 'Number of occurrences',
  createMeeting: 'Create the meeting',
  allOccurrences: 'All occurrences',
  moveOccurrence: (day: string) => `Move the occurrence of ${day}`,
  cancelOccurrence: (day: string) => `Cancel the occurrence of ${day}`,
  moveDialog: 'Move this occurrence',
  moveIt: 'Move it',
  ics: 'Download the .ics file',
  calendarSettings: 'calendar settings',
  openQuickPoll: 'Open a quick poll',
  question: 'Question',
  whoAnswers: 'Who answers',
  perCountry: 'Each country (one vote per delegation)',
  yourAnswerTo: (question: string) => `Your answer to: ${question}`,
  personToMark: 'Person to mark present',
  markPresent: 'Mark present (only on the call)',
  actionItemsNav: 'Action items',
  allMeetings: '← All meetings',
  editMeeting: 'Edit the meeting',
  addOpenActionItems: 'Add open action items…',
  actionItemsDialog: 'Open action items of earlier meetings',
  addOneItem: 'Add 1 item to the agenda',
  saveChanges: 'Save the changes',
  feedSection: 'Meetings in your calendar',
  createFeed: 'Create my calendar feed',
  feedAddress: 'Your calendar feed address',
  stopFeed: 'Stop the feed',
  reminders: 'Remind me 24 hours and 1 hour before my meetings (in the notifications)',
} as const;

const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
const texts = async (locator: Locator) => (await locator.allTextContents()).map(squash);
/** "Wednesday, December 9, 2026": a day as the English interface writes it, computed by luxon. */
const longDay = (instant: DateTime, zone: string) => instant.setZone(zone).setLocale('en').toFormat('cccc, LLLL d, yyyy');
const clock = (instant: DateTime, zone: string) => instant.setZone(zone).toFormat('HH:mm');

/** The meeting page, with the parts this file reads: attendance answers, occurrences, quick polls, the attendance record. */
class WorkflowMeetingPage extends MeetingPage {
  readonly w = WORKFLOW_UI;

  attendance(): Locator {
    return this.page.locator('cn-meeting-attendance');
  }

  async answerAttendance(answer: string, note: string): Promise<void> {
    const form = this.attendance();
    await form.getByRole('radio', { name: answer, exact: true }).check();
    await form.getByRole('textbox', { name: this.w.note, exact: true }).fill(note);
    await form.getByRole('button', { name: this.w.saveAnswer, exact: true }).click();
    await form.getByText(`Saved: ${answer}.`, { exact: true }).waitFor();
  }

  /** ["1 Going", "0 Maybe", "1 Not going", "3 Not answered"] */
  counts(): Promise<string[]> {
    return texts(this.attendance().getByRole('list', { name: this.w.answersSoFar, exact: true }).getByRole('listitem'));
  }

  /** The card of one country under "Answers by country", as one line of text. */
  async countryCard(country: string): Promise<string> {
    const card = this.attendance().locator('li.country').filter({ has: this.page.getByRole('heading', { level: 4, name: country, exact: true }) });
    return squash(await card.textContent());
  }

  nobodyGoing(): Locator {
    return this.attendance().getByRole('region', { name: /^Invited countries with nobody going/ });
  }

  occurrenceRows(): Locator {
    return this.page.getByRole('region', { name: this.w.allOccurrences, exact: true }).getByRole('listitem');
  }

  quickPoll(question: string): Locator {
    return this.room().getByRole('group', { name: question, exact: true });
  }

  async pollSummary(question: string): Promise<string> {
    return squash(await this.quickPoll(question).locator('p.sub').first().textContent());
  }

  /** ["Yes 1 (50 %)", "No 1 (50 %)", "Abstain 0 (0 %)"] */
  pollResults(question: string): Promise<string[]> {
    return texts(this.quickPoll(question).locator('.results .bar'));
  }

  attendanceRecord(): Locator {
    return this.room().locator('details').filter({ has: this.page.locator('summary#attendance-record-title') });
  }
}

/** The open action items, grouped by responsible country. */
class ActionItemsPage extends AppShell {
  country(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }
}

describeInBrowser('meetings workflow: attendance, series, room polls, action items, calendar settings', () => {
  let h: Harness;
  let coordinator: Person;
  let lucia: Person;
  let diego: Person;
  let kavita: Person;
  let andres: Person;
  let callId: string;
  let sessionId: string;
  let seriesPath: string;
  let sessionStart: DateTime;
  let coordinatorPage: Page;
  let luciaPage: Page;
  let diegoPage: Page;
  let kavitaPage: Page;
  // The series starts at 10:00 in Buenos Aires eight days from now; weekly, four times (no daylight saving in
  // Buenos Aires or Mexico City, so every occurrence is 10:00 there and 07:00 in Mexico City).
  const seriesStart = DateTime.now().setZone(BUENOS_AIRES).plus({ days: 8 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
  const occurrence = (n: number) => seriesStart.plus({ weeks: n - 1 });
  // The second occurrence moves to the next day, 16:00 to 17:00 in Buenos Aires; the third is cancelled.
  const moved = occurrence(2).plus({ days: 1 }).set({ hour: 16 });

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    coordinator = await addPerson(h, admin, { displayName: 'Carla Coordinadora', email: 'carla@indec.gob.ar', password: 'carla-password-1', role: 'coordinator', countryId: 'ar', timeZone: BUENOS_AIRES });
    lucia = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx', timeZone: MEXICO_CITY });
    diego = await addMember(h, admin, { displayName: 'Diego Ramírez', email: 'diego@inegi.org.mx', password: 'diego-password-1', countryId: 'mx', timeZone: MEXICO_CITY });
    kavita = await addMember(h, admin, { displayName: 'Kavita Ramdial', email: 'kavita@cso.gov.tt', password: 'kavita-password-1', countryId: 'tt', timeZone: PORT_OF_SPAIN });
    andres = await addMember(h, admin, { displayName: 'Andrés Gómez', email: 'andres@dane.gov.co', password: 'andres-password-1', countryId: 'co', timeZone: 'America/Bogota' });
    // In the group but invited to nothing: never offered to be marked present.
    await addMember(h, admin, { displayName: 'Bruno Souza', email: 'bruno@ibge.gov.br', password: 'bruno-password-1', countryId: 'br', timeZone: 'America/Sao_Paulo' });

    // Creating a dated meeting through the form is driven below (the series); these two are set up directly.
    const invitees = { everyone: false, countryIds: ['co', 'mx', 'tt'] };
    const callStart = DateTime.now().setZone(BUENOS_AIRES).plus({ days: 6 }).set({ hour: 14, minute: 0, second: 0, millisecond: 0 });
    callId = (
      await call<{ meeting: { id: string } }>(
        h,
        'POST',
        '/api/meetings',
        { title: CALL, kind: 'virtual_meeting', timeZone: BUENOS_AIRES, startsAt: callStart.toUTC().toISO(), endsAt: callStart.plus({ hours: 1 }).toUTC().toISO(), invitees },
        coordinator.cookie,
      )
    ).meeting.id;
    // Starting in a few minutes: its room is open (from 15 minutes before).
    sessionStart = DateTime.utc().plus({ minutes: 5 }).startOf('minute');
    sessionId = (
      await call<{ meeting: { id: string } }>(
        h,
        'POST',
        '/api/meetings',
        {
          title: SESSION,
          kind: 'virtual_meeting',
          timeZone: BUENOS_AIRES,
          startsAt: sessionStart.toISO(),
          endsAt: sessionStart.plus({ hours: 1 }).toISO(),
          agenda: [{ title: SESSION_ITEM, minutes: 30 }],
          invitees,
        },
        coordinator.cookie,
      )
    ).meeting.id;

    const open = async (person: Person, zone: string) => {
      const context = await h.newContext({ timezoneId: zone, viewport: { width: 1280, height: 1000 } });
      await signIn(h, context, person);
      return h.watch(await context.newPage());
    };
    [coordinatorPage, luciaPage, diegoPage, kavitaPage] = (await Promise.all([open(coordinator, BUENOS_AIRES), open(lucia, MEXICO_CITY), open(diego, MEXICO_CITY), open(kavita, PORT_OF_SPAIN)])) as [
      Page,
      Page,
      Page,
      Page,
    ];
  });

  afterAll(async () => {
    await h?.close();
  });

  it('groups attendance answers by country with notes, and shows the coordinator whom nobody represents and who has not answered', async () => {
    const coordinatorMeeting = new WorkflowMeetingPage(coordinatorPage);
    const luciaMeeting = new WorkflowMeetingPage(luciaPage);
    const kavitaMeeting = new WorkflowMeetingPage(kavitaPage);
    for (const meeting of [coordinatorMeeting, luciaMeeting, kavitaMeeting]) {
      await meeting.page.goto(`/meetings/${callId}`);
      await meeting.waitUntilShown(CALL);
    }
    const reloads = { lucia: 0, kavita: 0 };
    const luciaReloaded = () => (reloads.lucia += 1);
    const kavitaReloaded = () => (reloads.kavita += 1);
    luciaPage.on('load', luciaReloaded);
    kavitaPage.on('load', kavitaReloaded);

    // Before anyone answers, the coordinator sees the three invited countries with nobody going.
    await expect.poll(async () => squash(await coordinatorMeeting.nobodyGoing().textContent())).toBe(`${WORKFLOW_UI.nobodyGoing(3)} Colombia, Mexico, Trinidad and Tobago`);
    // Invited: the three countries' four members and the organizer.
    await expect.poll(() => luciaMeeting.counts()).toEqual(['0 Going', '0 Maybe', '0 Not going', '5 Not answered']);
    await expect.poll(() => kavitaMeeting.counts()).toEqual(['0 Going', '0 Maybe', '0 Not going', '5 Not answered']);

    await luciaMeeting.answerAttendance(WORKFLOW_UI.going, LUCIA_NOTE);
    expect(await luciaMeeting.counts()).toEqual(['1 Going', '0 Maybe', '0 Not going', '4 Not answered']);
    await expect.poll(() => kavitaMeeting.counts()).toEqual(['1 Going', '0 Maybe', '0 Not going', '4 Not answered']);

    // Kavita's counts followed without a reload; she answers, and Lucía's follow in turn.
    await kavitaMeeting.answerAttendance(WORKFLOW_UI.notGoing, KAVITA_NOTE);
    await expect.poll(() => luciaMeeting.counts()).toEqual(['1 Going', '0 Maybe', '1 Not going', '3 Not answered']);
    // A member sees the others' answers but not their notes (those are for the organizers and their author).
    await expect.poll(() => luciaMeeting.countryCard('Trinidad and Tobago')).toBe('Trinidad and Tobago Kavita Ramdial: Not going');
    expect(await luciaMeeting.countryCard('Mexico')).toBe(`Mexico Lucía Hernández: Going ${LUCIA_NOTE}`);
    expect(await luciaMeeting.nobodyGoing().count()).toBe(0);

    // The coordinator's page, open all along, now groups the answers by country with the notes, lists the
    // invited countries with nobody going and, under each country, who has not answered yet.
    await expect.poll(() => coordinatorMeeting.counts()).toEqual(['1 Going', '0 Maybe', '1 Not going', '3 Not answered']);
    await expect.poll(async () => squash(await coordinatorMeeting.nobodyGoing().textContent())).toBe(`${WORKFLOW_UI.nobodyGoing(2)} Colombia, Trinidad and Tobago`);
    await expect.poll(() => coordinatorMeeting.countryCard('Trinidad and Tobago')).toBe(`Trinidad and Tobago Kavita Ramdial: Not going ${KAVITA_NOTE}`);
    expect(await coordinatorMeeting.countryCard('Mexico')).toBe(`Mexico Lucía Hernández: Going ${LUCIA_NOTE} Not answered yet: ${diego.displayName}`);
    expect(await coordinatorMeeting.countryCard('Colombia')).toBe(`Colombia Not answered yet: ${andres.displayName}`);
    expect(await coordinatorMeeting.countryCard('Argentina')).toBe(`Argentina Not answered yet: ${coordinator.displayName}`);
    expect(reloads).toEqual({ lucia: 0, kavita: 0 });
    luciaPage.off('load', luciaReloaded);
    kavitaPage.off('load', kavitaReloaded);
    expect(h.problems).toEqual([]);
  }, 30_000);

  it('creates a weekly series through the form, moves one occurrence and cancels another; a member sees both in her zone and gets the .ics', async () => {
    const page = coordinatorPage;
    const w = WORKFLOW_UI;
    await page.goto('/meetings');
    await page.getByRole('link', { name: MEETINGS_UI.newMeeting, exact: true }).click();
    await new AppShell(page).heading(MEETINGS_UI.newMeeting).waitFor();
    await page.getByRole('textbox', { name: MEETINGS_UI.title, exact: true }).fill(SERIES);
    // The form's zone is the coordinator's (Buenos Aires): the date and times are typed in it.
    await page.getByLabel(w.date, { exact: true }).fill(seriesStart.toFormat('yyyy-MM-dd'));
    await page.getByLabel(w.startsAt, { exact: true }).fill('10:00');
    await page.getByLabel(w.endsAt, { exact: true }).fill('11:00');
    await page.getByRole('combobox', { name: w.repeat, exact: true }).selectOption({ label: 'Weekly' });
    await page.getByRole('spinbutton', { name: w.occurrences, exact: true }).fill('4');
    await page.getByRole('radio', { name: MEETINGS_UI.chosenInvitees, exact: true }).check();
    const countries = page.getByRole('group', { name: MEETINGS_UI.countries, exact: true });
    for (const country of ['Mexico', 'Trinidad and Tobago']) await countries.getByRole('checkbox', { name: country, exact: true }).check();
    await page.getByRole('button', { name: w.createMeeting, exact: true }).click();
    const coordinatorMeeting = new WorkflowMeetingPage(page);
    await coordinatorMeeting.waitUntilShown(SERIES);
    seriesPath = new URL(page.url()).pathname;
    await expect.poll(() => coordinatorMeeting.occurrenceRows().count()).toBe(4);

    // Move the second occurrence to the next day, 16:00 in Buenos Aires (the meeting's zone).
    await page.getByRole('button', { name: w.moveOccurrence(longDay(occurrence(2), BUENOS_AIRES)), exact: true }).click();
    await page.getByRole('dialog', { name: w.moveDialog, exact: true }).waitFor();
    await page.getByLabel(w.date, { exact: true }).fill(moved.toFormat('yyyy-MM-dd'));
    await page.getByLabel(w.startsAt, { exact: true }).fill('16:00');
    await page.getByLabel(w.endsAt, { exact: true }).fill('17:00');
    await page.getByRole('button', { name: w.moveIt, exact: true }).click();
    await page.getByText('The occurrence is moved. The invitees are told.').waitFor();
    await page.getByRole('button', { name: w.cancelOccurrence(longDay(occurrence(3), BUENOS_AIRES)), exact: true }).click();
    await page.getByText('The occurrence is cancelled. The invitees are told.').waitFor();

    // Lucía, in Mexico City, opens it: the moved occurrence at 13:00 her time (with the organizer's 16:00),
    // the cancelled one struck through and marked.
    const luciaMeeting = new WorkflowMeetingPage(luciaPage);
    await luciaPage.goto(seriesPath);
    await luciaMeeting.waitUntilShown(SERIES);
    const rows = luciaMeeting.occurrenceRows();
    await expect.poll(() => rows.count()).toBe(4);
    const starts = await texts(rows.locator('time.start'));
    expect(starts).toEqual([occurrence(1), moved, occurrence(3), occurrence(4)].map((start) => clock(start, MEXICO_CITY)));
    expect(starts[1]).toBe('13:00');
    expect(squash(await rows.nth(1).locator('p.local time').first().textContent())).toBe(longDay(moved, MEXICO_CITY));
    expect(await texts(rows.nth(1).locator('time.organizer-start'))).toEqual(['16:00']);
    expect(await rows.nth(1).getByText('Moved', { exact: true }).count()).toBe(1);
    expect(await rows.nth(2).getByText('Cancelled', { exact: true }).count()).toBe(1);
    expect(await rows.nth(2).locator('del').count()).toBe(1);
    for (const n of [0, 3]) expect(await rows.nth(n).locator('.badge').count()).toBe(0);
    // A member cannot move or cancel occurrences.
    expect(await luciaMeeting.occurrenceRows().getByRole('button').count()).toBe(0);

    // The .ics link is offered; the file it downloads is this series with the change and the cancellation.
    const link = luciaPage.getByRole('link', { name: w.ics, exact: true });
    expect(await link.getAttribute('href')).toBe(`/api${seriesPath}/calendar.ics`);
    const [download] = await Promise.all([luciaPage.waitForEvent('download'), link.click()]);
    const ics = readFileSync(await download.path(), 'utf8');
    const first = new ICAL.Component(ICAL.parse(ics));
    for (const zone of first.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
    const calendar = new ICAL.Component(ICAL.parse(ics));
    const events = calendar.getAllSubcomponents('vevent');
    const master = events.find((event) => !event.hasProperty('recurrence-id'))!;
    expect(master.getFirstPropertyValue('summary')).toBe(SERIES);
    const series = new ICAL.Event(master, { exceptions: events.filter((event) => event !== master) });
    const expanded: string[] = [];
    const iterator = series.iterator();
    for (let next = iterator.next(); next && expanded.length < 10; next = iterator.next()) expanded.push(series.getOccurrenceDetails(next).startDate.toJSDate().toISOString());
    expect(expanded.sort()).toEqual([occurrence(1), moved, occurrence(4)].map((start) => start.toUTC().toISO()));
    expect(h.problems).toEqual([]);
  }, 30_000);

  it('runs a quick poll answered once per country, with live results for everyone, and marks by hand only invitees', async () => {
    const pages = { coordinator: coordinatorPage, lucia: luciaPage, diego: diegoPage, kavita: kavitaPage };
    const meetings = Object.fromEntries(Object.entries(pages).map(([who, page]) => [who, new WorkflowMeetingPage(page)])) as Record<keyof typeof pages, WorkflowMeetingPage>;
    for (const meeting of Object.values(meetings)) {
      await meeting.page.goto(`/meetings/${sessionId}`);
      await meeting.room().getByRole('heading', { name: 'Live room', exact: true }).waitFor();
    }
    const w = WORKFLOW_UI;
    const room = meetings.coordinator.room();
    await room.getByText(w.openQuickPoll, { exact: true }).click();
    await room.getByRole('combobox', { name: w.whoAnswers, exact: true }).selectOption({ label: w.perCountry });
    await room.getByRole('textbox', { name: w.question, exact: true }).fill(QUESTION);
    await room.getByRole('textbox', { name: w.question, exact: true }).press('Enter');

    // The poll reaches every page; Mexico (Lucía) answers yes, Trinidad and Tobago (Kavita) no.
    for (const meeting of Object.values(meetings)) await meeting.quickPoll(QUESTION).waitFor();
    const answer = (meeting: WorkflowMeetingPage, option: string) =>
      meeting.quickPoll(QUESTION).getByRole('group', { name: w.yourAnswerTo(QUESTION), exact: true }).getByRole('button', { name: option, exact: true });
    await answer(meetings.lucia, 'Yes').click();
    await expect.poll(() => answer(meetings.lucia, 'Yes').getAttribute('aria-pressed')).toBe('true');
    await answer(meetings.kavita, 'No').click();
    for (const meeting of Object.values(meetings)) {
      await expect.poll(() => meeting.pollResults(QUESTION)).toEqual(['Yes 1 (50 %)', 'No 1 (50 %)', 'Abstain 0 (0 %)']);
      expect(await meeting.pollSummary(QUESTION)).toBe('One answer per country. Open. 2 countries answered.');
      expect(await meeting.quickPoll(QUESTION).locator('.results progress').evaluateAll((bars) => bars.map((bar) => (bar as HTMLProgressElement).value))).toEqual([50, 50, 0]);
      expect(await texts(meeting.quickPoll(QUESTION).locator('details li'))).toEqual(['Mexico: Yes', 'Trinidad and Tobago: No']);
    }
    // Diego is of Lucía's delegation: Mexico has answered, through her; he cannot answer again.
    await meetings.diego.quickPoll(QUESTION).getByText(`Your country's answer was given by ${lucia.displayName}.`, { exact: true }).waitFor();
    expect(await answer(meetings.diego, 'Yes').getAttribute('aria-pressed')).toBe('true');
    for (const option of ['Yes', 'No', 'Abstain']) expect(await answer(meetings.diego, option).isDisabled()).toBe(true);

    // Everyone who opened the room is recorded; the coordinator may add by hand only the invitees not yet
    // recorded (Andrés of Colombia, only on the call), not Bruno of Brazil nor the administrator.
    const record = meetings.coordinator.attendanceRecord();
    const candidates = record.getByRole('combobox', { name: w.personToMark, exact: true });
    await expect.poll(async () => texts(candidates.locator('option'))).toEqual([`${andres.displayName} · Colombia`]);
    expect(squash(await record.locator('summary').textContent())).toBe('Attendance recorded: 4 people, 3 countries');
    expect(squash(await record.getByText(/^Invited countries with nobody recorded/).textContent())).toBe('Invited countries with nobody recorded: Colombia');
    await candidates.selectOption({ label: `${andres.displayName} · Colombia` });
    await record.getByRole('button', { name: w.markPresent, exact: true }).click();
    await expect.poll(async () => squash(await record.locator('summary').textContent())).toBe('Attendance recorded: 5 people, 4 countries');
    expect(squash(await record.locator('li', { hasText: andres.displayName }).textContent())).toBe(`${andres.displayName} · Colombia marked by ${coordinator.displayName} Remove`);
    expect(await candidates.count()).toBe(0);
    expect(await record.getByText(/^Invited countries with nobody recorded/).count()).toBe(0);
    // The members' record follows live.
    await expect.poll(async () => squash(await meetings.lucia.attendanceRecord().locator('summary').textContent())).toBe('Attendance recorded: 5 people, 4 countries');
    expect(h.problems).toEqual([]);
  }, 30_000);

  it('lists a published action item under its country and pulls it into the next meeting’s agenda from the form', async () => {
    const page = coordinatorPage;
    const w = WORKFLOW_UI;
    // The coordinator writes the session's minutes, with an action item for Trinidad and Tobago, and publishes them.
    await page.getByRole('link', { name: MEETINGS_UI.writeMinutes, exact: true }).click();
    const minutes = new MinutesPage(page);
    await minutes.heading(`Minutes: ${SESSION}`).waitFor();
    await minutes.writeSection(SESSION_ITEM, { summary: 'The revised poverty line was adopted.', decisions: 'Countries revise their series.' });
    await minutes.addActionItem(ACTION, 'Trinidad and Tobago');
    await expect.poll(() => minutes.saveState().textContent(), { timeout: 10_000 }).toMatch(/^Draft saved/);
    await minutes.publish();
    await minutes.published().getByText(ACTION).waitFor();

    // The action items page lists it under Trinidad and Tobago, with its source meeting.
    await page.goto('/meetings');
    await page.getByRole('link', { name: w.actionItemsNav, exact: true }).click();
    const actionItems = new ActionItemsPage(page);
    await actionItems.heading('Action items').waitFor();
    const trinidad = actionItems.country('Trinidad and Tobago');
    const sessionDay = longDay(sessionStart, BUENOS_AIRES);
    // (The coordinator writes minutes, so she may also mark it done.)
    await expect.poll(async () => texts(trinidad.getByRole('listitem'))).toEqual([`${ACTION} — Trinidad and Tobago From ${SESSION} (${sessionDay}, ${SESSION_ITEM}) Mark done`]);
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Trinidad and Tobago']);

    // The coordinator edits the next meeting (the weekly series) and takes the item into its agenda.
    await page.goto(seriesPath);
    await page.getByRole('link', { name: w.editMeeting, exact: true }).click();
    await actionItems.heading(w.editMeeting).waitFor();
    await page.getByRole('button', { name: w.addOpenActionItems, exact: true }).click();
    await page.getByRole('dialog', { name: w.actionItemsDialog, exact: true }).waitFor();
    const item = page.getByRole('checkbox', { name: `${ACTION} — Trinidad and Tobago · ${SESSION}`, exact: true });
    await item.focus();
    await page.keyboard.press('Space');
    expect(await item.isChecked()).toBe(true);
    await page.getByRole('button', { name: w.addOneItem, exact: true }).click();
    await page.getByText('1 action item added to the agenda.').waitFor();
    expect(await page.getByRole('textbox', { name: MEETINGS_UI.agendaTitle(1), exact: true }).inputValue()).toBe(ACTION);
    await page.getByRole('button', { name: w.saveChanges, exact: true }).click();

    // The meeting's agenda has it, presented by the responsible country (stored text, in the group's Spanish, as the
    // server writes it), ten minutes long; the moved and cancelled occurrences are untouched.
    const series = new WorkflowMeetingPage(page);
    await series.waitUntilShown(SERIES);
    const agenda = page.getByRole('region', { name: 'Agenda', exact: true }).getByRole('listitem');
    await expect.poll(() => texts(agenda)).toEqual([`${ACTION} Trinidad y Tabago · 10 minutes`]);
    expect(await series.occurrenceRows().getByText('Moved', { exact: true }).count()).toBe(1);
    expect(await series.occurrenceRows().getByText('Cancelled', { exact: true }).count()).toBe(1);

    // And the action item says where it was taken up.
    await page.goto('/meetings/action-items');
    await expect.poll(async () => texts(trinidad.getByRole('listitem'))).toEqual([
      `${ACTION} — Trinidad and Tobago From ${SESSION} (${sessionDay}, ${SESSION_ITEM}) · On the agenda of ${SERIES} Mark done`,
    ]);
    expect(h.problems).toEqual([]);
  }, 30_000);

  it('creates and revokes the personal calendar feed and turns reminders off, kept across a reload', async () => {
    const page = luciaPage;
    const w = WORKFLOW_UI;
    await page.goto(seriesPath);
    await new WorkflowMeetingPage(page).waitUntilShown(SERIES);
    await page.getByRole('link', { name: w.calendarSettings, exact: true }).click();
    const settings = page.getByRole('region', { name: w.feedSection, exact: true });
    await settings.getByText('You have no calendar feed.', { exact: true }).waitFor();

    await settings.getByRole('button', { name: w.createFeed, exact: true }).click();
    const address = settings.getByRole('textbox', { name: w.feedAddress, exact: true });
    await address.waitFor();
    const url = await address.inputValue();
    expect(url).toMatch(new RegExp(`^${h.baseUrl.replaceAll('.', '\\.')}/api/calendar/[A-Za-z0-9_-]{20,}/meetings\\.ics$`));
    // The address works without a session, and holds her meetings.
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    const body = await feed.text();
    expect(body).toContain(`SUMMARY:${SERIES}`);
    expect(body).toContain(`SUMMARY:${CALL}`);

    await settings.getByRole('button', { name: w.stopFeed, exact: true }).click();
    const dialog = page.locator('cn-calendar-settings cn-dialog#revoke-dialog');
    await page.getByRole('dialog', { name: 'Stop the calendar feed?', exact: true }).waitFor();
    await dialog.getByRole('button', { name: w.stopFeed, exact: true }).click();
    await page.getByText('Your calendar feed was stopped.').waitFor();
    await settings.getByText('You have no calendar feed.', { exact: true }).waitFor();
    expect(await address.count()).toBe(0);
    expect((await fetch(url)).status).toBe(404);

    // Reminders off, with the keyboard.
    const reminders = settings.getByRole('checkbox', { name: w.reminders, exact: true });
    expect(await reminders.isChecked()).toBe(true);
    await reminders.focus();
    await page.keyboard.press('Space');
    await page.getByText('Meeting reminders are off.').waitFor();

    await page.reload();
    await settings.getByText('You have no calendar feed.', { exact: true }).waitFor();
    expect(await settings.getByRole('checkbox', { name: w.reminders, exact: true }).isChecked()).toBe(false);
    expect(await settings.getByRole('button', { name: w.createFeed, exact: true }).count()).toBe(1);
    expect(h.problems).toEqual([]);
  }, 30_000);
});
