import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import { conflict, errorResponses, notFound } from '../../../shared/errors.js';
import type { MeetingRoutesOptions } from '../core.js';
import { assertTimes, CREATORS, iso, meetingEdits, OccurrenceParams, parseInstant } from '../editing.js';
import { findOccurrence, type Occurrence } from '../occurrences.js';
import { MeetingDetailSchema, OccurrenceChange } from '../schemas.js';

/** One occurrence of a series: moved, cancelled or restored on its own. */
export const occurrenceRoutes: FastifyPluginAsyncTypebox<MeetingRoutesOptions> = async (fastify, options) => {
  const { core } = options;
  const { repository } = core;
  const { unitOfWork } = fastify;
  const clock = options.now;
  const { afterWrite, notifyWithin, detailFor, assertNotCancelled } = meetingEdits(fastify, options);

  fastify.patch(
    '/meetings/:id/occurrences/:occurrenceId',
    {
      config: { access: CREATORS },
      schema: { tags: ['meetings'], summary: 'Move, cancel or restore one occurrence of a series', params: OccurrenceParams, body: OccurrenceChange, response: { 200: Type.Object({ meeting: MeetingDetailSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const current = await core.loadManaged(user, request.params.id);
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
        write = () => repository.setOverrideNow(meeting.id, occurrence.originalStartsAt, 'moved', startsAt, endsAt, at);
      } else if (body.state === 'cancelled') {
        if (occurrence.state === 'cancelled') throw conflict('meeting_cancelled', 'This occurrence is already cancelled.');
        action = 'occurrence_cancelled';
        write = () => repository.setOverrideNow(meeting.id, occurrence.originalStartsAt, 'cancelled', occurrence.originalStartsAt, occurrence.originalStartsAt + duration, at);
      } else {
        action = 'occurrence_restored';
        startsAt = occurrence.originalStartsAt;
        write = () => repository.deleteOverrideNow(meeting.id, occurrence.originalStartsAt);
      }
      const invited = core.invitedPeople(current);
      await unitOfWork.run(async (commit) => {
        write();
        repository.updateNow(meeting.id, { ...meeting, sequence: meeting.sequence + 1, updatedAt: at });
        const after = core.state(repository.findNow(meeting.id)!);
        const moved = after.occurrences.find((candidate) => candidate.id === occurrence.id)!;
        repository.addChangeNow(meeting.id, {
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
        await afterWrite(commit, meeting.id);
        await notifyWithin(commit, () => invited, after.meeting, user, {
          kind: action === 'occurrence_cancelled' ? 'meeting_cancelled' : 'meeting_changed',
          details: { occurrenceId: occurrence.id, startsAt: iso(startsAt), previousStartsAt: iso(occurrence.startsAt), ...(action === 'occurrence_cancelled' ? {} : { changed: ['startsAt'] }) },
        });
      });
      return detailFor(user, meeting.id);
    },
  );
};
