import { validate } from '@readme/openapi-parser';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type TestApp } from '../helper.js';
import { api, reply, startThread, categoryId, type Participant } from './debates/support.js';
import { metadata, multipart, upload } from './documents/support.js';
import { buildMeetingsApp, createMeeting, populateMeetings, TestClock, type MeetingPeople } from './meetings/support.js';

/**
 * /api/openapi.json checked by a validator nobody here wrote (@readme/openapi-parser), linted
 * with the rules a client generator relies on, and compared with what the file and export routes
 * really answer.
 */

interface Schema {
  type?: string;
  default?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
}
interface Response {
  description: string;
  content?: Record<string, { schema: Schema }>;
}
interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: Schema }>;
  responses: Record<string, Response>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
}

let t: TestApp;
let people: MeetingPeople;
let document: OpenApi;

beforeAll(async () => {
  t = await buildMeetingsApp(new TestClock(Date.parse('2026-05-01T12:00:00.000Z')));
  people = await populateMeetings(t.app);
  document = (await request(t.app, { url: '/api/openapi.json' })).json() as OpenApi;
}, 60_000);
afterAll(async () => t.close());

const operations = () =>
  Object.entries(document.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })));

/** The published operation a concrete request reaches, found by matching its path against the templates. */
function operationOf(method: string, url: string): Operation {
  const path = url.split('?')[0]!;
  for (const [template, byMethod] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`);
    if (pattern.test(path) && byMethod[method.toLowerCase()]) return byMethod[method.toLowerCase()]!;
  }
  throw new Error(`no operation for ${method} ${path}`);
}

/** Is the answer one the document declares: its status, and its media type under that status (or no body where none is declared)? */
function undeclared(method: string, url: string, response: LightMyRequestResponse): string | null {
  const declared = operationOf(method, url).responses[String(response.statusCode)];
  const label = `${method} ${url.split('?')[0]} answered ${response.statusCode}`;
  if (!declared) return `${label}, which is not declared`;
  const mediaType = String(response.headers['content-type'] ?? '').split(';')[0]!.trim();
  const types = Object.keys(declared.content ?? {});
  if (types.length === 0) return response.rawPayload.length === 0 ? null : `${label} with a body the document does not declare`;
  const matches = types.some((type) => type === mediaType || type === '*/*' || (type.endsWith('/*') && mediaType.startsWith(type.slice(0, -1))));
  return matches ? null : `${label} as ${mediaType || 'nothing'}, declared as ${types.join(', ')}`;
}

const isErrorSchema = (schema: Schema | undefined) =>
  schema?.type === 'object' && schema.required?.includes('error') === true && ['code', 'message'].every((field) => schema.properties?.error?.required?.includes(field));

describe('the OpenAPI document', () => {
  it('is valid for an independent validator', async () => {
    const result = await validate(structuredClone(document) as unknown as Parameters<typeof validate>[0]);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('requires no parameter that has a default', () => {
    const wrong = operations().flatMap(({ method, path, operation }) =>
      (operation.parameters ?? []).filter((parameter) => parameter.required && parameter.schema.default !== undefined).map((parameter) => `${method} ${path} ${parameter.in} ${parameter.name}`),
    );
    expect(wrong).toEqual([]);
  });

  it('declares every error response of every route with the JSON error schema, and no other media type', () => {
    const wrong = operations().flatMap(({ method, path, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .filter(([, response]) => JSON.stringify(Object.keys(response.content ?? {})) !== '["application/json"]' || !isErrorSchema(response.content!['application/json']!.schema))
        .map(([status, response]) => `${method} ${path} ${status}: ${Object.keys(response.content ?? {}).join(', ') || 'no body'}`),
    );
    expect(wrong).toEqual([]);
  });

  it('declares on every route the errors any route may give: 400, and 401 and 403 unless public, and 404 where the path names something', () => {
    const access = new Map(t.app.accessTable.map((route) => [`${route.method} ${route.url}`, route.access]));
    const missing = operations().flatMap(({ method, path, operation }) => {
      const needed = ['400'];
      if (access.get(`${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`) !== 'public') needed.push('401', '403');
      if (path.includes('{')) needed.push('404');
      return needed.filter((status) => !operation.responses[status]).map((status) => `${method} ${path} ${status}`);
    });
    expect(missing).toEqual([]);
  });

  it('declares, for every route that streams a stored file, partial content, not modified and an unsatisfiable range', () => {
    // A stored file is any media type: such routes declare their success as */*.
    const files = operations().filter(({ operation }) => Object.keys(operation.responses['200']?.content ?? {}).includes('*/*'));
    expect(files.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(['GET /api/attachments/{id}/download', 'GET /api/documents/{id}/download']);
    for (const { operation } of files) expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '206', '304', '416']));
  });
});

describe('what file and export routes answer', () => {
  const problems: string[] = [];
  const check = async (who: Participant | null, url: string, headers: Record<string, string> = {}) => {
    const response = await request(t.app, { url, headers, ...(who ? { cookie: who.cookie } : {}) });
    const wrong = undeclared('GET', url, response);
    if (wrong) problems.push(`${wrong} (${JSON.stringify(headers)})`);
    return response;
  };

  it('is declared, for downloads of documents and attachments in every way they are asked for', async () => {
    const bytes = Buffer.from('Cifras nacionales e internacionales, 2026.\n');
    const uploaded = await upload(t.app, people.secretariat, { name: 'cifras.txt', bytes }, metadata({ visibility: 'group' }));
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const thread = await startThread(t.app, people.member, { categoryId: await categoryId(t.app, people.member, 'general') });
    const post = await reply(t.app, people.member, thread.thread.id, 'Con archivo');
    const form = await multipart({}, { name: 'serie.csv', bytes: Buffer.from('pais;valor\ncl;1\n') });
    const attached = await request(t.app, { method: 'POST', url: `/api/posts/${post.id}/attachments`, cookie: people.member.cookie, payload: form.payload, headers: { 'content-type': form.contentType } });
    expect(attached.statusCode, attached.body).toBe(201);
    const attachmentId = (await api(t.app, people.member, 'GET', `/threads/${thread.thread.id}/posts`)).json().items.find((item: { id: string }) => item.id === post.id).attachments[0].id as string;

    const statuses = new Set<number>();
    for (const url of [`/api/documents/${uploaded.json().document.id}/download`, `/api/attachments/${attachmentId}/download`]) {
      const whole = await check(people.member, url);
      expect(whole.statusCode).toBe(200);
      const etag = String(whole.headers.etag);
      const asked: Array<Record<string, string>> = [{ range: 'bytes=0-3' }, { range: 'bytes=5000-6000' }, { range: 'bytes=-99999' }, { 'if-none-match': etag }, { 'if-match': '"not-this-one"' }, { range: 'bytes=0-3', 'if-range': '"old"' }];
      for (const headers of asked) {
        statuses.add((await check(people.member, url, headers)).statusCode);
      }
      statuses.add((await check(people.member, `${url}?disposition=sideways`)).statusCode);
      statuses.add((await check(people.member, url.replace(/\/(documents|attachments)\/[^/]+/, '/$1/no-such-id'))).statusCode);
      statuses.add((await check(null, url)).statusCode);
    }
    expect(problems).toEqual([]);
    // The answers above covered what a download may be.
    expect([...statuses]).toEqual(expect.arrayContaining([206, 304, 400, 404, 416]));
  });

  it('is declared, for calendars and exports, whether they succeed or fail', async () => {
    problems.length = 0;
    const meeting = await createMeeting(t.app, people.coordinator, { title: 'Reunión', startsAt: '2026-05-05T14:00:00.000Z', endsAt: '2026-05-05T15:00:00.000Z' });
    const polling = await api(t.app, people.coordinator, 'POST', '/meetings', {
      title: 'Sin fecha',
      kind: 'virtual_meeting',
      timeZone: 'America/Santiago',
      invitees: { everyone: true },
      poll: { slots: [{ startsAt: '2026-07-01T14:00:00.000Z', endsAt: '2026-07-01T15:00:00.000Z' }, { startsAt: '2026-07-02T14:00:00.000Z', endsAt: '2026-07-02T15:00:00.000Z' }] },
    });
    const feed = (await api(t.app, people.member, 'POST', '/calendar/feed', {})).json().feed.url as string;
    const feedPath = new URL(feed).pathname;

    const ics = await check(people.member, `/api/meetings/${meeting.id}/calendar.ics`);
    expect(ics.statusCode).toBe(200);
    expect((await check(people.member, `/api/meetings/${polling.json().meeting.id}/calendar.ics`)).statusCode).toBe(409);
    expect((await check(people.member, '/api/meetings/no-such-meeting/calendar.ics')).statusCode).toBe(404);
    expect((await check(null, `/api/meetings/${meeting.id}/calendar.ics`)).statusCode).toBe(401);
    const calendar = await check(null, feedPath);
    expect(calendar.statusCode).toBe(200);
    // A feed that gives a validator is revalidated: the answer (304) must be declared too.
    if (calendar.headers.etag) await check(null, feedPath, { 'if-none-match': String(calendar.headers.etag) });
    if (calendar.headers['last-modified']) await check(null, feedPath, { 'if-modified-since': String(calendar.headers['last-modified']) });
    expect((await check(null, feedPath.replace(/\/calendar\/[^/]+\//, '/calendar/abcdefghijklmnopqrstuvwxyz234567/'))).statusCode).toBe(404);

    for (const format of ['minutes.md', 'minutes.html', 'room/attendance.csv']) {
      await check(people.member, `/api/meetings/${meeting.id}/${format}`);
      expect((await check(people.member, `/api/meetings/no-such-meeting/${format}`)).statusCode).toBe(404);
      expect((await check(people.member, `/api/meetings/${meeting.id}/${format}?lang=xx`)).statusCode).toBe(400);
    }
    expect(problems).toEqual([]);
  });
});
