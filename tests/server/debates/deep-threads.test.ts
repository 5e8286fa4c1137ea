import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helper.js';
import { expectError } from '../support.js';
import { api, categoryId, populate, reply, startThread, type People, type Post } from './support.js';

/**
 * A reply chain deeper than anyone writes by hand, yet easy to reach by answering the last reply
 * over months: the tree view must page through it with cursors that stay short.
 */

const CHAIN = 320;
/** Far below the query's own limit on a cursor: a cursor's size must not grow with the thread. */
const SHORT = 100;

let t: TestApp;
let people: People;
let threadId: string;
/** Every post's id with its parent's, in the order written. */
const written: Array<{ id: string; parentId: string | null }> = [];

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
  const general = await categoryId(t.app, people.member, 'general');
  const started = await startThread(t.app, people.member, { categoryId: general, title: 'Una cadena larga' });
  threadId = started.thread.id;
  written.push({ id: started.post.id, parentId: null });
  // One long chain, each reply answering the previous one, with a side reply every 40 levels so
  // the tree's order (depth-first) differs from the order of writing.
  let parent = started.post.id;
  for (let level = 1; level <= CHAIN; level += 1) {
    const author = level % 2 === 0 ? people.member : people.otherMember;
    const post = await reply(t.app, author, threadId, `Nivel ${level}`, parent);
    written.push({ id: post.id, parentId: parent });
    if (level % 40 === 0) {
      const side = await reply(t.app, people.observer, threadId, `Al margen del nivel ${level}`, parent);
      written.push({ id: side.id, parentId: parent });
    }
    parent = post.id;
  }
}, 120_000);
afterAll(async () => t.close());

/** Depth-first pre-order, children in the order written: computed here from what the test wrote. */
function expectedTree(): string[] {
  const children = new Map<string | null, string[]>();
  for (const post of written) children.set(post.parentId, [...(children.get(post.parentId) ?? []), post.id]);
  const order: string[] = [];
  const visit = (id: string) => {
    order.push(id);
    for (const child of children.get(id) ?? []) visit(child);
  };
  // Iteration would do, but the chain is only a few hundred deep.
  visit(children.get(null)![0]!);
  return order;
}

async function pageThrough(view: 'tree' | 'chronological', limit: number) {
  const seen: Post[] = [];
  const cursors: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page += 1) {
    const query = `view=${view}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await api(t.app, people.member, 'GET', `/threads/${threadId}/posts?${query}`);
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    seen.push(...(response.json().items as Post[]));
    cursor = response.json().nextCursor;
    if (cursor === null) break;
    cursors.push(cursor);
  }
  return { seen, cursors };
}

describe('a reply chain over 300 deep', () => {
  it('pages to its end in the tree view, every post once, in depth-first order, with short cursors', async () => {
    const { seen, cursors } = await pageThrough('tree', 25);
    expect(seen.map((post) => post.id)).toEqual(expectedTree());
    expect(new Set(seen.map((post) => post.id)).size).toBe(written.length);
    expect(Math.max(...seen.map((post) => post.depth))).toBe(CHAIN);
    expect(cursors.length).toBeGreaterThan(10);
    expect(cursors.filter((cursor) => cursor.length > SHORT)).toEqual([]);
  });

  it('pages the same way one post at a time where the chain is deepest', async () => {
    // Pages of 100 down to the bottom of the chain, then a single post at a time there.
    const first = await api(t.app, people.member, 'GET', `/threads/${threadId}/posts?view=tree&limit=100`);
    let cursor: string | null = first.json().nextCursor;
    const seen: string[] = first.json().items.map((post: Post) => post.id);
    while (cursor !== null) {
      expect(cursor.length).toBeLessThanOrEqual(SHORT);
      const response = await api(t.app, people.member, 'GET', `/threads/${threadId}/posts?view=tree&limit=${seen.length > 280 ? 1 : 100}&cursor=${encodeURIComponent(cursor)}`);
      expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
      seen.push(...response.json().items.map((post: Post) => post.id));
      cursor = response.json().nextCursor;
    }
    expect(seen).toEqual(expectedTree());
  });

  it('pages the chronological view too, in the order written', async () => {
    const { seen, cursors } = await pageThrough('chronological', 50);
    expect(seen.map((post) => post.id)).toEqual(written.map((post) => post.id));
    expect(cursors.filter((cursor) => cursor.length > SHORT)).toEqual([]);
  });

  it('refuses a cursor it did not give, or one of the other view, with 400', async () => {
    const tree = (await api(t.app, people.member, 'GET', `/threads/${threadId}/posts?view=tree&limit=5`)).json().nextCursor as string;
    const chronological = (await api(t.app, people.member, 'GET', `/threads/${threadId}/posts?view=chronological&limit=5`)).json().nextCursor as string;
    expectError(await api(t.app, people.member, 'GET', `/threads/${threadId}/posts?view=chronological&cursor=${tree}`), 400, 'invalid_cursor');
    expectError(await api(t.app, people.member, 'GET', `/threads/${threadId}/posts?view=tree&cursor=${chronological}`), 400, 'invalid_cursor');
    for (const forged of ['not-base64-json', Buffer.from('{"tree":99999}').toString('base64url'), Buffer.from('"000001"').toString('base64url'), Buffer.from('{"tree":"1"}').toString('base64url')]) {
      expectError(await api(t.app, people.member, 'GET', `/threads/${threadId}/posts?view=tree&cursor=${forged}`), 400, 'invalid_cursor');
    }
    // Another thread's cursor names no post of this one.
    const general = await categoryId(t.app, people.member, 'general');
    const other = await startThread(t.app, people.member, { categoryId: general, title: 'Otro hilo' });
    for (let i = 0; i < 3; i += 1) await reply(t.app, people.member, other.thread.id, `Respuesta ${i}`);
    const foreign = (await api(t.app, people.member, 'GET', `/threads/${threadId}/posts?view=tree&limit=50`)).json().nextCursor as string;
    expectError(await api(t.app, people.member, 'GET', `/threads/${other.thread.id}/posts?view=tree&cursor=${foreign}`), 400, 'invalid_cursor');
  });
});
