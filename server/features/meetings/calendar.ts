import type IcalModule from 'ical.js';
import { DateTime } from 'luxon';
import { plainTextOf } from '../../plugins/markdown/render.js';
import { instantsOf, rruleOf, seriesStarts, seriesWallClocks, weekdayCodeOf, type Occurrence, type WallClock } from './occurrences.js';
import type { AgendaItemRow, MeetingRow } from './repository.js';
import { vtimezone } from './vtimezone.js';

/**
 * iCalendar (RFC 5545) for one meeting or a person's feed, written with ical.js (Thunderbird's
 * iCalendar library), which lets each property carry its own time zone. A single meeting's times
 * are UTC. A series is written in the organizer's zone (DTSTART;TZID) with its RRULE, so calendar
 * programs expand it keeping the wall-clock time across daylight-saving changes, EXDATE for
 * cancelled occurrences, and an exception (RECURRENCE-ID) with exact UTC times for each occurrence
 * that is moved or whose local time a change of clocks repeats or skips: programs read those local
 * times each their own way (ical.js, khal and python-icalendar all differently), an exception's
 * UTC times only one way. The file's bytes depend on the meetings alone (DTSTAMP is the last
 * change, not the hour of the request), so an unchanged calendar keeps its ETag.
 */

type Ical = typeof IcalModule;
type Component = InstanceType<Ical['Component']>;

// Loaded on the first calendar asked for: a quarter of a megabyte of code that most processes,
// and every other request, never need.
let icalModule: Promise<Ical> | undefined;
let icalLoaded: Ical | null = null;
export const loadIcal = () =>
  (icalModule ??= import('ical.js').then((module) => {
    icalLoaded = module.default;
    return module.default;
  }));
/** ical.js if it is loaded by now: mail written inside a commit (synchronous) needs it at hand. */
export const loadedIcal = (): Ical | null => icalLoaded;

export interface CalendarEntry {
  meeting: MeetingRow;
  agenda: AgendaItemRow[];
  occurrences: Occurrence[];
  pageUrl: string;
}

export interface CalendarOptions {
  publicUrl: string;
  /** A feed's name, with which the file also tells subscribers how often to fetch it; null for one meeting's file. */
  feedName: string | null;
}

/** How often a subscribed calendar should fetch the feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
export const FEED_REFRESH_SECONDS = 60 * 60;

/** The description a calendar entry carries: agenda, description text (its paragraphs and lists kept), access notes, the page. */
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
  const description = plainTextOf(meeting.descriptionHtml);
  if (description) lines.push(description, '');
  if (meeting.onlineUrl) lines.push(meeting.onlineUrl);
  if (meeting.accessNotes) lines.push(meeting.accessNotes);
  lines.push(entry.pageUrl);
  return lines.join('\n');
}

/**
 * The ORGANIZER's address: a no-reply mailbox of the forum's own host, not the organizer's. The
 * file leaves the forum (a subscribed feed lives in Google's or Microsoft's calendar, a .ics gets
 * forwarded) and people's addresses should not go with it; and calendar programs offer to mail
 * the organizer, or send iTIP replies there, for an event that is only published (METHOD:PUBLISH,
 * no attendees): answers belong on the meeting page. The CN still names the organizer.
 */
export function organizerAddress(publicUrl: string): string {
  const host = new URL(publicUrl).hostname;
  const domain = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ? `[${host}]` : host.startsWith('[') ? `[IPv6:${host.slice(1, -1)}]` : host;
  return `mailto:no-reply@${domain}`;
}

/** The whole calendar, CRLF line endings including the last line's. */
export async function calendarText(entries: CalendarEntry[], options: CalendarOptions): Promise<string> {
  return calendarWith(await loadIcal(), entries, options);
}

function calendarWith(ICAL: Ical, entries: CalendarEntry[], options: CalendarOptions, invitation?: CalendarInvitation): string {
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('prodid', '-//Concilia//Meetings//ES');
  calendar.addPropertyWithValue('method', invitation?.method ?? 'PUBLISH');
  if (options.feedName !== null) {
    calendar.addPropertyWithValue('name', options.feedName);
    calendar.addPropertyWithValue('x-wr-calname', options.feedName);
    const refresh = new ICAL.Property('refresh-interval');
    refresh.setValue(ICAL.Duration.fromSeconds(FEED_REFRESH_SECONDS));
    calendar.addProperty(refresh);
    calendar.addPropertyWithValue('x-published-ttl', ICAL.Duration.fromSeconds(FEED_REFRESH_SECONDS).toString());
  }
  calendar.addPropertyWithValue('url', options.publicUrl);

  const scheduled = entries.filter((entry) => entry.meeting.startsAt !== null && entry.meeting.endsAt !== null);
  // One VTIMEZONE per zone a series uses, over every occurrence in the file.
  const zones = [...new Set(scheduled.filter((entry) => entry.meeting.recurrence).map((entry) => entry.meeting.timeZone))];
  if (zones.length > 0) {
    const times = scheduled.flatMap((entry) => [entry.meeting.startsAt!, entry.meeting.endsAt!, ...entry.occurrences.flatMap((occurrence) => [occurrence.startsAt, occurrence.endsAt])]);
    const [from, to] = [Math.min(...times), Math.max(...times)];
    for (const zone of zones.sort()) calendar.addSubcomponent(new ICAL.Component(ICAL.parse(vtimezone(zone, from, to))));
  }
  const organizer = invitation?.organizer ?? organizerAddress(options.publicUrl);
  const uidHost = new URL(options.publicUrl).hostname;
  for (const entry of scheduled) {
    let events = meetingEvents(ICAL, entry, uidHost, organizer);
    if (invitation?.cancelledOccurrence) events = [cancelledOccurrenceEvent(ICAL, entry, events[0]!, invitation.cancelledOccurrence)];
    for (const event of events) {
      if (invitation) {
        const attendee = event.addPropertyWithValue('attendee', `mailto:${invitation.attendee.address}`);
        if (invitation.attendee.name) attendee.setParameter('cn', invitation.attendee.name.replace(/[\u0000-\u001f\u007f]/g, ' '));
        attendee.setParameter('role', 'REQ-PARTICIPANT');
        attendee.setParameter('partstat', 'NEEDS-ACTION');
        attendee.setParameter('rsvp', 'TRUE');
      }
      calendar.addSubcomponent(event);
    }
  }
  return `${calendar.toString()}\r\n`;
}

/** An invitation's calendar part (iTIP, RFC 5546): one attendee, the organizer's address being where answers go. */
export interface CalendarInvitation {
  method: 'REQUEST' | 'CANCEL';
  /** mailto: the recipient's reply address when replies by mail are on (their calendar's answer comes back), else the no-reply one. */
  organizer: string;
  attendee: { address: string; name: string };
  /** CANCEL of one occurrence of a series (RECURRENCE-ID), not of the whole meeting. */
  cancelledOccurrence?: Occurrence;
}

/**
 * A meeting's invitation (REQUEST) or cancellation (CANCEL) for one person: the same UID, SEQUENCE
 * and times as the .ics files, with METHOD, ORGANIZER and an ATTENDEE asking for an answer, so
 * Outlook, Gmail and Thunderbird offer their accept buttons. Synchronous with ical.js at hand
 * (loadedIcal): it is written inside the commit that queues the mail.
 */
export function invitationCalendar(ICAL: Ical, entry: CalendarEntry, publicUrl: string, invitation: CalendarInvitation): string {
  return calendarWith(ICAL, [entry], { publicUrl, feedName: null }, invitation);
}

/** The master event turned into the cancellation of one occurrence: RECURRENCE-ID, its own times, STATUS:CANCELLED. */
function cancelledOccurrenceEvent(ICAL: Ical, entry: CalendarEntry, master: Component, occurrence: Occurrence): Component {
  const { meeting } = entry;
  const event = new ICAL.Component(master.toJSON());
  for (const name of ['rrule', 'exdate', 'dtstart', 'dtend', 'duration', 'status']) event.removeAllProperties(name);
  if (meeting.recurrence && meeting.startsAt !== null) {
    const walls = seriesWallClocks(meeting.startsAt, meeting.timeZone, meeting.recurrence);
    const index = seriesStarts(meeting.startsAt, meeting.timeZone, meeting.recurrence).indexOf(occurrence.originalStartsAt);
    const wall = walls[index];
    if (wall) {
      const property = new ICAL.Property('recurrence-id');
      property.setParameter('tzid', meeting.timeZone);
      property.setValue(ICAL.Time.fromData({ ...wall, isDate: false }));
      event.addProperty(property);
    }
  }
  event.addPropertyWithValue('dtstart', ICAL.Time.fromJSDate(new Date(occurrence.startsAt), true));
  event.addPropertyWithValue('dtend', ICAL.Time.fromJSDate(new Date(occurrence.endsAt), true));
  event.addPropertyWithValue('status', 'CANCELLED');
  return event;
}

/** A meeting's events: one VEVENT, plus one exception per occurrence of a series that needs exact times. */
function meetingEvents(ICAL: Ical, entry: CalendarEntry, uidHost: string, organizer: string): Component[] {
  const { meeting, occurrences } = entry;
  const utc = (ms: number) => ICAL.Time.fromJSDate(new Date(ms), true);
  const cancelled = meeting.status === 'cancelled';
  const description = calendarDescription(entry);
  const location = meeting.onlineUrl ?? (meeting.accessNotes || null);

  const event = (fill: (component: Component) => void) => {
    const component = new ICAL.Component('vevent');
    component.addPropertyWithValue('uid', `${meeting.id}@${uidHost}`);
    component.addPropertyWithValue('sequence', meeting.sequence);
    component.addPropertyWithValue('dtstamp', utc(meeting.updatedAt));
    fill(component);
    component.addPropertyWithValue('summary', meeting.title);
    if (location) component.addPropertyWithValue('location', location);
    component.addPropertyWithValue('description', description);
    component.addPropertyWithValue('url', entry.pageUrl);
    component.addPropertyWithValue('status', cancelled ? 'CANCELLED' : 'CONFIRMED');
    component.addPropertyWithValue('organizer', organizer).setParameter('cn', meeting.organizerName.replace(/[\u0000-\u001f\u007f]/g, ' '));
    component.addPropertyWithValue('created', utc(meeting.createdAt));
    component.addPropertyWithValue('last-modified', utc(meeting.updatedAt));
    return component;
  };

  const startsAt = meeting.startsAt!;
  const endsAt = meeting.endsAt!;
  if (!meeting.recurrence) {
    return [
      event((component) => {
        component.addPropertyWithValue('dtstart', utc(startsAt));
        component.addPropertyWithValue('dtend', utc(endsAt));
      }),
    ];
  }

  const zone = meeting.timeZone;
  const local = (wall: WallClock) => ICAL.Time.fromData({ ...wall, isDate: false });
  const zoned = (component: Component, name: string, values: WallClock[]) => {
    const property = new ICAL.Property(name);
    property.setParameter('tzid', zone);
    if (values.length === 1) property.setValue(local(values[0]!));
    else property.setValues(values.map(local));
    component.addProperty(property);
  };
  const once = (wall: WallClock) => instantsOf(wall, zone).length === 1;
  const walls = seriesWallClocks(startsAt, zone, meeting.recurrence);
  const wallOf = new Map(seriesStarts(startsAt, zone, meeting.recurrence).map((start, i) => [start, walls[i]!]));
  const end = DateTime.fromMillis(endsAt, { zone });
  const endWall: WallClock = { year: end.year, month: end.month, day: end.day, hour: end.hour, minute: end.minute, second: end.second };

  const master = event((component) => {
    zoned(component, 'dtstart', [walls[0]!]);
    // A DTSTART or DTEND at a repeated local time would give the series whatever length the
    // reader makes of it; DURATION is exact (RFC 5545: hours and minutes are elapsed time).
    if (once(walls[0]!) && once(endWall)) {
      zoned(component, 'dtend', [endWall]);
    } else {
      component.addPropertyWithValue('duration', ICAL.Duration.fromSeconds(Math.round((endsAt - startsAt) / 1000)));
    }
    component.addPropertyWithValue('rrule', ICAL.Recur.fromString(rruleText(startsAt, zone, meeting.recurrence!)));
    const excluded = occurrences.filter((occurrence) => occurrence.state === 'cancelled').map((occurrence) => wallOf.get(occurrence.originalStartsAt)!);
    if (excluded.length > 0) zoned(component, 'exdate', excluded);
  });

  // RECURRENCE-ID names the occurrence by the local time the RRULE gives it, which every reader
  // matches with its own expansion however it reads that time; DTSTART and DTEND are exact.
  const exceptions = occurrences
    .filter((occurrence) => occurrence.state !== 'cancelled')
    .filter((occurrence) => occurrence.state === 'moved' || !once(wallOf.get(occurrence.originalStartsAt)!))
    .map((occurrence) =>
      event((component) => {
        zoned(component, 'recurrence-id', [wallOf.get(occurrence.originalStartsAt)!]);
        component.addPropertyWithValue('dtstart', utc(occurrence.startsAt));
        component.addPropertyWithValue('dtend', utc(occurrence.endsAt));
      }),
    );
  return [master, ...exceptions];
}

/**
 * The series' RRULE as calendar programs read it most widely: a monthly rule as BYDAY with
 * BYSETPOS ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2") rather than rruleOf's "BYDAY=2TU" (Google's form).
 */
function rruleText(startsAt: number, zone: string, recurrence: NonNullable<MeetingRow['recurrence']>): string {
  const parts = [`FREQ=${recurrence.frequency === 'weekly' ? 'WEEKLY' : 'MONTHLY'}`, `COUNT=${recurrence.count}`];
  if (recurrence.interval > 1) parts.push(`INTERVAL=${recurrence.interval}`);
  if (recurrence.frequency === 'monthly') parts.push(`BYDAY=${weekdayCodeOf(startsAt, zone)}`, `BYSETPOS=${recurrence.monthlyWeek ?? 1}`);
  return parts.join(';');
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
