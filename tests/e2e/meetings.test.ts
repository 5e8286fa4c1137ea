import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { MeetingFormPage, MeetingPage, MinutesPage, MEETINGS_UI } from './pages/meetings-pages.js';
import { addMember, addPerson, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const BUENOS_AIRES = 'America/Argentina/Buenos_Aires';
const MEXICO_CITY = 'America/Mexico_City';
const PORT_OF_SPAIN = 'America/Port_of_Spain';
const TITLE = 'Coordination call on the 2026 progress report';
const AGENDA = ['Opening and approval of the agenda', 'Progress reports by country'];
const CHAT = 'Buenos días desde México: **listos** para empezar.';
const SUMMARY = 'The agenda was approved without changes.';
const DECISIONS = 'Countries send their tables by the end of the month.';

/** A wall-clock time in a zone, as the meeting form's date and time inputs take it, computed by luxon (not the client's code). */
const wallClock = (instant: DateTime, zone: string) => {
  const local = instant.setZone(zone);
  return { date: local.toFormat('yyyy-MM-dd'), time: local.toFormat('HH:mm') };
};

describeInBrowser('meetings across time zones', () => {
  let h: Harness;
  let coordinator: Person;
  let mexico: Person;
  let trinidad: Person;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    coordinator = await addPerson(h, admin, {
      displayName: 'Carla Coordinadora',
      email: 'carla@indec.gob.ar',
      password: 'carla-password-1',
      role: 'coordinator',
      countryId: 'ar',
      timeZone: BUENOS_AIRES,
    });
    mexico = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx', timeZone: MEXICO_CITY });
    // Her profile still has the zone she signed up from; the browser detects Port of Spain and she takes it.
    trinidad = await addMember(h, admin, { displayName: 'Kavita Ramdial', email: 'kavita@cso.gov.tt', password: 'kavita-password-1', countryId: 'tt', timeZone: MEXICO_CITY });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('polls three zones for a date, shows each member the local time, and runs the room and the minutes live', async () => {
    const contexts = await Promise.all([
      h.newContext({ timezoneId: BUENOS_AIRES, viewport: { width: 1280, height: 1000 } }),
      h.newContext({ timezoneId: MEXICO_CITY, viewport: { width: 1280, height: 1000 } }),
      h.newContext({ timezoneId: PORT_OF_SPAIN, viewport: { width: 1280, height: 1000 } }),
    ]);
    const [coordinatorContext, mexicoContext, trinidadContext] = contexts as [typeof contexts[0], typeof contexts[0], typeof contexts[0]];
    await signIn(h, coordinatorContext, coordinator);
    await signIn(h, mexicoContext, mexico);
    await signIn(h, trinidadContext, trinidad);
    const coordinatorPage = h.watch(await coordinatorContext.newPage());
    const mexicoPage = h.watch(await mexicoContext.newPage());
    const trinidadPage = h.watch(await trinidadContext.newPage());

    // Two proposed times: one starting in a few minutes (its room opens 15 minutes before), one the next day.
    const soon = DateTime.utc().plus({ minutes: 4 }).startOf('minute');
    const slots = [soon, soon.plus({ days: 1 })].map((start) => {
      const from = wallClock(start, BUENOS_AIRES);
      return { start, end: start.plus({ hours: 1 }), input: { date: from.date, start: from.time, end: wallClock(start.plus({ hours: 1 }), BUENOS_AIRES).time } };
    });

    // The coordinator proposes the times, in her zone (Buenos Aires, her profile's), to Mexico and Trinidad and Tobago.
    const form = new MeetingFormPage(coordinatorPage);
    await form.open();
    await form.createPoll({
      title: TITLE,
      slots: slots.map((slot) => slot.input),
      agenda: AGENDA,
      countries: ['Mexico', 'Trinidad and Tobago'],
      onlineUrl: 'https://meet.jit.si/concilia-coordination',
    });
    const coordinatorMeeting = new MeetingPage(coordinatorPage);
    await coordinatorMeeting.waitUntilShown(TITLE);
    const meetingPath = new URL(coordinatorPage.url()).pathname;
    expect(meetingPath).toMatch(/^\/meetings\/[\w-]+$/);

    // Mexico finds it among the date polls and answers.
    const mexicoMeeting = new MeetingPage(mexicoPage);
    await mexicoPage.goto('/meetings');
    await mexicoPage.getByRole('link', { name: MEETINGS_UI.pollsNav, exact: true }).click();
    await mexicoPage.getByRole('link', { name: TITLE, exact: true }).click();
    await mexicoMeeting.waitUntilShown(TITLE);
    await mexicoMeeting.answerPoll(['Yes', 'No']);
    await mexicoPage.getByText('Your answers are saved.').waitFor();

    // Mexico starts changing the second answer and leaves it unsaved: live updates must not undo it.
    await mexicoPage.getByRole('group', { name: MEETINGS_UI.option(2), exact: true }).getByRole('radio', { name: 'If need be', exact: true }).check();
    await mexicoPage.getByText('Not saved yet.').waitFor();

    // Trinidad and Tobago: the page offers the zone this browser detects over her profile's, and she takes it.
    const trinidadMeeting = new MeetingPage(trinidadPage);
    await trinidadPage.goto(meetingPath);
    await trinidadMeeting.waitUntilShown(TITLE);
    await trinidadPage.getByRole('button', { name: MEETINGS_UI.useZone }).click();
    await trinidadPage.getByText(/Times are shown in your time zone, Port of Spain/).first().waitFor();
    await trinidadMeeting.answerPoll(['Yes', 'If need be']);
    await trinidadPage.getByText('Your answers are saved.').waitFor();

    // The coordinator's results followed live: the first slot has two yes (the event's counts), then who
    // answered what (the poll fetched after the event); she picks it.
    await expect.poll(() => coordinatorMeeting.resultRows().first().locator('td').first().textContent()).toBe('2');
    await coordinatorPage.getByText('Answers by person (2)', { exact: true }).waitFor();
    // Mexico's page followed too, with her unsaved choice still there.
    await expect.poll(() => mexicoMeeting.resultRows().first().locator('td').first().textContent()).toBe('2');
    await mexicoPage.getByText('Answers by person (2)', { exact: true }).waitFor();
    expect(await mexicoPage.getByRole('group', { name: MEETINGS_UI.option(2), exact: true }).getByRole('radio', { name: 'If need be', exact: true }).isChecked()).toBe(true);
    await mexicoPage.getByText('Not saved yet.').waitFor();
    const reloads = { mexico: 0, trinidad: 0 };
    mexicoPage.on('load', () => (reloads.mexico += 1));
    trinidadPage.on('load', () => (reloads.trinidad += 1));
    await coordinatorMeeting.chooseBestSlot();

    // Each member sees the meeting scheduled, at the local time of their own zone, without reloading.
    const chosen = slots[0]!;
    for (const [meeting, zone] of [
      [mexicoMeeting, MEXICO_CITY],
      [trinidadMeeting, PORT_OF_SPAIN],
      [coordinatorMeeting, BUENOS_AIRES],
    ] as const) {
      await expect.poll(() => meeting.localStart().textContent(), { timeout: 10_000 }).toBe(chosen.start.setZone(zone).toFormat('HH:mm'));
      expect(await meeting.localEnd().textContent()).toBe(chosen.end.setZone(zone).toFormat('HH:mm'));
    }
    // And the capitals' row gives every invited country its own clock.
    const capitals = (await mexicoMeeting.capitals().allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    // A capital whose date differs from the reader's says which day it is there ("00:12 Port of Spain (Sun, Dec 6)").
    const clockIn = (zone: string, city: string) => {
      const local = chosen.start.setZone(zone);
      const sameDay = local.toISODate() === chosen.start.setZone(MEXICO_CITY).toISODate();
      return sameDay ? `${local.toFormat('HH:mm')} ${city}` : `${local.toFormat('HH:mm')} ${city} (${local.setLocale('en').toFormat('EEE, MMM d')})`;
    };
    expect(capitals).toContain(clockIn(MEXICO_CITY, 'Mexico City'));
    expect(capitals).toContain(clockIn(PORT_OF_SPAIN, 'Port of Spain'));

    // The room is open (the start is minutes away): all three are there, each seen by the others.
    for (const meeting of [coordinatorMeeting, mexicoMeeting, trinidadMeeting]) {
      await meeting.room().getByRole('heading', { name: 'Live room', exact: true }).waitFor();
    }
    for (const meeting of [coordinatorMeeting, mexicoMeeting, trinidadMeeting]) {
      await expect.poll(async () => (await meeting.presentPeople().allTextContents()).join(' | ')).toMatch(new RegExp(`${mexico.displayName}.*${trinidad.displayName}|${trinidad.displayName}.*${mexico.displayName}`));
    }

    // A chat message reaches everyone, rendered from its Markdown.
    await mexicoMeeting.sendChat(CHAT);
    for (const meeting of [coordinatorMeeting, trinidadMeeting]) {
      await meeting.chatMessages().getByText('Buenos días desde México:').waitFor();
      await meeting.chatMessages().locator('strong', { hasText: 'listos' }).waitFor();
    }

    // Trinidad and Tobago loses the connection: the room says so. Meanwhile the coordinator opens the
    // first agenda item and writes; Mexico sees both at once, Trinidad and Tobago once she is back.
    await trinidadContext.setOffline(true);
    await trinidadMeeting.room().getByText('Connection lost. Reconnecting… Nothing is missed.').waitFor();
    await coordinatorMeeting.room().getByRole('button', { name: MEETINGS_UI.startFirstItem, exact: true }).click();
    await coordinatorMeeting.sendChat('Can everyone hear me?');
    await expect.poll(() => mexicoMeeting.currentAgendaItem().textContent()).toBe(AGENDA[0]);
    await mexicoMeeting.chatMessages().getByText('Can everyone hear me?').waitFor();
    await trinidadContext.setOffline(false);
    await trinidadMeeting.room().getByText('Live', { exact: true }).waitFor();
    await expect.poll(() => trinidadMeeting.currentAgendaItem().textContent()).toBe(AGENDA[0]);
    await trinidadMeeting.chatMessages().getByText('Can everyone hear me?').waitFor();

    // The coordinator moves on through the agenda; both members see it move.
    await coordinatorMeeting.room().getByRole('button', { name: MEETINGS_UI.nextItem, exact: true }).click();
    for (const meeting of [mexicoMeeting, trinidadMeeting]) await expect.poll(() => meeting.currentAgendaItem().textContent()).toBe(AGENDA[1]);

    // The coordinator writes the minutes (saved as she types) and publishes them.
    await coordinatorPage.getByRole('link', { name: MEETINGS_UI.writeMinutes, exact: true }).click();
    const minutes = new MinutesPage(coordinatorPage);
    await minutes.heading(`Minutes: ${TITLE}`).waitFor();
    await minutes.writeSection(AGENDA[0]!, { summary: SUMMARY, decisions: DECISIONS });
    await minutes.addActionItem('Send the revised poverty tables', 'Mexico');
    await expect.poll(() => minutes.saveState().textContent(), { timeout: 10_000 }).toMatch(/^Draft saved/);
    await minutes.publish();
    await minutes.published().getByText(SUMMARY).waitFor();

    // Both members, still on the meeting page, are offered the published minutes and read them.
    for (const [page, meeting] of [
      [mexicoPage, mexicoMeeting],
      [trinidadPage, trinidadMeeting],
    ] as const) {
      await page.getByRole('link', { name: MEETINGS_UI.readMinutes, exact: true }).click();
      const read = new MinutesPage(page);
      await read.published().getByText(SUMMARY).waitFor();
      await read.published().getByText(DECISIONS).waitFor();
      await read.published().getByText('Send the revised poverty tables').waitFor();
      void meeting;
    }
    expect(reloads).toEqual({ mexico: 0, trinidad: 0 });
    expect(h.problems).toEqual([]);
  }, 180_000);
});
