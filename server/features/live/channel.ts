/**
 * The live channel's sockets: subscriptions, replay, read checks when rights change, presence and
 * typing. Over 500 lines on purpose: these all act on the same per-socket, per-topic ordering state
 * (what was sent, what waits behind a replay or a read check), and splitting them would spread
 * that one invariant across files.
 */
import type { FastifyBaseLogger } from 'fastify';
import { WebSocket, type RawData } from 'ws';
import { ACCESS_CHANGED, CHANNEL_ONLY, inAudience, wireBytes, type LiveEvent, type LiveEventOf, type LiveEventType, type LiveHub, type LiveTopics } from '../../plugins/live/hub.js';
import { endsSession, type SessionsEnded, type SessionUser } from '../../plugins/sessions/index.js';
import { parseClientMessage, type ClientMessage, type LiveErrorCode } from './messages.js';

export interface LiveOptions {
  /** Seconds between pings; fractions are for tests. */
  heartbeatSeconds: number;
  /** A presence not renewed for this long is dropped. */
  presenceSeconds?: number;
  /** Bytes a socket may have waiting to be sent before it counts as a slow consumer. */
  maxBufferedBytes?: number;
  /** Shortest interval between two relayed "typing" notices of one socket in one topic. */
  typingIntervalMs?: number;
}

const MAX_SUBSCRIPTIONS = 200;
/** Messages of one socket waiting to be handled; a client that floods gets "busy" instead of a growing queue. */
const MAX_QUEUED_MESSAGES = 32;
/** Live events held back while a subscription's replay is still being sent, or its reader's right checked again. */
const MAX_PENDING_EVENTS = 2_000;
const REPLAY_BATCH = 500;
/** After our close frame, how long the peer has to answer before its socket and buffers are cut. */
const CLOSE_GRACE_MS = 1_000;

export const CLOSE_SLOW_CONSUMER = 1013;
export const CLOSE_SESSION_ENDED = 4401;
/** What the person may read has changed (a new role): the client reconnects, and its subscriptions are checked afresh. */
export const CLOSE_RIGHTS_CHANGED = 4409;

/** On a person's own topic: some of their sessions ended (payload: SessionsEnded). Sent to no socket. */
export const SESSIONS_ENDED = 'user.sessions-ended' satisfies LiveEventType;
/** On a person's own topic: their role or affiliation changed. */
export const RIGHTS_CHANGED = 'user.rights-changed' satisfies LiveEventType;

/**
 * The stored signal for sessions that ended. Through the log rather than straight to this
 * process's sockets, like accessChanged(): ordered with every other event, and readable by any
 * process that serves sockets from the same log.
 */
export function sessionsEndedSignal(ended: SessionsEnded): LiveEventOf<typeof SESSIONS_ENDED> {
  return { topic: `user:${ended.userId}`, type: SESSIONS_ENDED, payload: ended, audience: CHANNEL_ONLY };
}

interface Subscription {
  topic: string;
  unsubscribe(): void;
  /** While true, live events wait in `pending` so they cannot overtake the replay. */
  replaying: boolean;
  /**
   * While true, whether the reader may still read the topic is being checked (on subscribing, and
   * again after each access.changed): events wait in `pending`, presence and typing are not sent.
   */
  checking: boolean;
  /** A change of who is present went unsent during a check: the list is sent once the check passes. */
  presenceMissed: boolean;
  pending: LiveEvent[];
  /** Highest event id of this topic already sent (or deliberately skipped) on this socket. */
  lastSent: number;
}

interface Connection {
  socket: WebSocket;
  user: SessionUser;
  /**
   * The session that opened the socket: the socket ends with it (sign-out, expiry, a password
   * changed elsewhere), not only with the person. Moves when the session is replaced by a new one
   * for the same client (the password change made from this browser).
   */
  sessionId: string;
  alive: boolean;
  closed: boolean;
  subscriptions: Map<string, Subscription>;
  queue: Promise<void>;
  queued: number;
  typingAt: Map<string, number>;
  /** Settles when the connection is released, so waits on its socket never outlive it. */
  released: Promise<void>;
  release(): void;
}

interface PresenceUser {
  id: string;
  displayName: string;
  countryId: string | null;
}

/**
 * Every open socket of this process, its subscriptions, presence and typing. One hub listener
 * per socket and topic: the hub serializes an event once, and each socket only checks the
 * audience and writes the shared text.
 *
 * Rights are checked when they change, not only on subscribing. A socket belongs to a session,
 * and the person's own topic carries the signals that end sessions (SESSIONS_ENDED) or change the
 * person's role (RIGHTS_CHANGED). A topic whose readers change carries an access.changed signal,
 * stored with the write that changed them and ahead of that write's own events: each subscriber
 * then holds the topic's later events until its read check has answered again, and loses the
 * subscription if the answer is no. The per-event path stays synchronous and in memory (one
 * string comparison more per socket); the database is asked only when access changes.
 */
export class LiveChannel {
  private readonly connections = new Set<Connection>();
  private readonly byTopic = new Map<string, Set<Connection>>();
  private readonly byUser = new Map<string, { connections: Set<Connection>; unsubscribe: () => void }>();
  /** topic → connection → when its presence expires (ms). */
  private readonly presence = new Map<string, Map<Connection, number>>();
  /** Read checks shared by a person's sockets reacting to one access.changed (see mayReadAfterChange). */
  private readonly checksByChange = new WeakMap<LiveEvent, Map<string, Promise<boolean>>>();
  private readonly presenceMs: number;
  private readonly maxBuffered: number;
  private readonly typingMs: number;

  constructor(
    private readonly hub: LiveHub,
    private readonly topics: LiveTopics,
    private readonly log: FastifyBaseLogger,
    options: LiveOptions,
  ) {
    this.presenceMs = (options.presenceSeconds ?? 60) * 1000;
    this.maxBuffered = options.maxBufferedBytes ?? 512 * 1024;
    this.typingMs = options.typingIntervalMs ?? 2_000;
  }

  /** Called synchronously on upgrade: listeners are attached before any message can arrive. */
  accept(socket: WebSocket, user: SessionUser, sessionId: string): void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const connection: Connection = {
      socket,
      user,
      sessionId,
      alive: true,
      closed: false,
      subscriptions: new Map(),
      queue: Promise.resolve(),
      queued: 0,
      typingAt: new Map(),
      released,
      release,
    };
    this.connections.add(connection);
    this.watchUser(connection);

    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('close', () => this.release(connection));
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const message = isBinary ? null : parseClientMessage(rawText(data));
      if (!message) {
        this.sendError(connection, 'bad_message');
        return;
      }
      if (connection.queued >= MAX_QUEUED_MESSAGES) {
        this.sendError(connection, 'busy');
        return;
      }
      // One message at a time per socket: a subscribe's read checks and replay are asynchronous,
      // and an unsubscribe or presence that follows it must see its outcome.
      connection.queued += 1;
      connection.queue = connection.queue
        .then(() => (connection.closed ? undefined : this.handle(connection, message)))
        .catch((err: unknown) => this.log.error({ err }, 'live message failed'))
        .finally(() => {
          connection.queued -= 1;
        });
    });
  }

  /** Pings every socket; one that did not answer the previous ping is dead and dropped. */
  heartbeat(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        this.release(connection);
        continue;
      }
      connection.alive = false;
      try {
        connection.socket.ping();
      } catch {
        // Already closing: the close handler releases it.
      }
    }
  }

  expirePresence(now = Date.now()): void {
    for (const [topic, entries] of this.presence) {
      const before = this.presentUsers(topic);
      for (const [connection, expiresAt] of entries) if (expiresAt <= now) entries.delete(connection);
      this.presenceChanged(topic, before);
    }
  }

  closeAll(): void {
    for (const connection of this.connections) {
      closeSocket(connection.socket, 1001, 'server shutting down');
      this.release(connection);
    }
  }

  private async handle(connection: Connection, message: ClientMessage): Promise<void> {
    switch (message.type) {
      case 'subscribe':
        return this.subscribe(connection, message.topics, message.lastEventId);
      case 'unsubscribe':
        for (const topic of new Set(message.topics)) this.unsubscribe(connection, topic);
        return;
      case 'presence':
        return this.markPresent(connection, message.topic);
      case 'typing':
        return this.relayTyping(connection, message.topic);
    }
  }

  private async subscribe(connection: Connection, requested: string[], lastEventId: number | undefined): Promise<void> {
    const topics = [...new Set(requested)];
    const fresh = topics.filter((topic) => !connection.subscriptions.has(topic));
    if (connection.subscriptions.size + fresh.length > MAX_SUBSCRIPTIONS) {
      this.sendError(connection, 'too_many_topics');
      return;
    }
    // Listening starts before the read checks (events wait meanwhile): an access.changed published
    // while a check runs is then seen, and checked again, instead of slipping between the two.
    const added = fresh.map((topic) => this.addSubscription(connection, topic, lastEventId));
    const kept = await Promise.all(added.map((subscription) => this.check(connection, subscription, { subscribing: true })));
    if (connection.closed) return;
    // Refusals are told in the order the topics were asked for.
    for (const [index, subscription] of added.entries()) if (kept[index] === false) this.sendError(connection, 'forbidden_topic', { topic: subscription.topic });

    const granted = added.filter((subscription) => connection.subscriptions.get(subscription.topic) === subscription);
    if (lastEventId !== undefined && granted.length > 0) await this.replay(connection, granted, lastEventId);
    if (connection.closed) return;

    const subscribed = topics.filter((topic) => connection.subscriptions.has(topic));
    // lastEventId: where a later reconnect may resume these topics; everything up to it was
    // either sent already or predates the subscription.
    if (subscribed.length > 0) this.send(connection, JSON.stringify({ type: 'subscribed', topics: subscribed, lastEventId: this.hub.latestId?.() ?? 0 }));
    for (const { topic } of granted) this.sendPresence(connection, topic);
  }

  private addSubscription(connection: Connection, topic: string, lastEventId: number | undefined): Subscription {
    const subscription: Subscription = {
      topic,
      unsubscribe: () => undefined,
      replaying: lastEventId !== undefined,
      checking: true,
      presenceMissed: false,
      pending: [],
      lastSent: lastEventId ?? 0,
    };
    // Listening starts before the replay query, so nothing published in between is lost; the
    // pending buffer and lastSent keep it from being sent twice.
    subscription.unsubscribe = this.hub.subscribe(topic, (event) => {
      if (!connection.closed) this.take(connection, subscription, event);
    });
    connection.subscriptions.set(topic, subscription);
    let set = this.byTopic.get(topic);
    if (!set) {
      set = new Set();
      this.byTopic.set(topic, set);
    }
    set.add(connection);
    return subscription;
  }

  /** One event of the subscription's topic, live or held back until now. */
  private take(connection: Connection, subscription: Subscription, event: LiveEvent): void {
    if (subscription.replaying || subscription.checking) {
      subscription.pending.push(event);
      if (subscription.pending.length > MAX_PENDING_EVENTS) this.dropSlowConsumer(connection);
      return;
    }
    if (event.type === ACCESS_CHANGED) {
      if (event.id <= subscription.lastSent) return;
      subscription.lastSent = event.id;
      this.check(connection, subscription, { trigger: event }).catch((err: unknown) => this.log.error({ err, topic: subscription.topic }, 'live: access recheck failed'));
      return;
    }
    this.deliver(connection, subscription, event);
  }

  /** Sends what waited, in order; a change of readers among it holds the rest again. */
  private flush(connection: Connection, subscription: Subscription): void {
    const pending = subscription.pending;
    subscription.pending = [];
    for (const event of pending) this.take(connection, subscription, event);
  }

  /**
   * Checks whether the socket's person may read the topic (on subscribing, or again after an
   * access.changed), holding its events meanwhile; then keeps the subscription and sends what
   * waited, or drops it (and tells the client `unsubscribed`; a subscribe answers the refusal
   * itself). Resolves with whether it was kept (undefined if the socket or subscription went meanwhile). If the readers changed again during the check, its answer may be older than that
   * change, and what came between was published under a right this reader may not have had: that
   * part is skipped, the check runs again, and a reader still allowed is asked to reload the topic
   * (`resync`) instead.
   */
  private async check(connection: Connection, subscription: Subscription, options: { subscribing?: boolean; trigger?: LiveEvent; resync?: boolean }): Promise<boolean | undefined> {
    subscription.checking = true;
    let resync = options.resync ?? false;
    let trigger = options.trigger;
    for (;;) {
      const allowed = await (trigger ? this.mayReadAfterChange(connection.user, subscription.topic, trigger) : this.mayRead(connection.user, subscription.topic));
      trigger = undefined;
      if (connection.closed || connection.subscriptions.get(subscription.topic) !== subscription) return;
      const pending = subscription.pending;
      const lastChange = pending.findLastIndex((event) => event.type === ACCESS_CHANGED && event.id > subscription.lastSent);
      if (lastChange >= 0) {
        subscription.lastSent = pending[lastChange]!.id;
        subscription.pending = pending.slice(lastChange + 1);
        resync = true;
        continue;
      }
      if (!allowed) {
        this.unsubscribe(connection, subscription.topic);
        if (!options.subscribing) this.send(connection, JSON.stringify({ type: 'unsubscribed', topics: [subscription.topic], reason: 'forbidden' }));
        return false;
      }
      subscription.checking = false;
      if (resync) this.send(connection, JSON.stringify({ type: 'resync', topics: [subscription.topic] }));
      // (A new subscriber is told who is present once it is subscribed.)
      if (subscription.presenceMissed && !options.subscribing) this.sendPresence(connection, subscription.topic, true);
      subscription.presenceMissed = false;
      // While a replay is still to come, this only puts the events back to wait for it.
      this.flush(connection, subscription);
      return true;
    }
  }

  /**
   * One read check per person for all their sockets reacting to the same access.changed (the
   * fan-out hands every listener the same event object).
   */
  private mayReadAfterChange(user: SessionUser, topic: string, trigger: LiveEvent): Promise<boolean> {
    let checks = this.checksByChange.get(trigger);
    if (!checks) {
      checks = new Map();
      this.checksByChange.set(trigger, checks);
    }
    let check = checks.get(user.id);
    if (!check) {
      check = this.mayRead(user, topic);
      checks.set(user.id, check);
    }
    return check;
  }

  private async replay(connection: Connection, subscriptions: Subscription[], lastEventId: number): Promise<void> {
    const topics = subscriptions.map((subscription) => subscription.topic);
    const floor = this.hub.replayFloor?.() ?? 0;
    let latest = this.hub.latestId?.() ?? Number.POSITIVE_INFINITY;
    // A cursor from another instance that is a little ahead of this one (PostgreSQL): replayed from the log, not refused.
    if (lastEventId > latest && this.hub.lastIssuedId) latest = await this.hub.lastIssuedId();
    if (connection.closed) return;
    /** Topics whose readers changed after the cursor: what followed was published under rights this reader may not have had. */
    const crossed = new Set<Subscription>();
    if (lastEventId < floor || lastEventId > latest) {
      // Some events after the cursor are gone (retention), or the cursor is not from this
      // database (restored from a backup): replaying would leave a silent gap, so the client is
      // told to reload these topics instead.
      this.send(connection, JSON.stringify({ type: 'resync', topics }));
    } else {
      let cursor = lastEventId;
      for (;;) {
        const batch = await this.hub.replay(topics, cursor, REPLAY_BATCH);
        if (connection.closed) return;
        for (const event of batch) {
          cursor = event.id;
          const subscription = connection.subscriptions.get(event.topic);
          if (!subscription) continue;
          if (event.type === ACCESS_CHANGED) crossed.add(subscription);
          if (crossed.has(subscription)) subscription.lastSent = Math.max(subscription.lastSent, event.id);
          else this.deliver(connection, subscription, event);
        }
        if (batch.length < REPLAY_BATCH) break;
        // Let the socket drain before reading more, so a long absence does not fill server memory.
        await this.drained(connection);
        if (connection.closed) return;
      }
    }
    const rechecks: Array<Promise<unknown>> = [];
    for (const subscription of subscriptions) {
      subscription.replaying = false;
      if (connection.subscriptions.get(subscription.topic) !== subscription) continue;
      // The read check on subscribing may predate the change: checked again, and the rest of the
      // topic is reloaded by the client instead of replayed.
      if (crossed.has(subscription)) rechecks.push(this.check(connection, subscription, { resync: true }));
      else this.flush(connection, subscription);
    }
    await Promise.all(rechecks);
  }

  private deliver(connection: Connection, subscription: Subscription, event: LiveEvent): void {
    if (event.id <= subscription.lastSent) return;
    subscription.lastSent = event.id;
    if (inAudience(connection.user, event.audience)) this.send(connection, wireBytes(event));
  }

  private unsubscribe(connection: Connection, topic: string): void {
    const subscription = connection.subscriptions.get(topic);
    if (!subscription) return;
    subscription.unsubscribe();
    subscription.pending = [];
    connection.subscriptions.delete(topic);
    connection.typingAt.delete(topic);
    const set = this.byTopic.get(topic);
    set?.delete(connection);
    if (set?.size === 0) this.byTopic.delete(topic);
    this.leavePresence(connection, topic);
  }

  private markPresent(connection: Connection, topic: string): void {
    if (!connection.subscriptions.has(topic)) {
      this.sendError(connection, 'not_subscribed', { topic });
      return;
    }
    let entries = this.presence.get(topic);
    if (!entries) {
      entries = new Map();
      this.presence.set(topic, entries);
    }
    const before = this.presentUsers(topic);
    entries.set(connection, Date.now() + this.presenceMs);
    this.presenceChanged(topic, before);
  }

  private leavePresence(connection: Connection, topic: string): void {
    const entries = this.presence.get(topic);
    if (!entries?.has(connection)) return;
    const before = this.presentUsers(topic);
    entries.delete(connection);
    this.presenceChanged(topic, before);
  }

  /** Distinct users present in the topic (a person with two tabs counts once), in order of arrival. */
  private presentUsers(topic: string): PresenceUser[] {
    const users = new Map<string, PresenceUser>();
    for (const connection of this.presence.get(topic)?.keys() ?? []) {
      const { id, displayName, countryId } = connection.user;
      if (!users.has(id)) users.set(id, { id, displayName, countryId });
    }
    return [...users.values()];
  }

  /** Renewals are silent; only a change of who is there is broadcast, to every subscriber of the topic. */
  private presenceChanged(topic: string, before: PresenceUser[]): void {
    const users = this.presentUsers(topic);
    if (users.length === 0) this.presence.delete(topic);
    if (users.map((user) => user.id).join() === before.map((user) => user.id).join()) return;
    const text = JSON.stringify({ type: 'presence', topic, users });
    for (const connection of this.byTopic.get(topic) ?? []) {
      // Not to a subscriber whose right is being checked: it gets the list if the check passes.
      const subscription = connection.subscriptions.get(topic);
      if (subscription?.checking) subscription.presenceMissed = true;
      else this.send(connection, text);
    }
  }

  /** Who is present, to one subscriber: a new one when anyone is, or one that missed a change. */
  private sendPresence(connection: Connection, topic: string, evenIfNobody = false): void {
    const users = this.presentUsers(topic);
    if (users.length > 0 || evenIfNobody) this.send(connection, JSON.stringify({ type: 'presence', topic, users }));
  }

  private relayTyping(connection: Connection, topic: string): void {
    if (!connection.subscriptions.has(topic)) {
      this.sendError(connection, 'not_subscribed', { topic });
      return;
    }
    const now = Date.now();
    if (now - (connection.typingAt.get(topic) ?? 0) < this.typingMs) return;
    connection.typingAt.set(topic, now);
    const { id, displayName } = connection.user;
    const text = JSON.stringify({ type: 'typing', topic, user: { id, displayName } });
    // Not to a subscriber whose right is being checked; typing notices are fleeting, none is owed later.
    for (const other of this.byTopic.get(topic) ?? []) if (other.user.id !== id && other.subscriptions.get(topic)?.checking === false) this.send(other, text);
  }

  private async mayRead(user: SessionUser, topic: string): Promise<boolean> {
    try {
      return await this.topics.mayRead(user, topic);
    } catch (err) {
      this.log.error({ err, topic }, 'live topic read check failed');
      return false;
    }
  }

  /**
   * One hub listener per signed-in user with open sockets, for the signals on their own topic:
   * sessions that ended close exactly the sockets they opened; a new role closes them all, and
   * the client reconnects to have every subscription checked for that role.
   */
  private watchUser(connection: Connection): void {
    const userId = connection.user.id;
    const existing = this.byUser.get(userId);
    if (existing) {
      existing.connections.add(connection);
      return;
    }
    const entry = {
      connections: new Set([connection]),
      unsubscribe: this.hub.subscribe(`user:${userId}`, (event) => {
        if (event.type === SESSIONS_ENDED) this.sessionsEnded(event.payload as SessionsEnded);
        else if (event.type === RIGHTS_CHANGED) {
          for (const open of [...entry.connections]) this.close(open, CLOSE_RIGHTS_CHANGED, 'rights changed');
        }
      }),
    };
    this.byUser.set(userId, entry);
  }

  /**
   * Closes the sockets of the sessions that ended; those of a replaced session move to its
   * successor. Idempotent. Called for the stored signal, and directly if storing it failed.
   */
  sessionsEnded(ended: SessionsEnded): void {
    for (const open of [...(this.byUser.get(ended.userId)?.connections ?? [])]) {
      if (ended.replaced?.from === open.sessionId) open.sessionId = ended.replaced.to;
      else if (endsSession(ended, open.sessionId)) this.close(open, CLOSE_SESSION_ENDED, 'session ended');
    }
  }

  private close(connection: Connection, code: number, reason: string): void {
    closeSocket(connection.socket, code, reason);
    this.release(connection);
  }

  private send(connection: Connection, text: string | Buffer): void {
    if (connection.closed || connection.socket.readyState !== WebSocket.OPEN) return;
    // A reader that does not keep up would make the server hold everything it has not read.
    if (connection.socket.bufferedAmount > this.maxBuffered) {
      this.dropSlowConsumer(connection);
      return;
    }
    // Bytes still go out as a text frame: every message of the channel is JSON.
    connection.socket.send(text, { binary: false });
  }

  private sendError(connection: Connection, code: LiveErrorCode, extra: { topic?: string } = {}): void {
    this.send(connection, JSON.stringify({ type: 'error', code, ...extra }));
  }

  private dropSlowConsumer(connection: Connection): void {
    if (connection.closed) return;
    this.log.warn({ userId: connection.user.id, bufferedBytes: connection.socket.bufferedAmount }, 'live: slow consumer disconnected');
    // The close frame waits behind everything unread: the peer may never take it.
    closeSocket(connection.socket, CLOSE_SLOW_CONSUMER, 'too slow');
    this.release(connection);
  }

  /** Resolves once what was queued on the socket has been handed to the OS, or the connection is gone. */
  private drained(connection: Connection): Promise<void> {
    if (connection.socket.bufferedAmount === 0) return Promise.resolve();
    return Promise.race([
      connection.released,
      new Promise<void>((resolve) => {
        // An empty frame costs the peer nothing, and ws calls back once it (and all before it) is written.
        try {
          connection.socket.ping(undefined, undefined, () => resolve());
        } catch {
          resolve();
        }
      }),
    ]);
  }

  /** Forgets everything about the connection at once; idempotent. */
  private release(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    for (const topic of [...connection.subscriptions.keys()]) this.unsubscribe(connection, topic);
    connection.typingAt.clear();
    const entry = this.byUser.get(connection.user.id);
    if (entry) {
      entry.connections.delete(connection);
      if (entry.connections.size === 0) {
        entry.unsubscribe();
        this.byUser.delete(connection.user.id);
      }
    }
    this.connections.delete(connection);
    connection.release();
  }
}

/** Closes politely, and cuts the socket if the peer has not completed the close in time. */
function closeSocket(socket: WebSocket, code: number, reason: string): void {
  if (socket.readyState === WebSocket.CLOSED) return;
  socket.close(code, reason);
  setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

