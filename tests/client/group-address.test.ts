import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isInstancePath } from '../../client/app/features.js';
import { groupAddress, groupHome, inGroup, isGroupSlug, setRequestGroup, splitGroupPath } from '../../client/app/group-address.js';
import { keepInGroup } from '../../client/app/group-links.js';
import type { AppNotification } from '../../client/app/notifications.js';
import { notificationHref, registerNotificationKind } from '../../client/features/notifications/kinds.js';
import { suggestSlug } from '../../client/features/instance/slug.js';

/**
 * Working-group addresses in the browser (issue 19): every group page is also at
 * `/g/<slug>/<path>`, the app's links and navigations keep the page's group, the instance's own
 * pages (sign-in, set-up, mailed links, the instance's groups) and the API's addresses never get
 * one, every API call and the live channel name the page's group, and a notification opens in
 * its own group.
 */

describe('group addresses', () => {
  it('split a pathname into its group and the page path', () => {
    expect(splitGroupPath('/debates/t/1')).toEqual({ slug: null, path: '/debates/t/1' });
    expect(splitGroupPath('/g/censos/debates/t/1')).toEqual({ slug: 'censos', path: '/debates/t/1' });
    expect(splitGroupPath('/g/censos/')).toEqual({ slug: 'censos', path: '/' });
    expect(splitGroupPath('/g/censos')).toEqual({ slug: 'censos', path: '/' });
    expect(splitGroupPath('/g/')).toEqual({ slug: null, path: '/g/' });
    expect(splitGroupPath('/')).toEqual({ slug: null, path: '/' });
  });

  it('put a path in a group, keeping its query and fragment', () => {
    expect(inGroup('/debates?page=2#top', 'censos')).toBe('/g/censos/debates?page=2#top');
    expect(inGroup('/', 'censos')).toBe('/g/censos/');
    expect(groupHome('ods')).toBe('/g/ods/');
    expect(inGroup('/debates', null)).toBe('/debates');
  });

  it("give the app's paths the page's group, the API's links its parameter, and leave the instance's and other groups' alone", () => {
    const address = (path: string) => groupAddress(path, 'censos', isInstancePath);
    expect(address('/')).toBe('/g/censos/');
    expect(address('/debates/t/abc#post-1')).toBe('/g/censos/debates/t/abc#post-1');
    expect(address('/search?q=pobreza')).toBe('/g/censos/search?q=pobreza');
    // The instance's pages: a sign-in names no group, nor do the links sent by mail.
    for (const path of ['/login', '/login?next=%2Fg%2Fcensos%2Fdebates', '/forgot-password', '/setup', '/instance/groups', '/invitation/tok123', '/reset-password/abc', '/confirm-email/abc']) {
      expect(address(path), path).toBe(path);
    }
    // A link to the API is opened by the browser without the page's header: it names the group as a parameter, once.
    expect(address('/api/documents/d1/download')).toBe('/api/documents/d1/download?group=censos');
    expect(address('/api/documents/d1/download?version=2&disposition=attachment')).toBe('/api/documents/d1/download?version=2&disposition=attachment&group=censos');
    expect(address('/api/documents/d1/download?group=censos')).toBe('/api/documents/d1/download?group=censos');
    expect(address('/api/rounds/r1/matrix.csv#top')).toBe('/api/rounds/r1/matrix.csv?group=censos#top');
    expect(groupAddress('/api/documents/d1/download', null, isInstancePath)).toBe('/api/documents/d1/download');
    expect(address('/g/ods/debates')).toBe('/g/ods/debates');
    expect(address('https://example.org/debates')).toBe('https://example.org/debates');
    expect(address('//example.org/debates')).toBe('//example.org/debates');
    expect(address('#post-2')).toBe('#post-2');
    // On an address without a group (the first group's), paths stay as they are.
    expect(groupAddress('/debates', null, isInstancePath)).toBe('/debates');
  });

  it('rewrite a link as it is reached, once', () => {
    const attributes = new Map([['href', '/documents?q=censo']]);
    const anchor = { getAttribute: (name: string) => attributes.get(name) ?? null, setAttribute: vi.fn((name: string, value: string) => void attributes.set(name, value)) };
    const address = (path: string) => groupAddress(path, 'censos', isInstancePath);
    keepInGroup(anchor, address);
    expect(attributes.get('href')).toBe('/g/censos/documents?q=censo');
    keepInGroup(anchor, address);
    expect(anchor.setAttribute).toHaveBeenCalledTimes(1);
    attributes.set('href', '/login');
    keepInGroup(anchor, address);
    expect(attributes.get('href')).toBe('/login');
  });
});

describe('a new group’s address', () => {
  it('is checked as the server checks it', () => {
    for (const slug of ['ods', 'censos-2030', 'a1', 'a'.repeat(40)]) expect(isGroupSlug(slug), slug).toBe(true);
    for (const slug of ['a', 'a'.repeat(41), '-censos', 'censos-', 'Censos', 'censos_2030', 'género', '']) expect(isGroupSlug(slug), slug).toBe(false);
  });

  it('is the name in lower-case ASCII words joined by hyphens, at most 40 characters', () => {
    expect(suggestSlug('Estadísticas de género')).toBe('estadisticas-de-genero');
    expect(suggestSlug('  Censos 2030: ronda  ')).toBe('censos-2030-ronda');
    expect(suggestSlug('Objetivos de Desarrollo Sostenible y cuentas nacionales')).toBe('objetivos-de-desarrollo-sostenible-y');
    expect(suggestSlug('a'.repeat(50))).toBe('a'.repeat(40));
    expect(suggestSlug('Ñ')).toBe('');
    expect(suggestSlug('統計')).toBe('');
  });
});


describe('the group of each request', () => {
  const sent: Array<{ url: string; headers: Record<string, string> }> = [];

  beforeAll(() => {
    vi.stubGlobal('window', { location: new URL('http://forum.example/g/censos/debates') });
    vi.stubGlobal('fetch', async (url: string, init: { headers: Record<string, string> }) => {
      sent.push({ url, headers: init.headers });
      if (url === '/api/threads/other') return new Response(JSON.stringify({ error: { code: 'not_a_member', message: 'Not a member' } }), { status: 403 });
      return new Response('{}', { status: 200 });
    });
  });
  afterEach(() => setRequestGroup(null));
  afterAll(() => vi.unstubAllGlobals());

  it('names the page’s group in the x-concilia-group header, and none on an address without one', async () => {
    const { api } = await import('../../client/app/api.js');
    setRequestGroup('censos');
    await api.get('/threads');
    setRequestGroup(null);
    await api.post('/auth/login', { email: 'a@b.c' });
    expect(sent.map((request) => [request.url, request.headers['x-concilia-group']])).toEqual([
      ['/api/threads', 'censos'],
      ['/api/auth/login', undefined],
    ]);
  });

  it('tells the shell when the server says the person is not a member of that group', async () => {
    const { api, onNotAMember } = await import('../../client/app/api.js');
    const refused = vi.fn();
    onNotAMember(refused);
    setRequestGroup('otro');
    await expect(api.get('/threads/other')).rejects.toMatchObject({ status: 403, code: 'not_a_member' });
    await api.get('/threads');
    onNotAMember(null);
    expect(refused).toHaveBeenCalledTimes(1);
  });

  it('lets a reload into another group wait for the writes under way', async () => {
    const { api, writesSettled } = await import('../../client/app/api.js');
    let answer!: () => void;
    vi.stubGlobal('fetch', () => new Promise<Response>((resolve) => (answer = () => resolve(new Response('{}', { status: 200 })))));
    const marked = api.post('/notifications/read', { ids: ['n1'] });
    let settled = false;
    void writesSettled(60_000).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    answer();
    await marked;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(true);
    await expect(writesSettled()).resolves.toBeUndefined();
  });

  it('opens the live channel for the page’s group', async () => {
    const { LiveConnection } = await import('../../client/app/live-connection.js');
    const urls: string[] = [];
    class FakeSocket extends EventTarget {
      readyState = 0;
      constructor(url: string) {
        super();
        urls.push(url);
      }
      send() {}
      close() {}
    }
    vi.stubGlobal('document', { addEventListener() {}, removeEventListener() {}, visibilityState: 'visible' });
    vi.stubGlobal('navigator', { onLine: true });
    const window = globalThis.window as unknown as Record<string, unknown>;
    window.addEventListener = () => undefined;
    window.removeEventListener = () => undefined;
    for (const group of ['censos', null]) {
      setRequestGroup(group);
      const connection = new LiveConnection({ webSocket: FakeSocket as unknown as typeof WebSocket });
      connection.start();
      connection.stop();
    }
    expect(urls).toEqual(['ws://forum.example/api/live?group=censos', 'ws://forum.example/api/live']);
  });
});

describe('a notification', () => {
  const notification = (group: AppNotification['group']): AppNotification => ({
    id: 'n1',
    kind: 'test_reply',
    createdAt: '2026-12-06T10:00:00.000Z',
    readAt: null,
    actor: null,
    subject: { kind: 'thread', id: 't1', title: 'Censos', available: true },
    details: {},
    excerpt: '',
    ...(group ? { group } : {}),
  });

  it('opens in its own group, whichever group’s page lists it', () => {
    registerNotificationKind('test_reply', { text: () => 'reply', href: (n) => `/debates/t/${n.subject.id}` });
    expect(notificationHref(notification({ id: 'g2', slug: 'censos', name: 'Censos' }))).toBe('/g/censos/debates/t/t1');
    // A server before groups: the path as the kind gives it.
    expect(notificationHref(notification(undefined))).toBe('/debates/t/t1');
  });
});
