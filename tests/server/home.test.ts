import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../server/plugins/live/hub.js';
import { buildTestApp, request, type TestApp } from '../helper.js';
import { minimalPdf } from '../fixtures/documents.js';
import { categoryId, reply, startThread } from './debates/support.js';
import { metadata, upload, uploadVersion } from './documents/support.js';
import { api, populateMeetings, type MeetingPeople, type Participant } from './meetings/support.js';
import { expectError } from './support.js';

/** GET /api/home: what is new and what waits for a person, worked out from real threads, meetings and documents. */

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** The app's clock: real time, moved forward by the test (documents are stamped with real time). */
let offset = 0;
const now = () => new Date(Date.now() + offset);

let t: TestApp;
let people: MeetingPeople;
let groupId: string;

interface Item {
  id: string;
  kind: string;
  path: string;
  title: string;
  titles?: { es: string; en: string };
  at?: string;
  endsAt?: string;
  timeZone?: string;
  count?: number;
  actor?: string;
  excerpt?: string;
  number?: number;
  state?: string;
}
interface Section {
  id: string;
  count: number;
  items: Item[];
  seeAllPath: string;
  failed: boolean;
}
interface Home {
  sections: Section[];
  since: string;
  live: { topics: string[]; events: string[] };
}

async function home(who: Participant): Promise<Home> {
  const response = await api(t.app, who, 'GET', '/home');
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Home;
}

async function section(who: Participant, id: string): Promise<Section> {
  const found = (await home(who)).sections.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no section ${id}`);
  return found;
}

const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  t = await buildTestApp({}, { now });
  people = await populateMeetings(t.app);
  groupId = (await api(t.app, people.member, 'GET', '/me')).json().user.groupId as string;
});
afterAll(async () => t.close());

describe('GET /api/home', () => {
  it('answers 401 in the standard error shape without a session', async () => {
    expectError(await request(t.app, { url: '/api/home' }), 401, 'unauthenticated');
  });

  it('lists the sections the features registered, in order, with the live topics that change them', async () => {
    const answer = await home(people.member);
    expect(answer.sections.map((candidate) => candidate.id)).toEqual(['debates.mentions', 'meetings.to-answer', 'consultations.waiting', 'debates.unread', 'meetings.upcoming', 'documents.new']);
    expect(answer.sections.every((candidate) => !candidate.failed && candidate.seeAllPath.startsWith('/'))).toBe(true);
    // A handful of topics, none per item.
    expect(answer.live.topics).toEqual([`group:${groupId}`, `library:${groupId}`, `user:${people.member.id}`]);
    expect(answer.live.events).toEqual(expect.arrayContaining(['notification.created', 'thread.activity', 'thread.created', 'document.published', 'document.version_added']));
    const response = await api(t.app, people.member, 'GET', '/home');
    expect(response.headers['cache-control']).toBe('private, no-store');
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await request(t.app, { url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(document.paths['/api/home']?.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401']));
  });
});

describe('unread debates', () => {
  it('counts the threads with posts after my position, with how many each, and forgets them once read or muted', async () => {
    const general = await categoryId(t.app, people.coordinator, 'general');
    const before = await section(people.argentina, 'debates.unread');
    const first = await startThread(t.app, people.coordinator, { categoryId: general, title: 'Cifras de pobreza 2024' });
    const second = await startThread(t.app, people.secretariat, { categoryId: general, title: 'Censos de la ronda 2030' });
    await reply(t.app, people.otherMember, first.thread.id, 'Primera respuesta.');
    await reply(t.app, people.coordinator, first.thread.id, 'Segunda respuesta.');

    let unread = await section(people.argentina, 'debates.unread');
    expect(unread.count).toBe(before.count + 2);
    // The most recently active first, each with its unread posts.
    expect(unread.items.slice(0, 2)).toMatchObject([
      { id: first.thread.id, kind: 'thread', title: 'Cifras de pobreza 2024', count: 3, path: `/debates/t/${first.thread.id}` },
      { id: second.thread.id, title: 'Censos de la ronda 2030', count: 1 },
    ]);

    // A post in the older one brings it back to the top, with its new count.
    await reply(t.app, people.otherMember, second.thread.id, 'Una respuesta al segundo.');
    unread = await section(people.argentina, 'debates.unread');
    expect(unread.count).toBe(before.count + 2);
    expect(unread.items.slice(0, 2)).toMatchObject([{ id: second.thread.id, count: 2 }, { id: first.thread.id, count: 3 }]);

    // Read up to the second post of the first: one left there.
    expect((await api(t.app, people.argentina, 'PUT', `/threads/${first.thread.id}/read`, { seq: 2 })).statusCode).toBe(200);
    unread = await section(people.argentina, 'debates.unread');
    expect(unread.items.find((item) => item.id === first.thread.id)?.count).toBe(1);

    // Read to the end, and mute the other: neither is waiting any more.
    await api(t.app, people.argentina, 'PUT', `/threads/${first.thread.id}/read`, { seq: 3 });
    expect((await api(t.app, people.argentina, 'PUT', `/threads/${second.thread.id}/watch`, { level: 'muted' })).statusCode).toBe(200);
    unread = await section(people.argentina, 'debates.unread');
    expect(unread.count).toBe(before.count);
    expect(unread.items.map((item) => item.id)).not.toContain(first.thread.id);
    expect(unread.items.map((item) => item.id)).not.toContain(second.thread.id);

    // Writing a post means having read it: the author's own thread is not unread to them.
    expect((await section(people.coordinator, 'debates.unread')).items.map((item) => item.id)).not.toContain(first.thread.id);
  });

  it('leaves out a muted category\'s threads, except one the person follows on its own', async () => {
    const training = await categoryId(t.app, people.coordinator, 'training');
    const quiet = await startThread(t.app, people.coordinator, { categoryId: training, title: 'Curso de muestreo' });
    const followed = await startThread(t.app, people.coordinator, { categoryId: training, title: 'Curso de cuentas nacionales' });
    const ids = async () => (await section(people.cuba, 'debates.unread')).items.map((item) => item.id);
    const before = (await section(people.cuba, 'debates.unread')).count;
    expect(await ids()).toEqual(expect.arrayContaining([quiet.thread.id, followed.thread.id]));

    expect((await api(t.app, people.cuba, 'PUT', `/threads/${followed.thread.id}/watch`, { level: 'watching' })).statusCode).toBe(200);
    expect((await api(t.app, people.cuba, 'PUT', `/categories/${training}/watch`, { level: 'muted' })).statusCode).toBe(200);
    const after = await section(people.cuba, 'debates.unread');
    expect(after.count).toBe(before - 1);
    expect(after.items.map((item) => item.id)).toContain(followed.thread.id);
    expect(after.items.map((item) => item.id)).not.toContain(quiet.thread.id);
  });
});

describe('mentions and replies', () => {
  it('lists unread mentions of me and my country and replies to me, newest first, until they are read', async () => {
    const general = await categoryId(t.app, people.coordinator, 'general');
    const thread = await startThread(t.app, people.member, { categoryId: general, title: 'Tasa de matrícula' });
    expect((await section(people.member, 'debates.mentions')).count).toBe(0);

    // Replies to the thread answer its opening post: its author hears of each.
    const coordinatorPost = await reply(t.app, people.coordinator, thread.thread.id, 'Gracias, lo revisamos.');
    // Answering the coordinator, naming the member: a mention for her.
    const mention = await reply(t.app, people.otherMember, thread.thread.id, 'Consulta para @mara.member sobre la serie.', coordinatorPost.id);
    // Another's country: a reply for the member of Chile, a mention of their country for Argentina's.
    await reply(t.app, people.otherMember, thread.thread.id, 'Y también para @AR.');
    const mentions = await section(people.member, 'debates.mentions');
    expect(mentions.count).toBe(3);
    expect(mentions.items).toMatchObject([
      { kind: 'reply', actor: 'Óscar Pérez', excerpt: 'Y también para @AR.' },
      { kind: 'mention', actor: 'Óscar Pérez', title: 'Tasa de matrícula', path: `/debates/t/${thread.thread.id}#post-${mention.id}`, excerpt: 'Consulta para @mara.member sobre la serie.' },
      { kind: 'reply', actor: 'Carla Coordinadora' },
    ]);
    const argentina = await section(people.argentina, 'debates.mentions');
    expect(argentina.items[0]).toMatchObject({ kind: 'country_mention', title: 'Tasa de matrícula' });

    // A moderator hides the mentioning post: its words leave the home page too.
    expect((await api(t.app, people.coordinator, 'POST', `/posts/${mention.id}/hide`, { reason: 'Datos personales' })).statusCode).toBe(200);
    expect((await section(people.member, 'debates.mentions')).items[1]).toMatchObject({ kind: 'mention', excerpt: '' });
    expect((await api(t.app, people.coordinator, 'POST', `/posts/${mention.id}/unhide`, {})).statusCode).toBe(200);
    expect((await section(people.member, 'debates.mentions')).items[1]).toMatchObject({ excerpt: 'Consulta para @mara.member sobre la serie.' });

    // Opening the mention marks its notification read (the item's id is the notification's).
    const read = await api(t.app, people.member, 'POST', '/notifications/read', { ids: [mentions.items[1]!.id] });
    expect(read.statusCode, read.body).toBe(200);
    const after = await section(people.member, 'debates.mentions');
    expect(after.count).toBe(2);
    expect(after.items.map((item) => item.kind)).toEqual(['reply', 'reply']);

    // A new one counts at once (the count is remembered between looks).
    await reply(t.app, people.secretariat, thread.thread.id, 'Otra respuesta.');
    expect((await section(people.member, 'debates.mentions')).count).toBe(3);
  });
});

describe('meetings', () => {
  const slots = (startDay: number) => [
    { startsAt: iso(Date.now() + offset + startDay * DAY), endsAt: iso(Date.now() + offset + startDay * DAY + HOUR) },
    { startsAt: iso(Date.now() + offset + (startDay + 1) * DAY), endsAt: iso(Date.now() + offset + (startDay + 1) * DAY + HOUR) },
  ];
  const create = async (input: Record<string, unknown>) => {
    const response = await api(t.app, people.coordinator, 'POST', '/meetings', { kind: 'virtual_meeting', timeZone: 'America/Santiago', ...input });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().meeting as { id: string };
  };

  it('asks me to answer an open availability poll I am invited to, until I have answered', async () => {
    const deadline = iso(Date.now() + offset + 3 * DAY);
    const poll = await create({ title: 'Taller de muestreo', invitees: { everyone: false, countryIds: ['cl'] }, poll: { slots: slots(5), deadline } });
    const waiting = await section(people.member, 'meetings.to-answer');
    expect(waiting.items).toContainEqual(expect.objectContaining({ id: `${poll.id} poll`, kind: 'poll', title: 'Taller de muestreo', path: `/meetings/${poll.id}`, at: deadline }));
    // Not invited: Mexico's member is not asked, nor does the poll exist for them.
    expect((await section(people.otherMember, 'meetings.to-answer')).items.map((item) => item.id)).not.toContain(`${poll.id} poll`);
    // The organizer is not asked to answer their own poll.
    expect((await section(people.coordinator, 'meetings.to-answer')).items.map((item) => item.id)).not.toContain(`${poll.id} poll`);

    const { slots: pollSlots } = (await api(t.app, people.member, 'GET', `/meetings/${poll.id}/poll`)).json().poll as { slots: Array<{ id: string }> };
    const answered = await api(t.app, people.member, 'PUT', `/meetings/${poll.id}/poll/answers`, { answers: pollSlots.map((slot) => ({ slotId: slot.id, answer: 'yes' })) });
    expect(answered.statusCode, answered.body).toBe(200);
    const after = await section(people.member, 'meetings.to-answer');
    expect(after.items.map((item) => item.id)).not.toContain(`${poll.id} poll`);
    expect(after.count).toBe(waiting.count - 1);
  });

  it('shows my next two weeks of meetings in their zone, asks for my attendance, and hides meetings I am not invited to', async () => {
    const startsAt = Date.now() + offset + 3 * DAY;
    const mine = await create({ title: 'Reunión de coordinación', startsAt: iso(startsAt), endsAt: iso(startsAt + 90 * 60_000), timeZone: 'America/Bogota', invitees: { everyone: false, countryIds: ['cl'] } });
    const mexico = await create({ title: 'Reunión bilateral con México', startsAt: iso(startsAt + HOUR), endsAt: iso(startsAt + 2 * HOUR), invitees: { everyone: false, countryIds: ['mx'] } });
    const later = await create({ title: 'Reunión de fin de año', startsAt: iso(startsAt + 20 * DAY), endsAt: iso(startsAt + 20 * DAY + HOUR), invitees: { everyone: false, countryIds: ['cl'] } });

    const upcoming = await section(people.member, 'meetings.upcoming');
    const ids = upcoming.items.map((item) => item.path);
    expect(upcoming.items).toContainEqual(
      expect.objectContaining({ id: `${mine.id} single`, kind: 'virtual_meeting', title: 'Reunión de coordinación', path: `/meetings/${mine.id}`, at: iso(startsAt), endsAt: iso(startsAt + 90 * 60_000), timeZone: 'America/Bogota', actor: 'Carla Coordinadora' }),
    );
    // Not answered yet: no state; what the item has no value for is left out, not null.
    const line = upcoming.items.find((item) => item.id === `${mine.id} single`)!;
    expect(Object.keys(line).sort()).toEqual(['actor', 'at', 'endsAt', 'id', 'kind', 'path', 'timeZone', 'title']);
    // Another country's meeting, and one beyond two weeks, are not listed.
    expect(ids).not.toContain(`/meetings/${mexico.id}`);
    expect(ids).not.toContain(`/meetings/${later.id}`);
    expect((await section(people.otherMember, 'meetings.upcoming')).items.map((item) => item.path)).toContain(`/meetings/${mexico.id}`);
    // The secretariat sees every meeting of the group.
    expect((await section(people.secretariat, 'meetings.upcoming')).items.map((item) => item.path)).toEqual(expect.arrayContaining([`/meetings/${mine.id}`, `/meetings/${mexico.id}`]));

    // Not answered yet: it waits for my attendance (the later one too: it is my next occurrence of it).
    const waiting = await section(people.member, 'meetings.to-answer');
    expect(waiting.items).toContainEqual(expect.objectContaining({ id: `${mine.id} single`, kind: 'attendance', at: iso(startsAt) }));
    expect(waiting.items.map((item) => item.id)).not.toContain(`${mexico.id} single`);

    const going = await api(t.app, people.member, 'PUT', `/meetings/${mine.id}/attendance`, { answer: 'going' });
    expect(going.statusCode, going.body).toBe(200);
    expect((await section(people.member, 'meetings.to-answer')).items.map((item) => item.id)).not.toContain(`${mine.id} single`);
    expect((await section(people.member, 'meetings.upcoming')).items.find((item) => item.id === `${mine.id} single`)?.state).toBe('going');

    // Cancelled: no longer upcoming.
    expect((await api(t.app, people.coordinator, 'POST', `/meetings/${mine.id}/cancel`, { reason: 'Se posterga' })).statusCode).toBe(200);
    expect((await section(people.member, 'meetings.upcoming')).items.map((item) => item.id)).not.toContain(`${mine.id} single`);
  });
});

describe('new documents since my last visit', () => {
  const file = (text: string) => ({ name: 'informe.pdf', bytes: minimalPdf(text) });

  it('lists documents and versions others added since my previous visit; a new visit starts after an hour away', async () => {
    // A first visit counts the past fortnight as new.
    const first = await home(people.trinidad);
    expect(Date.parse(first.since)).toBeCloseTo(Date.now() + offset - 14 * DAY, -5);

    const uploaded = await upload(t.app, people.secretariat, file('Informe regional de pobreza'), metadata({ title: { es: 'Informe regional', en: 'Regional report' } }));
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const documentId = uploaded.json().document.id as string;
    const draft = await upload(t.app, people.secretariat, file('Borrador'), metadata({ title: { es: 'Borrador interno', en: '' }, visibility: 'draft' }));
    expect(draft.statusCode, draft.body).toBe(201);

    let fresh = await section(people.trinidad, 'documents.new');
    expect(fresh.items[0]).toMatchObject({ id: documentId, kind: 'document', title: 'Informe regional', titles: { es: 'Informe regional', en: 'Regional report' }, number: 1, actor: 'Sergio Secretaría', path: `/documents/${documentId}` });
    // A draft is for publishers only; the uploader is not told of their own upload.
    expect(fresh.items.map((item) => item.id)).not.toContain(draft.json().document.id);
    expect((await section(people.coordinator, 'documents.new')).items.map((item) => item.id)).toContain(draft.json().document.id);
    expect((await section(people.secretariat, 'documents.new')).items.map((item) => item.id)).not.toContain(documentId);

    // Within the same visit, it stays new, and a second version keeps it on one line.
    expect((await uploadVersion(t.app, people.secretariat, documentId, file('Informe regional de pobreza, revisado'), 'Cifras revisadas')).statusCode).toBe(201);
    fresh = await section(people.trinidad, 'documents.new');
    expect(fresh.items.filter((item) => item.id === documentId)).toMatchObject([{ kind: 'document', number: 2 }]);

    // Two hours later, a new visit: what was there at the last look is no longer new...
    offset += 2 * HOUR;
    const later = await home(people.trinidad);
    expect(Date.parse(later.since)).toBeGreaterThan(Date.parse(first.since));
    expect(later.sections.find((candidate) => candidate.id === 'documents.new')!.items.map((item) => item.id)).not.toContain(documentId);
    // ...and a version added since is, as a new version.
    const since = (await section(people.trinidad, 'documents.new')).count;
    offset -= 2 * HOUR;
    expect((await uploadVersion(t.app, people.secretariat, documentId, file('Tercera versión'))).statusCode).toBe(201);
    offset += 2 * HOUR;
    const versioned = await section(people.trinidad, 'documents.new');
    expect(versioned.count).toBe(since + 1);
    expect(versioned.items[0]).toMatchObject({ id: documentId, kind: 'version', number: 3 });

    // A document moved to the trash is not new any more.
    expect((await api(t.app, people.secretariat, 'DELETE', `/documents/${documentId}`)).statusCode).toBe(204);
    expect((await section(people.trinidad, 'documents.new')).items.map((item) => item.id)).not.toContain(documentId);
  });

  it('tells the library topic of each change, a draft\'s to publishers only', async () => {
    const events: LiveEvent[] = [];
    const stop = t.app.liveHub.subscribe(`library:${groupId}`, (event) => events.push(event));
    try {
      const published = await upload(t.app, people.secretariat, file('Nota'), metadata({ title: { es: 'Nota técnica', en: '' } }));
      const draft = await upload(t.app, people.secretariat, file('Borrador'), metadata({ title: { es: 'Borrador', en: '' }, visibility: 'draft' }));
      const id = published.json().document.id as string;
      await uploadVersion(t.app, people.secretariat, id, file('Nota, segunda versión'));
      expect(events.map((event) => [event.type, (event.payload as { documentId: string }).documentId, event.audience ?? null])).toEqual([
        ['document.published', id, null],
        ['document.published', draft.json().document.id, { roles: ['admin', 'coordinator', 'secretariat'] }],
        ['document.version_added', id, null],
      ]);
    } finally {
      stop();
    }
  });
});

describe('a section that fails', () => {
  it('is answered as failed while the other sections still are', async () => {
    t.app.home.register({
      id: 'test.broken',
      order: 99,
      seeAllPath: '/',
      live: () => ({ topics: [], events: [] }),
      load: () => {
        throw new Error('broken on purpose');
      },
    });
    const answer = await home(people.member);
    expect(answer.sections.find((candidate) => candidate.id === 'test.broken')).toEqual({ id: 'test.broken', count: 0, items: [], seeAllPath: '/', failed: true });
    expect(answer.sections.filter((candidate) => candidate.failed).map((candidate) => candidate.id)).toEqual(['test.broken']);
    expect(() => t.app.home.register({ id: 'test.broken', order: 1, seeAllPath: '/', live: () => ({ topics: [], events: [] }), load: () => ({ count: 0, items: [] }) })).toThrow(/already registered/);
  });
});
