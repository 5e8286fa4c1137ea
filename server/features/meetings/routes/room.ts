import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import contentDisposition from 'content-disposition';
import { onlyRoles, requireUser } from '../../../plugins/authorization.js';
import type { PendingCommit } from '../../../plugins/unit-of-work.js';
import type { LiveAudience, LiveEventMap, LiveEventOf, LiveEventType } from '../../../plugins/live/hub.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { AppError, badRequest, conflict, errorResponses, forbidden, notFound } from '../../../shared/errors.js';
import { textExportResponses } from '../../../shared/responses.js';
import { newId } from '../../../shared/ids.js';
import { attendanceCsv } from '../attendance-csv.js';
import type { MeetingRoutesOptions } from '../core.js';
import type { Occurrence } from '../occurrences.js';
import * as may from '../permissions.js';
import { RoomRepository, type QuickPollAnswerRow, type QuickPollRow } from '../room-repository.js';
import {
  AgendaBody,
  AttendeeSchema,
  ChatMessageSchema,
  CsvQuery,
  EmptyBody,
  MarkAttendanceBody,
  MessagesQuery,
  NewMessage,
  NewQuickPoll,
  OccurrenceQuery,
  PersonParams,
  PollAnswerBody,
  PollParams,
  QuickPollSchema,
  RoomAttendanceSchema,
  RoomParams,
  RoomSchema,
} from '../room-schemas.js';
import type { QuickPollOption } from '../room-tables.js';
import { roomRows } from '../view-rows.js';
import { agendaEventPayload, attendeeView, chatMessageView, quickPollView, roomAttendanceView, roomView } from '../room-views.js';
import { chooseOccurrence, hasRoomOpened, isRoomOpen, requireOpenRoom, roomClosed } from '../room-window.js';
import { invitedCountryIds, type MeetingState } from '../views.js';

/** Managers run the room; the route declares these roles and the meeting decides (the secretariat: workshops only). */
const MANAGER_ROLES = onlyRoles('admin', 'coordinator', 'secretariat');
const YES_NO_ABSTAIN: QuickPollOption[] = [
  { id: 'yes', label: null },
  { id: 'no', label: null },
  { id: 'abstain', label: null },
];

const topicOf = (meetingId: string) => `meeting:${meetingId}`;

/**
 * The live room of a meeting (docs/meetings-api.md, "Live room", "Quick polls", "Room chat",
 * "Attendance records"): current agenda item, chat, quick polls and attendance of the occurrence
 * whose room is open, with their live events on the meeting's topic, stored in the same commit
 * as the write they announce.
 */
export const roomRoutes: FastifyPluginAsyncTypebox<MeetingRoutesOptions> = async (fastify, options) => {
  const { core } = options;
  const { countries, organizations } = core.views;
  const { liveHub, unitOfWork, markdown } = fastify;
  const rooms = new RoomRepository(fastify.database);
  const clock = () => options.now().getTime();

  // ---------------------------------------------------------------- helpers

  const assertNotCancelled = (state: MeetingState) => {
    if (state.meeting.status === 'cancelled') throw conflict('meeting_cancelled', 'This meeting is cancelled.');
  };

  /** The meeting if the person may see it (404 otherwise), and a 403 unless they run it. */
  const loadManaged = async (user: SessionUser, id: string) => {
    const state = await core.loadVisible(user, id);
    if (!core.mayManage(user, state.meeting)) throw forbidden('Only the meeting\'s coordinator (and admins; the secretariat for workshops) run its room.');
    return state;
  };

  const agendaIds = async (meetingId: string) => new Set((await core.repository.agenda(meetingId)).map((item) => item.id));

  const roomFor = async (user: SessionUser, state: MeetingState, occurrence: Occurrence) =>
    roomView({ rows: await roomRows(rooms, state.meeting.id, occurrence.id, user.id), state, occurrence, agendaIds: await agendaIds(state.meeting.id), viewer: user, mayManage: core.mayManage(user, state.meeting), countries, now: clock() });

  const event = <K extends LiveEventType>(meetingId: string, type: K, payload: LiveEventMap[K], audience?: LiveAudience): LiveEventOf<K> => ({ topic: topicOf(meetingId), type, payload, ...(audience ? { audience } : {}) });

  const pollView = (poll: QuickPollRow, answers: QuickPollAnswerRow[], state: MeetingState, viewer: may.Viewer | null) => {
    const occurrence = state.occurrences.find((candidate) => candidate.id === poll.occurrenceId);
    const open = state.meeting.status !== 'cancelled' && occurrence !== undefined && isRoomOpen(occurrence, clock());
    return quickPollView(poll, answers, viewer, open, countries);
  };

  /** The poll as this viewer sees it now, after the write. */
  const pollFor = async (pollId: string, state: MeetingState, viewer: may.Viewer | null) => {
    const poll = (await rooms.poll(pollId))!;
    return pollView(poll, await rooms.answers([poll.id]), state, viewer);
  };

  /** Inside the write: the poll as everyone sees it, read back in the same transaction for its event. */
  const publishPollWithin = async (commit: PendingCommit, state: MeetingState, pollId: string) => {
    const poll = pollView((await rooms.poll(pollId))!, await rooms.answers([pollId]), state, null);
    await liveHub.publishWithin(commit, [event(state.meeting.id, 'room.poll', { poll })]);
  };

  const loadPoll = async (state: MeetingState, pollId: string) => {
    const poll = await rooms.poll(pollId);
    if (!poll || poll.meetingId !== state.meeting.id) throw notFound('Poll');
    return poll;
  };

  const invitedCountriesOf = async (state: MeetingState) => invitedCountryIds(state, await core.repository.participants(state.meeting.groupId));

  const attendanceOf = async (state: MeetingState, occurrenceId: string) =>
    roomAttendanceView(await rooms.attendees(state.meeting.groupId, state.meeting.id, occurrenceId), await invitedCountriesOf(state), occurrenceId, countries);

  /** The `room.attendance` event: who changed, and the totals everyone's counter shows. */
  const attendanceEvent = async (state: MeetingState, occurrenceId: string, attendee: ReturnType<typeof attendeeView>, present: boolean) => {
    const attendees = await rooms.attendees(state.meeting.groupId, state.meeting.id, occurrenceId);
    const countriesPresent = roomAttendanceView(attendees, [], occurrenceId, countries).countriesPresent;
    return event(state.meeting.id, 'room.attendance', { occurrenceId, attendee, present, attendeeCount: attendees.length, countriesPresent });
  };

  const renderChat = async (groupId: string, source: string) => markdown.render(source, await fastify.people.mentionResolver(groupId, source));

  const parseCursor = (cursor: string | undefined): number | null => {
    if (cursor === undefined) return null;
    if (!/^[1-9]\d{0,15}$/.test(cursor)) throw badRequest('invalid_cursor', 'The cursor is not one this list gave.');
    return Number(cursor);
  };

  // ---------------------------------------------------------------- the room

  fastify.get(
    '/meetings/:id/room',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['meeting room'], summary: 'The live room of an occurrence: current agenda item, quick polls, attendance count', params: RoomParams, querystring: OccurrenceQuery, response: { 200: Type.Object({ room: RoomSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await core.loadVisible(user, request.params.id);
      const occurrence = chooseOccurrence(state.occurrences, request.query.occurrenceId, clock());
      return { room: await roomFor(user, state, occurrence) };
    },
  );

  fastify.post(
    '/meetings/:id/room/join',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['meeting room'],
        summary: 'Join the open room: records my attendance (idempotent)',
        params: RoomParams,
        body: EmptyBody,
        response: { 200: Type.Object({ room: RoomSchema, attendee: AttendeeSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await core.loadVisible(user, request.params.id);
      assertNotCancelled(state);
      const now = clock();
      const occurrence = requireOpenRoom(state.occurrences, now);
      const attendee = await unitOfWork.run(async (commit) => {
        const first = await rooms.joinNow(state.meeting.id, occurrence.id, user.id, now);
        const row = attendeeView((await rooms.attendee(state.meeting.groupId, state.meeting.id, occurrence.id, user.id))!);
        if (first) await liveHub.publishWithin(commit, [await attendanceEvent(state, occurrence.id, row, true)]);
        return row;
      });
      return { room: await roomFor(user, state, occurrence), attendee };
    },
  );

  fastify.put(
    '/meetings/:id/room/agenda',
    {
      config: { access: MANAGER_ROLES },
      schema: { tags: ['meeting room'], summary: 'Set the agenda item being discussed (everyone sees it move)', params: RoomParams, body: AgendaBody, response: { 200: Type.Object({ room: RoomSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await loadManaged(user, request.params.id);
      assertNotCancelled(state);
      const now = clock();
      const occurrence = requireOpenRoom(state.occurrences, now);
      const { agendaItemId } = request.body;
      if (agendaItemId !== null && !(await rooms.isOnAgenda(state.meeting.id, agendaItemId))) {
        throw badRequest('unknown_agenda_item', 'That item is not on this meeting\'s agenda.', [{ field: 'agendaItemId', message: 'is not an item of the agenda' }]);
      }
      await unitOfWork.run(async (commit) => {
        await rooms.setCurrentAgendaItemNow(state.meeting.id, occurrence.id, agendaItemId, user.id, now);
        const current = (await rooms.state(state.meeting.id, occurrence.id))!;
        await liveHub.publishWithin(commit, [event(state.meeting.id, 'room.agenda', agendaEventPayload(occurrence.id, current))]);
      });
      return { room: await roomFor(user, state, occurrence) };
    },
  );

  // ---------------------------------------------------------------- chat

  fastify.get(
    '/meetings/:id/room/messages',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['meeting room'],
        summary: 'The room\'s chat: the latest messages first page, each page in time order; nextCursor pages back',
        params: RoomParams,
        querystring: MessagesQuery,
        response: { 200: Type.Object({ items: Type.Array(ChatMessageSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await core.loadVisible(user, request.params.id);
      const occurrence = chooseOccurrence(state.occurrences, request.query.occurrenceId, clock());
      const { limit } = request.query;
      const rows = await rooms.messagesBefore(state.meeting.groupId, state.meeting.id, occurrence.id, parseCursor(request.query.before), limit + 1);
      const page = rows.slice(0, limit);
      return { items: page.reverse().map(chatMessageView), nextCursor: rows.length > limit ? String(page[0]!.seq) : null };
    },
  );

  fastify.post(
    '/meetings/:id/room/messages',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['meeting room'], summary: 'Say something in the open room\'s chat (Markdown)', params: RoomParams, body: NewMessage, response: { 201: Type.Object({ message: ChatMessageSchema }), ...errorResponses } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const state = await core.loadVisible(user, request.params.id);
      assertNotCancelled(state);
      const now = clock();
      const occurrence = requireOpenRoom(state.occurrences, now);
      const rendered = await renderChat(state.meeting.groupId, request.body.body);
      const message = await unitOfWork.run(async (commit) => {
        const id = await rooms.insertMessageNow({ meetingId: state.meeting.id, occurrenceId: occurrence.id, authorId: user.id, bodySource: request.body.body, bodyHtml: rendered.html, createdAt: now });
        const view = chatMessageView((await rooms.message(state.meeting.groupId, id))!);
        await liveHub.publishWithin(commit, [event(state.meeting.id, 'room.message', { message: view })]);
        return view;
      });
      reply.status(201);
      return { message };
    },
  );

  // ---------------------------------------------------------------- quick polls

  fastify.post(
    '/meetings/:id/room/polls',
    {
      config: { access: MANAGER_ROLES },
      schema: { tags: ['meeting room'], summary: 'Open a quick poll in the room', params: RoomParams, body: NewQuickPoll, response: { 201: Type.Object({ poll: QuickPollSchema }), ...errorResponses } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const state = await loadManaged(user, request.params.id);
      assertNotCancelled(state);
      const now = clock();
      const occurrence = requireOpenRoom(state.occurrences, now);
      const { question, kind, scope } = request.body;
      const labels = (request.body.options ?? []).map((label) => label.trim());
      let pollOptions: QuickPollOption[];
      if (kind === 'yes_no_abstain') {
        if (labels.length > 0) throw badRequest('invalid_options', 'A yes / no / abstain poll has its own options: give none.', [{ field: 'options', message: 'must be absent' }]);
        pollOptions = YES_NO_ABSTAIN;
      } else {
        const distinct = new Set(labels.map((label) => label.toLocaleLowerCase()));
        if (labels.length < 2 || distinct.size !== labels.length) {
          throw badRequest('invalid_options', 'Give between 2 and 10 different options.', [{ field: 'options', message: 'needs 2 to 10 distinct labels' }]);
        }
        pollOptions = labels.map((label) => ({ id: newId(), label }));
      }
      const id = newId();
      await unitOfWork.run(async (commit) => {
        await rooms.insertPollNow({ id, meetingId: state.meeting.id, occurrenceId: occurrence.id, question: question.trim(), kind, scope, options: pollOptions, createdBy: user.id, createdAt: now });
        await publishPollWithin(commit, state, id);
      });
      reply.status(201);
      return { poll: await pollFor(id, state, user) };
    },
  );

  fastify.put(
    '/meetings/:id/room/polls/:pollId/answer',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['meeting room'],
        summary: 'Answer a quick poll (per person, or for my country); replaces my earlier answer',
        params: PollParams,
        body: PollAnswerBody,
        response: { 200: Type.Object({ poll: QuickPollSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await core.loadVisible(user, request.params.id);
      const poll = await loadPoll(state, request.params.pollId);
      assertNotCancelled(state);
      if (poll.closedAt !== null) throw conflict('poll_closed', 'This poll is closed.');
      const now = clock();
      const occurrence = state.occurrences.find((candidate) => candidate.id === poll.occurrenceId);
      if (!occurrence || !isRoomOpen(occurrence, now)) throw roomClosed(state.occurrences, now);
      const { optionId } = request.body;
      if (!poll.options.some((option) => option.id === optionId)) throw badRequest('unknown_option', 'That is not one of this poll\'s options.', [{ field: 'optionId', message: 'is not an option of the poll' }]);
      if (poll.scope === 'country' && user.countryId === null) throw new AppError(403, 'no_country', 'This poll takes one answer per country, and you do not speak for a country.');
      const voter = poll.scope === 'person' ? `p:${user.id}` : `c:${user.countryId}`;
      await unitOfWork.run(async (commit) => {
        // Checked inside the write: two delegates of one country answering at once cannot both win.
        const holder = await rooms.answerOf(poll.id, voter);
        if (holder && holder.userId !== user.id) {
          throw new AppError(409, 'country_already_answered', `${holder.userName} has already answered for your country.`, { answeredBy: { id: holder.userId, displayName: holder.userName } });
        }
        await rooms.setAnswerNow(poll.id, voter, user.id, poll.scope === 'country' ? user.countryId : null, optionId, now);
        await publishPollWithin(commit, state, poll.id);
      });
      return { poll: await pollFor(poll.id, state, user) };
    },
  );

  fastify.post(
    '/meetings/:id/room/polls/:pollId/close',
    {
      config: { access: MANAGER_ROLES },
      schema: { tags: ['meeting room'], summary: 'Close a quick poll: its results stay', params: PollParams, body: EmptyBody, response: { 200: Type.Object({ poll: QuickPollSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await loadManaged(user, request.params.id);
      const poll = await loadPoll(state, request.params.pollId);
      await unitOfWork.run(async (commit) => {
        if (!(await rooms.closePollNow(poll.id, user.id, clock()))) throw conflict('poll_closed', 'This poll is already closed.');
        await publishPollWithin(commit, state, poll.id);
      });
      return { poll: await pollFor(poll.id, state, user) };
    },
  );

  // ---------------------------------------------------------------- attendance

  fastify.get(
    '/meetings/:id/room/attendance',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['meeting room'], summary: 'Who attended an occurrence (joined the room or marked by hand), by country', params: RoomParams, querystring: OccurrenceQuery, response: { 200: Type.Object({ attendance: RoomAttendanceSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await core.loadVisible(user, request.params.id);
      const occurrence = chooseOccurrence(state.occurrences, request.query.occurrenceId, clock());
      return { attendance: await attendanceOf(state, occurrence.id) };
    },
  );

  fastify.put(
    '/meetings/:id/room/attendance/:userId',
    {
      config: { access: MANAGER_ROLES },
      schema: {
        tags: ['meeting room'],
        summary: 'Mark someone present by hand (only on the video call), or take a record back',
        params: PersonParams,
        body: MarkAttendanceBody,
        response: { 200: Type.Object({ attendance: RoomAttendanceSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await loadManaged(user, request.params.id);
      assertNotCancelled(state);
      const now = clock();
      const occurrence = chooseOccurrence(state.occurrences, request.body.occurrenceId, now);
      if (occurrence.state === 'cancelled') throw conflict('occurrence_cancelled', 'This occurrence of the meeting is cancelled.');
      if (!hasRoomOpened(occurrence, now)) throw conflict('occurrence_not_started', 'Attendance can be recorded once the meeting\'s room has opened.');
      const person = (await core.repository.participants(state.meeting.groupId)).find((candidate) => candidate.id === request.params.userId);
      if (!person || !may.maySee({ ...person, groupId: state.meeting.groupId }, state.meeting, state.invitees)) {
        throw badRequest('not_invited', 'That person is not invited to this meeting.', [{ field: 'userId', message: 'is not an invitee' }]);
      }
      const { meeting } = state;
      await unitOfWork.run(async (commit) => {
        if (request.body.present) {
          await rooms.markNow(meeting.id, occurrence.id, person.id, user.id, now);
          const marked = attendeeView((await rooms.attendee(meeting.groupId, meeting.id, occurrence.id, person.id))!);
          await liveHub.publishWithin(commit, [await attendanceEvent(state, occurrence.id, marked, true)]);
        } else {
          const before = await rooms.attendee(meeting.groupId, meeting.id, occurrence.id, person.id);
          if (before && (await rooms.unmarkNow(meeting.id, occurrence.id, person.id))) await liveHub.publishWithin(commit, [await attendanceEvent(state, occurrence.id, attendeeView(before), false)]);
        }
      });
      return { attendance: await attendanceOf(state, occurrence.id) };
    },
  );

  fastify.get(
    '/meetings/:id/room/attendance.csv',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['meeting room'],
        summary: 'Attendance by country as CSV (UTF-8 with BOM, for spreadsheets)',
        params: RoomParams,
        querystring: CsvQuery,
        response: textExportResponses('text/csv', 'Attendance by country, as an attachment'),
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const state = await core.loadVisible(user, request.params.id);
      const occurrence = chooseOccurrence(state.occurrences, request.query.occurrenceId, clock());
      const { meeting } = state;
      const attendees = await rooms.attendees(meeting.groupId, meeting.id, occurrence.id);
      const view = roomAttendanceView(attendees, await invitedCountriesOf(state), occurrence.id, countries);
      const language = request.query.lang ?? (user.locale === 'en' || user.locale === 'fr' ? 'en' : 'es');
      const csv = attendanceCsv({ attendees, absentCountryIds: view.countriesAbsent, countries, organizations, timeZone: meeting.timeZone, language, separator: request.query.separator });
      const day = new Date(occurrence.startsAt).toISOString().slice(0, 10);
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition(`attendance-${meeting.id}-${day}.csv`))
        .header('cache-control', 'private, no-store');
      return csv;
    },
  );
};
