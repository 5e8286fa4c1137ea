import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/plugins/db.js';
import { sqliteDatabase } from '../../server/plugins/database.js';
import { SESSION_LIFETIME_MS, SessionStore, endsSession, generateSecretToken, hashToken, type SessionsEnded } from '../../server/plugins/sessions/session-store.js';
import { sha256Hex } from './support.js';

/**
 * The session store on its own, over a real, migrated SQLite file: what a token becomes, how long a
 * session lives, when it slides, how it ends (sign-out, all of a person's, expiry, the purge,
 * deactivation) and who is told. Fast on purpose: it is the test file `npm run mutate` tries the
 * store's mutants against (tests/mutation/modules.ts); the app-level behaviour (cookies, the
 * hourly purge's timer) is in sessions.test.ts and auth.test.ts.
 */

const HALF_MS = SESSION_LIFETIME_MS / 2;
const T0 = new Date('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let dir: string;
let sqlite: Database.Database;
let db: Db;
let groupId: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'concilia-session-store-'));
  ({ sqlite, db } = openDatabase(path.join(dir, 'concilia.sqlite')));
  groupId = randomUUID();
  sqlite.prepare("insert into groups (id, slug, name, created_at) values (?, 'grupo', 'Grupo', ?)").run(groupId, T0.getTime());
  sqlite.prepare("insert into organizations (id, acronym_en, acronym_es, name_en, name_es) values ('eclac', 'ECLAC', 'CEPAL', 'ECLAC', 'CEPAL')").run();
  sqlite.prepare("insert into organizations (id, acronym_en, acronym_es, name_en, name_es) values ('unsd', 'UNSD', 'DENU', 'UNSD', 'DENU')").run();
});
afterAll(() => {
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

let people = 0;
/** A person with one membership (more can be added), straight into the tables. */
function person(role: 'admin' | 'member' | 'observer' = 'member', organizationId: string | null = 'eclac'): string {
  people += 1;
  const id = randomUUID();
  sqlite
    .prepare("insert into users (id, email, display_name, handle, password_hash, locale, time_zone, created_at) values (?, ?, ?, ?, 'x', 'en', 'America/Lima', ?)")
    .run(id, `p${people}@example.org`, `Person ${people}`, `person.${people}`, T0.getTime());
  sqlite.prepare('insert into memberships (group_id, user_id, role, organization_id, joined_at) values (?, ?, ?, ?, ?)').run(groupId, id, role, organizationId, T0.getTime());
  return id;
}

const storedExpiry = (sessionId: string) => (sqlite.prepare('select expires_at as e from sessions where id = ?').get(sessionId) as { e: number } | undefined)?.e;
const sessionIdsOf = (userId: string) => (sqlite.prepare('select id from sessions where user_id = ? order by id').all(userId) as { id: string }[]).map((r) => r.id);

/** A store and everything it announced. */
function storeWithLog(onListenerError?: (error: unknown) => void) {
  const store = new SessionStore(sqliteDatabase(db), onListenerError);
  const ended: SessionsEnded[] = [];
  store.onEnded((e) => ended.push(e));
  return { store, ended };
}

describe('tokens', () => {
  it('are 32 lower-case base32 characters (160 random bits), different every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => generateSecretToken()));
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
  });

  it('are stored only as their SHA-256, in hex', async () => {
    expect(hashToken('abc')).toBe(sha256Hex('abc'));
    const { store } = storeWithLog();
    const user = person();
    const { token, sessionId } = await store.create(user, T0);
    expect(sessionId).toBe(sha256Hex(token));
    expect(sessionIdsOf(user)).toEqual([sha256Hex(token)]);
  });
});

describe('a new session', () => {
  it('lives 30 days from its creation, and its row says so', async () => {
    const { store } = storeWithLog();
    const user = person();
    const { sessionId, expiresAt } = await store.create(user, T0);
    expect(expiresAt.getTime()).toBe(T0.getTime() + 30 * 24 * 60 * 60 * 1000);
    expect(storedExpiry(sessionId)).toBe(expiresAt.getTime());
    expect((sqlite.prepare('select created_at as c, user_id as u from sessions where id = ?').get(sessionId) as { c: number; u: string })).toEqual({ c: T0.getTime(), u: user });
  });

  it('validates to its person, as they are in their first membership', async () => {
    const { store } = storeWithLog();
    const user = person('observer', 'unsd');
    const otherGroup = randomUUID();
    // Made after the file's group, which stays the instance's first.
    sqlite.prepare("insert into groups (id, slug, name, created_at) values (?, ?, 'Otro', ?)").run(otherGroup, `otro-${otherGroup}`, T0.getTime() + 1);
    sqlite.prepare("insert into memberships (group_id, user_id, role, organization_id, joined_at) values (?, ?, 'admin', 'eclac', ?)").run(otherGroup, user, T0.getTime() + 1);
    const { token, sessionId } = await store.create(user, T0);
    const session = await store.validate(token, at(1));
    const identity = { id: user, email: expect.stringMatching(/@example\.org$/), displayName: expect.stringMatching(/^Person /), locale: 'en', timeZone: 'America/Lima' };
    const inFirst = { ...identity, groupId, groupSlug: 'grupo', groupName: 'Grupo', role: 'observer', countryId: null, organizationId: 'unsd', instanceAdmin: false };
    expect(session).toEqual({
      sessionId,
      expiresAt: new Date(T0.getTime() + SESSION_LIFETIME_MS),
      renewed: false,
      user: inFirst,
      // Every group, oldest membership first. An administrator of a later group is not the instance's.
      memberships: [inFirst, { ...identity, groupId: otherGroup, groupSlug: `otro-${otherGroup}`, groupName: 'Otro', role: 'admin', countryId: null, organizationId: 'eclac', instanceAdmin: false }],
    });
    expect(await store.current(sessionId, at(2).getTime(), `otro-${otherGroup}`)).toMatchObject({ groupId: otherGroup, role: 'admin' });
    expect(await store.current(sessionId, at(2).getTime(), 'grupo')).toMatchObject({ groupId, role: 'observer' });
    expect(await store.current(sessionId, at(2).getTime(), 'no-such-group')).toBeNull();
  });

  it("makes an administrator of the instance's first group the instance's administrator, in every group of theirs", async () => {
    const { store } = storeWithLog();
    const user = person('admin', 'eclac');
    const otherGroup = randomUUID();
    sqlite.prepare("insert into groups (id, slug, name, created_at) values (?, ?, 'Otro', ?)").run(otherGroup, `otro-${otherGroup}`, T0.getTime() + 1);
    sqlite.prepare("insert into memberships (group_id, user_id, role, organization_id, joined_at) values (?, ?, 'member', 'eclac', ?)").run(otherGroup, user, T0.getTime() + 1);
    const { token } = await store.create(user, T0);
    const session = await store.validate(token, at(1));
    expect(session!.memberships.map((membership) => [membership.role, membership.instanceAdmin])).toEqual([
      ['admin', true],
      ['member', true],
    ]);
  });

  it('is unknown for a token never issued', async () => {
    const { store, ended } = storeWithLog();
    expect(await store.validate(generateSecretToken(), T0)).toBeNull();
    expect(await store.current(sha256Hex(generateSecretToken()), T0.getTime())).toBeNull();
    expect(ended).toEqual([]);
  });
});

describe("a person's groups", () => {
  /** A further group, made `createdMs` after the file's (which stays the instance's first), joined by `userId` at `joinedMs`. */
  function joinGroup(userId: string, slug: string, createdMs: number, joinedMs: number, role = 'member'): string {
    const id = randomUUID();
    sqlite.prepare("insert or ignore into groups (id, slug, name, created_at) values (?, ?, ?, ?)").run(id, slug, slug.toUpperCase(), T0.getTime() + createdMs);
    const groupOf = (sqlite.prepare('select id from groups where slug = ?').get(slug) as { id: string }).id;
    sqlite.prepare('insert into memberships (group_id, user_id, role, organization_id, joined_at) values (?, ?, ?, ?, ?)').run(groupOf, userId, role, 'eclac', T0.getTime() + joinedMs);
    return groupOf;
  }

  it("come home group first (the instance's first, even when joined later), then the others oldest first", async () => {
    const { store } = storeWithLog();
    const user = randomUUID();
    sqlite.prepare("insert into users (id, email, display_name, password_hash, created_at) values (?, ?, 'Viajera', 'x', ?)").run(user, `${user}@example.org`, T0.getTime());
    joinGroup(user, `tarde-${user}`, 5, -3_000);
    joinGroup(user, `antes-${user}`, 6, -2_000);
    sqlite.prepare('insert into memberships (group_id, user_id, role, organization_id, joined_at) values (?, ?, ?, ?, ?)').run(groupId, user, 'observer', 'unsd', T0.getTime() + 9_000);
    const { token, sessionId } = await store.create(user, T0);
    const slugs = (memberships: ReadonlyArray<{ groupSlug: string }>) => memberships.map((membership) => membership.groupSlug);
    const expected = ['grupo', `tarde-${user}`, `antes-${user}`];
    expect(slugs((await store.validate(token, at(1)))!.memberships)).toEqual(expected);
    expect(await store.current(sessionId, at(2).getTime())).toMatchObject({ groupSlug: 'grupo', role: 'observer' });
    expect(slugs(await store.membershipsOfPerson(user))).toEqual(expected);
    expect(slugs(await store.membershipsOf(sessionId, at(2).getTime()))).toEqual(expected);
  });

  it('are read afresh by membershipsOf, which remembers nothing, and none once the session has ended', async () => {
    const { store } = storeWithLog();
    const user = person();
    const { token, sessionId } = await store.create(user, T0);
    expect((await store.membershipsOf(sessionId, at(1).getTime())).map((membership) => membership.role)).toEqual(['member']);
    // Not remembered: validation still asks the database, which a joined group is seen in.
    expect(store.validateRemembered(token, at(1).getTime())).toBeUndefined();
    joinGroup(user, `nuevo-${user}`, 1, 1);
    expect(await store.membershipsOf(sessionId, at(2).getTime())).toHaveLength(2);
    const expiry = T0.getTime() + SESSION_LIFETIME_MS;
    expect(await store.membershipsOf(sessionId, expiry - 1)).toHaveLength(2);
    expect(await store.membershipsOf(sessionId, expiry)).toEqual([]);
    expect(await store.membershipsOf(sha256Hex(generateSecretToken()), at(2).getTime())).toEqual([]);
  });

  it("are nobody's for a deactivated person", async () => {
    const { store } = storeWithLog();
    const user = person();
    expect(await store.membershipsOfPerson(user)).toHaveLength(1);
    sqlite.prepare('update users set deactivated_at = ? where id = ?').run(T0.getTime(), user);
    expect(await store.membershipsOfPerson(user)).toEqual([]);
    expect(await store.membershipsOfPerson(randomUUID())).toEqual([]);
  });
});

describe('expiry', () => {
  it('is valid until the millisecond before it expires, and ends at that millisecond', async () => {
    const { store, ended } = storeWithLog();
    const user = person();
    const { token, sessionId } = await store.create(user, T0);
    expect(await store.validate(token, at(SESSION_LIFETIME_MS - 1))).not.toBeNull();
    // The validation just renewed it; age it again by hand to test the end itself.
    sqlite.prepare('update sessions set expires_at = ? where id = ?').run(T0.getTime() + SESSION_LIFETIME_MS, sessionId);
    const fresh = storeWithLog();
    expect(await fresh.store.validate(token, at(SESSION_LIFETIME_MS))).toBeNull();
    expect(storedExpiry(sessionId)).toBeUndefined();
    expect(fresh.ended).toEqual([{ userId: user, sessionIds: [sessionId] }]);
    expect(ended).toEqual([]);
  });

  it('current() answers the person until the session expires, without renewing it', async () => {
    const { store } = storeWithLog();
    const user = person();
    const { token, sessionId } = await store.create(user, T0);
    const expiry = T0.getTime() + SESSION_LIFETIME_MS;
    expect(await store.current(sessionId, expiry - 1)).toEqual({ id: user, email: expect.any(String), displayName: expect.any(String), locale: 'en', timeZone: 'America/Lima', groupId, groupSlug: 'grupo', groupName: 'Grupo', role: 'member', countryId: null, organizationId: 'eclac', instanceAdmin: false });
    expect(await store.current(sessionId, expiry)).toBeNull();
    expect(storedExpiry(sessionId)).toBe(expiry);
    expect(hashToken(token)).toBe(sessionId);
  });
});

describe('sliding renewal', () => {
  it('does not renew a session with half its life or more left', async () => {
    const { store } = storeWithLog();
    const { token, sessionId, expiresAt } = await store.create(person(), T0);
    const session = await store.validate(token, at(HALF_MS));
    expect(session).toMatchObject({ renewed: false, expiresAt });
    expect(storedExpiry(sessionId)).toBe(expiresAt.getTime());
  });

  it('renews a session used with less than half its life left to the full 30 days from then, in its row too', async () => {
    const { store } = storeWithLog();
    const { token, sessionId } = await store.create(person(), T0);
    const session = await store.validate(token, at(HALF_MS + 1));
    const renewedUntil = T0.getTime() + HALF_MS + 1 + SESSION_LIFETIME_MS;
    expect(session).toMatchObject({ renewed: true, expiresAt: new Date(renewedUntil) });
    expect(storedExpiry(sessionId)).toBe(renewedUntil);
    // A store that never saw it reads the new expiry from the row: valid past the first 30 days.
    const fresh = new SessionStore(sqliteDatabase(db));
    expect(await fresh.validate(token, at(SESSION_LIFETIME_MS + 1))).toMatchObject({ renewed: false, expiresAt: new Date(renewedUntil) });
  });
});

describe('ending sessions', () => {
  it('invalidate ends one session, tells the listeners which, and leaves the person\'s others', async () => {
    const { store, ended } = storeWithLog();
    const user = person();
    const one = await store.create(user, T0);
    const two = await store.create(user, T0);
    expect(await store.validate(one.token, at(1))).not.toBeNull();
    await store.invalidate(one.sessionId);
    expect(ended).toEqual([{ userId: user, sessionIds: [one.sessionId] }]);
    expect(await store.validate(one.token, at(2))).toBeNull();
    expect(await store.current(one.sessionId, T0.getTime())).toBeNull();
    expect(await store.validate(two.token, at(2))).not.toBeNull();
    // Ending it again, or a session that never was, announces nothing.
    await store.invalidate(one.sessionId);
    await store.invalidate(sha256Hex('never issued'));
    expect(ended).toHaveLength(1);
  });

  it('invalidateAllForUser ends every session of the person and nobody else\'s', async () => {
    const { store, ended } = storeWithLog();
    const user = person();
    const other = person();
    const a = await store.create(user, T0);
    const b = await store.create(user, T0);
    const c = await store.create(other, T0);
    await store.validate(a.token, at(1));
    await store.invalidateAllForUser(user);
    expect(ended).toEqual([{ userId: user }]);
    expect(sessionIdsOf(user)).toEqual([]);
    expect(await store.validate(a.token, at(2))).toBeNull();
    expect(await store.validate(b.token, at(2))).toBeNull();
    expect(await store.current(a.sessionId, T0.getTime() + 2)).toBeNull();
    expect(await store.validate(c.token, at(2))).not.toBeNull();
  });

  it('sessionsEnded (sessions a repository deleted itself) forgets them here and passes the signal on as it is', async () => {
    const { store, ended } = storeWithLog();
    const user = person();
    const a = await store.create(user, T0);
    const b = await store.create(user, T0);
    await store.validate(a.token, at(1));
    await store.validate(b.token, at(1));
    sqlite.prepare('delete from sessions where id = ?').run(a.sessionId);
    const signal: SessionsEnded = { userId: user, kept: [b.sessionId], replaced: { from: a.sessionId, to: b.sessionId } };
    store.sessionsEnded(signal);
    expect(ended).toEqual([signal]);
    expect(await store.current(a.sessionId, T0.getTime() + 2)).toBeNull();
    expect(await store.current(b.sessionId, T0.getTime() + 2)).not.toBeNull();
  });

  it('a deactivated person\'s sessions stop validating once the person is forgotten', async () => {
    const { store } = storeWithLog();
    const user = person();
    const bystander = person();
    const { token, sessionId } = await store.create(user, T0);
    const theirs = await store.create(bystander, T0);
    expect(await store.validate(token, at(1))).not.toBeNull();
    expect(await store.validate(theirs.token, at(1))).not.toBeNull();
    sqlite.prepare('update users set deactivated_at = ? where id = ?').run(T0.getTime() + 2, user);
    sqlite.prepare("update users set display_name = 'Renamed' where id = ?").run(bystander);
    store.forgetUser(user);
    expect(await store.validate(token, at(3))).toBeNull();
    expect(await store.current(sessionId, T0.getTime() + 3)).toBeNull();
    // A new store (another process, a restart) never lets them in either.
    expect(await new SessionStore(sqliteDatabase(db)).validate(token, at(3))).toBeNull();
    // Forgetting one person costs nobody else a database read: the bystander is still answered
    // from memory (the store's minute of remembered sessions) until forgotten in turn.
    expect((await store.validate(theirs.token, at(3)))?.user.displayName).toMatch(/^Person /);
    store.forgetUser(bystander);
    expect((await store.validate(theirs.token, at(4)))?.user.displayName).toBe('Renamed');
  });

  it('a person\'s changed role is read afresh once forgotten', async () => {
    const { store } = storeWithLog();
    const user = person('member');
    const { token } = await store.create(user, T0);
    expect((await store.validate(token, at(1)))?.user.role).toBe('member');
    sqlite.prepare("update memberships set role = 'admin' where user_id = ?").run(user);
    store.forgetUser(user);
    expect((await store.validate(token, at(2)))?.user.role).toBe('admin');
  });

  it('a listener that throws is reported and keeps neither the others nor the sign-out from happening', async () => {
    const errors: unknown[] = [];
    const store = new SessionStore(sqliteDatabase(db), (error) => errors.push(error));
    const heard: SessionsEnded[] = [];
    const failure = new Error('listener failed');
    store.onEnded(() => {
      throw failure;
    });
    store.onEnded((e) => heard.push(e));
    const user = person();
    const { sessionId } = await store.create(user, T0);
    await store.invalidate(sessionId);
    expect(errors).toEqual([failure]);
    expect(heard).toEqual([{ userId: user, sessionIds: [sessionId] }]);
    expect(storedExpiry(sessionId)).toBeUndefined();
    // Without a reporter, the failure is swallowed all the same.
    const quiet = new SessionStore(sqliteDatabase(db));
    quiet.onEnded(() => {
      throw failure;
    });
    const other = await quiet.create(user, T0);
    await expect(quiet.invalidate(other.sessionId)).resolves.toBeUndefined();
  });

  it('a listener that stopped listening is told nothing more', async () => {
    const store = new SessionStore(sqliteDatabase(db));
    const heard: SessionsEnded[] = [];
    const stop = store.onEnded((e) => heard.push(e));
    const user = person();
    const a = await store.create(user, T0);
    const b = await store.create(user, T0);
    await store.invalidate(a.sessionId);
    expect(stop()).toBe(true);
    await store.invalidate(b.sessionId);
    expect(heard).toEqual([{ userId: user, sessionIds: [a.sessionId] }]);
  });
});

describe('the purge of expired sessions', () => {
  it('deletes exactly the sessions expired before now, tells each person which of theirs went, and forgets them', async () => {
    sqlite.prepare('delete from sessions').run();
    const { store, ended } = storeWithLog();
    const ana = person();
    const ben = person();
    const anaOld = await store.create(ana, T0);
    const anaOlder = await store.create(ana, at(-1));
    const anaNew = await store.create(ana, at(10));
    const benOld = await store.create(ben, T0);
    // Remembered before the purge: forgetting them is what makes current() read the row again.
    expect(await store.current(anaOld.sessionId, T0.getTime())).not.toBeNull();
    expect(await store.current(benOld.sessionId, T0.getTime())).not.toBeNull();
    const boundary = T0.getTime() + SESSION_LIFETIME_MS;
    const atExpiry = await store.create(ben, new Date(boundary - SESSION_LIFETIME_MS + 1));

    expect(await store.deleteExpired(new Date(boundary + 1))).toBe(3);
    expect(ended).toHaveLength(2);
    const byUser = Object.fromEntries(ended.map((e) => [e.userId, [...(e.sessionIds ?? [])].sort()]));
    expect(byUser).toEqual({ [ana]: [anaOld.sessionId, anaOlder.sessionId].sort(), [ben]: [benOld.sessionId] });
    expect(sessionIdsOf(ana)).toEqual([anaNew.sessionId]);
    expect(sessionIdsOf(ben)).toEqual([atExpiry.sessionId]);
    expect(await store.current(anaOld.sessionId, T0.getTime())).toBeNull();
    expect(await store.current(benOld.sessionId, T0.getTime())).toBeNull();

    // A session expiring at the very instant of the purge is not yet past it.
    expect(await store.deleteExpired(new Date(boundary + 1))).toBe(0);
    expect(ended).toHaveLength(2);
    expect(await store.deleteExpired(new Date(boundary + 2))).toBe(1);
    expect(ended[2]).toEqual({ userId: ben, sessionIds: [atExpiry.sessionId] });
  });

  it('finds nothing to delete and announces nothing when every session is alive', async () => {
    const { store, ended } = storeWithLog();
    await store.create(person(), T0);
    expect(await store.deleteExpired(T0)).toBe(0);
    expect(ended).toEqual([]);
  });
});

describe('endsSession: what a signal of ended sessions ends', () => {
  it('names the sessions it lists, and only those', () => {
    expect(endsSession({ userId: 'u', sessionIds: ['a'] }, 'a')).toBe(true);
    expect(endsSession({ userId: 'u', sessionIds: ['a'] }, 'b')).toBe(false);
  });

  it('without a list, ends every session of the person except those kept', () => {
    expect(endsSession({ userId: 'u' }, 'a')).toBe(true);
    expect(endsSession({ userId: 'u', kept: ['a'] }, 'a')).toBe(false);
    expect(endsSession({ userId: 'u', kept: ['a'] }, 'b')).toBe(true);
  });

  it('does not end a session it replaces (it moves), but ends the others', () => {
    expect(endsSession({ userId: 'u', replaced: { from: 'a', to: 'b' } }, 'a')).toBe(false);
    expect(endsSession({ userId: 'u', replaced: { from: 'a', to: 'b' } }, 'c')).toBe(true);
    expect(endsSession({ userId: 'u', sessionIds: ['a'], replaced: { from: 'a', to: 'b' } }, 'a')).toBe(false);
    expect(endsSession({ userId: 'u', sessionIds: ['c'], replaced: { from: 'a', to: 'b' } }, 'c')).toBe(true);
  });
});

describe('validateRemembered: the synchronous answer of every request', () => {
  it('answers only a session validated before, not due for renewal, as validate() does', async () => {
    const { store } = storeWithLog();
    const user = person();
    const { token, sessionId, expiresAt } = await store.create(user, T0);
    // Never validated here: the caller must ask validate(), which reads the row.
    expect(store.validateRemembered(token, at(1).getTime())).toBeUndefined();
    const validated = await store.validate(token, at(1));
    expect(store.validateRemembered(token, at(2).getTime())).toEqual({ sessionId, expiresAt: expiresAt.getTime(), user: validated!.user, memberships: validated!.memberships });
    expect(store.validateRemembered(token, at(2).getTime())).toMatchObject({ user: { id: user } });
    // A token never issued is not answered from memory either.
    expect(store.validateRemembered(generateSecretToken(), at(2).getTime())).toBeUndefined();
  });

  it('leaves to validate() a session due for renewal or expired, so the cookie slides and the row is updated', async () => {
    const { store } = storeWithLog();
    const { token, sessionId } = await store.create(person(), T0);
    await store.validate(token, at(1));
    expect(store.validateRemembered(token, at(HALF_MS).getTime())).toBeDefined();
    expect(store.validateRemembered(token, at(HALF_MS + 1).getTime())).toBeUndefined();
    expect(store.validateRemembered(token, at(SESSION_LIFETIME_MS).getTime())).toBeUndefined();
    expect(await store.validate(token, at(HALF_MS + 1))).toMatchObject({ renewed: true });
    expect(storedExpiry(sessionId)).toBe(T0.getTime() + HALF_MS + 1 + SESSION_LIFETIME_MS);
  });

  it('stops answering a session once it ends or its person is forgotten', async () => {
    const { store } = storeWithLog();
    const user = person();
    const one = await store.create(user, T0);
    const two = await store.create(user, T0);
    await store.validate(one.token, at(1));
    await store.validate(two.token, at(1));
    await store.invalidate(one.sessionId);
    expect(store.validateRemembered(one.token, at(2).getTime())).toBeUndefined();
    expect(store.validateRemembered(two.token, at(2).getTime())).toBeDefined();
    store.forgetUser(user);
    expect(store.validateRemembered(two.token, at(3).getTime())).toBeUndefined();
  });
});
