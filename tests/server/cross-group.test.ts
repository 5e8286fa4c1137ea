import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/shared/passwords.js';
import { minimalPdf } from '../fixtures/documents.js';
import { addPerson, buildTestApp, request, sessionCookie, type TestApp } from '../helper.js';
import { metadata, multipart } from './documents/support.js';
import { LiveClient, listen } from './live-support.js';
import { openTestDb } from './support.js';
import { askedText, caseName, casesOf, changesTarget, errorCodeOf, errorShapeProblem, requestFor, sharedNotificationState } from './access/calls.js';
import { EXPECTED, type MatrixCase } from './access/expected.js';
import { everyRoute, type Operation } from './access/openapi.js';
import { AccessWorld, CALLERS, CANARIES, type Caller, type Person, type Target } from './access/world.js';

/**
 * One group's objects are invisible from another. World A is the access matrix's (every kind of
 * object, with its canaries); group B, made as the product makes a second group (createGroup, then
 * invitations by B's admin), has one person of each role. Every /api route (read from the OpenAPI
 * document, each case of tests/server/access/expected.ts) is called by each of B's people on A's
 * objects: no call naming an A object may be let through (unless anyone may, without a session: a
 * token that is its own key, a public document), and no answer may show A's canaries, its
 * people's names, its group-wide words or any id of A. Live topics of A refuse B's sockets; the
 * lists of A's people show nothing of B either. CROSS_PRINT=1 prints every call on an object of A
 * not answered 404 (the role refusals, 403, come before any lookup).
 */

const B_PASSWORD = 'censos-password-2026';
const B_CALLERS = ['admin', 'coordinator', 'secretariat', 'member', 'observer'] as const;
type BCaller = (typeof B_CALLERS)[number];

/** Words in objects the whole of group A sees (the matrix's canaries are in objects only some of A see). */
const A_WORDS = {
  groupThread: 'qxgroupathread',
  groupDocument: 'qxgroupadocument',
  groupMeeting: 'qxgroupameeting',
  groupName: 'Grupo de trabajo ODM',
  ownerName: 'Olivia Owner',
  memberName: 'Mara Member',
  coordinatorName: 'Carla Coordinadora',
  secretariatName: 'Sergio Secretaría',
  observerName: 'Olga Observer',
  threadTitle: 'Diferencias en mortalidad infantil',
} as const;

/** What B puts where A's people could stumble on it. */
const B_WORDS = { thread: 'qxgroupbthread', document: 'qxgroupbdocument', meeting: 'qxgroupbmeeting', groupName: 'Grupo de censos', adminName: 'Beatriz Censal', surname: 'Censal' } as const;

/**
 * Leaks found and not yet fixed: `${case} | ${what}`, with the reason. The test fails when a leak
 * not listed here appears and when one listed here no longer leaks, so the list only shrinks.
 */
export const KNOWN_CROSS_GROUP_LEAKS: Array<{ leak: string; why: string }> = [];

/**
 * Cases whose success names an object of A but changes nothing of it (checked after the walk):
 * not leaks. The reason is the route's own rule.
 */
const LET_THROUGH_WITHOUT_EFFECT: Record<string, string> = {
  'POST /api/notifications/read on notification': "marks only the caller's own notifications among the ids named: A's stays unread",
};

let t: TestApp;
let world: AccessWorld;
let routes: Operation[];
let groupAId = '';
const b = { groupId: '', people: {} as Record<BCaller, Person & { cookie: string }>, ids: {} as Record<'thread' | 'document' | 'meeting', string> };
/** Every id and token of group A the test has met: none may appear in an answer to B that did not name it. */
const aIds = new Set<string>();
const found = new Map<string, string>();
const tally = { requests: 0, pairs: new Set<string>(), letThrough: 0, refused: 0, statuses: new Map<number, number>() };

const looksLikeKey = (value: unknown): value is string => typeof value === 'string' && value.length >= 20;
const noteTarget = (target: Target) => Object.values(target).filter(looksLikeKey).forEach((value) => aIds.add(value));

/** A session opened straight in the store for each use: the table's calls change passwords, which ends a person's other sessions. */
async function cookieOfB(caller: BCaller): Promise<string> {
  const { token } = await t.app.sessions.create(b.people[caller].id);
  return `concilia_session=${token}`;
}

async function callAsB(caller: BCaller, options: InjectOptions): Promise<LightMyRequestResponse> {
  return request(t.app, { ...options, cookie: await cookieOfB(caller) });
}

/** The B persona's own world for the table's bodies: A's objects, B's people and passwords. */
function bodyWorldFor(): AccessWorld {
  const view = Object.create(world) as AccessWorld;
  const people = { ...world.people, ...b.people };
  Object.defineProperty(view, 'people', { value: people });
  view.passwordOf = (caller: Caller | 'owner') => (caller in b.people ? B_PASSWORD : world.passwordOf(caller));
  return view;
}

async function uploadAs(cookie: string, title: string, visibility: 'group' | 'public' | 'draft'): Promise<string> {
  const body = await multipart({ metadata: JSON.stringify(metadata({ title: { es: title, en: '' }, visibility, tags: [title] })) }, { name: `${title}.pdf`, bytes: minimalPdf(title) });
  const response = await request(t.app, { method: 'POST', url: '/api/documents', cookie, payload: body.payload, headers: { 'content-type': body.contentType } });
  if (response.statusCode !== 201) throw new Error(`upload ${title}: ${response.statusCode} ${response.body}`);
  return response.json().document.id as string;
}

async function must(cookie: string, status: number, options: InjectOptions): Promise<any> {
  const response = await request(t.app, { ...options, cookie });
  if (response.statusCode !== status) throw new Error(`${options.method ?? 'GET'} ${options.url}: ${response.statusCode} ${response.body.slice(0, 400)}`);
  return response.body ? response.json() : null;
}

const meetingEveryone = (title: string) => ({
  title,
  kind: 'virtual_meeting',
  timeZone: 'America/Santiago',
  startsAt: new Date(Date.now() + 86_400_000).toISOString(),
  endsAt: new Date(Date.now() + 90_000_000).toISOString(),
  invitees: { everyone: true },
});

async function buildGroupB(): Promise<void> {
  const created = await t.app.groups.createGroup(
    { slug: 'censos', name: B_WORDS.groupName },
    { email: 'beatriz@censos.example.org', displayName: B_WORDS.adminName, passwordHash: await hashPassword(B_PASSWORD), locale: 'es', timeZone: 'America/Santiago', countryId: null, organizationId: 'eclac' },
  );
  b.groupId = created.groupId;
  // B's admin signs in as anyone would: the sign-in finds the group they belong to.
  const signedIn = await request(t.app, { method: 'POST', url: '/api/auth/login', payload: { email: 'beatriz@censos.example.org', password: B_PASSWORD } });
  if (signedIn.statusCode !== 200) throw new Error(`B's admin cannot sign in: ${signedIn.statusCode} ${signedIn.body}`);
  const adminCookie = sessionCookie(signedIn);
  b.people.admin = { id: created.userId, email: 'beatriz@censos.example.org', password: B_PASSWORD, cookie: adminCookie };
  // The others join through invitations by B's admin. Chile's member and UNICEF's observer: the
  // same country and agency as A's objects name, so a check by country or agency alone would let them in.
  const join = async (role: Exclude<BCaller, 'admin'>, affiliation: { countryId?: string; organizationId?: string }, displayName: string) => {
    const added = await addPerson(t.app, adminCookie, role, affiliation, { displayName, password: B_PASSWORD });
    b.people[role] = { id: added.id, email: added.email, password: B_PASSWORD, cookie: added.cookie };
  };
  await join('coordinator', {}, 'Bruno Censal');
  await join('secretariat', { organizationId: 'eclac' }, 'Berta Censal');
  await join('member', { countryId: 'cl' }, 'Benito Censal');
  await join('observer', { organizationId: 'unicef' }, 'Blanca Censal');

  const thread = await must(b.people.member.cookie, 201, { method: 'POST', url: '/api/threads', payload: { categoryId: await generalCategoryOf(b.people.member.cookie), title: `Censo de población ${B_WORDS.thread}`, body: `Texto ${B_WORDS.thread}` } });
  b.ids.thread = thread.thread.id;
  b.ids.document = await uploadAs(b.people.secretariat.cookie, `Manual censal ${B_WORDS.document}`, 'group');
  b.ids.meeting = (await must(b.people.coordinator.cookie, 201, { method: 'POST', url: '/api/meetings', payload: meetingEveryone(`Reunión censal ${B_WORDS.meeting}`) })).meeting.id;
}

async function generalCategoryOf(cookie: string): Promise<string> {
  const categories = (await must(cookie, 200, { url: '/api/categories' })).items as Array<{ id: string; slug: string }>;
  return categories.find((category) => category.slug === 'general')!.id;
}

/** Objects the whole of A sees, with words of their own. */
async function addGroupWideObjectsToA(): Promise<void> {
  const cookie = async (persona: 'owner' | 'secretariat' | 'coordinator') => `concilia_session=${(await t.app.sessions.create(world.people[persona].id)).token}`;
  const thread = await must(await cookie('owner'), 201, { method: 'POST', url: '/api/threads', payload: { categoryId: world.categoryId, title: `Tema del grupo ${A_WORDS.groupThread}`, body: `Texto ${A_WORDS.groupThread}` } });
  aIds.add(thread.thread.id);
  aIds.add(await uploadAs(await cookie('secretariat'), `Informe ${A_WORDS.groupDocument}`, 'group'));
  aIds.add((await must(await cookie('coordinator'), 201, { method: 'POST', url: '/api/meetings', payload: meetingEveryone(`Reunión ${A_WORDS.groupMeeting}`) })).meeting.id);
}

beforeAll(async () => {
  t = await buildTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000', LOGIN_MAX_FAILURES_PER_ADDRESS: '1000' });
  world = new AccessWorld(t);
  await world.build();
  routes = await everyRoute(t.app);
  groupAId = (await world.must('admin', 200, { url: '/api/me' })).user.groupId;
  aIds.add(groupAId);
  for (const person of Object.values(world.people)) aIds.add(person.id);
  for (const secret of world.secrets) aIds.add(secret);
  for (const id of [world.categoryId, world.announcementsId, world.sharedActionItemId]) aIds.add(id);
  for (const shared of world.shared.values()) noteTarget(await shared);
  await addGroupWideObjectsToA();
  await buildGroupB();
}, 180_000);
afterAll(async () => {
  await LiveClient.closeAll();
  await t?.close();
});

/** Anyone may make this call without a session (a token that is its own key, a public document): B's people may too. */
function openToAnyone(matrixCase: MatrixCase): boolean {
  const anonymous = matrixCase.expect.trim().split(/\s+/)[CALLERS.indexOf('anonymous')]!;
  return !['401', '403', '404'].includes(anonymous);
}

/** What of A the answer shows that the request did not name. */
function shownOfA(response: LightMyRequestResponse, sent: InjectOptions, matrixCase: MatrixCase): string[] {
  const shown = response.body;
  const asked = askedText(sent);
  const open = openToAnyone(matrixCase);
  const what: string[] = [];
  for (const [name, canary] of Object.entries(CANARIES)) {
    // Through a capability, the holder sees what the table says it sees (canariesAs); otherwise nothing of A.
    if (open && matrixCase.canariesAs !== undefined && (canary.seenBy as readonly Caller[]).includes(matrixCase.canariesAs)) continue;
    if (shown.includes(canary.word) && !asked.includes(canary.word)) what.push(`shows A's ${name}`);
  }
  if (open) return what;
  for (const [name, word] of Object.entries(A_WORDS)) if (shown.includes(word) && !asked.includes(word)) what.push(`shows A's ${name}`);
  for (const id of aIds) {
    if (shown.includes(id) && !asked.includes(id)) {
      what.push("shows an id of A's");
      break;
    }
  }
  return what;
}

const refersToA = (sent: InjectOptions) => {
  const asked = askedText(sent);
  for (const id of aIds) if (asked.includes(id)) return true;
  return false;
};

describe("the cross-group table", () => {
  it('has a row (in tests/server/access/expected.ts) for every route the app has', () => {
    expect(routes.filter((route) => !(route.key in EXPECTED)).map((route) => route.key)).toEqual([]);
    expect(routes.length).toBe(t.app.accessTable.length);
  });

  it("makes group B as the product will: its admin's invitations make memberships in B, not A", async () => {
    for (const caller of B_CALLERS) {
      const me = await must(await cookieOfB(caller), 200, { url: '/api/me' });
      expect(me.user, caller).toMatchObject({ groupId: b.groupId, groupName: B_WORDS.groupName, role: caller });
      // A's admin does not find B's people.
      expect((await world.callAs('admin', { url: `/api/people/${b.people[caller].id}` })).statusCode, caller).toBe(404);
    }
    expect(b.groupId).not.toBe(groupAId);
  });
});

describe("every route as each of B's people, on A's objects", () => {
  it.each(Object.keys(EXPECTED))('%s', async (key) => {
    const operation = routes.find((route) => route.key === key);
    if (!operation) throw new Error(`${key}: no such route`);
    const problems: string[] = [];
    const bodyWorld = bodyWorldFor();
    for (const matrixCase of casesOf(key)) {
      const fresh = changesTarget(operation, matrixCase);
      let target: Target | undefined;
      for (const caller of B_CALLERS) {
        if (!target) {
          target = matrixCase.target ? await (fresh ? world.fresh(matrixCase.target) : world.sharedTarget(matrixCase.target)) : {};
          noteTarget(target);
        }
        const sent = await requestFor(operation, matrixCase, target, { world: bodyWorld, caller: caller as Caller });
        const response = await callAsB(caller, sent);
        const status = response.statusCode;
        const code = errorCodeOf(response);
        const label = `${caseName(key, matrixCase)} as B's ${caller}: ${status}${code ? ` ${code}` : ''}`;
        tally.requests += 1;
        tally.pairs.add(`${key} ${caller}`);
        tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
        if (status < 300) tally.letThrough += 1;
        else tally.refused += 1;

        if (status >= 500) problems.push(`${label}: server error`);
        if (status >= 400) {
          const shape = errorShapeProblem(response);
          if (shape) problems.push(`${label}: ${shape}`);
        }
        const leaks = shownOfA(response, sent, matrixCase);
        if (status < 300 && refersToA(sent) && !openToAnyone(matrixCase) && !(caseName(key, matrixCase) in LET_THROUGH_WITHOUT_EFFECT)) leaks.unshift('let through on an object of A');
        if (process.env.CROSS_PRINT && status !== 404 && refersToA(sent)) console.log(`A-object call: ${label}`);
        for (const leak of leaks) found.set(`${caseName(key, matrixCase)} | ${leak}`, label);
        // A success may have changed a fresh target: the next caller gets a new one.
        if (fresh && status < 300) target = undefined;
      }
    }
    expect(problems).toEqual([]);
  }, 60_000);
});

describe("B's new objects", () => {
  it("cannot link A's threads, documents or categories", async () => {
    const thread = await world.sharedTarget('thread');
    const document = await world.sharedTarget('groupDocument');
    const meeting = await callAsB('coordinator', { method: 'POST', url: '/api/meetings', payload: { ...meetingEveryone('Reunión con enlaces'), threadIds: [thread.id], documentIds: [document.id] } });
    // Refused, or made without the links: never a meeting of B showing A's thread or document.
    if (meeting.statusCode === 201) {
      const page = await callAsB('coordinator', { url: `/api/meetings/${meeting.json().meeting.id}` });
      expect(page.body).not.toContain(String(thread.id));
      expect(page.body).not.toContain(String(document.id));
    } else expect(meeting.statusCode, meeting.body).toBeLessThan(500);
    const threadInA = await callAsB('member', { method: 'POST', url: '/api/threads', payload: { categoryId: world.categoryId, title: 'Un tema en la categoría de A', body: 'Texto.' } });
    expect(threadInA.statusCode, threadInA.body).toBe(400);
  });
});

describe("A's live topics", () => {
  it("refuse B's sockets", async () => {
    const url = await listen(t.app);
    const thread = await world.sharedTarget('thread');
    const meeting = await world.sharedTarget('meeting');
    const round = await world.sharedTarget('round');
    const consultation = await world.sharedTarget('consultation');
    const discrepancyCase = await world.sharedTarget('discrepancyCase');
    const topics = [
      `thread:${thread.id}`,
      `meeting:${meeting.id}`,
      `round:${round.id}`,
      `consultation:${consultation.id}`,
      `discrepancy-case:${discrepancyCase.id}`,
      `group:${groupAId}`,
      `library:${groupAId}`,
      `discrepancies:${groupAId}`,
      `user:${world.people.owner.id}`,
    ];
    const accepted: string[] = [];
    for (const caller of B_CALLERS) {
      const client = await LiveClient.connect(url, await cookieOfB(caller));
      for (const topic of topics) {
        const answer = await client.subscribe([topic]);
        if (!(answer.type === 'error' && answer.code === 'forbidden_topic')) accepted.push(`${topic} as B's ${caller}: ${JSON.stringify(answer)}`);
      }
      // B's own group topic is B's: the refusals above are about A, not about sockets.
      expect(await client.subscribe([`group:${b.groupId}`]), caller).toMatchObject({ type: 'subscribed' });
      client.ws.close();
    }
    expect(accepted).toEqual([]);
  }, 60_000);
});

describe("B's own calendar feed", () => {
  it('shows nothing of A', async () => {
    const leaks: string[] = [];
    for (const caller of B_CALLERS) {
      const feed = await must(await cookieOfB(caller), 201, { method: 'POST', url: '/api/calendar/feed', payload: {} });
      const response = await request(t.app, { url: new URL(feed.feed.url).pathname });
      expect(response.statusCode, caller).toBe(200);
      expect(response.body).toContain(B_WORDS.meeting);
      for (const word of [...Object.values(A_WORDS), ...Object.values(CANARIES).map((canary) => canary.word)]) if (response.body.includes(word)) leaks.push(`${caller}: ${word}`);
    }
    expect(leaks).toEqual([]);
  });
});

/** Routes whose answer spans every group by design: the instance's, read by the first group's administrators (A's). */
const INSTANCE_WIDE = new Set(['GET /api/admin/mail/outbox', 'GET /api/instance/groups']);

describe("A's people", () => {
  const aCallers = ['member', 'foreignMember', 'observer', 'secretariat', 'coordinator', 'admin'] as const;
  const bIds = () => [b.groupId, ...Object.values(b.ids), ...Object.values(b.people).map((person) => person.id)];

  it("see nothing of B in any list, search, home or calendar (every GET of the table that names no object)", async () => {
    const leaks: string[] = [];
    let calls = 0;
    for (const key of Object.keys(EXPECTED).filter((key) => key.startsWith('GET ') && !key.includes('{') && !INSTANCE_WIDE.has(key))) {
      const operation = routes.find((route) => route.key === key)!;
      for (const matrixCase of casesOf(key)) {
        for (const caller of aCallers) {
          const sent = await requestFor(operation, matrixCase, {}, { world, caller });
          const response = await world.callAs(caller, sent);
          calls += 1;
          for (const word of [...Object.values(B_WORDS), ...bIds()]) if (response.body.includes(word)) leaks.push(`${caseName(key, matrixCase)} as A's ${caller}: shows ${word}`);
        }
      }
    }
    // Searching for B's own words finds nothing either.
    for (const word of [B_WORDS.thread, B_WORDS.document, B_WORDS.meeting]) {
      for (const caller of aCallers) {
        const response = await world.callAs(caller, { url: `/api/search?q=${word}` });
        calls += 1;
        for (const id of bIds()) if (response.body.includes(id)) leaks.push(`search ${word} as A's ${caller}: shows ${id}`);
      }
    }
    expect(calls).toBeGreaterThan(100);
    expect(leaks).toEqual([]);
  }, 60_000);

  it("are told B's objects do not exist", async () => {
    const answers: string[] = [];
    for (const caller of aCallers) {
      for (const url of [`/api/threads/${b.ids.thread}`, `/api/documents/${b.ids.document}`, `/api/meetings/${b.ids.meeting}`]) {
        const response = await world.callAs(caller, { url });
        if (response.statusCode !== 404) answers.push(`${url} as A's ${caller}: ${response.statusCode}`);
      }
    }
    expect(answers).toEqual([]);
  });
});

describe('after every route', () => {
  it("left A's notification unread, though each of B's people named it", async () => {
    expect(await sharedNotificationState(world, t)).toEqual({ readAt: null });
  });

  it("mailed B's people nothing of A (their invitations name B; what the walk made them send)", async () => {
    const db = openTestDb(t);
    try {
      const addresses = Object.values(b.people).map((person) => person.email.toLowerCase());
      const mails = await db.prepare(`select kind, subject, content from mail_outbox where to_address in (${addresses.map(() => '?').join(', ')})`).all(...addresses) as Array<{ kind: string; subject: string; content: string }>;
      expect(mails.length).toBeGreaterThanOrEqual(4);
      const invitations = mails.filter((mail) => mail.kind === 'account.invitation');
      expect(invitations.length).toBe(4);
      expect(invitations.filter((mail) => !mail.subject.includes(B_WORDS.groupName))).toEqual([]);
      const words = [...Object.values(A_WORDS), ...Object.values(CANARIES).map((canary) => canary.word)];
      expect(mails.flatMap((mail) => words.filter((word) => `${mail.subject} ${mail.content}`.includes(word)).map((word) => `${mail.kind}: ${word}`))).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('found no leak but the listed ones, and every listed one still leaks (remove an entry once it is fixed)', () => {
    const listed = new Set(KNOWN_CROSS_GROUP_LEAKS.map((known) => known.leak));
    const unlisted = [...found.entries()].filter(([leak]) => !listed.has(leak)).map(([leak, label]) => `${leak} (${label})`);
    const gone = [...listed].filter((leak) => !found.has(leak));
    console.log(
      `cross-group: ${routes.length} routes × ${B_CALLERS.length} callers of B = ${tally.pairs.size} pairs, ${tally.requests} requests (${tally.letThrough} let through, ${tally.refused} refused; ${[...tally.statuses].sort(([x], [y]) => x - y).map(([status, n]) => `${status}×${n}`).join(' ')}), ${found.size} leaks (${listed.size} listed)`,
    );
    expect(unlisted).toEqual([]);
    expect(gone).toEqual([]);
    expect(tally.pairs.size).toBe(routes.length * B_CALLERS.length);
  });
});
