import { EventEmitter } from 'node:events';
import fp from 'fastify-plugin';

export interface LiveEvent<T = unknown> {
  topic: string;
  type: string;
  payload: T;
}

export type LiveListener = (event: LiveEvent) => void;

/**
 * The single publish/subscribe interface for live events. Features publish after their
 * transaction commits, never inside it. This in-process implementation serves one instance;
 * a durable, cross-instance one (stored events, PostgreSQL LISTEN/NOTIFY or similar) can
 * replace it behind the same interface.
 */
export interface LiveHub {
  publish(event: LiveEvent): void;
  subscribe(topic: string, listener: LiveListener): () => void;
}

export class InProcessLiveHub implements LiveHub {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: LiveEvent): void {
    this.emitter.emit(event.topic, event);
  }

  subscribe(topic: string, listener: LiveListener): () => void {
    this.emitter.on(topic, listener);
    return () => this.emitter.off(topic, listener);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    liveHub: LiveHub;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('liveHub', new InProcessLiveHub());
  },
  { name: 'live-hub' },
);
