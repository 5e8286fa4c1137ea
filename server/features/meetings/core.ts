import type { FastifyInstance } from 'fastify';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { NewNotification } from '../../plugins/notifications/index.js';
import type { SessionUser } from '../../plugins/sessions/index.js';
import { forbidden, notFound } from '../../shared/errors.js';
import * as may from './permissions.js';
import { MeetingsRepository, type MeetingRow } from './repository.js';
import { attendanceRows, detailRows, loadState, pollRows, stateOf, type LinkedReaders } from './view-rows.js';
import { attendanceView, detailView, pollCountsView, pollView, type MeetingState, type ViewContext } from './views.js';

/** The relation of a meeting's links to the debates and documents it is about (subject_links). */
export const MEETING_LINK = 'linked';

export interface MeetingsOptions {
  publicUrl: string;
  now: () => Date;
}

/**
 * What all meeting code (the meetings' routes, the live room, the minutes, the jobs) builds on:
 * the storage, the rules and the views. Feature-internal: the route files get it as an option.
 */
export interface MeetingsCore {
  repository: MeetingsRepository;
  /** Countries and organizations, as the views show them. */
  views: ViewContext;
  /** The linked debates and documents (their features' services). */
  linked: LinkedReaders;
  now: () => Date;
  /** The meeting if this person may see it; a 404 otherwise. */
  loadVisible(user: SessionUser, id: string): Promise<MeetingState>;
  /** As loadVisible, and a 403 unless the person runs this meeting. */
  loadManaged(user: SessionUser, id: string): Promise<MeetingState>;
  state(meeting: MeetingRow): MeetingState;
  maySee(user: may.Viewer, state: MeetingState): boolean;
  mayManage(user: may.Viewer, meeting: MeetingRow): boolean;
  /** The active people a meeting invites (the organizer included). */
  invitedPeople(state: MeetingState): ReturnType<typeof may.invitedPeople>;
  /** The views of a meeting: its rows read (view-rows.ts), then the pure view built from them. */
  detail(state: MeetingState, viewer: may.Viewer | null): Promise<ReturnType<typeof detailView>>;
  poll(state: MeetingState, viewer: may.Viewer | null): ReturnType<typeof pollView>;
  /** The poll's per-slot counts, for its live event: no participants read, no per-person data. */
  pollCounts(state: MeetingState): ReturnType<typeof pollCountsView>;
  attendance(state: MeetingState, viewer: may.Viewer | null, occurrenceId: string): ReturnType<typeof attendanceView>;
  /** Stores the `meeting.updated` live event (neutral detail) in the caller's write; `current` when the caller has just read it. */
  publishUpdatedWithin(commit: PendingCommit, meetingId: string, current?: MeetingState): Promise<void>;
  /**
   * Stores one in-app notice about the meeting for each of these people (the actor left out) in
   * the caller's write. `people` is worked out after the meeting's own changes in that write.
   */
  notifyWithin(commit: PendingCommit, people: () => Array<{ id: string }>, meeting: MeetingRow, actor: { id: string; displayName: string } | null, notice: MeetingNotice, context?: Record<string, unknown>, at?: Date): Promise<void>;
  /** The invitation mails (mail.ts) notifyWithin also queues, set once the core is built. */
  mail: { mailWithin(commit: PendingCommit, people: Array<{ id: string }>, meeting: MeetingRow, actor: { id: string; displayName: string } | null, notice: MeetingNotice): void } | null;
}

/** What the meetings' route files take: the app's options and the core. */
export type MeetingRoutesOptions = MeetingsOptions & { core: MeetingsCore };

/** Built once per app, after the reference data and the debates and documents it shows. */
export async function createMeetingsCore(fastify: FastifyInstance, options: MeetingsOptions): Promise<MeetingsCore> {
  const repository = new MeetingsRepository(fastify.db);
  const countries = new Map((await fastify.reference.listCountries()).map((country) => [country.id, country]));
  const organizations = new Map((await fastify.reference.listOrganizations()).map((organization) => [organization.id, organization]));
  const views: ViewContext = { countries, organizations, publicUrl: options.publicUrl, groupPath: (groupId) => fastify.groups.pathNow(groupId), now: options.now };
  const linked: LinkedReaders = {
    threadsOf: (groupId, ids) => fastify.debates.threadTitles(groupId, ids),
    documentsFor: (viewer, ids) => fastify.documents.readable(viewer, ids),
    linksOf: async (meetingId) => {
      const links = await fastify.links.targets({ kind: 'meeting', id: meetingId }, MEETING_LINK);
      return { threadIds: links.filter((link) => link.kind === 'thread').map((link) => link.id), documentIds: links.filter((link) => link.kind === 'document').map((link) => link.id) };
    },
  };
  const detail = async (current: MeetingState, viewer: may.Viewer | null) => detailView(views, current, await detailRows(repository, linked, current, viewer), viewer);
  const state = (meeting: MeetingRow) => stateOf(repository, meeting);
  const loadVisible = async (user: SessionUser, id: string) => {
    const meeting = await repository.find(id);
    const current = meeting && (await loadState(repository, meeting));
    if (!current || !may.maySee(user, current.meeting, current.invitees)) throw notFound('Meeting');
    return current;
  };
  const core: MeetingsCore = {
    repository,
    views,
    linked,
    now: options.now,
    mail: null,
    loadVisible,
    loadManaged: async (user, id) => {
      const current = await loadVisible(user, id);
      if (!may.mayManage(user, current.meeting)) throw forbidden('Only the coordinator and admins (and the secretariat, for workshops) change meetings.');
      return current;
    },
    state,
    maySee: (user, current) => may.maySee(user, current.meeting, current.invitees),
    mayManage: (user, meeting) => may.mayManage(user, meeting),
    invitedPeople: (current) => may.invitedPeople(repository.participantsNow(current.meeting.groupId), current.meeting, current.invitees),
    detail,
    poll: (current, viewer) => pollView(views, current, pollRows(repository, current), viewer),
    pollCounts: (current) => pollCountsView(current, { answers: repository.pollAnswersNow(current.meeting.id), slots: repository.slotsNow(current.meeting.id) }),
    attendance: (current, viewer, occurrenceId) => attendanceView(views, current, attendanceRows(repository, current, occurrenceId), viewer),
    publishUpdatedWithin: async (commit, meetingId, current) => {
      const meeting = current?.meeting ?? repository.findNow(meetingId);
      if (!meeting) return;
      await fastify.liveHub.publishWithin(commit, [{ topic: `meeting:${meetingId}`, type: 'meeting.updated', payload: { meeting: await detail(current ?? state(meeting), null) } }]);
    },
    notifyWithin: async (commit, people, meeting, actor, notice, logContext = {}, at = options.now()) => {
      await fastify.notifications.notifyWithin(commit, () => noticesFor(people(), meeting, actor, notice), { meetingId: meeting.id, ...logContext }, at);
      if (!core.mail) return;
      // As the notices: a mail that cannot be written is logged and undone, the meeting's change stands.
      try {
        commit.savepoint((inner) => core.mail!.mailWithin(inner, people(), meeting, actor, notice));
      } catch (err) {
        fastify.log.error({ err, meetingId: meeting.id, ...logContext }, 'meeting mail failed');
      }
    },
  };
  return core;
}

// ------------------------------------------------------------------ notifications

/** The meetings' notification kinds, each about a meeting (docs/meetings-api.md, "Notifications"). */
export const MEETING_NOTIFICATION_KINDS = [
  'meeting_invited', 'meeting_poll', 'meeting_poll_reminder', 'meeting_poll_deadline', 'meeting_scheduled', 'meeting_changed', 'meeting_cancelled', 'meeting_reminder', 'meeting_minutes',
] as const;
export type MeetingNotificationKind = (typeof MEETING_NOTIFICATION_KINDS)[number];

/** What a meeting notification says beyond its kind: its `details`. */
export interface MeetingNoticeDetails {
  startsAt?: string;
  previousStartsAt?: string;
  occurrenceId?: string;
  changed?: string[];
  reminder?: '24h' | '1h';
  deadline?: string;
}

/** What a meeting notification says: its kind, the details its text uses and an optional excerpt. */
export interface MeetingNotice {
  kind: MeetingNotificationKind;
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
      subject: { kind: 'meeting', id: meeting.id, title: meeting.title },
      details: { ...notice.details },
      excerpt: notice.excerpt ?? '',
    }));
}
