import { EventEmitter } from 'node:events';
import fp from 'fastify-plugin';
import type { Role } from '../../shared/roles.js';
import type { SessionUser } from '../sessions/index.js';

/** Who may receive an event. Absent: everyone allowed to read its topic. */
export interface LiveAudience {
  userIds?: string[];
  roles?: Role[];
}

export interface LiveEventInput<T = unknown> {
  /** "<kind>:<id>", e.g. "thread:…", "category:…", "user:…" (a user's own notifications). */
  topic: string;
  type: string;
  payload: T;
  audience?: LiveAudience;
}

export interface LiveEvent<T = unknown> extends LiveEventInput<T> {
  /** Increasing across the whole instance: the client's replay cursor. */
  id: number;
  createdAt: string;
}

export type LiveListener = (event: LiveEvent) => void;

/**
 * The single publish/subscribe interface for live events. Features publish AFTER their
 * transaction commits, never inside it. An implementation stores each event durably (so a
 * reconnecting client can replay what it missed) and then fans it out to subscribers.
 * A cross-instance implementation (PostgreSQL LISTEN/NOTIFY or similar) can replace it.
 */
export interface LiveHub {
  publish<T>(event: LiveEventInput<T>): Promise<LiveEvent<T>>;
  subscribe(topic: string, listener: LiveListener): () => void;
  /** Stored events of these topics with id > afterId, oldest first. */
  replay(topics: string[], afterId: number, limit: number): Promise<LiveEvent[]>;
}

/** Decides whether a user may subscribe to a topic kind's id, e.g. canRead(user, threadId). */
export type TopicReadCheck = (user: SessionUser, id: string) => Promise<boolean>;

/** Features declare their topic kinds here; a subscription to an undeclared kind is refused. */
export class LiveTopics {
  private readonly checks = new Map<string, TopicReadCheck>();

  define(kind: string, check: TopicReadCheck): void {
    if (this.checks.has(kind)) throw new Error(`Live topic kind "${kind}" is already defined`);
    this.checks.set(kind, check);
  }

  async mayRead(user: SessionUser, topic: string): Promise<boolean> {
    const separator = topic.indexOf(':');
    if (separator <= 0) return false;
    const check = this.checks.get(topic.slice(0, separator));
    return check ? check(user, topic.slice(separator + 1)) : false;
  }
}

export function inAudience(user: Pick<SessionUser, 'id' | 'role'>, audience: LiveAudience | undefined | null): boolean {
  if (!audience) return true;
  return (audience.userIds?.includes(user.id) ?? false) || (audience.roles?.includes(user.role) ?? false);
}

/** Process-local stand-in until the durable hub lands: same interface, nothing stored. */
export class InProcessLiveHub implements LiveHub {
  private readonly emitter = new EventEmitter();
  private nextId = 1;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  async publish<T>(input: LiveEventInput<T>): Promise<LiveEvent<T>> {
    const event: LiveEvent<T> = { ...input, id: this.nextId++, createdAt: new Date().toISOString() };
    this.emitter.emit(event.topic, event);
    return event;
  }

  subscribe(topic: string, listener: LiveListener): () => void {
    this.emitter.on(topic, listener);
    return () => this.emitter.off(topic, listener);
  }

  async replay(): Promise<LiveEvent[]> {
    return [];
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    liveHub: LiveHub;
    liveTopics: LiveTopics;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('liveHub', new InProcessLiveHub());
    const topics = new LiveTopics();
    // Everyone reads their own notification stream, and nobody else's.
    topics.define('user', async (user, id) => user.id === id);
    fastify.decorate('liveTopics', topics);
  },
  { name: 'live-hub', dependencies: ['db'] },
);
