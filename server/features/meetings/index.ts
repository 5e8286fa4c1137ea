import fp from 'fastify-plugin';
import { loadIcal } from './calendar.js';
import { createMeetingsCore, type MeetingsOptions } from './core.js';
import { defineMeetingMail } from './mail.js';
import { meetingsHomeSections } from './home.js';
import * as may from './permissions.js';
import { defineMeetingJobs } from './reminders.js';
import { actionItemRoutes } from './routes/action-items.js';
import { attendanceRoutes } from './routes/attendance.js';
import { calendarRoutes } from './routes/calendars.js';
import { meetingRoutes } from './routes/meetings.js';
import { minutesRoutes } from './routes/minutes.js';
import { occurrenceRoutes } from './routes/occurrences.js';
import { pollRoutes } from './routes/polls.js';
import { roomRoutes } from './routes/room.js';
import { MeetingHitSchema } from './schemas.js';
import { defineMeetingSubjects } from './subjects.js';

import { meetingsService } from './service.js';

export type { MeetingsOptions } from './core.js';

/** Meetings and minutes found beside the posts: the search page shows these, best first. */
const SEARCH_HITS = 10;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Meetings and workshops, their polls, attendance and calendars, the live room, the minutes and
 * their action items. Registers its live topic, home sections, search section and scheduled jobs,
 * and its routes (routes/*.ts, over core.ts) under /api. `fastify.meetings` (public.ts) hands a
 * room's quick poll to the proposals.
 */
export default fp<MeetingsOptions>(
  async (fastify, options) => {
    const core = await createMeetingsCore(fastify, options);
    const { repository } = core;
    fastify.decorate('meetings', meetingsService(fastify, core));
    defineMeetingSubjects(fastify, core);

    fastify.liveTopics.define('meeting', async (user, id) => {
      const meeting = await repository.find(id);
      return meeting !== undefined && may.maySee(user, meeting, await repository.invitees(id));
    });

    for (const section of meetingsHomeSections(repository)) fastify.home.register(section);

    // Meetings (title, description, agenda) and minutes, beside the posts in the search's answer.
    fastify.searchSections.provide('meetings', {
      params: {},
      item: MeetingHitSchema,
      placement: 'section',
      description: 'The best matches among the meetings and minutes the person may see (whatever the page of posts)',
      search: async (user, query) => {
        const found = await repository.fullText.search(user, query, SEARCH_HITS);
        return { total: found.total, items: found.items.map((hit) => ({ ...hit, startsAt: hit.startsAt === null ? null : iso(hit.startsAt) })) };
      },
    });

    defineMeetingJobs(fastify, core);
    core.mail = defineMeetingMail(fastify, core, options.publicUrl);

    await fastify.register(
      async (api) => {
        // A write may mail invitations with a calendar part, written inside its commit (synchronous):
        // ical.js is loaded before such a request's handler, not at start (most processes never need it).
        api.addHook('preHandler', async (request) => {
          if (request.method !== 'GET' && request.method !== 'HEAD') await loadIcal();
        });
        const routeOptions = { ...options, core };
        for (const routes of [calendarRoutes, meetingRoutes, occurrenceRoutes, pollRoutes, attendanceRoutes, roomRoutes, minutesRoutes, actionItemRoutes]) await api.register(routes, routeOptions);
      },
      { prefix: '/api' },
    );
  },
  {
    name: 'meetings',
    dependencies: ['db', 'live-hub', 'notifications', 'subjects', 'scheduler', 'markdown', 'home-sections', 'search-providers', 'reference', 'people', 'debates', 'documents'],
  },
);
