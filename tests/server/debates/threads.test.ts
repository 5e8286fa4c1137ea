import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inAudience, type LiveEvent } from '../../../server/plugins/live/hub.js';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { expectError, openTestDb } from '../support.js';
import { allPosts, api, categoryId, populate, reply, startThread, type People, type Participant, type Post } from './support.js';

let t: TestApp;
let people: People;
let general: string;
let announcements: string;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
  general = await categoryId(t.app, people.member, 'general');
  announcements = await categoryId(t.app, people.member, 'announcements');
});
afterAll(async () => t.close());

describe('categories', () => {
  it('are seeded for the group, in order, with announcements limited to the coordination', async () => {
    const response = await api(t.app, people.member, 'GET', '/categories');
    const items = response.json().items as Array<{ slug: string; startRoles: string[] | null; mayStart: boolean; position: number }>;
    expect(items.map((item) => item.slug)).toEqual([
      'statistical-development',
      'statistical-reconciliation',
      'training',
      'regional-network',
      'financing',
      'general',
      'announcements',
    ]);
    const announcementsItem = items.find((item) => item.slug === 'announcements')!;
    expect(announcementsItem.startRoles).toEqual(['coordinator', 'secretariat']);
    expect(announcementsItem.mayStart).toBe(false);
    expect(items.find((item) => item.slug === 'general')!.mayStart).toBe(true);
  });

  it('enforce who may start threads: a member gets 403 in Announcements, the secretariat may start there', async () => {
    const refused = await api(t.app, people.member, 'POST', '/threads', { categoryId: announcements, title: 'Not for me', body: 'x' });
    expectError(refused, 403, 'forbidden');
    await startThread(t.app, people.secretariat, { categoryId: announcements, title: 'Calendario de reuniones' });
    await startThread(t.app, people.admin, { categoryId: announcements, title: 'Aviso del administrador' });
  });

  it('are managed by administrators, with a unique slug', async () => {
    const created = await api(t.app, people.admin, 'POST', '/categories', { slug: 'censos', nameEs: 'Censos', nameEn: 'Censuses', startRoles: null });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().category).toMatchObject({ slug: 'censos', startRoles: null, threadCount: 0, watchLevel: 'normal' });
    expectError(await api(t.app, people.admin, 'POST', '/categories', { slug: 'censos', nameEs: 'x', nameEn: 'x' }), 409, 'slug_taken');
    const changed = await api(t.app, people.admin, 'PATCH', `/categories/${created.json().category.id}`, { nameEn: 'Population censuses', position: 3 });
    expect(changed.json().category).toMatchObject({ nameEn: 'Population censuses', position: 3 });
  });
});

describe('threads and replies', () => {
  it('validates indicator codes against the official MDG list, and keeps tags and codes', async () => {
    expectError(await api(t.app, people.member, 'POST', '/threads', { categoryId: general, title: 'Bad code', body: 'x', indicatorCodes: ['9.1'] }), 400, 'validation_failed');
    expectError(await api(t.app, people.member, 'POST', '/threads', { categoryId: general, title: 'Bad code', body: 'x', indicatorCodes: ['8.17'] }), 400, 'unknown_indicator');
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Pobreza extrema', tags: ['Pobreza', 'encuestas'], indicatorCodes: ['1.1', '8.16'] });
    const detail = (await api(t.app, people.member, 'GET', `/threads/${thread.id}`)).json().thread;
    expect(detail).toMatchObject({ tags: ['pobreza', 'encuestas'], indicatorCodes: ['1.1', '8.16'], author: { id: people.member.id, handle: 'mara.member', role: 'member', countryId: 'cl' } });
    const byIndicator = (await api(t.app, people.member, 'GET', '/threads?indicator=8.16')).json().items as Array<{ id: string }>;
    expect(byIndicator.map((item) => item.id)).toEqual([thread.id]);
    const byTag = (await api(t.app, people.member, 'GET', '/threads?tag=encuestas')).json().items as Array<{ id: string }>;
    expect(byTag.map((item) => item.id)).toEqual([thread.id]);
  });

  it('nest replies and serve both views, page by page, in the documented order', async () => {
    const { thread, post: opening } = await startThread(t.app, people.member, { categoryId: general, title: 'Tree' });
    const a = await reply(t.app, people.otherMember, thread.id, 'A');
    const b = await reply(t.app, people.coordinator, thread.id, 'B');
    const a1 = await reply(t.app, people.member, thread.id, 'A1', a.id);
    const a1a = await reply(t.app, people.observer, thread.id, 'A1a', a1.id);
    const a2 = await reply(t.app, people.secretariat, thread.id, 'A2', a.id);
    const b1 = await reply(t.app, people.otherMember, thread.id, 'B1', b.id);

    expect(a).toMatchObject({ seq: 2, depth: 1, parentId: opening.id });
    expect(a1a).toMatchObject({ depth: 3, parentId: a1.id, inReplyTo: { postId: a1.id, authorName: 'Mara Member' } });

    const tree = [opening.id, a.id, a1.id, a1a.id, a2.id, b.id, b1.id];
    const chronological = [opening.id, a.id, b.id, a1.id, a1a.id, a2.id, b1.id];
    for (const limit of [1, 2, 3, 100]) {
      expect((await allPosts(t.app, people.observer, thread.id, 'tree', limit)).map((post) => post.id)).toEqual(tree);
      expect((await allPosts(t.app, people.observer, thread.id, 'chronological', limit)).map((post) => post.id)).toEqual(chronological);
    }
    expect((await allPosts(t.app, people.observer, thread.id, 'tree')).map((post) => post.depth)).toEqual([0, 1, 2, 3, 2, 1, 2]);

    const first = await api(t.app, people.member, 'GET', `/threads/${thread.id}/posts?view=tree&limit=2`);
    expectError(await api(t.app, people.member, 'GET', `/threads/${thread.id}/posts?view=chronological&cursor=${first.json().nextCursor}`), 400, 'invalid_cursor');
    expectError(await api(t.app, people.member, 'POST', `/threads/${thread.id}/posts`, { body: 'x', parentId: 'no-such-post' }), 400, 'unknown_parent');
  });

  it('lists threads pinned first, then by last activity, with reply counts and participating countries', async () => {
    const older = await startThread(t.app, people.member, { categoryId: general, title: 'Older' });
    const newer = await startThread(t.app, people.member, { categoryId: general, title: 'Newer' });
    await reply(t.app, people.otherMember, older.thread.id, 'Revives the older thread');
    const pinned = await startThread(t.app, people.member, { categoryId: general, title: 'Pinned' });
    expect((await api(t.app, people.coordinator, 'POST', `/threads/${pinned.thread.id}/pin`, {})).statusCode).toBe(200);
    await reply(t.app, people.member, newer.thread.id, 'Newer is now the latest');

    const items = (await api(t.app, people.observer, 'GET', `/threads?categoryId=${general}&limit=50`)).json().items as Array<{ id: string; pinned: boolean; replyCount: number; participatingCountries: string[] }>;
    const ids = items.map((item) => item.id);
    expect(ids[0]).toBe(pinned.thread.id);
    expect(ids.indexOf(newer.thread.id)).toBeLessThan(ids.indexOf(older.thread.id));
    expect(items.find((item) => item.id === older.thread.id)).toMatchObject({ replyCount: 1, participatingCountries: ['cl', 'mx'] });

    // Paging walks the same order without repeats or gaps.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await api(t.app, people.observer, 'GET', `/threads?categoryId=${general}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...response.json().items.map((item: { id: string }) => item.id));
      cursor = response.json().nextCursor;
    } while (cursor);
    expect(paged).toEqual(ids);
  });

  it('answers If-None-Match with 304 until the thread changes', async () => {
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Cached' });
    const url = `/api/threads/${thread.id}/posts?view=tree`;
    const first = await request(t.app, { url, cookie: people.observer.cookie });
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    expect((await request(t.app, { url, cookie: people.observer.cookie, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    // Another viewer's flags differ, so their tag differs.
    expect((await request(t.app, { url, cookie: people.member.cookie })).headers.etag).not.toBe(etag);
    await reply(t.app, people.otherMember, thread.id, 'A change');
    const after = await request(t.app, { url, cookie: people.observer.cookie, headers: { 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(after.json().items).toHaveLength(2);
  });

  it('compresses the page for clients that accept br or gzip, with the same content and ETag', async () => {
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Compressed', body: 'La **cifra** nacional. '.repeat(40) });
    await reply(t.app, people.otherMember, thread.id, 'Otra cifra. '.repeat(40));
    const url = `/api/threads/${thread.id}/posts?view=tree`;
    const plain = await request(t.app, { url, cookie: people.observer.cookie });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toContain('accept-encoding');
    for (const [accept, encoding, decode] of [
      ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
      ['gzip;q=1, identity;q=0.5', 'gzip', gunzipSync],
    ] as const) {
      const packed = await request(t.app, { url, cookie: people.observer.cookie, headers: { 'accept-encoding': accept } });
      expect(packed.statusCode).toBe(200);
      expect(packed.headers['content-encoding']).toBe(encoding);
      expect(packed.headers.etag).toBe(plain.headers.etag);
      expect(packed.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
      expect(JSON.parse(decode(packed.rawPayload).toString('utf8'))).toEqual(plain.json());
    }
  });

  it('refuses replies from members in a locked thread (409) but not from moderators', async () => {
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'To be locked' });
    expect((await api(t.app, people.coordinator, 'POST', `/threads/${thread.id}/lock`, {})).json().thread.locked).toBe(true);
    expectError(await api(t.app, people.member, 'POST', `/threads/${thread.id}/posts`, { body: 'Too late' }), 409, 'thread_locked');
    expectError(await api(t.app, people.observer, 'POST', `/threads/${thread.id}/posts`, { body: 'Too late' }), 409, 'thread_locked');
    await reply(t.app, people.coordinator, thread.id, 'Closing note');
    await reply(t.app, people.admin, thread.id, 'Admin note');
    await api(t.app, people.coordinator, 'POST', `/threads/${thread.id}/unlock`, {});
    await reply(t.app, people.member, thread.id, 'Open again');
  });
});

describe('editing', () => {
  it('keeps every version: revisions oldest first, the current text last', async () => {
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Edits' });
    const post = await reply(t.app, people.member, thread.id, 'Version **one**');
    await api(t.app, people.member, 'PATCH', `/posts/${post.id}`, { body: 'Version two' });
    const edited = await api(t.app, people.member, 'PATCH', `/posts/${post.id}`, { body: 'Version three' });
    expect(edited.json().post).toMatchObject({ revisionCount: 2, html: '<p>Version three</p>\n' });
    expect(edited.json().post.editedAt).not.toBeNull();
    const revisions = (await api(t.app, people.observer, 'GET', `/posts/${post.id}/revisions`)).json().items as Array<{ number: number; html: string; editor: { id: string } }>;
    expect(revisions.map((revision) => [revision.number, revision.html.trim()])).toEqual([
      [1, '<p>Version <strong>one</strong></p>'],
      [2, '<p>Version two</p>'],
      [3, '<p>Version three</p>'],
    ]);
    expect(revisions.every((revision) => revision.editor.id === people.member.id)).toBe(true);
    expect((await api(t.app, people.member, 'GET', `/posts/${post.id}/source`)).json().body).toBe('Version three');
    expectError(await api(t.app, people.otherMember, 'GET', `/posts/${post.id}/source`), 403, 'forbidden');
    expect((await api(t.app, people.coordinator, 'GET', `/posts/${post.id}/source`)).statusCode).toBe(200);
  });

  it('lets a thread\'s author, not only moderators, change its title and tags', async () => {
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'First title', tags: ['uno'] });
    const changed = await api(t.app, people.member, 'PATCH', `/threads/${thread.id}`, { title: 'Better title', tags: ['dos'] });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().thread).toMatchObject({ title: 'Better title', tags: ['dos'] });
    expectError(await api(t.app, people.otherMember, 'PATCH', `/threads/${thread.id}`, { title: 'Not mine' }), 403, 'forbidden');
  });

  it('lets people +1 others\' posts, not their own, and lists who agreed', async () => {
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Agreement' });
    const post = await reply(t.app, people.member, thread.id, 'Agree with me');
    expect((await api(t.app, people.otherMember, 'PUT', `/posts/${post.id}/agreement`, {})).json()).toEqual({ agreeCount: 1, agreedByMe: true });
    expect((await api(t.app, people.otherMember, 'PUT', `/posts/${post.id}/agreement`, {})).json()).toEqual({ agreeCount: 1, agreedByMe: true });
    expect((await api(t.app, people.observer, 'PUT', `/posts/${post.id}/agreement`, {})).json().agreeCount).toBe(2);
    expectError(await api(t.app, people.member, 'PUT', `/posts/${post.id}/agreement`, {}), 403, 'forbidden');
    const page = await allPosts(t.app, people.otherMember, thread.id, 'chronological');
    expect(page.find((item) => item.id === post.id)).toMatchObject({ agreeCount: 2, agreedByMe: true });
    expect((await allPosts(t.app, people.coordinator, thread.id, 'chronological')).find((item) => item.id === post.id)!.agreedByMe).toBe(false);
    const who = (await api(t.app, people.member, 'GET', `/posts/${post.id}/agreements`)).json().items as Array<{ id: string }>;
    expect(who.map((person) => person.id)).toEqual([people.otherMember.id, people.observer.id]);
    expect((await api(t.app, people.observer, 'DELETE', `/posts/${post.id}/agreement`)).json()).toEqual({ agreeCount: 1, agreedByMe: false });
  });
});

describe('withdrawn and hidden posts', () => {
  const seenBy = async (who: Participant, threadId: string, postId: string) => (await allPosts(t.app, who, threadId, 'tree')).find((post) => post.id === postId)!;

  it('shows a hidden post\'s text and reason to moderators and its author only', async () => {
    const { thread } = await startThread(t.app, people.otherMember, { categoryId: general, title: 'Moderation' });
    const post = await reply(t.app, people.member, thread.id, 'Something out of place');
    const hidden = await api(t.app, people.coordinator, 'POST', `/posts/${post.id}/hide`, { reason: 'Off topic' });
    expect(hidden.json().post).toMatchObject({ state: 'hidden', hiddenReason: 'Off topic', mayModerate: true });

    const full = { state: 'hidden', hiddenReason: 'Off topic', html: '<p>Something out of place</p>\n' };
    const redacted = { state: 'hidden', hiddenReason: null, html: null };
    expect(await seenBy(people.member, thread.id, post.id)).toMatchObject({ ...full, mayEdit: true });
    expect(await seenBy(people.admin, thread.id, post.id)).toMatchObject(full);
    expect(await seenBy(people.coordinator, thread.id, post.id)).toMatchObject(full);
    expect(await seenBy(people.otherMember, thread.id, post.id)).toMatchObject(redacted);
    expect(await seenBy(people.observer, thread.id, post.id)).toMatchObject(redacted);
    expect(await seenBy(people.secretariat, thread.id, post.id)).toMatchObject(redacted);
    expectError(await api(t.app, people.observer, 'GET', `/posts/${post.id}/revisions`), 403, 'forbidden');
    expect((await api(t.app, people.member, 'GET', `/posts/${post.id}/revisions`)).statusCode).toBe(200);

    await api(t.app, people.admin, 'POST', `/posts/${post.id}/unhide`, {});
    expect(await seenBy(people.observer, thread.id, post.id)).toMatchObject({ state: 'visible', html: '<p>Something out of place</p>\n' });
  });

  it('keeps a withdrawn post in place, without its text, for everyone', async () => {
    const { thread } = await startThread(t.app, people.otherMember, { categoryId: general, title: 'Withdrawal' });
    const post = await reply(t.app, people.member, thread.id, 'I take this back');
    const child = await reply(t.app, people.otherMember, thread.id, 'An answer to it', post.id);
    expectError(await api(t.app, people.otherMember, 'POST', `/posts/${post.id}/withdraw`, {}), 403, 'forbidden');
    expectError(await api(t.app, people.coordinator, 'POST', `/posts/${post.id}/withdraw`, {}), 403, 'forbidden');
    expect((await api(t.app, people.member, 'POST', `/posts/${post.id}/withdraw`, {})).json().post).toMatchObject({ state: 'withdrawn', html: null, mayEdit: false });
    for (const who of [people.member, people.admin, people.coordinator, people.otherMember, people.observer]) {
      expect(await seenBy(who, thread.id, post.id)).toMatchObject({ state: 'withdrawn', html: null });
    }
    expect((await allPosts(t.app, people.observer, thread.id, 'tree')).map((item) => item.id)).toEqual([expect.any(String), post.id, child.id]);
    expectError(await api(t.app, people.member, 'PATCH', `/posts/${post.id}`, { body: 'again' }), 403, 'forbidden');
    expectError(await api(t.app, people.coordinator, 'POST', `/posts/${post.id}/hide`, { reason: 'x' }), 409, 'post_withdrawn');
  });

  it('gives nobody the source of a withdrawn post, not its author nor a moderator', async () => {
    const { thread } = await startThread(t.app, people.otherMember, { categoryId: general, title: 'Withdrawn source' });
    const post = await reply(t.app, people.member, thread.id, 'Words to take back');
    expect((await api(t.app, people.member, 'GET', `/posts/${post.id}/source`)).json()).toEqual({ body: 'Words to take back' });
    await api(t.app, people.member, 'POST', `/posts/${post.id}/withdraw`, {});
    for (const who of [people.member, people.coordinator, people.admin]) {
      expectError(await api(t.app, who, 'GET', `/posts/${post.id}/source`), 403, 'forbidden');
    }
    expectError(await api(t.app, people.admin, 'GET', `/posts/${post.id}/revisions`), 403, 'forbidden');
  });

  it('takes no +1 on a hidden or withdrawn post, and keeps the ones given before', async () => {
    const { thread } = await startThread(t.app, people.otherMember, { categoryId: general, title: 'Agreeing with the hidden' });
    const hidden = await reply(t.app, people.member, thread.id, 'To be hidden');
    const withdrawn = await reply(t.app, people.member, thread.id, 'To be withdrawn');
    expect((await api(t.app, people.observer, 'PUT', `/posts/${hidden.id}/agreement`, {})).json()).toEqual({ agreeCount: 1, agreedByMe: true });
    await api(t.app, people.coordinator, 'POST', `/posts/${hidden.id}/hide`, { reason: 'Private data' });
    await api(t.app, people.member, 'POST', `/posts/${withdrawn.id}/withdraw`, {});
    for (const post of [hidden, withdrawn]) {
      // Moderators see a hidden post's text, and still may not +1 it.
      for (const who of [people.otherMember, people.coordinator]) expectError(await api(t.app, who, 'PUT', `/posts/${post.id}/agreement`, {}), 409, 'post_not_visible');
    }
    // The author is refused as the author, whatever the state.
    expectError(await api(t.app, people.member, 'PUT', `/posts/${hidden.id}/agreement`, {}), 403, 'forbidden');
    const who = (await api(t.app, people.coordinator, 'GET', `/posts/${hidden.id}/agreements`)).json().items as Array<{ id: string }>;
    expect(who.map((person) => person.id)).toEqual([people.observer.id]);
    expect((await api(t.app, people.observer, 'GET', `/posts/${withdrawn.id}/agreements`)).json().items).toEqual([]);
  });

  it('publishes a hidden post redacted to everyone and in full only to moderators and its author', async () => {
    const { thread } = await startThread(t.app, people.otherMember, { categoryId: general, title: 'Live moderation' });
    const post = await reply(t.app, people.member, thread.id, 'Secret words');
    const events: LiveEvent[] = [];
    const unsubscribe = t.app.liveHub.subscribe(`thread:${thread.id}`, (event) => events.push(event));
    try {
      await api(t.app, people.coordinator, 'POST', `/posts/${post.id}/hide`, { reason: 'Private data' });
      await reply(t.app, people.coordinator, thread.id, 'A visible note');
    } finally {
      unsubscribe();
    }
    const updates = events.filter((event) => event.type === 'post.updated');
    expect(updates.length).toBe(2);
    for (const event of events) {
      const payload = event.payload as { post?: Post };
      if (payload.post?.html?.includes('Secret words')) {
        expect(event.audience).toEqual({ roles: ['admin', 'coordinator'], userIds: [people.member.id] });
      }
    }
    const delivered = (who: { id: string; role: 'admin' | 'coordinator' | 'member' | 'observer' }) =>
      events.filter((event) => inAudience(who, event.audience)).map((event) => JSON.stringify(event.payload));
    for (const outsider of [{ id: people.otherMember.id, role: 'member' as const }, { id: people.observer.id, role: 'observer' as const }]) {
      const seen = delivered(outsider);
      expect(seen.some((payload) => payload.includes('Secret words') || payload.includes('Private data'))).toBe(false);
      expect(seen.some((payload) => payload.includes(post.id))).toBe(true);
    }
    expect(delivered({ id: people.member.id, role: 'member' }).some((payload) => payload.includes('Secret words'))).toBe(true);
    expect(delivered({ id: people.admin.id, role: 'admin' }).some((payload) => payload.includes('Private data'))).toBe(true);
    expect(events.find((event) => event.type === 'post.created')!.audience).toBeUndefined();
  });

  it('takes a hidden or withdrawn post out of the events kept for replay, notifications included', async () => {
    const { thread } = await startThread(t.app, people.otherMember, { categoryId: general, title: 'Replay after moderation' });
    const before = t.app.liveHub.latestId!();
    const hidden = await reply(t.app, people.member, thread.id, 'Cifras confidenciales del censo');
    await api(t.app, people.member, 'PATCH', `/posts/${hidden.id}`, { body: 'Cifras confidenciales del censo, corregidas' });
    const withdrawn = await reply(t.app, people.member, thread.id, 'Texto que retiro después');
    await api(t.app, people.coordinator, 'POST', `/posts/${hidden.id}/hide`, { reason: 'Datos personales' });
    await api(t.app, people.member, 'POST', `/posts/${withdrawn.id}/withdraw`, {});

    const replayed = async (topic: string) => JSON.stringify(await t.app.liveHub.replay([topic], before, 1000));
    const forEveryone = (await t.app.liveHub.replay([`thread:${thread.id}`], before, 1000)).filter((event) => event.audience === undefined);
    expect(forEveryone.filter((event) => event.type === 'post.created').map((event) => (event.payload as { post: Post }).post.id)).toEqual([hidden.id, withdrawn.id]);
    expect(JSON.stringify(forEveryone)).not.toMatch(/confidenciales|retiro/);
    // The thread's author was told of both replies; the excerpts are gone from the stored events too.
    const told = await replayed(`user:${people.otherMember.id}`);
    expect(told).toContain(hidden.id);
    expect(told).not.toMatch(/confidenciales|retiro/);
    // Moderators and the author still get the hidden text, through the events addressed to them.
    const forModerators = (await t.app.liveHub.replay([`thread:${thread.id}`], before, 1000)).filter((event) => event.audience !== undefined);
    expect(JSON.stringify(forModerators)).toContain('corregidas');
    expect(JSON.stringify(forModerators)).not.toContain('retiro');
  });

  it('stores a change and its live event in one commit: no event, no change', async () => {
    const { thread } = await startThread(t.app, people.otherMember, { categoryId: general, title: 'Outbox' });
    const post = await reply(t.app, people.member, thread.id, 'Texto original');
    const db = openTestDb(t);
    // The event store refuses post updates for a moment, as a full disk would.
    if (db.kind === 'postgres') {
      await db
        .prepare({
          sqlite: '',
          postgres: "create function refuse_post_events() returns trigger language plpgsql as $$ begin raise exception 'events unavailable'; end $$",
        })
        .run();
    }
    await db
      .prepare({
        sqlite: "create trigger refuse_post_events before insert on live_events when new.type in ('post.updated', 'agreement.changed') begin select raise(abort, 'events unavailable'); end",
        postgres: "create trigger refuse_post_events before insert on live_events for each row when (new.type in ('post.updated', 'agreement.changed')) execute function refuse_post_events()",
      })
      .run();
    try {
      expect((await api(t.app, people.coordinator, 'POST', `/posts/${post.id}/hide`, { reason: 'x' })).statusCode).toBe(500);
      expect((await api(t.app, people.member, 'PATCH', `/posts/${post.id}`, { body: 'Texto cambiado' })).statusCode).toBe(500);
      expect((await api(t.app, people.otherMember, 'PUT', `/posts/${post.id}/agreement`, {})).statusCode).toBe(500);
    } finally {
      await db.prepare({ sqlite: 'drop trigger refuse_post_events', postgres: 'drop trigger refuse_post_events on live_events' }).run();
      if (db.kind === 'postgres') await db.prepare({ sqlite: '', postgres: 'drop function refuse_post_events()' }).run();
      await db.close();
    }
    const after = (await allPosts(t.app, people.observer, thread.id, 'chronological')).find((item) => item.id === post.id)!;
    expect(after).toMatchObject({ state: 'visible', revisionCount: 0, agreeCount: 0 });
    expect(after.html).toContain('Texto original');
    // And once events can be stored again, the same changes go through with their events.
    expect((await api(t.app, people.coordinator, 'POST', `/posts/${post.id}/hide`, { reason: 'x' })).statusCode).toBe(200);
  });
});

describe('live topics', () => {
  it('let a participant read threads and the group of their own group only', async () => {
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Topics' });
    const me = (await api(t.app, people.observer, 'GET', '/me')).json().user;
    const user = { id: me.id, email: me.email, displayName: me.displayName, locale: 'es', timeZone: 'UTC', groupId: me.groupId, groupSlug: me.groupSlug, groupName: me.groupName, role: 'observer' as const, countryId: null, organizationId: 'unicef', instanceAdmin: false };
    expect(await t.app.liveTopics.mayRead(user, `thread:${thread.id}`)).toBe(true);
    expect(await t.app.liveTopics.mayRead(user, 'thread:no-such-thread')).toBe(false);
    expect(await t.app.liveTopics.mayRead(user, `group:${me.groupId}`)).toBe(true);
    expect(await t.app.liveTopics.mayRead(user, 'group:another-group')).toBe(false);
    expect(await t.app.liveTopics.mayRead({ ...user, groupId: 'another-group' }, `thread:${thread.id}`)).toBe(false);
  });

  it('announce new threads, activity and changes on the group topic, after the write', async () => {
    const me = (await api(t.app, people.observer, 'GET', '/me')).json().user;
    const events: LiveEvent[] = [];
    const unsubscribe = t.app.liveHub.subscribe(`group:${me.groupId}`, (event) => events.push(event));
    try {
      const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Announced' });
      await reply(t.app, people.otherMember, thread.id, 'Activity');
      await api(t.app, people.coordinator, 'POST', `/threads/${thread.id}/lock`, {});
      expect(events.map((event) => event.type)).toEqual(['thread.created', 'thread.activity', 'thread.updated']);
      expect(events[0]!.payload).toMatchObject({ thread: { id: thread.id, title: 'Announced', unreadCount: 1, watchLevel: 'normal' } });
      expect(events[1]!.payload).toMatchObject({ threadId: thread.id, replyCount: 1, participatingCountries: ['cl', 'mx'] });
      expect(events[2]!.payload).toMatchObject({ thread: { id: thread.id, locked: true } });
    } finally {
      unsubscribe();
    }
  });
});

describe('who may do what, by role', () => {
  type Who = 'admin' | 'coordinator' | 'secretariat' | 'member' | 'observer';
  const ROLES: Who[] = ['admin', 'coordinator', 'secretariat', 'member', 'observer'];
  const as = (who: Who): Participant => (who === 'member' ? people.otherMember : people[who]);

  // The target thread and post belong to Mara (a member); "member" below is another member.
  const ACTIONS: Array<{ name: string; allowed: Who[]; run: (who: Participant, target: { threadId: string; postId: string }, n: number) => Promise<{ statusCode: number; body: string }> }> = [
    { name: 'edit someone else\'s post', allowed: [], run: (who, x) => api(t.app, who, 'PATCH', `/posts/${x.postId}`, { body: 'changed' }) },
    { name: 'withdraw someone else\'s post', allowed: [], run: (who, x) => api(t.app, who, 'POST', `/posts/${x.postId}/withdraw`, {}) },
    { name: 'read someone else\'s source', allowed: ['admin', 'coordinator'], run: (who, x) => api(t.app, who, 'GET', `/posts/${x.postId}/source`) },
    { name: 'hide a post', allowed: ['admin', 'coordinator'], run: (who, x) => api(t.app, who, 'POST', `/posts/${x.postId}/hide`, { reason: 'test' }) },
    { name: 'unhide a post', allowed: ['admin', 'coordinator'], run: (who, x) => api(t.app, who, 'POST', `/posts/${x.postId}/unhide`, {}) },
    { name: 'lock a thread', allowed: ['admin', 'coordinator'], run: (who, x) => api(t.app, who, 'POST', `/threads/${x.threadId}/lock`, {}) },
    { name: 'pin a thread', allowed: ['admin', 'coordinator'], run: (who, x) => api(t.app, who, 'POST', `/threads/${x.threadId}/pin`, {}) },
    { name: 'move a thread', allowed: ['admin', 'coordinator'], run: (who, x) => api(t.app, who, 'POST', `/threads/${x.threadId}/move`, { categoryId: general }) },
    { name: 'retitle someone else\'s thread', allowed: ['admin', 'coordinator'], run: (who, x) => api(t.app, who, 'PATCH', `/threads/${x.threadId}`, { title: 'Retitled' }) },
    { name: 'create a category', allowed: ['admin'], run: (who, _x, n) => api(t.app, who, 'POST', '/categories', { slug: `cat-${n}`, nameEs: 'C', nameEn: 'C' }) },
    { name: 'change a category', allowed: ['admin'], run: (who) => api(t.app, who, 'PATCH', `/categories/${general}`, { descriptionEn: 'General topics' }) },
    { name: 'start in Announcements', allowed: ['admin', 'coordinator', 'secretariat'], run: (who) => api(t.app, who, 'POST', '/threads', { categoryId: announcements, title: 'Notice', body: 'x' }) },
    { name: 'start in General', allowed: ROLES, run: (who) => api(t.app, who, 'POST', '/threads', { categoryId: general, title: 'Topic', body: 'x' }) },
  ];

  let n = 0;
  for (const action of ACTIONS) {
    it(`${action.name}: ${action.allowed.join(', ') || 'nobody but the author'}`, async () => {
      const outcomes: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const who of ROLES) {
        const { thread, post } = await startThread(t.app, people.member, { categoryId: general, title: 'Target' });
        // unhide needs a hidden post
        if (action.name === 'unhide a post') await api(t.app, people.admin, 'POST', `/posts/${post.id}/hide`, { reason: 'setup' });
        const response = await action.run(as(who), { threadId: thread.id, postId: post.id }, n++);
        outcomes[who] = response.statusCode < 300 ? 'allowed' : String(response.statusCode);
        expected[who] = action.allowed.includes(who) ? 'allowed' : '403';
      }
      expect(outcomes).toEqual(expected);
    });
  }
});
