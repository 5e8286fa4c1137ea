import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { badRequest, conflict, errorResponses, forbidden } from '../../../shared/errors.js';
import type { MeetingRoutesOptions } from '../core.js';
import { CREATORS, IdParams, iso, meetingEdits, parseInstant } from '../editing.js';
import { monthlyWeekOf } from '../occurrences.js';
import type { MeetingRow } from '../repository.js';
import { CloseBody, MeetingDetailSchema, PollAnswersBody, PollChanges, PollSchema } from '../schemas.js';
import * as may from '../permissions.js';

/** Availability polls: the results, answers, changes to the slots and deadline, and closing by picking a slot. */
export const pollRoutes: FastifyPluginAsyncTypebox<MeetingRoutesOptions> = async (fastify, options) => {
  const { core } = options;
  const context = core.views;
  const { repository } = core;
  const { unitOfWork } = fastify;
  const clock = options.now;
  const { slotsOf, afterWrite, notifyWithin, publishPollWithin, detailFor } = meetingEdits(fastify, options);

  const loadPoll = async (user: SessionUser, id: string) => {
    const current = await core.loadVisible(user, id);
    if (current.meeting.pollOpenedAt === null) throw conflict('not_polling', 'This meeting has no availability poll.');
    return current;
  };
  const assertPollOpen = (meeting: MeetingRow) => {
    if (meeting.status === 'cancelled') throw conflict('meeting_cancelled', 'This meeting is cancelled.');
    if (meeting.pollClosedAt !== null || meeting.status !== 'polling') throw conflict('poll_closed', 'This poll is closed.');
  };

  /** A meeting whose open poll the caller runs: changing its slots or closing it. */
  const loadManagedOpenPoll = async (user: SessionUser, id: string) => {
    const current = await core.loadManaged(user, id);
    if (current.meeting.pollOpenedAt === null) throw conflict('not_polling', 'This meeting has no availability poll.');
    assertPollOpen(current.meeting);
    return current;
  };

  fastify.get(
    '/meetings/:id/poll',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'The availability poll and its results, best slot first', params: IdParams, response: { 200: Type.Object({ poll: PollSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      return { poll: core.poll(await loadPoll(user, request.params.id), user) };
    },
  );

  fastify.put(
    '/meetings/:id/poll/answers',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'My answers to the poll (replacing my earlier ones)', params: IdParams, body: PollAnswersBody, response: { 200: Type.Object({ poll: PollSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const current = await loadPoll(user, request.params.id);
      const { meeting } = current;
      if (!may.mayAnswer(user, meeting, current.invitees)) throw forbidden('Only the people invited answer this poll.');
      assertPollOpen(meeting);
      const now = clock().getTime();
      if (meeting.pollDeadline !== null && now >= meeting.pollDeadline) throw conflict('poll_deadline_passed', 'The poll\'s deadline has passed.');
      const slots = new Set(repository.slotsNow(meeting.id).map((slot) => slot.id));
      const unknown = request.body.answers.filter((answer) => !slots.has(answer.slotId));
      if (unknown.length > 0) throw badRequest('unknown_slot', 'Some answers are for slots this poll does not have.', unknown.map((answer) => ({ field: 'answers.slotId', message: `${answer.slotId} is unknown` })));
      const answers = [...new Map(request.body.answers.map((answer) => [answer.slotId, answer])).values()];
      await unitOfWork.run((commit) => {
        repository.setPollAnswersNow(meeting.id, user.id, answers, now);
        publishPollWithin(commit, core.state(meeting));
      });
      return { poll: core.poll(core.state(repository.findNow(meeting.id)!), user) };
    },
  );

  fastify.patch(
    '/meetings/:id/poll',
    { config: { access: CREATORS }, schema: { tags: ['meetings'], summary: 'Change the poll\'s slots or deadline', params: IdParams, body: PollChanges, response: { 200: Type.Object({ poll: PollSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const current = await loadManagedOpenPoll(user, request.params.id);
      const { meeting } = current;
      const now = clock().getTime();
      const slots = request.body.slots ? slotsOf(request.body.slots, meeting.kind) : null;
      const deadline = request.body.deadline === undefined ? meeting.pollDeadline : request.body.deadline === null ? null : parseInstant(request.body.deadline);
      if (deadline !== null && deadline !== meeting.pollDeadline && deadline <= now) throw badRequest('validation_failed', 'The poll\'s deadline has already passed.', [{ field: 'deadline', message: 'is in the past' }]);
      await unitOfWork.run(async (commit) => {
        const before = repository.slotsNow(meeting.id).map((slot) => `${iso(slot.startsAt)}/${iso(slot.endsAt)}`);
        if (slots) repository.replaceSlotsNow(meeting.id, slots);
        repository.updateNow(meeting.id, { ...meeting, pollDeadline: deadline, updatedAt: now });
        const after = repository.slotsNow(meeting.id).map((slot) => `${iso(slot.startsAt)}/${iso(slot.endsAt)}`);
        const changes = [
          ...(JSON.stringify(before) !== JSON.stringify(after) ? [{ field: 'pollSlots', from: before, to: after }] : []),
          ...(deadline !== meeting.pollDeadline ? [{ field: 'pollDeadline', from: meeting.pollDeadline === null ? null : iso(meeting.pollDeadline), to: deadline === null ? null : iso(deadline) }] : []),
        ];
        if (changes.length > 0) repository.addChangeNow(meeting.id, { at: now, actorId: user.id, action: 'updated', changes });
        const updated = await afterWrite(commit, meeting.id);
        publishPollWithin(commit, updated);
      });
      return { poll: core.poll(core.state(repository.findNow(meeting.id)!), user) };
    },
  );

  fastify.post(
    '/meetings/:id/poll/close',
    { config: { access: CREATORS }, schema: { tags: ['meetings'], summary: 'Close the poll by picking a slot: the meeting is scheduled then', params: IdParams, body: CloseBody, response: { 200: Type.Object({ meeting: MeetingDetailSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const current = await loadManagedOpenPoll(user, request.params.id);
      const { meeting } = current;
      const slot = repository.slotsNow(meeting.id).find((candidate) => candidate.id === request.body.slotId);
      if (!slot) throw badRequest('unknown_slot', 'That slot is not one of this poll\'s.', [{ field: 'slotId', message: 'is unknown' }]);
      const now = clock().getTime();
      // A monthly series counts its weeks from the chosen date.
      const recurrence = meeting.recurrence?.frequency === 'monthly' ? { ...meeting.recurrence, monthlyWeek: monthlyWeekOf(slot.startsAt, meeting.timeZone) } : meeting.recurrence;
      await unitOfWork.run(async (commit) => {
        repository.updateNow(meeting.id, { ...meeting, status: 'scheduled', startsAt: slot.startsAt, endsAt: slot.endsAt, recurrence, pollClosedAt: now, chosenSlotId: slot.id, sequence: meeting.sequence + 1, updatedAt: now });
        repository.addChangeNow(meeting.id, { at: now, actorId: user.id, action: 'poll_closed', changes: [{ field: 'startsAt', from: null, to: iso(slot.startsAt) }, { field: 'endsAt', from: null, to: iso(slot.endsAt) }] });
        const after = await afterWrite(commit, meeting.id);
        publishPollWithin(commit, after);
        await notifyWithin(commit, () => core.invitedPeople(after), after.meeting, user, { kind: 'meeting_scheduled', details: { startsAt: iso(slot.startsAt) } });
      });
      return detailFor(user, meeting.id);
    },
  );
};
