import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, buildTestApp, request, setUpGroup, type TestApp } from '../helper.js';

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => t.close());

describe('smoke', () => {
  it('works', async () => {
    const health = await request(t.app, { url: '/api/health' });
    expect(health.json()).toEqual({ status: 'ok' });
    const admin = await setUpGroup(t.app);
    const me = await request(t.app, { url: '/api/me', cookie: admin });
    console.log(me.body);
    const member = await addPerson(t.app, admin, 'member', { countryId: 'cl' });
    const dir = await request(t.app, { url: '/api/directory', cookie: member.cookie });
    console.log(dir.statusCode, dir.body.slice(0, 400));
    const bad = await request(t.app, { method: 'POST', url: '/api/auth/login', payload: '{bad', headers: { 'content-type': 'application/json' } });
    console.log(bad.statusCode, bad.body);
    const bad2 = await request(t.app, { method: 'POST', url: '/api/auth/login', payload: { email: 'x' } });
    console.log(bad2.statusCode, bad2.body);
    const oa = await request(t.app, { url: '/api/openapi.json' });
    console.log(oa.statusCode, Object.keys(oa.json().paths));
    console.log((await request(t.app, { url: '/api/nope' })).body);
  });
});
