import { readFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { stemText } from '../../server/shared/full-text.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINE, buildTestApp, type TestApp } from '../helper.js';
import { api, categoryId, populate, startThread, type People } from './debates/support.js';
import { metadata, upload, uploadVersion } from './documents/support.js';
import { createMeeting } from './meetings/support.js';

/**
 * Migration 0012 rebuilds the search indexes of a forum that already has posts, documents and
 * meetings: the database is taken back to the indexes 0011 left (from the data the app wrote), and
 * 0012's SQL is run on it again, as the migrator runs it (later migrations stay applied, so the
 * migrator itself would not run 0012 twice).
 */

let t: TestApp;
let people: People;
let ids: { post: string; document: string; meeting: string };

beforeAll(async () => {
  const before = await buildTestApp();
  people = await populate(before.app);
  const general = await categoryId(before.app, people.member, 'general');
  const thread = await startThread(before.app, people.member, { categoryId: general, title: 'Series', body: 'Las cifras nacionales difieren.' });
  const document = (await upload(before.app, people.secretariat, { name: 'serie.txt', bytes: Buffer.from('Serie original: frambuesa') }, metadata({ tags: [], indicatorCodes: [] }))).json().document.id as string;
  expect((await uploadVersion(before.app, people.secretariat, document, { name: 'serie.txt', bytes: Buffer.from('Serie revisada: grosellas') })).statusCode).toBe(201);
  const meeting = await createMeeting(before.app, people.coordinator, { agenda: [{ title: 'Cuentas satélite', presenter: 'INEGI', minutes: 30 }] });
  ids = { post: thread.post.id, document, meeting: meeting.id };
  await before.app.close();

  const sqlite = new Database(before.config.databaseFile);
  sqlite.exec(`
    create virtual table old_search using fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
    insert into old_search (rowid, title, body) select rowid, title, body from search_index;
    drop table search_index;
    alter table old_search rename to search_index;
    create virtual table documents_search using fts5(title, description, content, tokenize = 'unicode61 remove_diacritics 2');
    insert into documents_search (rowid, title, description, content)
      select d.rowid, s.title, s.description, s.content from documents d
        join document_versions v on v.document_id = d.id and v.number = d.latest_version join document_versions_search s on s.rowid = v.rowid;
    drop table document_versions_search;
    drop table meetings_search;
    drop table minutes_search;
  `);
  expect(sqlite.prepare("select count(*) from sqlite_master where name = 'meetings_search'").pluck().get()).toBe(0);
  sqlite.function('search_stems', { deterministic: true }, (text: unknown) => stemText(typeof text === 'string' ? text : ''));
  const migration = readFileSync(new URL('../../migrations/0012_search_word_forms.sql', import.meta.url), 'utf8');
  sqlite.transaction(() => {
    for (const statement of migration.split('--> statement-breakpoint')) if (statement.trim()) sqlite.exec(statement);
  })();
  sqlite.close();

  t = await buildTestApp({ DATA_DIR: before.dataDir });
  t.close = async () => {
    await t.app.close();
    rmSync(before.dataDir, { recursive: true, force: true });
  };
});
afterAll(async () => t.close());

// SQLite's FTS5 tables rebuilt by SQLite migration 0012: PostgreSQL has neither FTS5 nor this
// migration; its search indexes come from its own migrations and are tested by the search tests.
// Skipped there, hooks included (a file whose tests are all skipped runs no beforeAll).
describe.skipIf(TEST_ENGINE === 'postgres')('migration 0012 on a forum with content', () => {
  it('indexes the existing posts, documents and meetings with their word forms', async () => {
    const search = await api(t.app, people.member, 'GET', `/search?q=${encodeURIComponent('cifra nacional')}`);
    expect(search.statusCode, search.body).toBe(200);
    expect(search.json().items.map((item: { postId: string }) => item.postId)).toEqual([ids.post]);
    expect(search.json().items[0].snippetHtml).toContain('<mark>cifras</mark> <mark>nacionales</mark>');

    const meetings = await api(t.app, people.member, 'GET', `/search?q=${encodeURIComponent('cuenta satelite')}`);
    expect(meetings.json().meetings.items.map((hit: { meetingId: string }) => hit.meetingId)).toEqual([ids.meeting]);

    const documents = await api(t.app, people.member, 'GET', '/documents?q=grosella');
    expect(documents.json().items.map((item: { id: string; matchedVersion: number | null }) => [item.id, item.matchedVersion])).toEqual([[ids.document, null]]);
  });

  it('indexes new writes as before', async () => {
    const general = await categoryId(t.app, people.member, 'general');
    const thread = await startThread(t.app, people.member, { categoryId: general, title: 'Nuevas', body: 'Los indicadores revisados.' });
    const search = await api(t.app, people.member, 'GET', '/search?q=indicador');
    expect(search.json().items.map((item: { postId: string }) => item.postId)).toEqual([thread.post.id]);
  });
});
