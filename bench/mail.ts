import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { freePort, load, printTable, serverNodeArgs, startProcess, type LoadResult, type RunningProcess } from './measure.js';

/**
 * The outbox's sender (issue 17): how fast the worker empties a queue of messages into an SMTP
 * server on 127.0.0.1 (smtp-server, accepting everything at once, so the figure is the sender's
 * own pace with its default settings: four messages in flight). The messages are invitations
 * queued through the real route while no SMTP_URL is set (they wait in the outbox, as the README
 * says), then the server is started again with SMTP_URL pointing at the local server: the time from
 * its start until the last message has been accepted gives messages per second.
 *
 * Run alone: `node --import tsx bench/mail.ts [--quick]` (it measures its own ceiling);
 * `npm run bench` calls it with the ceiling it measured.
 */

export interface OutboxBench {
  messages: number;
  seconds: number;
  perSecond: number;
}

/** An SMTP server that accepts and counts; resolves `done` at the `expected`-th message. */
async function countingSmtp(expected: number): Promise<{ port: number; received: () => number; done: Promise<number>; close: () => Promise<void> }> {
  let received = 0;
  let finish: (at: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData: (stream, _session, callback) => {
      stream.on('data', () => {});
      stream.on('end', () => {
        received += 1;
        callback();
        if (received === expected) finish(performance.now());
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, received: () => received, done, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export async function measureOutbox(options: { messages: number; log: (line: string) => void }): Promise<OutboxBench> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-bench-mail-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = { DATA_DIR: dataDir, PUBLIC_URL: origin, LOG_LEVEL: 'warn', MAIL_FROM: 'Concilia <foro@bench.example.org>' };
  let server: RunningProcess | null = null;
  const smtp = await countingSmtp(options.messages);
  try {
    server = await startProcess(serverNodeArgs(), env, port, '/api/health');
    const setup = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ groupName: 'Bench', displayName: 'Admin', email: 'admin@cepal.org', password: 'bench-password-2026', locale: 'es', timeZone: 'America/Santiago', organizationId: 'eclac' }),
    });
    if (setup.status !== 201) throw new Error(`setup answered ${setup.status}`);
    const admin = (setup.headers.get('set-cookie') ?? '').split(';')[0]!;
    options.log(`  mail: queueing ${options.messages} invitations with no SMTP server set...`);
    for (let i = 0; i < options.messages; i++) {
      const invited = await fetch(`${server.url}/api/invitations`, {
        method: 'POST',
        headers: { cookie: admin, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ email: `delegate${i}@bench.example.org`, role: 'member', countryId: 'cl', locale: i % 2 === 0 ? 'es' : 'en' }),
      });
      if (invited.status !== 201) throw new Error(`invitation answered ${invited.status}: ${await invited.text()}`);
    }
    await server.stop();
    if (smtp.received() !== 0) throw new Error('a message left before SMTP_URL was set');

    const started = performance.now();
    server = await startProcess(serverNodeArgs(), { ...env, SMTP_URL: `smtp://127.0.0.1:${smtp.port}` }, port, '/api/health');
    const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`only ${smtp.received()} of ${options.messages} messages arrived in 120 s`)), 120_000).unref());
    const finished = await Promise.race([smtp.done, deadline]);
    const seconds = (finished - started) / 1000;
    return { messages: options.messages, seconds, perSecond: options.messages / seconds };
  } finally {
    await server?.stop();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The rows `npm run bench` prints, beside the hello-world ceiling of the same run. */
export function outboxRows(result: OutboxBench, ceiling: LoadResult): Array<[string, string, string, string]> {
  return [
    ['hello-world req/s (ceiling)', fmt(ceiling.requestsPerSecond, 0), '', ''],
    [`outbox: ${result.messages} queued invitations sent (from the server's start, 4 in flight): time`, `${fmt(result.seconds, 2)} s`, '', ''],
    ['  messages/s, and as a share of hello-world req/s', `${fmt(result.perSecond, 0)} (${fmt((result.perSecond / ceiling.requestsPerSecond) * 100, 2)} %)`, '', ''],
  ];
}

export const OUTBOX_TITLE = 'Outgoing mail: the outbox worker into smtp-server on 127.0.0.1 (the server as npm start runs it)';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const seconds = quick ? 3 : 8;
  const helloPort = await freePort();
  const hello = await startProcess(['--import', 'tsx', 'bench/hello-server.ts'], { LOG_LEVEL: 'warn' }, helloPort, '/hello');
  await load({ url: `${hello.url}/hello`, duration: 2 });
  const ceiling = await load({ url: `${hello.url}/hello`, duration: seconds });
  await hello.stop();
  const result = await measureOutbox({ messages: quick ? 200 : 2_000, log: console.log });
  printTable(OUTBOX_TITLE, outboxRows(result, ceiling));
}
