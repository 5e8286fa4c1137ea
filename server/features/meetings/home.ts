import type { SessionUser } from '../../plugins/sessions/index.js';
import type { HomeContext, HomeItem, HomeSection } from '../home/public.js';
import { SINGLE_OCCURRENCE } from './occurrences.js';
import * as may from './permissions.js';
import type { MeetingsRepository } from './repository.js';
import { nextOccurrence, visibleOccurrences, type MeetingState } from './views.js';

const DAY_MS = 24 * 60 * 60_000;
/** How far ahead "upcoming meetings" look. */
export const UPCOMING_DAYS = 14;

/** Meetings tell their invitees through notifications; a meeting's own topic is not followed (one per meeting). */
const LIVE_EVENTS = ['notification.created'];

const meetingPath = (meetingId: string, occurrenceId?: string) =>
  `/meetings/${encodeURIComponent(meetingId)}${occurrenceId && occurrenceId !== SINGLE_OCCURRENCE ? `?occurrence=${encodeURIComponent(occurrenceId)}` : ''}`;

/** Sooner first; lines without a date last. */
const byTime = (a: HomeItem, b: HomeItem) => (a.at ?? Number.MAX_SAFE_INTEGER) - (b.at ?? Number.MAX_SAFE_INTEGER) || a.id.localeCompare(b.id);

/**
 * The meetings' part of the home page: what asks for the person's answer (availability polls,
 * attendance at their next meetings) and what is coming in the next two weeks. Both read the
 * meetings the person may see once per request (HomeContext.shared).
 */
export function meetingsHomeSections(repository: MeetingsRepository): HomeSection[] {
  const visibleTo = (user: SessionUser, context: HomeContext): Promise<MeetingState[]> =>
    context.shared('meetings.visible', async () => {
      const invitees = await repository.inviteesOfGroup(user.groupId);
      const overrides = await repository.overridesOfGroup(user.groupId);
      return (await repository.ofGroup(user.groupId))
        .map((meeting): MeetingState => ({ meeting, invitees: invitees.get(meeting.id) ?? [], occurrences: visibleOccurrences(meeting, overrides.get(meeting.id) ?? []) }))
        .filter((state) => may.maySee(user, state.meeting, state.invitees));
    });
  const myAttendance = (user: SessionUser, context: HomeContext) => context.shared('meetings.attendance', () => repository.attendanceOf(user.id));
  const live = (user: SessionUser) => ({ topics: [`user:${user.id}`], events: LIVE_EVENTS });

  return [
    {
      id: 'meetings.to-answer',
      order: 20,
      seeAllPath: '/meetings/mine',
      live,
      load: async (user, context) => {
        const now = context.now.getTime();
        const attendance = await myAttendance(user, context);
        const items: HomeItem[] = [];
        // Only what the person is invited to answers for them; the organizer answers by organizing.
        for (const { meeting, invitees, occurrences } of await visibleTo(user, context)) {
          if (meeting.organizerId === user.id || !may.isInvited(user, meeting, invitees)) continue;
          if (meeting.status === 'polling') {
            const open = meeting.pollClosedAt === null && (meeting.pollDeadline === null || meeting.pollDeadline > now);
            if (open && !(await repository.respondents(meeting.id)).has(user.id)) {
              items.push({ id: `${meeting.id} poll`, kind: 'poll', path: meetingPath(meeting.id), title: meeting.title, at: meeting.pollDeadline, timeZone: meeting.timeZone });
            }
          } else if (meeting.status === 'scheduled') {
            const next = nextOccurrence(occurrences, now);
            if (next && next.state !== 'cancelled' && !attendance.has(`${meeting.id} ${next.id}`)) {
              items.push({ id: `${meeting.id} ${next.id}`, kind: 'attendance', path: meetingPath(meeting.id, next.id), title: meeting.title, at: next.startsAt, endsAt: next.endsAt, timeZone: meeting.timeZone });
            }
          }
        }
        items.sort(byTime);
        return { count: items.length, items: items.slice(0, context.limit) };
      },
    },
    {
      id: 'meetings.upcoming',
      order: 40,
      seeAllPath: '/meetings',
      live,
      load: async (user, context) => {
        const now = context.now.getTime();
        const until = now + UPCOMING_DAYS * DAY_MS;
        const attendance = await myAttendance(user, context);
        const items: HomeItem[] = [];
        for (const { meeting, occurrences } of await visibleTo(user, context)) {
          for (const occurrence of occurrences) {
            if (occurrence.state === 'cancelled' || occurrence.endsAt <= now || occurrence.startsAt >= until) continue;
            items.push({
              id: `${meeting.id} ${occurrence.id}`,
              kind: meeting.kind,
              path: meetingPath(meeting.id, occurrence.id),
              title: meeting.title,
              at: occurrence.startsAt,
              endsAt: occurrence.endsAt,
              timeZone: meeting.timeZone,
              actor: meeting.organizerName,
              state: attendance.get(`${meeting.id} ${occurrence.id}`) ?? null,
            });
          }
        }
        items.sort(byTime);
        return { count: items.length, items: items.slice(0, context.limit) };
      },
    },
  ];
}
