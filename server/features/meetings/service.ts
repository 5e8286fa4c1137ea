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
    closedQuickPolls: async (user, { threadId, limit }) => {
      const polls = await rooms.closedPollsOfGroup(user.groupId, 200);
      const visible = new Map<string, { title: string; timeZone: string; occurrences: Map<string, number>; linked: boolean } | null>();
      for (const meetingId of new Set(polls.map((poll) => poll.meetingId))) {
        try {
          const state = await core.loadVisible(user, meetingId);
          const linked = threadId !== undefined && (await core.linked.linksOf(meetingId)).threadIds.includes(threadId);
          visible.set(meetingId, { title: state.meeting.title, timeZone: state.meeting.timeZone, occurrences: new Map(state.occurrences.map((o) => [o.id, o.startsAt])), linked });
        } catch (error) {
          if (error instanceof AppError && error.statusCode === 404) visible.set(meetingId, null);
          else throw error;
        }
      }
      const shown = polls.filter((poll) => visible.get(poll.meetingId));
      const counts = new Map<string, number>();
      for (const answer of await rooms.answers(shown.map((poll) => poll.id))) counts.set(answer.pollId, (counts.get(answer.pollId) ?? 0) + 1);
      return shown
        .map((poll) => {
          const meeting = visible.get(poll.meetingId)!;
          return {
            id: poll.id,
            meetingId: poll.meetingId,
            meetingTitle: meeting.title,
            question: poll.question,
            scope: poll.scope,
            answerCount: counts.get(poll.id) ?? 0,
            closedAt: poll.closedAt!,
            occurrenceStartsAt: meeting.occurrences.get(poll.occurrenceId) ?? poll.createdAt,
            timeZone: meeting.timeZone,
            linked: meeting.linked,
          };
        })
        .sort((a, b) => Number(b.linked) - Number(a.linked))
        .slice(0, limit);
    },
  };
}
