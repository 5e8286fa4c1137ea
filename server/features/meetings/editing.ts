import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { onlyRoles } from '../../plugins/authorization.js';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { SessionUser } from '../../plugins/sessions/index.js';
import { badRequest, conflict, forbidden } from '../../shared/errors.js';
import { assertTimeZone, IdSchema } from '../../shared/schemas.js';
import { MEETING_LINK, type MeetingNotice, type MeetingRoutesOptions } from './core.js';
import { assertFitsRecurrence, monthlyWeekOf } from './occurrences.js';
import * as may from './permissions.js';
import { planMeetingJobs } from './reminders.js';
import type { MeetingFields, MeetingRow } from './repository.js';
import { OccurrenceIdSchema, type NewMeeting } from './schemas.js';
import type { InviteeKind, MeetingKind, Recurrence } from './tables.js';
import type { MeetingState } from './views.js';

/**
 * What the meetings' own route files (routes/meetings, occurrences, polls, attendance, calendars)
 * share: a meeting as a write will store it (a draft), its checks against the rest of the forum,
 * and the steps every write ends with (jobs planned, live event stored, people told).
 */

const HOUR_MS = 60 * 60_000;
export const DAY_MS = 24 * HOUR_MS;

export const iso = (ms: number) => new Date(ms).toISOString();
export const parseInstant = (value: string) => new Date(value).getTime();

export const IdParams = Type.Object({ id: IdSchema });
export const OccurrenceParams = Type.Object({ id: IdSchema, occurrenceId: OccurrenceIdSchema });
export const CREATORS = onlyRoles(...may.CREATOR_ROLES);

// ------------------------------------------------------------------ input

/** A meeting as a write will store it, before it is checked against the rest of the forum. */
export interface Draft {
  title: string;
  kind: MeetingKind;
  description: string;
  agenda: Array<{ id?: string; title: string; presenter: string; minutes: number }>;
  timeZone: string;
  startsAt: number | null;
  endsAt: number | null;
  recurrence: Recurrence | null;
  onlineUrl: string | null;
  accessNotes: string;
  inviteEveryone: boolean;
  invitees: Array<{ kind: InviteeKind; refId: string }>;
  threadIds: string[];
  documentIds: string[];
}

export const inviteesOf = (input: NewMeeting['invitees']): Draft['invitees'] => [
  ...(input.countryIds ?? []).map((refId) => ({ kind: 'country' as const, refId })),
  ...(input.organizationIds ?? []).map((refId) => ({ kind: 'organization' as const, refId })),
  ...(input.personIds ?? []).map((refId) => ({ kind: 'person' as const, refId })),
];

export const recurrenceOf = (input: NewMeeting['recurrence'], startsAt: number | null, zone: string): Recurrence | null => {
  if (!input) return null;
  const monthlyWeek = input.frequency === 'monthly' ? (input.monthlyWeek ?? (startsAt === null ? 1 : monthlyWeekOf(startsAt, zone))) : null;
  return { frequency: input.frequency, interval: input.interval ?? 1, count: input.count, monthlyWeek };
};

export function assertTimes(startsAt: number, endsAt: number, kind: MeetingKind, field: string): void {
  const longest = kind === 'in_person_meeting' ? 7 * DAY_MS : DAY_MS;
  if (!(endsAt > startsAt) || endsAt - startsAt > longest) {
    throw badRequest('invalid_times', `The end must come after the start, at most ${kind === 'in_person_meeting' ? '7 days' : '24 hours'} later.`, [{ field, message: 'ends before it starts or lasts too long' }]);
  }
}

function assertOnlineUrl(url: string | null): void {
  if (url === null) return;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || parsed.protocol !== 'https:' || !parsed.hostname) {
    throw badRequest('invalid_link', 'The online link must be an https:// address.', [{ field: 'onlineUrl', message: 'is not an https URL' }]);
  }
}

/** The meeting's fields as history and change notices compare them. */
export function comparable(draft: Draft): Record<string, unknown> {
  return {
    title: draft.title,
    kind: draft.kind,
    description: draft.description,
    agenda: draft.agenda.map((item) => `${item.title} · ${item.presenter} · ${item.minutes}`),
    startsAt: draft.startsAt === null ? null : iso(draft.startsAt),
    endsAt: draft.endsAt === null ? null : iso(draft.endsAt),
    timeZone: draft.timeZone,
    // Rebuilt in one key order: PostgreSQL's jsonb gives the stored rule's keys back in its own.
    recurrence: draft.recurrence === null ? null : { frequency: draft.recurrence.frequency, interval: draft.recurrence.interval, count: draft.recurrence.count, monthlyWeek: draft.recurrence.monthlyWeek },
    onlineUrl: draft.onlineUrl,
    accessNotes: draft.accessNotes,
    invitees: draft.inviteEveryone ? ['everyone'] : draft.invitees.map((invitee) => `${invitee.kind}:${invitee.refId}`).sort(),
    threads: draft.threadIds,
    documents: draft.documentIds,
  };
}

/** Changes that matter to someone who planned to attend: they are told of these. */
export const NOTIFIED_FIELDS = new Set(['title', 'kind', 'startsAt', 'endsAt', 'timeZone', 'recurrence', 'onlineUrl', 'accessNotes', 'agenda']);
export const TIME_FIELDS = new Set(['startsAt', 'endsAt', 'timeZone', 'recurrence']);

/** The steps of meeting writes, over the core; built once per route file that needs them. */
export function meetingEdits(fastify: FastifyInstance, { core, now: clock }: MeetingRoutesOptions) {
  const { repository, views: context } = core;
  const { liveHub, scheduler, markdown } = fastify;

  const renderDescription = (source: string) => markdown.render(source, { personId: () => undefined, isCountry: () => false });

  const draftOf = async (meeting: MeetingRow): Promise<Draft> => {
    const links = await core.linked.linksOf(meeting.id);
    return {
      title: meeting.title,
      kind: meeting.kind,
      description: meeting.descriptionSource,
      agenda: (await repository.agenda(meeting.id)).map((item) => ({ id: item.id, title: item.title, presenter: item.presenter, minutes: item.minutes })),
      timeZone: meeting.timeZone,
      startsAt: meeting.startsAt,
      endsAt: meeting.endsAt,
      recurrence: meeting.recurrence,
      onlineUrl: meeting.onlineUrl,
      accessNotes: meeting.accessNotes,
      inviteEveryone: meeting.inviteEveryone,
      invitees: (await repository.invitees(meeting.id)).map((invitee) => ({ kind: invitee.kind, refId: invitee.refId })),
      threadIds: links.threadIds,
      documentIds: links.documentIds,
    };
  };

  /** Checks a draft against the forum: zone, times, link, invitees, linked threads and documents, who may create its kind. */
  const assertValid = async (user: SessionUser, draft: Draft, polling: boolean) => {
    if (!may.mayCreateKind(user.role, draft.kind)) throw forbidden('The secretariat organizes virtual workshops; other meetings are the coordinator\'s.');
    assertTimeZone(draft.timeZone);
    if (!polling) {
      if (draft.startsAt === null || draft.endsAt === null) throw badRequest('schedule_or_poll', 'Give the meeting a start and an end, or candidate slots for a poll.');
      assertTimes(draft.startsAt, draft.endsAt, draft.kind, 'endsAt');
      if (draft.recurrence) assertFitsRecurrence(draft.startsAt, draft.timeZone, draft.recurrence);
    }
    assertOnlineUrl(draft.onlineUrl);
    if (draft.inviteEveryone && draft.invitees.length > 0) {
      throw badRequest('validation_failed', 'Invite everyone, or choose countries, organizations and people, not both.', [{ field: 'invitees', message: 'lists must be empty when everyone is invited' }]);
    }
    if (!draft.inviteEveryone && draft.invitees.length === 0) throw badRequest('no_invitees', 'Invite everyone, or at least one country, organization or person.', [{ field: 'invitees', message: 'is empty' }]);
    const participants = new Set((await repository.participants(user.groupId)).map((person) => person.id));
    const unknown = draft.invitees.filter(
      (invitee) =>
        (invitee.kind === 'country' && !context.countries.has(invitee.refId)) ||
        (invitee.kind === 'organization' && !context.organizations.has(invitee.refId)) ||
        (invitee.kind === 'person' && !participants.has(invitee.refId)),
    );
    if (unknown.length > 0) {
      throw badRequest('unknown_invitee', 'Some invitees are not countries, organizations or people of this group.', unknown.map((invitee) => ({ field: `invitees.${invitee.kind}`, message: `${invitee.refId} is unknown` })));
    }
    const threads = new Set((await core.linked.threadsOf(user.groupId, draft.threadIds)).map((thread) => thread.id));
    const missingThreads = draft.threadIds.filter((id) => !threads.has(id));
    if (missingThreads.length > 0) throw badRequest('unknown_thread', 'Some linked threads are not debates of this group.', missingThreads.map((id) => ({ field: 'threadIds', message: `${id} is unknown` })));
    const readable = await core.linked.documentsFor(user, draft.documentIds);
    const missingDocuments = draft.documentIds.filter((id) => !readable.has(id));
    if (missingDocuments.length > 0) throw badRequest('unknown_document', 'Some linked documents are not in the library, or not visible to you.', missingDocuments.map((id) => ({ field: 'documentIds', message: `${id} is unknown` })));
  };

  const slotsOf = (slots: Array<{ startsAt: string; endsAt: string }>, kind: MeetingKind) =>
    slots.map((slot, i) => {
      const startsAt = parseInstant(slot.startsAt);
      const endsAt = parseInstant(slot.endsAt);
      assertTimes(startsAt, endsAt, kind, `poll.slots.${i}`);
      return { startsAt, endsAt };
    });

  const fieldsOf = (draft: Draft, meeting: Pick<MeetingFields, 'status' | 'sequence' | 'cancelledAt' | 'cancelReason' | 'pollOpenedAt' | 'pollDeadline' | 'pollClosedAt' | 'chosenSlotId'>, now: number): MeetingFields => {
    const rendered = renderDescription(draft.description);
    return {
      ...meeting,
      title: draft.title.trim(),
      kind: draft.kind,
      descriptionSource: draft.description,
      descriptionHtml: rendered.html,
      descriptionText: rendered.text,
      startsAt: draft.startsAt,
      endsAt: draft.endsAt,
      timeZone: draft.timeZone,
      recurrence: draft.recurrence,
      onlineUrl: draft.onlineUrl,
      accessNotes: draft.accessNotes,
      inviteEveryone: draft.inviteEveryone,
      updatedAt: now,
    };
  };

  /** The agenda, invitees and links of a meeting, in the caller's write; `by` is who made the change. */
  const storeRelations = async (meeting: { id: string; groupId: string }, draft: Draft, now: number, by: string) => {
    await repository.replaceAgendaNow(meeting.id, draft.agenda, now);
    await repository.replaceInviteesNow(meeting.id, draft.inviteEveryone ? [] : draft.invitees);
    const from = { kind: 'meeting', id: meeting.id, groupId: meeting.groupId };
    await fastify.links.set(from, MEETING_LINK, 'thread', draft.threadIds, by, new Date(now));
    await fastify.links.set(from, MEETING_LINK, 'document', draft.documentIds, by, new Date(now));
  };

  /** The meeting as it is now (inside a write: as the write left it). */
  const stateNow = async (meetingId: string): Promise<MeetingState> => core.state((await repository.find(meetingId))!);

  /** Re-reads the meeting inside the write, plans its jobs, stores its live event; returns its new state. */
  const afterWrite = async (commit: PendingCommit, meetingId: string): Promise<MeetingState> => {
    const current = await stateNow(meetingId);
    await planMeetingJobs(commit, scheduler, current.meeting, current.occurrences);
    await core.publishUpdatedWithin(commit, meetingId, current);
    return current;
  };

  const notifyWithin = (commit: PendingCommit, people: Array<{ id: string }>, meeting: MeetingRow, actor: SessionUser, notice: MeetingNotice) =>
    core.notifyWithin(commit, people, meeting, actor, notice, {}, clock());

  const publishPollWithin = async (commit: PendingCommit, current: MeetingState) => {
    const counts = await core.pollCounts(current);
    await liveHub.publishWithin(commit, [{ topic: `meeting:${current.meeting.id}`, type: 'poll.updated', payload: counts }]);
  };

  const detailFor = async (user: SessionUser, meetingId: string) => ({ meeting: await core.detail(await stateNow(meetingId), user) });

  const assertNotCancelled = (meeting: MeetingRow) => {
    if (meeting.status === 'cancelled') throw conflict('meeting_cancelled', 'This meeting is cancelled.');
  };

  return {
    stateNow,
    draftOf,
    assertValid,
    slotsOf,
    fieldsOf,
    storeRelations,
    afterWrite,
    notifyWithin,
    publishPollWithin,
    detailFor,
    assertNotCancelled,
  };
}
