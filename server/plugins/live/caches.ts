import type { LiveEvent, LiveEventType } from './events.js';

/**
 * One in-memory cache (or a family of them kept by one module) and what makes it stale: the live
 * topic kinds ("thread" for `thread:<id>`) and event types whose events announce a change to what
 * it remembers. Every write that changes remembered state stores such an event in `live_events`
 * (a browser event, or an internal one with no audience: see internalEvent), so the log is the
 * complete list of changes.
 */
export interface CacheRegistration {
  /** What is remembered, for diagnostics and the tests. */
  name: string;
  /** Topic kinds whose every event may change what is remembered. */
  topicKinds?: readonly string[];
  /** Event types (on any topic) that may change it. */
  types?: readonly LiveEventType[];
  /**
   * Also this process's own events, once their write has committed. For a cache whose writers are
   * elsewhere (other features, whose writes it only hears of): none of them has to remember to
   * forget it. Caches their own writers keep right in place leave it off, so a write does not
   * also drop what it just corrected.
   */
  ownEvents?: boolean;
  /** Forgets (or corrects) what the event changed. Synchronous and cheap: it runs once per event. */
  invalidate(event: LiveEvent): void;
}

/**
 * `fastify.caches`: every in-memory cache registers here. What other processes commit to the same
 * database reaches it through the live_events log, read by the log follower (./follower.ts), which
 * hands each of their events to `invalidate` before it fans the event out to this process's
 * sockets. So two processes on one database serve no stale page, count, session or 304. This
 * process's own events reach the caches registered with `ownEvents` once their write committed
 * (the hub, before its fan-out); the others are kept right in place by their writers (the cheapest
 * way: the benchmark's hot paths depend on it).
 */
export class CacheRegistry {
  private readonly registrations: CacheRegistration[] = [];
  private readonly byTopicKind = new Map<string, CacheRegistration[]>();
  private readonly byType = new Map<string, CacheRegistration[]>();

  constructor(private readonly onError: (error: unknown, registration: CacheRegistration, event: LiveEvent) => void = () => {}) {}

  register(registration: CacheRegistration): void {
    if (this.registrations.some((known) => known.name === registration.name)) throw new Error(`Cache "${registration.name}" is already registered`);
    if (!registration.topicKinds?.length && !registration.types?.length) throw new Error(`Cache "${registration.name}" names no topic kind or event type that invalidates it`);
    this.registrations.push(registration);
    for (const kind of registration.topicKinds ?? []) this.byTopicKind.set(kind, [...(this.byTopicKind.get(kind) ?? []), registration]);
    for (const type of registration.types ?? []) this.byType.set(type, [...(this.byType.get(type) ?? []), registration]);
  }

  /** The registered caches' names. */
  names(): string[] {
    return this.registrations.map((registration) => registration.name);
  }

  /**
   * A committed event: every cache that depends on it forgets what it changed. An event of this
   * process (`own`) goes only to the caches registered with `ownEvents`.
   */
  invalidate(event: LiveEvent, origin: 'other' | 'own' = 'other'): void {
    const separator = event.topic.indexOf(':');
    const kind = separator > 0 ? event.topic.slice(0, separator) : event.topic;
    const concerned = new Set([...(this.byTopicKind.get(kind) ?? []), ...(this.byType.get(event.type) ?? [])]);
    for (const registration of concerned) {
      if (origin === 'own' && !registration.ownEvents) continue;
      try {
        registration.invalidate(event);
      } catch (error) {
        // One cache's failure must not keep the others (or the sockets) from the event.
        this.onError(error, registration, event);
      }
    }
  }
}

/** The id part of a topic ("thread:abc" gives "abc"). */
export function topicId(topic: string): string {
  return topic.slice(topic.indexOf(':') + 1);
}
