import { sql } from 'drizzle-orm';
import type { Db, DbTransaction } from '../../plugins/db.js';
import { newId } from '../../shared/ids.js';
import type { NewPerson } from '../people/public.js';
import { groups, users } from '../../plugins/identity/tables.js';

export class SetupRepository {
  /** @param insertPerson creates the administrator inside the set-up's transaction (`fastify.people.insertWithin`). */
  constructor(
    private readonly db: Db,
    private readonly insertPerson: (tx: DbTransaction, person: NewPerson, now: Date) => string,
  ) {}

  async isSetUp(): Promise<boolean> {
    return this.db.select({ n: sql<number>`count(*)` }).from(users).get()!.n > 0;
  }

  /**
   * Creates the group and its first administrator, or returns null when anyone already exists.
   * IMMEDIATE takes the write lock before the check, so two racing set-ups cannot both succeed.
   */
  async createGroupWithAdmin(group: { name: string; slug: string }, admin: Omit<NewPerson, 'groupId' | 'role'>, now = new Date()) {
    return this.db.transaction(
      (tx) => {
        if (tx.select({ n: sql<number>`count(*)` }).from(users).get()!.n > 0) return null;
        const groupId = newId();
        tx.insert(groups).values({ id: groupId, slug: group.slug, name: group.name, createdAt: now }).run();
        const userId = this.insertPerson(tx, { ...admin, groupId, role: 'admin' }, now);
        return { groupId, userId };
      },
      { behavior: 'immediate' },
    );
  }
}
