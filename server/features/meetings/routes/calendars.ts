import { createHash } from 'node:crypto';
import fresh from 'fresh';
import { LRUCache } from 'lru-cache';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import { generateSecretToken, hashToken } from '../../../plugins/sessions/session-store.js';
import { conflict, errorResponses, notFound } from '../../../shared/errors.js';
import { NotModified, textExportResponses } from '../../../shared/responses.js';
import { calendarText, type CalendarEntry } from '../calendar.js';
import type { MeetingRoutesOptions } from '../core.js';
import { pageUrlOf } from '../views.js';
import { DAY_MS, IdParams, iso } from '../editing.js';
import { FeedStateSchema, NewFeedSchema, PreferencesBody, PreferencesSchema } from '../schemas.js';
import { visibleOccurrences, type MeetingState } from '../views.js';
import * as may from '../permissions.js';

const FEED_PAST_MS = 90 * DAY_MS;
const TokenParams = Type.Object({ token: Type.String({ minLength: 16, maxLength: 128, pattern: '^[a-z2-7]+$' }) });

/** Meeting settings and calendars: reminders on or off, the personal feed, and one meeting as an .ics file. */
export const calendarRoutes: FastifyPluginAsyncTypebox<MeetingRoutesOptions> = async (fastify, options) => {
  const { core } = options;
  const { repository } = core;
  const { unitOfWork } = fastify;
  const clock = options.now;

  /** Per feed (or other calendar): the ETag last served and since when, for Last-Modified. */
  const calendarVersions = new LRUCache<string, { etag: string; since: number }>({ max: 10_000 });

  fastify.get(
    '/meetings/preferences',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'My meeting settings (reminders on or off)', response: { 200: PreferencesSchema, ...errorResponses } } },
    async (request) => ({ preferences: { reminders: await repository.remindersOn(requireUser(request).id) } }),
  );

  fastify.put(
    '/meetings/preferences',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'Turn my meeting reminders on or off', body: PreferencesBody, response: { 200: PreferencesSchema, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      await unitOfWork.run(() => repository.setRemindersNow(user.id, request.body.reminders, clock().getTime()));
      return { preferences: { reminders: request.body.reminders } };
    },
  );

  fastify.get(
    '/calendar/feed',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'Whether I have a calendar feed (its address is shown only when made)', response: { 200: FeedStateSchema, ...errorResponses } } },
    async (request) => {
      const feed = await repository.feedOf(requireUser(request).id);
      return { feed: feed ? { createdAt: iso(feed.createdAt), lastUsedAt: feed.lastUsedAt === null ? null : iso(feed.lastUsedAt) } : null };
    },
  );

  fastify.post(
    '/calendar/feed',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['meetings'], summary: 'Make my calendar feed address, or replace it (the old one stops working)', body: Type.Optional(Type.Object({}, { additionalProperties: false })), response: { 201: NewFeedSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const token = generateSecretToken();
      const now = clock().getTime();
      await unitOfWork.run(() => repository.setFeedNow(user.id, hashToken(token), now));
      const url = `${options.publicUrl}/api/calendar/${token}/meetings.ics`;
      reply.status(201);
      return { feed: { url, webcalUrl: url.replace(/^https?:/, 'webcal:'), createdAt: iso(now) } };
    },
  );

  fastify.delete(
    '/calendar/feed',
    { config: { access: 'signed-in' }, schema: { tags: ['meetings'], summary: 'Revoke my calendar feed address', response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      const user = requireUser(request);
      await unitOfWork.run(() => repository.deleteFeedNow(user.id));
      reply.status(204);
      return null;
    },
  );

  /**
   * Sends a calendar with validators, answering 304 when the client has these bytes already.
   * ETag: a digest of the bytes (which depend on the meetings only). Last-Modified: given, or the
   * first time this process produced these bytes for `versionKey` (the feed's contents also change
   * when a meeting leaves it or time moves on, which no stored date records; after a restart the
   * date is that of the first answer, never too early for If-Modified-Since).
   */
  const sendCalendar = async (
    request: FastifyRequest,
    reply: FastifyReply,
    entries: CalendarEntry[],
    how: { feedName: string | null; fileName: string | null; lastModified: number | { versionKey: string } },
  ) => {
    const text = await calendarText(entries, { publicUrl: options.publicUrl, feedName: how.feedName });
    const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
    let lastModified: number;
    if (typeof how.lastModified === 'number') {
      lastModified = how.lastModified;
    } else {
      const known = calendarVersions.get(how.lastModified.versionKey);
      lastModified = known?.etag === etag ? known.since : clock().getTime();
      if (known?.etag !== etag) calendarVersions.set(how.lastModified.versionKey, { etag, since: lastModified });
    }
    reply.header('etag', etag);
    reply.header('last-modified', new Date(lastModified).toUTCString());
    reply.header('cache-control', 'private, no-cache');
    if (fresh(request.headers, { etag, 'last-modified': new Date(lastModified).toUTCString() })) return reply.status(304).send();
    reply.header('content-type', 'text/calendar; charset=utf-8');
    if (how.fileName) reply.header('content-disposition', `attachment; filename="${how.fileName}"`);
    return reply.send(text);
  };

  const entryOf = async (current: MeetingState): Promise<CalendarEntry> => ({
    meeting: current.meeting,
    agenda: await repository.agenda(current.meeting.id),
    occurrences: current.occurrences,
    pageUrl: pageUrlOf(core.views, current.meeting),
  });

  fastify.get(
    '/calendar/:token/meetings.ics',
    {
      config: { access: 'public' },
      schema: {
        tags: ['meetings'],
        summary: 'A person\'s calendar feed (the secret token is the key; no session); ETag, Last-Modified and 304',
        params: TokenParams,
        response: { ...textExportResponses('text/calendar', 'Every meeting the person is invited to, as iCalendar'), 304: NotModified },
      },
    },
    async (request, reply) => {
      const owners = await repository.feedOwners(hashToken(request.params.token));
      const person = owners[0];
      if (!person) throw notFound('Calendar');
      const now = clock().getTime();
      await unitOfWork.run(() => repository.touchFeedNow(person.id, now));
      // One feed for the person: their meetings in every group of theirs, each as they are there.
      const entries: CalendarEntry[] = [];
      for (const owner of owners) {
        const invitees = await repository.inviteesOfGroup(owner.groupId);
        const overrides = await repository.overridesOfGroup(owner.groupId);
        const shown = (await repository.ofGroup(owner.groupId))
          .filter((meeting) => meeting.status !== 'polling')
          .map((meeting): MeetingState => ({ meeting, invitees: invitees.get(meeting.id) ?? [], occurrences: visibleOccurrences(meeting, overrides.get(meeting.id) ?? []) }))
          .filter((current) => may.isInvited(owner, current.meeting, current.invitees) && may.maySee(owner, current.meeting, current.invitees))
          .filter((current) => current.occurrences.some((occurrence) => occurrence.endsAt > now - FEED_PAST_MS));
        for (const current of shown) entries.push(await entryOf(current));
      }
      reply.header('x-robots-tag', 'noindex');
      return sendCalendar(request, reply, entries, { feedName: 'Concilia', fileName: null, lastModified: { versionKey: `feed:${person.id}` } });
    },
  );

  fastify.get(
    '/meetings/:id/calendar.ics',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['meetings'], summary: 'The meeting as an iCalendar file; ETag, Last-Modified and 304', params: IdParams, response: { ...textExportResponses('text/calendar', 'The meeting as iCalendar, as an attachment'), 304: NotModified } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const current = await core.loadVisible(user, request.params.id);
      if (current.meeting.status === 'polling') throw conflict('not_scheduled', 'This meeting has no date yet: its poll is open.');
      return sendCalendar(request, reply, [await entryOf(current)], { feedName: null, fileName: `meeting-${current.meeting.id}.ics`, lastModified: current.meeting.updatedAt });
    },
  );
};
