import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ADMIN, addPerson, buildTestApp, setUpGroup, type TestApp } from '../helper.js';
import { AuthRepository } from '../../server/features/auth/repository.js';
import { expectError, login, openTestDb, sessionCookieOf } from './support.js';

const PER_ACCOUNT = 3;
const PER_ADDRESS = 4;
const WINDOW_MINUTES = 10;

let t: TestApp;
let adminCookie: string;

beforeAll(async () => {
  t = await buildTestApp({
    LOGIN_MAX_FAILURES_PER_ACCOUNT: String(PER_ACCOUNT),
    LOGIN_MAX_FAILURES_PER_ADDRESS: String(PER_ADDRESS),
    LOGIN_FAILURE_WINDOW_MINUTES: String(WINDOW_MINUTES),
  });
  adminCookie = await setUpGroup(t.app);
});
afterAll(async () => t.close());

function expectThrottled(response: LightMyRequestResponse) {
  const error = expectError(response, 429, 'too_many_attempts');
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_MINUTES * 60);
  expect(error.details).toEqual({ retryAfterSeconds: retryAfter });
  expect(sessionCookieOf(response)).toBeUndefined();
}

describe('failed sign-ins per account', () => {
  it(`blocks the account after ${PER_ACCOUNT} failures, even for the right password, from any address`, async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    // A new address for every attempt: only the per-account counter can be what blocks.
    for (let attempt = 1; attempt <= PER_ACCOUNT; attempt += 1) {
      expectError(await login(t.app, person.email, `wrong-password-${attempt}`, `10.1.0.${attempt}`), 401, 'invalid_credentials');
    }
    expectThrottled(await login(t.app, person.email, person.password, '10.1.0.99'));
    // The e-mail's case does not open a second counter.
    expectThrottled(await login(t.app, person.email.toUpperCase(), person.password, '10.1.0.98'));
    // Other accounts are not affected.
    expect((await login(t.app, ADMIN.email, ADMIN.password, '10.1.0.99')).statusCode).toBe(200);
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    const person = await addPerson(t.app, adminCookie, 'observer');
    const address = '10.1.1.1';
    for (let round = 0; round < 2; round += 1) {
      for (let failure = 1; failure < PER_ACCOUNT; failure += 1) {
        expectError(await login(t.app, person.email, 'wrong-password', `${address}${round}${failure}`), 401, 'invalid_credentials');
      }
      const success = await login(t.app, person.email, person.password, `${address}${round}9`);
      expect(success.statusCode, success.body).toBe(200);
    }
  });
});

describe('failed sign-ins at the same moment', () => {
  // On PostgreSQL the failures' transactions run side by side: each must count, the first ones of a
  // key (no row yet) as much as the later ones.
  it(`count every one of ${PER_ACCOUNT} failures made at once against an account nobody failed for yet`, async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    const attempts = await Promise.all(
      Array.from({ length: PER_ACCOUNT }, (_, attempt) => login(t.app, person.email, `wrong-password-${attempt}`, `10.3.0.${attempt + 1}`)),
    );
    for (const response of attempts) expectError(response, 401, 'invalid_credentials');
    expectThrottled(await login(t.app, person.email, person.password, '10.3.0.99'));
  });

  it(`count every one of ${PER_ADDRESS} failures made at once from a new address`, async () => {
    const address = '10.3.1.1';
    const attempts = await Promise.all(
      Array.from({ length: PER_ADDRESS }, (_, attempt) => login(t.app, `simultaneous${attempt}@example.org`, 'guessing-password', address)),
    );
    for (const response of attempts) expectError(response, 401, 'invalid_credentials');
    expectThrottled(await login(t.app, ADMIN.email, ADMIN.password, address));
  });

  // The sign-ins above hash a password each, which spreads them out; here the counts themselves
  // start together, each in its own unit of work, so that a count read before another's write
  // would be lost every time rather than now and then.
  it('counts ten failures of a new key made in ten units of work at once as ten, and the tenth blocks it', async () => {
    const repository = new AuthRepository(t.app.database);
    const key = 'account:ten-at-once@example.org';
    const policy = { maxFailures: 10, windowMs: WINDOW_MINUTES * 60_000 };
    const now = new Date();
    const counts = await Promise.all(Array.from({ length: 10 }, () => t.app.unitOfWork.run(() => repository.countWithin(key, policy, now, 'now'))));
    expect([...counts].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const db = openTestDb(t);
    try {
      expect(await db.prepare('select failures, blocked_until as "blockedUntil" from login_throttles where key = ?').get(key)).toEqual({
        failures: 10,
        blockedUntil: now.getTime() + policy.windowMs,
      });
    } finally {
      await db.close();
    }
    expect(await repository.blockedFor([key], now)).toBe(policy.windowMs);
  });
});

describe('failed sign-ins per address', () => {
  it(`blocks an address after ${PER_ADDRESS} failures across different e-mails, and only that address`, async () => {
    const address = '10.2.0.1';
    for (let attempt = 1; attempt <= PER_ADDRESS; attempt += 1) {
      expectError(await login(t.app, `stranger${attempt}@example.org`, 'guessing-password', address), 401, 'invalid_credentials');
    }
    expectThrottled(await login(t.app, ADMIN.email, ADMIN.password, address));
    expect((await login(t.app, ADMIN.email, ADMIN.password, '10.2.0.2')).statusCode).toBe(200);
  });
});
