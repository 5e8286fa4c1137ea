import { msg } from '@lit/localize';
import { DateTime } from 'luxon';
import { addDays, instantOf, isKnownZone, wallClock } from './meeting-time.js';
import type { LinkedItem } from '../../ui/link-picker/link-picker.js';
import type { MeetingDetail, MeetingKind, MonthlyWeek, NewMeetingBody, Poll } from './models.js';

/**
 * What the meeting form holds, as typed: dates and times are wall-clock values in the meeting's
 * own zone (`timeZone`), turned into UTC instants only when sent, through the time-zone
 * database. Kept whole in localStorage while unsaved.
 */
export interface AgendaRow {
  key: number;
  id?: string;
  title: string;
  presenter: string;
  minutes: string;
}

export interface SlotRow {
  key: number;
  date: string;
  start: string;
  end: string;
}

export interface MeetingFormState {
  title: string;
  kind: MeetingKind;
  description: string;
  timeZone: string;
  schedule: 'fixed' | 'poll';
  date: string;
  start: string;
  end: string;
  /** In-person meetings may last several days. */
  endDate: string;
  repeat: 'none' | 'weekly' | 'monthly';
  interval: string;
  count: string;
  monthlyWeek: string;
  slots: SlotRow[];
  deadlineDate: string;
  deadlineTime: string;
  onlineUrl: string;
  accessNotes: string;
  everyone: boolean;
  countryIds: string[];
  organizationIds: string[];
  personIds: string[];
  agenda: AgendaRow[];
  threads: LinkedItem[];
  documents: LinkedItem[];
}

let keys = 0;
export const nextKey = () => ++keys;

export function emptyForm(timeZone: string, kind: MeetingKind): MeetingFormState {
  return {
    title: '',
    kind,
    description: '',
    timeZone,
    schedule: 'fixed',
    date: '',
    start: '10:00',
    end: '11:30',
    endDate: '',
    repeat: 'none',
    interval: '1',
    count: '6',
    monthlyWeek: '',
    slots: [
      { key: nextKey(), date: '', start: '10:00', end: '11:30' },
      { key: nextKey(), date: '', start: '10:00', end: '11:30' },
    ],
    deadlineDate: '',
    deadlineTime: '18:00',
    onlineUrl: '',
    accessNotes: '',
    everyone: true,
    countryIds: [],
    organizationIds: [],
    personIds: [],
    agenda: [],
    threads: [],
    documents: [],
  };
}

/** The form filled from a meeting (and its poll while it is still choosing a date). */
export function formFromMeeting(meeting: MeetingDetail, poll: Poll | null): MeetingFormState {
  const zone = meeting.timeZone;
  const base = emptyForm(zone, meeting.kind);
  const start = meeting.startsAt ? wallClock(meeting.startsAt, zone) : null;
  const end = meeting.endsAt ? wallClock(meeting.endsAt, zone) : null;
  const slots = poll
    ? [...poll.slots]
        .sort((a, b) => a.position - b.position)
        .map((slot) => {
          const s = wallClock(slot.startsAt, zone);
          return { key: nextKey(), date: s.date, start: s.time, end: wallClock(slot.endsAt, zone).time };
        })
    : base.slots;
  const deadline = poll?.deadline ? wallClock(poll.deadline, zone) : null;
  return {
    ...base,
    title: meeting.title,
    description: meeting.description ?? '',
    schedule: meeting.status === 'polling' ? 'poll' : 'fixed',
    date: start?.date ?? '',
    start: start?.time ?? base.start,
    end: end?.time ?? base.end,
    endDate: end && start && end.date !== start.date ? end.date : '',
    repeat: meeting.recurrence?.frequency ?? 'none',
    interval: String(meeting.recurrence?.interval ?? 1),
    count: String(meeting.recurrence?.count ?? 6),
    monthlyWeek: meeting.recurrence?.monthlyWeek != null ? String(meeting.recurrence.monthlyWeek) : '',
    slots,
    deadlineDate: deadline?.date ?? '',
    deadlineTime: deadline?.time ?? base.deadlineTime,
    onlineUrl: meeting.onlineUrl ?? '',
    accessNotes: meeting.accessNotes,
    everyone: meeting.invitees.everyone,
    countryIds: [...meeting.invitees.countryIds],
    organizationIds: [...meeting.invitees.organizationIds],
    personIds: [...meeting.invitees.personIds],
    agenda: meeting.agenda.map((item) => ({ key: nextKey(), id: item.id, title: item.title, presenter: item.presenter, minutes: item.minutes ? String(item.minutes) : '' })),
    threads: meeting.threads.map((thread) => ({ id: thread.id, title: thread.title })),
    documents: meeting.documents.map((document) => ({ id: document.id, title: document.title.es || document.title.en })),
  };
}

/** A stored draft, checked field by field (an old or damaged one falls back to `fallback`). */
export function parseDraft(raw: string, fallback: MeetingFormState): MeetingFormState | null {
  if (!raw) return null;
  try {
    const stored = JSON.parse(raw) as Partial<MeetingFormState>;
    const merged = { ...fallback, ...stored } as MeetingFormState;
    if (!Array.isArray(merged.slots) || !Array.isArray(merged.agenda) || !Array.isArray(merged.countryIds)) return null;
    merged.slots = merged.slots.map((slot) => ({ ...slot, key: nextKey() }));
    merged.agenda = merged.agenda.map((item) => ({ ...item, key: nextKey() }));
    return merged;
  } catch {
    return null;
  }
}

/** 1–4 for the n-th weekday of its month, and whether it is also the last one. */
export function weekOfMonth(date: string): { week: number; last: boolean } | null {
  const day = DateTime.fromISO(date, { zone: 'utc' });
  if (!day.isValid) return null;
  return { week: Math.ceil(day.day / 7), last: day.day + 7 > day.daysInMonth! };
}

export type FormErrors = Record<string, string>;

/** The instant range of a date and two wall-clock times; an end before the start is the next day. */
function range(date: string, start: string, end: string, zone: string, endDate = ''): { startsAt: string; endsAt: string } | { problem: string } {
  const from = instantOf(date, start, zone);
  if ('problem' in from) return { problem: from.problem };
  let to = instantOf(endDate || date, end, zone);
  if ('problem' in to) return { problem: to.problem };
  if (!endDate && to.iso <= from.iso) {
    to = instantOf(addDays(date, 1), end, zone);
    if ('problem' in to) return { problem: to.problem };
  }
  return { startsAt: from.iso, endsAt: to.iso };
}

function timeProblem(problem: string): string {
  return problem === 'nonexistent'
    ? msg('This time does not exist in the chosen time zone: the clocks skip it that day. Choose another time.')
    : msg('Enter a date and a time.');
}

const MAX_HOURS = (kind: MeetingKind) => (kind === 'in_person_meeting' ? 24 * 7 : 24);

/**
 * The body for POST /meetings (or the fields of a PATCH) from the form, or the problems by
 * field. `editing` leaves the poll out: a poll is changed through its own route.
 */
export function bodyFromForm(state: MeetingFormState, options: { editing: boolean }): { body: NewMeetingBody; poll: NewMeetingBody['poll'] | null } | { errors: FormErrors } {
  const errors: FormErrors = {};
  const zone = state.timeZone;
  if (!state.title.trim()) errors.title = msg('Give the meeting a title.');
  if (!isKnownZone(zone)) errors.timeZone = msg('Choose a time zone from the list.');

  let times: { startsAt: string; endsAt: string } | null = null;
  let poll: NewMeetingBody['poll'] | null = null;
  if (state.schedule === 'fixed') {
    if (!state.date) errors.date = msg('Choose the date.');
    else if (!errors.timeZone) {
      const result = range(state.date, state.start, state.end, zone, state.kind === 'in_person_meeting' ? state.endDate : '');
      if ('problem' in result) errors.start = timeProblem(result.problem);
      else if (result.endsAt <= result.startsAt) errors.end = msg('The end must come after the start.');
      else if (new Date(result.endsAt).getTime() - new Date(result.startsAt).getTime() > MAX_HOURS(state.kind) * 3_600_000)
        errors.end = state.kind === 'in_person_meeting' ? msg('A meeting lasts at most 7 days.') : msg('A meeting lasts at most 24 hours.');
      else times = result;
    }
  } else {
    const slots: Array<{ startsAt: string; endsAt: string }> = [];
    state.slots.forEach((slot) => {
      if (!slot.date) {
        errors[`slot-${slot.key}`] = msg('Choose the date.');
        return;
      }
      const result = range(slot.date, slot.start, slot.end, zone);
      if ('problem' in result) errors[`slot-${slot.key}`] = timeProblem(result.problem);
      else if (new Date(result.endsAt).getTime() - new Date(result.startsAt).getTime() > 24 * 3_600_000) errors[`slot-${slot.key}`] = msg('A meeting lasts at most 24 hours.');
      else slots.push(result);
    });
    if (state.slots.length < 2) errors.slots = msg('Propose at least two times.');
    const unique = new Set(slots.map((slot) => `${slot.startsAt}/${slot.endsAt}`));
    if (unique.size < slots.length) errors.slots = msg('Two proposed times are the same.');
    let deadline: string | null = null;
    if (state.deadlineDate) {
      const instant = instantOf(state.deadlineDate, state.deadlineTime || '23:59', zone);
      if ('problem' in instant) errors.deadline = timeProblem(instant.problem);
      else if (new Date(instant.iso).getTime() <= Date.now()) errors.deadline = msg('The deadline must be in the future.');
      else deadline = instant.iso;
    }
    poll = { slots, deadline };
  }

  let recurrence: NewMeetingBody['recurrence'] = null;
  if (state.schedule === 'fixed' && state.repeat !== 'none') {
    const count = Number(state.count);
    const interval = Number(state.interval);
    if (!Number.isInteger(count) || count < 2 || count > 100) errors.count = msg('Between 2 and 100 occurrences.');
    if (!Number.isInteger(interval) || interval < 1 || interval > 12) errors.interval = msg('Between 1 and 12.');
    if (state.repeat === 'monthly') {
      const week = Number(state.monthlyWeek) as MonthlyWeek;
      if (![1, 2, 3, 4, -1].includes(week)) errors.monthlyWeek = msg('Choose which weekday of the month.');
      recurrence = { frequency: 'monthly', interval, count, monthlyWeek: week };
    } else {
      recurrence = { frequency: 'weekly', interval, count };
    }
  }

  const onlineUrl = state.onlineUrl.trim();
  if (onlineUrl) {
    let ok = false;
    try {
      const url = new URL(onlineUrl);
      ok = url.protocol === 'https:' && Boolean(url.hostname);
    } catch {
      ok = false;
    }
    if (!ok) errors.onlineUrl = msg('Enter the full https:// address of the call (Jitsi, Zoom, Teams…).');
  }

  if (!state.everyone && state.countryIds.length + state.organizationIds.length + state.personIds.length === 0) {
    errors.invitees = msg('Choose who is invited: everyone, or at least one country, organization or person.');
  }

  const agenda = state.agenda
    .filter((item) => item.title.trim() || item.presenter.trim() || item.minutes.trim())
    .map((item) => {
      const minutes = item.minutes.trim() ? Number(item.minutes) : 0;
      if (!item.title.trim()) errors[`agenda-${item.key}`] = msg('Give the item a title.');
      else if (!Number.isInteger(minutes) || minutes < 0 || minutes > 600) errors[`agenda-${item.key}`] = msg('Minutes: a whole number from 0 to 600.');
      return { ...(item.id ? { id: item.id } : {}), title: item.title.trim(), presenter: item.presenter.trim(), minutes };
    });

  if (Object.keys(errors).length > 0) return { errors };

  const body: NewMeetingBody = {
    title: state.title.trim(),
    kind: state.kind,
    description: state.description,
    agenda,
    timeZone: zone,
    onlineUrl: onlineUrl || null,
    accessNotes: state.accessNotes.trim(),
    invitees: state.everyone
      ? { everyone: true }
      : { everyone: false, countryIds: state.countryIds, organizationIds: state.organizationIds, personIds: state.personIds },
    threadIds: state.threads.map((thread) => thread.id),
    documentIds: state.documents.map((document) => document.id),
  };
  if (times) {
    body.startsAt = times.startsAt;
    body.endsAt = times.endsAt;
    body.recurrence = recurrence;
  }
  if (poll && !options.editing) body.poll = { slots: poll.slots, ...(poll.deadline ? { deadline: poll.deadline } : {}) };
  return { body, poll };
}
