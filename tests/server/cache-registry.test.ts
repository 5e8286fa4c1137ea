import { describe, expect, it } from 'vitest';
import { CacheRegistry } from '../../server/plugins/live/caches.js';
import type { LiveEvent } from '../../server/plugins/live/hub.js';
import { untypedStored, untypedType } from './untyped-events.js';

const event = (topic: string, type: string, payload: unknown = null): LiveEvent => untypedStored({ id: 1, topic, type, payload, createdAt: new Date(0).toISOString() });

describe('the cache registry', () => {
  it('hands an event to the caches registered for its topic kind or its type, once each, and to no other', () => {
    const seen: string[] = [];
    const registry = new CacheRegistry();
    registry.register({ name: 'threads', topicKinds: ['thread'], invalidate: (e) => seen.push(`threads ${e.type}`) });
    registry.register({ name: 'reads', types: ['debates.reading-changed'], invalidate: (e) => seen.push(`reads ${e.topic}`) });
    registry.register({ name: 'both', topicKinds: ['thread'], types: ['post.created'], invalidate: (e) => seen.push(`both ${e.type}`) });

    registry.invalidate(event('thread:t1', 'post.created'));
    expect(seen.sort()).toEqual(['both post.created', 'threads post.created']);
    seen.length = 0;
    registry.invalidate(event('user:u1', 'debates.reading-changed'));
    expect(seen).toEqual(['reads user:u1']);
    seen.length = 0;
    registry.invalidate(event('meeting:m1', 'meeting.updated'));
    expect(seen).toEqual([]);
    expect(registry.names()).toEqual(['threads', 'reads', 'both']);
  });

  it("hands this process's own events only to the caches that asked for them", () => {
    const seen: string[] = [];
    const registry = new CacheRegistry();
    registry.register({ name: 'kept in place', topicKinds: ['library'], invalidate: () => seen.push('kept in place') });
    registry.register({ name: 'hears all', topicKinds: ['library'], ownEvents: true, invalidate: () => seen.push('hears all') });
    registry.invalidate(event('library:g1', 'document.updated'), 'own');
    expect(seen).toEqual(['hears all']);
    seen.length = 0;
    registry.invalidate(event('library:g1', 'document.updated'));
    expect(seen.sort()).toEqual(['hears all', 'kept in place']);
  });

  it("keeps going past a cache that throws, and reports it", () => {
    const failures: string[] = [];
    const registry = new CacheRegistry((_error, registration) => failures.push(registration.name));
    let forgotten = false;
    registry.register({ name: 'broken', topicKinds: ['thread'], invalidate: () => { throw new Error('boom'); } });
    registry.register({ name: 'fine', topicKinds: ['thread'], invalidate: () => { forgotten = true; } });
    registry.invalidate(event('thread:t1', 'post.updated'));
    expect(failures).toEqual(['broken']);
    expect(forgotten).toBe(true);
  });

  it('refuses a cache that names nothing that invalidates it, and a name registered twice', () => {
    const registry = new CacheRegistry();
    expect(() => registry.register({ name: 'never', invalidate: () => undefined })).toThrow(/names no topic kind or event type/);
    registry.register({ name: 'once', types: [untypedType('x')], invalidate: () => undefined });
    expect(() => registry.register({ name: 'once', types: [untypedType('y')], invalidate: () => undefined })).toThrow(/already registered/);
  });
});
