import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helper.js';
import { categoryId, reply, startThread } from './debates/support.js';
import { api, buildMeetingsApp, populateMeetings, TestClock, type MeetingPeople, type Participant } from './meetings/support.js';

/**
 * GET /api/home sends a person's answer again, without asking the sections, while nothing has
 * changed (no live event stored since) and for at most a second of the app's clock; any change,
 * the clock, or a failed section makes it worked out afresh. A section of the test's own counts
 * how often the sections are asked.
 */

let t: TestApp;
let people: MeetingPeople;
const clock = new TestClock(Date.parse('2026-03-02T15:00:00Z'));
let asked = 0;
let failNext = false;

interface Section {
  id: string;
  count: number;
  failed: boolean;
  items: Array<{ id: string }>;
}

async function home(who: Participant) {
  const response = await api(t.app, who, 'GET', '/home');
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.headers['cache-control']).toBe('private, no-store');
  return { body: response.body, sections: (response.json() as { sections: Section[] }).sections };
}

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  people = await populateMeetings(t.app);
  t.app.home.register({
    id: 'test.asked',
    order: 99,
    seeAllPath: '/',
    live: () => ({ topics: [], events: [] }),
    load: () => {
      asked += 1;
      if (failNext) {
        failNext = false;
        throw new Error('failing once on purpose');
      }
      return { count: asked, items: [] };
    },
  });
});
afterAll(async () => t.close());

describe('a person\'s home asked again', () => {
  it('is sent as it was while nothing changed, and worked out afresh after a change or a second', async () => {
    const first = await home(people.member);
    const before = asked;
    expect(first.sections.find((section) => section.id === 'test.asked')!.count).toBe(before);

    // Nothing changed: the same bytes, the sections not asked.
    expect((await home(people.member)).body).toBe(first.body);
    expect(asked).toBe(before);

    // Another person's home is their own.
    await home(people.otherMember);
    expect(asked).toBe(before + 1);

    // A new thread (a change, stored as live events): the member sees it at once.
    const general = await categoryId(t.app, people.coordinator, 'general');
    const thread = await startThread(t.app, people.coordinator, { categoryId: general, title: 'Series revisadas' });
    const afterThread = await home(people.member);
    expect(asked).toBe(before + 2);
    expect(afterThread.sections.find((section) => section.id === 'debates.unread')!.items.map((item) => item.id)).toContain(thread.thread.id);

    // A reply in it: asked afresh again, and the kept answer follows.
    await reply(t.app, people.otherMember, thread.thread.id, 'Gracias.');
    await home(people.member);
    expect(asked).toBe(before + 3);
    await home(people.member);
    expect(asked).toBe(before + 3);

    // The clock alone: within the second it holds, at the second it does not.
    clock.advance(999);
    await home(people.member);
    expect(asked).toBe(before + 3);
    clock.advance(1);
    await home(people.member);
    expect(asked).toBe(before + 4);
  });

  it('is not kept when a section failed: the next look asks every section again', async () => {
    clock.advance(5_000);
    failNext = true;
    const failed = await home(people.member);
    expect(failed.sections.find((section) => section.id === 'test.asked')!.failed).toBe(true);
    const before = asked;
    const next = await home(people.member);
    expect(asked).toBe(before + 1);
    expect(next.sections.find((section) => section.id === 'test.asked')!.failed).toBe(false);
  });
});
