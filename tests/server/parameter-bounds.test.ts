import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type TestApp } from '../helper.js';
import { api, type Participant } from './debates/support.js';
import { metadata, upload } from './documents/support.js';
import { buildMeetingsApp, createMeeting, populateMeetings, TestClock, type MeetingPeople } from './meetings/support.js';
import { expectError, randomToken } from './support.js';

/**
 * Parameters are checked from what the API itself publishes: the OpenAPI document is walked, so a
 * route added later is covered without anyone remembering to list it here. Each request is sent
 * by someone the route lets in and, where the path names a meeting, document, thread or post,
 * with a real one, so that a value the schema lets through reaches the handler.
 */

interface Schema {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  default?: unknown;
}
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
}

let t: TestApp;
let people: MeetingPeople;
let document: OpenApi;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const clock = new TestClock(Date.parse('2026-05-01T12:00:00.000Z'));
  t = await buildMeetingsApp(clock);
  people = await populateMeetings(t.app);
  const series = await createMeeting(t.app, people.coordinator, {
    title: 'Serie',
    startsAt: '2026-05-05T14:00:00.000Z',
    endsAt: '2026-05-05T15:00:00.000Z',
    recurrence: { frequency: 'weekly', count: 3 },
  });
  ids.meetings = series.id;
  ids.occurrenceId = series.occurrences[0]!.id;
  const uploaded = await upload(t.app, people.secretariat, { name: 'cifras.txt', bytes: Buffer.from('Cifras nacionales.\n') }, metadata({ visibility: 'group' }));
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  ids.documents = uploaded.json().document.id;
  const thread = await api(t.app, people.member, 'POST', '/threads', { categoryId: await firstCategory(people.member), title: 'Un debate', body: 'Texto.' });
  expect(thread.statusCode, thread.body).toBe(201);
  ids.threads = thread.json().thread.id;
  ids.posts = thread.json().post.id;
  const published = await request(t.app, { url: '/api/openapi.json' });
  document = published.json() as OpenApi;
}, 60_000);
afterAll(async () => t.close());

async function firstCategory(who: Participant): Promise<string> {
  return (await api(t.app, who, 'GET', '/categories')).json().items[0].id as string;
}

/** Someone the route lets in (the access table is the app's own declaration). */
function callerOf(method: string, path: string): Participant {
  const url = path.replace(/\{(\w+)\}/g, ':$1');
  const route = t.app.accessTable.find((entry) => entry.method === method && entry.url === url);
  if (!route) throw new Error(`no access entry for ${method} ${url}`);
  if (route.access === 'public' || route.access === 'signed-in') return people.admin;
  const role = route.access.includes('admin') ? 'admin' : route.access[0]!;
  return people[role as 'admin' | 'coordinator' | 'secretariat' | 'member' | 'observer'];
}

/** The path with real ids where the test has them: `{id}` after /meetings/ is the series, and so on. */
function fill(path: string, values: Record<string, string> = {}): string {
  const collection = path.split('/')[2] ?? '';
  return path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = values[name] ?? (name === 'id' ? ids[collection] : name === 'occurrenceId' ? ids.occurrenceId : name === 'token' ? randomToken() : undefined) ?? 'no-such-id';
    return encodeURIComponent(value);
  });
}

/** The smallest value a schema accepts, for the parts of a request a case is not about. */
function sample(schema: Schema): unknown {
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sample(schema.anyOf[0]!);
  switch (schema.type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name) => [name, sample(schema.properties![name]!)]));
    default:
      return schema.pattern === undefined ? 'x'.repeat(Math.max(1, schema.minLength ?? 1)) : ids.occurrenceId;
  }
}

function operations(): Array<{ method: string; path: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

const send = (method: string, path: string, url: string, payload?: unknown) =>
  request(t.app, { method: method as 'GET', url, cookie: callerOf(method, path).cookie, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

describe('integer query parameters', () => {
  const integerQueries = () =>
    operations().flatMap(({ method, path, operation }) =>
      (operation.parameters ?? []).filter((parameter) => parameter.in === 'query' && (parameter.schema.type === 'integer' || parameter.schema.type === 'number')).map((parameter) => ({ method, path, operation, parameter })),
    );

  it('are each bounded on both sides in the published schema', () => {
    const found = integerQueries();
    // limit and offset of every list, the library's year, a download's version.
    expect(found.length).toBeGreaterThan(15);
    const unbounded = found.filter(({ parameter }) => typeof parameter.schema.minimum !== 'number' || typeof parameter.schema.maximum !== 'number').map(({ method, path, parameter }) => `${method} ${path} ${parameter.name}`);
    expect(unbounded).toEqual([]);
  });

  it.each(['99999999999999999999', '1e308', '-1e308', '9007199254740993', '-99999999999999999999', '1.5'])(
    'refuse %s on every route with 400 naming the parameter, never a 5xx',
    async (value) => {
      const problems: string[] = [];
      for (const { method, path, operation, parameter } of integerQueries()) {
        // The route's other required parameters (a search's words) hold ordinary values.
        const others = (operation.parameters ?? []).filter((other) => other.in === 'query' && other.required && other.name !== parameter.name);
        const query = new URLSearchParams(others.map((other) => [other.name, String(sample(other.schema))]));
        query.set(parameter.name, value);
        const url = `${fill(path)}?${query}`;
        const response = await send(method, path, url);
        const label = `${method} ${url}`;
        if (response.statusCode >= 500) problems.push(`${label}: ${response.statusCode} ${response.body.slice(0, 160)}`);
        else if (response.statusCode !== 400) problems.push(`${label}: ${response.statusCode}, not 400`);
        else {
          const { code, details } = response.json().error;
          if (code !== 'validation_failed' || JSON.stringify(details.map((detail: { field: string }) => detail.field)) !== JSON.stringify([parameter.name])) problems.push(`${label}: ${response.body.slice(0, 160)}`);
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it('still take ordinary values', async () => {
    const users = await request(t.app, { url: '/api/admin/users?limit=2&offset=1', cookie: people.admin.cookie });
    expect(users.statusCode, users.body).toBe(200);
    expect(users.json().items).toHaveLength(2);
    const far = await request(t.app, { url: '/api/invitations?offset=100000', cookie: people.admin.cookie });
    expect(far.statusCode, far.body).toBe(200);
    expect(far.json().items).toEqual([]);
  });
});

describe('occurrence ids', () => {
  // Not text a meeting's occurrence id can be ("single" or the original start as an ISO instant);
  // the last three have the shape of an instant but name no real one.
  const bad = ['abc', 'x'.repeat(40), '2026-05-05', '2026-05-05T14:00:00.000Z junk', '2026-13-45T99:99:99.000Z', '2016-12-31T23:59:60Z', '2026-02-30T14:00:00Z'];

  const occurrenceInputs = () =>
    operations().flatMap(({ method, path, operation }) => {
      const inParameters = (operation.parameters ?? []).filter((parameter) => parameter.name === 'occurrenceId').map((parameter) => ({ method, path, where: parameter.in, operation }));
      const body = operation.requestBody?.content['application/json']?.schema;
      const inBody = body?.properties?.occurrenceId ? [{ method, path, where: 'body' as const, operation }] : [];
      return [...inParameters, ...inBody];
    });

  it('are found in the query, the path and bodies of the meetings routes', () => {
    const places = new Set(occurrenceInputs().map((input) => input.where));
    expect(places).toEqual(new Set(['query', 'path', 'body']));
    expect(occurrenceInputs().length).toBeGreaterThan(8);
  });

  it.each(bad)('"%s" is answered with a 4xx in the error shape, never a 5xx, wherever an occurrence id is taken', async (value) => {
    const problems: string[] = [];
    for (const { method, path, where, operation } of occurrenceInputs()) {
      let url = fill(path);
      let payload: Record<string, unknown> | undefined;
      if (where === 'path') url = fill(path, { occurrenceId: value });
      else if (where === 'query') url = `${url}?occurrenceId=${encodeURIComponent(value)}`;
      const bodySchema = operation.requestBody?.content['application/json']?.schema;
      if (bodySchema) payload = { ...(sample(bodySchema) as Record<string, unknown>), ...(where === 'body' ? { occurrenceId: value } : {}) };
      // Moving an occurrence needs a body naming the change; a valid one reaches the handler.
      if (where === 'path' && method === 'PATCH') payload = { state: 'cancelled' };
      const response = await send(method, path, url, payload);
      const label = `${method} ${url} (${where})`;
      if (response.statusCode < 400 || response.statusCode >= 500) problems.push(`${label}: ${response.statusCode} ${response.body.slice(0, 160)}`);
      else if (typeof response.json().error?.code !== 'string') problems.push(`${label}: not the error shape: ${response.body.slice(0, 160)}`);
    }
    expect(problems).toEqual([]);
  });

  it('that are malformed are refused as invalid input naming the field, on GET and PUT attendance alike', async () => {
    const read = await send('GET', '/api/meetings/{id}/attendance', `/api/meetings/${ids.meetings}/attendance?occurrenceId=abc`);
    expect(expectError(read, 400, 'validation_failed').details).toEqual([{ field: 'occurrenceId', message: expect.any(String) }]);
    const write = await api(t.app, people.member, 'PUT', `/meetings/${ids.meetings}/attendance`, { answer: 'going', occurrenceId: 'abc' });
    expect(expectError(write, 400, 'validation_failed').details).toEqual([{ field: 'occurrenceId', message: expect.any(String) }]);
  });

  it('that name no occurrence of the meeting answer 404', async () => {
    expectError(await api(t.app, people.member, 'GET', `/meetings/${ids.meetings}/attendance?occurrenceId=2020-01-01T00:00:00.000Z`), 404, 'not_found');
    expectError(await api(t.app, people.member, 'GET', `/meetings/${ids.meetings}/attendance?occurrenceId=2026-02-30T14:00:00Z`), 404, 'not_found');
    expectError(await api(t.app, people.member, 'GET', `/meetings/${ids.meetings}/room?occurrenceId=2016-12-31T23:59:60Z`), 404, 'not_found');
  });

  it('that are well formed find their occurrence, with or without milliseconds', async () => {
    const answered = await api(t.app, people.member, 'PUT', `/meetings/${ids.meetings}/attendance`, { answer: 'maybe', occurrenceId: '2026-05-12T14:00:00Z' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().attendance.occurrenceId).toBe('2026-05-12T14:00:00.000Z');
    const read = await api(t.app, people.member, 'GET', `/meetings/${ids.meetings}/attendance?occurrenceId=${encodeURIComponent('2026-05-12T14:00:00.000Z')}`);
    expect(read.json().attendance.mine.answer).toBe('maybe');
    // The room and the minutes read the same forms as attendance does.
    const room = await api(t.app, people.member, 'GET', `/meetings/${ids.meetings}/room?occurrenceId=2026-05-12T14:00:00Z`);
    expect(room.statusCode, room.body).toBe(200);
    expect(room.json().room.occurrenceId).toBe('2026-05-12T14:00:00.000Z');
    const minutes = await api(t.app, people.member, 'GET', `/meetings/${ids.meetings}/minutes?occurrenceId=${encodeURIComponent('2026-05-12T11:00:00-03:00')}`);
    expect(minutes.statusCode, minutes.body).toBe(200);
    expect(minutes.json().minutes.occurrenceId).toBe('2026-05-12T14:00:00.000Z');
  });
});
