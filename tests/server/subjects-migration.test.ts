import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINE, buildTestApp, request, sessionCookie, type TestApp } from '../helper.js';

/**
 * The subject registry's migrations on a database filled by the code before them (commit db4cae6:
 * tests/fixtures/subjects-before.generator.txt made subjects-before.db and recorded in
 * subjects-before.json what the API answered, for several people). Migrated by today's code, the
 * API must answer the same: every notification, meeting link, related document and attachment,
 * modulo the documented change of the notifications' shape (docs/debates-api.md, `Notification`).
 */

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

interface OldNotification {
  id: string;
  kind: string;
  createdAt: string;
  readAt: string | null;
  actor: { id: string; displayName: string } | null;
  threadId: string | null;
  threadTitle: string | null;
  postId: string | null;
  documentId: string | null;
  documentTitle: string | null;
  meetingId: string | null;
  meetingTitle: string | null;
  meetingDetails: Record<string, unknown> | null;
  excerpt: string;
}

interface Recorded {
  notifications: OldNotification[];
  unread: number;
  meetings: Record<string, unknown>;
  documents: Record<string, unknown>;
  lists: Record<string, unknown>;
  attachments: Record<string, unknown>;
  downloads: Record<string, number>;
}

interface Before {
  accounts: Record<string, { email: string; password: string; id: string }>;
  ids: { threads: string[]; documents: string[]; meetings: string[]; posts: string[] };
  users: Record<string, Recorded>;
  kinds: string[];
}

/** The documented change of shape: a column per feature becomes one subject and the kind's details. */
function newShape(old: OldNotification) {
  const { threadId, threadTitle, postId, documentId, documentTitle, meetingId, meetingTitle, meetingDetails, ...kept } = old;
  if (old.kind === 'document') return { ...kept, subject: { kind: 'document', id: documentId, title: documentTitle }, details: {} };
  if (old.kind.startsWith('meeting_')) return { ...kept, subject: { kind: 'meeting', id: meetingId, title: meetingTitle }, details: meetingDetails ?? {} };
  return { ...kept, subject: { kind: 'thread', id: threadId, title: threadTitle }, details: postId === null ? {} : { postId } };
}

const before = JSON.parse(readFileSync(path.join(fixtures, 'subjects-before.json'), 'utf8')) as Before;
let t: TestApp;
let dataDir: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-subjects-migration-'));
  copyFileSync(path.join(fixtures, 'subjects-before.db'), path.join(dataDir, 'concilia.db'));
  cpSync(path.join(fixtures, 'subjects-before-files'), path.join(dataDir, 'files'), { recursive: true });
  // The clock where the fixture stopped: no reminder falls due that it had not already sent.
  t = await buildTestApp({ DATA_DIR: dataDir }, { now: () => new Date('2026-05-20T14:00:00.000Z') });
  for (const [name, account] of Object.entries(before.accounts)) {
    const response = await request(t.app, { method: 'POST', url: '/api/auth/login', payload: { email: account.email, password: account.password } });
    expect(response.statusCode, response.body).toBe(200);
    cookies[name] = sessionCookie(response);
  }
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = async (name: string, url: string) => request(t.app, { url: `/api${url}`, cookie: cookies[name] });

// SQLite's migrations of a SQLite file of an older version: a PostgreSQL database starts at today's
// schema (migrations/pg/0000_baseline) and holds no such old data. A SQLite forum reaches PostgreSQL
// through copy-to-postgres once migrated, which tests/server/postgres-copy.test.ts checks. Skipped
// there, hooks included (a file whose tests are all skipped runs no beforeAll).
describe.skipIf(TEST_ENGINE === 'postgres')('a database filled before the subject registry, migrated', () => {
  it('was filled with every notification kind, for several people', () => {
    expect(before.kinds).toHaveLength(15);
    expect(Object.keys(before.users).length).toBeGreaterThanOrEqual(8);
  });

  it('lists every notification of every person as before, page by page, in the new shape', async () => {
    for (const [name, recorded] of Object.entries(before.users)) {
      const items: unknown[] = [];
      let cursor: string | null = null;
      do {
        const response = await get(name, `/notifications?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(response.statusCode, response.body).toBe(200);
        const page = response.json() as { items: unknown[]; nextCursor: string | null };
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      // Every subject of the fixture is still readable by its reader: each notice is `available`,
      // in the fixture's one group (both fields came after).
      const group = { id: expect.any(String), slug: expect.any(String), name: expect.any(String) };
      const listed = recorded.notifications.map(newShape).map((n) => ({ ...n, subject: { ...n.subject, available: true }, group }));
      expect(items, name).toEqual(listed);
      expect((await get(name, '/notifications/unread-count')).json().count, name).toBe(recorded.unread);
    }
  });

  it('replays the stored notification events in the new shape', async () => {
    for (const [name, recorded] of Object.entries(before.users)) {
      const events = (await t.app.liveHub.replay([`user:${before.accounts[name]!.id}`], 0, 1000)).filter((event) => event.type === 'notification.created');
      for (const event of events) {
        const { notification } = event.payload as { notification: { id: string; subject: unknown; details: unknown; threadId?: unknown } };
        const listed = recorded.notifications.find((item) => item.id === notification.id);
        expect(listed, notification.id).toBeDefined();
        const expected = newShape(listed!);
        expect(notification.threadId).toBeUndefined();
        expect([notification.subject, notification.details]).toEqual([expected.subject, expected.details]);
      }
      expect(events.length, name).toBeGreaterThan(0);
    }
  });

  it("shows each meeting's linked debates and documents, each document's related debate and meeting, and the lists they filter, as before", async () => {
    for (const [name, recorded] of Object.entries(before.users)) {
      for (const id of before.ids.meetings) {
        const response = await get(name, `/meetings/${id}`);
        const seen = response.statusCode === 200 ? { threads: response.json().meeting.threads, documents: response.json().meeting.documents } : { status: response.statusCode };
        expect(seen, `${name} meeting ${id}`).toEqual(recorded.meetings[id]);
      }
      for (const id of before.ids.documents) {
        const response = await get(name, `/documents/${id}`);
        const seen = response.statusCode === 200 ? { relatedThreadId: response.json().document.relatedThreadId, relatedMeetingId: response.json().document.relatedMeetingId } : { status: response.statusCode };
        expect(seen, `${name} document ${id}`).toEqual(recorded.documents[id]);
      }
      for (const [query, ids] of Object.entries(recorded.lists)) {
        const response = await get(name, `/documents?${query}&limit=50`);
        const seen = response.statusCode === 200 ? (response.json().items as Array<{ id: string }>).map((item) => item.id).sort() : { status: response.statusCode };
        expect(seen, `${name} documents?${query}`).toEqual(ids);
      }
    }
  });

  it("lists every post's attachments and serves them to the same people as before", async () => {
    for (const [name, recorded] of Object.entries(before.users)) {
      const attachments: Record<string, unknown> = {};
      for (const threadId of before.ids.threads) {
        const posts = (await get(name, `/threads/${threadId}/posts?limit=100`)).json().items as Array<{ id: string; attachments: unknown[] }>;
        for (const post of posts) attachments[post.id] = post.attachments;
      }
      expect(attachments, name).toEqual(recorded.attachments);
      for (const [id, status] of Object.entries(recorded.downloads)) expect((await get(name, `/attachments/${id}/download`)).statusCode, `${name} ${id}`).toBe(status);
    }
  });
});
