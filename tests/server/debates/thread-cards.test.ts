import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THREAD_CARDS_SQL, THREAD_TITLES_SQL } from '../../../server/features/debates/repository.js';
import { buildTestApp, TEST_ENGINE, type TestApp } from '../../helper.js';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

// About SQLite's query planner (`explain query plan`, its join order over json_each). PostgreSQL's
// planner is cost-based and plans the join itself from its statistics (repository.ts, THREAD_CARDS_PG);
// the answers themselves are covered on both engines by the notices' and notifications' tests.
describe.skipIf(TEST_ENGINE === 'postgres')('threads by id (the subjects of notices and notifications, the group\u2019s titles)', () => {
  it('look each asked thread up by its key, instead of reading every thread of the group for each', () => {
    // SQLite chose to walk the group's threads and scan the asked ids for each: describing one
    // notice's thread read all 1,000 threads of the soak's forum, and mailing a backlog of
    // notices spent most of its time there.
    for (const query of [THREAD_CARDS_SQL, THREAD_TITLES_SQL]) {
      const plan = (t.app.db.$client.prepare(`explain query plan ${query}`).all('["a","b"]', 'g') as Array<{ detail: string }>).map((row) => row.detail);
      expect(plan[0], plan.join('\n')).toMatch(/^SCAN j VIRTUAL TABLE/);
      expect(plan, plan.join('\n')).toContainEqual(expect.stringMatching(/^SEARCH t USING (INDEX sqlite_autoindex_threads_1|PRIMARY KEY) \(id=\?\)/));
    }
  });
});
