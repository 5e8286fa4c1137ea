import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtClientDir } from '../../server/shared/paths.js';
import { browserAvailability } from '../e2e/harness.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';
import { databasesForThisFile, postgresUnavailable } from '../support/postgres.js';
import { startServerProcess, stopServerProcess, type ServerProcess } from '../support/server-process.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { categoryId, startThread } from './debates/support.js';
import { buildAppOn, sleep } from './live-support.js';
import { createMeeting, populateMeetings, type MeetingPeople } from './meetings/support.js';

/**
 * Issue 19's two-instance promises seen from outside: two real server processes (`npm start`'s
 * entry point) on one PostgreSQL database, a real Chromium on one of them and a real SMTP sink
 * both send to. Like two-instances.test.ts, the file starts a cluster of its own unless
 * TEST_ENGINE=postgres provides one, and is skipped only where PostgreSQL's programs are missing.
 */

const unavailable = postgresUnavailable();
const browser = browserAvailability();
const MAIL_FROM = 'Concilia <foro@concilia.example.org>';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/**
 * When the 1 h reminder falls due, counted from the meeting's creation: after both servers are up
 * (they then arm their schedulers for it and claim it at the same moment), and not so far that the
 * test waits for nothing. If the servers take longer to start, both find it due on start: a race too.
 */
const REMINDER_IN_MS = 20_000;
/**
 * From the reminder to its mail: a notice to be mailed "immediately" waits 60 s (read in the forum
 * meanwhile, it is not mailed) and each instance looks for due notices every 30 s
 * (server/plugins/notification-mail). The servers' real clocks run, so the test waits as long.
 */
const MAILED_WITHIN_MS = REMINDER_IN_MS + 60_000 + 30_000 + 20_000;
/** Past one more look of each instance for due notices, and of each scheduler: a second mail would be here by then. */
const NO_SECOND_WITHIN_MS = 40_000;

const children: ChildProcess[] = [];
let databases: Awaited<ReturnType<typeof databasesForThisFile>>;
let dataDir: string;
let sink: SmtpSink;
let sql: pg.Client;
let a: ServerProcess;
let b: ServerProcess;
let people: MeetingPeople;
let threadId: string;
let meetingId: string;

describe.skipIf(unavailable !== null)('two instances on one PostgreSQL database, from a browser and a mailbox', () => {
  beforeAll(async () => {
    databases = await databasesForThisFile();
    const env = { DATABASE_URL: await databases.migrated() };
    dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-instances-client-'));
    sink = await SmtpSink.start();
    // Set up in an app of this process without SMTP (its mail stays in the outbox), closed before
    // the reminder falls due so that only the two servers can run it.
    const app = await buildAppOn(dataDir, {}, env);
    try {
      people = await populateMeetings(app);
      const general = await categoryId(app, people.admin, 'general');
      threadId = (await startThread(app, people.coordinator, { categoryId: general, title: 'Cuentas nacionales trimestrales', body: 'Abrimos la discusión.' })).thread.id;
      const start = Date.now() + HOUR + REMINDER_IN_MS;
      // The 24 h reminder's moment has passed, so only the 1 h one is planned.
      const meeting = await createMeeting(app, people.coordinator, { startsAt: new Date(start).toISOString(), endsAt: new Date(start + HOUR).toISOString(), invitees: { everyone: false, countryIds: ['cl', 'mx'] } });
      meetingId = meeting.id;
    } finally {
      await app.close();
    }
    const serverEnv = { ...env, SMTP_URL: sink.url, MAIL_FROM };
    [a, b] = await Promise.all([startServerProcess(dataDir, serverEnv), startServerProcess(dataDir, serverEnv)]);
    children.push(a.child, b.child);
    sql = new pg.Client({ connectionString: env.DATABASE_URL });
    await sql.connect();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(children.map(stopServerProcess));
    await sql?.end();
    await sink?.close();
    await databases?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  describe.skipIf(!browser.available)('a browser', () => {
    let chromiumBrowser: Browser | null = null;
    afterAll(async () => {
      await chromiumBrowser?.close();
    });

    it('signed in on A shows, without reload, a post made through B', async () => {
      if (!existsSync(path.join(builtClientDir, 'index.html'))) throw new Error(`The client is not built (${builtClientDir}/index.html is missing): run "npx vite build" first.`);
      chromiumBrowser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
      const context = await chromiumBrowser.newContext({ baseURL: a.origin, locale: 'en-US' });
      context.setDefaultTimeout(10_000);
      // Sessions live in the database: the cookie the setup's app gave works on A.
      const [name, value] = people.secretariat.cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: a.origin }]);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      // The page's live channel to A: a post made before it subscribed would prove nothing.
      const subscribed = new Promise<void>((resolve) => {
        page.on('websocket', (socket) => {
          expect(socket.url()).toBe(`${a.origin.replace('http', 'ws')}/api/live`);
          socket.on('framereceived', ({ payload }) => {
            const message = JSON.parse(String(payload)) as { type: string; topics?: string[] };
            if (message.type === 'subscribed' && (message.topics ?? []).includes(`thread:${threadId}`)) resolve();
          });
        });
      });
      await page.goto(`/debates/t/${threadId}`);
      const bodies = page.locator('cn-thread-page article.post .post-body');
      await bodies.filter({ hasText: 'Abrimos la discusión.' }).waitFor();
      await subscribed;
      let loads = 0;
      page.on('load', () => (loads += 1));

      const text = 'Publicado en B, visto en el navegador de A.';
      const answer = await fetch(`${b.origin}/api/threads/${threadId}/posts`, {
        method: 'POST',
        headers: { cookie: people.otherMember.cookie, origin: b.origin, 'content-type': 'application/json' },
        body: JSON.stringify({ body: text }),
      });
      expect(answer.status, await answer.clone().text()).toBe(201);
      await bodies.filter({ hasText: text }).waitFor({ timeout: 5_000 });
      expect(await bodies.count()).toBe(2);
      expect(loads).toBe(0);
      expect(problems).toEqual([]);
    }, 60_000);
  });

  it(
    'a scheduled reminder is mailed once to each recipient with both instances running',
    async () => {
      const { rows: recipients } = await sql.query<{ email: string }>('select email from users where id = any($1) order by email', [[people.coordinator.id, people.member.id, people.otherMember.id]]);
      const expected = recipients.map((row) => row.email);
      expect(expected).toHaveLength(3);
      // Which captured messages are reminders: the outbox row each came from says its kind.
      const reminderMail = async () => {
        const { rows } = await sql.query<{ message_id: string }>("select message_id from mail_outbox where kind = 'meeting_reminder'");
        const ids = new Set(rows.map((row) => row.message_id));
        return sink.messages.filter((mail) => mail.parsed.messageId !== undefined && ids.has(mail.parsed.messageId));
      };
      const deadline = Date.now() + MAILED_WITHIN_MS;
      while ((await reminderMail()).length < expected.length && Date.now() < deadline) await sleep(500);
      expect((await reminderMail()).flatMap((mail) => mail.rcptTo).sort()).toEqual(expected);

      await sleep(NO_SECOND_WITHIN_MS);
      const mailed = await reminderMail();
      expect(mailed.flatMap((mail) => mail.rcptTo).sort()).toEqual(expected);
      expect(mailed.every((mail) => (mail.parsed.text ?? '').length > 0)).toBe(true);
      // One reminder notification each, and the job ran once: by one of the two instances.
      const { rows: notified } = await sql.query<{ user_id: string; n: string }>(
        "select user_id, count(*) as n from notifications where kind = 'meeting_reminder' and subject_id = $1 group by user_id",
        [meetingId],
      );
      expect(notified.map((row) => Number(row.n))).toEqual([1, 1, 1]);
      const { rows: jobs } = await sql.query<{ key: string; outcome: string | null }>("select key, outcome from scheduled_jobs where subject = $1 order by key", [`meeting:${meetingId}`]);
      expect(jobs.map((job) => [job.key.split(':').pop(), job.outcome])).toEqual([['1h', 'done']]);
    },
    MAILED_WITHIN_MS + NO_SECOND_WITHIN_MS + 30_000,
  );
});
