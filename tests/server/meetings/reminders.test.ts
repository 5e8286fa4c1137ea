import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINE, type TestApp } from '../../helper.js';
import { databaseForThisFile } from '../../support/postgres.js';
import { api, buildMeetingsApp, createMeeting, notificationsOf, populateMeetings, TestClock, type MeetingPeople, type Participant } from './support.js';

/**
 * Reminders 24 h and 1 h before a meeting, driven by the scheduler with the test's clock: each
 * sent once, also when the app is closed and built again on the same database (a restart), and
 * when it was down at the time (sent on start if the meeting has not begun, skipped if it has).
 */

const HOUR = 60 * 60_000;
const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-reminders-'));
const clock = new TestClock(Date.parse('2026-06-01T12:00:00.000Z'));
let t: TestApp;
let people: MeetingPeople;
/** On PostgreSQL, the one database every build of the app uses (a restart keeps its database as it keeps its folder). */
let database: { url: string; close(): Promise<void> } | null = null;
const build = () => buildMeetingsApp(clock, dataDir, database?.url);

/** A restart: the app closed and built again on the same folder, as the server process would be. */
async function restart() {
  await t.app.close();
  t = await build();
  // People's sessions live in the database, so the same cookies work after the restart.
}

beforeAll(async () => {
  if (TEST_ENGINE === 'postgres') database = await databaseForThisFile();
  t = await build();
  people = await populateMeetings(t.app);
});
afterAll(async () => {
  await t.app.close();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function reminders(who: Participant, meetingId: string) {
  await t.app.notifications.settled();
  return (await notificationsOf(t.app, who)).filter((notification) => notification.kind === 'meeting_reminder' && notification.subject.id === meetingId).map((notification) => notification.details.reminder);
}

/** Moves the clock and lets the scheduler run what fell due. */
async function at(instant: number) {
  clock.set(instant);
  await t.app.scheduler.runDue();
}

describe('meeting reminders', () => {
  it('sends the 24 h and the 1 h reminder once each, to the invited who have not opted out or declined', async () => {
    const start = Date.parse('2026-06-03T14:00:00.000Z');
    const meeting = await createMeeting(t.app, people.coordinator, { startsAt: new Date(start).toISOString(), endsAt: new Date(start + HOUR).toISOString(), invitees: { everyone: false, countryIds: ['cl', 'mx', 'ar'] } });
    expect((await api(t.app, people.argentina, 'PUT', '/meetings/preferences', { reminders: false })).json()).toEqual({ preferences: { reminders: false } });
    expect((await api(t.app, people.otherMember, 'PUT', `/meetings/${meeting.id}/attendance`, { answer: 'not_going', note: 'De viaje' })).statusCode).toBe(200);

    await at(start - 25 * HOUR);
    expect(await reminders(people.member, meeting.id)).toEqual([]);
    await at(start - 24 * HOUR);
    expect(await reminders(people.member, meeting.id)).toEqual(['24h']);
    // Running again, and later, sends nothing more.
    await at(start - 23 * HOUR);
    await t.app.scheduler.runDue();
    expect(await reminders(people.member, meeting.id)).toEqual(['24h']);
    await at(start - HOUR + 1000);
    expect(await reminders(people.member, meeting.id)).toEqual(['1h', '24h']);
    await at(start + 10 * HOUR);
    expect(await reminders(people.member, meeting.id)).toEqual(['1h', '24h']);
    // The organizer is invited too; the opted-out and the one not going got nothing; nor did someone not invited.
    expect(await reminders(people.coordinator, meeting.id)).toEqual(['1h', '24h']);
    expect(await reminders(people.argentina, meeting.id)).toEqual([]);
    expect(await reminders(people.otherMember, meeting.id)).toEqual([]);
    expect(await reminders(people.trinidad, meeting.id)).toEqual([]);
    const jobs = await t.app.scheduler.jobsOf(`meeting:${meeting.id}`);
    expect(jobs.map((job) => [job.key.split(':').pop(), job.outcome])).toEqual([
      ['24h', 'done'],
      ['1h', 'done'],
    ]);
    await api(t.app, people.argentina, 'PUT', '/meetings/preferences', { reminders: true });
  });

  it('sends each reminder once across a restart', async () => {
    clock.set('2026-07-01T12:00:00.000Z');
    const start = Date.parse('2026-07-03T14:00:00.000Z');
    const meeting = await createMeeting(t.app, people.coordinator, { startsAt: new Date(start).toISOString(), endsAt: new Date(start + HOUR).toISOString() });
    await at(start - 24 * HOUR + 60_000);
    expect(await reminders(people.member, meeting.id)).toEqual(['24h']);
    await restart();
    await t.app.scheduler.runDue();
    expect(await reminders(people.member, meeting.id)).toEqual(['24h']);
    await at(start - 30 * 60_000);
    expect(await reminders(people.member, meeting.id)).toEqual(['1h', '24h']);
    await restart();
    await at(start - 10 * 60_000);
    expect(await reminders(people.member, meeting.id)).toEqual(['1h', '24h']);
  });

  it('after downtime, sends on start the reminder that fell due while the meeting has not begun', async () => {
    clock.set('2026-08-01T12:00:00.000Z');
    const start = Date.parse('2026-08-05T14:00:00.000Z');
    const meeting = await createMeeting(t.app, people.coordinator, { startsAt: new Date(start).toISOString(), endsAt: new Date(start + HOUR).toISOString() });
    // Down from before the 24 h reminder until 20 h before the start.
    await t.app.close();
    clock.set(start - 20 * HOUR);
    t = await build();
    // The scheduler starts on ready; wait for its first pass rather than trigger it.
    await t.app.scheduler.runDue();
    expect(await reminders(people.member, meeting.id)).toEqual(['24h']);
    // Down again across the 1 h reminder, up 20 minutes before the start: it is sent then.
    await t.app.close();
    clock.set(start - 20 * 60_000);
    t = await build();
    await t.app.scheduler.runDue();
    expect(await reminders(people.member, meeting.id)).toEqual(['1h', '24h']);
  });

  it('after downtime past both reminder times, sends only the 1 h one; past the start, none', async () => {
    clock.set('2026-09-01T12:00:00.000Z');
    const times = ['2026-09-04T14:00:00.000Z', '2026-09-04T15:30:00.000Z', '2026-09-04T18:00:00.000Z'].map(Date.parse);
    const [begun, soon, later] = await Promise.all(times.map((start) => createMeeting(t.app, people.coordinator, { startsAt: new Date(start).toISOString(), endsAt: new Date(start + HOUR).toISOString() })));
    await t.app.close();
    // Back at 15:00: the first began an hour ago, the second starts in half an hour, the third in three hours.
    clock.set(Date.parse('2026-09-04T15:00:00.000Z'));
    t = await build();
    await t.app.scheduler.runDue();
    const outcomes = async (id: string) => (await t.app.scheduler.jobsOf(`meeting:${id}`)).map((job) => [job.key.split(':').pop(), job.outcome]);
    expect(await reminders(people.member, begun!.id)).toEqual([]);
    expect(await outcomes(begun!.id)).toEqual([['24h', 'skipped'], ['1h', 'skipped']]);
    expect(await reminders(people.member, soon!.id)).toEqual(['1h']);
    expect(await outcomes(soon!.id)).toEqual([['24h', 'skipped'], ['1h', 'done']]);
    expect(await reminders(people.member, later!.id)).toEqual(['24h']);
    expect(await outcomes(later!.id)).toEqual([['24h', 'done'], ['1h', null]]);
    await at(times[2]! - HOUR);
    expect(await reminders(people.member, later!.id)).toEqual(['1h', '24h']);
  });

  it('follows a meeting moved to another time, and sends nothing for a cancelled one', async () => {
    clock.set('2026-10-01T12:00:00.000Z');
    const start = Date.parse('2026-10-05T14:00:00.000Z');
    const moved = await createMeeting(t.app, people.coordinator, { startsAt: new Date(start).toISOString(), endsAt: new Date(start + HOUR).toISOString() });
    const cancelled = await createMeeting(t.app, people.coordinator, { startsAt: new Date(start).toISOString(), endsAt: new Date(start + HOUR).toISOString() });
    const newStart = start + 48 * HOUR;
    expect((await api(t.app, people.coordinator, 'PATCH', `/meetings/${moved.id}`, { startsAt: new Date(newStart).toISOString(), endsAt: new Date(newStart + HOUR).toISOString() })).statusCode).toBe(200);
    expect((await api(t.app, people.coordinator, 'POST', `/meetings/${cancelled.id}/cancel`, {})).statusCode).toBe(200);
    await at(start - HOUR);
    expect(await reminders(people.member, moved.id)).toEqual([]);
    expect(await reminders(people.member, cancelled.id)).toEqual([]);
    await at(newStart - 24 * HOUR);
    await at(newStart - HOUR);
    const got = (await notificationsOf(t.app, people.member)).filter((n) => n.kind === 'meeting_reminder' && n.subject.id === moved.id);
    expect(got.map((n) => [n.details.reminder, n.details.startsAt])).toEqual([
      ['1h', new Date(newStart).toISOString()],
      ['24h', new Date(newStart).toISOString()],
    ]);
  });

  it('reminds of each occurrence of a series, skipping a cancelled one', async () => {
    clock.set('2026-11-01T12:00:00.000Z');
    const meeting = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Santiago',
      startsAt: '2026-11-03T13:00:00.000Z',
      endsAt: '2026-11-03T14:00:00.000Z',
      recurrence: { frequency: 'weekly', count: 6 },
    });
    const ids = meeting.occurrences.map((occurrence) => occurrence.id);
    expect((await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}/occurrences/${ids[1]}`, { state: 'cancelled' })).statusCode).toBe(200);
    for (const occurrence of meeting.occurrences) await at(Date.parse(occurrence.startsAt) - HOUR + 1000);
    const got = (await notificationsOf(t.app, people.member)).filter((n) => n.kind === 'meeting_reminder' && n.subject.id === meeting.id && n.details.reminder === '1h');
    expect(got.map((n) => n.details.occurrenceId).sort()).toEqual([ids[0], ids[2], ids[3], ids[4], ids[5]].sort());
  });
});
