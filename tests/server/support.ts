import { createHash, randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { request, type TestApp } from '../helper.js';
import { openTestDb, type TestDb } from '../support/test-db.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

export { openTestDb, type TestDb };

/**
 * @deprecated SQLite alone: a test using it cannot run on PostgreSQL. Use openTestDb
 * (tests/support/test-db.ts), the same on both engines.
 */
export function openSqliteTestDb(t: TestApp): Database.Database {
  return new Database(t.config.databaseFile);
}

/** Computed here, not imported from the server, so the test does not trust the code under test. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A token of the shape the server issues (base32, lower case), that no row refers to. */
export function randomToken(length = 32): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % 32]).join('');
}

/** The secret part of a `concilia_session=<token>` Cookie header. */
export const tokenOf = (cookieHeader: string): string => cookieHeader.slice(cookieHeader.indexOf('=') + 1);

/** The last path segment of a link the server built (invitation or reset link). */
export const lastSegment = (url: string): string => new URL(url).pathname.split('/').pop()!;

/** The Set-Cookie header for the session cookie, raw, so attribute checks don't depend on a parser. */
export function rawSessionSetCookie(response: LightMyRequestResponse): string | undefined {
  const header = response.headers['set-cookie'];
  const all = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return all.find((line) => line.startsWith('concilia_session='));
}

export function sessionCookieOf(response: LightMyRequestResponse) {
  return response.cookies.find((cookie) => cookie.name === 'concilia_session');
}

/** Asserts the one error shape, `{ error: { code, message, details? } }`, and returns its body. */
export function expectError(response: LightMyRequestResponse, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json() as { error: { code: string; message: string; details?: unknown } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  for (const key of Object.keys(body.error)) expect(['code', 'message', 'details']).toContain(key);
  return body.error;
}

/** The `field` of each entry in an error's details. */
export function detailFields(error: { details?: unknown }): string[] {
  expect(Array.isArray(error.details)).toBe(true);
  return (error.details as Array<{ field: string }>).map((detail) => detail.field);
}

export function login(app: FastifyInstance, email: string, password: string, remoteAddress?: string) {
  return request(app, { method: 'POST', url: '/api/auth/login', payload: { email, password }, ...(remoteAddress ? { remoteAddress } : {}) });
}

export function me(app: FastifyInstance, cookie: string) {
  return request(app, { url: '/api/me', cookie });
}

export async function myId(app: FastifyInstance, cookie: string): Promise<string> {
  const response = await me(app, cookie);
  if (response.statusCode !== 200) throw new Error(`GET /api/me: ${response.statusCode} ${response.body}`);
  return response.json().user.id as string;
}

let outsiders = 0;

/**
 * A person of a second working group on the same database, with a session. The API only ever
 * creates one group (at set-up), but every row belongs to a group and every rule checks it: this
 * person, written straight into the database, is how a test shows that a group's content stays
 * out of another group's reach, whatever their role there.
 */
export async function personOfAnotherGroup(
  t: TestApp,
  role: 'admin' | 'coordinator' | 'secretariat' | 'member' | 'observer',
  affiliation: { countryId?: string; organizationId?: string } = {},
): Promise<{ id: string; cookie: string; groupId: string }> {
  outsiders += 1;
  const db = openTestDb(t);
  try {
    const now = Date.now();
    await db.prepare("insert into groups (id, slug, name, created_at) values (?, 'otro-grupo', 'Otro grupo de trabajo', ?) on conflict do nothing").run(randomUUID(), now);
    const groupId = (await db.prepare<{ id: string }>("select id from groups where slug = 'otro-grupo'").get())!.id;
    const id = randomUUID();
    await db.prepare('insert into users (id, email, display_name, handle, password_hash, created_at) values (?, ?, ?, ?, ?, ?)').run(
      id,
      `outsider-${outsiders}@otro-grupo.example`,
      `Outsider ${outsiders}`,
      `outsider.${outsiders}`,
      'not a password hash: this person signs in through the session below only',
      now,
    );
    await db.prepare('insert into memberships (group_id, user_id, role, country_id, organization_id, joined_at) values (?, ?, ?, ?, ?, ?)').run(
      groupId,
      id,
      role,
      affiliation.countryId ?? null,
      affiliation.organizationId ?? null,
      now,
    );
    const { token } = await t.app.sessions.create(id);
    return { id, cookie: `concilia_session=${token}`, groupId };
  } finally {
    await db.close();
  }
}
