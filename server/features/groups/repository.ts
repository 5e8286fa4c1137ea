import { eq } from 'drizzle-orm';
import type { Db } from '../../plugins/db.js';
import { firstGroupOf } from '../../plugins/identity/instance.js';
import { groups } from '../../plugins/identity/tables.js';
import { newId } from '../../shared/ids.js';
import type { Group } from './public.js';

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
