import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.js';
import type { MeetingsCore } from './core.js';
import type { MeetingsService } from './public.js';
import { RoomRepository } from './room-repository.js';

/** `fastify.meetings` over the meetings' core and the room's storage. */
export function meetingsService(fastify: FastifyInstance, core: MeetingsCore): MeetingsService {
  const rooms = new RoomRepository(fastify.db);
  return {
    quickPoll: async (user, pollId) => {
      const poll = await rooms.poll(pollId);
      if (!poll) return null;
      let state;
      try {
        state = await core.loadVisible(user, poll.meetingId);
      } catch (error) {
        if (error instanceof AppError && error.statusCode === 404) return null;
        throw error;
      }
      const occurrence = state.occurrences.find((candidate) => candidate.id === poll.occurrenceId);
      return {
        id: poll.id,
        meetingId: poll.meetingId,
        question: poll.question,
        kind: poll.kind,
        scope: poll.scope,
        options: poll.options.map((option) => ({ id: option.id, label: option.label })),
        answers: (await rooms.answers([poll.id])).map((answer) => ({ voter: answer.voter, userId: answer.userId, countryId: answer.countryId, optionId: answer.optionId })),
        closedAt: poll.closedAt,
        meetingTitle: state.meeting.title,
        occurrenceStartsAt: occurrence?.startsAt ?? poll.createdAt,
        timeZone: state.meeting.timeZone,
      };
    },
  };
}
