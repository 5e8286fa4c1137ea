import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../server/plugins/sessions/index.js';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { minimalPdf } from '../../fixtures/documents.js';
import { populate, type People } from '../debates/support.js';
import { metadata, upload } from './support.js';

let t: TestApp;
let people: People;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
});
afterAll(async () => t.close());

function sessionUserOf(id: string): SessionUser {
  return t.app.db.$client
    .prepare(
      `select u.id, u.email, u.display_name as displayName, u.locale, u.time_zone as timeZone, m.group_id as groupId, m.role, m.country_id as countryId, m.organization_id as organizationId
         from users u join memberships m on m.user_id = u.id where u.id = ?`,
    )
    .get(id) as SessionUser;
}

/**
 * Counts the executions of every prepared statement whose SQL reads the documents table while
 * `work` runs (the repository's statements are prepared once, so their prototype is where to look).
 */
async function documentQueriesDuring<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
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
    const { result: found, queries } = await documentQueriesDuring(() => t.app.subjects.describe(sessionUserOf(people.member.id), refs, 'en'));
    expect(queries).toBe(1);
    expect([...found.keys()].sort()).toEqual(ids.map((id) => `document:${id}`).sort());
    // Titles in the locale asked for, falling back on the other language.
    expect(found.get(`document:${ids[1]}`)).toMatchObject({ kind: 'document', id: ids[1], title: 'Report 1', href: `/documents/${ids[1]}` });
    expect(found.get(`document:${ids[0]}`)?.title).toBe('Informe 0');

    // A publisher reads the draft; an admin also the deleted one; still one query each.
    const asSecretariat = await documentQueriesDuring(() => t.app.subjects.describe(sessionUserOf(people.secretariat.id), refs, 'es'));
    expect(asSecretariat.queries).toBe(1);
    expect(asSecretariat.result.has(`document:${draft}`)).toBe(true);
    expect(asSecretariat.result.has(`document:${deleted}`)).toBe(false);
    expect((await t.app.subjects.describe(sessionUserOf(people.admin.id), refs, 'es')).has(`document:${deleted}`)).toBe(true);
  });
});
