import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../server/plugins/sessions/index.js';
import { discrepancyComments } from '../../../server/features/discrepancies/tables.js';
import { addPerson, buildTestApp, request, setUpGroup, type TestApp } from '../../helper.js';
import { expectError } from '../support.js';
import { restartOf } from './support.js';

/**
 * A case's discussion is a debates thread (issue 14): opened by the first comment, read by exactly
 * who may see the case (its participants until published, the group after, its participants again
 * once reopened), never found by anyone else in the thread lists, categories, search, home page,
 * notifications or live topics. The comments stored before the thread existed move into it.
 */

const SECRET = 'qxcasethread';
const UNSD_HEADER =
  'Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,TimeCoverage,UpperBound,LowerBound,BasePeriod,Source,GeoInfoUrl,FootNote,[Age],[Location],[Nature],[Reporting Type],[Sex],[Units]';
const unsdCsv = (rows: string[]) => `${UNSD_HEADER}\r\n${rows.join('\r\n')}\r\n`;
const unsdRow = (year: number, value: string) =>
  `4,4.A,4.1,SH_DYN_MORT,"Under-five mortality rate (deaths per 1,000 live births)",152,Chile,${year},${value},${year},,,,,"UN IGME, estimates 2025",,"Model estimate.",<5Y,ALLAREA,E,G,_T,PER_1000_LIVE_BIRTHS`;
const NATIONAL = 'indicator,series,country,year,value,unit,unit_mult,sex,age,location,other_disaggregation,source_type,source_detail,footnote,obs_status\n4.1,SH_DYN_MORT,CHL,2010,7.4,PER_1000_LIVE_BIRTHS,0,_T,Y_LT5,_T,,civil_registration,Estadísticas vitales,,A\n';

type Who = 'chile' | 'chile2' | 'brazil' | 'secretariat' | 'coordinator' | 'unicef' | 'ilo' | 'admin';
const OUTSIDERS = ['brazil', 'ilo', 'admin'] as const;
const PARTICIPANTS = ['chile', 'chile2', 'secretariat', 'coordinator', 'unicef'] as const;

/** A group with a case on Chile 2010 (UNICEF's value): its people and their cookies. */
async function groupWithCase(t: TestApp) {
  const cookies = {} as Record<Who, string>;
  cookies.admin = await setUpGroup(t.app);
  cookies.coordinator = (await addPerson(t.app, cookies.admin, 'coordinator', {})).cookie;
  cookies.secretariat = (await addPerson(t.app, cookies.admin, 'secretariat', { organizationId: 'eclac' })).cookie;
  cookies.chile = (await addPerson(t.app, cookies.admin, 'member', { countryId: 'cl' })).cookie;
  cookies.chile2 = (await addPerson(t.app, cookies.admin, 'member', { countryId: 'cl' })).cookie;
  cookies.brazil = (await addPerson(t.app, cookies.admin, 'member', { countryId: 'br' })).cookie;
  cookies.unicef = (await addPerson(t.app, cookies.admin, 'observer', { organizationId: 'unicef' })).cookie;
  cookies.ilo = (await addPerson(t.app, cookies.admin, 'observer', { organizationId: 'ilo' })).cookie;
  const as = (who: Who, options: Parameters<typeof request>[1]) => request(t.app, { ...options, cookie: cookies[who] });
  const file = (who: Who, body: string, query: Record<string, string>) =>
    as(who, { method: 'POST', url: `/api/discrepancies/releases?${new URLSearchParams(query)}`, payload: body, headers: { 'content-type': 'text/csv' } });
  expect((await file('secretariat', unsdCsv([unsdRow(2009, '8.7'), unsdRow(2010, '8.5')]), { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title: 'SDG 2026.Q2' })).statusCode).toBe(201);
  expect((await file('chile', NATIONAL, { side: 'national', format: 'national_csv', title: 'Estadísticas vitales' })).statusCode).toBe(201);
  const id = (await as('chile', { url: '/api/discrepancies/cases?year=2010' })).json().items[0].id as string;
  return { cookies, as, id };
}

describe('a case’s discussion as a debates thread', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof groupWithCase>>['as'];
  let cookies: Record<Who, string>;
  let id = '';
  let threadId = '';
  const sessionUser = async (who: Who): Promise<SessionUser> => (await t.app.sessions.validate(cookies[who].split('=')[1]!))!.user;
  const thread = (who: Who) => as(who, { url: `/api/threads/${threadId}` });
  const posts = (who: Who) => as(who, { url: `/api/threads/${threadId}/posts` });

  beforeAll(async () => {
    t = await buildTestApp();
    ({ as, cookies, id } = await groupWithCase(t));
  });
  afterAll(async () => {
    await t.close();
  });

  it('has no thread before the first comment, which opens it titled as the case and linked back to it', async () => {
    expect((await as('chile', { url: `/api/discrepancies/cases/${id}` })).json().discussion).toEqual({ thread: null, posts: [] });
    const posted = await as('chile', { method: 'POST', url: `/api/discrepancies/cases/${id}/comments`, payload: { body: `La cifra ${SECRET} viene del registro civil. ¿Le pasa lo mismo a @BR?` } });
    expect(posted.statusCode, posted.body).toBe(201);
    threadId = posted.json().thread.id;
    expect(posted.json()).toMatchObject({ thread: { href: `/debates/t/${threadId}`, postCount: 1 }, post: { threadId, seq: 1, html: expect.stringContaining(SECRET) } });
    const detail = (await thread('chile2')).json().thread;
    expect(detail).toMatchObject({ title: 'Indicador 4.1 · CHL · 2010', subject: { kind: 'discrepancy_case', id, href: `/discrepancies/cases/${id}` } });
    // A second comment is a reply in the same thread, not a second thread.
    const again = await as('unicef', { method: 'POST', url: `/api/discrepancies/cases/${id}/comments`, payload: { body: 'UN IGME modela la serie.' } });
    expect(again.json().thread).toMatchObject({ id: threadId, postCount: 2 });
  });

  it('lets the case’s participants read and reply in the thread, and shows replies made there on the case', async () => {
    for (const who of PARTICIPANTS) {
      expect((await thread(who)).statusCode, who).toBe(200);
      expect((await posts(who)).body, who).toContain(SECRET);
    }
    const reply = await as('chile2', { method: 'POST', url: `/api/threads/${threadId}/posts`, payload: { body: 'Respondo desde el hilo.' } });
    expect(reply.statusCode, reply.body).toBe(201);
    // The case's people follow its thread: a post written there reaches them too (one notice while unread).
    const told = async (who: Who) =>
      ((await as(who, { url: '/api/notifications?limit=50' })).json().items as Array<{ kind: string; subject: { id: string } }>).filter((n) => n.subject.id === threadId).map((n) => n.kind);
    expect(await told('secretariat')).toEqual(['new_post']);
    expect(await told('coordinator')).toEqual(['new_post']);
    // Chile's first comment opened the thread: UNICEF's and Chile 2's replies answer it.
    expect(await told('chile')).toEqual(['reply', 'reply']);
    expect(await told('ilo')).toEqual([]);
    const page = (await as('secretariat', { url: `/api/discrepancies/cases/${id}` })).json();
    expect(page.discussion.thread).toMatchObject({ id: threadId, postCount: 3 });
    expect(page.discussion.posts.map((post: { html: string }) => post.html)).toEqual([expect.stringContaining(SECRET), '<p>UN IGME modela la serie.</p>\n', '<p>Respondo desde el hilo.</p>\n']);
  });

  it('is nobody else’s before publication: 404 on the thread, its posts, replies, watching; no live topic', async () => {
    for (const who of OUTSIDERS) {
      expectError(await thread(who), 404, 'not_found');
      expectError(await posts(who), 404, 'not_found');
      expectError(await as(who, { method: 'POST', url: `/api/threads/${threadId}/posts`, payload: { body: 'Hola' } }), 404, 'not_found');
      expectError(await as(who, { method: 'PUT', url: `/api/threads/${threadId}/watch`, payload: { level: 'watching' } }), 404, 'not_found');
      expect(await t.app.liveTopics.mayRead(await sessionUser(who), `thread:${threadId}`), who).toBe(false);
    }
    for (const who of PARTICIPANTS) expect(await t.app.liveTopics.mayRead(await sessionUser(who), `thread:${threadId}`), who).toBe(true);
    // A subject summary (notifications, links, the hub) describes it only to its readers.
    const describe = async (who: Who) => (await t.app.subjects.describe(await sessionUser(who), [{ kind: 'thread', id: threadId }], 'es')).size;
    expect(await describe('brazil')).toBe(0);
    expect(await describe('chile2')).toBe(1);
  });

  it('leaks nothing to another country in the lists, categories, search, home page and notifications', async () => {
    const surfaces = ['/api/threads?limit=50', '/api/categories', `/api/search?q=${SECRET}`, '/api/home', '/api/notifications?limit=50'];
    for (const who of OUTSIDERS) {
      for (const url of surfaces) {
        const answer = await as(who, { url });
        expect(answer.statusCode, `${url} as ${who}`).toBe(200);
        expect(answer.body, `${url} as ${who}`).not.toContain(SECRET);
        expect(answer.body, `${url} as ${who}`).not.toContain(threadId);
      }
    }
    // Brazil was mentioned (@BR) and is told nothing: the mention reaches only the thread's readers.
    expect((await as('brazil', { url: '/api/notifications?limit=50' })).json().items).toEqual([]);
    // Kept out of the general lists for its readers too: it is reached from the case.
    expect((await as('chile2', { url: '/api/threads?limit=50' })).body).not.toContain(threadId);
    const categories = (await as('chile2', { url: '/api/categories' })).json().items as Array<{ threadCount: number }>;
    expect(categories.reduce((sum, category) => sum + category.threadCount, 0)).toBe(0);
  });

  it('follows the case: everyone reads it once published, only the participants again once reopened', async () => {
    const post = (who: Who, path: string, payload: Record<string, unknown> = {}) => as(who, { method: 'POST', url: `/api/discrepancies/cases/${id}/${path}`, payload });
    expect((await post('chile', 'status', { to: 'under_review' })).statusCode).toBe(200);
    await as('chile', { method: 'PUT', url: `/api/discrepancies/cases/${id}/causes`, payload: { primary: 'agency_model' } });
    expect((await post('chile', 'status', { to: 'explained' })).statusCode).toBe(200);
    await as('unicef', { method: 'PUT', url: `/api/discrepancies/cases/${id}/explanation`, payload: { text: 'UN IGME models the series.' } });
    await post('chile', 'agreement');
    await post('unicef', 'agreement');
    expect((await post('chile', 'status', { to: 'documented' })).statusCode).toBe(200);
    expect((await post('chile', 'publish')).statusCode).toBe(200);
    for (const who of OUTSIDERS) {
      expect((await thread(who)).statusCode, who).toBe(200);
      expect((await posts(who)).body, who).toContain(SECRET);
      expect(await t.app.liveTopics.mayRead(await sessionUser(who), `thread:${threadId}`), who).toBe(true);
    }
    // Published, the thread is still the case's: not in the lists, not searched.
    expect((await as('brazil', { url: '/api/threads?limit=50' })).body).not.toContain(threadId);
    expect((await post('chile', 'status', { to: 'under_review' })).statusCode).toBe(200);
    for (const who of OUTSIDERS) {
      expectError(await thread(who), 404, 'not_found');
      expect(await t.app.liveTopics.mayRead(await sessionUser(who), `thread:${threadId}`), who).toBe(false);
    }
  });
});

describe('first comments written at the same moment', () => {
  it('open one thread holding both, whatever the engine runs side by side', async () => {
    const t = await buildTestApp();
    try {
      const { as, id } = await groupWithCase(t);
      const answers = await Promise.all([
        as('chile', { method: 'POST', url: `/api/discrepancies/cases/${id}/comments`, payload: { body: 'Primero, a la vez.' } }),
        as('unicef', { method: 'POST', url: `/api/discrepancies/cases/${id}/comments`, payload: { body: 'First, at the same time.' } }),
        as('secretariat', { method: 'POST', url: `/api/discrepancies/cases/${id}/comments`, payload: { body: 'También a la vez.' } }),
      ]);
      expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body.slice(0, 200)).join('\n')).toEqual([201, 201, 201]);
      expect(new Set(answers.map((answer) => answer.json().thread.id)).size).toBe(1);
      const discussion = (await as('chile', { url: `/api/discrepancies/cases/${id}` })).json().discussion;
      expect(discussion.thread.postCount).toBe(3);
    } finally {
      await t.close();
    }
  });
});

describe('the comments written before the thread', () => {
  it('move into the case’s thread at start, each readable with its author and time, and leave the table', async () => {
    const first = await buildTestApp();
    const { as, id } = await groupWithCase(first);
    const me = async (who: Who) => (await as(who, { url: '/api/me' })).json().user as { id: string; displayName: string };
    const chile = await me('chile');
    const unicef = await me('unicef');
    // As the register stored them before migration 0026: rows of its own table.
    const written = [
      { id: 'legacy-1', caseId: id, authorId: chile.id, body: `Primer comentario ${SECRET}`, createdAt: new Date('2026-03-01T12:00:00Z') },
      { id: 'legacy-2', caseId: id, authorId: unicef.id, body: 'Second comment, from UNICEF.', createdAt: new Date('2026-03-02T09:30:00Z') },
      { id: 'legacy-3', caseId: id, authorId: chile.id, body: 'Tercero: *con* Markdown.', createdAt: new Date('2026-03-03T18:45:00Z') },
    ];
    await first.app.database.orm.insert(discrepancyComments).values(written);
    await first.app.close();

    const restarted = await restartOf(first);
    const second = restarted.app;
    try {
      const cookie = (await addPerson(second, await login(second), 'member', { countryId: 'cl' })).cookie;
      const page = (await request(second, { url: `/api/discrepancies/cases/${id}`, cookie })).json();
      expect(page.discussion.thread.postCount).toBe(3);
      expect(page.discussion.posts.map((post: { author: { id: string }; createdAt: string; html: string }) => [post.author.id, post.createdAt, post.html])).toEqual([
        [chile.id, '2026-03-01T12:00:00.000Z', `<p>Primer comentario ${SECRET}</p>\n`],
        [unicef.id, '2026-03-02T09:30:00.000Z', '<p>Second comment, from UNICEF.</p>\n'],
        [chile.id, '2026-03-03T18:45:00.000Z', '<p>Tercero: <em>con</em> Markdown.</p>\n'],
      ]);
      expect(await second.database.orm.select().from(discrepancyComments)).toEqual([]);
      // Still the case's audience's only.
      const brazil = (await addPerson(second, await login(second), 'member', { countryId: 'br' })).cookie;
      expectError(await request(second, { url: `/api/threads/${page.discussion.thread.id}/posts`, cookie: brazil }), 404, 'not_found');
    } finally {
      await restarted.close();
    }
    // Once moved, a restart moves nothing again.
    const restartedAgain = await restartOf(first);
    const third = restartedAgain.app;
    try {
      const cookie = (await addPerson(third, await login(third), 'member', { countryId: 'cl' })).cookie;
      expect((await request(third, { url: `/api/discrepancies/cases/${id}`, cookie })).json().discussion.thread.postCount).toBe(3);
    } finally {
      await restartedAgain.close();
      await first.close().catch(() => {});
    }
  });
});

async function login(app: TestApp['app']): Promise<string> {
  const { ADMIN, sessionCookie } = await import('../../helper.js');
  return sessionCookie(await request(app, { method: 'POST', url: '/api/auth/login', payload: ADMIN }));
}
