import type { Database, Statement } from '../../plugins/database.js';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import { newId } from '../../shared/ids.js';
import type { NewPerson } from '../people/public.js';

export class SetupRepository {
  private readonly statements;

  /** @param insertPerson creates the administrator inside the set-up's unit of work (`fastify.people.insertWithin`). */
  constructor(
    database: Database,
    private readonly insertPerson: (commit: PendingCommit, person: NewPerson, now: Date) => Promise<string>,
  ) {
    this.statements = {
      anyone: database.statement<[]>('select 1 from users limit 1'),
      insertGroup: database.statement<[string, string, string, number]>('insert into groups (id, slug, name, created_at) values (?, ?, ?, ?)'),
      // Two racing set-ups must not both find the database empty. SQLite's group commit holds the
      // write lock for its whole transaction already; PostgreSQL's transactions take turns here.
      takeTurns: database.statement<[]>({ sqlite: 'select 1', postgres: "select pg_advisory_xact_lock(hashtext('concilia set-up'))" }),
    } satisfies Record<string, Statement<never, unknown>>;
  }

  async isSetUp(): Promise<boolean> {
    return (await this.statements.anyone.get()) !== undefined;
  }

  /** Creates the group and its first administrator inside the caller's unit of work, or returns null when anyone already exists. */
  async createGroupWithAdminWithin(commit: PendingCommit, group: { name: string; slug: string }, admin: Omit<NewPerson, 'groupId' | 'role'>, now = new Date()) {
    await this.statements.takeTurns.run();
    if (await this.isSetUp()) return null;
    const groupId = newId();
    await this.statements.insertGroup.run(groupId, group.slug, group.name, now.getTime());
    const userId = await this.insertPerson(commit, { ...admin, groupId, role: 'admin' }, now);
    return { groupId, userId };
  }
}
