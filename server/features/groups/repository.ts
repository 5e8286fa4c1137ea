import { asc, count, eq } from 'drizzle-orm';
import type { Db } from '../../plugins/db.js';
import { firstGroupOf } from '../../plugins/identity/instance.js';
import { groups, memberships } from '../../plugins/identity/tables.js';
import { newId } from '../../shared/ids.js';
import type { Group, GroupSummary } from './public.js';

export class GroupsRepository {
  private readonly firstGroup;

  constructor(private readonly db: Db) {
    this.firstGroup = firstGroupOf(db);
  }

  async findDefault(): Promise<Group | null> {
    const id = this.firstGroup();
    return (id === undefined ? undefined : await this.find(id)) ?? null;
  }

  async find(groupId: string): Promise<Group | undefined> {
    return this.db.select().from(groups).where(eq(groups.id, groupId)).get();
  }

  /** Every group, oldest first (the instance's first group leads), with how many people belong to it. */
  async listWithCounts(): Promise<GroupSummary[]> {
    return this.db
      .select({ id: groups.id, slug: groups.slug, name: groups.name, description: groups.description, createdAt: groups.createdAt, memberCount: count(memberships.userId) })
      .from(groups)
      .leftJoin(memberships, eq(memberships.groupId, groups.id))
      .groupBy(groups.id)
      .orderBy(asc(groups.createdAt), asc(groups.id))
      .all();
  }

  slugNow(groupId: string): string | undefined {
    return this.db.select({ slug: groups.slug }).from(groups).where(eq(groups.id, groupId)).get()?.slug;
  }

  firstGroupNow(): string | undefined {
    return this.firstGroup();
  }

  slugTaken(slug: string): boolean {
    return this.db.select({ id: groups.id }).from(groups).where(eq(groups.slug, slug)).get() !== undefined;
  }

  /** Inside the caller's unit-of-work piece. */
  insertWithin(group: { slug: string; name: string; description?: string }, now: Date): string {
    const id = newId();
    this.db.insert(groups).values({ id, slug: group.slug, name: group.name, description: group.description ?? '', createdAt: now }).run();
    return id;
  }
}
