import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helper.js';
import { api, appOnSameDatabase, buildRoundsWorld, type RoundsWorld, type Who } from './world.js';

/**
 * The round's page (GET /api/rounds/:id) is answered from memory while the round has not changed
 * (server/features/rounds/page-cache.ts), with an ETag. Two apps on one database stand for
 * two server processes: each check first makes both remember the page, then changes what it shows
 * on one, and expects both to answer with the change (the other within a second, through the
 * live_events log and the cache registry). Also: a deadline passing changes the page with no write.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let now = new Date('2026-05-04T15:00:00.000Z');
const inFuture = (ms: number) => new Date(now.getTime() + ms).toISOString();

let t: TestApp;
let other: FastifyInstance;
let w: RoundsWorld;
let roundId = '';

beforeAll(async () => {
  t = await buildTestApp({}, { now: () => now });
  w = await buildRoundsWorld(t.app);
  other = await appOnSameDatabase(t, { now: () => now });
  const opened = await api(t.app, w.secretariat, 'POST', '/rounds', { documentId: w.documentId, version: 1, consulted: { countryIds: ['pe', 'cl'], organizationIds: [] }, deadline: inFuture(7 * DAY) });
  expect(opened.statusCode, opened.body).toBe(201);
  roundId = opened.json().round.id;
}, 60_000);
afterAll(async () => {
  await other?.close();
  await t?.close();
});

interface Page {
  round: { status: string };
  me: { drafts: number; submission: unknown };
  comments: Array<{ id: string; text: string; authorName: string; state: string; disposition: { kind: string } | null }>;
  parties: Array<{ key: string; submittedAt: string | null }>;
}

const page = async (app: FastifyInstance, who: Who): Promise<Page> => {
  const response = await api(app, who, 'GET', `/rounds/${roundId}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

/** Both "processes" remember the reader's page before the change. */
const rememberOn = async (who: Who) => Promise.all([page(t.app, who), page(other, who), page(t.app, who), page(other, who)]);

/** Asks until the check holds or a second has passed; the last answer's verdict. */
async function within(app: FastifyInstance, who: Who, check: (body: Page) => boolean): Promise<boolean> {
  const deadline = Date.now() + 1_000;
  for (;;) {
    if (check(await page(app, who))) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The reader's page on both apps satisfies the check: on the app that wrote, at once for the
 * round's own writes (it forgets before answering) or within a second for a person's change (its
 * event is stored after the answer); on the other app within a second.
 */
async function seenOnBoth(who: Who, check: (body: Page) => boolean, what: string, writerAtOnce = true) {
  expect(writerAtOnce ? check(await page(t.app, who)) : await within(t.app, who, check), `${what} (the app that wrote)`).toBe(true);
  expect(await within(other, who, check), `${what} (the other app)`).toBe(true);
}

describe('the round page from memory', () => {
  it('answers 304 to its own ETag, and the same bytes twice', async () => {
    const first = await api(t.app, w.clMember, 'GET', `/rounds/${roundId}`);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await api(t.app, w.clMember, 'GET', `/rounds/${roundId}`);
    expect(again.headers.etag).toBe(etag);
    expect(again.body).toBe(first.body);
    const revalidated = await t.app.inject({ method: 'GET', url: `/api/rounds/${roundId}`, headers: { cookie: w.clMember.cookie, 'if-none-match': etag } });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');
    // Compressed for browsers, the same JSON underneath.
    const compressed = await t.app.inject({ method: 'GET', url: `/api/rounds/${roundId}`, headers: { cookie: w.clMember.cookie, 'accept-encoding': 'gzip' } });
    expect(compressed.headers['content-encoding']).toBe('gzip');
  });

  it('shows a draft to its own delegation at once, and to no other', async () => {
    await rememberOn(w.clMember);
    await rememberOn(w.peFocal);
    const draft = await api(t.app, w.clFocal, 'POST', `/rounds/${roundId}/comments`, { type: 'general', text: 'Borrador de Chile.', anchor: { kind: 'document' } });
    expect(draft.statusCode, draft.body).toBe(201);
    await seenOnBoth(w.clMember, (body) => body.me.drafts === 1 && body.comments.some((comment) => comment.text === 'Borrador de Chile.'), 'the delegation sees its new draft');
    expect((await page(other, w.peFocal)).comments).toEqual([]);

    const edited = await api(t.app, w.clFocal, 'PATCH', `/rounds/${roundId}/comments/${draft.json().comment.id}`, { text: 'Borrador de Chile, corregido.' });
    expect(edited.statusCode, edited.body).toBe(200);
    await seenOnBoth(w.clMember, (body) => body.comments.some((comment) => comment.text === 'Borrador de Chile, corregido.'), 'the delegation sees its edited draft');
  });

  it('shows a submitted comment to other countries', async () => {
    await rememberOn(w.peFocal);
    const submitted = await api(t.app, w.clFocal, 'POST', `/rounds/${roundId}/submission`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    await seenOnBoth(w.peFocal, (body) => body.comments.some((comment) => comment.text === 'Borrador de Chile, corregido.' && comment.state === 'submitted') && body.parties.find((party) => party.key === 'c:cl')?.submittedAt !== null, 'Peru sees Chile’s submitted comment');
  });

  it('shows a renamed author’s new name', async () => {
    await rememberOn(w.peFocal);
    const renamed = await api(t.app, w.clFocal, 'PATCH', '/me', { displayName: 'Claudia Focal Renombrada' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    await seenOnBoth(w.peFocal, (body) => body.comments.some((comment) => comment.authorName === 'Claudia Focal Renombrada'), 'the new name', false);
  });

  it('closes at the deadline with no write, then shows the disposition to the organizers', async () => {
    await rememberOn(w.secretariat);
    now = new Date(now.getTime() + 8 * DAY);
    await seenOnBoth(w.secretariat, (body) => body.round.status === 'closed', 'closed by the clock');
    const commentId = (await page(t.app, w.secretariat)).comments[0]!.id;
    await rememberOn(w.secretariat);
    const disposed = await api(t.app, w.secretariat, 'PUT', `/rounds/${roundId}/comments/${commentId}/disposition`, { kind: 'accepted' });
    expect(disposed.statusCode, disposed.body).toBe(200);
    await seenOnBoth(w.secretariat, (body) => body.comments[0]?.disposition?.kind === 'accepted', 'the organizers see the disposition');
    // Unpublished: the commenting delegation does not see it yet.
    expect((await page(other, w.clMember)).comments[0]?.disposition).toBeNull();
  });
});
