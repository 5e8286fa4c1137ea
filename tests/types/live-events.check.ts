/**
 * Compile-time checks of the typed catalogue of live events (server/plugins/live/events.ts): what
 * must compile compiles, and each line under a `@ts-expect-error` must fail to, or tsc reports the
 * directive unused. `npm run typecheck` checks this file with the rest of the program, and
 * tests/server/live-events-types.test.ts compiles it again without the directives to show each of
 * those lines is refused. Keep every checked call on one line: a directive covers the next line only.
 */
import { expectTypeOf } from 'vitest';
import type { LiveTopicMessage } from '../../client/app/live-connection.js';
import { accessChanged, internalEvent, type LiveHub } from '../../server/plugins/live/hub.js';
import type { LiveEventMap, LiveEventType } from '../../server/plugins/live/events.js';
import type { PendingCommit } from '../../server/plugins/unit-of-work.js';

export function serverSide(hub: LiveHub, commit: PendingCommit): void {
  // Declared by the debates, the meetings and the notifications plugin, each in its own events.ts.
  void hub.publish({ topic: 'thread:t', type: 'agreement.changed', payload: { postId: 'p', agreeCount: 2 } });
  void hub.publish({ topic: 'user:u', type: 'notifications.read', payload: { unreadCount: 0 } });
  hub.publishWithin(commit, [accessChanged('meeting:m'), { topic: 'meeting:m', type: 'minutes.published', payload: { occurrenceId: 'o', revision: 1, publishedAt: '2026-01-01T00:00:00.000Z', firstPublication: true } }]);
  hub.publishWithin(commit, [internalEvent('user:u', 'debates.reading-changed', { userId: 'u' })]);

  // A misspelt event type.
  // @ts-expect-error 'agreement.change' is not in the catalogue
  void hub.publish({ topic: 'thread:t', type: 'agreement.change', payload: { postId: 'p', agreeCount: 2 } });
  // @ts-expect-error nor in an array of events
  hub.publishWithin(commit, [accessChanged('meeting:m'), { topic: 'meeting:m', type: 'minutes.publish', payload: { occurrenceId: 'o', revision: 1, publishedAt: '', firstPublication: true } }]);
  // @ts-expect-error nor as an internal event
  hub.publishWithin(commit, [internalEvent('user:u', 'debates.reading-change', { userId: 'u' })]);

  // A payload field misspelt, of the wrong type, or missing.
  // @ts-expect-error agreeCont is not a field of agreement.changed
  void hub.publish({ topic: 'thread:t', type: 'agreement.changed', payload: { postId: 'p', agreeCont: 2 } });
  // @ts-expect-error agreeCount is a number
  void hub.publish({ topic: 'thread:t', type: 'agreement.changed', payload: { postId: 'p', agreeCount: '2' } });
  // @ts-expect-error unreadCount is missing
  void hub.publish({ topic: 'user:u', type: 'notifications.read', payload: {} });
  // @ts-expect-error the payload of one type under another
  hub.publishWithin(commit, [{ topic: 'thread:t', type: 'notifications.read', payload: { postId: 'p', agreeCount: 2 } }]);
  // @ts-expect-error an internal event's payload is checked too
  hub.publishWithin(commit, [internalEvent('user:u', 'debates.watch-changed', { userId: 'u' })]);

  expectTypeOf<LiveEventMap['agreement.changed']>().toEqualTypeOf<{ postId: string; agreeCount: number }>();
  expectTypeOf<'post.created'>().toExtend<LiveEventType>();
  expectTypeOf<'post.creatd'>().not.toExtend<LiveEventType>();
}

export function clientSide(message: LiveTopicMessage): void {
  if (message.type !== 'event') return;
  // Checking the event's type narrows its payload to that type's, as the server declared it.
  if (message.event === 'agreement.changed') expectTypeOf(message.payload).toEqualTypeOf<{ postId: string; agreeCount: number }>();
  if (message.event === 'post.created') expectTypeOf(message.payload.post.id).toBeString();
  if (message.event === 'notification.created') expectTypeOf(message.payload.unreadCount).toBeNumber();
  // @ts-expect-error a misspelt type never matches
  if (message.event === 'post.creatd') return;
  // @ts-expect-error a field the payload does not have
  if (message.event === 'agreement.changed') void message.payload.agreeCont;
}
