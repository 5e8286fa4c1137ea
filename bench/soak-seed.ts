import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { minimalPdf } from '../tests/fixtures/documents.js';
import { multipart } from '../tests/server/documents/support.js';
import { seed, type SeedResult, type SeedSize } from './seed.js';

/**
 * The soak's forum: the benchmark's (bench/seed.ts: people, threads, posts through the real
 * routes), then what the soak's mix also reads and writes: meetings on the calendar, meetings
 * still polling for a date (whose polls are answered), documents in the library, and each
 * person's id for their own live topic.
 */
export interface SoakWorld extends SeedResult {
  /** Aligned with `cookies`. */
  userIds: string[];
  /** The threads the soak writes to and the sockets follow. */
  activeThreadIds: string[];
  polls: Array<{ meetingId: string; slotIds: string[] }>;
  documentIds: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const ACTIVE_THREADS = 20;
/** The seed's first twelve people are staff (admin, coordinators, secretariat, observers); the rest are delegates, who answer polls. */
export const MEMBERS_FROM = 12;

export async function seedSoak(dataDir: string, origin: string, size: SeedSize, log: (line: string) => void): Promise<SoakWorld> {
  const seeded = await seed(dataDir, origin, size, log);
  const app = await buildApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: origin }), { logger: false });
  await app.ready();
  try {
    const call = async (cookie: string, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
      const response = await app.inject({ method, url, headers: { cookie, origin, ...headers }, ...(payload === undefined ? {} : { payload: payload as string }) });
      if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    const userIds: string[] = [];
    for (const cookie of seeded.cookies) userIds.push((await call(cookie, 'GET', '/api/me')).user.id);
    const activeThreadIds = ((await call(seeded.cookies[0]!, 'GET', `/api/threads?limit=${ACTIVE_THREADS}`)).items as Array<{ id: string }>).map((thread) => thread.id);
    if (!activeThreadIds.includes(seeded.hotThreadId)) activeThreadIds[0] = seeded.hotThreadId;

    // The coordinator (the seed's second person) organizes; everyone is invited.
    const coordinator = seeded.cookies[1]!;
    const meeting = (index: number, extra: Record<string, unknown>) => ({
      title: `Reunión de conciliación ${index}`,
      kind: 'virtual_meeting',
      description: 'Revisión de las **diferencias** entre cifras nacionales e internacionales.',
      agenda: [
        { title: 'Apertura', presenter: 'Coordinación', minutes: 10 },
        { title: 'Informe de conciliación', presenter: 'CEPAL', minutes: 40 },
      ],
      timeZone: 'America/Santiago',
      onlineUrl: 'https://meet.jit.si/concilia-soak',
      invitees: { everyone: true },
      ...extra,
    });
    const now = Date.now();
    for (let i = 0; i < 30; i += 1) {
      const startsAt = now + (i + 1) * DAY_MS + (i % 5) * 3_600_000;
      await call(coordinator, 'POST', '/api/meetings', meeting(i, { startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 90 * 60_000).toISOString() }));
    }
    const polls: SoakWorld['polls'] = [];
    for (let i = 0; i < 10; i += 1) {
      const slots = [1, 2, 3].map((d) => ({ startsAt: new Date(now + (40 + i + d) * DAY_MS).toISOString(), endsAt: new Date(now + (40 + i + d) * DAY_MS + 3_600_000).toISOString() }));
      const created = (await call(coordinator, 'POST', '/api/meetings', meeting(100 + i, { poll: { slots } }))).meeting as { id: string };
      const poll = (await call(coordinator, 'GET', `/api/meetings/${created.id}/poll`)).poll as { slots: Array<{ id: string }> };
      polls.push({ meetingId: created.id, slotIds: poll.slots.map((slot) => slot.id) });
    }
    // Everyone who answers during the soak has answered once already: a poll's size is bounded by
    // its invitees (all of the group's 188 delegates here), and a soak that started from empty polls
    // measured them filling up (random picks reach 55 % of the people × polls at minute 5, 99 % at
    // minute 30), each answer's poll view and live event growing with them, for the whole run. From
    // here, the soak's answers are people changing theirs, as a poll's later days are.
    for (const cookie of seeded.cookies.slice(MEMBERS_FROM)) {
      for (const [index, poll] of polls.entries()) {
        const answers = poll.slotIds.map((slotId, slot) => ({ slotId, answer: (['yes', 'if_need_be', 'no'] as const)[(index + slot) % 3] }));
        const response = await app.inject({ method: 'PUT', url: `/api/meetings/${poll.meetingId}/poll/answers`, headers: { cookie, origin, 'content-type': 'application/json' }, payload: JSON.stringify({ answers }) });
        if (response.statusCode !== 200) throw new Error(`PUT poll answers: ${response.statusCode} ${response.body}`);
      }
    }

    // The secretariat (the seed's third person) publishes to the library.
    const documentIds: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const body = await multipart(
        {
          metadata: JSON.stringify({
            title: { es: `Informe de conciliación ${i}`, en: `Reconciliation report ${i}` },
            description: { es: 'Diferencias entre cifras nacionales e internacionales', en: '' },
            type: 'report',
            languages: ['es'],
            publicationDate: '2026-10-01',
            tags: ['mortalidad'],
            indicatorCodes: ['4.1'],
            visibility: 'group',
          }),
        },
        { name: `informe-${i}.pdf`, bytes: minimalPdf(`Informe de conciliación ${i}: mortalidad infantil y población urbana`) },
      );
      documentIds.push((await call(seeded.cookies[2]!, 'POST', '/api/documents', body.payload, { 'content-type': body.contentType })).document.id);
    }
    log(`  30 meetings, 10 polls (answered by ${seeded.cookies.length - MEMBERS_FROM} delegates), 20 documents; ${activeThreadIds.length} active threads`);
    return { ...seeded, userIds, activeThreadIds, polls, documentIds };
  } finally {
    await app.close();
  }
}
