import type { FastifyInstance } from 'fastify';
import type { SubjectSummary } from '../../plugins/subjects/index.js';
import { MEETING_NOTIFICATION_KINDS, type MeetingsCore } from './core.js';

/**
 * What the meetings register of the shared registries: their subject kinds and notification kinds.
 * A 'meeting' is readable by whoever may see it (its invitees, or the group for an open one);
 * 'minutes' are a meeting's minutes (its id is the meeting's), read by the same people, whose page
 * shows the published text or, to its writers, the draft. Titles are the meeting's, as written.
 */
export function defineMeetingSubjects(fastify: FastifyInstance, core: MeetingsCore): void {
  const describe = (kind: 'meeting' | 'minutes') => async (user: Parameters<MeetingsCore['maySee']>[0], ids: readonly string[]) => {
    const found = new Map<string, SubjectSummary>();
    for (const id of ids) {
      const meeting = core.repository.find(id);
      if (!meeting || !core.maySee(user, core.state(meeting))) continue;
      const href = `/meetings/${encodeURIComponent(id)}${kind === 'minutes' ? '/minutes' : ''}`;
      found.set(id, { kind, id, title: meeting.title, href, groupId: meeting.groupId });
    }
    return found;
  };
  fastify.subjects.define({ kind: 'meeting', describe: describe('meeting') });
  fastify.subjects.define({ kind: 'minutes', describe: describe('minutes') });
  for (const kind of MEETING_NOTIFICATION_KINDS) fastify.notifications.defineKind(kind, { subjects: ['meeting'] });
}
