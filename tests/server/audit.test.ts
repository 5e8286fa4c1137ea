import { readdirSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, addPerson, buildTestApp, request, type TestApp } from '../helper.js';
import { api, categoryId, populate, startThread, type People } from './debates/support.js';
import { metadata, upload } from './documents/support.js';
import { DAY_MS, expectError, login, openTestDb, type TestDb } from './support.js';

/**
 * The audit log (server/plugins/audit): what administrators, moderators and publishers do, and
 * sign-ins from new addresses, recorded with who, what, when and from where; the admin's list
 * with its filters and pages, the CSV export read back by a CSV parser, the retention purge run by
 * the scheduler, and the migration that moved the library's own trail into it.
 */

let t: TestApp;
let db: TestDb;
let people: People;
let clock = Date.now();

beforeAll(async () => {
  t = await buildTestApp({}, { now: () => new Date(clock) });
  db = openTestDb(t);
  people = await populate(t.app);
});
afterAll(async () => {
  await db.close();
  await t.close();
});

interface Entry {
  id: number;
  subjectKind: string;
  subjectId: string;
  actor: { id: string; displayName: string } | null;
  action: string;
  details: Record<string, unknown>;
  ip: string | null;
  at: string;
}

async function auditLog(query = ''): Promise<{ items: Entry[]; total: number; actions: string[]; subjectKinds: string[]; retentionDays: number }> {
  const response = await api(t.app, people.admin, 'GET', `/admin/audit${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const latest = async (action: string, subjectId?: string) => (await auditLog(`?action=${action}${subjectId ? `&subjectId=${subjectId}` : ''}&limit=1`)).items[0];

describe('what is recorded', () => {
  it('a role change, from what to what, by whom and from where', async () => {
    const person = await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'pe' });
    const changed = await request(t.app, { method: 'PUT', url: `/api/admin/users/${person.id}/role`, cookie: people.admin.cookie, payload: { role: 'observer', countryId: null, organizationId: 'unicef' }, remoteAddress: '203.0.113.7' });
    expect(changed.statusCode, changed.body).toBe(200);
    const entry = await latest('user.role_changed', person.id);
    expect(entry).toMatchObject({
      subjectKind: 'user',
      subjectId: person.id,
      actor: { id: people.admin.id, displayName: 'Ana Admin' },
      ip: '203.0.113.7',
      details: { from: { role: 'member', countryId: 'pe', organizationId: null }, to: { role: 'observer', countryId: null, organizationId: 'unicef' } },
    });
    expect(Math.abs(Date.parse(entry!.at) - clock)).toBeLessThan(5_000);
  });

  it('a deactivation and a reactivation, once each however often they are asked for', async () => {
    const person = await addPerson(t.app, people.admin.cookie, 'member');
    for (let i = 0; i < 2; i++) expect((await api(t.app, people.admin, 'POST', `/admin/users/${person.id}/deactivate`, {})).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) expect((await api(t.app, people.admin, 'POST', `/admin/users/${person.id}/reactivate`, {})).statusCode).toBe(200);
    expect((await auditLog(`?subjectId=${person.id}&subjectKind=user`)).items.map((entry) => entry.action)).toEqual(['user.reactivated', 'user.deactivated', 'invitation.accepted']);
  });

  it('a change of focal point', async () => {
    const person = await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'uy' });
    expect((await api(t.app, people.coordinator, 'PUT', `/people/${person.id}/delegation`, { delegationRole: 'focal_point' })).statusCode).toBe(200);
    expect(await latest('user.delegation_changed', person.id)).toMatchObject({ actor: { id: people.coordinator.id }, details: { countryId: 'uy', to: 'focal_point' } });
  });

  it('an invitation made, revoked, and one accepted by the new account', async () => {
    const made = await api(t.app, people.admin, 'POST', '/invitations', { email: 'nueva@example.org', role: 'secretariat', organizationId: 'eclac' });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().invitation.id as string;
    expect(await latest('invitation.created', id)).toMatchObject({ subjectKind: 'invitation', actor: { id: people.admin.id }, details: { email: 'nueva@example.org', role: 'secretariat', organizationId: 'eclac' } });
    expect((await api(t.app, people.admin, 'POST', `/invitations/${id}/revoke`, {})).statusCode).toBe(200);
    expect(await latest('invitation.revoked', id)).toMatchObject({ actor: { id: people.admin.id } });
    const accepted = await auditLog(`?action=invitation.accepted&subjectId=${people.observer.id}`);
    expect(accepted.items).toHaveLength(1);
    expect(accepted.items[0]).toMatchObject({ actor: { id: people.observer.id }, details: { role: 'observer' } });
  });

  it('a sign-in from an address the person never signed in from, and not the next one from it', async () => {
    const count = async () => (await auditLog(`?action=user.signed_in_new_address&actorId=${people.admin.id}`)).total;
    const before = await count();
    expect((await login(t.app, ADMIN.email, ADMIN.password, '198.51.100.20')).statusCode).toBe(200);
    expect(await count()).toBe(before + 1);
    expect((await login(t.app, ADMIN.email, ADMIN.password, '198.51.100.20')).statusCode).toBe(200);
    expect(await count()).toBe(before + 1);
    expect((await login(t.app, ADMIN.email, ADMIN.password, '198.51.100.21')).statusCode).toBe(200);
    expect(await count()).toBe(before + 2);
    expect((await latest('user.signed_in_new_address'))).toMatchObject({ subjectKind: 'user', subjectId: people.admin.id, ip: '198.51.100.21' });
    // A failed attempt is no sign-in.
    expect((await login(t.app, ADMIN.email, 'wrong-password-1', '198.51.100.22')).statusCode).toBe(401);
    expect(await count()).toBe(before + 2);
  });

  it('moderation: a thread locked, pinned and moved, a post hidden and shown again', async () => {
    const general = await categoryId(t.app, people.member, 'general');
    const thread = await startThread(t.app, people.member, { categoryId: general, title: 'Cifras de mortalidad', body: 'Primer mensaje.' });
    const threadId = thread.thread.id as string;
    expect((await api(t.app, people.coordinator, 'POST', `/threads/${threadId}/lock`, {})).statusCode).toBe(200);
    expect((await api(t.app, people.coordinator, 'POST', `/threads/${threadId}/pin`, {})).statusCode).toBe(200);
    const other = (await api(t.app, people.admin, 'GET', '/categories')).json().items.find((c: { id: string }) => c.id !== general).id as string;
    expect((await api(t.app, people.admin, 'POST', `/threads/${threadId}/move`, { categoryId: other })).statusCode).toBe(200);
    expect((await auditLog(`?subjectKind=thread&subjectId=${threadId}`)).items.map((entry) => [entry.action, entry.actor?.id])).toEqual([
      ['thread.moved', people.admin.id],
      ['thread.pinned', people.coordinator.id],
      ['thread.locked', people.coordinator.id],
    ]);
    expect(await latest('thread.moved', threadId)).toMatchObject({ details: { from: general, to: other, title: 'Cifras de mortalidad' } });

    const postId = thread.post.id as string;
    expect((await api(t.app, people.coordinator, 'POST', `/posts/${postId}/hide`, { reason: '  Datos no publicados  ' })).statusCode).toBe(200);
    expect((await api(t.app, people.coordinator, 'POST', `/posts/${postId}/unhide`, {})).statusCode).toBe(200);
    expect((await auditLog(`?subjectKind=post&subjectId=${postId}`)).items.map((entry) => [entry.action, entry.details])).toEqual([
      ['post.unhidden', { threadId }],
      ['post.hidden', { threadId, reason: 'Datos no publicados' }],
    ]);
  });

  it('the library: an upload, a visibility change from what to what, a deletion; its trail reads the same entries', async () => {
    const uploaded = await upload(t.app, people.secretariat, { name: 'informe.txt', bytes: Buffer.from('Informe preliminar') }, metadata({ visibility: 'draft' }));
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const id = uploaded.json().document.id as string;
    expect((await api(t.app, people.secretariat, 'PATCH', `/documents/${id}`, { visibility: 'group' })).statusCode).toBe(200);
    expect((await api(t.app, people.coordinator, 'DELETE', `/documents/${id}`)).statusCode).toBe(204);
    const entries = (await auditLog(`?subjectKind=document&subjectId=${id}`)).items;
    expect(entries.map((entry) => [entry.action, entry.actor?.id])).toEqual([
      ['document.deleted', people.coordinator.id],
      ['document.updated', people.secretariat.id],
      ['document.uploaded', people.secretariat.id],
    ]);
    expect(entries[1]!.details).toEqual({ fields: ['visibility'], visibility: { from: 'draft', to: 'group' } });
    expect(entries.every((entry) => entry.ip === '127.0.0.1')).toBe(true);
    const trail = await api(t.app, people.admin, 'GET', `/documents/${id}/audit`);
    expect(trail.statusCode).toBe(200);
    expect(trail.json().items.map((item: { action: string }) => item.action)).toEqual(['deleted', 'updated', 'uploaded']);
    expect(trail.json().items[1]).toMatchObject({ actor: { id: people.secretariat.id, displayName: 'Sergio Secretaría' }, details: { visibility: { from: 'draft', to: 'group' } } });
  });
});

describe('subjects', () => {
  it('are of a kind a feature defined in the subject registry; an unknown kind is refused before anything is written', async () => {
    const before = await db.prepare('select count(*) from audit_log').value();
    await expect(t.app.audit.record({ groupId: 'g', subjectKind: 'spaceship', subjectId: 'x', actorId: null, action: 'spaceship.launched' })).rejects.toThrow(/spaceship/);
    expect(await db.prepare('select count(*) from audit_log').value()).toBe(before);
    for (const kind of ['user', 'invitation', 'thread', 'post', 'document']) expect(t.app.subjects.has(kind), kind).toBe(true);
  });
});

describe('the admin view', () => {
  it('is for administrators only', async () => {
    for (const who of [people.coordinator, people.secretariat, people.member, people.observer]) {
      expectError(await api(t.app, who, 'GET', '/admin/audit'), 403, 'forbidden');
      expectError(await api(t.app, who, 'GET', '/admin/audit.csv'), 403, 'forbidden');
    }
    expectError(await request(t.app, { url: '/api/admin/audit' }), 401, 'unauthenticated');
  });

  it('filters by action, actor, subject kind and days, pages newest first, and offers the choices', async () => {
    const all = await auditLog('?limit=200');
    expect(all.total).toBe(all.items.length);
    expect(all.items.map((entry) => entry.id)).toEqual([...all.items.map((entry) => entry.id)].sort((a, b) => b - a));
    expect(all.actions).toEqual(expect.arrayContaining(['user.role_changed', 'thread.locked', 'document.uploaded', 'invitation.created']));
    expect(all.subjectKinds).toEqual(['document', 'invitation', 'post', 'thread', 'user']);
    expect(all.retentionDays).toBe(730);

    const byCoordinator = await auditLog(`?actorId=${people.coordinator.id}`);
    expect(byCoordinator.items.length).toBeGreaterThan(0);
    expect(byCoordinator.items.every((entry) => entry.actor?.id === people.coordinator.id)).toBe(true);
    const threads = await auditLog('?subjectKind=thread');
    expect(threads.items.every((entry) => entry.subjectKind === 'thread')).toBe(true);

    const page1 = await auditLog('?limit=3&offset=0');
    const page2 = await auditLog('?limit=3&offset=3');
    expect(page1.total).toBe(all.total);
    expect([...page1.items, ...page2.items].map((entry) => entry.id)).toEqual(all.items.slice(0, 6).map((entry) => entry.id));

    const today = new Date(clock).toISOString().slice(0, 10);
    const tomorrow = new Date(clock + DAY_MS).toISOString().slice(0, 10);
    const yesterday = new Date(clock - DAY_MS).toISOString().slice(0, 10);
    expect((await auditLog(`?from=${today}&to=${today}`)).total).toBe(all.total);
    expect((await auditLog(`?from=${tomorrow}`)).total).toBe(0);
    expect((await auditLog(`?to=${yesterday}`)).total).toBe(0);
    expectError(await api(t.app, people.admin, 'GET', `/admin/audit?from=${tomorrow}&to=${yesterday}`), 400, 'validation_failed');
    expectError(await api(t.app, people.admin, 'GET', '/admin/audit?from=yesterday'), 400, 'validation_failed');
    expectError(await api(t.app, people.admin, 'GET', '/admin/audit?limit=201'), 400, 'validation_failed');
  });

  it('exports what the filter matches as CSV that a CSV parser reads back, formulas defused', async () => {
    // A display name a spreadsheet would run as a formula.
    const person = await addPerson(t.app, people.admin.cookie, 'member', {}, { displayName: '=HYPERLINK("http://x")' });
    await login(t.app, person.email, person.password, '192.0.2.44');
    const response = await api(t.app, people.admin, 'GET', '/admin/audit.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(response.rawPayload, { bom: true, columns: true }) as Array<Record<string, string>>;
    const all = await auditLog('?limit=200');
    expect(rows.map((row) => Number(row.id))).toEqual(all.items.map((entry) => entry.id));
    const signIn = rows.find((row) => row.action === 'user.signed_in_new_address' && row.actor_id === person.id)!;
    expect(signIn).toMatchObject({ subject_kind: 'user', subject_id: person.id, ip: '192.0.2.44', actor_name: `'=HYPERLINK("http://x")`, details: '{}' });
    const moved = rows.find((row) => row.action === 'thread.moved')!;
    expect(JSON.parse(moved.details!)).toMatchObject({ title: 'Cifras de mortalidad' });
    expect(new Date(moved.at!).toISOString()).toBe(moved.at);

    const filtered = parse((await api(t.app, people.admin, 'GET', '/admin/audit.csv?action=thread.moved')).rawPayload, { bom: true, columns: true }) as unknown[];
    expect(filtered).toHaveLength(1);
  });
});

describe('retention', () => {
  it('is purged daily by a scheduled job: entries older than the retention go, the others stay', async () => {
    const old = clock - 731 * DAY_MS;
    const groupId = (await db.prepare('select id from groups').value()) as string;
    await db.prepare("insert into audit_log (group_id, subject_kind, subject_id, actor_id, action, details, ip, created_at) values (?, 'user', 'x', null, 'user.deactivated', '{}', null, ?)").run(groupId, old);
    await db.prepare("insert into audit_log (group_id, subject_kind, subject_id, actor_id, action, details, ip, created_at) values (?, 'user', 'y', null, 'user.deactivated', '{}', null, ?)").run(groupId, clock - 700 * DAY_MS);
    const kept = ((await db.prepare('select count(*) from audit_log').value()) as number) - 1;
    const planned = await db.prepare<{ key: string; runAt: number }>("select key, run_at as \"runAt\" from scheduled_jobs where kind = 'audit-purge' and done_at is null").all();
    expect(planned).toHaveLength(1);
    expect(planned[0]!.runAt).toBeGreaterThan(clock);
    expect(planned[0]!.runAt - clock).toBeLessThanOrEqual(DAY_MS);

    clock = planned[0]!.runAt + 1_000;
    expect(await t.app.scheduler.runDue()).toBeGreaterThanOrEqual(1);
    expect(await db.prepare('select count(*) from audit_log where subject_id = ?').value('x')).toBe(0);
    expect(await db.prepare('select count(*) from audit_log where subject_id = ?').value('y')).toBe(1);
    expect(await db.prepare('select count(*) from audit_log').value()).toBe(kept);
    // The next day's run is planned by this one.
    const next = (await db.prepare("select run_at from scheduled_jobs where kind = 'audit-purge' and done_at is null").values()) as number[];
    expect(next).toEqual([planned[0]!.runAt + DAY_MS]);
  });
});

describe('the audit log migration', () => {
  it("moves the library's own trail into the audit log, in order, and drops its table", () => {
    const sqlite = new Database(':memory:');
    const files = readdirSync(new URL('../../migrations/', import.meta.url)).filter((name) => name.endsWith('.sql')).sort();
    const run = (name: string) => {
      const migration = readFileSync(new URL(`../../migrations/${name}`, import.meta.url), 'utf8');
      for (const statement of migration.split('--> statement-breakpoint')) if (statement.trim()) sqlite.exec(statement);
    };
    sqlite.function('search_stems', { deterministic: true }, (text: unknown) => String(text ?? ''));
    const migration = files.find((file) => file.endsWith('_audit_log.sql'))!;
    for (const name of files.filter((file) => file < migration)) run(name);
    const insert = sqlite.prepare('insert into document_audit (group_id, document_id, actor_id, action, details, at) values (?, ?, ?, ?, ?, ?)');
    insert.run('g1', 'd1', 'u1', 'uploaded', '{"version":1}', 1_000);
    insert.run('g1', 'd1', null, 'purged', '{"title":"Informe"}', 3_000);
    insert.run('g1', 'd2', 'u2', 'deleted', '{}', 2_000);
    run(migration);
    expect(sqlite.prepare('select group_id, subject_kind, subject_id, actor_id, action, details, ip, created_at from audit_log order by id').raw().all()).toEqual([
      ['g1', 'document', 'd1', 'u1', 'document.uploaded', '{"version":1}', null, 1_000],
      ['g1', 'document', 'd1', null, 'document.purged', '{"title":"Informe"}', null, 3_000],
      ['g1', 'document', 'd2', 'u2', 'document.deleted', '{}', null, 2_000],
    ]);
    expect(sqlite.prepare("select count(*) from sqlite_master where name = 'document_audit'").pluck().get()).toBe(0);
    sqlite.close();
  });
});
