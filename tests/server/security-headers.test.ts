import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { builtClientDir } from '../../server/shared/paths.js';
import { minimalPdf } from '../fixtures/documents.js';
import { addPerson, sessionCookie } from '../helper.js';
import { multipart } from './documents/support.js';
import { TestClock } from './meetings/support.js';
import { fichaTecnica } from './consultations/fixtures.js';
import { styledDocx } from '../fixtures/structured-docx.js';
import { DRAFT_V1 } from './rounds/world.js';

/**
 * The security headers of every kind of response the server gives, driven by one table: a new
 * kind of response is one row. Each row is asked of the real server on a real port (what a
 * browser sees, Node's own headers included), first with an http PUBLIC_URL, then again on the
 * same data with an https one, where every answer must also carry Strict-Transport-Security.
 *
 * Every operation the OpenAPI document declares with a non-JSON answer (a download, an export, a
 * printable page) must be named by a row (`route`): the last test fails for a new one until it is.
 *
 * What a kind must carry:
 * - everywhere: nosniff, Referrer-Policy, framing refused (X-Frame-Options and, in any CSP,
 *   frame-ancestors 'none'), Cross-Origin-Resource-Policy, a Content-Security-Policy, no
 *   X-Powered-By, no Server version; HSTS exactly when PUBLIC_URL is https;
 * - HTML: a CSP that runs no inline or foreign script and loads no plugin, and
 *   Cross-Origin-Opener-Policy;
 * - caching by what the answer holds: `no-store` for private data without a validator;
 *   `private, no-cache` with an ETag for private data the browser revalidates (thread pages,
 *   files, calendars: the contract in docs/); `no-cache` for the app shell (no private data);
 *   a year, immutable, for hashed assets.
 */

const HTTP_ORIGIN = 'http://127.0.0.1:3000';
const HTTPS_ORIGIN = 'https://concilia.example.org';
const PASSWORD = 'a-long-admin-password';
const MINUTE = 60_000;

type Kind = 'page' | 'asset' | 'api' | 'file' | 'html-export';
type Caching = 'no-store' | 'revalidate-private' | 'revalidate' | 'immutable';

interface Answer {
  status: number;
  headers: Record<string, string>;
}

/** What the world set-up made, for rows to ask about. */
interface World {
  admin: string;
  member: string;
  memberId: string;
  consultationId: string;
  roundId: string;
  secretariat: string;
  throttled: { email: string; password: string };
  threadId: string;
  documentId: string;
  attachmentId: string;
  meetingId: string;
  feedPath: string;
  asset: string;
}

interface Context {
  base: string;
  origin: string;
  world: World;
}

interface Row {
  name: string;
  /** The OpenAPI operation it asks ("GET /api/..."): every download or export the document declares must be one row's. */
  route?: string;
  kind: Kind;
  status: number;
  caching: Caching;
  ask(ctx: Context): Promise<Answer>;
}

async function get(ctx: Context, url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return send(ctx, 'GET', url, undefined, headers);
}

async function send(ctx: Context, method: string, url: string, body: string | undefined, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(ctx.base + url, { method, headers, ...(body === undefined ? {} : { body }), redirect: 'manual' });
  await response.arrayBuffer();
  return { status: response.status, headers: Object.fromEntries(response.headers) };
}

const json = (ctx: Context, method: string, url: string, payload: unknown, cookie?: string, origin = ctx.origin) =>
  send(ctx, method, url, JSON.stringify(payload), { 'content-type': 'application/json', origin, ...(cookie ? { cookie } : {}) });

/** A websocket upgrade, answered without upgrading: the status and headers the refusal carried. */
function refusedUpgrade(ctx: Context, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A connection of its own: the server closes a connection whose upgrade it refused.
    const request = httpRequest(`${ctx.base}/api/live`, {
      agent: false,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
      timeout: 5_000,
    });
    request.on('upgrade', (_response, socket) => {
      socket.destroy();
      reject(new Error('the upgrade was accepted'));
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers as Record<string, string> }));
    });
    request.on('timeout', () => request.destroy(new Error('no answer to the upgrade')));
    request.on('error', reject);
    request.end();
  });
}

/** Headers over Node's 16 KB limit: refused by the HTTP parser before Fastify has a request. */
function oversizedHeaders(ctx: Context): Promise<Answer> {
  const { hostname, port } = new URL(ctx.base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let raw = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer to oversized headers')));
    socket.on('connect', () => socket.write(`GET /api/health HTTP/1.1\r\nHost: ${hostname}\r\nCookie: x=${'a'.repeat(20_000)}\r\n\r\n`));
    socket.on('data', (chunk) => (raw += chunk.toString('latin1')));
    socket.on('error', (error) => (raw ? undefined : reject(error)));
    socket.on('close', () => {
      const [head = ''] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers });
    });
  });
}

const ROWS: Row[] = [
  // The client: its shell under any client route, its files.
  { name: 'the app shell at /', kind: 'page', status: 200, caching: 'revalidate', ask: (ctx) => get(ctx, '/') },
  { name: 'the app shell under a client route', kind: 'page', status: 200, caching: 'revalidate', ask: (ctx) => get(ctx, `/threads/${ctx.world.threadId}`) },
  { name: 'a hashed asset', kind: 'asset', status: 200, caching: 'immutable', ask: (ctx) => get(ctx, ctx.world.asset) },
  { name: 'an unhashed static file', kind: 'asset', status: 200, caching: 'revalidate', ask: (ctx) => get(ctx, '/favicon.svg') },
  { name: 'a write to a page address (404 outside /api)', kind: 'api', status: 404, caching: 'no-store', ask: (ctx) => json(ctx, 'POST', '/threads', {}) },

  // API answers carrying private data, and every kind of refusal.
  { name: 'API 200: who I am', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, '/api/me', { cookie: ctx.world.member }) },
  { name: 'API 200: search', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, '/api/search?q=cifras', { cookie: ctx.world.member }) },
  { name: 'API 200: the meetings list', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, '/api/meetings?view=upcoming', { cookie: ctx.world.member }) },
  { name: 'API 200: the document list', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, '/api/documents', { cookie: ctx.world.member }) },
  { name: 'API 201: a new post', kind: 'api', status: 201, caching: 'no-store', ask: (ctx) => json(ctx, 'POST', `/api/threads/${ctx.world.threadId}/posts`, { body: 'Cifras revisadas.' }, ctx.world.member) },
  { name: 'API 200: a thread page (revalidated by ETag)', kind: 'api', status: 200, caching: 'revalidate-private', ask: (ctx) => get(ctx, `/api/threads/${ctx.world.threadId}/posts?view=chronological`, { cookie: ctx.world.secretariat }) },
  {
    name: 'API 304: a thread page not modified',
    kind: 'api',
    status: 304,
    caching: 'revalidate-private',
    ask: async (ctx) => {
      const url = `/api/threads/${ctx.world.threadId}/posts?view=chronological&limit=1`;
      const etag = (await get(ctx, url, { cookie: ctx.world.secretariat })).headers.etag!;
      return get(ctx, url, { cookie: ctx.world.secretariat, 'if-none-match': etag });
    },
  },
  { name: 'API 400: invalid body', kind: 'api', status: 400, caching: 'no-store', ask: (ctx) => json(ctx, 'POST', '/api/auth/login', {}) },
  { name: 'API 400: an address the router cannot decode', kind: 'api', status: 400, caching: 'no-store', ask: (ctx) => get(ctx, '/api/people/%E0%A4%A', { cookie: ctx.world.member }) },
  { name: 'API 414: a path segment too long', kind: 'api', status: 414, caching: 'no-store', ask: (ctx) => get(ctx, `/api/people/${'x'.repeat(101)}`, { cookie: ctx.world.member }) },
  { name: 'API 431: headers over 16 KB (refused by the HTTP parser)', kind: 'api', status: 431, caching: 'no-store', ask: (ctx) => oversizedHeaders(ctx) },
  { name: 'API 401: no session', kind: 'api', status: 401, caching: 'no-store', ask: (ctx) => get(ctx, '/api/me') },
  { name: 'API 403: a role that may not', kind: 'api', status: 403, caching: 'no-store', ask: (ctx) => json(ctx, 'POST', '/api/invitations', { email: 'x@example.org', role: 'member', countryId: 'cl' }, ctx.world.member) },
  { name: 'API 403: a foreign Origin', kind: 'api', status: 403, caching: 'no-store', ask: (ctx) => json(ctx, 'POST', '/api/auth/logout', {}, ctx.world.member, 'https://evil.example') },
  { name: 'API 404: no such route', kind: 'api', status: 404, caching: 'no-store', ask: (ctx) => get(ctx, '/api/no-such-thing') },
  { name: 'API 404: no such document', kind: 'api', status: 404, caching: 'no-store', ask: (ctx) => get(ctx, '/api/documents/doc_nonexistent000000000', { cookie: ctx.world.member }) },
  {
    name: 'API 413: a body over 1 MB',
    kind: 'api',
    status: 413,
    caching: 'no-store',
    ask: (ctx) => json(ctx, 'POST', `/api/threads/${ctx.world.threadId}/posts`, { body: 'x'.repeat(1_100_000) }, ctx.world.member),
  },
  {
    name: 'API 429: sign-ins throttled',
    kind: 'api',
    status: 429,
    caching: 'no-store',
    ask: async (ctx) => {
      for (let attempt = 0; attempt < 3; attempt += 1) await json(ctx, 'POST', '/api/auth/login', { email: ctx.world.throttled.email, password: 'wrong-password-1' });
      return json(ctx, 'POST', '/api/auth/login', ctx.world.throttled);
    },
  },
  { name: 'API 426: the live channel asked without an upgrade', kind: 'api', status: 426, caching: 'no-store', ask: (ctx) => get(ctx, '/api/live', { cookie: ctx.world.member }) },
  { name: 'websocket upgrade refused: no session', kind: 'api', status: 401, caching: 'no-store', ask: (ctx) => refusedUpgrade(ctx, { origin: ctx.origin }) },
  { name: 'websocket upgrade refused: a foreign Origin', kind: 'api', status: 403, caching: 'no-store', ask: (ctx) => refusedUpgrade(ctx, { origin: 'https://evil.example', cookie: ctx.world.member }) },
  { name: 'the OpenAPI document', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, '/api/openapi.json') },

  // Downloads.
  { name: 'a document shown inline (PDF)', route: 'GET /api/documents/{id}/download', kind: 'file', status: 200, caching: 'revalidate-private', ask: (ctx) => get(ctx, `/api/documents/${ctx.world.documentId}/download`, { cookie: ctx.world.member }) },
  {
    name: 'a document as an attachment',
    kind: 'file',
    status: 200,
    caching: 'revalidate-private',
    ask: (ctx) => get(ctx, `/api/documents/${ctx.world.documentId}/download?disposition=attachment`, { cookie: ctx.world.member }),
  },
  {
    name: 'a byte range of a document (206)',
    route: 'GET /api/documents/{id}/download',
    kind: 'file',
    status: 206,
    caching: 'revalidate-private',
    ask: (ctx) => get(ctx, `/api/documents/${ctx.world.documentId}/download`, { cookie: ctx.world.member, range: 'bytes=0-99' }),
  },
  {
    name: 'a byte range outside the document (416)',
    kind: 'api',
    status: 416,
    caching: 'no-store',
    ask: (ctx) => get(ctx, `/api/documents/${ctx.world.documentId}/download`, { cookie: ctx.world.member, range: 'bytes=999999-' }),
  },
  { name: 'a document asked for by HEAD', kind: 'file', status: 200, caching: 'revalidate-private', ask: (ctx) => send(ctx, 'HEAD', `/api/documents/${ctx.world.documentId}/download`, undefined, { cookie: ctx.world.member }) },
  { name: 'a post attachment', route: 'GET /api/attachments/{id}/download', kind: 'file', status: 200, caching: 'revalidate-private', ask: (ctx) => get(ctx, `/api/attachments/${ctx.world.attachmentId}/download`, { cookie: ctx.world.member }) },

  // Exports.
  { name: 'attendance as CSV', route: 'GET /api/meetings/{id}/room/attendance.csv', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, `/api/meetings/${ctx.world.meetingId}/room/attendance.csv`, { cookie: ctx.world.secretariat }) },
  { name: 'minutes as Markdown', route: 'GET /api/meetings/{id}/minutes.md', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, `/api/meetings/${ctx.world.meetingId}/minutes.md`, { cookie: ctx.world.member }) },
  { name: 'minutes as a printable HTML page', route: 'GET /api/meetings/{id}/minutes.html', kind: 'html-export', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, `/api/meetings/${ctx.world.meetingId}/minutes.html`, { cookie: ctx.world.member }) },

  // Calendars.
  { name: "a meeting's .ics", route: 'GET /api/meetings/{id}/calendar.ics', kind: 'api', status: 200, caching: 'revalidate-private', ask: (ctx) => get(ctx, `/api/meetings/${ctx.world.meetingId}/calendar.ics`, { cookie: ctx.world.member }) },
  { name: 'the personal calendar feed (token, no session)', route: 'GET /api/calendar/{token}/meetings.ics', kind: 'api', status: 200, caching: 'revalidate-private', ask: (ctx) => get(ctx, ctx.world.feedPath) },
  // The newer features' downloads and exports, and the administrators' mail pages.
  { name: 'consultation answers as CSV', route: 'GET /api/consultations/{id}/export.csv', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, `/api/consultations/${ctx.world.consultationId}/export.csv?layout=long`, { cookie: ctx.world.secretariat }) },
  { name: 'consultation answers as XLSX', route: 'GET /api/consultations/{id}/export.xlsx', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, `/api/consultations/${ctx.world.consultationId}/export.xlsx`, { cookie: ctx.world.secretariat }) },
  { name: 'the national discrepancy template as CSV', route: 'GET /api/discrepancies/template', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, '/api/discrepancies/template?lang=es', { cookie: ctx.world.member }) },
  { name: 'the national discrepancy template as XLSX', route: 'GET /api/discrepancies/template', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, '/api/discrepancies/template?format=xlsx', { cookie: ctx.world.member }) },
  { name: "a comment round's matrix as XLSX", route: 'GET /api/rounds/{id}/matrix.xlsx', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, `/api/rounds/${ctx.world.roundId}/matrix.xlsx`, { cookie: ctx.world.secretariat }) },
  { name: "a comment round's matrix, printable", route: 'GET /api/rounds/{id}/matrix.html', kind: 'html-export', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, `/api/rounds/${ctx.world.roundId}/matrix.html`, { cookie: ctx.world.secretariat }) },
  { name: "a consultation's printable report", route: 'GET /api/consultations/{id}/report.html', kind: 'html-export', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, `/api/consultations/${ctx.world.consultationId}/report.html`, { cookie: ctx.world.secretariat }) },
  { name: 'the discrepancy cases as CSV', route: 'GET /api/discrepancies/exports/cases', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, '/api/discrepancies/exports/cases?format=csv', { cookie: ctx.world.secretariat }) },
  { name: 'the discrepancy matrix as XLSX', route: 'GET /api/discrepancies/exports/matrix', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, '/api/discrepancies/exports/matrix?format=xlsx', { cookie: ctx.world.secretariat }) },
  // This world holds no case: the note's refusal is checked here, its page in discrepancies/exports.test.ts.
  { name: "a case note of a case one may not see", route: 'GET /api/discrepancies/cases/{id}/note', kind: 'api', status: 404, caching: 'no-store', ask: (ctx) => get(ctx, '/api/discrepancies/cases/no-such-case/note', { cookie: ctx.world.member }) },
  { name: 'the audit log as CSV', route: 'GET /api/admin/audit.csv', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, '/api/admin/audit.csv', { cookie: ctx.world.admin }) },
  {
    name: 'the page an unsubscribe link opens',
    route: 'GET /api/mail/unsubscribe/{token}',
    kind: 'html-export',
    status: 200,
    caching: 'no-store',
    ask: async (ctx) => get(ctx, new URL(await app!.mail.unsubscribeUrl(ctx.world.memberId, 'reply')).pathname),
  },
  {
    name: 'a one-click unsubscribe (RFC 8058)',
    route: 'POST /api/mail/unsubscribe/{token}',
    kind: 'api',
    status: 200,
    caching: 'no-store',
    ask: async (ctx) => send(ctx, 'POST', new URL(await app!.mail.unsubscribeUrl(ctx.world.memberId, 'reply')).pathname, 'List-Unsubscribe=One-Click', { 'content-type': 'application/x-www-form-urlencoded' }),
  },
  { name: 'the mail outbox (admin)', kind: 'api', status: 200, caching: 'no-store', ask: (ctx) => get(ctx, '/api/admin/mail/outbox', { cookie: ctx.world.admin }) },
  { name: 'the app shell at the mail outbox page', kind: 'page', status: 200, caching: 'revalidate', ask: (ctx) => get(ctx, '/mail/outbox') },
];

const directives = (policy: string) => new Map(policy.split(';').map((part) => part.trim()).filter(Boolean).map((part) => [part.split(/\s+/)[0]!, part.split(/\s+/).slice(1)] as const));

function checkRow(row: Row, answer: Answer, https: boolean): void {
  const h = answer.headers;
  const where = `${row.name}: ${JSON.stringify(h)}`;
  expect(answer.status, where).toBe(row.status);
  // Soft: a row lists every header it lacks, not only the first.

  // Everywhere.
  expect.soft(h['x-content-type-options'], where).toBe('nosniff');
  expect.soft(h['referrer-policy'] ?? '', where).toMatch(/^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/);
  expect.soft(h['x-frame-options'], where).toBe('DENY');
  expect.soft(h['cross-origin-resource-policy'], where).toBe('same-origin');
  expect.soft(h['x-powered-by'], where).toBeUndefined();
  if (h.server !== undefined) expect.soft(h.server, where).not.toMatch(/\d/);
  if (https) {
    const maxAge = Number(/max-age=(\d+)/.exec(h['strict-transport-security'] ?? '')?.[1]);
    expect.soft(maxAge, where).toBeGreaterThanOrEqual(180 * 24 * 3600);
  } else {
    // Over http a browser ignores it, and a proxy that adds TLS later would be pinned by a test run.
    expect.soft(h['strict-transport-security'], where).toBeUndefined();
  }
  const policy = directives(h['content-security-policy'] ?? '');
  expect.soft(policy.size, `${where}: a Content-Security-Policy`).toBeGreaterThan(0);
  expect.soft(policy.get('frame-ancestors'), where).toEqual(["'none'"]);

  // Where HTML is served: nothing runs but the site's own script, no plugins, no foreign opener.
  const isHtml = (h['content-type'] ?? '').startsWith('text/html');
  expect.soft(isHtml, where).toBe(row.kind === 'page' || row.kind === 'html-export');
  if (isHtml) {
    const scripts = policy.get('script-src') ?? policy.get('default-src') ?? [];
    expect.soft(scripts.length, where).toBeGreaterThan(0);
    for (const source of scripts) expect.soft(["'self'", "'none'"], `${where}: script source ${source}`).toContain(source);
    expect.soft(policy.get('object-src') ?? policy.get('default-src'), where).toEqual(["'none'"]);
    expect.soft(policy.get('base-uri'), where).toBeDefined();
    expect.soft(policy.get('form-action'), where).toBeDefined();
    expect.soft(h['cross-origin-opener-policy'], where).toBe('same-origin');
  }
  if (row.kind === 'file') {
    // A stored file is never a page of this site: inline only what browsers show without running it.
    expect.soft(policy.get('default-src'), where).toEqual(["'none'"]);
    if (!/^inline/.test(h['content-disposition'] ?? '')) expect.soft(policy.has('sandbox'), where).toBe(true);
  }

  const cache = (h['cache-control'] ?? '').split(',').map((part) => part.trim());
  switch (row.caching) {
    case 'no-store':
      expect.soft(cache, where).toContain('no-store');
      break;
    case 'revalidate-private':
      expect.soft(cache, where).toContain('private');
      expect.soft(cache.includes('no-cache') || cache.includes('no-store'), where).toBe(true);
      expect.soft(h.etag, where).toBeTruthy();
      break;
    case 'revalidate':
      expect.soft(cache, where).toContain('no-cache');
      break;
    case 'immutable':
      expect.soft(cache, where).toContain('immutable');
      expect.soft(Number(/max-age=(\d+)/.exec(h['cache-control'] ?? '')?.[1]), where).toBeGreaterThanOrEqual(365 * 24 * 3600);
      break;
  }
}

const clock = new TestClock(Date.now());
const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-headers-'));
let app: FastifyInstance | null = null;
let world: World;

async function start(publicUrl: string): Promise<Context> {
  await app?.close();
  const config = loadConfig(
    { DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: publicUrl, LOGIN_MAX_FAILURES_PER_ACCOUNT: '2' },
    { clientDir: builtClientDir, now: clock.now },
  );
  app = await buildApp(config, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, origin: new URL(publicUrl).origin, world };
}

/** People, a thread with an attachment, a document, a meeting with published minutes, a calendar feed. */
async function makeWorld(app: FastifyInstance): Promise<World> {
  const inject = async (method: string, url: string, cookie: string | null, payload?: unknown, headers: Record<string, string> = {}) => {
    const response = await app.inject({
      method: method as 'GET',
      url,
      headers: { origin: HTTP_ORIGIN, ...(cookie ? { cookie } : {}), ...headers },
      ...(payload === undefined ? {} : { payload: payload as string }),
    });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response;
  };
  const admin = sessionCookie(
    await inject('POST', '/api/setup', null, { groupName: 'Grupo ODM', displayName: 'Ana Admin', email: 'admin@cepal.org', password: PASSWORD, locale: 'es', timeZone: 'America/Santiago', organizationId: 'eclac' }),
  );
  const member = (await addPerson(app, admin, 'member', { countryId: 'cl' })).cookie;
  const secretariat = (await addPerson(app, admin, 'secretariat')).cookie;
  const throttled = await addPerson(app, admin, 'observer');

  const categories = (await inject('GET', '/api/categories', member)).json().items as Array<{ id: string; slug: string }>;
  const threadId = (await inject('POST', '/api/threads', member, { categoryId: categories.find((c) => c.slug === 'general')!.id, title: 'Cifras de mortalidad', body: 'Las cifras difieren.' })).json().thread.id as string;
  const postId = (await inject('POST', `/api/threads/${threadId}/posts`, member, { body: 'Adjunto la serie.' })).json().post.id as string;
  const csv = await multipart({}, { name: 'serie.csv', bytes: Buffer.from('año;tasa\n2020;14,2\n') });
  const attachmentId = (await inject('POST', `/api/posts/${postId}/attachments`, member, csv.payload, { 'content-type': csv.contentType })).json().attachment.id as string;

  const pdf = await multipart(
    { metadata: JSON.stringify({ title: { es: 'Informe', en: 'Report' }, description: { es: '', en: '' }, type: 'report', languages: ['es'], publicationDate: '2026-10-01', tags: [], indicatorCodes: [], visibility: 'group' }) },
    { name: 'informe.pdf', bytes: minimalPdf('Informe de conciliación') },
  );
  const documentId = (await inject('POST', '/api/documents', secretariat, pdf.payload, { 'content-type': pdf.contentType })).json().document.id as string;

  const startsAt = clock.ms + 5 * MINUTE;
  const meeting = (
    await inject('POST', '/api/meetings', secretariat, {
      title: 'Taller de conciliación',
      kind: 'virtual_workshop',
      description: '',
      agenda: [{ title: 'Apertura', presenter: '', minutes: 10 }],
      timeZone: 'America/Santiago',
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 60 * MINUTE).toISOString(),
      onlineUrl: 'https://meet.jit.si/concilia',
      accessNotes: '',
      invitees: { everyone: true },
    })
  ).json().meeting as { id: string; occurrences: Array<{ id: string }> };
  clock.set(startsAt + 30 * MINUTE);
  const occurrenceId = meeting.occurrences[0]!.id;
  await inject('PATCH', `/api/meetings/${meeting.id}/minutes`, secretariat, { occurrenceId, revision: 0, introduction: 'Se revisaron las cifras.' });
  await inject('POST', `/api/meetings/${meeting.id}/minutes/publish`, secretariat, { occurrenceId, revision: 1 });

  const consultationId = (
    await inject('POST', '/api/consultations', secretariat, {
      title: { es: 'Ficha técnica', en: 'Technical questionnaire' },
      purpose: { es: 'Inventario.', en: 'Inventory.' },
      deadline: { date: new Date(clock.ms + 30 * 24 * 60 * MINUTE).toISOString().slice(0, 10), time: '23:59', zone: 'America/Santiago' },
      targets: ['cl', 'mx'],
      questionnaire: fichaTecnica(),
    })
  ).json().consultation.id as string;
  await inject('POST', `/api/consultations/${consultationId}/open`, secretariat, {});
  const docx = await multipart(
    { metadata: JSON.stringify({ title: { es: 'Informe', en: 'Report' }, description: { es: '', en: '' }, type: 'report', languages: ['es'], publicationDate: '2026-10-01', tags: [], indicatorCodes: [], visibility: 'group' }) },
    { name: 'informe.docx', bytes: styledDocx(DRAFT_V1) },
  );
  const draftId = (await inject('POST', '/api/documents', secretariat, docx.payload, { 'content-type': docx.contentType })).json().document.id as string;
  const roundId = (
    await inject('POST', '/api/rounds', secretariat, { documentId: draftId, version: 1, consulted: { countryIds: ['cl'], organizationIds: [] }, deadline: new Date(clock.ms + 7 * 24 * 60 * MINUTE).toISOString() })
  ).json().round.id as string;
  const memberId = (await inject('GET', '/api/me', member)).json().user.id as string;
  const feedUrl = new URL((await inject('POST', '/api/calendar/feed', member, {})).json().feed.url as string);
  const shell = readFileSync(path.join(builtClientDir, 'index.html'), 'utf8');
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(shell)?.[1];
  if (!asset) throw new Error('no hashed script in the built index.html');
  return { admin, member, memberId, consultationId, roundId, secretariat, throttled: { email: throttled.email, password: throttled.password }, threadId, documentId, attachmentId, meetingId: meeting.id, feedPath: feedUrl.pathname, asset };
}

beforeAll(async () => {
  if (!existsSync(path.join(builtClientDir, 'index.html'))) throw new Error('The client is not built: run "npx vite build" first (npm test does).');
  await start(HTTP_ORIGIN);
  world = await makeWorld(app!);
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.each([
  ['http', HTTP_ORIGIN],
  ['https', HTTPS_ORIGIN],
])('security headers with a PUBLIC_URL over %s', (scheme, publicUrl) => {
  let ctx: Context;
  beforeAll(async () => {
    ctx = await start(publicUrl);
  });

  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    checkRow(row, await row.ask(ctx), scheme === 'https');
  });
});

describe('every download and export the API declares', () => {
  it('has a row above: each operation answering anything but JSON is asked by one (a new one fails here until it is)', async () => {
    const document = (await app!.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> };
    const downloads = new Set<string>();
    for (const [route, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          if (status.startsWith('2') && Object.keys(response.content ?? {}).some((type) => type !== 'application/json')) downloads.add(`${method.toUpperCase()} ${route}`);
        }
      }
    }
    // The document is what it is checked against: it must list the downloads known today.
    expect([...downloads]).toEqual(expect.arrayContaining(['GET /api/documents/{id}/download', 'GET /api/consultations/{id}/export.xlsx', 'GET /api/rounds/{id}/matrix.html']));
    const covered = new Set(ROWS.map((row) => row.route).filter(Boolean));
    expect([...downloads].filter((route) => !covered.has(route)).sort()).toEqual([]);
    // And no row names an operation the document no longer has.
    const declared = new Set(Object.entries(document.paths).flatMap(([route, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${route}`)));
    expect([...covered].filter((route) => !declared.has(route!))).toEqual([]);
  });
});
