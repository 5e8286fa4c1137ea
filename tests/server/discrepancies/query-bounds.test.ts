import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helper.js';
import { api, populate, type People } from '../debates/support.js';
import { expectError } from '../support.js';

/** Found by the fuzzer (tests/server/fuzz.test.ts): a case list filter out of any real range is a 400, not a 500. */
let t: TestApp;
let people: People;
beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
});
afterAll(async () => t.close());

describe('the case list with filters no case can match', () => {
  it.each(['year=2087&limit=1e309', 'year=2087', 'limit=1e309', 'year=99999999999999999999', 'offset=1e308'])('%s: a clear answer, never a 500', async (query) => {
    const response = await api(t.app, people.coordinator, 'GET', `/discrepancies/cases?${query}`);
    if (response.statusCode === 200) expect(response.json().items).toEqual([]);
    else expectError(response, 400, 'validation_failed');
  });
});
