import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { insertPerson } from '../server/features/people/repository.js';
import { SetupRepository } from '../server/features/setup/repository.js';
import { hashPassword } from '../server/shared/passwords.js';

/**
 * A realistic forum for the benchmark: 200 people across the 33 countries and the agencies,
 * 2,000 threads and 100,000 posts written through the real routes (Markdown rendering,
 * sanitizing, mentions, notifications, search index, stored live events), in-process.
 */
export interface SeedSize {
  users: number;
  threads: number;
  posts: number;
}

export interface SeedResult {
  origin: string;
  cookies: string[];
  /** The people's ids, in the order of `cookies`. */
  userIds: string[];
  hotThreadId: string;
  groupId: string;
  seconds: number;
}

const COUNTRIES = ['ar', 'bo', 'br', 'cl', 'co', 'cr', 'cu', 'do', 'ec', 'sv', 'gt', 'ht', 'hn', 'mx', 'ni', 'pa', 'py', 'pe', 'uy', 've', 'ag', 'bs', 'bb', 'bz', 'dm', 'gd', 'gy', 'jm', 'kn', 'lc', 'vc', 'sr', 'tt'];
const TOPICS_ES = [
  'mortalidad infantil', 'población urbana', 'pobreza extrema', 'matriculación primaria', 'agua potable', 'saneamiento',
  'empleo vulnerable', 'mortalidad materna', 'cobertura de vacunación', 'tuberculosis', 'emisiones de CO2', 'área forestal',
];
const TOPICS_EN = ['under-five mortality', 'urban population', 'extreme poverty', 'net enrolment', 'drinking water', 'sanitation', 'maternal mortality'];
/** Requests in flight at once while seeding. */
const WRITERS = 8;
const INDICATORS = ['1.1', '1.2', '2.2', '4.1', '4.2', '5.1', '6.1', '7.1', '7.8', '7.9'];

function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function postBody(random: () => number, index: number): string {
  const topic = random() < 0.75 ? TOPICS_ES[Math.floor(random() * TOPICS_ES.length)]! : TOPICS_EN[Math.floor(random() * TOPICS_EN.length)]!;
  const year = 2000 + Math.floor(random() * 15);
  const national = (10 + random() * 40).toFixed(1);
  const agency = (10 + random() * 40).toFixed(1);
  const lines = [
    `La cifra nacional de **${topic}** para ${year} es ${national}, mientras que la estimación de la agencia es ${agency}.`,
    `La diferencia se explica por la fuente: el censo de población frente a la encuesta de hogares, y por la proyección utilizada.`,
  ];
  if (index % 5 === 0) lines.push(`\n| fuente | ${year} | ${year + 1} |\n|---|--:|--:|\n| nacional | ${national} | ${(Number(national) * 0.97).toFixed(1)} |\n| agencia | ${agency} | ${(Number(agency) * 0.98).toFixed(1)} |`);
  if (index % 7 === 0) lines.push('Propongo revisar la metodología con la secretaría antes de la próxima reunión.');
  if (index % 11 === 0) lines.push('We should align the denominators with the latest UN population revision.');
  return lines.join('\n\n');
}

/**
 * The forum seeded into `dataDir` once and reused by the next runs (its description kept in
 * bench-seed.json beside the database), for the measures that take a folder: seeding the full
 * size takes minutes, longer than what they measure.
 */
export async function keptSeed(dataDir: string, origin: string, size: SeedSize, log: (line: string) => void): Promise<SeedResult & { roundId?: string }> {
  const file = path.join(dataDir, 'bench-seed.json');
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SeedResult & { roundId?: string };
  const result = await seed(dataDir, origin, size, log);
  writeFileSync(file, JSON.stringify(result));
  return result;
}

export async function seed(dataDir: string, origin: string, size: SeedSize, log: (line: string) => void): Promise<SeedResult> {
  const started = performance.now();
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: origin });
  const app: FastifyInstance = await buildApp(config, { logger: false });
  await app.ready();
  try {
    const passwordHash = await hashPassword('bench-password-123');
    const setup = new SetupRepository(app.database, app.people.insertWithin);
    const created = await app.unitOfWork.run((commit) =>
      setup.createGroupWithAdminWithin(
        commit,
        { name: 'Grupo de trabajo ODM (benchmark)', slug: 'bench' },
        { email: 'admin@bench.example', displayName: 'Admin Bench', passwordHash, locale: 'es', timeZone: 'America/Santiago', countryId: null, organizationId: 'eclac' },
      ),
    );
    if (!created) throw new Error('the benchmark needs an empty data folder');
    const userIds: string[] = [created.userId];
    const now = new Date();
    for (let i = 1; i < size.users; i += 1) {
      const role = i === 1 ? 'coordinator' : i < 6 ? 'secretariat' : i < 12 ? 'observer' : 'member';
      userIds.push(
        await insertPerson(
          app.database.orm,
          {
            groupId: created.groupId,
            email: `user${i}@bench.example`,
            displayName: `Participante ${i}`,
            passwordHash,
            locale: i % 4 === 0 ? 'en' : 'es',
            timeZone: 'America/Mexico_City',
            role,
            countryId: role === 'member' || role === 'coordinator' ? COUNTRIES[i % COUNTRIES.length]! : null,
            organizationId: role === 'secretariat' ? 'eclac' : role === 'observer' ? 'unicef' : null,
          },
          now,
        ),
      );
    }
    const cookies: string[] = [];
    for (const userId of userIds) cookies.push(`concilia_session=${(await app.sessions.create(userId)).token}`);

    const categories = (await app.inject({ url: '/api/categories', headers: { cookie: cookies[0]! } })).json().items as Array<{ id: string; slug: string }>;
    const open = categories.filter((category) => category.slug !== 'announcements');
    const random = rng(20081);
    const threadIds: string[] = [];
    const openingPostIds: string[] = [];
    const send = async (cookie: string, url: string, payload: unknown) => {
      const response = await app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie, origin } });
      if (response.statusCode !== 201) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    // Several people write at once, as in a real forum (and as the server's batching of
    // notifications across concurrent posts expects); each worker awaits its own request.
    const concurrently = async (count: number, task: (index: number) => Promise<void>) => {
      let next = 0;
      await Promise.all(Array.from({ length: WRITERS }, async () => {
        while (next < count) await task(next++);
      }));
    };
    await concurrently(size.threads, async (t) => {
      const author = cookies[12 + Math.floor(random() * (cookies.length - 12))]!;
      const body = await send(author, '/api/threads', {
        categoryId: open[t % open.length]!.id,
        title: `Discrepancia en ${TOPICS_ES[t % TOPICS_ES.length]} (${2000 + (t % 15)}), hilo ${t}`,
        body: postBody(random, t),
        tags: [`tema-${t % 20}`],
        indicatorCodes: [INDICATORS[t % INDICATORS.length]!],
      });
      threadIds[t] = body.thread.id;
      openingPostIds[t] = body.post.id;
    });
    log(`  ${size.threads} threads`);
    // The first thread is the hot one: it gets at least 50 posts so its first page is full.
    const replies = size.posts - size.threads;
    const recent: string[][] = threadIds.map((_, i) => [openingPostIds[i]!]);
    await concurrently(replies, async (p) => {
      const threadIndex = p < 60 ? 0 : Math.floor(random() * threadIds.length);
      const candidates = recent[threadIndex]!;
      const parentId = candidates[Math.floor(random() * candidates.length)]!;
      const author = cookies[Math.floor(random() * cookies.length)]!;
      const body = await send(author, `/api/threads/${threadIds[threadIndex]}/posts`, { body: postBody(random, p), parentId });
      candidates.push(body.post.id);
      if (candidates.length > 12) candidates.shift();
      if ((p + 1) % 20_000 === 0) log(`  ${p + 1 + size.threads} posts`);
    });
    // The forum's history is written here in two minutes, not over months: the notices of its
    // replies (one per person replied to) would all fall due at once, and the server would mail
    // that backlog while every later section measures, which no running forum does. They are
    // dropped as if mailed long ago; the outbox section measures sending on a server of its own.
    const notices = app.db.$client.prepare('delete from mail_notices').run().changes;
    log(`  ${notices.toLocaleString('en')} notices of the seeded replies dropped (as if mailed when they were written)`);
    return { origin, cookies, userIds, hotThreadId: threadIds[0]!, groupId: created.groupId, seconds: (performance.now() - started) / 1000 };
  } finally {
    await app.close();
  }
}
