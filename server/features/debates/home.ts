import type { NotificationsRepository } from '../../plugins/notifications/repository.js';
import type { SessionUser } from '../../plugins/sessions/index.js';
import type { HomeSection } from '../home/public.js';
import type { DebatesRepository } from './repository.js';

/** Notifications that speak to the person directly, as opposed to activity in what they watch. */
const ADDRESSED: readonly string[] = ['mention', 'country_mention', 'reply'];
const ADDRESSED_COUNTED = 200;

const threadPath = (threadId: string) => `/debates/t/${encodeURIComponent(threadId)}`;

/** The debates' part of the home page: unread threads, and unread mentions of and replies to the person. */
export function debatesHomeSections(repository: DebatesRepository, notifications: NotificationsRepository): HomeSection[] {
  return [
    {
      id: 'debates.unread',
      order: 30,
      seeAllPath: '/debates',
      // A new post in any thread of the group moves its counters; a new thread adds one.
      live: (user: SessionUser) => ({ topics: [`group:${user.groupId}`], events: ['thread.created', 'thread.activity'] }),
      load: (user, { limit }) => {
        const { count, items } = repository.unreadThreads(user.groupId, user.id, limit);
        return {
          count,
          items: items.map((thread) => ({ id: thread.id, kind: 'thread', path: threadPath(thread.id), title: thread.title, at: thread.lastActivityAt, count: thread.unread })),
        };
      },
    },
    {
      id: 'debates.mentions',
      order: 10,
      seeAllPath: '/notifications',
      live: (user: SessionUser) => ({ topics: [`user:${user.id}`], events: ['notification.created', 'notifications.read'] }),
      load: async (user, { limit }) => {
        // The person's notices of every group are stored alike: this group's are those about its
        // threads. Counted exactly up to ADDRESSED_COUNTED unread ones, the most anyone reads as a number.
        const { count: all, rows: recent } = await notifications.unreadOfKinds(user.id, ADDRESSED, ADDRESSED_COUNTED);
        const ours = await repository.threadIdsOfGroup(user.groupId, [...new Set(recent.filter((row) => row.subject.kind === 'thread').map((row) => row.subject.id))]);
        const mine = recent.filter((row) => row.subject.kind !== 'thread' || ours.has(row.subject.id));
        const count = mine.length + Math.max(0, all - recent.length);
        const rows = mine.slice(0, limit);
        return {
          count,
          items: rows.map((row) => ({
            // The notification's id: opening the line marks it read.
            id: row.id,
            kind: row.kind,
            path: row.subject.kind === 'thread' ? `${threadPath(row.subject.id)}${typeof row.details.postId === 'string' ? `#post-${encodeURIComponent(row.details.postId)}` : ''}` : '/notifications',
            title: row.subject.title,
            at: row.createdAt,
            actor: row.actorName,
            excerpt: row.excerpt,
          })),
        };
      },
    },
  ];
}
