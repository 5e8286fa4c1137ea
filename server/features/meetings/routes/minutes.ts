import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import contentDisposition from 'content-disposition';
import { DateTime } from 'luxon';
import { onlyRoles, requireUser } from '../../../plugins/authorization.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { AppError, badRequest, conflict, errorResponses, forbidden, notFound } from '../../../shared/errors.js';
import { textExportResponses } from '../../../shared/responses.js';
import { newId } from '../../../shared/ids.js';
import type { MeetingRoutesOptions } from '../core.js';
import { applySave, emptyDraft, type DraftState, type MinutesPatch, type SectionPatch } from '../minutes-draft.js';
import { minutesHtml, minutesMarkdown, PRINT_STYLES_CSP, type ExportLanguage, type MinutesDocument } from '../minutes-export.js';
import { MINUTES_WRITER_ROLES, mayWriteMinutes } from '../minutes-permissions.js';
import { MinutesRepository, type ActionItemRow, type MinutesRow } from '../minutes-repository.js';
import { ExportQuery, MinutesQuery, MinutesSaveBody, MinutesSchema, PublishBody } from '../minutes-schemas.js';
import type { MinutesContent, PublishedMinutesSnapshot } from '../minutes-tables.js';
import { actionItemViewer } from '../view-rows.js';
import type { Occurrence } from '../occurrences.js';
import { RoomRepository } from '../room-repository.js';
import { RoomParams } from '../room-schemas.js';
import { byCountryName, sortAttendees } from '../room-views.js';
import { chooseOccurrence, hasRoomOpened } from '../room-window.js';
import { invitedCountryIds, occurrenceView, pageUrlOf, type MeetingState } from '../views.js';

const WRITERS = onlyRoles(...MINUTES_WRITER_ROLES);
const EXCERPT_LENGTH = 160;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Minutes of a meeting's occurrence (docs/meetings-api.md, "Minutes and action items"): the draft
 * writers save continuously, publishing (which notifies the invitees once and puts the action
 * items on the open list), and the Markdown and printable HTML exports.
 */
export const minutesRoutes: FastifyPluginAsyncTypebox<MeetingRoutesOptions> = async (fastify, options) => {
  const { core } = options;
  const { countries, organizations } = core.views;
  const { liveHub, unitOfWork, markdown } = fastify;
  const minutes = new MinutesRepository(fastify.database);
  const rooms = new RoomRepository(fastify.database);
  const actionItemViews = actionItemViewer(core, minutes);
  const clock = () => options.now().getTime();

  /** A renderer for every text of a draft, its @mentions looked up at once (the render itself is synchronous). */
  const rendererFor = async (groupId: string, content: MinutesContent) => {
    const resolver = await fastify.people.mentionResolver(groupId, [content.introduction, ...content.sections.flatMap((section) => [section.summary, section.decisions])].join('\n'));
    return (source: string) => markdown.render(source, resolver);
  };

  const agendaTitles = async (meetingId: string) => new Map((await core.repository.agenda(meetingId)).map((item) => [item.id, item.title]));

  const draftStateOf = async (state: MeetingState, row: MinutesRow | undefined): Promise<DraftState> =>
    row ? { content: row.draft, revision: row.revision, fieldRevisions: row.fieldRevisions } : { content: emptyDraft(await core.repository.agenda(state.meeting.id)), revision: 0, fieldRevisions: {} };

  /** The published snapshot of a draft: its Markdown rendered (people's @mentions resolved, which is why it is done before the write). */
  const snapshotOf = async (groupId: string, content: MinutesContent) => {
    const render = await rendererFor(groupId, content);
    const introduction = render(content.introduction);
    const snapshot: PublishedMinutesSnapshot = {
      content,
      html: {
        introduction: introduction.html,
        sections: content.sections.map((section) => ({ key: section.key, summary: render(section.summary).html, decisions: render(section.decisions).html })),
      },
    };
    return { snapshot, introductionText: introduction.text };
  };

  /** The Minutes shape for this viewer: the draft for writers only, the published text for everyone who sees the meeting. */
  const minutesView = async (user: SessionUser, state: MeetingState, occurrence: Occurrence) => {
    const row = await minutes.find(state.meeting.id, occurrence.id);
    const writer = mayWriteMinutes(user);
    const published = row?.published ?? null;
    const items = published ? await actionItemViews(await minutes.itemsOf(state.meeting.id, occurrence.id), user) : [];
    const draft = await draftStateOf(state, row);
    return {
      meetingId: state.meeting.id,
      occurrenceId: occurrence.id,
      occurrence: occurrenceView(occurrence),
      status: published ? ('published' as const) : writer && row ? ('draft' as const) : ('none' as const),
      mayWrite: writer,
      draft: writer
        ? {
            revision: draft.revision,
            content: draft.content,
            updatedAt: row ? iso(row.updatedAt) : null,
            updatedBy: row ? { id: row.updatedBy, displayName: row.updatedByName } : null,
            hasUnpublishedChanges: row !== undefined && row.publishedRevision !== row.revision,
          }
        : null,
      published:
        row && published && row.publishedAt !== null && row.publishedBy !== null && row.firstPublishedAt !== null && row.publishedRevision !== null
          ? {
              revision: row.publishedRevision,
              publishedAt: iso(row.publishedAt),
              publishedBy: { id: row.publishedBy, displayName: row.publishedByName ?? '' },
              firstPublishedAt: iso(row.firstPublishedAt),
              introductionHtml: published.html.introduction,
              sections: published.content.sections.map((section) => {
                const html = published.html.sections.find((candidate) => candidate.key === section.key);
                return {
                  key: section.key,
                  agendaItemId: section.agendaItemId,
                  title: section.title,
                  summaryHtml: html?.summary ?? '',
                  decisionsHtml: html?.decisions ?? '',
                  actionItems: section.actionItems.map((draftItem) => items.find((item) => item.id === draftItem.id)).filter((item) => item !== undefined),
                };
              }),
            }
          : null,
    };
  };

  /** The occurrence a write names, if minutes may be written for it now. */
  const writableOccurrence = (state: MeetingState, occurrenceId: string) => {
    if (state.meeting.status === 'cancelled') throw conflict('meeting_cancelled', 'This meeting is cancelled.');
    const occurrence = chooseOccurrence(state.occurrences, occurrenceId, clock());
    if (occurrence.state === 'cancelled') throw conflict('occurrence_cancelled', 'This occurrence of the meeting is cancelled.');
    if (!hasRoomOpened(occurrence, clock())) throw conflict('meeting_not_started', 'Minutes can be written once the meeting\'s room has opened.');
    return occurrence;
  };

  /** Every country and person an autosave names must be of the forum and of the group; dates real. */
  const assertPatchValid = async (state: MeetingState, occurrenceId: string, patch: MinutesPatch) => {
    const people = new Set((await core.repository.participants(state.meeting.groupId)).map((person) => person.id));
    const problems: Array<{ field: string; message: string }> = [];
    const dates: Array<{ field: string; message: string }> = [];
    for (const section of patch.sections ?? []) {
      for (const [i, item] of (section.actionItems ?? []).entries()) {
        const field = `sections.${section.key}.actionItems.${i}`;
        if (item.responsibleCountryId != null && !countries.has(item.responsibleCountryId)) problems.push({ field: `${field}.responsibleCountryId`, message: `${item.responsibleCountryId} is not a country` });
        if (item.responsiblePersonId != null && !people.has(item.responsiblePersonId)) problems.push({ field: `${field}.responsiblePersonId`, message: `${item.responsiblePersonId} is not a participant of the group` });
        if (item.dueDate != null && !DateTime.fromISO(item.dueDate, { zone: 'utc' }).isValid) dates.push({ field: `${field}.dueDate`, message: `${item.dueDate} is not a calendar date` });
        if (item.id !== undefined && (await minutes.itemBelongsElsewhere(item.id, state.meeting.id, occurrenceId))) problems.push({ field: `${field}.id`, message: 'is the id of an action item of other minutes' });
      }
    }
    if (problems.length > 0) throw badRequest('unknown_responsible', 'Some action items name a country or person that is not of this group.', problems);
    if (dates.length > 0) throw badRequest('invalid_due_date', 'Some due dates are not calendar dates.', dates);
  };

  /** The body as the draft rules take it: titles and texts trimmed, absent responsibles and dates null, ids lower-cased. */
  const normalized = (body: Static<typeof MinutesSaveBody>): MinutesPatch => {
    const patch: MinutesPatch = {};
    if (body.introduction !== undefined) patch.introduction = body.introduction;
    if (body.order !== undefined) patch.order = body.order;
    if (body.sections !== undefined) {
      patch.sections = body.sections.map((input) => {
        const section: SectionPatch = { key: input.key };
        if (input.agendaItemId !== undefined) section.agendaItemId = input.agendaItemId;
        if (input.title !== undefined) section.title = input.title.trim();
        if (input.summary !== undefined) section.summary = input.summary;
        if (input.decisions !== undefined) section.decisions = input.decisions;
        if (input.removed) section.removed = true;
        if (input.actionItems !== undefined) {
          section.actionItems = input.actionItems.map((item) => ({
            ...(item.id !== undefined ? { id: item.id.toLowerCase() } : {}),
            text: item.text.trim(),
            responsibleCountryId: item.responsibleCountryId ?? null,
            responsiblePersonId: item.responsiblePersonId ?? null,
            dueDate: item.dueDate ?? null,
          }));
        }
        return section;
      });
    }
    return patch;
  };

  /**
   * Refuses a stale save or publication. Thrown inside the unit of work (nothing is written), and
   * answered by `unlessStale` once outside it, with the minutes as they now are.
   */
  class StaleRevision extends Error {
    constructor(
      message: string,
      readonly revision: number,
      readonly conflicts: string[],
    ) {
      super(message);
    }
  }
  const staleRevision = (message: string, revision: number, conflicts: string[]) => new StaleRevision(message, revision, conflicts);
  const unlessStale = async <T>(user: SessionUser, state: MeetingState, occurrence: Occurrence, write: Promise<T>): Promise<T> => {
    try {
      return await write;
    } catch (err) {
      if (!(err instanceof StaleRevision)) throw err;
      throw new AppError(409, 'stale_revision', err.message, { revision: err.revision, conflicts: err.conflicts, minutes: await minutesView(user, state, occurrence) });
    }
  };

  const responsibleLabel = (item: ActionItemRow | { responsibleCountryId: string | null; responsiblePersonId: string | null }, language: ExportLanguage, names: Map<string, { displayName: string; countryId: string | null }>) => {
    const country = item.responsibleCountryId === null ? undefined : countries.get(item.responsibleCountryId);
    const person = item.responsiblePersonId === null ? undefined : names.get(item.responsiblePersonId);
    const countryName = country ? (language === 'es' ? country.nameEs : country.nameEn) : null;
    if (person) {
      const code = person.countryId ? countries.get(person.countryId)?.iso2 : undefined;
      return [person.displayName + (code ? ` (${code})` : ''), countryName].filter(Boolean).join(', ');
    }
    return countryName ?? '';
  };

  // ---------------------------------------------------------------- routes

  fastify.get(
    '/meetings/:id/minutes',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['meeting minutes'], summary: 'The minutes of an occurrence: published text for all, the draft for its writers', params: RoomParams, querystring: MinutesQuery, response: { 200: Type.Object({ minutes: MinutesSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await core.loadVisible(user, request.params.id);
      return { minutes: await minutesView(user, state, chooseOccurrence(state.occurrences, request.query.occurrenceId, clock())) };
    },
  );

  fastify.patch(
    '/meetings/:id/minutes',
    {
      config: { access: WRITERS },
      schema: {
        tags: ['meeting minutes'],
        summary: 'Autosave the draft: a partial save based on a revision; a stale overwrite is refused with 409',
        params: RoomParams,
        body: MinutesSaveBody,
        response: { 200: Type.Object({ minutes: MinutesSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await core.loadVisible(user, request.params.id);
      const occurrence = writableOccurrence(state, request.body.occurrenceId);
      const patch = normalized(request.body);
      await assertPatchValid(state, occurrence.id, patch);
      const titles = await agendaTitles(state.meeting.id);
      const now = clock();
      await unlessStale(user, state, occurrence, unitOfWork.run(async (commit) => {
        let saved: Extract<ReturnType<typeof applySave>, { kind: 'saved' }> | null = null;
        // Worked out again over a save that committed after the read (PostgreSQL): merged with
        // it, or refused, as if it had come first. Each round sees a later revision.
        while (saved === null) {
          const current = await draftStateOf(state, await minutes.find(state.meeting.id, occurrence.id));
          const attempt = applySave(current, request.body.revision, patch, titles, newId);
          if (attempt.kind === 'conflict') {
            throw staleRevision('Someone saved these parts of the minutes after your copy was loaded: nothing was saved.', current.revision, attempt.conflicts);
          }
          if (attempt.kind === 'unchanged') return;
          if (await minutes.saveDraftNow(state.meeting.id, occurrence.id, attempt.state.revision, attempt.state.content, attempt.state.fieldRevisions, user.id, now)) saved = attempt;
        }
        const outcome = saved;
        await liveHub.publishWithin(commit, [
          {
            topic: `meeting:${state.meeting.id}`,
            type: 'minutes.draft',
            payload: { occurrenceId: occurrence.id, revision: outcome.state.revision, fields: outcome.fields, updatedAt: iso(now), updatedBy: { id: user.id, displayName: user.displayName } },
            audience: { roles: MINUTES_WRITER_ROLES },
          },
        ]);
      }));
      return { minutes: await minutesView(user, state, occurrence) };
    },
  );

  fastify.post(
    '/meetings/:id/minutes/publish',
    {
      config: { access: WRITERS },
      schema: { tags: ['meeting minutes'], summary: 'Publish the draft at this revision (the first time, invitees are notified)', params: RoomParams, body: PublishBody, response: { 200: Type.Object({ minutes: MinutesSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await core.loadVisible(user, request.params.id);
      const occurrence = writableOccurrence(state, request.body.occurrenceId);
      const { meeting } = state;
      const now = clock();
      // Rendered ahead of the write from the draft as read now; the write checks it is still that draft.
      const seen = await minutes.find(meeting.id, occurrence.id);
      const rendered = seen && seen.revision === request.body.revision ? { revision: seen.revision, ...(await snapshotOf(meeting.groupId, seen.draft)) } : null;
      await unlessStale(user, state, occurrence, unitOfWork.run(async (commit) => {
        const row = await minutes.find(meeting.id, occurrence.id);
        if (!row) throw conflict('no_draft', 'There is no saved draft of these minutes to publish yet.');
        if (row.revision !== request.body.revision) throw staleRevision('The draft changed after your copy was loaded: publish what you have seen.', row.revision, []);
        const content: MinutesContent = row.draft;
        const incomplete = content.sections.flatMap((section) =>
          section.actionItems
            .map((item, i) => ({ item, field: `sections.${section.key}.actionItems.${i}` }))
            .filter(({ item }) => item.text.trim() === '' || (item.responsibleCountryId === null && item.responsiblePersonId === null))
            .map(({ field, item }) => ({ field, message: item.text.trim() === '' ? 'has no text' : 'has no responsible country or person' })),
        );
        if (incomplete.length > 0) throw badRequest('incomplete_action_items', 'Every action item needs a text and a responsible country or person before publishing.', incomplete);
        // Each save raises the revision: the same revision is the same draft (else, saved meanwhile: rendered here).
        const { snapshot, introductionText } = rendered?.revision === row.revision ? rendered : await snapshotOf(meeting.groupId, content);
        const first = row.firstPublishedAt === null;
        await minutes.publishNow(meeting.id, occurrence.id, row.revision, snapshot, user.id, now);
        await minutes.syncItemsNow(
          meeting.groupId,
          meeting.id,
          occurrence.id,
          content.sections.flatMap((section) =>
            section.actionItems.map((item) => ({ id: item.id, sectionKey: section.key, sectionTitle: section.title, text: item.text, responsibleCountryId: item.responsibleCountryId, responsiblePersonId: item.responsiblePersonId, dueDate: item.dueDate })),
          ),
          now,
        );
        await liveHub.publishWithin(commit, [{ topic: `meeting:${meeting.id}`, type: 'minutes.published', payload: { occurrenceId: occurrence.id, revision: row.revision, publishedAt: iso(now), firstPublication: first } }]);
        if (first) {
          const excerpt = introductionText.length <= EXCERPT_LENGTH ? introductionText : `${introductionText.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…`;
          await core.notifyWithin(commit, await core.invitedPeople(state), meeting, user, { kind: 'meeting_minutes', details: { occurrenceId: occurrence.id, startsAt: iso(occurrence.startsAt) }, excerpt }, { minutes: occurrence.id }, new Date(now));
        }
      }));
      return { minutes: await minutesView(user, state, occurrence) };
    },
  );

  /** What the exports show: the published minutes, or (writers, on request) the draft rendered now. */
  const documentFor = async (user: SessionUser, state: MeetingState, occurrence: Occurrence, version: 'published' | 'draft', language: ExportLanguage): Promise<MinutesDocument> => {
    const { meeting } = state;
    const row = await minutes.find(meeting.id, occurrence.id);
    let content: MinutesContent;
    let html: PublishedMinutesSnapshot['html'];
    let statuses = new Map<string, boolean>();
    if (version === 'draft') {
      if (!mayWriteMinutes(user)) throw forbidden('Only the minutes\' writers read a draft.');
      if (!row) throw notFound('Draft minutes');
      content = row.draft;
      ({ html } = (await snapshotOf(meeting.groupId, content)).snapshot);
    } else {
      if (!row?.published) throw notFound('Minutes');
      ({ content, html } = row.published);
      statuses = new Map((await minutes.itemsOf(meeting.id, occurrence.id)).map((item) => [item.id, item.status === 'done']));
    }
    const participants = await core.repository.participants(meeting.groupId);
    const names = new Map(participants.map((person) => [person.id, person]));
    const countryName = (id: string) => (language === 'es' ? countries.get(id)?.nameEs : countries.get(id)?.nameEn) ?? id;
    const attendees = sortAttendees(await rooms.attendees(meeting.groupId, meeting.id, occurrence.id), countries);
    const groups: Array<{ country: string | null; people: string[] }> = [];
    for (const attendee of attendees) {
      const country = attendee.countryId === null ? null : countryName(attendee.countryId);
      const last = groups[groups.length - 1];
      const organization = attendee.organizationId ? organizations.get(attendee.organizationId) : undefined;
      const name = attendee.countryId === null && organization ? `${attendee.displayName} (${language === 'es' ? organization.acronymEs : organization.acronymEn})` : attendee.displayName;
      if (last && last.country === country) last.people.push(name);
      else groups.push({ country, people: [name] });
    }
    const present = new Set(attendees.map((attendee) => attendee.countryId));
    const absent = invitedCountryIds(state, participants).filter((id) => !present.has(id)).sort(byCountryName(countries)).map(countryName);
    return {
      language,
      meetingTitle: meeting.title,
      kind: meeting.kind,
      timeZone: meeting.timeZone,
      startsAt: occurrence.startsAt,
      endsAt: occurrence.endsAt,
      organizerName: meeting.organizerName,
      draft: version === 'draft',
      publishedAt: version === 'published' ? (row.publishedAt ?? null) : null,
      publishedByName: version === 'published' ? (row.publishedByName ?? null) : null,
      introduction: { markdown: content.introduction, html: html.introduction },
      sections: content.sections.map((section) => {
        const rendered = html.sections.find((candidate) => candidate.key === section.key);
        return {
          title: section.title,
          summary: { markdown: section.summary, html: rendered?.summary ?? '' },
          decisions: { markdown: section.decisions, html: rendered?.decisions ?? '' },
          actionItems: section.actionItems.map((item) => ({ text: item.text, responsible: responsibleLabel(item, language, names), dueDate: item.dueDate, done: statuses.get(item.id) ?? false })),
        };
      }),
      attendance: groups,
      absentCountries: absent,
      pageUrl: pageUrlOf(core.views, meeting),
    };
  };

  const exportRoute = (format: 'md' | 'html') =>
    fastify.get(
      `/meetings/:id/minutes.${format}`,
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['meeting minutes'],
          summary: format === 'md' ? 'The minutes as a Markdown file' : 'The minutes as a printable page, for the official report',
          params: RoomParams,
          querystring: ExportQuery,
          response: format === 'md' ? textExportResponses('text/markdown', 'The minutes in Markdown, as an attachment') : textExportResponses('text/html', 'The minutes as a printable HTML page'),
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const state = await core.loadVisible(user, request.params.id);
        const occurrence = chooseOccurrence(state.occurrences, request.query.occurrenceId, clock());
        const language = request.query.lang ?? (user.locale === 'en' || user.locale === 'fr' ? 'en' : 'es');
        const document = await documentFor(user, state, occurrence, request.query.version, language);
        const day = DateTime.fromMillis(occurrence.startsAt, { zone: state.meeting.timeZone }).toISODate();
        const fileName = `minutes-${state.meeting.id}-${day}${request.query.version === 'draft' ? '-draft' : ''}.${format}`;
        reply.header('cache-control', 'private, no-store');
        if (format === 'md') {
          reply.type('text/markdown; charset=utf-8').header('content-disposition', contentDisposition(fileName));
          return minutesMarkdown(document);
        }
        reply.type('text/html; charset=utf-8').header('content-disposition', contentDisposition(fileName, { type: 'inline' })).header('content-security-policy', PRINT_STYLES_CSP);
        return minutesHtml(document);
      },
    );
  exportRoute('md');
  exportRoute('html');
};
