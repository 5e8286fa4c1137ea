import { asc } from 'drizzle-orm';
import type { Db } from '../../plugins/db.js';
import { groups } from '../../plugins/identity/tables.js';

export type Group = typeof groups.$inferSelect;

export class GroupsRepository {
  private defaultGroup: Group | null = null;

  constructor(private readonly db: Db) {}

  /**
   * The group this instance serves. Today an instance hosts one group, created at set-up;
   * hosting several later means resolving the group from the request instead of calling this.
   */
  async findDefault(): Promise<Group | null> {
    this.defaultGroup ??= this.db.select().from(groups).orderBy(asc(groups.createdAt)).limit(1).get() ?? null;
    return this.defaultGroup;
  }

  forgetCachedDefault(): void {
    this.defaultGroup = null;
  }
}
