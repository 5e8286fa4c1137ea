import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../plugins/db.js';
import { groups } from '../../plugins/identity/tables.js';
import { newId } from '../../shared/ids.js';
import type { Group } from './public.js';

export class GroupsRepository {
  private defaultGroup: Group | null = null;

  constructor(private readonly db: Db) {}

  async findDefault(): Promise<Group | null> {
    this.defaultGroup ??= this.db.select().from(groups).orderBy(asc(groups.createdAt)).limit(1).get() ?? null;
    return this.defaultGroup;
  }

  forgetCachedDefault(): void {
    this.defaultGroup = null;
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
