import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { SearchProviders } from '../../server/features/search/registry.js';

const provider = (placement: 'top' | 'section', params = {}) => ({ params, item: Type.Object({ id: Type.String() }), placement, search: async () => ({ items: [], total: 0 }) });

describe('the search sections features provide', () => {
  it('takes each section once, one at the top, and none once the route is built', () => {
    const sections = new SearchProviders();
    sections.provide('posts', provider('top'));
    expect(() => sections.provide('posts', provider('section'))).toThrow(/already provided/);
    expect(() => sections.provide('others', provider('top'))).toThrow(/Only one search section/);
    sections.provide('meetings', provider('section'));
    expect([...sections.seal().keys()]).toEqual(['posts', 'meetings']);
    expect(() => sections.provide('late', provider('section'))).toThrow(/after the search route was built/);
  });

  it('refuses two sections reading one query parameter differently', () => {
    const sections = new SearchProviders();
    const shared = Type.Optional(Type.String());
    sections.provide('posts', provider('top', { from: shared }));
    sections.provide('meetings', provider('section', { from: shared }));
    expect(() => sections.provide('documents', provider('section', { from: Type.Optional(Type.Integer()) }))).toThrow(/both read the parameter "from"/);
  });
});
