import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helper.js';
import { allPosts, api, categoryId, populate, reply, startThread, type People } from './support.js';

/**
 * Edits of one post that arrive together (two tabs, a double submit, a slow network's retry):
 * found by the soak (bench/soak.ts), where two edits in flight at once answered 500. Each must be
 * kept, in the order they were written, with no version lost.
 */
let t: TestApp;
let people: People;
let threadId: string;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
  threadId = (await startThread(t.app, people.member, { categoryId: await categoryId(t.app, people.member, 'general'), title: 'Serie de mortalidad' })).thread.id;
});
afterAll(async () => t.close());

describe('edits of the same post at the same time', () => {
  it('are all kept, none refused, every earlier text a revision', async () => {
    const post = await reply(t.app, people.member, threadId, 'Versión 0');
    const texts = ['Versión 1', 'Versión 2', 'Versión 3', 'Versión 4'];
    const answers = await Promise.all(texts.map((body) => api(t.app, people.member, 'PATCH', `/posts/${post.id}`, { body })));
    expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body).join('\n')).toEqual([200, 200, 200, 200]);

    const revisions = (await api(t.app, people.member, 'GET', `/posts/${post.id}/revisions`)).json().items as Array<{ number: number; html: string }>;
    const versions = revisions.map((revision) => revision.html.replace(/<\/?p>/g, '').trim());
    // Five versions, the original first; the current text is the one written last.
    expect(revisions.map((revision) => revision.number)).toEqual([1, 2, 3, 4, 5]);
    expect(versions[0]).toBe('Versión 0');
    expect([...versions].sort()).toEqual(['Versión 0', ...texts]);
    const current = (await api(t.app, people.member, 'GET', `/posts/${post.id}/source`)).json().body;
    expect(current).toBe(versions[4]);
  });
});

describe('replies to the same thread at the same time', () => {
  it('are all kept, each with its own place in the thread', async () => {
    const thread = (await startThread(t.app, people.member, { categoryId: await categoryId(t.app, people.member, 'general'), title: 'Respuestas simultáneas' })).thread.id;
    const bodies = ['Primera', 'Segunda', 'Tercera', 'Cuarta', 'Quinta', 'Sexta'];
    const answers = await Promise.all(bodies.map((body) => api(t.app, people.member, 'POST', `/threads/${thread}/posts`, { body })));
    expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body).join('\n')).toEqual(bodies.map(() => 201));
    const seqs = answers.map((answer) => answer.json().post.seq as number).sort((a, b) => a - b);
    // The opening post is 1; the six replies take 2 to 7, none twice.
    expect(seqs).toEqual([2, 3, 4, 5, 6, 7]);
    const posts = await allPosts(t.app, people.member, thread, 'chronological');
    expect(posts.map((post) => post.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
