import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, buildTestApp, setUpGroup, type TestApp } from '../../helper.js';
import { api } from './support.js';

let t: TestApp;
let adminCookie: string;

beforeAll(async () => {
  t = await buildTestApp();
  adminCookie = await setUpGroup(t.app);
});
afterAll(async () => t.close());

describe('handles', () => {
  it('are made from the display name at sign-up, accents folded, duplicates numbered', async () => {
    const first = await addPerson(t.app, adminCookie, 'member', { countryId: 'pe' }, { displayName: 'José Ñúñez' });
    const second = await addPerson(t.app, adminCookie, 'member', { countryId: 'bo' }, { displayName: 'Jose  Nuñez' });
    const people = (await api(t.app, { id: '', cookie: adminCookie }, 'GET', '/mentionable?q=jose')).json().people as Array<{ id: string; handle: string }>;
    expect(people.map((person) => [person.id, person.handle])).toEqual([
      [first.id, 'jose.nunez'],
      [second.id, 'jose.nunez2'],
    ]);
    expect((await api(t.app, { id: '', cookie: adminCookie }, 'GET', '/mentionable?q=ana')).json().people[0].handle).toBe('ana.admin');
  });

  it('are backfilled by the migration for people who existed before', () => {
    const migration = readFileSync(new URL('../../../migrations/0002_debates.sql', import.meta.url), 'utf8');
    const backfill = migration
      .split('--> statement-breakpoint')
      .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
      .filter((statement) => statement.startsWith('UPDATE `users`'));
    expect(backfill.length).toBeGreaterThan(0);
    const db = new Database(':memory:');
    try {
      db.exec('create table users (id text primary key, display_name text not null, handle text)');
      const insert = db.prepare('insert into users (id, display_name) values (?, ?)');
      insert.run('a', 'María José Pérez');
      insert.run('b', 'maría josé pérez');
      insert.run('c', "D'Artagnan Smith-Jones");
      insert.run('d', '  ');
      for (const statement of backfill) db.exec(statement);
      db.exec('create unique index users_handle_unique on users (handle)');
      const handles = db.prepare('select id, handle from users order by id').all() as Array<{ id: string; handle: string }>;
      expect(handles[0]!.handle).toBe('maria.jose.perez');
      expect(handles[1]!.handle).toMatch(/^maria\.jose\.perez\d+$/);
      expect(handles[2]!.handle).toBe('dartagnan.smith.jones');
      expect(handles[3]!.handle).toBe('user');
    } finally {
      db.close();
    }
  });
});
