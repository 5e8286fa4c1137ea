import type { DocumentReference } from '../documents/public.js';
import type { ThreadReference } from '../debates/public.js';
import type { Country, Organization } from '../reference/public.js';
import { calendarLinks, type CalendarEntry } from './calendar.js';
import { localHours, occurrencesOf, SINGLE_OCCURRENCE, type Occurrence } from './occurrences.js';
import * as may from './permissions.js';
import type { AgendaItemRow, AttendanceRow, InviteeRow, MeetingRow, Participant, PollAnswerRow, SlotRow } from './repository.js';
import type { AttendanceAnswer, PollAnswer } from './tables.js';

/**
 * The JSON shapes of docs/meetings-api.md, built from stored rows for one viewer (or a neutral one,
 * for live events). Pure: rows in, view out. The rows are read by view-rows.ts.
 */

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export interface ViewContext {
  countries: Map<string, Country>;
  organizations: Map<string, Organization>;
  publicUrl: string;
  /** Where a group's pages start in the client ('' or /g/<slug>: fastify.groups.pathNow). */
  groupPath: (groupId: string) => string;
  now: () => Date;
}

/** What the meeting page shows besides the meeting itself (detailRows reads it). */
export interface DetailRows {
  participants: Participant[];
  /** The viewer's attendance answers, by "<meeting> <occurrence>" (empty for no viewer). */
  myAttendance: Map<string, AttendanceAnswer>;
  /** Whether the viewer has answered the poll. */
  answeredPoll: boolean;
  agenda: AgendaItemRow[];
  /** The linked debate threads of the group, in link order. */
  threads: ThreadReference[];
  /** The linked library documents this viewer may see, in link order. */
  documents: DocumentReference[];
}

/** The poll's answers and slots, and who may answer (pollRows reads them). */
export interface PollRows {
  participants: Participant[];
  answers: PollAnswerRow[];
  slots: SlotRow[];
}

/** One occurrence's attendance answers (attendanceRows reads them). */
export interface AttendanceRows {
  occurrenceId: string;
  participants: Participant[];
  rows: AttendanceRow[];
}

/** Everything about one meeting the views need, read once. */
export interface MeetingState {
  meeting: MeetingRow;
  invitees: InviteeRow[];
  occurrences: Occurrence[];
}

/** Occurrences as lists show them: those of a cancelled meeting are cancelled too. */
export function visibleOccurrences(meeting: MeetingRow, overrides: Parameters<typeof occurrencesOf>[1]): Occurrence[] {
  const all = occurrencesOf(meeting, overrides);
  return meeting.status === 'cancelled' ? all.map((occurrence) => ({ ...occurrence, state: 'cancelled' as const })) : all;
}

export const occurrenceView = (occurrence: Occurrence) => ({
  id: occurrence.id,
  startsAt: iso(occurrence.startsAt),
  endsAt: iso(occurrence.endsAt),
  originalStartsAt: iso(occurrence.originalStartsAt),
  state: occurrence.state,
});

/** The first occurrence not cancelled that has not ended; for a cancelled meeting, the first that has not ended. */
export function nextOccurrence(occurrences: Occurrence[], now: number): Occurrence | null {
  return occurrences.find((occurrence) => occurrence.endsAt > now && occurrence.state !== 'cancelled') ?? occurrences.find((occurrence) => occurrence.endsAt > now) ?? null;
}

export const personRef = (person: Pick<Participant, 'id' | 'displayName' | 'countryId' | 'organizationId'>) => ({
  id: person.id,
  displayName: person.displayName,
  countryId: person.countryId,
  organizationId: person.organizationId,
});

const idsOf = (invitees: InviteeRow[], kind: InviteeRow['kind']) => invitees.filter((invitee) => invitee.kind === kind).map((invitee) => invitee.refId);

/**
 * The countries a meeting invites: for "everyone", each country with an active participant;
 * otherwise the chosen countries and those of the people chosen by name. Sorted by Spanish name.
 */
export function invitedCountryIds(state: MeetingState, participants: Participant[]): string[] {
  const ids = new Set<string>();
  if (state.meeting.inviteEveryone) {
    for (const person of participants) if (person.countryId) ids.add(person.countryId);
  } else {
    for (const id of idsOf(state.invitees, 'country')) ids.add(id);
    const named = new Set(idsOf(state.invitees, 'person'));
    for (const person of participants) if (named.has(person.id) && person.countryId) ids.add(person.countryId);
  }
  return [...ids];
}

export function summaryView(
  context: ViewContext,
  state: MeetingState,
  viewer: may.Viewer | null,
  mine: { attendance: Map<string, AttendanceAnswer>; answeredPoll: boolean },
  occurrence: Occurrence | null,
) {
  const { meeting, invitees } = state;
  const shown = occurrence ?? nextOccurrence(state.occurrences, context.now().getTime());
  const occurrenceId = shown?.id ?? null;
  return {
    id: meeting.id,
    title: meeting.title,
    kind: meeting.kind,
    status: meeting.status,
    startsAt: isoOrNull(meeting.startsAt),
    endsAt: isoOrNull(meeting.endsAt),
    timeZone: meeting.timeZone,
    recurrence: meeting.recurrence,
    organizer: { id: meeting.organizerId, displayName: meeting.organizerName, countryId: meeting.organizerCountryId, organizationId: meeting.organizerOrganizationId },
    invitees: { everyone: meeting.inviteEveryone, countryIds: idsOf(invitees, 'country'), organizationIds: idsOf(invitees, 'organization'), personIds: idsOf(invitees, 'person') },
    sequence: meeting.sequence,
    myAttendance: viewer && occurrenceId ? (mine.attendance.get(`${meeting.id} ${occurrenceId}`) ?? null) : null,
    poll: meeting.pollOpenedAt === null ? null : { deadline: isoOrNull(meeting.pollDeadline), closed: meeting.pollClosedAt !== null, answeredByMe: mine.answeredPoll },
    cancelledAt: isoOrNull(meeting.cancelledAt),
    createdAt: iso(meeting.createdAt),
    updatedAt: iso(meeting.updatedAt),
  };
}

/** The meeting page's address, under its group's (ViewContext.groupPath). */
export const pageUrlOf = (context: Pick<ViewContext, 'publicUrl' | 'groupPath'>, meeting: { id: string; groupId: string }) =>
  `${context.publicUrl}${context.groupPath(meeting.groupId)}/meetings/${encodeURIComponent(meeting.id)}`;

/** The meeting page's data. With a null viewer: the neutral form live events carry. */
export function detailView(context: ViewContext, state: MeetingState, rows: DetailRows, viewer: may.Viewer | null) {
  const { meeting, invitees } = state;
  const now = context.now().getTime();
  const { participants, agenda } = rows;
  const byId = new Map(participants.map((person) => [person.id, person]));
  const mine = { attendance: rows.myAttendance, answeredPoll: rows.answeredPoll };
  const next = nextOccurrence(state.occurrences, now);
  const pageUrl = pageUrlOf(context, meeting);
  const entry: CalendarEntry = { meeting, agenda, occurrences: state.occurrences, pageUrl };
  const manages = viewer !== null && may.mayManage(viewer, meeting);
  return {
    ...summaryView(context, state, viewer, mine, null),
    descriptionHtml: meeting.descriptionHtml,
    description: manages ? meeting.descriptionSource : null,
    agenda: agenda.map((item) => ({ id: item.id, title: item.title, presenter: item.presenter, minutes: item.minutes })),
    onlineUrl: meeting.onlineUrl,
    accessNotes: meeting.accessNotes,
    cancelReason: meeting.cancelReason,
    people: idsOf(invitees, 'person')
      .map((id) => byId.get(id))
      .filter((person): person is Participant => person !== undefined)
      .map(personRef),
    invitedCountries: invitedCountryIds(state, participants)
      .map((id) => context.countries.get(id))
      .filter((country): country is Country => country !== undefined)
      .sort((a, b) => a.nameEs.localeCompare(b.nameEs, 'es'))
      .map((country) => ({ id: country.id, iso2: country.iso2, nameEs: country.nameEs, nameEn: country.nameEn, capitalEs: country.capitalEs, capitalEn: country.capitalEn, timeZone: country.timeZone })),
    invitedOrganizations: idsOf(invitees, 'organization')
      .map((id) => context.organizations.get(id))
      .filter((organization): organization is Organization => organization !== undefined)
      .map((organization) => ({ id: organization.id, acronymEs: organization.acronymEs, acronymEn: organization.acronymEn, nameEs: organization.nameEs, nameEn: organization.nameEn })),
    threads: rows.threads,
    documents: rows.documents,
    occurrences: state.occurrences.map(occurrenceView),
    nextOccurrence: next && occurrenceView(next),
    pageUrl,
    icsUrl: `/api/meetings/${encodeURIComponent(meeting.id)}/calendar.ics`,
    calendarLinks: next && meeting.status === 'scheduled' ? calendarLinks(entry, next) : null,
    mayManage: manages,
    mayAnswer: viewer !== null && meeting.status !== 'cancelled' && may.mayAnswer(viewer, meeting, invitees),
  };
}
export type MeetingDetailView = ReturnType<typeof detailView>;

const RANKED: PollAnswer[] = ['yes', 'if_need_be'];

/** The poll with its results, best slot first. With a null viewer, the neutral form live events carry. */
export function pollView(context: ViewContext, state: MeetingState, rows: PollRows, viewer: may.Viewer | null) {
  const { meeting } = state;
  const { participants, answers } = rows;
  const byId = new Map(participants.map((person) => [person.id, person]));
  const invited = may.invitedPeople(participants, meeting, state.invitees);
  const countries = invitedCountryIds(state, participants);
  const byPerson = new Map<string, { answers: Record<string, PollAnswer>; updatedAt: number }>();
  for (const row of answers) {
    const entry = byPerson.get(row.userId) ?? { answers: {}, updatedAt: 0 };
    entry.answers[row.slotId] = row.answer;
    entry.updatedAt = Math.max(entry.updatedAt, row.updatedAt);
    byPerson.set(row.userId, entry);
  }
  const slots = rows.slots.map((slot) => {
    const forSlot = answers.filter((row) => row.slotId === slot.id);
    const covered = new Set<string>();
    for (const row of forSlot) {
      const country = byId.get(row.userId)?.countryId;
      if (country && RANKED.includes(row.answer)) covered.add(country);
    }
    const outsideLocalHours = countries
      .map((countryId) => ({ countryId, zone: context.countries.get(countryId)?.timeZone }))
      .filter((entry): entry is { countryId: string; zone: string } => entry.zone !== undefined)
      .map(({ countryId, zone }) => ({ countryId, ...localHours(slot.startsAt, slot.endsAt, zone) }))
      .filter((entry) => entry.outside)
      .map(({ countryId, localStart, localEnd }) => ({ countryId, localStart, localEnd }));
    return {
      id: slot.id,
      startsAt: iso(slot.startsAt),
      endsAt: iso(slot.endsAt),
      position: slot.position,
      yes: forSlot.filter((row) => row.answer === 'yes').length,
      ifNeedBe: forSlot.filter((row) => row.answer === 'if_need_be').length,
      no: forSlot.filter((row) => row.answer === 'no').length,
      countriesCovered: [...covered].sort(),
      outsideLocalHours,
    };
  });
  // Best first: most people available, then most sure, then most countries, then earliest.
  slots.sort(
    (a, b) => b.yes + b.ifNeedBe - (a.yes + a.ifNeedBe) || b.yes - a.yes || b.countriesCovered.length - a.countriesCovered.length || a.startsAt.localeCompare(b.startsAt),
  );
  return {
    meetingId: meeting.id,
    deadline: isoOrNull(meeting.pollDeadline),
    closedAt: isoOrNull(meeting.pollClosedAt),
    chosenSlotId: meeting.chosenSlotId,
    respondents: byPerson.size,
    invitedCount: invited.length,
    slots,
    myAnswers: viewer ? (byPerson.get(viewer.id)?.answers ?? {}) : {},
    answers: [...byPerson.entries()]
      .map(([userId, entry]) => ({ person: byId.get(userId), ...entry }))
      .filter((entry): entry is { person: Participant; answers: Record<string, PollAnswer>; updatedAt: number } => entry.person !== undefined)
      .sort((a, b) => a.person.displayName.localeCompare(b.person.displayName, 'es'))
      .map((entry) => ({ person: personRef(entry.person), answers: entry.answers, updatedAt: iso(entry.updatedAt) })),
  };
}

/**
 * What the `poll.updated` live event carries: the same for every reader and the same size however many
 * people answered (per-slot counts, in the slots' own order). Pages fetch the full poll after a burst.
 */
export function pollCountsView(state: MeetingState, rows: Pick<PollRows, 'answers' | 'slots'>) {
  const { meeting } = state;
  const counts = new Map(rows.slots.map((slot) => [slot.id, { id: slot.id, yes: 0, ifNeedBe: 0, no: 0 }]));
  const respondents = new Set<string>();
  for (const row of rows.answers) {
    const slot = counts.get(row.slotId);
    if (!slot) continue;
    respondents.add(row.userId);
    if (row.answer === 'yes') slot.yes += 1;
    else if (row.answer === 'if_need_be') slot.ifNeedBe += 1;
    else slot.no += 1;
  }
  return {
    meetingId: meeting.id,
    deadline: isoOrNull(meeting.pollDeadline),
    closedAt: isoOrNull(meeting.pollClosedAt),
    chosenSlotId: meeting.chosenSlotId,
    respondents: respondents.size,
    slots: [...counts.values()],
  };
}

/** Attendance answers of one occurrence, grouped by country. Notes for managers and their authors only. */
export function attendanceView(context: ViewContext, state: MeetingState, loaded: AttendanceRows, viewer: may.Viewer | null) {
  const { meeting } = state;
  const { participants, rows, occurrenceId } = loaded;
  const byId = new Map(participants.map((person) => [person.id, person]));
  const invited = may.invitedPeople(participants, meeting, state.invitees);
  const manages = viewer !== null && may.mayManage(viewer, meeting);
  const countries = invitedCountryIds(state, participants).sort((a, b) => (context.countries.get(a)?.nameEs ?? a).localeCompare(context.countries.get(b)?.nameEs ?? b, 'es'));
  const groups = new Map<string | null, Array<{ person: ReturnType<typeof personRef>; answer: AttendanceAnswer; note: string | null; updatedAt: string }>>();
  for (const id of countries) groups.set(id, []);
  const answered = new Set<string>();
  for (const row of rows) {
    const person = byId.get(row.userId);
    if (!person) continue;
    answered.add(person.id);
    const key = person.countryId;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push({ person: personRef(person), answer: row.answer, note: manages || viewer?.id === person.id ? row.note : null, updatedAt: iso(row.updatedAt) });
  }
  // Whom to remind: the invited who have not answered, for the people who run the meeting.
  const unanswered = new Map<string | null, Array<ReturnType<typeof personRef>>>();
  if (manages) {
    for (const person of invited) {
      if (answered.has(person.id)) continue;
      const key = person.countryId;
      if (!groups.has(key)) groups.set(key, []);
      let list = unanswered.get(key);
      if (!list) unanswered.set(key, (list = []));
      list.push(personRef(person));
    }
  }
  const order = [...groups.keys()].sort((a, b) => {
    if (a === null) return 1;
    if (b === null) return -1;
    const invitedA = countries.includes(a) ? 0 : 1;
    const invitedB = countries.includes(b) ? 0 : 1;
    return invitedA - invitedB || (context.countries.get(a)?.nameEs ?? a).localeCompare(context.countries.get(b)?.nameEs ?? b, 'es');
  });
  const going = new Set(rows.filter((row) => row.answer === 'going').map((row) => byId.get(row.userId)?.countryId).filter(Boolean));
  const mine = viewer ? rows.find((row) => row.userId === viewer.id) : undefined;
  return {
    occurrenceId,
    counts: {
      going: rows.filter((row) => row.answer === 'going' && byId.has(row.userId)).length,
      maybe: rows.filter((row) => row.answer === 'maybe' && byId.has(row.userId)).length,
      notGoing: rows.filter((row) => row.answer === 'not_going' && byId.has(row.userId)).length,
      unanswered: invited.filter((person) => !answered.has(person.id)).length,
    },
    mine: mine ? { answer: mine.answer, note: mine.note } : null,
    byCountry: order.map((countryId) => ({
      countryId,
      people: groups.get(countryId)!.sort((a, b) => a.person.displayName.localeCompare(b.person.displayName, 'es')),
      unanswered: (unanswered.get(countryId) ?? []).sort((a, b) => a.displayName.localeCompare(b.displayName, 'es')),
    })),
    countriesWithNobodyGoing: countries.filter((id) => !going.has(id)),
  };
}

export { SINGLE_OCCURRENCE };
