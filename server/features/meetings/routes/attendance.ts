import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import { conflict, errorResponses, forbidden, notFound } from '../../../shared/errors.js';
import type { MeetingRoutesOptions } from '../core.js';
import { IdParams, meetingEdits } from '../editing.js';
import { findOccurrence, type Occurrence } from '../occurrences.js';
import { AttendanceBody, AttendanceQuery, AttendanceSchema, PersonRefSchema } from '../schemas.js';
import { nextOccurrence, personRef, type MeetingState } from '../views.js';
import * as may from '../permissions.js';

/** Who is invited and who is going, by country. */
export const attendanceRoutes: FastifyPluginAsyncTypebox<MeetingRoutesOptions> = async (fastify, options) => {
  const { core } = options;
  const context = core.views;
  const { repository } = core;
  const { liveHub, unitOfWork } = fastify;
  const clock = options.now;
  const { assertNotCancelled } = meetingEdits(fastify, options);

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
      const current = await core.loadVisible(user, request.params.id);
      return { items: (await core.invitedPeople(current)).map(personRef).sort((a, b) => a.displayName.localeCompare(b.displayName, 'es')) };
    },
  );

  fastify.get(
    '/meetings/:id/attendance',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'Who is going, by country', params: IdParams, querystring: AttendanceQuery, response: { 200: Type.Object({ attendance: AttendanceSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const current = await core.loadVisible(user, request.params.id);
      const occurrence = occurrenceFor(current, request.query.occurrenceId);
      return { attendance: await core.attendance(current, user, occurrence.id) };
    },
  );

  fastify.put(
    '/meetings/:id/attendance',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'My answer: going, maybe or not going, with a note', params: IdParams, body: AttendanceBody, response: { 200: Type.Object({ attendance: AttendanceSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const current = await core.loadVisible(user, request.params.id);
      if (!may.mayAnswer(user, current.meeting, current.invitees)) throw forbidden('Only the people invited answer for this meeting.');
      assertNotCancelled(current.meeting);
      const occurrence = occurrenceFor(current, request.body.occurrenceId);
      if (occurrence.state === 'cancelled') throw conflict('meeting_cancelled', 'This occurrence is cancelled.');
      const now = clock().getTime();
      const attendance = await unitOfWork.run(async (commit) => {
        await repository.setAttendanceNow(current.meeting.id, occurrence.id, user.id, request.body.answer, request.body.note?.trim() ?? '', now);
        // The counts and the countries with nobody going are the same for every viewer: one view serves the event and the answer.
        const view = await core.attendance(current, user, occurrence.id);
        await liveHub.publishWithin(commit, [{ topic: `meeting:${current.meeting.id}`, type: 'attendance.updated', payload: { occurrenceId: occurrence.id, counts: view.counts, countriesWithNobodyGoing: view.countriesWithNobodyGoing } }]);
        return view;
      });
      return { attendance };
    },
  );
};
