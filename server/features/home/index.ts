import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { requireUser } from '../../plugins/authorization.js';
import { AnswerCache } from '../../shared/answer-cache.js';
import { errorResponses } from '../../shared/errors.js';
import type { HomeContext, HomeItem } from './registry.js';
import { HomeRepository } from './repository.js';
import { internalEvent } from '../../plugins/live/hub.js';
import { topicId } from '../../plugins/live/caches.js';

/** On `user:<id>`, for no socket: the person's look at their home page was stored (at most once a minute). */
const HOME_VISITED = 'home.visited';
import { HomeSchema, type HomeView } from './schemas.js';

export { homeSections, HomeRegistry, type HomeContext, type HomeItem, type HomeSection, type HomeSectionResult } from './registry.js';

export interface HomeOptions {
  now: () => Date;
}

/** How many lines a section shows; "see all" leads to the rest. */
const ITEMS_PER_SECTION = 5;
/**
 * How long a finished answer may be sent again while nothing has changed: time alone moves some
 * sections (a poll's deadline, a meeting that ends, a consultation's deadline), and none of them
 * by the second.
 */
const ANSWER_HOLDS_MS = 1_000;

type ItemView = HomeView['sections'][number]['items'][number];
const OPTIONAL_TEXT = ['timeZone', 'actor', 'excerpt', 'state'] as const;
const OPTIONAL_NUMBER = ['count', 'number'] as const;

/** The item as the API shows it: instants as ISO strings, and what it has no value for left out. */
function itemView(item: HomeItem): ItemView {
  const view: ItemView = { id: item.id, kind: item.kind, path: item.path, title: item.title };
  if (item.titles) view.titles = item.titles;
  if (item.at !== null && item.at !== undefined) view.at = new Date(item.at).toISOString();
  if (item.endsAt !== null && item.endsAt !== undefined) view.endsAt = new Date(item.endsAt).toISOString();
  for (const key of OPTIONAL_TEXT) {
    const value = item[key];
    if (value !== null && value !== undefined) view[key] = value;
  }
  for (const key of OPTIONAL_NUMBER) {
    const value = item[key];
    if (value !== null && value !== undefined) view[key] = value;
  }
  return view;
}

/**
 * GET /api/home: what is new and what waits for the signed-in person, section by section, as the
 * features registered them on `fastify.home` (docs/home-api.md). Reads no other feature's tables.
 */
export const homeRoutes: FastifyPluginAsyncTypebox<HomeOptions> = async (fastify, options) => {
  const repository = new HomeRepository(fastify.database);
  // A look stored by another process (server/plugins/live/caches.ts).
  fastify.caches.register({ name: 'home: visits', types: [HOME_VISITED], invalidate: (event) => repository.forget(topicId(event.topic)) });
  // A person's home asked again and again with nothing changed in between (a page refreshed, a
  // second tab, the live channel's reconnect) is sent as it was: the sections' dozen queries and
  // the serializing are most of this route's time. Every change anywhere stores a live event and
  // moves the hub's newest id, which is what a kept answer is checked against.
  const latestId = fastify.liveHub.latestId?.bind(fastify.liveHub);
  const answers = new AnswerCache({ maxBytes: 4 * 1024 * 1024 });
  // Awaited before the answer's generation is read: the visit's own event moves the hub's newest
  // id, and read before it is stored (on PostgreSQL it takes a round trip) the next visit would
  // find the kept answer out of date. Its failure only costs the other processes' cached visit.
  const tellOthers = (userId: string) => async () => {
    await fastify.liveHub.publish(internalEvent(`user:${userId}`, HOME_VISITED, { userId })).catch((err: unknown) => fastify.log.error({ err, userId }, 'home: could not store the visit event'));
  };

  fastify.get(
    '/home',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['home'],
        summary: 'What is new and what waits for me: a count and the first few items per section, and the live topics that change them',
        response: { 200: HomeSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const now = options.now();
      const since = new Date(await repository.look(user.id, now.getTime(), tellOthers(user.id)));
      // Personal and changing by the minute: never kept by a cache outside this process.
      reply.header('cache-control', 'private, no-store');
      const generation = latestId?.() ?? null;
      // What the answer is worked out from: the newest live event this process knew of (every
      // change is stored as one: plugins/live/caches.ts), the reader as the sections see them
      // (role and affiliation decide what they may see), how many sections there are, and "since".
      const others = (request.memberships ?? []).filter((membership) => membership.groupId !== user.groupId);
      const stamp = `${generation} ${user.role} ${user.countryId ?? ''} ${user.organizationId ?? ''} ${user.groupId} ${fastify.home.sections.length} ${since.getTime()}${others.map((other) => ` ${other.groupId}:${other.role}:${other.countryId ?? ''}:${other.organizationId ?? ''}`).join('')}`;
      const kept = answers.get(user.id, stamp, now.getTime());
      if (kept) return (reply as FastifyReply).type('application/json; charset=utf-8').send(kept.body);
      // What sections share is worked out once per group (a section's rows are the reader's group's).
      const contextFor = (): HomeContext => {
        const memo = new Map<string, unknown>();
        return {
          now,
          since,
          limit: ITEMS_PER_SECTION,
          shared: <T>(key: string, compute: () => T): T => {
            if (!memo.has(key)) memo.set(key, compute());
            return memo.get(key) as T;
          },
        };
      };
      const context = contextFor();
      const topics = new Set<string>();
      const events = new Set<string>();
      const sections: HomeView['sections'] = [];
      let complete = true;
      for (const section of fastify.home.sections) {
        const live = section.live(user);
        for (const topic of live.topics) topics.add(topic);
        for (const event of live.events) events.add(event);
        try {
          const result = await section.load(user, context);
          sections.push({ id: section.id, count: result.count, items: result.items.slice(0, ITEMS_PER_SECTION).map(itemView), seeAllPath: section.seeAllPath, failed: false });
        } catch (err) {
          // One section's fault leaves the rest of the page useful; the page offers to try again.
          request.log.error({ err, section: section.id }, 'home section failed');
          sections.push({ id: section.id, count: 0, items: [], seeAllPath: section.seeAllPath, failed: true });
          complete = false;
        }
      }
      const elsewhere: HomeView['elsewhere'] = [];
      for (const other of others) {
        const there = contextFor();
        const counts: HomeView['elsewhere'][number]['sections'] = [];
        for (const section of fastify.home.sections) {
          try {
            const { count } = await section.load(other, there);
            if (count > 0) counts.push({ id: section.id, count });
          } catch (err) {
            request.log.error({ err, section: section.id, groupId: other.groupId }, 'home section failed for another group');
            complete = false;
          }
        }
        elsewhere.push({ group: { id: other.groupId, slug: other.groupSlug, name: other.groupName }, sections: counts });
      }
      const answer: HomeView = { sections, since: since.toISOString(), live: { topics: [...topics].sort(), events: [...events].sort() }, elsewhere };
      if (generation === null) return answer;
      const json = reply.serialize(answer) as string;
      // Kept only if no change landed while the sections were read, and none of them failed.
      if (complete && latestId?.() === generation) answers.keep(user.id, stamp, json, { from: now.getTime(), until: now.getTime() + ANSWER_HOLDS_MS });
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(json);
    },
  );
};
