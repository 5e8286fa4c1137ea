import { asc, count, eq } from 'drizzle-orm';
import type { Database, Orm } from '../../plugins/database.js';
import { groups, memberships } from '../../plugins/identity/tables.js';
import { newId } from '../../shared/ids.js';
import type { Group, GroupSummary } from './public.js';

export class GroupsRepository {
  private readonly db: Orm;

  constructor(database: Database) {
    this.db = database.orm;
  }

  async find(groupId: string): Promise<Group | undefined> {
    return (await this.db.select().from(groups).where(eq(groups.id, groupId)).limit(1))[0];
  }

  /** Every group's address, oldest first (the instance's first group leads, as FIRST_GROUP_SQL orders them). */
  async addresses(): Promise<Array<{ id: string; slug: string }>> {
    return this.db.select({ id: groups.id, slug: groups.slug }).from(groups).orderBy(asc(groups.createdAt), asc(groups.id));
  }

  /** Every group, oldest first (the instance's first group leads), with how many people belong to it. */
  async listWithCounts(): Promise<GroupSummary[]> {
    return this.db
      .select({ id: groups.id, slug: groups.slug, name: groups.name, description: groups.description, createdAt: groups.createdAt, memberCount: count(memberships.userId) })
      .from(groups)
      .leftJoin(memberships, eq(memberships.groupId, groups.id))
      .groupBy(groups.id)
      .orderBy(asc(groups.createdAt), asc(groups.id));
  }

  async slugTaken(slug: string): Promise<boolean> {
    return (await this.db.select({ id: groups.id }).from(groups).where(eq(groups.slug, slug)).limit(1)).length > 0;
  }

  /** Inside the caller's unit of work. */
  async insertWithin(group: { slug: string; name: string; description?: string }, now: Date): Promise<string> {
    const id = newId();
    await this.db.insert(groups).values({ id, slug: group.slug, name: group.name, description: group.description ?? '', createdAt: now });
    return id;
  }
}
