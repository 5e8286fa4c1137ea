import fp from 'fastify-plugin';
import type { LiveAudience, LiveEvent, LiveEventInput, LiveEventMap, LiveEventOf, LiveEventType } from './events.js';
import type { SessionUser } from '../sessions/index.js';
import { runPeriodically } from '../../shared/periodic.js';
import type { PendingCommit, UnitOfWork } from '../unit-of-work.js';
import { LiveEventsRepository, SqliteLogReader } from './repository.js';
import { CacheRegistry } from './caches.js';
import { LogFollower } from './follower.js';
import { PgLogFollower } from './pg-follower.js';
import { LIVE_NOTIFY_CHANNEL } from './repository.js';
import { PgNotificationListener, type PostgresEngine } from '../postgres-engine.js';
import { randomUUID } from 'node:crypto';

export type { LiveAudience, LiveEvent, LiveEventInput, LiveEventMap, LiveEventOf, LiveEventType, LivePayload } from './events.js';

export type LiveListener = (event: LiveEvent) => void;

/**
 * The single publish/subscribe interface for live events. An event reaches subscribers only once
 * it is stored durably (so a reconnecting client can replay what it missed), and only once the
 * write it announces has committed: either the feature publishes after its own commit, or it
 * stores its events inside its write with publishWithin (a transactional outbox: one commit for
 * the post and its events). A cross-instance implementation (PostgreSQL LISTEN/NOTIFY or similar)
 * can replace it.
 */
export interface LiveHub {
  /** One event of a type declared in LiveEventMap (./events.ts), with that type's payload. */
  publish<K extends LiveEventType>(event: LiveEventOf<K>): Promise<LiveEvent<K>>;
  /** Several events at once, in this order: one write (one commit) for all of them, then the same fan-out as publish. */
  publishMany(events: LiveEventInput[]): Promise<LiveEvent[]>;
  /**
   * Stores the events inside the caller's unit of work and fans them out once it has committed
   * (not at all if it rolls back). Resolves with them, with their ids.
   */
  publishWithin(commit: PendingCommit, events: LiveEventInput[]): Promise<LiveEvent[]>;
  subscribe(topic: string, listener: LiveListener): () => void;
  /** Stored events of these topics with id > afterId, oldest first. */
  replay(topics: string[], afterId: number, limit: number): Promise<LiveEvent[]>;
  /**
   * Events with an id up to this one may have been deleted (retention): a cursor below it cannot
   * be replayed exactly, and the client has to reload instead. Absent: nothing is ever deleted.
   */
  replayFloor?(): number;
  /** The id of the newest event published so far (0 when none): where a fresh subscriber's cursor starts. */
  latestId?(): number;
  /**
   * The newest id handed out by any instance on the database, asked of the database: a cursor
   * above latestId() may come from another instance that is ahead of this one (PostgreSQL), not
   * from another database. Absent: latestId() is the database's (one process, or SQLite's follower).
   */
  lastIssuedId?(): Promise<number>;
  /**
   * Rewrites events already stored, so that a client replaying them gets the new form: for content
   * that must no longer reach everyone (a post hidden or withdrawn). Events already delivered stay
   * delivered; the change itself goes out as a new event.
   */
  rewriteStored(filter: StoredEventFilter, rewrite: (payload: unknown) => unknown): Promise<number>;
}

/** Which stored events to rewrite: of these topics and types, whose payload holds `value` at the JSON `path`. */
export interface StoredEventFilter {
  topics: string[];
  types: LiveEventType[];
  path: string;
  value: string;
  /** Only events for everyone who may read the topic, not those addressed to a narrower audience. */
  everyoneOnly: boolean;
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

/**
 * The audience of the channel's own signals: stored and fanned out like any event (so the live
 * channel of this process, and of any process reading the log, acts on them in order with the
 * topic's other events), but sent to no socket.
 */
export const CHANNEL_ONLY: LiveAudience = Object.freeze({ userIds: [] as string[] });

/** The event type of accessChanged(). */
export const ACCESS_CHANGED = 'access.changed' satisfies LiveEventType;

/**
 * "What decides who may read this topic has changed" (a meeting's invitees, say). Store it with
 * the write that changed it (publishWithin, before that write's own events): the live channel then
 * checks every subscriber of the topic again before it sends them anything published after it.
 */
export function accessChanged(topic: string): LiveEventOf<typeof ACCESS_CHANGED> {
  return { topic, type: ACCESS_CHANGED, payload: null, audience: CHANNEL_ONLY };
}

/**
 * An event for no socket, stored only so the log carries a write that changes what some process
 * remembers (a watch level, a read position, a person's profile) and announces nothing to
 * browsers: other processes' caches registered for its type forget what it changed.
 */
export function internalEvent<K extends LiveEventType>(topic: string, type: K, payload: LiveEventMap[K]): LiveEventOf<K> {
  return { topic, type, payload, audience: CHANNEL_ONLY };
}

export function inAudience(user: Pick<SessionUser, 'id' | 'role'>, audience: LiveAudience | undefined | null): boolean {
  if (!audience) return true;
  return (audience.userIds?.includes(user.id) ?? false) || (audience.roles?.includes(user.role) ?? false);
}

const wireCache = new WeakMap<LiveEvent, string>();

function buildWire(id: number, topic: string, type: string, payloadJson: string): string {
  return `{"type":"event","id":${id},"topic":${JSON.stringify(topic)},"event":${JSON.stringify(type)},"payload":${payloadJson}}`;
}

/**
 * The event as the live channel sends it, `{type:'event', id, topic, event, payload}`, as JSON
 * text. The durable hub fills this in when it stores or reads an event, so one event published
 * to a thousand sockets is serialized once, and replay reuses the stored JSON without re-encoding it.
 */
export function wireMessage(event: LiveEvent): string {
  let wire = wireCache.get(event);
  if (wire === undefined) {
    wire = buildWire(event.id, event.topic, event.type, JSON.stringify(event.payload ?? null));
    wireCache.set(event, wire);
  }
  return wire;
}

const wireBytesCache = new WeakMap<LiveEvent, Buffer>();

/**
 * wireMessage as UTF-8 bytes, encoded once per event: a socket sent a string re-encodes it, a
 * thousand times for a thousand subscribers.
 */
export function wireBytes(event: LiveEvent): Buffer {
  let bytes = wireBytesCache.get(event);
  if (bytes === undefined) {
    bytes = Buffer.from(wireMessage(event));
    wireBytesCache.set(event, bytes);
  }
  return bytes;
}

interface HubLogger {
  error(object: unknown, message: string): void;
  warn(object: unknown, message: string): void;
}

/**
 * Stores each event in live_events, then hands it to this process's subscribers. Publishing does
 * one insert however many sockets listen; fan-out is in memory and synchronous, so subscribers see
 * events in id order and `await publish()` returns once every local subscriber has it.
 */
export class DurableLiveHub implements LiveHub {
  private readonly listeners = new Map<string, Set<LiveListener>>();
  private floor: number;
  private latest: number;
  /** Reads what other processes commit to the log (none until follow() is called). */
  private follower: LogFollower | null = null;
  /** The caches that hear this process's own committed events too (set by follow()). */
  private caches: CacheRegistry | null = null;
  /** PostgreSQL: the follower every event goes through to the subscribers, own ones included (see publishOrdered). */
  private pgFollower: PgLogFollower | null = null;
  private pgListener: PgNotificationListener | null = null;
  /** Tells this instance's notifications from the others'. */
  private readonly instance = randomUUID();

  private constructor(
    private readonly repository: LiveEventsRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly log: HubLogger,
    floor: number,
    latest: number,
  ) {
    this.floor = floor;
    this.latest = latest;
  }

  static async open(repository: LiveEventsRepository, unitOfWork: UnitOfWork, log: HubLogger, engine: PostgresEngine | null = null): Promise<DurableLiveHub> {
    const floor = await computeFloor(repository);
    // On PostgreSQL, in a turn of its own: an id handed out to a transaction not yet committed is
    // below the last issued one, and would be skipped if read before that commit.
    const latest = engine ? await unitOfWork.run(async () => (await repository.takeTurnNow(), repository.lastIssuedId())) : await repository.lastIssuedId();
    const hub = new DurableLiveHub(repository, unitOfWork, log, floor, latest);
    hub.engine = engine;
    return hub;
  }

  private engine: PostgresEngine | null = null;

  async publish<K extends LiveEventType>(input: LiveEventOf<K>): Promise<LiveEvent<K>> {
    return (await this.publishMany([input as LiveEventInput]))[0] as LiveEvent<K>;
  }

  async publishMany(inputs: LiveEventInput[]): Promise<LiveEvent[]> {
    if (inputs.length === 0) return [];
    // Through the group commit, which runs pieces and their after-commit fan-outs in the order
    // they were submitted: concurrent publishes get ids, and reach subscribers, in call order.
    const events = await this.unitOfWork.run((commit) => this.publishWithin(commit, inputs));
    // On PostgreSQL an event whose id follows another instance's waits for it to be read from the
    // log: resolved once this instance's subscribers have it, as on SQLite.
    await this.pgFollower?.whenDelivered(events[events.length - 1]!.id);
    return events;
  }

  async publishWithin(commit: PendingCommit, inputs: LiveEventInput[]): Promise<LiveEvent[]> {
    if (inputs.length === 0) return [];
    if (this.engine) return this.publishOrdered(this.engine, commit, inputs);
    const createdAt = new Date();
    const at = createdAt.toISOString();
    const stored = inputs.map((input) => ({ topic: input.topic, type: input.type, payloadJson: JSON.stringify(input.payload ?? null), audience: input.audience ?? null, createdAt }));
    const ids = await this.repository.insertNow(stored);
    const follower = this.follower;
    if (follower) {
      follower.stored(ids);
      commit.afterRollback(() => follower.undone(ids));
    }
    const events = inputs.map((input, i) => {
      const event = { topic: input.topic, type: input.type, payload: input.payload, id: ids[i]!, createdAt: at } as LiveEvent;
      if (input.audience) event.audience = input.audience;
      wireCache.set(event, buildWire(event.id, input.topic, input.type, stored[i]!.payloadJson));
      return event;
    });
    commit.afterCommit(() => {
      // Events other processes committed before this write come first (their ids are lower).
      follower?.catchUp(ids[0]);
      this.latest = Math.max(this.latest, ids[ids.length - 1]!);
      for (const event of events) {
        // Before any subscriber hears of it: a page it makes reload must not be answered from a stale cache.
        this.caches?.invalidate(event, 'own');
        this.fanOut(event);
      }
    });
    return events;
  }

  /**
   * PostgreSQL's publishWithin. Transactions run side by side there, and a sequence hands out ids
   * in the order they are asked for, not the order of the commits: a reader of the log (a
   * reconnecting socket's replay, another instance) could see id 10 while 9 is still to commit,
   * and pass 9 for good. So the events are inserted last, right before COMMIT, under a lock held
   * to the commit (LiveEventsRepository.takeTurnNow): ids then follow the commits, as on SQLite,
   * at the cost of one short wait per commit that publishes. The NOTIFY goes out at the commit,
   * never on rollback. The events' ids are therefore set only then: the events this resolves
   * with carry id 0 until their write has committed.
   */
  private async publishOrdered(engine: PostgresEngine, commit: PendingCommit, inputs: LiveEventInput[]): Promise<LiveEvent[]> {
    const createdAt = new Date();
    const at = createdAt.toISOString();
    const stored = inputs.map((input) => ({ topic: input.topic, type: input.type, payloadJson: JSON.stringify(input.payload ?? null), audience: input.audience ?? null, createdAt }));
    const events = inputs.map((input) => {
      const event = { topic: input.topic, type: input.type, payload: input.payload, id: 0, createdAt: at } as LiveEvent;
      if (input.audience) event.audience = input.audience;
      return event;
    });
    let undone = false;
    let ids: number[] | null = null;
    commit.afterRollback(() => {
      undone = true;
      if (ids) this.pgFollower?.undone(ids);
    });
    const registered = engine.beforeCommit(async () => {
      // This piece's savepoint rolled back: its events went with it.
      if (undone) return;
      await this.repository.takeTurnNow();
      const issued = await this.repository.insertNow(stored);
      ids = issued;
      this.pgFollower?.stored(issued);
      events.forEach((event, i) => {
        event.id = issued[i]!;
        wireCache.set(event, buildWire(event.id, event.topic, event.type, stored[i]!.payloadJson));
      });
      await this.repository.notifyNow(JSON.stringify({ from: this.instance, last: issued[issued.length - 1] }));
    });
    if (!registered) throw new Error('publishWithin runs inside a unit of work');
    commit.afterCommit(() => {
      if (!ids) return;
      // Before any subscriber hears of them: a page they make reload must not be answered from a stale cache.
      for (const event of events) this.caches?.invalidate(event, 'own');
      if (this.pgFollower) this.pgFollower.committed(events);
      else {
        for (const event of events) this.deliver(event);
      }
    });
    return events;
  }

  subscribe(topic: string, listener: LiveListener): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(topic);
      if (!current) return;
      current.delete(listener);
      // Topics come and go with every thread opened; empty sets would accumulate forever.
      if (current.size === 0) this.listeners.delete(topic);
    };
  }

  async replay(topics: string[], afterId: number, limit: number): Promise<LiveEvent[]> {
    if (topics.length === 0 || limit <= 0) return [];
    return (await this.repository.after(topics, afterId, limit)).map((row) => {
      // Stored by publishWithin from a typed input: its type and payload are the catalogue's.
      const event = { id: row.id, topic: row.topic, type: row.type, payload: JSON.parse(row.payloadJson) as unknown, createdAt: row.createdAt.toISOString() } as LiveEvent;
      if (row.audience) event.audience = row.audience;
      wireCache.set(event, buildWire(row.id, row.topic, row.type, row.payloadJson));
      return event;
    });
  }

  replayFloor(): number {
    return this.floor;
  }

  async rewriteStored(filter: StoredEventFilter, rewrite: (payload: unknown) => unknown): Promise<number> {
    if (filter.topics.length === 0) return 0;
    return this.repository.rewritePayloads(filter, (payloadJson) => JSON.stringify(rewrite(JSON.parse(payloadJson))));
  }

  latestId(): number {
    return this.latest;
  }

  async lastIssuedId(): Promise<number> {
    return Math.max(this.latest, await this.repository.lastIssuedId());
  }

  /**
   * Starts following the log for other processes' events (see LogFollower): each is handed to
   * the cache registry, then to this process's subscribers. This process's own events go to the
   * caches registered for them (ownEvents) from then on.
   */
  follow(caches: CacheRegistry, reader: SqliteLogReader, everyMs?: number): LogFollower {
    this.caches = caches;
    this.follower ??= new LogFollower(reader, caches, (event) => this.deliver(event), () => this.latest, this.log, this.latest);
    this.follower.start(everyMs);
    return this.follower;
  }

  /**
   * PostgreSQL: listens for the other instances' NOTIFY on a connection of its own, and reads
   * what they committed from the log (PgLogFollower). Resolves once listening, or once the first
   * try failed (the listener keeps trying; meanwhile the log is read on a timer).
   */
  async followPostgres(caches: CacheRegistry, engine: PostgresEngine): Promise<PgLogFollower> {
    this.caches = caches;
    const follower = new PgLogFollower(this.repository, caches, (event) => this.deliver(event), this.log, this.latest);
    this.pgFollower = follower;
    const listener = new PgNotificationListener(
      engine.url,
      LIVE_NOTIFY_CHANNEL,
      (payload) => {
        if (fromOther(payload, this.instance)) follower.notified();
      },
      (up) => follower.listening(up),
      this.log,
    );
    this.pgListener = listener;
    follower.listening(false);
    await listener.start().catch(() => undefined);
    return follower;
  }

  /** For the tests: the listening connection, to cut it. */
  notificationListener(): PgNotificationListener | null {
    return this.pgListener;
  }

  async stopFollowing(): Promise<void> {
    this.follower?.stop();
    this.pgFollower?.stop();
    await this.pgListener?.close();
  }

  /** An event another process committed, read from the log: fanned out like one of ours. */
  private deliver(event: LiveEvent): void {
    this.latest = Math.max(this.latest, event.id);
    this.fanOut(event);
  }

  /** Deletes events older than the retention window; returns how many went. */
  async prune(before: Date): Promise<number> {
    const deleted = await this.repository.deleteOlderThan(before);
    if (deleted > 0) this.floor = await computeFloor(this.repository);
    return deleted;
  }

  /** Local subscriptions, for the slow-consumer and shutdown tests and for diagnostics. */
  subscriptionCount(): number {
    let total = 0;
    for (const set of this.listeners.values()) total += set.size;
    return total;
  }

  private fanOut(event: LiveEvent): void {
    const set = this.listeners.get(event.topic);
    if (!set) return;
    // A copy: a listener may unsubscribe itself (or close a socket) while we iterate.
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (err) {
        // One broken subscriber must not keep the event from the others, nor fail the publisher,
        // whose transaction has already committed.
        this.log.error({ err, topic: event.topic, eventId: event.id }, 'live listener failed');
      }
    }
  }
}

/** Whether a NOTIFY payload comes from another instance than `instance` (an unreadable one counts as another's: reading the log costs little). */
function fromOther(payload: string, instance: string): boolean {
  try {
    return (JSON.parse(payload) as { from?: unknown }).from !== instance;
  } catch {
    return true;
  }
}

/** Every id up to here may have been pruned: the oldest kept id minus one, or the last id issued when nothing is kept. */
async function computeFloor(repository: LiveEventsRepository): Promise<number> {
  const { oldest } = await repository.bounds();
  return oldest === null ? repository.lastIssuedId() : oldest - 1;
}

declare module 'fastify' {
  interface FastifyInstance {
    liveHub: LiveHub;
    liveTopics: LiveTopics;
    /** Every in-memory cache registers what invalidates it (./caches.ts). */
    caches: CacheRegistry;
  }
}

const HOUR_MS = 60 * 60_000;

/**
 * The live hub, durable in SQLite, and the registry of topic kinds.
 * @see ../../../docs/debates-api.md, "Live channel"
 */
export default fp<{ retentionHours?: number; followEveryMs?: number }>(
  async (fastify, options) => {
    const retentionMs = (options.retentionHours ?? 72) * HOUR_MS;
    const hub = await DurableLiveHub.open(new LiveEventsRepository(fastify.database), fastify.unitOfWork, fastify.log, fastify.postgresEngine);
    fastify.decorate('liveHub', hub);
    // Where the log stood when a read began: a page that loads data and then subscribes (its socket
    // may open seconds later on a slow connection) resumes from here, missing nothing in between.
    // Taken before the handler reads, so every event after it is replayed (some twice: harmless).
    // As text, made once per position: a number as a header value sends Node's header checks (a
    // regular expression test per value) and the header line's concatenation down their slow
    // paths on every answer.
    let position = -1;
    let positionText = '';
    fastify.addHook('onRequest', (request, reply, next) => {
      if (request.method === 'GET' && request.url.startsWith('/api/')) {
        const latest = hub.latestId();
        if (latest !== position) {
          position = latest;
          positionText = String(latest);
        }
        reply.header('live-position', positionText);
      }
      next();
    });
    const caches = new CacheRegistry((err, registration, event) => fastify.log.error({ err, cache: registration.name, eventId: event.id }, 'cache invalidation failed'));
    fastify.decorate('caches', caches);
    // Other processes on the same database: their commits reach this one's caches and sockets.
    if (fastify.postgresEngine) await hub.followPostgres(caches, fastify.postgresEngine);
    else hub.follow(caches, new SqliteLogReader(fastify.db), options.followEveryMs);
    fastify.addHook('onClose', async () => hub.stopFollowing());
    // Pruning deletes at most an interval's worth of rows each time, so the pass stays short.
    runPeriodically(fastify, 'prune live events', Math.min(retentionMs, 10 * 60_000), async () => hub.prune(new Date(Date.now() - retentionMs)));
    const topics = new LiveTopics();
    // Everyone reads their own notification stream, and nobody else's.
    topics.define('user', async (user, id) => user.id === id);
    fastify.decorate('liveTopics', topics);
  },
  { name: 'live-hub', dependencies: ['db'] },
);
