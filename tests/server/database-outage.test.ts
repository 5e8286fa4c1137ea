import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, buildTestApp, request, setUpGroup, type TestApp } from '../helper.js';
import { postgresUnavailable, startPgCluster, type PgCluster } from '../support/postgres.js';
import { expectError } from './support.js';

/**
 * PostgreSQL going away under a running app (a failover, a restart): requests that need it answer
 * 503 `database_unavailable` with Retry-After in the standard error shape, never a 500, and the same
 * app serves again once PostgreSQL is back, without a restart. Its own private cluster, stopped and
 * started again on the same port, since the run's shared cluster serves other files meanwhile.
 */
const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)('PostgreSQL unavailable', () => {
  let cluster: PgCluster;
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    cluster = await startPgCluster();
    const maintenance = new pg.Client({ connectionString: cluster.url('postgres') });
    await maintenance.connect();
    await maintenance.query('CREATE DATABASE outage');
    await maintenance.end();
    t = await buildTestApp({ DATABASE_URL: cluster.url('outage') });
    admin = await setUpGroup(t.app);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await cluster?.stop();
  });

  it('answers 503 database_unavailable while PostgreSQL is down, and serves again once it is back', async () => {
    expect((await request(t.app, { url: '/api/directory', cookie: admin })).statusCode).toBe(200);

    await cluster.pause();
    const read = await request(t.app, { url: '/api/directory', cookie: admin });
    expectError(read, 503, 'database_unavailable');
    expect(Number(read.headers['retry-after'])).toBeGreaterThan(0);
    const write = await request(t.app, { method: 'POST', url: '/api/auth/login', payload: ADMIN });
    expectError(write, 503, 'database_unavailable');

    await cluster.resume();
    expect((await request(t.app, { url: '/api/directory', cookie: admin })).statusCode).toBe(200);
    expect((await request(t.app, { method: 'POST', url: '/api/auth/login', payload: ADMIN })).statusCode).toBe(200);
  }, 120_000);
});
