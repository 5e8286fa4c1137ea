import type { LiveEventMap, LiveEventType } from '../../server/plugins/live/events.js';
import { api, livePosition, type LivePosition } from './api.js';
import { currentRequestGroup } from './group-address.js';

/**
 * The page's one connection to the live channel (`/api/live`, see docs/debates-api.md):
 * subscriptions shared by topic, replay of what was missed after any disconnect, and
 * reconnection on its own. No user-facing text here: views turn `status` into words.
 */

/**
 * - connecting: the first attempt since start()
 * - open: connected and subscribed; events arrive
 * - reconnecting: the connection was lost and is being re-established (events will be replayed)
 * - offline: not connected and not trying: not started, stopped, session ended, or the browser is offline
 */
export const LiveStatus = Object.freeze({ connecting: 'connecting', open: 'open', reconnecting: 'reconnecting', offline: 'offline' } as const);
export type LiveStatus = (typeof LiveStatus)[keyof typeof LiveStatus];

export interface LivePresenceUser {
  id: string;
  displayName: string;
  countryId: string | null;
}

/**
 * A stored event; each one arrives once per page, in id order, also across reconnects. Typed by the
 * server's catalogue of live events (server/plugins/live/events.ts, filled in by each feature's
 * events.ts; types only, nothing of the server reaches the bundle): checking `event` narrows `payload`.
 */
export type LiveEventMessage<K extends LiveEventType = LiveEventType> = { [P in K]: { type: 'event'; id: number; topic: string; event: P; payload: LiveEventMap[P] } }[K];

/** What a topic's listeners receive. */
export type LiveTopicMessage =
  | LiveEventMessage
  /** Everyone reading the topic now (this person included). */
  | { type: 'presence'; topic: string; users: LivePresenceUser[] }
  /**
   * The server holds the subscription, and everything missed since the last connection has
   * been delivered. Comes after every (re)connection; a view that loads data after subscribing
   * misses nothing if it loads on the first one.
   */
  | { type: 'subscribed'; topic: string }
  /** Someone else is writing in the topic; show it for a few seconds. */
  | { type: 'typing'; topic: string; user: { id: string; displayName: string } }
  /** Events of the topic were lost (the page was away longer than the server keeps them): reload its data. */
  | { type: 'resync'; topic: string }
  /**
   * This person may not read the topic: the server refused the subscription, or ended it because
   * the right is gone (no longer invited, say). Nothing more of the topic arrives; reload its data
   * to show what the API now says (usually "not found").
   */
  | { type: 'forbidden'; topic: string };

export type LiveTopicListener = (message: LiveTopicMessage) => void;

export interface LiveConnectionOptions {
  /** Default: `/api/live` on this page's host, ws: or wss: as the page, for the page's working group (`?group=`). */
  url?: string;
  /** First reconnection delay; doubles with each failure up to `maxDelayMs`, with jitter. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Called when an attempt fails before opening. A browser is not told why an upgrade was
   * refused, so this asks the API whether the session still exists; false ends reconnection.
   */
  sessionAlive?: () => Promise<boolean>;
  /** For tests: a WebSocket constructor. */
  webSocket?: typeof WebSocket;
  /** Where a new subscription starts (by default what the API's answers told: see `livePosition`). */
  position?: LivePosition;
}


/** Fired on the connection with `status` when it changes. */
export class LiveStatusEvent extends Event {
  constructor(readonly status: LiveStatus) {
    super('live-status');
  }
}

/** Fired when the server ended the connection because the session ended (sign-out elsewhere, deactivation). */
export class LiveSessionEndedEvent extends Event {
  constructor() {
    super('live-session-ended');
  }
}

export interface LiveConnectionEventMap {
  'live-status': LiveStatusEvent;
  'live-session-ended': LiveSessionEndedEvent;
}

// Typed listeners for the connection's own events (merged into the class below).
export interface LiveConnection {
  addEventListener<K extends keyof LiveConnectionEventMap>(type: K, listener: (event: LiveConnectionEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof LiveConnectionEventMap>(type: K, listener: (event: LiveConnectionEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

const CLOSE_SESSION_ENDED = 4401;
/** WebSocket.OPEN, spelled out so an injected implementation (tests) need not provide the static. */
const SOCKET_OPEN = 1;
/** An open connection that lasted this long counts as healthy again. */
const STABLE_AFTER_MS = 10_000;
/** The server's limit per subscribe message. */
const TOPICS_PER_MESSAGE = 50;
/** The server forgets a presence after 60 s; renew well before. */
const PRESENCE_RENEW_MS = 25_000;
/** The server relays one typing notice per 2 s and socket; sending more often only costs bandwidth. */
const TYPING_INTERVAL_MS = 2_500;

const defaultSessionAlive = async (): Promise<boolean> => {
  try {
    // /session rather than /me: an ended session is an answer there, not a 401 the browser logs as an error.
    return (await api.get<{ user: unknown }>('/session')).user !== null;
  } catch {
    return true;
  }
};

interface TopicState {
  listeners: Set<LiveTopicListener>;
  /** Highest event id handled for this topic (or the server's cursor when subscribed); null until then. */
  cursor: number | null;
  /** Presence holders: while above zero, presence is announced and renewed. */
  presence: number;
}

export class LiveConnection extends EventTarget {
  private socket: WebSocket | null = null;
  private readonly topics = new Map<string, TopicState>();
  private currentStatus: LiveStatus = 'offline';
  private started = false;
  private attempt = 0;
  private openedSinceAttempt = false;
  private openedAt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private presenceTimer: ReturnType<typeof setInterval> | null = null;
  private flushScheduled = false;
  private toSubscribe = new Set<string>();
  private toUnsubscribe = new Set<string>();
  private toAnnounce = new Set<string>();
  private typingSentAt = new Map<string, number>();
  private readonly options: Required<Omit<LiveConnectionOptions, 'url' | 'webSocket'>> & Pick<LiveConnectionOptions, 'url' | 'webSocket'>;

  constructor(options: LiveConnectionOptions = {}) {
    super();
    this.options = { initialDelayMs: 1_000, maxDelayMs: 30_000, sessionAlive: defaultSessionAlive, position: livePosition, ...options };
  }

  get status(): LiveStatus {
    return this.currentStatus;
  }

  /** Connects (after sign-in or at boot with a session) and keeps reconnecting until stop(). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.attempt = 0;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect('connecting');
  }

  /** Disconnects and stops reconnecting (sign-out). Subscriptions stay registered for the next start(). */
  stop(): void {
    this.started = false;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisible);
    this.clearRetry();
    this.stopPresenceTimer();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    // A new session may be someone else's: positions in their streams mean nothing to it.
    for (const state of this.topics.values()) state.cursor = null;
    this.setStatus('offline');
  }

  /**
   * Listens to a topic ("thread:<id>", "group:<id>", "user:<id>"). Several listeners share one
   * server subscription; the returned function removes this one.
   */
  subscribe(topic: string, listener: LiveTopicListener): () => void {
    let state = this.topics.get(topic);
    if (!state) {
      // Events up to the known position are in any data loaded from now on; the rest is replayed.
      state = { listeners: new Set(), cursor: this.options.position.current(), presence: 0 };
      this.topics.set(topic, state);
      this.toUnsubscribe.delete(topic);
      this.toSubscribe.add(topic);
      this.scheduleFlush();
    }
    state.listeners.add(listener);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.release(topic, (s) => s.listeners.delete(listener));
    };
  }

  /**
   * Tells the topic's readers that this person is reading it, renewed while the returned
   * function has not been called. The topic must be subscribed (by this or another holder).
   */
  announcePresence(topic: string): () => void {
    const state = this.topics.get(topic);
    if (!state) throw new Error(`announcePresence: subscribe to ${topic} first`);
    state.presence += 1;
    if (state.presence === 1) {
      // After the flush: the subscribe it depends on may still be waiting to be sent.
      this.toAnnounce.add(topic);
      this.scheduleFlush();
    }
    this.startPresenceTimer();
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const current = this.topics.get(topic);
      if (current && current.presence > 0) current.presence -= 1;
    };
  }

  /** Call on input in a reply box; throttled here and on the server. */
  sendTyping(topic: string): void {
    const now = Date.now();
    if (now - (this.typingSentAt.get(topic) ?? 0) < TYPING_INTERVAL_MS) return;
    if (this.send({ type: 'typing', topic })) this.typingSentAt.set(topic, now);
  }

  private release(topic: string, remove: (state: TopicState) => void): void {
    const state = this.topics.get(topic);
    if (!state) return;
    remove(state);
    if (state.listeners.size > 0) return;
    this.topics.delete(topic);
    this.typingSentAt.delete(topic);
    this.toSubscribe.delete(topic);
    this.toUnsubscribe.add(topic);
    this.scheduleFlush();
  }

  /** Batches what many controllers ask for in one task into few messages. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      if (this.socket?.readyState !== SOCKET_OPEN) return; // sent on open instead
      const unsubscribe = [...this.toUnsubscribe];
      this.toUnsubscribe.clear();
      for (const chunk of chunks(unsubscribe)) this.send({ type: 'unsubscribe', topics: chunk });
      const subscribe = [...this.toSubscribe].filter((topic) => this.topics.has(topic));
      this.toSubscribe.clear();
      this.sendSubscribe(subscribe);
      for (const topic of this.toAnnounce) if ((this.topics.get(topic)?.presence ?? 0) > 0) this.send({ type: 'presence', topic });
      this.toAnnounce.clear();
    });
  }

  /**
   * Topics with a cursor resume from the oldest cursor among them, so none misses anything;
   * the duplicates this gives the others are dropped in onEvent. New topics start from now.
   */
  private sendSubscribe(topics: string[]): void {
    const resuming = topics.filter((topic) => this.topics.get(topic)?.cursor != null);
    const fresh = topics.filter((topic) => this.topics.get(topic)?.cursor == null);
    if (resuming.length > 0) {
      const lastEventId = Math.min(...resuming.map((topic) => this.topics.get(topic)!.cursor!));
      for (const chunk of chunks(resuming)) this.send({ type: 'subscribe', topics: chunk, lastEventId });
    }
    for (const chunk of chunks(fresh)) this.send({ type: 'subscribe', topics: chunk });
  }

  private connect(status: 'connecting' | 'reconnecting'): void {
    this.clearRetry();
    if (!this.started) return;
    if (!navigator.onLine) {
      this.setStatus('offline');
      return;
    }
    this.setStatus(status);
    const Socket = this.options.webSocket ?? WebSocket;
    let socket: WebSocket;
    try {
      socket = new Socket(this.options.url ?? defaultUrl());
    } catch (error) {
      console.error(error);
      this.socket = null;
      void this.onClose(1006);
      return;
    }
    this.socket = socket;
    this.openedSinceAttempt = false;

    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      this.openedSinceAttempt = true;
      this.openedAt = Date.now();
      // Everything still wanted is (re)subscribed; pending unsubscribes died with the old socket.
      this.toSubscribe.clear();
      this.toUnsubscribe.clear();
      this.toAnnounce.clear();
      this.sendSubscribe([...this.topics.keys()]);
      for (const [topic, state] of this.topics) if (state.presence > 0) this.send({ type: 'presence', topic });
      this.setStatus('open');
    });
    socket.addEventListener('message', (message: MessageEvent) => {
      if (this.socket === socket && typeof message.data === 'string') this.onMessage(message.data);
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      void this.onClose(event.code);
    });
  }

  private async onClose(code: number): Promise<void> {
    if (!this.started) return;
    if (code === CLOSE_SESSION_ENDED || (!this.openedSinceAttempt && !(await this.sessionStillAlive()))) {
      this.stop();
      this.dispatchEvent(new LiveSessionEndedEvent());
      return;
    }
    if (!this.started) return;
    if (!navigator.onLine) {
      this.setStatus('offline');
      return;
    }
    this.setStatus('reconnecting');
    // Only a connection that lasted resets the backoff: one the server closes right after
    // opening (too slow, restarting) must not turn into a tight reconnect loop.
    if (this.openedSinceAttempt && Date.now() - this.openedAt > STABLE_AFTER_MS) this.attempt = 0;
    const base = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** this.attempt);
    this.attempt += 1;
    // Full jitter between half and all of the delay: after a server restart every page
    // reconnects, and spreading them out keeps the new server from a thundering herd.
    const delay = base / 2 + Math.random() * (base / 2);
    this.retryTimer = setTimeout(() => this.connect('reconnecting'), delay);
  }

  private async sessionStillAlive(): Promise<boolean> {
    try {
      return await this.options.sessionAlive();
    } catch {
      return true;
    }
  }

  private onMessage(text: string): void {
    let message: { type?: unknown; [key: string]: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    switch (message.type) {
      case 'event':
        // The server sends only events of the catalogue, as it typed them when it published them.
        return this.onEvent(message as unknown as LiveEventMessage);
      case 'subscribed': {
        const cursor = typeof message.lastEventId === 'number' ? message.lastEventId : 0;
        this.options.position.note(cursor);
        for (const topic of asStrings(message.topics)) {
          const state = this.topics.get(topic);
          if (!state) continue;
          state.cursor = Math.max(state.cursor ?? 0, cursor);
          this.dispatch(topic, { type: 'subscribed', topic });
        }
        return;
      }
      case 'presence':
      case 'typing':
        return this.dispatch(String(message.topic), message as unknown as LiveTopicMessage);
      case 'resync':
        for (const topic of asStrings(message.topics)) {
          // The old cursor may be from another database (a restored backup); `subscribed` sets the new one.
          const state = this.topics.get(topic);
          if (state) state.cursor = null;
          this.dispatch(topic, { type: 'resync', topic });
        }
        return;
      case 'unsubscribed':
        // The server ended the subscription (the right to read it is gone). The topic stays
        // registered for its listeners: after a reconnect it is asked for again, and refused or,
        // if the right came back, granted.
        for (const topic of asStrings(message.topics)) this.dispatch(topic, { type: 'forbidden', topic });
        return;
      case 'error':
        if (message.code === 'forbidden_topic' && typeof message.topic === 'string') this.dispatch(message.topic, { type: 'forbidden', topic: message.topic });
        else console.warn('live channel:', message.code);
        return;
    }
  }

  private onEvent(event: LiveEventMessage): void {
    const state = this.topics.get(event.topic);
    if (!state) return;
    if (state.cursor !== null && event.id <= state.cursor) return;
    state.cursor = event.id;
    this.options.position.note(event.id);
    this.dispatch(event.topic, event);
  }

  private dispatch(topic: string, message: LiveTopicMessage): void {
    const state = this.topics.get(topic);
    if (!state) return;
    for (const listener of [...state.listeners]) {
      try {
        listener(message);
      } catch (error) {
        // One broken view must not starve the others of events.
        console.error(error);
      }
    }
  }

  private send(message: unknown): boolean {
    if (this.socket?.readyState !== SOCKET_OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    this.dispatchEvent(new LiveStatusEvent(status));
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private startPresenceTimer(): void {
    if (this.presenceTimer !== null) return;
    this.presenceTimer = setInterval(() => {
      let any = false;
      for (const [topic, state] of this.topics) {
        if (state.presence === 0) continue;
        any = true;
        this.send({ type: 'presence', topic });
      }
      if (!any) this.stopPresenceTimer();
    }, PRESENCE_RENEW_MS);
  }

  private stopPresenceTimer(): void {
    if (this.presenceTimer !== null) clearInterval(this.presenceTimer);
    this.presenceTimer = null;
  }

  private onOnline = () => {
    if (this.started && this.socket === null) this.connect('reconnecting');
  };

  private onOffline = () => {
    if (!this.started) return;
    // The socket may take minutes to notice; stop pretending it is live.
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.clearRetry();
    this.setStatus('offline');
  };

  /** A tab coming back to the front retries at once instead of waiting out a long backoff. */
  private onVisible = () => {
    if (document.visibilityState === 'visible' && this.started && this.socket === null && this.retryTimer !== null) {
      this.attempt = 0;
      this.connect('reconnecting');
    }
  };
}

function defaultUrl(): string {
  const { protocol, host } = window.location;
  // A websocket upgrade cannot carry the API's group header: the live channel takes it as a parameter.
  const group = currentRequestGroup();
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/api/live${group ? `?${new URLSearchParams({ group })}` : ''}`;
}

function chunks(topics: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < topics.length; i += TOPICS_PER_MESSAGE) out.push(topics.slice(i, i + TOPICS_PER_MESSAGE));
  return out;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
