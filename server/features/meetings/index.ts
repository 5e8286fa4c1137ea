import fp from 'fastify-plugin';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fresh from 'fresh';
import { LRUCache } from 'lru-cache';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../plugins/authorization.js';
import type { PendingCommit } from '../../plugins/group-commit.js';
import { accessChanged } from '../../plugins/live/hub.js';
import type { NewNotification } from '../../plugins/notifications/index.js';
import type { MeetingNoticeDetails, NotificationKind } from '../../plugins/notifications/tables.js';
import type { SessionUser } from '../../plugins/sessions/index.js';
import { generateSecretToken, hashToken } from '../../plugins/sessions/session-store.js';
import { badRequest, conflict, errorResponses, forbidden, notFound } from '../../shared/errors.js';
import { NotModified, textExportResponses } from '../../shared/responses.js';
import { newId } from '../../shared/ids.js';
import { assertTimeZone, IdSchema } from '../../shared/schemas.js';
import { calendarText, type CalendarEntry } from './calendar.js';
import { meetingsHomeSections } from './home.js';
import { assertFitsRecurrence, findOccurrence, monthlyWeekOf, seriesStarts, type Occurrence } from './occurrences.js';
import * as may from './permissions.js';
import { planMeetingJobs, POLL_DEADLINE_JOB, POLL_REMINDER_JOB, REMINDER_JOB, type PollJobPayload, type ReminderPayload } from './reminders.js';
import { MeetingsRepository, type MeetingFields, type MeetingRow } from './repository.js';
import {
  AttendanceBody,
  AttendanceQuery,
  AttendanceSchema,
  CancelBody,
  ChangeSchema,
  CloseBody,
  FeedStateSchema,
  ListQuery,
  MeetingChanges,
  MeetingHitSchema,
  MeetingDetailSchema,
  MeetingListItemSchema,
  NewFeedSchema,
  NewMeeting,
  OccurrenceChange,
  OccurrenceIdSchema,
  PollAnswersBody,
  PollChanges,
  PollSchema,
  PreferencesBody,
  PersonRefSchema,
  PreferencesSchema,
} from './schemas.js';
import type { InviteeKind, MeetingKind, Recurrence } from './tables.js';
import { actionItemRoutes } from './action-items-routes.js';
import { MinutesRepository } from './minutes-repository.js';
import { minutesRoutes } from './minutes-routes.js';
import { roomRoutes } from './room-routes.js';
import { attendanceView, detailView, nextOccurrence, occurrenceView, personRef, pollView, stateOf, summaryView, visibleOccurrences, type MeetingState, type ViewContext } from './views.js';

export interface MeetingsOptions {
  publicUrl: string;
  now: () => Date;
}

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_RANGE_MS = 62 * DAY_MS;
const FEED_PAST_MS = 90 * DAY_MS;
/** Meetings and minutes found beside the posts: the search page shows these, best first. */
const SEARCH_HITS = 10;

/** What other meeting code (the live room, the minutes) builds on: the storage, the rules and the views. */
export interface MeetingsCore {
  repository: MeetingsRepository;
  now: () => Date;
  /** The meeting if this person may see it; a 404 otherwise. */
  loadVisible(user: SessionUser, id: string): MeetingState;
  /** As loadVisible, and a 403 unless the person runs this meeting. */
  loadManaged(user: SessionUser, id: string): MeetingState;
  state(meeting: MeetingRow): MeetingState;
  maySee(user: may.Viewer, state: MeetingState): boolean;
  mayManage(user: may.Viewer, meeting: MeetingRow): boolean;
  /** The active people a meeting invites (the organizer included). */
  invitedPeople(state: MeetingState): ReturnType<typeof may.invitedPeople>;
  detail(state: MeetingState, viewer: may.Viewer | null): ReturnType<typeof detailView>;
  /** Stores the `meeting.updated` live event (neutral detail) in the caller's write; `current` when the caller has just read it. */
  publishUpdatedWithin(commit: PendingCommit, meetingId: string, current?: MeetingState): void;
  /**
   * Stores one in-app notice about the meeting for each of these people (the actor left out) in
   * the caller's write. `people` is worked out after the meeting's own changes in that write.
   */
  notifyWithin(commit: PendingCommit, people: () => Array<{ id: string }>, meeting: MeetingRow, actor: { id: string; displayName: string } | null, notice: MeetingNotice, context?: Record<string, unknown>, at?: Date): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    meetings: MeetingsCore;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const parseInstant = (value: string) => new Date(value).getTime();

/**
 * Meetings' storage, rules, views, live topic and scheduled jobs, shared with the room and the
 * minutes (server/features/meetings/room-*.ts, minutes-*.ts) through `fastify.meetings`.
 */
export const meetingsCore = fp<MeetingsOptions>(
  async (fastify, options) => {
    const repository = new MeetingsRepository(fastify.db);
    const countries = new Map((await fastify.reference.listCountries()).map((country) => [country.id, country]));
    const organizations = new Map((await fastify.reference.listOrganizations()).map((organization) => [organization.id, organization]));
    const context: ViewContext = {
      repository,
      countries,
      organizations,
      publicUrl: options.publicUrl,
      now: options.now,
      documentFor: (viewer, id) => fastify.documents.readable(viewer, [id]).get(id) ?? null,
    };
    const state = (meeting: MeetingRow) => stateOf(repository, meeting);
    const loadVisible = (user: SessionUser, id: string) => {
      const meeting = repository.find(id);
      const current = meeting && state(meeting);
      if (!current || !may.maySee(user, current.meeting, current.invitees)) throw notFound('Meeting');
      return current;
    };
    const core: MeetingsCore = {
      repository,
      now: options.now,
      loadVisible,
      loadManaged: (user, id) => {
        const current = loadVisible(user, id);
        if (!may.mayManage(user, current.meeting)) throw forbidden('Only the coordinator and admins (and the secretariat, for workshops) change meetings.');
        return current;
      },
      state,
      maySee: (user, current) => may.maySee(user, current.meeting, current.invitees),
      mayManage: (user, meeting) => may.mayManage(user, meeting),
      invitedPeople: (current) => may.invitedPeople(repository.participants(current.meeting.groupId), current.meeting, current.invitees),
      detail: (current, viewer) => detailView(context, current, viewer),
      publishUpdatedWithin: (commit, meetingId, current) => {
        const meeting = current?.meeting ?? repository.find(meetingId);
        if (!meeting) return;
        fastify.liveHub.publishWithin(commit, [{ topic: `meeting:${meetingId}`, type: 'meeting.updated', payload: { meeting: detailView(context, current ?? state(meeting), null) } }]);
      },
      notifyWithin: (commit, people, meeting, actor, notice, logContext = {}, at = options.now()) =>
        fastify.notifications.notifyWithin(commit, () => noticesFor(people(), meeting, actor, notice), { meetingId: meeting.id, ...logContext }, at),
    };
    fastify.decorate('meetings', core);
    fastify.decorate('meetingViews', context);

    fastify.liveTopics.define('meeting', async (user, id) => {
      const meeting = repository.find(id);
      return meeting !== undefined && may.maySee(user, meeting, repository.invitees(id));
    });

    for (const section of meetingsHomeSections(repository)) fastify.home.register(section);

    // Meetings (title, description, agenda) and minutes, beside the posts in the search's answer.
    fastify.searchSections.provide('meetings', {
      params: {},
      item: MeetingHitSchema,
      placement: 'section',
      description: 'The best matches among the meetings and minutes the person may see (whatever the page of posts)',
      search: async (user, query) => {
        const found = repository.fullText.search(user, query, SEARCH_HITS);
        return { total: found.total, items: found.items.map((hit) => ({ ...hit, startsAt: hit.startsAt === null ? null : iso(hit.startsAt) })) };
      },
    });

    defineJobs(fastify, core);
  },
  { name: 'meetings', dependencies: ['db', 'live-hub', 'notifications', 'scheduler', 'reference', 'documents', 'home-sections', 'search-providers'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    meetingViews: ViewContext;
  }
}

// ------------------------------------------------------------------ notifications

/** What a meeting notification says: its kind, the details its text uses and an optional excerpt. */
export interface MeetingNotice {
  kind: Extract<NotificationKind, `meeting_${string}`>;
  details?: MeetingNoticeDetails;
  excerpt?: string;
}

function noticesFor(people: Array<{ id: string }>, meeting: MeetingRow, actor: { id: string; displayName: string } | null, notice: MeetingNotice): NewNotification[] {
  return people
    .filter((person) => person.id !== actor?.id)
    .map((person) => ({
      userId: person.id,
      kind: notice.kind,
      actorId: actor?.id ?? null,
      actorName: actor?.displayName ?? null,
      threadId: null,
      threadTitle: null,
      postId: null,
      meetingId: meeting.id,
      meetingTitle: meeting.title,
      meetingDetails: notice.details ?? null,
      excerpt: notice.excerpt ?? '',
    }));
}

/** The jobs meetings run: reminders before each occurrence, a poll's reminder and its deadline. */
function defineJobs(fastify: FastifyInstance, core: MeetingsCore): void {
  const { repository } = core;
  const { scheduler } = fastify;

  scheduler.define(REMINDER_JOB, (job, { commit, now }) => {
    const payload = job.payload as unknown as ReminderPayload;
    const meeting = repository.find(payload.meetingId);
    if (!meeting || meeting.status !== 'scheduled') return 'skipped';
    const current = core.state(meeting);
    const occurrence = current.occurrences.find((candidate) => candidate.id === payload.occurrenceId && candidate.state !== 'cancelled');
    const at = now.getTime();
    // Moved meanwhile (its new time has reminders of its own), started already, or (after
    // downtime) so late that the 1 h reminder is due as well: that one alone is sent.
    if (!occurrence || occurrence.startsAt !== payload.startsAt || at >= occurrence.startsAt) return 'skipped';
    if (payload.reminder === '24h' && at >= occurrence.startsAt - HOUR_MS) return 'skipped';
    const off = repository.remindersOff();
    const notGoing = repository.notGoing(meeting.id, occurrence.id);
    const recipients = core.invitedPeople(current).filter((person) => !off.has(person.id) && !notGoing.has(person.id));
    core.notifyWithin(commit, () => recipients, meeting, null, { kind: 'meeting_reminder', details: { reminder: payload.reminder, startsAt: iso(occurrence.startsAt), occurrenceId: occurrence.id } }, { job: job.key }, now);
    // A series plans its next occurrences as each one comes near.
    if (meeting.recurrence) planMeetingJobs(commit, scheduler, meeting, current.occurrences);
    return 'done';
  });

  scheduler.define(POLL_REMINDER_JOB, (job, { commit, now }) => {
    const payload = job.payload as unknown as PollJobPayload;
    const meeting = repository.find(payload.meetingId);
    if (!meeting || meeting.status !== 'polling' || meeting.pollDeadline !== payload.deadline || now.getTime() >= payload.deadline) return 'skipped';
    const current = core.state(meeting);
    const answered = repository.respondents(meeting.id);
    const waiting = core.invitedPeople(current).filter((person) => !answered.has(person.id));
    core.notifyWithin(commit, () => waiting, meeting, null, { kind: 'meeting_poll_reminder', details: { deadline: iso(payload.deadline) } }, { job: job.key }, now);
    return 'done';
  });

  scheduler.define(POLL_DEADLINE_JOB, (job, { commit, now }) => {
    const payload = job.payload as unknown as PollJobPayload;
    const meeting = repository.find(payload.meetingId);
    if (!meeting || meeting.status !== 'polling' || meeting.pollDeadline !== payload.deadline) return 'skipped';
    core.notifyWithin(commit, () => [{ id: meeting.organizerId }], meeting, null, { kind: 'meeting_poll_deadline', details: { deadline: iso(payload.deadline) } }, { job: job.key }, now);
    return 'done';
  });
}

// ------------------------------------------------------------------ input

/** A meeting as a write will store it, before it is checked against the rest of the forum. */
interface Draft {
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

const inviteesOf = (input: NewMeeting['invitees']): Draft['invitees'] => [
  ...(input.countryIds ?? []).map((refId) => ({ kind: 'country' as const, refId })),
  ...(input.organizationIds ?? []).map((refId) => ({ kind: 'organization' as const, refId })),
  ...(input.personIds ?? []).map((refId) => ({ kind: 'person' as const, refId })),
];

const recurrenceOf = (input: NewMeeting['recurrence'], startsAt: number | null, zone: string): Recurrence | null => {
  if (!input) return null;
  const monthlyWeek = input.frequency === 'monthly' ? (input.monthlyWeek ?? (startsAt === null ? 1 : monthlyWeekOf(startsAt, zone))) : null;
  return { frequency: input.frequency, interval: input.interval ?? 1, count: input.count, monthlyWeek };
};

function assertTimes(startsAt: number, endsAt: number, kind: MeetingKind, field: string): void {
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
function comparable(draft: Draft): Record<string, unknown> {
  return {
    title: draft.title,
    kind: draft.kind,
    description: draft.description,
    agenda: draft.agenda.map((item) => `${item.title} · ${item.presenter} · ${item.minutes}`),
    startsAt: draft.startsAt === null ? null : iso(draft.startsAt),
    endsAt: draft.endsAt === null ? null : iso(draft.endsAt),
    timeZone: draft.timeZone,
    recurrence: draft.recurrence,
    onlineUrl: draft.onlineUrl,
    accessNotes: draft.accessNotes,
    invitees: draft.inviteEveryone ? ['everyone'] : draft.invitees.map((invitee) => `${invitee.kind}:${invitee.refId}`).sort(),
    threads: draft.threadIds,
    documents: draft.documentIds,
  };
}

/** Changes that matter to someone who planned to attend: they are told of these. */
const NOTIFIED_FIELDS = new Set(['title', 'kind', 'startsAt', 'endsAt', 'timeZone', 'recurrence', 'onlineUrl', 'accessNotes', 'agenda']);
const TIME_FIELDS = new Set(['startsAt', 'endsAt', 'timeZone', 'recurrence']);

// ------------------------------------------------------------------ routes

const IdParams = Type.Object({ id: IdSchema });
const OccurrenceParams = Type.Object({ id: IdSchema, occurrenceId: OccurrenceIdSchema });
const TokenParams = Type.Object({ token: Type.String({ minLength: 16, maxLength: 128, pattern: '^[a-z2-7]+$' }) });
const CREATORS = onlyRoles(...may.CREATOR_ROLES);

/** The meetings' routes (docs/meetings-api.md). */
export const meetingRoutes: FastifyPluginAsyncTypebox<MeetingsOptions> = async (fastify, options) => {
  const core = fastify.meetings;
  const context = fastify.meetingViews;
  const { repository } = core;
  const { liveHub, scheduler, markdown, groupCommit } = fastify;
  const clock = options.now;
  /** Per feed (or other calendar): the ETag last served and since when, for Last-Modified. */
  const calendarVersions = new LRUCache<string, { etag: string; since: number }>({ max: 10_000 });
  const minutesStore = new MinutesRepository(fastify.db);

  const renderDescription = (source: string) => markdown.render(source, { personId: () => undefined, isCountry: () => false });

  const draftOf = (meeting: MeetingRow): Draft => {
    const links = repository.links(meeting.id);
    return {
      title: meeting.title,
      kind: meeting.kind,
      description: meeting.descriptionSource,
      agenda: repository.agenda(meeting.id).map((item) => ({ id: item.id, title: item.title, presenter: item.presenter, minutes: item.minutes })),
      timeZone: meeting.timeZone,
      startsAt: meeting.startsAt,
      endsAt: meeting.endsAt,
      recurrence: meeting.recurrence,
      onlineUrl: meeting.onlineUrl,
      accessNotes: meeting.accessNotes,
      inviteEveryone: meeting.inviteEveryone,
      invitees: repository.invitees(meeting.id).map((invitee) => ({ kind: invitee.kind, refId: invitee.refId })),
      threadIds: links.threadIds,
      documentIds: links.documentIds,
    };
  };

  /** Checks a draft against the forum: zone, times, link, invitees, linked threads and documents, who may create its kind. */
  const assertValid = (user: SessionUser, draft: Draft, polling: boolean) => {
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
    const participants = new Set(repository.participants(user.groupId).map((person) => person.id));
    const unknown = draft.invitees.filter(
      (invitee) =>
        (invitee.kind === 'country' && !context.countries.has(invitee.refId)) ||
        (invitee.kind === 'organization' && !context.organizations.has(invitee.refId)) ||
        (invitee.kind === 'person' && !participants.has(invitee.refId)),
    );
    if (unknown.length > 0) {
      throw badRequest('unknown_invitee', 'Some invitees are not countries, organizations or people of this group.', unknown.map((invitee) => ({ field: `invitees.${invitee.kind}`, message: `${invitee.refId} is unknown` })));
    }
    const threads = new Set(repository.threads(user.groupId, draft.threadIds).map((thread) => thread.id));
    const missingThreads = draft.threadIds.filter((id) => !threads.has(id));
    if (missingThreads.length > 0) throw badRequest('unknown_thread', 'Some linked threads are not debates of this group.', missingThreads.map((id) => ({ field: 'threadIds', message: `${id} is unknown` })));
    const missingDocuments = draft.documentIds.filter((id) => context.documentFor(user, id) === null);
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

  const storeRelations = (meetingId: string, draft: Draft, now: number) => {
    repository.replaceAgenda(meetingId, draft.agenda, now);
    repository.replaceInvitees(meetingId, draft.inviteEveryone ? [] : draft.invitees);
    repository.replaceLinks(meetingId, 'thread', draft.threadIds);
    repository.replaceLinks(meetingId, 'document', draft.documentIds);
  };

  /** Re-reads the meeting inside the write, plans its jobs, stores its live event; returns its new state. */
  const afterWrite = (commit: PendingCommit, meetingId: string): MeetingState => {
    const current = core.state(repository.find(meetingId)!);
    planMeetingJobs(commit, scheduler, current.meeting, current.occurrences);
    core.publishUpdatedWithin(commit, meetingId, current);
    return current;
  };

  const notifyWithin = (commit: PendingCommit, people: () => Array<{ id: string }>, meeting: MeetingRow, actor: SessionUser, notice: MeetingNotice) =>
    core.notifyWithin(commit, people, meeting, actor, notice, {}, clock());

  const publishPollWithin = (commit: PendingCommit, current: MeetingState) =>
    liveHub.publishWithin(commit, [{ topic: `meeting:${current.meeting.id}`, type: 'poll.updated', payload: { poll: pollView(context, current, null) } }]);

  const detailFor = (user: SessionUser, meetingId: string) => ({ meeting: detailView(context, core.state(repository.find(meetingId)!), user) });

  const assertNotCancelled = (meeting: MeetingRow) => {
    if (meeting.status === 'cancelled') throw conflict('meeting_cancelled', 'This meeting is cancelled.');
  };

  // ---------------------------------------------------------------- preferences and feed (static paths first)

  fastify.get(
    '/meetings/preferences',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'My meeting settings (reminders on or off)', response: { 200: PreferencesSchema, ...errorResponses } } },
    async (request) => ({ preferences: { reminders: repository.remindersOn(requireUser(request).id) } }),
  );

  fastify.put(
    '/meetings/preferences',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'Turn my meeting reminders on or off', body: PreferencesBody, response: { 200: PreferencesSchema, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      await groupCommit.run(() => repository.setReminders(user.id, request.body.reminders, clock().getTime()));
      return { preferences: { reminders: request.body.reminders } };
    },
  );

  fastify.get(
    '/calendar/feed',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'Whether I have a calendar feed (its address is shown only when made)', response: { 200: FeedStateSchema, ...errorResponses } } },
    async (request) => {
      const feed = repository.feedOf(requireUser(request).id);
      return { feed: feed ? { createdAt: iso(feed.createdAt), lastUsedAt: feed.lastUsedAt === null ? null : iso(feed.lastUsedAt) } : null };
    },
  );

  fastify.post(
    '/calendar/feed',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['meetings'], summary: 'Make my calendar feed address, or replace it (the old one stops working)', body: Type.Optional(Type.Object({}, { additionalProperties: false })), response: { 201: NewFeedSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const token = generateSecretToken();
      const now = clock().getTime();
      await groupCommit.run(() => repository.setFeed(user.id, hashToken(token), now));
      const url = `${options.publicUrl}/api/calendar/${token}/meetings.ics`;
      reply.status(201);
      return { feed: { url, webcalUrl: url.replace(/^https?:/, 'webcal:'), createdAt: iso(now) } };
    },
  );

  fastify.delete(
    '/calendar/feed',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'Revoke my calendar feed address', response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      const user = requireUser(request);
      await groupCommit.run(() => repository.deleteFeed(user.id));
      reply.status(204);
      return null;
    },
  );

  /**
   * Sends a calendar with validators, answering 304 when the client has these bytes already.
   * ETag: a digest of the bytes (which depend on the meetings only). Last-Modified: given, or the
   * first time this process produced these bytes for `versionKey` (the feed's contents also change
   * when a meeting leaves it or time moves on, which no stored date records; after a restart the
   * date is that of the first answer, never too early for If-Modified-Since).
   */
  const sendCalendar = async (
    request: FastifyRequest,
    reply: FastifyReply,
    entries: CalendarEntry[],
    how: { feedName: string | null; fileName: string | null; lastModified: number | { versionKey: string } },
  ) => {
    const text = await calendarText(entries, { publicUrl: options.publicUrl, feedName: how.feedName });
    const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
    let lastModified: number;
    if (typeof how.lastModified === 'number') {
      lastModified = how.lastModified;
    } else {
      const known = calendarVersions.get(how.lastModified.versionKey);
      lastModified = known?.etag === etag ? known.since : clock().getTime();
      if (known?.etag !== etag) calendarVersions.set(how.lastModified.versionKey, { etag, since: lastModified });
    }
    reply.header('etag', etag);
    reply.header('last-modified', new Date(lastModified).toUTCString());
    reply.header('cache-control', 'private, no-cache');
    if (fresh(request.headers, { etag, 'last-modified': new Date(lastModified).toUTCString() })) return reply.status(304).send();
    reply.header('content-type', 'text/calendar; charset=utf-8');
    if (how.fileName) reply.header('content-disposition', `attachment; filename="${how.fileName}"`);
    return reply.send(text);
  };

  const entryOf = (current: MeetingState): CalendarEntry => ({
    meeting: current.meeting,
    agenda: repository.agenda(current.meeting.id),
    occurrences: current.occurrences,
    pageUrl: `${options.publicUrl}/meetings/${encodeURIComponent(current.meeting.id)}`,
  });

  fastify.get(
    '/calendar/:token/meetings.ics',
    {
      config: { access: 'public' },
      schema: {
        tags: ['meetings'],
        summary: 'A person\'s calendar feed (the secret token is the key; no session); ETag, Last-Modified and 304',
        params: TokenParams,
        response: { ...textExportResponses('text/calendar', 'Every meeting the person is invited to, as iCalendar'), 304: NotModified },
      },
    },
    async (request, reply) => {
      const owner = repository.feedOwner(hashToken(request.params.token));
      if (!owner) throw notFound('Calendar');
      const now = clock().getTime();
      await groupCommit.run(() => repository.touchFeed(owner.id, now));
      const invitees = repository.inviteesOfGroup(owner.groupId);
      const overrides = repository.overridesOfGroup(owner.groupId);
      const entries = repository
        .ofGroup(owner.groupId)
        .filter((meeting) => meeting.status !== 'polling')
        .map((meeting): MeetingState => ({ meeting, invitees: invitees.get(meeting.id) ?? [], occurrences: visibleOccurrences(meeting, overrides.get(meeting.id) ?? []) }))
        .filter((current) => may.isInvited(owner, current.meeting, current.invitees) && may.maySee(owner, current.meeting, current.invitees))
        .filter((current) => current.occurrences.some((occurrence) => occurrence.endsAt > now - FEED_PAST_MS))
        .map(entryOf);
      reply.header('x-robots-tag', 'noindex');
      return sendCalendar(request, reply, entries, { feedName: 'Concilia', fileName: null, lastModified: { versionKey: `feed:${owner.id}` } });
    },
  );

  // ---------------------------------------------------------------- meetings

  fastify.get(
    '/meetings',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['meetings'], summary: 'Meetings: upcoming, past, mine, open polls, or a month', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(MeetingListItemSchema), total: Type.Integer() }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const { view, from, to, kind, offset, limit } = request.query;
      const range = from !== undefined || to !== undefined ? { from: parseInstant(from ?? ''), to: parseInstant(to ?? '') } : null;
      if (range && (!Number.isFinite(range.from) || !Number.isFinite(range.to) || range.to <= range.from || range.to - range.from > MAX_RANGE_MS)) {
        throw badRequest('invalid_range', 'Give both from and to, to after from, at most 62 days apart.', [{ field: 'to', message: 'is not a valid range end' }]);
      }
      const now = clock().getTime();
      const invitees = repository.inviteesOfGroup(user.groupId);
      const overrides = repository.overridesOfGroup(user.groupId);
      const attendance = repository.attendanceOf(user.id);
      const visible = repository
        .ofGroup(user.groupId)
        .filter((meeting) => kind === undefined || meeting.kind === kind)
        .map((meeting): MeetingState => ({ meeting, invitees: invitees.get(meeting.id) ?? [], occurrences: visibleOccurrences(meeting, overrides.get(meeting.id) ?? []) }))
        .filter((current) => may.maySee(user, current.meeting, current.invitees));
      let items: Array<{ state: MeetingState; occurrence: Occurrence | null }>;
      if (view === 'polls' && !range) {
        items = visible.filter((current) => current.meeting.status === 'polling').map((current) => ({ state: current, occurrence: null }));
      } else {
        const all = visible.flatMap((current) => current.occurrences.map((occurrence) => ({ state: current, occurrence })));
        if (range) {
          items = all.filter(({ occurrence }) => occurrence.startsAt < range.to && occurrence.endsAt > range.from).sort((a, b) => a.occurrence.startsAt - b.occurrence.startsAt);
        } else if (view === 'past') {
          items = all.filter(({ occurrence }) => occurrence.endsAt <= now && occurrence.state !== 'cancelled').sort((a, b) => b.occurrence.startsAt - a.occurrence.startsAt);
        } else {
          items = all
            .filter(({ occurrence }) => occurrence.endsAt > now)
            .filter(({ state: current, occurrence }) => view !== 'mine' || (may.isInvited(user, current.meeting, current.invitees) && attendance.get(`${current.meeting.id} ${occurrence.id}`) !== 'not_going'))
            .sort((a, b) => a.occurrence.startsAt - b.occurrence.startsAt);
        }
      }
      const page = items.slice(offset, offset + limit);
      const answered = new Map<string, boolean>();
      const withMinutes = minutesStore.publishedOf([...new Set(page.map((item) => item.state.meeting.id))]);
      return {
        items: page.map(({ state: current, occurrence }) => {
          if (current.meeting.pollOpenedAt !== null && !answered.has(current.meeting.id)) answered.set(current.meeting.id, repository.respondents(current.meeting.id).has(user.id));
          return {
            ...summaryView(context, current, user, { attendance, answeredPoll: answered.get(current.meeting.id) ?? false }, occurrence),
            occurrence: occurrence && occurrenceView(occurrence),
            hasMinutes: occurrence !== null && withMinutes.has(`${current.meeting.id} ${occurrence.id}`),
          };
        }),
        total: items.length,
      };
    },
  );

  fastify.post(
    '/meetings',
    {
      config: { access: CREATORS },
      schema: { tags: ['meetings'], summary: 'Schedule a meeting, or open an availability poll for one', body: NewMeeting, response: { 201: Type.Object({ meeting: MeetingDetailSchema }), ...errorResponses } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const input = request.body;
      const polling = input.poll !== undefined;
      if (polling === (input.startsAt !== undefined || input.endsAt !== undefined)) {
        throw badRequest('schedule_or_poll', 'Give the meeting either a start and an end, or candidate slots for a poll, not both.', [{ field: 'poll', message: 'start/end and poll exclude each other' }]);
      }
      const startsAt = input.startsAt === undefined ? null : parseInstant(input.startsAt);
      const draft: Draft = {
        title: input.title.trim(),
        kind: input.kind,
        description: input.description ?? '',
        agenda: (input.agenda ?? []).map((item) => ({ title: item.title.trim(), presenter: item.presenter?.trim() ?? '', minutes: item.minutes ?? 0 })),
        timeZone: input.timeZone,
        startsAt,
        endsAt: input.endsAt === undefined ? null : parseInstant(input.endsAt),
        recurrence: null,
        onlineUrl: input.onlineUrl ?? null,
        accessNotes: input.accessNotes?.trim() ?? '',
        inviteEveryone: input.invitees.everyone,
        invitees: inviteesOf(input.invitees),
        threadIds: input.threadIds ?? [],
        documentIds: input.documentIds ?? [],
      };
      assertTimeZone(draft.timeZone);
      draft.recurrence = recurrenceOf(input.recurrence, startsAt, draft.timeZone);
      assertValid(user, draft, polling);
      const slots = input.poll ? slotsOf(input.poll.slots, draft.kind) : [];
      const deadline = input.poll?.deadline ? parseInstant(input.poll.deadline) : null;
      const now = clock().getTime();
      if (deadline !== null && deadline <= now) throw badRequest('validation_failed', 'The poll\'s deadline has already passed.', [{ field: 'poll.deadline', message: 'is in the past' }]);
      const id = newId();
      await groupCommit.run((commit) => {
        repository.insert({
          ...fieldsOf(draft, { status: polling ? 'polling' : 'scheduled', sequence: 0, cancelledAt: null, cancelReason: null, pollOpenedAt: polling ? now : null, pollDeadline: deadline, pollClosedAt: null, chosenSlotId: null }, now),
          id,
          groupId: user.groupId,
          organizerId: user.id,
          createdAt: now,
        });
        storeRelations(id, draft, now);
        if (polling) repository.replaceSlots(id, slots);
        repository.addChange(id, { at: now, actorId: user.id, action: polling ? 'poll_opened' : 'created', changes: [] });
        const current = afterWrite(commit, id);
        notifyWithin(commit, () => core.invitedPeople(current), current.meeting, user, {
          kind: polling ? 'meeting_poll' : 'meeting_invited',
          details: polling ? (deadline === null ? {} : { deadline: iso(deadline) }) : { startsAt: iso(current.meeting.startsAt!) },
        });
      });
      reply.status(201);
      return detailFor(user, id);
    },
  );

  fastify.get(
    '/meetings/:id',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'One meeting', params: IdParams, response: { 200: Type.Object({ meeting: MeetingDetailSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      return { meeting: detailView(context, core.loadVisible(user, request.params.id), user) };
    },
  );

  fastify.patch(
    '/meetings/:id',
    { config: { access: CREATORS }, schema: { tags: ['meetings'], summary: 'Change a meeting (invitees are told what changed)', params: IdParams, body: MeetingChanges, response: { 200: Type.Object({ meeting: MeetingDetailSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { meeting } = core.loadManaged(user, request.params.id);
      assertNotCancelled(meeting);
      const body = request.body;
      if (meeting.status === 'polling' && (body.startsAt !== undefined || body.endsAt !== undefined)) {
        throw conflict('poll_open', 'This meeting\'s time is being chosen by a poll: close the poll by picking a slot.');
      }
      const before = draftOf(meeting);
      const after: Draft = {
        ...before,
        ...(body.title !== undefined ? { title: body.title.trim() } : {}),
        ...(body.kind !== undefined ? { kind: body.kind } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.agenda !== undefined ? { agenda: body.agenda.map((item) => ({ ...(item.id ? { id: item.id } : {}), title: item.title.trim(), presenter: item.presenter?.trim() ?? '', minutes: item.minutes ?? 0 })) } : {}),
        ...(body.timeZone !== undefined ? { timeZone: body.timeZone } : {}),
        ...(body.startsAt !== undefined ? { startsAt: parseInstant(body.startsAt) } : {}),
        ...(body.endsAt !== undefined ? { endsAt: parseInstant(body.endsAt) } : {}),
        ...(body.onlineUrl !== undefined ? { onlineUrl: body.onlineUrl } : {}),
        ...(body.accessNotes !== undefined ? { accessNotes: body.accessNotes.trim() } : {}),
        ...(body.invitees !== undefined ? { inviteEveryone: body.invitees.everyone, invitees: inviteesOf(body.invitees) } : {}),
        ...(body.threadIds !== undefined ? { threadIds: body.threadIds } : {}),
        ...(body.documentIds !== undefined ? { documentIds: body.documentIds } : {}),
      };
      assertTimeZone(after.timeZone);
      if (body.recurrence !== undefined) after.recurrence = recurrenceOf(body.recurrence, after.startsAt, after.timeZone);
      // The rule's week follows a moved start unless the change names it.
      else if (after.recurrence?.frequency === 'monthly' && after.startsAt !== before.startsAt && after.startsAt !== null) after.recurrence = { ...after.recurrence, monthlyWeek: monthlyWeekOf(after.startsAt, after.timeZone) };
      assertValid(user, after, meeting.status === 'polling');
      const was = comparable(before);
      const now = comparable(after);
      const changes = Object.keys(now)
        .filter((field) => JSON.stringify(was[field]) !== JSON.stringify(now[field]))
        .map((field) => ({ field, from: was[field], to: now[field] }));
      if (changes.length === 0) return detailFor(user, meeting.id);
      const at = clock().getTime();
      const changedFields = changes.map((change) => change.field);
      const rescheduled = changedFields.some((field) => TIME_FIELDS.has(field));
      const oldInvited = new Set(core.invitedPeople(core.state(meeting)).map((person) => person.id));
      await groupCommit.run((commit) => {
        repository.update(meeting.id, fieldsOf(after, { ...meeting, sequence: meeting.sequence + 1 }, at));
        storeRelations(meeting.id, after, at);
        // Stored ahead of the change's own events (meeting.updated carries the new link and
        // passcode): each subscriber's right is checked again before they get any of them.
        if (changedFields.some((field) => may.ACCESS_FIELDS.has(field))) liveHub.publishWithin(commit, [accessChanged(`meeting:${meeting.id}`)]);
        if (rescheduled) {
          // Moved or cancelled occurrences keep only while the series still has them.
          const starts = after.recurrence && after.startsAt !== null ? new Set(seriesStarts(after.startsAt, after.timeZone, after.recurrence)) : new Set<number>();
          for (const override of repository.overrides(meeting.id)) if (!starts.has(override.originalStartsAt)) repository.deleteOverride(meeting.id, override.originalStartsAt);
        }
        repository.addChange(meeting.id, { at, actorId: user.id, action: rescheduled ? 'rescheduled' : 'updated', changes });
        const current = afterWrite(commit, meeting.id);
        const invited = core.invitedPeople(current);
        const notified = changedFields.filter((field) => NOTIFIED_FIELDS.has(field));
        if (notified.length > 0) {
          notifyWithin(commit, () => invited.filter((person) => oldInvited.has(person.id)), current.meeting, user, {
            kind: 'meeting_changed',
            details: {
              changed: notified,
              ...(current.meeting.startsAt !== null ? { startsAt: iso(current.meeting.startsAt) } : {}),
              ...(rescheduled && meeting.startsAt !== null ? { previousStartsAt: iso(meeting.startsAt) } : {}),
            },
          });
        }
        const added = invited.filter((person) => !oldInvited.has(person.id));
        if (added.length > 0) {
          notifyWithin(commit, () => added, current.meeting, user, meeting.status === 'polling' ? { kind: 'meeting_poll' } : { kind: 'meeting_invited', details: { startsAt: iso(current.meeting.startsAt!) } });
        }
      });
      return detailFor(user, meeting.id);
    },
  );

  fastify.post(
    '/meetings/:id/cancel',
    { config: { access: CREATORS }, schema: { tags: ['meetings'], summary: 'Cancel a meeting (or a whole series); invitees are told', params: IdParams, body: CancelBody, response: { 200: Type.Object({ meeting: MeetingDetailSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const current = core.loadManaged(user, request.params.id);
      const { meeting } = current;
      assertNotCancelled(meeting);
      const reason = request.body.reason?.trim() ?? '';
      const at = clock().getTime();
      const invited = core.invitedPeople(current);
      await groupCommit.run((commit) => {
        repository.update(meeting.id, { ...meeting, status: 'cancelled', cancelledAt: at, cancelReason: reason || null, sequence: meeting.sequence + 1, updatedAt: at });
        repository.addChange(meeting.id, { at, actorId: user.id, action: 'cancelled', changes: [{ field: 'status', from: meeting.status, to: 'cancelled' }] });
        const after = afterWrite(commit, meeting.id);
        notifyWithin(commit, () => invited, after.meeting, user, { kind: 'meeting_cancelled', details: meeting.startsAt === null ? {} : { startsAt: iso(meeting.startsAt) }, excerpt: reason.slice(0, 160) });
      });
      return detailFor(user, meeting.id);
    },
  );

  fastify.patch(
    '/meetings/:id/occurrences/:occurrenceId',
    {
      config: { access: CREATORS },
      schema: { tags: ['meetings'], summary: 'Move, cancel or restore one occurrence of a series', params: OccurrenceParams, body: OccurrenceChange, response: { 200: Type.Object({ meeting: MeetingDetailSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const current = core.loadManaged(user, request.params.id);
      const { meeting } = current;
      assertNotCancelled(meeting);
      if (!meeting.recurrence || meeting.startsAt === null || meeting.endsAt === null) throw conflict('not_a_series', 'This meeting has no recurrence: change the meeting itself.');
      const occurrence = findOccurrence(current.occurrences, request.params.occurrenceId);
      if (!occurrence) throw notFound('Occurrence');
      const body = request.body;
      const at = clock().getTime();
      const duration = meeting.endsAt - meeting.startsAt;
      let action: 'occurrence_moved' | 'occurrence_cancelled' | 'occurrence_restored';
      let write: () => void;
      let startsAt = occurrence.startsAt;
      if ('startsAt' in body) {
        startsAt = parseInstant(body.startsAt);
        const endsAt = parseInstant(body.endsAt);
        assertTimes(startsAt, endsAt, meeting.kind, 'endsAt');
        action = 'occurrence_moved';
        write = () => repository.setOverride(meeting.id, occurrence.originalStartsAt, 'moved', startsAt, endsAt, at);
      } else if (body.state === 'cancelled') {
        if (occurrence.state === 'cancelled') throw conflict('meeting_cancelled', 'This occurrence is already cancelled.');
        action = 'occurrence_cancelled';
        write = () => repository.setOverride(meeting.id, occurrence.originalStartsAt, 'cancelled', occurrence.originalStartsAt, occurrence.originalStartsAt + duration, at);
      } else {
        action = 'occurrence_restored';
        startsAt = occurrence.originalStartsAt;
        write = () => repository.deleteOverride(meeting.id, occurrence.originalStartsAt);
      }
      const invited = core.invitedPeople(current);
      await groupCommit.run((commit) => {
        write();
        repository.update(meeting.id, { ...meeting, sequence: meeting.sequence + 1, updatedAt: at });
        const after = core.state(repository.find(meeting.id)!);
        const moved = after.occurrences.find((candidate) => candidate.id === occurrence.id)!;
        repository.addChange(meeting.id, {
          at,
          actorId: user.id,
          action,
          occurrenceId: occurrence.id,
          changes: [
            { field: 'startsAt', from: iso(occurrence.startsAt), to: iso(moved.startsAt) },
            { field: 'endsAt', from: iso(occurrence.endsAt), to: iso(moved.endsAt) },
            { field: 'status', from: occurrence.state, to: moved.state },
          ].filter((change) => change.from !== change.to),
        });
        afterWrite(commit, meeting.id);
        notifyWithin(commit, () => invited, after.meeting, user, {
          kind: action === 'occurrence_cancelled' ? 'meeting_cancelled' : 'meeting_changed',
          details: { occurrenceId: occurrence.id, startsAt: iso(startsAt), previousStartsAt: iso(occurrence.startsAt), ...(action === 'occurrence_cancelled' ? {} : { changed: ['startsAt'] }) },
        });
      });
      return detailFor(user, meeting.id);
    },
  );

  fastify.get(
    '/meetings/:id/history',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'What changed in a meeting, newest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(ChangeSchema) }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { meeting } = core.loadVisible(user, request.params.id);
      return {
        items: repository.changes(meeting.id).map((change) => ({
          id: change.id,
          at: iso(change.at),
          actor: change.actorId ? { id: change.actorId, displayName: change.actorName ?? '' } : null,
          action: change.action,
          occurrenceId: change.occurrenceId,
          changes: change.changes,
        })),
      };
    },
  );

  fastify.get(
    '/meetings/:id/calendar.ics',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['meetings'], summary: 'The meeting as an iCalendar file; ETag, Last-Modified and 304', params: IdParams, response: { ...textExportResponses('text/calendar', 'The meeting as iCalendar, as an attachment'), 304: NotModified } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const current = core.loadVisible(user, request.params.id);
      if (current.meeting.status === 'polling') throw conflict('not_scheduled', 'This meeting has no date yet: its poll is open.');
      return sendCalendar(request, reply, [entryOf(current)], { feedName: null, fileName: `meeting-${current.meeting.id}.ics`, lastModified: current.meeting.updatedAt });
    },
  );

  // ---------------------------------------------------------------- polls

  const loadPoll = (user: SessionUser, id: string) => {
    const current = core.loadVisible(user, id);
    if (current.meeting.pollOpenedAt === null) throw conflict('not_polling', 'This meeting has no availability poll.');
    return current;
  };
  const assertPollOpen = (meeting: MeetingRow) => {
    if (meeting.status === 'cancelled') throw conflict('meeting_cancelled', 'This meeting is cancelled.');
    if (meeting.pollClosedAt !== null || meeting.status !== 'polling') throw conflict('poll_closed', 'This poll is closed.');
  };

  /** A meeting whose open poll the caller runs: changing its slots or closing it. */
  const loadManagedOpenPoll = (user: SessionUser, id: string) => {
    const current = core.loadManaged(user, id);
    if (current.meeting.pollOpenedAt === null) throw conflict('not_polling', 'This meeting has no availability poll.');
    assertPollOpen(current.meeting);
    return current;
  };

  fastify.get(
    '/meetings/:id/poll',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'The availability poll and its results, best slot first', params: IdParams, response: { 200: Type.Object({ poll: PollSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      return { poll: pollView(context, loadPoll(user, request.params.id), user) };
    },
  );

  fastify.put(
    '/meetings/:id/poll/answers',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'My answers to the poll (replacing my earlier ones)', params: IdParams, body: PollAnswersBody, response: { 200: Type.Object({ poll: PollSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const current = loadPoll(user, request.params.id);
      const { meeting } = current;
      if (!may.mayAnswer(user, meeting, current.invitees)) throw forbidden('Only the people invited answer this poll.');
      assertPollOpen(meeting);
      const now = clock().getTime();
      if (meeting.pollDeadline !== null && now >= meeting.pollDeadline) throw conflict('poll_deadline_passed', 'The poll\'s deadline has passed.');
      const slots = new Set(repository.slots(meeting.id).map((slot) => slot.id));
      const unknown = request.body.answers.filter((answer) => !slots.has(answer.slotId));
      if (unknown.length > 0) throw badRequest('unknown_slot', 'Some answers are for slots this poll does not have.', unknown.map((answer) => ({ field: 'answers.slotId', message: `${answer.slotId} is unknown` })));
      const answers = [...new Map(request.body.answers.map((answer) => [answer.slotId, answer])).values()];
      await groupCommit.run((commit) => {
        repository.setPollAnswers(meeting.id, user.id, answers, now);
        publishPollWithin(commit, core.state(meeting));
      });
      return { poll: pollView(context, core.state(repository.find(meeting.id)!), user) };
    },
  );

  fastify.patch(
    '/meetings/:id/poll',
    { config: { access: CREATORS }, schema: { tags: ['meetings'], summary: 'Change the poll\'s slots or deadline', params: IdParams, body: PollChanges, response: { 200: Type.Object({ poll: PollSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const current = loadManagedOpenPoll(user, request.params.id);
      const { meeting } = current;
      const now = clock().getTime();
      const slots = request.body.slots ? slotsOf(request.body.slots, meeting.kind) : null;
      const deadline = request.body.deadline === undefined ? meeting.pollDeadline : request.body.deadline === null ? null : parseInstant(request.body.deadline);
      if (deadline !== null && deadline !== meeting.pollDeadline && deadline <= now) throw badRequest('validation_failed', 'The poll\'s deadline has already passed.', [{ field: 'deadline', message: 'is in the past' }]);
      await groupCommit.run((commit) => {
        const before = repository.slots(meeting.id).map((slot) => `${iso(slot.startsAt)}/${iso(slot.endsAt)}`);
        if (slots) repository.replaceSlots(meeting.id, slots);
        repository.update(meeting.id, { ...meeting, pollDeadline: deadline, updatedAt: now });
        const after = repository.slots(meeting.id).map((slot) => `${iso(slot.startsAt)}/${iso(slot.endsAt)}`);
        const changes = [
          ...(JSON.stringify(before) !== JSON.stringify(after) ? [{ field: 'pollSlots', from: before, to: after }] : []),
          ...(deadline !== meeting.pollDeadline ? [{ field: 'pollDeadline', from: meeting.pollDeadline === null ? null : iso(meeting.pollDeadline), to: deadline === null ? null : iso(deadline) }] : []),
        ];
        if (changes.length > 0) repository.addChange(meeting.id, { at: now, actorId: user.id, action: 'updated', changes });
        const updated = afterWrite(commit, meeting.id);
        publishPollWithin(commit, updated);
      });
      return { poll: pollView(context, core.state(repository.find(meeting.id)!), user) };
    },
  );

  fastify.post(
    '/meetings/:id/poll/close',
    { config: { access: CREATORS }, schema: { tags: ['meetings'], summary: 'Close the poll by picking a slot: the meeting is scheduled then', params: IdParams, body: CloseBody, response: { 200: Type.Object({ meeting: MeetingDetailSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const current = loadManagedOpenPoll(user, request.params.id);
      const { meeting } = current;
      const slot = repository.slots(meeting.id).find((candidate) => candidate.id === request.body.slotId);
      if (!slot) throw badRequest('unknown_slot', 'That slot is not one of this poll\'s.', [{ field: 'slotId', message: 'is unknown' }]);
      const now = clock().getTime();
      // A monthly series counts its weeks from the chosen date.
      const recurrence = meeting.recurrence?.frequency === 'monthly' ? { ...meeting.recurrence, monthlyWeek: monthlyWeekOf(slot.startsAt, meeting.timeZone) } : meeting.recurrence;
      await groupCommit.run((commit) => {
        repository.update(meeting.id, { ...meeting, status: 'scheduled', startsAt: slot.startsAt, endsAt: slot.endsAt, recurrence, pollClosedAt: now, chosenSlotId: slot.id, sequence: meeting.sequence + 1, updatedAt: now });
        repository.addChange(meeting.id, { at: now, actorId: user.id, action: 'poll_closed', changes: [{ field: 'startsAt', from: null, to: iso(slot.startsAt) }, { field: 'endsAt', from: null, to: iso(slot.endsAt) }] });
        const after = afterWrite(commit, meeting.id);
        publishPollWithin(commit, after);
        notifyWithin(commit, () => core.invitedPeople(after), after.meeting, user, { kind: 'meeting_scheduled', details: { startsAt: iso(slot.startsAt) } });
      });
      return detailFor(user, meeting.id);
    },
  );

  // ---------------------------------------------------------------- attendance

  const occurrenceFor = (current: MeetingState, requested: string | undefined): Occurrence => {
    const { meeting } = current;
    if (meeting.status === 'polling') throw conflict('not_scheduled', 'This meeting has no date yet: its poll is open.');
    if (requested === undefined) {
      const next = nextOccurrence(current.occurrences, clock().getTime()) ?? current.occurrences[current.occurrences.length - 1];
      if (!next) throw conflict('not_scheduled', 'This meeting has no date.');
      return next;
    }
    const found = findOccurrence(current.occurrences, requested);
    if (!found) throw notFound('Occurrence');
    return found;
  };

  fastify.get(
    '/meetings/:id/invitees',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'Everyone the meeting invites, by name (the organizer included)', params: IdParams, response: { 200: Type.Object({ items: Type.Array(PersonRefSchema) }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const current = core.loadVisible(user, request.params.id);
      return { items: core.invitedPeople(current).map(personRef).sort((a, b) => a.displayName.localeCompare(b.displayName, 'es')) };
    },
  );

  fastify.get(
    '/meetings/:id/attendance',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'Who is going, by country', params: IdParams, querystring: AttendanceQuery, response: { 200: Type.Object({ attendance: AttendanceSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const current = core.loadVisible(user, request.params.id);
      const occurrence = occurrenceFor(current, request.query.occurrenceId);
      return { attendance: attendanceView(context, current, user, occurrence.id) };
    },
  );

  fastify.put(
    '/meetings/:id/attendance',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'My answer: going, maybe or not going, with a note', params: IdParams, body: AttendanceBody, response: { 200: Type.Object({ attendance: AttendanceSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const current = core.loadVisible(user, request.params.id);
      if (!may.mayAnswer(user, current.meeting, current.invitees)) throw forbidden('Only the people invited answer for this meeting.');
      assertNotCancelled(current.meeting);
      const occurrence = occurrenceFor(current, request.body.occurrenceId);
      if (occurrence.state === 'cancelled') throw conflict('meeting_cancelled', 'This occurrence is cancelled.');
      const now = clock().getTime();
      const attendance = await groupCommit.run((commit) => {
        repository.setAttendance(current.meeting.id, occurrence.id, user.id, request.body.answer, request.body.note?.trim() ?? '', now);
        // The counts and the countries with nobody going are the same for every viewer: one view serves the event and the answer.
        const view = attendanceView(context, current, user, occurrence.id);
        liveHub.publishWithin(commit, [{ topic: `meeting:${current.meeting.id}`, type: 'attendance.updated', payload: { occurrenceId: occurrence.id, counts: view.counts, countriesWithNobodyGoing: view.countriesWithNobodyGoing } }]);
        return view;
      });
      return { attendance };
    },
  );

  // The live room, the minutes and their action items (room-*.ts, minutes-*.ts): plugins of their own on `fastify.meetings`.
  await fastify.register(roomRoutes, options);
  await fastify.register(minutesRoutes, options);
  await fastify.register(actionItemRoutes, options);
};
