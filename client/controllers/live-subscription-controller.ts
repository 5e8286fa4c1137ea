import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ContextConsumer } from '@lit/context';
import { liveContext } from '../app/contexts.js';
import type { LiveConnection, LiveTopicMessage } from '../app/live-connection.js';

export interface LiveSubscriptionOptions {
  /**
   * The topics to follow, read again on every host update, so they can follow properties
   * (e.g. `() => [\`thread:${this.threadId}\`]`). An empty list follows nothing.
   */
  topics: () => readonly string[];
  /** Called for every message of those topics: events, presence, typing, resync, forbidden. */
  onMessage: (message: LiveTopicMessage) => void;
  /** Also tells the topics' readers that this person is reading them, while the host is connected. */
  presence?: boolean;
  /** The connection to use; by default the one the shell provides through `liveContext`. */
  connection?: LiveConnection;
}

/**
 * Follows live topics while its host is in the document: subscribes on connect, re-subscribes
 * when `topics()` changes, releases everything on disconnect.
 *
 * Subscribe before loading the data the events update (the host's @lit/task runs after
 * hostConnected), so nothing published in between is missed; apply events idempotently
 * (by id), since an event may describe a change the loaded data already shows.
 *
 * @example
 * private live = new LiveSubscriptionController(this, {
 *   topics: () => (this.threadId ? [`thread:${this.threadId}`] : []),
 *   presence: true,
 *   onMessage: (message) => this.applyLive(message),
 * });
 */
export class LiveSubscriptionController implements ReactiveController {
  private readonly consumer: ContextConsumer<typeof liveContext, ReactiveControllerHost & HTMLElement> | null;
  private readonly releases = new Map<string, () => void>();
  private connected = false;
  private connection: LiveConnection | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: LiveSubscriptionOptions,
  ) {
    this.consumer = options.connection
      ? null
      : new ContextConsumer(host, {
          context: liveContext,
          subscribe: true,
          callback: (value) => {
            if (value === this.connection) return;
            this.releaseAll();
            this.connection = value ?? null;
            this.sync();
          },
        });
    this.connection = options.connection ?? null;
    host.addController(this);
  }

  /** The topics currently followed. */
  get topics(): string[] {
    return [...this.releases.keys()];
  }

  hostConnected(): void {
    this.connected = true;
    this.sync();
  }

  hostUpdate(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.releaseAll();
  }

  private sync(): void {
    const connection = this.options.connection ?? this.connection ?? this.consumer?.value ?? null;
    if (!this.connected || !connection) return;
    this.connection = connection;
    const wanted = new Set(this.options.topics());
    for (const [topic, release] of this.releases) {
      if (wanted.has(topic)) continue;
      release();
      this.releases.delete(topic);
    }
    for (const topic of wanted) {
      if (this.releases.has(topic)) continue;
      const unsubscribe = connection.subscribe(topic, (message) => this.options.onMessage(message));
      const leave = this.options.presence ? connection.announcePresence(topic) : () => undefined;
      this.releases.set(topic, () => {
        leave();
        unsubscribe();
      });
    }
  }

  private releaseAll(): void {
    for (const release of this.releases.values()) release();
    this.releases.clear();
  }
}
