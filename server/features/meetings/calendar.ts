import ical, { ICalCalendarMethod, ICalEventRepeatingFreq, ICalEventStatus, ICalWeekday, type ICalCalendar } from 'ical-generator';
import { DateTime } from 'luxon';
import { LRUCache } from 'lru-cache';
import { rruleOf, type Occurrence } from './occurrences.js';
import type { AgendaItemRow, MeetingRow } from './repository.js';

/**
 * iCalendar (RFC 5545) for one meeting or a person's feed, through ical-generator. A single
 * meeting's times are UTC; a series is written in the organizer's zone (DTSTART;TZID) with its
 * RRULE, so that calendar programs expand it keeping the wall-clock time across daylight-saving
 * changes, EXDATE for cancelled occurrences and a RECURRENCE-ID entry for each moved one.
 */

export interface CalendarEntry {
  meeting: MeetingRow;
  agenda: AgendaItemRow[];
  occurrences: Occurrence[];
  pageUrl: string;
}

const HOUR_MS = 60 * 60_000;
const YEAR_MS = 366 * 24 * HOUR_MS;

/** The description a calendar entry carries: agenda, description text, access notes, the page. */
export function calendarDescription(entry: Pick<CalendarEntry, 'meeting' | 'agenda' | 'pageUrl'>): string {
  const { meeting, agenda } = entry;
  const lines: string[] = [];
  if (agenda.length > 0) {
    lines.push('Agenda:');
    agenda.forEach((item, i) => {
      const who = item.presenter ? ` (${item.presenter})` : '';
      const length = item.minutes > 0 ? ` – ${item.minutes} min` : '';
      lines.push(`${i + 1}. ${item.title}${who}${length}`);
    });
    lines.push('');
  }
  if (meeting.descriptionText) lines.push(meeting.descriptionText, '');
  if (meeting.onlineUrl) lines.push(meeting.onlineUrl);
  if (meeting.accessNotes) lines.push(meeting.accessNotes);
  lines.push(entry.pageUrl);
  return lines.join('\n');
}

const WEEKDAYS: ICalWeekday[] = [ICalWeekday.MO, ICalWeekday.TU, ICalWeekday.WE, ICalWeekday.TH, ICalWeekday.FR, ICalWeekday.SA, ICalWeekday.SU];

export function newCalendar(name: string | null, publicUrl: string, zonesRange: { from: number; to: number }): ICalCalendar {
  const calendar = ical({
    name,
    prodId: { company: 'Concilia', product: 'Meetings', language: 'ES' },
    method: ICalCalendarMethod.PUBLISH,
    url: publicUrl,
    timezone: { name: null, generator: (zone) => vtimezone(zone, zonesRange.from - YEAR_MS, zonesRange.to + YEAR_MS) },
  });
  return calendar;
}

/** Adds a meeting's events: one VEVENT, plus one per moved occurrence of a series. */
export function addMeeting(calendar: ICalCalendar, entry: CalendarEntry, uidHost: string, now: Date): void {
  const { meeting, occurrences } = entry;
  if (meeting.startsAt === null || meeting.endsAt === null) return;
  const uid = `${meeting.id}@${uidHost}`;
  const common = {
    id: uid,
    sequence: meeting.sequence,
    stamp: now,
    summary: meeting.title,
    description: calendarDescription(entry),
    location: meeting.onlineUrl ?? (meeting.accessNotes || null),
    url: entry.pageUrl,
    created: new Date(meeting.createdAt),
    lastModified: new Date(meeting.updatedAt),
  };
  const cancelled = meeting.status === 'cancelled';
  if (!meeting.recurrence) {
    calendar.createEvent({ ...common, start: new Date(meeting.startsAt), end: new Date(meeting.endsAt), status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED });
    return;
  }
  const zone = meeting.timeZone;
  const local = (ms: number) => DateTime.fromMillis(ms, { zone });
  const first = local(meeting.startsAt);
  const excluded = occurrences.filter((occurrence) => occurrence.state === 'cancelled').map((occurrence) => local(occurrence.originalStartsAt));
  calendar.createEvent({
    ...common,
    timezone: zone,
    start: first,
    end: local(meeting.endsAt),
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    repeating: {
      freq: meeting.recurrence.frequency === 'weekly' ? ICalEventRepeatingFreq.WEEKLY : ICalEventRepeatingFreq.MONTHLY,
      count: meeting.recurrence.count,
      ...(meeting.recurrence.interval > 1 ? { interval: meeting.recurrence.interval } : {}),
      ...(meeting.recurrence.frequency === 'monthly' ? { byDay: [WEEKDAYS[first.weekday - 1]!], bySetPos: [meeting.recurrence.monthlyWeek ?? 1] } : {}),
      ...(excluded.length > 0 ? { exclude: excluded } : {}),
    },
  });
  for (const occurrence of occurrences) {
    if (occurrence.state !== 'moved') continue;
    calendar.createEvent({
      ...common,
      timezone: zone,
      recurrenceId: local(occurrence.originalStartsAt),
      start: local(occurrence.startsAt),
      end: local(occurrence.endsAt),
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
}

// ------------------------------------------------------------------ VTIMEZONE

const basic = (dt: DateTime) => dt.toFormat("yyyyLLdd'T'HHmmss");
const offsetText = (minutes: number) => {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
};
const offsetAt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset;

/** The instants in [from, to) at which the zone's UTC offset changes, found from the platform's tz database. */
function transitions(zone: string, from: number, to: number): number[] {
  const STEP = 6 * HOUR_MS;
  const found: number[] = [];
  let before = offsetAt(from, zone);
  for (let t = from; t < to; t += STEP) {
    const after = offsetAt(t + STEP, zone);
    if (after === before) continue;
    // Bisect to the second: the last instant with the old offset, and the first with the new.
    let lo = t;
    let hi = t + STEP;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (offsetAt(mid, zone) === before) lo = mid;
      else hi = mid;
    }
    found.push(hi);
    before = after;
  }
  return found;
}

const vtimezones = new LRUCache<string, string>({ max: 200 });

/**
 * The VTIMEZONE of a zone over a span of time: each offset change in it as its own observance,
 * taken from the same tz database as the times themselves. The libraries that ship VTIMEZONE
 * blocks encode each zone as one yearly rule of some past year, which is wrong for Mexico since
 * 2022 and for some years of Chile's rule: calendars that trust the file would shift meetings.
 */
export function vtimezone(zone: string, from: number, to: number): string {
  const fromYear = DateTime.fromMillis(from, { zone: 'utc' }).startOf('year');
  const toYear = DateTime.fromMillis(to, { zone: 'utc' }).endOf('year');
  const key = `${zone} ${fromYear.year} ${toYear.year}`;
  const cached = vtimezones.get(key);
  if (cached) return cached;
  const start = fromYear.toMillis();
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const observance = (at: number, offsetFrom: number, offsetTo: number) => {
    const after = DateTime.fromMillis(at, { zone });
    const type = after.isInDST ? 'DAYLIGHT' : 'STANDARD';
    // An observance starts at the local time of the offset it leaves.
    const onset = DateTime.fromMillis(at, { zone: 'utc' }).plus({ minutes: offsetFrom });
    lines.push(`BEGIN:${type}`, `DTSTART:${basic(onset)}`, `TZOFFSETFROM:${offsetText(offsetFrom)}`, `TZOFFSETTO:${offsetText(offsetTo)}`, `TZNAME:${after.toFormat('ZZZZ')}`, `END:${type}`);
  };
  const initial = offsetAt(start, zone);
  observance(start, initial, initial);
  let previous = initial;
  for (const at of transitions(zone, start, toYear.toMillis())) {
    const next = offsetAt(at, zone);
    observance(at, previous, next);
    previous = next;
  }
  lines.push('END:VTIMEZONE');
  const text = lines.join('\r\n');
  vtimezones.set(key, text);
  return text;
}

// ------------------------------------------------------------------ "add to calendar" links

const googleTime = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** Links that open Google Calendar's and Outlook's "new event" forms filled in with this occurrence. */
export function calendarLinks(entry: CalendarEntry, occurrence: Occurrence) {
  const { meeting } = entry;
  const details = calendarDescription(entry);
  const location = meeting.onlineUrl ?? meeting.accessNotes;
  const google = new URL('https://calendar.google.com/calendar/render');
  google.searchParams.set('action', 'TEMPLATE');
  google.searchParams.set('text', meeting.title);
  google.searchParams.set('dates', `${googleTime(occurrence.startsAt)}/${googleTime(occurrence.endsAt)}`);
  google.searchParams.set('details', details);
  if (location) google.searchParams.set('location', location);
  google.searchParams.set('ctz', meeting.timeZone);
  // The whole series from its first occurrence; a moved or cancelled one is not expressible here.
  if (meeting.recurrence && meeting.startsAt !== null && occurrence.originalStartsAt === meeting.startsAt) {
    google.searchParams.set('recur', `RRULE:${rruleOf(meeting.startsAt, meeting.timeZone, meeting.recurrence)}`);
  }
  const outlook = (host: string) => {
    const url = new URL(`https://${host}/calendar/0/deeplink/compose`);
    url.searchParams.set('path', '/calendar/action/compose');
    url.searchParams.set('rru', 'addevent');
    url.searchParams.set('subject', meeting.title);
    url.searchParams.set('startdt', new Date(occurrence.startsAt).toISOString());
    url.searchParams.set('enddt', new Date(occurrence.endsAt).toISOString());
    url.searchParams.set('body', details);
    if (location) url.searchParams.set('location', location);
    return url.toString();
  };
  return { google: google.toString(), outlook: outlook('outlook.office.com'), outlookLive: outlook('outlook.live.com') };
}
