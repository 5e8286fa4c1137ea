import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import { accessChanged } from '../../../plugins/live/hub.js';
import { badRequest, conflict, errorResponses } from '../../../shared/errors.js';
import { newId } from '../../../shared/ids.js';
import { assertTimeZone } from '../../../shared/schemas.js';
import type { MeetingRoutesOptions } from '../core.js';
import { comparable, CREATORS, DAY_MS, IdParams, inviteesOf, iso, meetingEdits, NOTIFIED_FIELDS, parseInstant, recurrenceOf, TIME_FIELDS, type Draft } from '../editing.js';
import { MinutesRepository } from '../minutes-repository.js';
import { monthlyWeekOf, seriesStarts, type Occurrence } from '../occurrences.js';
import { CancelBody, ChangeSchema, ListQuery, MeetingChanges, MeetingDetailSchema, MeetingListItemSchema, NewMeeting } from '../schemas.js';
import { occurrenceView, summaryView, visibleOccurrences, type MeetingState } from '../views.js';
import * as may from '../permissions.js';

const MAX_RANGE_MS = 62 * DAY_MS;

/** Meetings: the lists, scheduling one (or opening its poll), reading, changing and cancelling it, and its history. */
export const meetingRoutes: FastifyPluginAsyncTypebox<MeetingRoutesOptions> = async (fastify, options) => {
  const { core } = options;
  const context = core.views;
  const { repository } = core;
  const { liveHub, unitOfWork } = fastify;
  const clock = options.now;
  const { draftOf, assertValid, slotsOf, fieldsOf, storeRelations, afterWrite, notifyWithin, detailFor, assertNotCancelled } = meetingEdits(fastify, options);

  const minutesStore = new MinutesRepository(fastify.db);

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
      const invitees = await repository.inviteesOfGroup(user.groupId);
      const overrides = await repository.overridesOfGroup(user.groupId);
      const attendance = await repository.attendanceOf(user.id);
      const visible = (await repository.ofGroup(user.groupId))
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
      const withMinutes = await minutesStore.publishedOf([...new Set(page.map((item) => item.state.meeting.id))]);
      return {
        items: page.map(({ state: current, occurrence }) => {
          if (current.meeting.pollOpenedAt !== null && !answered.has(current.meeting.id)) answered.set(current.meeting.id, repository.respondentsNow(current.meeting.id).has(user.id));
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
      await unitOfWork.run(async (commit) => {
        repository.insertNow({
          ...fieldsOf(draft, { status: polling ? 'polling' : 'scheduled', sequence: 0, cancelledAt: null, cancelReason: null, pollOpenedAt: polling ? now : null, pollDeadline: deadline, pollClosedAt: null, chosenSlotId: null }, now),
          id,
          groupId: user.groupId,
          organizerId: user.id,
          createdAt: now,
        });
        await storeRelations({ id, groupId: user.groupId }, draft, now, user.id);
        if (polling) repository.replaceSlotsNow(id, slots);
        repository.addChangeNow(id, { at: now, actorId: user.id, action: polling ? 'poll_opened' : 'created', changes: [] });
        const current = await afterWrite(commit, id);
        await notifyWithin(commit, () => core.invitedPeople(current), current.meeting, user, {
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
      return { meeting: await core.detail(await core.loadVisible(user, request.params.id), user) };
    },
  );

  fastify.patch(
    '/meetings/:id',
    { config: { access: CREATORS }, schema: { tags: ['meetings'], summary: 'Change a meeting (invitees are told what changed)', params: IdParams, body: MeetingChanges, response: { 200: Type.Object({ meeting: MeetingDetailSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { meeting } = await core.loadManaged(user, request.params.id);
      assertNotCancelled(meeting);
      const body = request.body;
      if (meeting.status === 'polling' && (body.startsAt !== undefined || body.endsAt !== undefined)) {
        throw conflict('poll_open', 'This meeting\'s time is being chosen by a poll: close the poll by picking a slot.');
      }
      const before = await draftOf(meeting);
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
      await unitOfWork.run(async (commit) => {
        repository.updateNow(meeting.id, fieldsOf(after, { ...meeting, sequence: meeting.sequence + 1 }, at));
        await storeRelations(meeting, after, at, user.id);
        // Stored ahead of the change's own events (meeting.updated carries the new link and
        // passcode): each subscriber's right is checked again before they get any of them.
        if (changedFields.some((field) => may.ACCESS_FIELDS.has(field))) liveHub.publishWithin(commit, [accessChanged(`meeting:${meeting.id}`)]);
        if (rescheduled) {
          // Moved or cancelled occurrences keep only while the series still has them.
          const starts = after.recurrence && after.startsAt !== null ? new Set(seriesStarts(after.startsAt, after.timeZone, after.recurrence)) : new Set<number>();
          for (const override of repository.overridesNow(meeting.id)) if (!starts.has(override.originalStartsAt)) repository.deleteOverrideNow(meeting.id, override.originalStartsAt);
        }
        repository.addChangeNow(meeting.id, { at, actorId: user.id, action: rescheduled ? 'rescheduled' : 'updated', changes });
        const current = await afterWrite(commit, meeting.id);
        const invited = core.invitedPeople(current);
        const notified = changedFields.filter((field) => NOTIFIED_FIELDS.has(field));
        if (notified.length > 0) {
          await notifyWithin(commit, () => invited.filter((person) => oldInvited.has(person.id)), current.meeting, user, {
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
          await notifyWithin(commit, () => added, current.meeting, user, meeting.status === 'polling' ? { kind: 'meeting_poll' } : { kind: 'meeting_invited', details: { startsAt: iso(current.meeting.startsAt!) } });
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
      const current = await core.loadManaged(user, request.params.id);
      const { meeting } = current;
      assertNotCancelled(meeting);
      const reason = request.body.reason?.trim() ?? '';
      const at = clock().getTime();
      const invited = core.invitedPeople(current);
      await unitOfWork.run(async (commit) => {
        repository.updateNow(meeting.id, { ...meeting, status: 'cancelled', cancelledAt: at, cancelReason: reason || null, sequence: meeting.sequence + 1, updatedAt: at });
        repository.addChangeNow(meeting.id, { at, actorId: user.id, action: 'cancelled', changes: [{ field: 'status', from: meeting.status, to: 'cancelled' }] });
        const after = await afterWrite(commit, meeting.id);
        await notifyWithin(commit, () => invited, after.meeting, user, { kind: 'meeting_cancelled', details: meeting.startsAt === null ? {} : { startsAt: iso(meeting.startsAt) }, excerpt: reason.slice(0, 160) });
      });
      return detailFor(user, meeting.id);
    },
  );

  fastify.get(
    '/meetings/:id/history',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'What changed in a meeting, newest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(ChangeSchema) }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { meeting } = await core.loadVisible(user, request.params.id);
      return {
        items: repository.changesNow(meeting.id).map((change) => ({
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
};
