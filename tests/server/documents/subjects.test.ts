import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../server/plugins/sessions/index.js';
import { buildTestApp, request, TEST_ENGINE, type TestApp } from '../../helper.js';
import { minimalPdf } from '../../fixtures/documents.js';
import { populate, type People } from '../debates/support.js';
import { openTestDb, type TestDb } from '../support.js';
import { metadata, upload } from './support.js';

let t: TestApp;
let people: People;
let db: TestDb;

beforeAll(async () => {
  t = await buildTestApp();
  db = openTestDb(t);
  people = await populate(t.app);
});
afterAll(async () => {
  await db.close();
  await t.close();
});

async function sessionUserOf(id: string): Promise<SessionUser> {
  return (await db
    .prepare<SessionUser>(
      `select u.id, u.email, u.display_name as "displayName", u.locale, u.time_zone as "timeZone", m.group_id as "groupId", m.role, m.country_id as "countryId", m.organization_id as "organizationId"
         from users u join memberships m on m.user_id = u.id where u.id = ?`,
    )
    .get(id))!;
}

/**
 * Counts the statements run whose SQL reads the documents table while `work` runs: on SQLite the
 * executions of prepared statements (the repository's are prepared once, so their prototype is
 * where to look), on PostgreSQL the queries sent by any client of the pool.
 */
async function documentQueriesDuring<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  if (TEST_ENGINE === 'postgres') return postgresDocumentQueriesDuring(work);
  const probe = new Database(':memory:');
  const prototype = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  const originals = { get: prototype.get!, all: prototype.all!, iterate: prototype.iterate! };
  let queries = 0;
  for (const name of ['get', 'all', 'iterate'] as const) {
    const original = originals[name];
    prototype[name] = function (this: { source: string }, ...args: unknown[]) {
      if (/\bdocuments\b/.test(this.source)) queries += 1;
      return original.apply(this, args);
    };
  }
  try {
    return { result: await work(), queries };
  } finally {
    Object.assign(prototype, originals);
  }
}

async function postgresDocumentQueriesDuring<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  let queries = 0;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const [config] = args;
    const text = typeof config === 'string' ? config : (config as { text?: string } | null)?.text;
    if (text !== undefined && /\bdocuments\b/.test(text)) queries += 1;
    return original.apply(this, args);
  };
  try {
    return { result: await work(), queries };
  } finally {
    prototype.query = original;
  }
}

describe("the library's subject kind", () => {
  it('describes a page of documents in one query, leaving out drafts and deleted ones the reader may not read', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await upload(t.app, people.secretariat, { name: `informe-${i}.pdf`, bytes: minimalPdf(`Informe ${i}`) }, metadata({ title: { es: `Informe ${i}`, en: i % 2 ? `Report ${i}` : '' } }));
      expect(response.statusCode, response.body).toBe(201);
      ids.push(response.json().document.id as string);
    }
    const draft = (await upload(t.app, people.secretariat, { name: 'borrador.pdf', bytes: minimalPdf('Borrador') }, metadata({ visibility: 'draft' }))).json().document.id as string;
    const deleted = ids.pop()!;
    expect((await request(t.app, { method: 'DELETE', url: `/api/documents/${deleted}`, cookie: people.secretariat.cookie })).statusCode).toBe(204);

    const refs = [...ids, draft, deleted, 'no-such-document'].map((id) => ({ kind: 'document', id }));
    const member = await sessionUserOf(people.member.id);
    const { result: found, queries } = await documentQueriesDuring(() => t.app.subjects.describe(member, refs, 'en'));
    expect(queries).toBe(1);
    expect([...found.keys()].sort()).toEqual(ids.map((id) => `document:${id}`).sort());
    // Titles in the locale asked for, falling back on the other language.
    expect(found.get(`document:${ids[1]}`)).toMatchObject({ kind: 'document', id: ids[1], title: 'Report 1', href: `/documents/${ids[1]}` });
    expect(found.get(`document:${ids[0]}`)?.title).toBe('Informe 0');

    // A publisher reads the draft; an admin also the deleted one; still one query each.
    const secretariat = await sessionUserOf(people.secretariat.id);
    const asSecretariat = await documentQueriesDuring(() => t.app.subjects.describe(secretariat, refs, 'es'));
    expect(asSecretariat.queries).toBe(1);
    expect(asSecretariat.result.has(`document:${draft}`)).toBe(true);
    expect(asSecretariat.result.has(`document:${deleted}`)).toBe(false);
    expect((await t.app.subjects.describe(await sessionUserOf(people.admin.id), refs, 'es')).has(`document:${deleted}`)).toBe(true);
  });
});
