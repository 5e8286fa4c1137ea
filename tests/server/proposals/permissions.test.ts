import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helper.js';
import { api, buildProposalsWorld, type ProposalsWorld, type Who } from './world.js';

/**
 * Who may do what with a proposal, route by route, as a table: every route of the feature × the
 * people who matter to it (the proposer, a moderator, a delegate of a country, an observer, the
 * secretariat, nobody signed in), on fresh proposals so no row depends on another.
 * One position per country: observers and the secretariat take none; a participants proposal
 * takes everyone's. The outcome waits for the close (409 before it), then is the proposer's or a
 * moderator's.
 */

const HOUR = 3_600_000;
let now = new Date('2026-05-04T15:00:00.000Z');
let t: TestApp;
let w: ProposalsWorld;

beforeAll(async () => {
  t = await buildTestApp({}, { now: () => now });
  w = await buildProposalsWorld(t.app);
});
afterAll(async () => t.close());

type Caller = 'proposer' | 'moderator' | 'delegate' | 'observer' | 'secretariat' | 'anonymous';
const CALLERS: Caller[] = ['proposer', 'moderator', 'delegate', 'observer', 'secretariat', 'anonymous'];
const who = (caller: Caller): Who | null =>
  ({ proposer: w.clFocal, moderator: w.coordinator, delegate: w.peFocal, observer: w.observer, secretariat: w.secretariat, anonymous: null })[caller];

interface Row {
  route: string;
  eligibility?: 'participants' | 'one_per_country';
  /** Close the proposal (early, by its proposer) before the call. */
  closed?: boolean;
  call: (id: string, threadId: string) => [method: string, url: string, body?: unknown];
  /** Status per caller, in CALLERS order. */
  expect: [number, number, number, number, number, number];
}

const later = (hours: number) => new Date(now.getTime() + hours * HOUR).toISOString();

const ROWS: Row[] = [
  { route: 'GET /threads/:threadId/proposals', call: (_, thread) => ['GET', `/threads/${thread}/proposals`], expect: [200, 200, 200, 200, 200, 401] },
  { route: 'POST /threads/:threadId/proposals', call: (_, thread) => ['POST', `/threads/${thread}/proposals`, { statement: 'Otra.', closesAt: later(48), eligibility: 'participants' }], expect: [201, 201, 201, 201, 201, 401] },
  { route: 'GET /proposals/:id', call: (id) => ['GET', `/proposals/${id}`], expect: [200, 200, 200, 200, 200, 401] },
  { route: 'PUT /proposals/:id/position (one per country)', call: (id) => ['PUT', `/proposals/${id}/position`, { position: 'agree' }], expect: [200, 403, 200, 403, 403, 401] },
  { route: 'PUT /proposals/:id/position (participants)', eligibility: 'participants', call: (id) => ['PUT', `/proposals/${id}/position`, { position: 'agree' }], expect: [200, 200, 200, 200, 200, 401] },
  { route: 'PUT /proposals/:id/position (closed)', closed: true, call: (id) => ['PUT', `/proposals/${id}/position`, { position: 'agree' }], expect: [409, 403, 409, 403, 403, 401] },
  { route: 'POST /proposals/:id/close', call: (id) => ['POST', `/proposals/${id}/close`], expect: [200, 200, 403, 403, 403, 401] },
  { route: 'PUT /proposals/:id/closing', call: (id) => ['PUT', `/proposals/${id}/closing`, { closesAt: later(96) }], expect: [200, 200, 403, 403, 403, 401] },
  { route: 'PUT /proposals/:id/outcome (open)', call: (id) => ['PUT', `/proposals/${id}/outcome`, { markdown: 'Adoptado.' }], expect: [409, 409, 403, 403, 403, 401] },
  { route: 'PUT /proposals/:id/outcome (closed)', closed: true, call: (id) => ['PUT', `/proposals/${id}/outcome`, { markdown: 'Adoptado.' }], expect: [200, 200, 403, 403, 403, 401] },
];

describe.each(ROWS)('$route', (row) => {
  it.each(CALLERS.map((caller, index) => [caller, row.expect[index]!] as const))('%s → %i', async (caller, status) => {
    const created = await api(t.app, w.clFocal, 'POST', `/threads/${w.threadId}/proposals`, { statement: 'Adoptar el método B.', closesAt: later(72), eligibility: row.eligibility ?? 'one_per_country' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().proposal.id as string;
    if (row.closed) expect((await api(t.app, w.clFocal, 'POST', `/proposals/${id}/close`)).statusCode).toBe(200);
    const [method, url, body] = row.call(id, w.threadId);
    const response = await api(t.app, who(caller), method, url, body);
    expect(response.statusCode, response.body).toBe(status);
    if (status >= 400) expect(response.json().error.code).toEqual(expect.any(String));
  });
});
