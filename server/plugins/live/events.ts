import type { Role } from '../../shared/roles.js';

/**
 * The catalogue of live event types: each type and the payload it carries. It starts nearly empty
 * and every feature (or plugin) adds its own types from its own folder, by declaration merging, as
 * the DOM's HTMLElementEventMap grows with each element:
 *
 * ```ts
 * // server/features/debates/events.ts (re-exported by the feature's public.ts)
 * declare module '../../plugins/live/events.js' {
 *   interface LiveEventMap {
 *     'post.created': { post: NeutralPost };
 *   }
 * }
 * ```
 *
 * `fastify.liveHub.publish`, `publishMany` and `publishWithin` take only events of a type listed
 * here with its payload (a misspelt type or a wrong payload does not compile), and the client's
 * subscriptions receive the same union through `import type` (client/app/live-connection.ts).
 * Internal events (internalEvent(): for the log and other processes' caches, sent to no socket)
 * are listed like any other.
 */
export interface LiveEventMap {
  /** accessChanged(topic): who may read the topic changed; subscribers are checked again. Sent to no socket. */
  'access.changed': null;
}

/** Every live event type some feature declared. */
export type LiveEventType = keyof LiveEventMap & string;

/** Who may receive an event. Absent: everyone allowed to read its topic. */
export interface LiveAudience {
  userIds?: string[];
  roles?: Role[];
}

/** An event of one type, as a feature publishes it. */
export interface LiveEventOf<K extends LiveEventType> {
  /** "<kind>:<id>", e.g. "thread:…", "category:…", "user:…" (a user's own notifications). */
  topic: string;
  type: K;
  payload: LiveEventMap[K];
  audience?: LiveAudience;
}

/** An event to publish, of any declared type (or of the types given): a union discriminated by `type`. */
export type LiveEventInput<K extends LiveEventType = LiveEventType> = { [P in K]: LiveEventOf<P> }[K];

/** A stored event: its input with the id (increasing across the instance: the client's replay cursor) and when it was stored. */
export type LiveEvent<K extends LiveEventType = LiveEventType> = { [P in K]: LiveEventOf<P> & { id: number; createdAt: string } }[K];

/** The payload of an event type. */
export type LivePayload<K extends LiveEventType> = LiveEventMap[K];
