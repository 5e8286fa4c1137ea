import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../server/app.js';
import { loadConfig, type AppConfig } from '../server/config.js';
import type { Role } from '../server/shared/roles.js';
import { databaseForThisFile } from './support/postgres.js';

export const ORIGIN = 'http://127.0.0.1:3000';
export const ADMIN = { email: 'admin@cepal.org', password: 'admin-password-1' } as const;

export interface TestApp {
  app: FastifyInstance;
  config: AppConfig;
  dataDir: string;
  close(): Promise<void>;
}

/** The engine the suite runs on: SQLite, or PostgreSQL with TEST_ENGINE=postgres (docs/postgresql.md). */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/**
 * The real app on a real SQLite file in a fresh temporary folder, migrated from ./migrations; with
 * TEST_ENGINE=postgres, on a fresh PostgreSQL database cloned from the migrated template (files
 * still go to the temporary folder). Call in beforeAll (one database per test file) and close in afterAll.
 */
export async function buildTestApp(env: Record<string, string> = {}, overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-test-'));
  const database = TEST_ENGINE === 'postgres' && env.DATABASE_URL === undefined ? await databaseForThisFile() : null;
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: ORIGIN, ...(database ? { DATABASE_URL: database.url } : {}), ...env }, overrides);
  const app = await buildApp(config, process.env.TEST_LOG ? {} : { logger: false });
  await app.ready();
  return {
    app,
    config,
    dataDir,
    async close() {
      await app.close();
      await database?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The session cookie a response set, as a Cookie header value. */
export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'concilia_session');
  if (!cookie) throw new Error(`no session cookie in response ${response.statusCode}: ${response.body}`);
  return `concilia_session=${cookie.value}`;
}

/** Injects a request as a browser on our own site would send it: Origin set on writes, cookie when given. */
export function request(app: FastifyInstance, options: InjectOptions & { cookie?: string }) {
  const { cookie, headers, ...rest } = options;
  const method = (rest.method ?? 'GET').toUpperCase();
  return app.inject({
    ...rest,
    headers: {
      ...(method === 'GET' || method === 'HEAD' ? {} : { origin: ORIGIN }),
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
  });
}

export async function setUpGroup(app: FastifyInstance): Promise<string> {
  const response = await request(app, {
    method: 'POST',
    url: '/api/setup',
    payload: { groupName: 'Grupo de trabajo ODM', displayName: 'Ana Admin', email: ADMIN.email, password: ADMIN.password, locale: 'es', timeZone: 'America/Santiago', organizationId: 'eclac' },
  });
  if (response.statusCode !== 201) throw new Error(`setup failed: ${response.statusCode} ${response.body}`);
  return sessionCookie(response);
}

let counter = 0;

/** Invites a new person with the role through the API and accepts the invitation; returns their id, e-mail and cookie. */
export async function addPerson(
  app: FastifyInstance,
  inviterCookie: string,
  role: Role,
  affiliation: { countryId?: string; organizationId?: string } = {},
  extra: { displayName?: string; locale?: 'es' | 'en'; password?: string } = {},
) {
  counter += 1;
  const email = `${role}${counter}@example.org`;
  const defaults = role === 'member' ? { countryId: 'cl' } : role === 'secretariat' || role === 'observer' ? { organizationId: role === 'secretariat' ? 'eclac' : 'unicef' } : {};
  const invited = await request(app, { method: 'POST', url: '/api/invitations', cookie: inviterCookie, payload: { email, role, ...defaults, ...affiliation } });
  if (invited.statusCode !== 201) throw new Error(`invite failed: ${invited.statusCode} ${invited.body}`);
  const token = new URL(invited.json().acceptUrl).pathname.split('/').pop()!;
  const password = extra.password ?? `password-${role}-${counter}`;
  const accepted = await request(app, {
    method: 'POST',
    url: `/api/invitations/${token}/accept`,
    payload: { displayName: extra.displayName ?? `${role} ${counter}`, password, locale: extra.locale ?? 'es', timeZone: 'America/Mexico_City' },
  });
  if (accepted.statusCode !== 201) throw new Error(`accept failed: ${accepted.statusCode} ${accepted.body}`);
  return { id: accepted.json().user.id as string, email, password, cookie: sessionCookie(accepted) };
}
