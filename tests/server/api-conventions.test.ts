import { randomUUID } from 'node:crypto';
import Fastify, { type FastifySchema, type FastifySchemaCompiler, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app as concilia } from '../../server/app.js';
import { sharedSerializerFactory, type LazySerializer } from '../../server/shared/serialization.js';
import { requestValidatorCompiler } from '../../server/shared/validation.js';
import errorHandling from '../../server/plugins/error-handling.js';
import { ADMIN, ORIGIN, TEST_ENGINE, addPerson, buildTestApp, request, setUpGroup, type TestApp } from '../helper.js';
import { detailFields, expectError, myId, openTestDb, randomToken } from './support.js';

let t: TestApp;
let adminCookie: string;
let adminId: string;

beforeAll(async () => {
  t = await buildTestApp();
  adminCookie = await setUpGroup(t.app);
  adminId = await myId(t.app, adminCookie);
});
afterAll(async () => t.close());

const postJson = (url: string, payload: string, cookie?: string) =>
  request(t.app, { method: 'POST', url, payload, headers: { 'content-type': 'application/json' }, ...(cookie ? { cookie } : {}) });

describe('request bodies', () => {
  it('answers malformed JSON with 400 malformed_body', async () => {
    expectError(await postJson('/api/auth/login', '{"email": "a@b.co", "password": '), 400, 'malformed_body');
    expectError(await postJson('/api/auth/login', ''), 400, 'malformed_body');
  });

  it('names a missing field', async () => {
    const error = expectError(await request(t.app, { method: 'POST', url: '/api/auth/login', payload: { email: ADMIN.email } }), 400, 'validation_failed');
    expect(error.details).toEqual([{ field: 'password', message: 'is required' }]);
  });

  it('names an extra field rather than silently dropping it', async () => {
    const response = await request(t.app, { method: 'POST', url: '/api/auth/login', payload: { email: ADMIN.email, password: ADMIN.password, remember: true } });
    const error = expectError(response, 400, 'validation_failed');
    expect(error.details).toEqual([{ field: 'remember', message: 'is not an allowed field' }]);
    expect(response.cookies).toEqual([]);
  });

  it.each([
    ['an object for a string', '/api/auth/login', { email: ADMIN.email, password: { $ne: '' } }, 'password'],
    ['a malformed e-mail', '/api/auth/login', { email: 'not-an-email', password: 'whatever-it-is' }, 'email'],
    ['a value outside an enumeration', '/api/invitations', { email: 'x@example.org', role: 'emperor' }, 'role'],
    ['an array for a string', '/api/invitations', { email: 'x@example.org', role: 'member', countryId: ['cl', 'ar'] }, 'countryId'],
  ])('names a field holding %s', async (_case, url, payload, field) => {
    const error = expectError(await request(t.app, { method: 'POST', url, payload, cookie: adminCookie }), 400, 'validation_failed');
    expect(new Set(detailFields(error))).toEqual(new Set([field]));
  });

  it('names bad query and path parameters', async () => {
    const query = await request(t.app, { url: '/api/admin/users?limit=ten', cookie: adminCookie });
    expect(detailFields(expectError(query, 400, 'validation_failed'))).toEqual(['limit']);
    const path = await request(t.app, { url: '/api/auth/password-resets/UPPER-CASE-IS-NOT-A-TOKEN' });
    expect(detailFields(expectError(path, 400, 'validation_failed'))).toEqual(['token']);
  });

  // PostgreSQL stores no U+0000 in text (SQLite did): refused on both engines before any handler, naming the field.
  it('refuses text holding a NUL character in a path, a query or a body, naming the field, and stores nothing', async () => {
    const path = await request(t.app, { url: '/api/people/a%00b', cookie: adminCookie });
    expect(detailFields(expectError(path, 400, 'validation_failed'))).toEqual(['id']);
    const query = await request(t.app, { url: '/api/admin/users?q=%00', cookie: adminCookie });
    expect(detailFields(expectError(query, 400, 'validation_failed'))).toEqual(['q']);
    const before = (await request(t.app, { url: '/api/me', cookie: adminCookie })).json<{ user: { displayName: string } }>().user.displayName;
    const body = await request(t.app, { method: 'PATCH', url: '/api/me', payload: { displayName: 'Ana\u0000' }, cookie: adminCookie });
    const error = expectError(body, 400, 'validation_failed');
    expect(error.details).toEqual([{ field: 'displayName', message: 'must not contain the NUL character (U+0000)' }]);
    expect((await request(t.app, { url: '/api/me', cookie: adminCookie })).json<{ user: { displayName: string } }>().user.displayName).toBe(before);
  });

  it('refuses a body over the 1 MiB limit with 413', async () => {
    const huge = JSON.stringify({ email: ADMIN.email, password: 'x'.repeat(1024 * 1024) });
    expectError(await postJson('/api/auth/login', huge), 413, 'body_too_large');
  });

  it('refuses a number or boolean where a JSON body expects a string, instead of coercing it', async () => {
    const number = await request(t.app, { method: 'PATCH', url: '/api/me', cookie: adminCookie, payload: { bio: 123 } });
    expect(detailFields(expectError(number, 400, 'validation_failed'))).toEqual(['bio']);
    const boolean = await request(t.app, { method: 'PATCH', url: '/api/me', cookie: adminCookie, payload: { jobTitle: true } });
    expect(detailFields(expectError(boolean, 400, 'validation_failed'))).toEqual(['jobTitle']);
    const me = await request(t.app, { url: '/api/me', cookie: adminCookie });
    expect(me.json().user.bio).not.toBe('123');
  });

  it('names a field once even when several alternatives of a union fail', async () => {
    const error = expectError(await request(t.app, { method: 'PUT', url: '/api/admin/users/some-id/role', cookie: adminCookie, payload: { role: 'member', countryId: 7 } }), 400, 'validation_failed');
    expect(detailFields(error)).toEqual(['countryId']);
  });
});

describe('request schemas', () => {
  it('compile, every one of every route, under the rules requests are checked by', async () => {
    // The app compiles a route's validators on its first request (server/shared/validation.ts):
    // here each is made to compile, so a schema Ajv refuses fails this test and not a request.
    const census = Fastify({ logger: false });
    const compile = requestValidatorCompiler();
    const validators: Array<{ route: string; validate: ReturnType<FastifySchemaCompiler<FastifySchema>> }> = [];
    census.setValidatorCompiler((definition) => {
      const validate = compile(definition);
      validators.push({ route: `${definition.method} ${definition.url} ${definition.httpPart}`, validate });
      return validate;
    });
    await census.register(concilia, { config: { ...t.config, databaseFile: ':memory:' } });
    await census.ready();
    try {
      const refused: string[] = [];
      for (const { route, validate } of validators) {
        try {
          validate({});
        } catch (error) {
          refused.push(`${route}: ${(error as Error).message}`);
        }
      }
      expect(refused).toEqual([]);
      // Bodies, querystrings and params of well over a hundred routes.
      expect(validators.length).toBeGreaterThan(150);
      expect(validators.some(({ route }) => route.startsWith('POST /api/meetings body'))).toBe(true);
    } finally {
      await census.close();
    }
  });
});

describe('unknown routes', () => {
  it('answer 404 in the error shape, under /api and elsewhere', async () => {
    const api = expectError(await request(t.app, { url: '/api/no-such-thing?x=1' }), 404, 'not_found');
    expect(api.message).toBe('No route GET /api/no-such-thing.');
    expectError(await request(t.app, { method: 'DELETE', url: '/api/me', cookie: adminCookie }), 404, 'not_found');
    expectError(await request(t.app, { url: '/no-such-page' }), 404, 'not_found');
  });
});

describe('addresses the router cannot take apart', () => {
  it.each([
    ['bad percent-encoding', '/api/people/%E0%A4%A', 400, 'malformed_url'],
    ['a path segment over 100 characters', `/api/people/${'x'.repeat(101)}`, 414, 'url_too_long'],
  ])('answer %s in the error shape, with a request id', async (_case, url, status, code) => {
    const response = await request(t.app, { url, cookie: adminCookie });
    expectError(response, status, code);
    expect(response.headers['x-request-id']).toBeTruthy();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('system routes', () => {
  it('GET /api/health answers {"status":"ok"}', async () => {
    const response = await request(t.app, { url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('{"status":"ok"}');
  });

  it('GET /api/openapi.json is an OpenAPI 3 document listing every documented route', async () => {
    const response = await request(t.app, { url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json() as { openapi: string; info: { title: string }; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.info.title).toBe('Concilia API');
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    const expected = t.app.accessTable
      .filter((route) => route.url !== '/api/openapi.json')
      .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(documented.sort()).toEqual(expected.sort());
  });
});

describe('response headers', () => {
  const samples: Array<[string, InjectOptions & { cookie?: string }]> = [
    ['a success', { url: '/api/health' }],
    ['a 404', { url: '/api/nothing-here' }],
    ['a 401', { url: '/api/me' }],
    ['a 400', { method: 'POST', url: '/api/auth/login', payload: {} }],
    ['a 403 from the origin check', { method: 'POST', url: '/api/auth/logout', headers: { origin: 'https://evil.example' } }],
  ];

  it.each(samples)('include the API security headers on %s: nothing may load, frame or sniff it', async (_case, options) => {
    const response = await request(t.app, options);
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('carry a distinct x-request-id on every response, and echo one the proxy sent', async () => {
    const ids: string[] = [];
    for (const [, options] of samples) {
      const response = await request(t.app, options);
      const id = response.headers['x-request-id'];
      expect(typeof id).toBe('string');
      expect(String(id).length).toBeGreaterThan(0);
      ids.push(String(id));
    }
    expect(new Set(ids).size).toBe(ids.length);
    const traced = await request(t.app, { url: '/api/health', headers: { 'x-request-id': 'proxy-trace-42' } });
    expect(traced.headers['x-request-id']).toBe('proxy-trace-42');
  });
});

describe('cross-origin writes', () => {
  const loginPayload = { email: ADMIN.email, password: ADMIN.password };

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a look-alike Origin', { origin: `${ORIGIN}.evil.example` }],
    ['Origin: null', { origin: 'null' }],
    ['no Origin at all', {}],
  ])('refuses a login with %s', async (_case, headers) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: loginPayload, headers });
    expectError(response, 403, 'cross_origin_refused');
    expect(response.cookies).toEqual([]);
  });

  it('accepts the same login from our own origin', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: loginPayload, headers: { origin: ORIGIN } });
    expect(response.statusCode).toBe(200);
  });

  it('refuses an invitation from a signed-in administrator on another site, and creates nothing', async () => {
    const count = async () => (await request(t.app, { url: '/api/invitations', cookie: adminCookie })).json().total as number;
    const before = await count();
    const payload = { email: 'csrf-victim@example.org', role: 'admin' };
    for (const headers of [{ origin: 'https://evil.example', cookie: adminCookie }, { cookie: adminCookie }]) {
      expectError(await t.app.inject({ method: 'POST', url: '/api/invitations', payload, headers }), 403, 'cross_origin_refused');
    }
    expectError(await t.app.inject({ method: 'PATCH', url: '/api/me', payload: { bio: 'pwned' }, headers: { origin: 'https://evil.example', cookie: adminCookie } }), 403, 'cross_origin_refused');
    expect(await count()).toBe(before);
    const allowed = await t.app.inject({ method: 'POST', url: '/api/invitations', payload, headers: { origin: ORIGIN, cookie: adminCookie } });
    expect(allowed.statusCode).toBe(201);
  });

  it('lets reads through from anywhere', async () => {
    const response = await t.app.inject({ url: '/api/me', headers: { origin: 'https://evil.example', cookie: adminCookie } });
    expect(response.statusCode).toBe(200);
  });
});

describe('garbage input', () => {
  // Long, yet under the body limit once repeated in every field: it reaches validation (the limit has its own test).
  const huge = 'ä'.repeat(20_000);
  const fields = ['email', 'password', 'currentPassword', 'newPassword', 'displayName', 'groupName', 'locale', 'timeZone', 'countryId', 'organizationId', 'role', 'delegationRole', 'jobTitle', 'bio'];
  const everyField = (value: unknown) => Object.fromEntries(fields.map((field) => [field, value]));
  const bodies: unknown[] = [
    null,
    [],
    [{}],
    'just a string',
    12345,
    true,
    {},
    { __proto__: { admin: true } },
    JSON.parse('{"constructor": {"prototype": {"admin": true}}}'),
    everyField(null),
    everyField(-1),
    everyField(1e308),
    everyField(true),
    everyField([]),
    everyField({ nested: { deeper: [1, 2, 3] } }),
    everyField(huge),
    everyField('\u0000\uffff<script>alert(1)</script>'),
    // Well-formed but wrong in substance, to reach past validation into the handlers.
    { email: 'nobody@example.org', password: 'long-enough-password', role: 'member', countryId: 'ZZ' },
    { email: 'nobody@example.org', role: 'secretariat', organizationId: 'no-such-org' },
    { displayName: 'X', password: 'long-enough-password', locale: 'es', timeZone: 'Not/AZone' },
    { role: 'member', countryId: null, organizationId: null },
    { role: 'admin', countryId: 'cl', organizationId: 'eclac' },
    { delegationRole: 'focal_point' },
    { currentPassword: 'x', newPassword: 'long-enough-password' },
  ];
  const paramValues = [randomToken(), randomUUID(), 'x'.repeat(500), '%00', '..%2F..%2Fetc', '%F0%9F%92%A5', '%E0%A4%A'];
  const queries = ['', '?limit=-1&offset=-5', '?limit=1e400&offset=NaN', `?q=${encodeURIComponent(huge.slice(0, 5000))}`, '?role[]=admin&status=whatever', '?limit=1&limit=2'];

  function bodyOptions(body: unknown): Pick<InjectOptions, 'payload' | 'headers'> {
    return { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  }

  function checkResponse(problems: string[], longLabel: string, response: LightMyRequestResponse) {
    const label = longLabel.replace(/[^/\s]{40,}/g, (long) => `${long.slice(0, 12)}…(${long.length})`);
    if (response.statusCode >= 500) problems.push(`${label}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    else if (response.statusCode >= 400) {
      const body = response.json() as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string') problems.push(`${label}: not the error shape: ${response.body.slice(0, 200)}`);
    }
  }

  it('never answers 5xx, and always in the error shape, whatever the body, path or query', { timeout: 60_000 }, async () => {
    const member = await addPerson(t.app, adminCookie, 'member');
    const problems: string[] = [];
    for (const route of t.app.accessTable) {
      const hasParams = route.url.includes(':');
      const urls = hasParams ? paramValues.map((value) => route.url.replace(/:(\w+)/g, value)) : [route.url];
      for (const identity of ['admin', 'member', 'anonymous'] as const) {
        // A fresh session for each identity and route: the loop also calls logout and password change.
        const cookie =
          identity === 'anonymous' ? undefined : `concilia_session=${(await t.app.sessions.create(identity === 'admin' ? adminId : member.id)).token}`;
        const send = (options: InjectOptions) => request(t.app, { method: route.method as 'GET', ...options, ...(cookie ? { cookie } : {}) });
        // Every odd path with one input, and every odd input with the first (well-shaped) path.
        for (const [urlIndex, url] of urls.entries()) {
          if (route.method === 'GET') {
            for (const query of urlIndex === 0 ? queries : queries.slice(0, 1)) {
              checkResponse(problems, `${identity} GET ${url}${query.slice(0, 40)}`, await send({ url: `${url}${query}` }));
            }
          } else {
            for (const [index, body] of (urlIndex === 0 ? bodies : bodies.slice(0, 1)).entries()) {
              checkResponse(problems, `${identity} ${route.method} ${url} body #${index}`, await send({ url, ...bodyOptions(body) }));
            }
            if (urlIndex > 0) continue;
            checkResponse(problems, `${identity} ${route.method} ${url} form body`, await send({ url, payload: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
            checkResponse(problems, `${identity} ${route.method} ${url} text body`, await send({ url, payload: 'hello', headers: { 'content-type': 'text/plain' } }));
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // The loop did not leave the application broken.
    expect((await request(t.app, { url: '/api/health' })).statusCode).toBe(200);
    expect((await request(t.app, { url: '/api/me', cookie: adminCookie })).statusCode).toBe(200);
  });
});

describe('values the database refuses as data', () => {
  // PostgreSQL refuses some values as data (SQLSTATE class 22) where SQLite, which refuses none, stored
  // them: one the schemas let through must still be the request's 400, never a 500. The error handler
  // itself, over real statements on this file's PostgreSQL database.
  it.skipIf(TEST_ENGINE === 'sqlite')('are answered 400 invalid_value in the error shape, never a 500', async () => {
    const db = openTestDb(t);
    const bare = Fastify({ logger: false });
    await bare.register(errorHandling);
    bare.get('/bigint/:text', async (request) => ({ value: await db.prepare('select cast(? as bigint) as value').value((request.params as { text: string }).text) }));
    bare.get('/nul', async () => ({ value: await db.prepare('select cast(? as text) as value').value('a\u0000b') }));
    bare.get('/fault', async () => ({ value: await db.prepare('select * from no_such_table').value() }));
    try {
      expectError(await bare.inject({ url: '/bigint/99999999999999999999' }), 400, 'invalid_value');
      expectError(await bare.inject({ url: '/bigint/ten' }), 400, 'invalid_value');
      expectError(await bare.inject({ url: '/nul' }), 400, 'invalid_value');
      // Any other database error is still the server's own fault.
      expectError(await bare.inject({ url: '/fault' }), 500, 'internal_error');
      expect((await bare.inject({ url: '/bigint/12' })).json()).toEqual({ value: 12 });
    } finally {
      await bare.close();
      await db.close();
    }
  });
});

describe('response schemas', () => {
  it('compile, every one of every route, with the serializer the app answers with', async () => {
    // Serializers too are compiled on first use (server/shared/serialization.ts): each is made to
    // compile here, so a schema fast-json-stringify refuses fails this test and not a response.
    const serializers: Array<{ route: string; serializer: LazySerializer }> = [];
    const census = Fastify({
      logger: false,
      schemaController: {
        compilersFactory: {
          buildSerializer: (externalSchemas, options) => {
            const build = sharedSerializerFactory(externalSchemas, options);
            return (route) => {
              const serializer = build(route) as LazySerializer;
              serializers.push({ route: `${route.method} ${route.url} ${route.httpStatus}`, serializer });
              return serializer;
            };
          },
        },
      },
    });
    census.setValidatorCompiler(requestValidatorCompiler());
    await census.register(concilia, { config: { ...t.config, databaseFile: ':memory:' } });
    await census.ready();
    try {
      const refused: string[] = [];
      for (const { route, serializer } of serializers) {
        try {
          serializer.compile();
        } catch (error) {
          refused.push(`${route}: ${(error as Error).message}`);
        }
      }
      expect(refused).toEqual([]);
      expect(serializers.length).toBeGreaterThan(300);
      expect(serializers.some(({ route }) => route.startsWith('GET /api/threads/:id 200'))).toBe(true);
    } finally {
      await census.close();
    }
  });
});
