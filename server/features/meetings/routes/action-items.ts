import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../../plugins/authorization.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { badRequest, conflict, errorResponses, forbidden, notFound } from '../../../shared/errors.js';
import type { MeetingRoutesOptions } from '../core.js';
import { mayChangeActionItem } from '../minutes-permissions.js';
import { MinutesRepository, type ActionItemRow } from '../minutes-repository.js';
import { ActionItemListQuery, ActionItemParams, ActionItemSchema, PullAnswer, PullBody, StatusBody } from '../minutes-schemas.js';
import { utcDate } from '../minutes-views.js';
import { actionItemViewer } from '../view-rows.js';
import { RoomParams } from '../room-schemas.js';
import type { MeetingState } from '../views.js';

const MANAGER_ROLES = onlyRoles('admin', 'coordinator', 'secretariat');
/** The core's agenda limit (NewMeeting.agenda). */
const MAX_AGENDA_ITEMS = 50;
const PULLED_ITEM_MINUTES = 10;
const iso = (ms: number) => new Date(ms).toISOString();
const agendaLine = (item: { title: string; presenter: string; minutes: number }) => `${item.title} · ${item.presenter} · ${item.minutes}`;

/**
 * Action items of published minutes, across meetings and series (docs/meetings-api.md, "Action
 * items"): the open list by country, marking them done, and pulling them into another meeting's agenda.
 */
export const actionItemRoutes: FastifyPluginAsyncTypebox<MeetingRoutesOptions> = async (fastify, options) => {
  const { core } = options;
  const { countries } = core.views;
  const { liveHub, unitOfWork } = fastify;
  const minutes = new MinutesRepository(fastify.db);
  const views = actionItemViewer(core, minutes);
  const clock = () => options.now().getTime();

  /** Items of meetings this person may see: states read once per meeting. */
  const visibleTo = (user: SessionUser, rows: ActionItemRow[]) => {
    const seen = new Map<string, boolean>();
    return rows.filter((row) => {
      if (!seen.has(row.meetingId)) {
        const meeting = core.repository.findNow(row.meetingId);
        seen.set(row.meetingId, meeting !== undefined && core.maySee(user, core.state(meeting)));
      }
      return seen.get(row.meetingId)!;
    });
  };

  /** The item's country for the list: its own, else its person's. */
  const countryOf = (row: ActionItemRow) => row.responsibleCountryId ?? row.responsiblePersonCountryId;

  const loadItem = async (user: SessionUser, id: string) => {
    const row = await minutes.item(id);
    if (!row || row.removedAt !== null || row.groupId !== user.groupId || visibleTo(user, [row]).length === 0) throw notFound('Action item');
    return row;
  };

  fastify.get(
    '/action-items',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['meeting minutes'],
        summary: 'Action items of published minutes, by responsible country, with their source meeting',
        querystring: ActionItemListQuery,
        response: { 200: Type.Object({ items: Type.Array(ActionItemSchema), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { status, countryId, personId, meetingId, overdue, offset, limit } = request.query;
      const today = utcDate(clock());
      const byName = (a: string, b: string) => (countries.get(a)?.nameEs ?? a).localeCompare(countries.get(b)?.nameEs ?? b, 'es');
      const rows = visibleTo(user, await minutes.itemsOfGroup(user.groupId, status))
        .filter((row) => countryId === undefined || countryOf(row) === countryId)
        .filter((row) => personId === undefined || row.responsiblePersonId === personId)
        .filter((row) => meetingId === undefined || row.meetingId === meetingId)
        .filter((row) => overdue !== true || (row.status === 'open' && row.dueDate !== null && row.dueDate < today))
        .sort((a, b) => {
          const ca = countryOf(a);
          const cb = countryOf(b);
          if (ca !== cb) return ca === null ? 1 : cb === null ? -1 : byName(ca, cb);
          if (a.dueDate !== b.dueDate) return a.dueDate === null ? 1 : b.dueDate === null ? -1 : a.dueDate.localeCompare(b.dueDate);
          return a.createdAt - b.createdAt || a.meetingId.localeCompare(b.meetingId) || a.occurrenceId.localeCompare(b.occurrenceId) || a.position - b.position;
        });
      return { items: views(rows.slice(offset, offset + limit), user), total: rows.length };
    },
  );

  fastify.put(
    '/action-items/:id/status',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['meeting minutes'], summary: 'Mark an action item done, or open again', params: ActionItemParams, body: StatusBody, response: { 200: Type.Object({ actionItem: ActionItemSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const row = await loadItem(user, request.params.id);
      if (!mayChangeActionItem(user, row)) throw forbidden('Only the person or country responsible, the coordinator and the secretariat close an action item.');
      if (row.status !== request.body.status) {
        await unitOfWork.run((commit) => {
          minutes.setStatusNow(row.id, request.body.status, user.id, clock());
          liveHub.publishWithin(commit, [{ topic: `meeting:${row.meetingId}`, type: 'action_item.updated', payload: { actionItem: views([minutes.itemNow(row.id)!], null)[0]! } }]);
        });
      }
      return { actionItem: views([(await minutes.item(row.id))!], user)[0]! };
    },
  );

  fastify.post(
    '/meetings/:id/agenda/action-items',
    {
      config: { access: MANAGER_ROLES },
      schema: {
        tags: ['meeting minutes'],
        summary: 'Put open action items on this meeting\'s agenda (follow-up)',
        params: RoomParams,
        body: PullBody,
        response: { 200: PullAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const state: MeetingState = await core.loadVisible(user, request.params.id);
      const { meeting } = state;
      if (!core.mayManage(user, meeting)) throw forbidden('Only the meeting\'s coordinator (and admins; the secretariat for workshops) change its agenda.');
      if (meeting.status === 'cancelled') throw conflict('meeting_cancelled', 'This meeting is cancelled.');
      const requested = await Promise.all(request.body.actionItemIds.map((id) => minutes.item(id)));
      const visible = new Set(visibleTo(user, requested.filter((row): row is ActionItemRow => row !== undefined && row.groupId === user.groupId)).map((row) => row.id));
      const unknown = request.body.actionItemIds.filter((id, i) => {
        const row = requested[i];
        return !row || row.removedAt !== null || row.status !== 'open' || !visible.has(id);
      });
      if (unknown.length > 0) throw badRequest('unknown_action_item', 'Some of these are not open action items you may see.', unknown.map((id) => ({ field: 'actionItemIds', message: `${id} is not an open action item` })));
      const already = new Set((await minutes.pullsOf(request.body.actionItemIds)).filter((pull) => pull.meetingId === meeting.id).map((pull) => pull.actionItemId));
      const pulled = requested.filter((row): row is ActionItemRow => row !== undefined && !already.has(row.id));
      const now = clock();
      const before = core.repository.agendaNow(meeting.id);
      if (before.length + pulled.length > MAX_AGENDA_ITEMS) throw badRequest('agenda_full', `An agenda holds at most ${MAX_AGENDA_ITEMS} items.`, [{ field: 'actionItemIds', message: 'too many for the agenda' }]);
      const presenterOf = (row: ActionItemRow) => {
        const country = row.responsibleCountryId ? countries.get(row.responsibleCountryId) : undefined;
        return [row.responsiblePersonName, country?.nameEs].filter(Boolean).join(', ').slice(0, 200);
      };
      const added = await unitOfWork.run(async (commit) => {
        if (pulled.length === 0) return [];
        const additions = pulled.map((row) => ({ title: row.text.replace(/\s+/g, ' ').trim().slice(0, 200), presenter: presenterOf(row), minutes: PULLED_ITEM_MINUTES }));
        core.repository.replaceAgendaNow(meeting.id, [...before, ...additions], now);
        const known = new Set(before.map((item) => item.id));
        const after = core.repository.agendaNow(meeting.id);
        const fresh = after.filter((item) => !known.has(item.id));
        const links = pulled.map((row, i) => ({ actionItemId: row.id, agendaItemId: fresh[i]!.id }));
        for (const link of links) minutes.addPullNow(link.actionItemId, meeting.id, link.agendaItemId, user.id, now);
        // As an agenda edit through PATCH /meetings/:id: calendars see it, the history shows it, invitees are told.
        core.repository.updateNow(meeting.id, { ...meeting, sequence: meeting.sequence + 1, updatedAt: now });
        core.repository.addChangeNow(meeting.id, { at: now, actorId: user.id, action: 'updated', changes: [{ field: 'agenda', from: before.map(agendaLine), to: after.map(agendaLine) }] });
        await core.publishUpdatedWithin(commit, meeting.id);
        await core.notifyWithin(commit, () => core.invitedPeople(state), meeting, user, { kind: 'meeting_changed', details: { changed: ['agenda'], ...(meeting.startsAt !== null ? { startsAt: iso(meeting.startsAt) } : {}) } }, {}, new Date(now));
        return links;
      });
      const agenda = core.repository.agendaNow(meeting.id).map((item) => ({ id: item.id, title: item.title, presenter: item.presenter, minutes: item.minutes }));
      return { agenda, added };
    },
  );
};
