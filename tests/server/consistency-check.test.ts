import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalPdf } from '../fixtures/documents.js';
import { buildTestApp, TEST_ENGINE, type TestApp } from '../helper.js';
import { consistencyProblems } from '../support/consistency.js';
import { categoryId, populate, reply, startThread, type People } from './debates/support.js';
import { metadata, upload } from './documents/support.js';
import { openSqliteTestDb } from './support.js';

/**
 * The checker the fuzzer and the crash-durability run rely on (tests/support/consistency.ts) finds
 * what it claims to find: a healthy group passes, and each kind of damage, made by hand on a copy
 * of the rows, is reported.
 */

let t: TestApp;
let people: People;
let threadId: string;
let postId: string;
let documentId: string;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
  const started = await startThread(t.app, people.member, { categoryId: await categoryId(t.app, people.member, 'general'), title: 'Cifras de pobreza', body: 'Apertura.' });
  threadId = started.thread.id;
  postId = (await reply(t.app, people.otherMember, threadId, 'Una respuesta.')).id;
  const created = await upload(t.app, people.secretariat, { name: 'informe.pdf', bytes: minimalPdf('informe') }, metadata());
  documentId = created.json().document.id;
});
afterAll(async () => t.close());

const damage = (statement: string, ...params: unknown[]) => {
  const db = openSqliteTestDb(t);
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
};

// The checker reads a SQLite file: its integrity_check, foreign_key_check and FTS5 indexes, rows by
// rowid. On PostgreSQL the engine keeps pages and keys whole and search's own tests check its
// indexes; the checker's portable part (denormalized counters, stored files) has no PostgreSQL
// reader yet, so this file runs on SQLite only.
describe.skipIf(TEST_ENGINE === 'postgres')('the consistency check', () => {
  it('passes a healthy group, files included', () => {
    expect(consistencyProblems(t.config.databaseFile, { dataDir: t.dataDir })).toEqual([]);
  });

  it('reports each kind of damage', () => {
    damage('update threads set reply_count = reply_count + 1 where id = ?', threadId);
    damage('delete from search_index where rowid = (select rowid from posts where id = ?)', postId);
    damage("update document_versions_search set title = 'otro' where rowid = (select rowid from document_versions where document_id = ? and number = 1)", documentId);
    damage('update documents set latest_version = 2 where id = ?', documentId);
    damage('update posts set revision_count = 3 where id = ?', postId);
    const db = openSqliteTestDb(t);
    const sha = db.prepare('select sha256 from document_versions where document_id = ?').pluck().get(documentId) as string;
    db.close();
    writeFileSync(path.join(t.dataDir, 'files', sha.slice(0, 2), sha.slice(2, 4), sha), 'not the uploaded bytes');
    mkdirSync(path.join(t.dataDir, 'files', 'ab', 'cd'), { recursive: true });
    writeFileSync(path.join(t.dataDir, 'files', 'ab', 'cd', `abcd${'0'.repeat(60)}`), 'nobody knows me');
    writeFileSync(path.join(t.dataDir, 'files', 'tmp', 'half-received'), 'cut');

    const problems = consistencyProblems(t.config.databaseFile, { dataDir: t.dataDir }).join('\n');
    expect(problems).toContain(`thread ${threadId}: replyCount 2`);
    expect(problems).toContain(`search_index row missing: post ${postId}`);
    expect(problems).toContain(`document_versions_search row differs from its document: ${documentId} #1`);
    expect(problems).toContain(`document ${documentId}: latestVersion 2`);
    expect(problems).toContain(`post ${postId}: revisionCount 3, but 0 earlier versions kept`);
    expect(problems).toContain(`version ${documentId} #1: the file named ${sha} holds content hashing to`);
    expect(problems).toContain('a file on disk that no row knows: files/ab/cd/abcd');
    expect(problems).toContain('a temporary upload left behind: files/tmp/half-received');
    expect(consistencyProblems(t.config.databaseFile, { dataDir: t.dataDir, allowTemporaryFiles: true }).join('\n')).not.toContain('temporary');
  });
});
