import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentWindow } from '../../../server/features/rounds/views.js';
import { buildTestApp, type TestApp } from '../../helper.js';
import { api, buildRoundsWorld, type RoundsWorld } from './world.js';

/**
 * A round's page carries the comments on the document and on its opening paragraphs; the rest come
 * from GET /api/rounds/:id/comments?after=<block>, a window at a time, as the reader reaches them.
 */

const blocks = ['title', 's1', 's1p1', 's1p2', 's2', 's2p1'].map((id) => ({ id }));
const on = (blockId: string | null, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${blockId}-${i}`, anchor: blockId === null ? { kind: 'document' } : { kind: 'paragraph', blockId } }));

describe('commentWindow', () => {
  it('takes whole blocks in reading order until it has enough, and says where the rest start', () => {
    const comments = [...on('s2p1', 3), ...on('s1p1', 2), ...on(null, 1), ...on('s1p2', 2)];
    const first = commentWindow(comments, blocks, null, 3)!;
    // The document's comment and s1p1's two make three; s1p2's wait.
    expect(first.comments.map((comment) => comment.id)).toEqual(['s1p1-0', 's1p1-1', 'null-0']);
    expect(first.moreComments).toEqual({ after: 's1p1', count: 5 });
    const second = commentWindow(comments, blocks, 's1p1', 3)!;
    // A block is never split: s1p2's two and s2p1's three.
    expect(second.comments.map((comment) => comment.id)).toEqual(['s2p1-0', 's2p1-1', 's2p1-2', 's1p2-0', 's1p2-1']);
    expect(second.moreComments).toBeNull();
  });

  it('carries everything when there are few, and puts comments on blocks the text lacks first', () => {
    const comments = [...on('gone', 1), ...on('s2p1', 2)];
    expect(commentWindow(comments, blocks, null, 40)).toEqual({ comments, moreComments: null });
    // The one on a block the text lacks counts as the document's: it never ends a window by itself.
    expect(commentWindow(comments, blocks, null, 1)).toEqual({ comments, moreComments: null });
    expect(commentWindow(comments, blocks, 'nope', 1)).toBeUndefined();
    expect(commentWindow(comments, blocks, 's2p1', 1)).toEqual({ comments: [], moreComments: null });
  });
});

let t: TestApp;
let w: RoundsWorld;
let roundId = '';

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildRoundsWorld(t.app);
  const opened = await api(t.app, w.secretariat, 'POST', '/rounds', { documentId: w.documentId, version: 1, consulted: { countryIds: ['pe', 'cl'], organizationIds: [] }, deadline: new Date(Date.now() + 7 * 86_400_000).toISOString() });
  expect(opened.statusCode, opened.body).toBe(201);
  roundId = opened.json().round.id;
  const comment = async (anchor: object, text: string) => {
    const response = await api(t.app, w.peFocal, 'POST', `/rounds/${roundId}/comments`, { type: 'general', text, anchor });
    expect(response.statusCode, response.body).toBe(201);
  };
  for (let i = 0; i < 2; i += 1) await comment({ kind: 'document' }, `Sobre todo ${i}`);
  for (let i = 0; i < 25; i += 1) await comment({ kind: 'paragraph', blockId: 's1p1' }, `Introducción ${i}`);
  for (let i = 0; i < 20; i += 1) await comment({ kind: 'paragraph', blockId: 's2p1' }, `Antecedentes ${i}`);
  for (let i = 0; i < 5; i += 1) await comment({ kind: 'paragraph', blockId: 's3.2p2' }, `Métodos ${i}`);
}, 60_000);
afterAll(async () => t?.close());

describe('GET /api/rounds/:id and /comments?after', () => {
  it('gives the opening comments first and the rest after the block it stopped at', async () => {
    const page = await api(t.app, w.peFocal, 'GET', `/rounds/${roundId}`);
    expect(page.statusCode, page.body).toBe(200);
    const first = page.json();
    expect(first.comments).toHaveLength(47);
    expect(first.moreComments).toEqual({ after: 's2p1', count: 5 });
    const later = await api(t.app, w.peFocal, 'GET', `/rounds/${roundId}/comments?after=s2p1`);
    expect(later.statusCode, later.body).toBe(200);
    expect(later.json().moreComments).toBeNull();
    expect(later.json().comments.map((comment: { text: string }) => comment.text)).toEqual([0, 1, 2, 3, 4].map((i) => `Métodos ${i}`));
    // Revalidation, as the page's.
    const again = await t.app.inject({ method: 'GET', url: `/api/rounds/${roundId}/comments?after=s2p1`, headers: { cookie: w.peFocal.cookie, 'if-none-match': later.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });

  it('shows a new comment further on in the later answer', async () => {
    const added = await api(t.app, w.peFocal, 'POST', `/rounds/${roundId}/comments`, { type: 'general', text: 'Métodos nuevo', anchor: { kind: 'paragraph', blockId: 's3.2p1' } });
    expect(added.statusCode, added.body).toBe(201);
    expect((await api(t.app, w.peFocal, 'GET', `/rounds/${roundId}`)).json().moreComments).toEqual({ after: 's2p1', count: 6 });
    const later = (await api(t.app, w.peFocal, 'GET', `/rounds/${roundId}/comments?after=s2p1`)).json();
    expect(later.comments.map((comment: { text: string }) => comment.text)).toContain('Métodos nuevo');
  });

  it('shows a reader only what they may read, and refuses a block the text does not have', async () => {
    // Peru's drafts are Peru's: Chile sees none, in either answer.
    const chile = (await api(t.app, w.clMember, 'GET', `/rounds/${roundId}`)).json();
    expect(chile.comments).toEqual([]);
    expect(chile.moreComments).toBeNull();
    expect((await api(t.app, w.clMember, 'GET', `/rounds/${roundId}/comments?after=s1p1`)).json()).toEqual({ comments: [], moreComments: null });
    const unknown = await api(t.app, w.peFocal, 'GET', `/rounds/${roundId}/comments?after=nope`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('unknown_block');
    expect((await api(t.app, w.mxMember, 'GET', `/rounds/${roundId}/comments?after=s1p1`)).statusCode).toBe(200);
  });
});
