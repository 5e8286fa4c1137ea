import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stemText } from '../../../server/shared/full-text.js';
import { TEST_ENGINE, buildTestApp, request, sessionCookie, type TestApp } from '../../helper.js';

/**
 * Migration 0023 (the indicator catalogue) on a forum filled before it: the threads' and documents'
 * JSON `indicator_codes` move to the join table without loss, in the order they had, and the API
 * answers with the same codes, filters by them and gathers them on the indicators' hubs.
 *
 * The database is the subject registry's fixture (tests/fixtures/subjects-before.db), brought up to
 * migration 0022 by the migrator, then given indicator codes in the columns 0023 replaces.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(root, 'tests/fixtures');
const before = JSON.parse(readFileSync(path.join(fixtures, 'subjects-before.json'), 'utf8')) as {
  accounts: Record<string, { email: string; password: string }>;
  ids: { threads: string[]; documents: string[] };
};
const [threadA, threadB] = before.ids.threads as [string, string];
const [docGroup, docPublic, docDraft, docOther] = before.ids.documents as [string, string, string, string];

const CODES: Record<string, string[]> = {
  [threadA]: ['8.16', '1.1', '4.1'],
  [threadB]: [],
  [docGroup]: ['4.1', '6.6'],
  [docPublic]: ['7.8'],
  [docDraft]: ['4.1', '1.9'],
  [docOther]: ['3.2', '4.2'],
};

let t: TestApp;
let dataDir: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-indicators-migration-'));
  const file = path.join(dataDir, 'concilia.db');
  copyFileSync(path.join(fixtures, 'subjects-before.db'), file);
  cpSync(path.join(fixtures, 'subjects-before-files'), path.join(dataDir, 'files'), { recursive: true });

  // The migrations before 0023, as the migrator would have run them then.
  const older = path.join(dataDir, 'migrations-before');
  cpSync(path.join(root, 'migrations'), older, { recursive: true });
  // The catalogue's migration (0023) and every later one are left out: the database stops at 0022.
  const later = (name: string) => /^\d{4}_/.test(name) && Number(name.slice(0, 4)) >= 23;
  for (const name of readdirSync(older)) if (later(name)) rmSync(path.join(older, name));
  for (const name of readdirSync(path.join(older, 'meta'))) if (later(name)) rmSync(path.join(older, 'meta', name));
  const journal = JSON.parse(readFileSync(path.join(older, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  journal.entries = journal.entries.filter((entry) => !later(entry.tag));
  writeFileSync(path.join(older, 'meta/_journal.json'), JSON.stringify(journal));
  const sqlite = new Database(file);
  sqlite.pragma('foreign_keys = ON');
  sqlite.function('search_stems', { deterministic: true }, (text: unknown) => stemText(typeof text === 'string' ? text : ''));
  migrate(drizzle(sqlite), { migrationsFolder: older });
  for (const [id, codes] of Object.entries(CODES)) {
    sqlite.prepare('update threads set indicator_codes = ? where id = ?').run(JSON.stringify(codes), id);
    sqlite.prepare('update documents set indicator_codes = ? where id = ?').run(JSON.stringify(codes), id);
  }
  expect(sqlite.prepare("select count(*) from sqlite_master where name = 'subject_indicators'").pluck().get()).toBe(0);
  sqlite.close();

  t = await buildTestApp({ DATA_DIR: dataDir }, { now: () => new Date('2026-05-20T14:00:00.000Z') });
  for (const name of ['admin', 'member', 'otherMember']) {
    const account = before.accounts[name]!;
    const response = await request(t.app, { method: 'POST', url: '/api/auth/login', payload: { email: account.email, password: account.password } });
    expect(response.statusCode, response.body).toBe(200);
    cookies[name] = sessionCookie(response);
  }
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = async (who: string, url: string) => {
  const response = await request(t.app, { method: 'GET', url: `/api${url}`, cookie: cookies[who] });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

// SQLite migration 0023 of a SQLite file filled before it: a PostgreSQL database starts at today's
// schema, its catalogue seeded by migrations/pg/0001 (tests/server/postgres-schema.test.ts compares
// the seeded rows with SQLite's), and tags go to the join table from the start (indicators/api.test.ts
// runs on both engines). Skipped there, hooks included (a file whose tests are all skipped runs no beforeAll).
describe.skipIf(TEST_ENGINE === 'postgres')('migration 0023 on a forum with tagged threads and documents', () => {
  it('keeps every code of every thread and document, in order, now in the join table', async () => {
    for (const id of [threadA, threadB]) expect((await get('admin', `/threads/${id}`)).thread.indicatorCodes).toEqual(CODES[id]);
    for (const id of [docGroup, docPublic, docDraft, docOther]) expect((await get('admin', `/documents/${id}`)).document.indicatorCodes).toEqual(CODES[id]);
    const sqlite = new Database(t.config.databaseFile, { readonly: true });
    try {
      expect(sqlite.prepare('select count(*) from subject_indicators').pluck().get()).toBe(Object.values(CODES).flat().length);
      const columns = (table: string) => (sqlite.prepare(`pragma table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
      expect(columns('threads')).not.toContain('indicator_codes');
      expect(columns('documents')).not.toContain('indicator_codes');
    } finally {
      sqlite.close();
    }
  });

  it('filters the thread list and the library by the migrated codes', async () => {
    expect((await get('member', '/threads?indicator=8.16')).items.map((i: { id: string }) => i.id)).toEqual([threadA]);
    expect((await get('member', '/threads?indicator=7.8')).items).toEqual([]);
    expect((await get('admin', '/documents?indicator=4.1')).items.map((i: { id: string }) => i.id).sort()).toEqual([docGroup, docDraft].sort());
    expect((await get('admin', '/documents?indicator=7.8')).items.map((i: { id: string }) => i.id)).toEqual([docPublic]);
    expect((await get('admin', '/documents?indicator=4.2')).items.map((i: { id: string }) => i.id)).toEqual([docOther]);
  });

  it('gathers them on the indicator hub, the draft for those who may read it only', async () => {
    const ids = (hub: { tagged: Array<{ items: Array<{ id: string }> }> }) => hub.tagged.flatMap((group) => group.items.map((item) => item.id)).sort();
    expect(ids(await get('admin', '/indicators/versions/mdg-2008/indicators/4.1'))).toEqual([threadA, docGroup, docDraft].sort());
    expect(ids(await get('otherMember', '/indicators/versions/mdg-2008/indicators/4.1'))).toEqual([threadA, docGroup].sort());
  });
});
