import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { buildApp } from '../../server/app.js';
import { loadConfig, type AppConfig } from '../../server/config.js';
import { ORIGIN } from '../helper.js';

/** Every wait in these tests is bounded, so a broken server fails a test instead of hanging the run. */
export const WAIT_MS = 5_000;

export type ServerMessage = { type: string; [key: string]: unknown };
export type EventMessage = { type: 'event'; id: number; topic: string; event: string; payload: unknown };

/** Starts the app on a real port on the loopback address and returns the live channel's URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return `ws://127.0.0.1:${port}/api/live`;
}

/**
 * The app on an existing data folder, as a restarted server would open it; the folder is left
 * in place on close so a second instance can open it again.
 */
export async function buildAppOn(dataDir: string, overrides: Partial<AppConfig> = {}, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: ORIGIN, ...env }, overrides);
  const app = await buildApp(config, { logger: false });
  await app.ready();
  return app;
}

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

export async function waitUntil(condition: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a refused upgrade answered, read from the HTTP response ws reports. */
export function refusedUpgrade(url: string, headers: Record<string, string>): Promise<{ status: number; body: string; upgraded: boolean }> {
  return within(
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.on('open', () => {
        ws.terminate();
        resolve({ status: 101, body: '', upgraded: true });
      });
      ws.on('unexpected-response', (clientRequest, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body, upgraded: false });
          clientRequest.destroy();
        });
        response.on('error', reject);
      });
      ws.on('error', () => undefined);
    }),
    WAIT_MS,
    'the upgrade answer',
  );
}

/**
 * A test client on a real socket that records everything the server sends. Closed by
 * `closeAll()` in afterAll, whatever the test did with it.
 */
export class LiveClient {
  static readonly open = new Set<LiveClient>();

  readonly messages: ServerMessage[] = [];
  closeCode: number | null = null;
  readonly closed: Promise<number>;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    LiveClient.open.add(this);
    this.closed = new Promise((resolve) => {
      ws.on('close', (code) => {
        this.closeCode = code;
        LiveClient.open.delete(this);
        this.wake();
        resolve(code);
      });
    });
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  static async connect(url: string, cookie: string, options: { origin?: string; autoPong?: boolean } = {}): Promise<LiveClient> {
    const ws = new WebSocket(url, { headers: { cookie, origin: options.origin ?? ORIGIN }, autoPong: options.autoPong ?? true });
    const client = new LiveClient(ws);
    await within(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
        ws.once('error', reject);
      }),
      WAIT_MS,
      'the socket to open',
    );
    return client;
  }

  static async closeAll(): Promise<void> {
    await Promise.all(
      [...LiveClient.open].map(async (client) => {
        client.ws.terminate();
        await within(client.closed, WAIT_MS, 'a client to close').catch(() => undefined);
      }),
    );
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Subscribes and waits for the `subscribed` answer (or the errors, when every topic is refused). */
  async subscribe(topics: string[], lastEventId?: number): Promise<ServerMessage> {
    const from = this.messages.length;
    this.send({ type: 'subscribe', topics, ...(lastEventId === undefined ? {} : { lastEventId }) });
    return this.next((m) => m.type === 'subscribed' || (m.type === 'error' && m.code === 'forbidden_topic' && topics.length === 1), { from });
  }

  /** The first message from index `from` on that satisfies the predicate, waiting for it if need be. */
  async next(predicate: (message: ServerMessage) => boolean, { from = 0, ms = WAIT_MS }: { from?: number; ms?: number } = {}): Promise<ServerMessage> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.slice(from).find(predicate);
      if (found) return found;
      if (this.closeCode !== null) throw new Error(`socket closed (${this.closeCode}) before the message came`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a message; got ${JSON.stringify(this.messages.slice(from)).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  events(topic?: string): EventMessage[] {
    return this.messages.filter((m): m is EventMessage => m.type === 'event' && (topic === undefined || m.topic === topic));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
