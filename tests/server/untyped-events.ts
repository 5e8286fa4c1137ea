import type { LiveEvent, LiveEventInput, LiveEventOf, LiveEventType } from '../../server/plugins/live/hub.js';

/**
 * The tests of the live machinery itself (the hub, the channel, the follower, the cache registry)
 * publish events of made-up types, which the typed catalogue (server/plugins/live/events.ts)
 * rightly refuses everywhere else: these casts say so once.
 */
export const untyped = (event: { topic: string; type: string; payload: unknown; audience?: LiveEventInput['audience'] }) => event as unknown as LiveEventInput & LiveEventOf<LiveEventType>;
export const untypedType = (type: string) => type as LiveEventType;
export const untypedStored = (event: { id: number; topic: string; type: string; payload: unknown; createdAt: string }) => event as unknown as LiveEvent;
