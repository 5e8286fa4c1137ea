import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { consistencyProblems } from '../../tests/support/consistency.js';
import { freePort } from '../../tests/support/free-port.js';
import { WRITERS, type Writer } from './writers.js';

/**
 * Crash durability: the real server as a child process on 127.0.0.1 and a temporary DATA_DIR, write
 * load over HTTP from a few concurrent workers (each picking writers from WRITERS), SIGKILL at a
 * random moment, a restart on the same DATA_DIR, then checks: every acknowledged write (2xx
 * received) is there with its content, nothing is half written (counters, search indexes, files and
 * their rows, no temporary upload left), and the live event log replays every acknowledged reply.
 * Used by `npm run crash-test` (many rounds, built server) and by tests/server/crash-durability.test.ts.
 * Over 500 lines on purpose: one round (load, kill, restart, verify, replay) reads in one place; the
 * writers, which grow with each feature, are in writers.ts and its siblings.
 */

export interface CrashRunOptions {
  rounds: number;
  /** Node arguments that start the server (the entry and its flags), run with the project as the working folder. */
  serverArgs: string[];
  cwd: string;
  seed?: number;
  /** Concurrent writers during a round. */
  workers?: number;
  /** The kill comes at a random moment in this range after the load starts, in ms. */
  killAfterMs?: [number, number];
  log?: (line: string) => void;
}

export interface CrashReport {
  seed: number;
  rounds: number;
  acknowledged: number;
  byKind: Record<string, number>;
  /** Writes whose request was cut by the kill: allowed either way, but never half. */
  uncertain: number;
  /** The same, by writer. */
  cutByKind: Record<string, number>;
  lost: string[];
  problems: string[];
  /** Acknowledged replies found in the live log's replay, summed over the rounds (each round replays them all). */
  repliesReplayed: number;
}

/** One person as the load sees them: their session cookie. */
export interface Actor {
  id: string;
  cookie: string;
  countryId: string | null;
}

export interface Post {
  id: string;
  threadId: string;
  author: Actor;
  attachments: number;
}

/** The objects writers act on; grows as their writes are acknowledged. */
export interface LoadState {
  actors: Actor[];
  /** Writers of the library (secretariat, coordinator, admin). */
  publishers: Actor[];
  categoryId: string;
  threads: string[];
  posts: Post[];
  documents: string[];
  polling: { id: string; slotIds: string[] };
  meeting: { id: string };
  /** Open consultations addressed to the members' countries: one only ever saved as a draft, one submitted again and again. */
  consultations: { drafts: string; submissions: string };
  /** Register imports: the series each acknowledged international release holds, and the (series, country) keys a national file already set. */
  register: { importers: Actor[]; serial: number; internationalSeries: string[]; nationalKeys: Set<string> };
}

export interface Response {
  status: number;
  body: any;
}

/** What a writer gets: the state, randomness, the wire, and the ledger to record what the server acknowledged. */
export interface WriteContext {
  state: LoadState;
  random(): number;
  pick<T>(items: readonly T[]): T;
  /** Text no other write uses, to find this write's content again. */
  unique(label: string): string;
  /** JSON over HTTP as a browser of the site sends it; null when the connection died (the server was killed). */
  send(actor: Actor, method: string, url: string, body?: unknown): Promise<Response | null>;
  /** A file as the request's whole body (a register import), with its media type; null when the connection died. */
  sendFile(actor: Actor, url: string, contentType: string, body: string): Promise<Response | null>;
  /** A multipart upload, as the browser's FormData sends it. */
  upload(actor: Actor, url: string, fields: Record<string, string>, file: { name: string; bytes: Buffer }): Promise<Response | null>;
  /** A created thing the server acknowledged; `check` reads the database after the crash and says what is wrong, or null. */
  acknowledged(kind: string, check: (db: Database.Database) => string | null, replay?: { threadId: string; postId: string }): void;
  /**
   * A write the kill cut (no answer): it may have committed or not, but never in part. `check` reads
   * the database after each restart and says what is half there, or null when all or none of it is.
   */
  cut(kind: string, check: (db: Database.Database) => string | null): void;
  /**
   * A value one key holds and writes replace (an edit, an answer). Writes to one key are serialized by
   * the context; after the crash the stored value must be the last acknowledged one, or one whose
   * request the kill cut (it may have committed before the process died).
   *
   * `value` may be a function, asked once `write` is done (a write that reads first, then decides
   * what it writes); `partial`, for a write made of several requests, lists what each request of it
   * may have left if the kill cut it in between (each committed or not, in order).
   */
  overwrite(
    key: string,
    value: string | (() => string),
    write: () => Promise<Response | null>,
    read: (db: Database.Database) => string | null,
    partial?: () => string[],
  ): Promise<Response | null | 'skipped'>;
}

/** A small seeded generator (mulberry32), so a run's choices can be replayed with its seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class ServerProcess {
  private child: ChildProcess | null = null;
  private output = '';
  constructor(
    private readonly options: CrashRunOptions,
    readonly port: number,
    readonly dataDir: string,
  ) {}

  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  recentOutput(): string {
    return this.output.slice(-3_000);
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, this.options.serverArgs, {
      cwd: this.options.cwd,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(this.port), DATA_DIR: this.dataDir, PUBLIC_URL: this.origin, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited at start (${child.exitCode}): ${this.recentOutput()}`);
      try {
        if ((await fetch(`${this.origin}/api/health`, { signal: AbortSignal.timeout(1_000) })).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the server did not answer /api/health within 60 s: ${this.recentOutput()}`);
      await sleep(50);
    }
  }

  async kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await Promise.race([exited, sleep(15_000)]);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Acknowledged {
  kind: string;
  check: (db: Database.Database) => string | null;
  replay?: { threadId: string; postId: string };
}

interface Cut {
  kind: string;
  check: (db: Database.Database) => string | null;
}

interface Overwritten {
  /** The value the last acknowledged write set (or the value before any write). */
  acknowledged: string | null;
  /** Values of writes cut by a kill since then. */
  cut: Set<string>;
  read: (db: Database.Database) => string | null;
  busy: boolean;
}

export async function runCrashRounds(options: CrashRunOptions): Promise<CrashReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = generator(seed);
  const log = options.log ?? (() => {});
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-crash-'));
  const server = new ServerProcess(options, await freePort(), dataDir);
  const report: CrashReport = { seed, rounds: 0, acknowledged: 0, byKind: {}, uncertain: 0, cutByKind: {}, lost: [], problems: [], repliesReplayed: 0 };
  const ledger: Acknowledged[] = [];
  const cuts: Cut[] = [];
  const overwrites = new Map<string, Overwritten>();
  let serial = 0;

  const send = async (actor: Actor | null, method: string, url: string, init: { body?: BodyInit; contentType?: string } = {}): Promise<Response | null> => {
    try {
      const response = await fetch(server.origin + url, {
        method,
        headers: { ...(actor ? { cookie: actor.cookie } : {}), ...(method === 'GET' ? {} : { origin: server.origin }), ...(init.contentType ? { 'content-type': init.contentType } : {}) },
        ...(init.body !== undefined ? { body: init.body } : {}),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: kept as text
      }
      return { status: response.status, body };
    } catch {
      return null;
    }
  };

  const context: WriteContext = {
    state: undefined as unknown as LoadState,
    random,
    pick: (items) => items[Math.floor(random() * items.length)]!,
    unique: (label) => `${label} ${++serial} ${Math.floor(random() * 36 ** 6).toString(36)}`,
    send: (actor, method, url, body) => send(actor, method, url, body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' }),
    sendFile: (actor, url, contentType, body) => send(actor, 'POST', url, { body, contentType }),
    upload: async (actor, url, fields, file) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
      const encoded = new Request('http://127.0.0.1/', { method: 'POST', body: form });
      return send(actor, 'POST', url, { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! });
    },
    acknowledged: (kind, check, replay) => {
      ledger.push({ kind, check, ...(replay ? { replay } : {}) });
      report.acknowledged += 1;
      report.byKind[kind] = (report.byKind[kind] ?? 0) + 1;
    },
    cut: (kind, check) => {
      cuts.push({ kind, check });
    },
    overwrite: async (key, value, write, read, partial) => {
      let entry = overwrites.get(key);
      if (!entry) {
        entry = { acknowledged: null, cut: new Set(), read, busy: false };
        overwrites.set(key, entry);
      }
      if (entry.busy) return 'skipped';
      entry.busy = true;
      try {
        const response = await write();
        const written = typeof value === 'function' ? value() : value;
        if (response === null) {
          entry.cut.add(written);
          for (const left of partial?.() ?? []) entry.cut.add(left);
        } else if (response.status < 300) {
          entry.acknowledged = written;
          entry.cut.clear();
          report.acknowledged += 1;
          const kind = key.split(':')[0]!;
          report.byKind[kind] = (report.byKind[kind] ?? 0) + 1;
        }
        return response;
      } finally {
        entry.busy = false;
      }
    },
  };


  try {
    await server.start();
    context.state = await setUp(context, server.origin);
    log(`crash test: seed ${seed}, DATA_DIR ${dataDir}, ${options.rounds} rounds`);
    for (let round = 1; round <= options.rounds; round += 1) {
      const [min, max] = options.killAfterMs ?? [300, 2_000];
      const killAfter = min + random() * (max - min);
      let stopping = false;
      const before = report.acknowledged;
      const worker = async () => {
        while (!stopping) {
          const writer = pickWriter(random);
          const response = await writer.run(context).catch((error: unknown) => {
            report.problems.push(`${writer.name} threw: ${(error as Error).stack ?? String(error)}`);
            return 'skipped' as const;
          });
          if (response === 'skipped') continue;
          if (response === null) {
            // Cut by the kill: it may or may not have committed. Cut while the server was up: a fault.
            if (stopping) {
              report.uncertain += 1;
              report.cutByKind[writer.name] = (report.cutByKind[writer.name] ?? 0) + 1;
            }
            else report.problems.push(`${writer.name}: the connection failed while the server was up`);
          } else if (response.status >= 300) report.problems.push(`${writer.name} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
        }
      };
      const workers = Array.from({ length: options.workers ?? 4 }, worker);
      await sleep(killAfter);
      stopping = true;
      await server.kill('SIGKILL');
      await Promise.all(workers);
      await server.start();
      const problems = await verify(server, ledger, cuts, overwrites, report);
      report.problems.push(...problems.map((problem) => `round ${round}: ${problem}`));
      report.rounds = round;
      log(`round ${round}: killed after ${Math.round(killAfter)} ms, ${report.acknowledged - before} writes acknowledged (${report.acknowledged} in all), ${problems.length} problems`);
      if (problems.length > 0) break;
    }
    await server.kill('SIGTERM');
  } catch (error) {
    report.problems.push(`${(error as Error).stack ?? String(error)}\n${server.recentOutput()}`);
  } finally {
    await server.kill('SIGKILL');
    if (report.problems.length === 0) rmSync(dataDir, { recursive: true, force: true });
    else log(`DATA_DIR kept for inspection: ${dataDir}`);
  }
  return report;
}

function pickWriter(random: () => number): Writer {
  const total = WRITERS.reduce((sum, writer) => sum + writer.weight, 0);
  let point = random() * total;
  for (const writer of WRITERS) {
    point -= writer.weight;
    if (point < 0) return writer;
  }
  return WRITERS[WRITERS.length - 1]!;
}

/** The group the load writes into: people of every writing role, a thread per person, a polling meeting, a scheduled one, a document. */
async function setUp(context: WriteContext, origin: string): Promise<LoadState> {
  const must = async (response: Response | null, status: number, what: string) => {
    if (!response || response.status !== status) throw new Error(`${what}: ${response?.status} ${JSON.stringify(response?.body).slice(0, 300)}`);
    return response.body;
  };
  const cookieOf = async (url: string, body: unknown) => {
    const response = await fetch(origin + url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status !== 201) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('concilia_session='))!.split(';')[0]!;
    return { cookie, body: (await response.json()) as any };
  };
  const setup = await cookieOf('/api/setup', { groupName: 'Grupo de durabilidad', displayName: 'Ana Admin', email: 'admin@example.org', password: 'crash-password-1', locale: 'es', timeZone: 'America/Santiago', organizationId: 'eclac' });
  const admin: Actor = { id: setup.body.user.id, cookie: setup.cookie, countryId: null };
  const invite = async (role: string, affiliation: Record<string, string>, n: number): Promise<Actor> => {
    const invited = await must(await context.send(admin, 'POST', '/api/invitations', { email: `${role}${n}@example.org`, role, ...affiliation }), 201, 'invite');
    const token = new URL(invited.acceptUrl).pathname.split('/').pop();
    const accepted = await cookieOf(`/api/invitations/${token}/accept`, { displayName: `${role} ${n}`, password: 'crash-password-1', locale: 'es', timeZone: 'America/Santiago' });
    return { id: accepted.body.user.id, cookie: accepted.cookie, countryId: affiliation.countryId ?? null };
  };
  const coordinator = await invite('coordinator', {}, 1);
  const secretariat = await invite('secretariat', { organizationId: 'eclac' }, 1);
  const members = [await invite('member', { countryId: 'cl' }, 1), await invite('member', { countryId: 'mx' }, 2), await invite('member', { countryId: 'br' }, 3)];
  const observer = await invite('observer', { organizationId: 'unicef' }, 1);
  const actors = [admin, coordinator, secretariat, ...members, observer];
  const categories = await must(await context.send(admin, 'GET', '/api/categories'), 200, 'categories');
  const categoryId = categories.items.find((category: { slug: string }) => category.slug === 'general').id as string;
  const polling = await must(
    await context.send(coordinator, 'POST', '/api/meetings', {
      title: 'Encuesta de horario',
      kind: 'virtual_meeting',
      timeZone: 'America/Santiago',
      invitees: { everyone: true },
      poll: { slots: [0, 1, 2].map((day) => ({ startsAt: `2030-04-0${day + 1}T14:00:00.000Z`, endsAt: `2030-04-0${day + 1}T15:00:00.000Z` })) },
    }),
    201,
    'polling meeting',
  );
  const poll = await must(await context.send(coordinator, 'GET', `/api/meetings/${polling.meeting.id}/poll`), 200, 'poll');
  const meeting = await must(
    await context.send(coordinator, 'POST', '/api/meetings', { title: 'Reunión mensual', kind: 'virtual_meeting', timeZone: 'America/Santiago', startsAt: '2030-06-09T14:00:00.000Z', endsAt: '2030-06-09T15:30:00.000Z', invitees: { everyone: true } }),
    201,
    'meeting',
  );
  // Two consultations addressed to the members' countries (each member the only delegate of their
  // country, so the one who may submit): a short text and a figure, the text required.
  const questionnaire = {
    sections: [
      {
        id: 'general',
        title: { es: 'General', en: 'General' },
        questions: [
          { id: 'note', type: 'short_text', label: { es: 'Nota', en: 'Note' }, required: true },
          { id: 'figure', type: 'number', label: { es: 'Cifra', en: 'Figure' }, required: false, min: 0, max: 1_000_000, decimals: 2 },
        ],
      },
    ],
  };
  const consultation = async (title: string) => {
    const created = await must(
      await context.send(coordinator, 'POST', '/api/consultations', { title: { es: title, en: title }, deadline: { date: '2030-12-31', time: '23:59', zone: 'America/Santiago' }, targets: ['cl', 'mx', 'br'], questionnaire }),
      201,
      `consultation "${title}"`,
    );
    await must(await context.send(coordinator, 'POST', `/api/consultations/${created.consultation.id}/open`), 200, `open "${title}"`);
    return created.consultation.id as string;
  };
  const consultations = { drafts: await consultation('Borradores'), submissions: await consultation('Envíos') };
  return {
    actors,
    publishers: [admin, coordinator, secretariat],
    categoryId,
    threads: [],
    posts: [],
    documents: [],
    polling: { id: polling.meeting.id, slotIds: poll.poll.slots.map((slot: { id: string }) => slot.id) },
    meeting: { id: meeting.meeting.id },
    consultations,
    // International releases: the staff and the agency's observers; national files: each member, of their own country.
    register: { importers: [coordinator, secretariat, observer], serial: 0, internationalSeries: [], nationalKeys: new Set() },
  };
}

async function verify(server: ServerProcess, ledger: Acknowledged[], cuts: Cut[], overwrites: Map<string, Overwritten>, report: CrashReport): Promise<string[]> {
  const problems: string[] = [];
  const db = new Database(path.join(server.dataDir, 'concilia.db'), { readonly: true });
  try {
    for (const write of ledger) {
      const problem = write.check(db);
      if (problem) {
        problems.push(`lost or changed: ${problem}`);
        report.lost.push(problem);
      }
    }
    for (const write of cuts) {
      const problem = write.check(db);
      if (problem) problems.push(`half written (${write.kind}, cut by the kill): ${problem}`);
    }
    for (const writer of WRITERS) for (const problem of writer.afterRestart?.(db) ?? []) problems.push(`${writer.name}: ${problem}`);
    for (const [key, entry] of overwrites) {
      const value = entry.read(db);
      if (value !== entry.acknowledged && !(value !== null && entry.cut.has(value))) {
        const problem = `${key} holds ${JSON.stringify(value)}, but the last acknowledged write set ${JSON.stringify(entry.acknowledged)}${entry.cut.size ? ` (cut: ${[...entry.cut].map((cut) => JSON.stringify(cut)).join(', ')})` : ''}`;
        problems.push(`lost or changed: ${problem}`);
        report.lost.push(problem);
      }
    }
  } finally {
    db.close();
  }
  problems.push(...consistencyProblems(path.join(server.dataDir, 'concilia.db'), { dataDir: server.dataDir }));
  problems.push(...(await replayProblems(server, ledger, report)));
  return problems;
}

/** Subscribes to every thread with acknowledged replies from event 0: each reply's post.created must come back. */
async function replayProblems(server: ServerProcess, ledger: Acknowledged[], report: CrashReport): Promise<string[]> {
  const expected = new Map<string, Set<string>>();
  for (const write of ledger) if (write.replay) (expected.get(`thread:${write.replay.threadId}`) ?? expected.set(`thread:${write.replay.threadId}`, new Set()).get(`thread:${write.replay.threadId}`)!).add(write.replay.postId);
  if (expected.size === 0) return [];
  const cookie = await adminSession(server);
  const seen = new Map<string, Set<string>>();
  const problems: string[] = [];
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/live`, { headers: { cookie, origin: server.origin } });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_, response) => reject(new Error(`live upgrade refused: ${response.statusCode}`)));
    });
    const topics = [...expected.keys()];
    for (let start = 0; start < topics.length; start += 50) {
      const batch = topics.slice(start, start + 50);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no "subscribed" within 15 s')), 15_000);
        const onMessage = (data: WebSocket.RawData) => {
          const message = JSON.parse(String(data)) as { type: string; topic?: string; event?: string; payload?: { post?: { id: string } }; topics?: string[] };
          if (message.type === 'event' && message.event === 'post.created' && message.topic && message.payload?.post) {
            (seen.get(message.topic) ?? seen.set(message.topic, new Set()).get(message.topic)!).add(message.payload.post.id);
          } else if (message.type === 'subscribed' || message.type === 'resync' || message.type === 'error') {
            if (message.type !== 'subscribed') problems.push(`live replay answered ${JSON.stringify(message)}`);
            clearTimeout(timer);
            socket.off('message', onMessage);
            resolve();
          }
        };
        socket.on('message', onMessage);
        socket.send(JSON.stringify({ type: 'subscribe', topics: batch, lastEventId: 0 }));
      });
      // A socket holds at most 200 topics: each batch is let go once replayed.
      socket.send(JSON.stringify({ type: 'unsubscribe', topics: batch }));
    }
  } finally {
    socket.terminate();
  }
  for (const [topic, postIds] of expected) {
    for (const postId of postIds) {
      if (seen.get(topic)?.has(postId)) report.repliesReplayed += 1;
      else problems.push(`live replay of ${topic} from 0 lacks the acknowledged reply ${postId}`);
    }
  }
  return problems;
}

let adminCookieCache: { dataDir: string; cookie: string } | null = null;
async function adminSession(server: ServerProcess): Promise<string> {
  if (adminCookieCache?.dataDir === server.dataDir) return adminCookieCache.cookie;
  const response = await fetch(`${server.origin}/api/auth/login`, { method: 'POST', headers: { origin: server.origin, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.org', password: 'crash-password-1' }) });
  if (response.status !== 200) throw new Error(`admin sign-in: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('concilia_session='))!.split(';')[0]!;
  adminCookieCache = { dataDir: server.dataDir, cookie };
  return cookie;
}
