import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The live position the API's answers tell (client/app/api.ts): where a subscription made now may
 * start. It may not pass the position known when a request still in flight began, since that
 * request's data may be older than a later answer's position.
 */

type Pending = { resolve: (position: number) => void; url: string };
const pending: Pending[] = [];

beforeAll(() => {
  vi.stubGlobal('window', { location: new URL('http://forum.example') });
  vi.stubGlobal('fetch', (url: string) => new Promise<Response>((resolve) => pending.push({ url, resolve: (position) => resolve(new Response('{}', { status: 200, headers: { 'content-type': 'application/json', 'live-position': String(position) } })) })));
});
afterAll(() => vi.unstubAllGlobals());

const answer = async (url: string, position: number) => {
  const index = pending.findIndex((p) => p.url === url);
  pending.splice(index, 1)[0]!.resolve(position);
  await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('livePosition', () => {
  it('is unknown until an answer tells it, and never passes what a request in flight began with', async () => {
    const { api, livePosition } = await import('../../client/app/api.js');
    expect(livePosition.current()).toBeNull();

    const first = api.get('/session');
    // Begun knowing nothing: a subscription made meanwhile starts from now, as before.
    expect(livePosition.current()).toBeNull();
    await answer('/api/session', 10);
    await first;
    expect(livePosition.current()).toBe(10);

    const slow = api.get('/threads/a');
    const quick = api.get('/threads/b');
    await answer('/api/threads/b', 20);
    await quick;
    // /threads/a began when 10 was known: its data may lack what 11..20 changed.
    expect(livePosition.current()).toBe(10);
    await answer('/api/threads/a', 15);
    await slow;
    expect(livePosition.current()).toBe(20);

    // The live channel's ids count too, but never go back.
    livePosition.note(25);
    livePosition.note(22);
    expect(livePosition.current()).toBe(25);
  });
});
