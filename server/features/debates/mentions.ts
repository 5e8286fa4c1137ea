import type { NewNotification } from '../../plugins/notifications/index.js';
import type { Mentions } from '../../plugins/markdown/index.js';
import type { PeopleService } from '../people/public.js';
import type { DebatesRepository } from './repository.js';
import type { WatchLevel } from './tables.js';
import type { ThreadReader } from './public.js';

export interface PostEvent {
  groupId: string;
  actor: { id: string; displayName: string };
  threadId: string;
  threadTitle: string;
  categoryId: string;
  postId: string;
  /** Author of the post answered; null for a new thread or a withdrawn parent. */
  parentAuthorId: string | null;
  mentions: Mentions;
  text: string;
  newThread: boolean;
  /** An edit: only the people and countries it newly mentions are told (`mentions` holds just those). */
  edit?: boolean;
}

/** Lower rank wins: one notification per person per post, of the most specific kind. */
type PostNotificationKind = 'reply' | 'mention' | 'country_mention' | 'new_thread' | 'new_post';
const RANK: Record<PostNotificationKind, number> = { reply: 0, mention: 1, country_mention: 2, new_thread: 3, new_post: 3 };

const EXCERPT_LENGTH = 160;
/** What a notification quotes of a post: the start of its plain text. */
export const excerptOf = (text: string) => (text.length <= EXCERPT_LENGTH ? text : `${text.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…`);

/**
 * Who is told about a new post, and how. A person's level for the thread is their thread setting,
 * else their category setting, else "normal":
 *  - muted: nothing at all;
 *  - normal: replies to their posts and mentions of them or their country;
 *  - watching: also every new post (new thread, for a watched category).
 * The actor is never told about their own post.
 */
export async function computeRecipients(
  repository: DebatesRepository,
  people: Pick<PeopleService, 'personIdByHandle'>,
  event: PostEvent,
  holdsNewPostNotice: ReadonlySet<string> = new Set(),
  /** A subject's thread (a discrepancy case's): only the people its owner lets read it are told, and its category's watchers are not asked. */
  readers?: (reader: ThreadReader) => Promise<boolean>,
  /** A subject's thread: people its owner has follow every post, as if watching, unless they set the thread otherwise. */
  followers: readonly string[] = [],
): Promise<NewNotification[]> {
  const all = await repository.watchLevels(event.newThread ? null : event.threadId, event.categoryId);
  const levels = readers ? { thread: all.thread, category: new Map<string, WatchLevel>() } : all;
  const following = new Set(followers);
  const levelOf = (userId: string): WatchLevel => levels.thread.get(userId) ?? levels.category.get(userId) ?? (following.has(userId) ? 'watching' : 'normal');
  const chosen = new Map<string, PostNotificationKind>();
  const offer = (userId: string, kind: PostNotificationKind) => {
    const current = chosen.get(userId);
    if (current === undefined || RANK[kind] < RANK[current]) chosen.set(userId, kind);
  };

  if (event.parentAuthorId) offer(event.parentAuthorId, 'reply');
  for (const handle of event.mentions.handles) {
    const id = await people.personIdByHandle(event.groupId, handle);
    if (id) offer(id, 'mention');
  }
  for (const id of await repository.membersOfCountries(event.groupId, event.mentions.countryCodes.map((code) => code.toLowerCase()))) offer(id, 'country_mention');
  const watchers = new Set<string>(following);
  for (const [userId, level] of levels.category) if (level === 'watching') watchers.add(userId);
  for (const [userId, level] of levels.thread) if (level === 'watching') watchers.add(userId);
  // A watcher still holding an unread "new posts" notice of the thread gets no second one (it leads
  // to the first unread post): left out before the costlier checks below.
  if (event.edit) watchers.clear();
  for (const userId of watchers) {
    if (levelOf(userId) !== 'watching') continue;
    if (event.newThread) offer(userId, 'new_thread');
    else if (!holdsNewPostNotice.has(userId)) offer(userId, 'new_post');
  }

  chosen.delete(event.actor.id);
  let active: Set<string>;
  if (readers) {
    active = new Set();
    for (const reader of await repository.readersAmong(event.groupId, [...chosen.keys()])) if (await readers(reader)) active.add(reader.id);
  } else {
    active = await repository.activeAmong(event.groupId, [...chosen.keys()]);
  }
  const excerpt = excerptOf(event.text);
  const items: NewNotification[] = [];
  for (const [userId, kind] of chosen) {
    if (!active.has(userId) || levelOf(userId) === 'muted') continue;
    items.push({ userId, kind, actorId: event.actor.id, actorName: event.actor.displayName, subject: { kind: 'thread', id: event.threadId, title: event.threadTitle }, details: { postId: event.postId }, excerpt });
  }
  return items;
}
