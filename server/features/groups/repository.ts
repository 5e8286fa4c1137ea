import { asc } from 'drizzle-orm';
import type { Db } from '../../plugins/db.js';
import { groups } from '../../plugins/identity/tables.js';
import type { Group, GroupsService } from './public.js';

export class GroupsRepository implements GroupsService {
  private defaultGroup: Group | null = null;

  constructor(private readonly db: Db) {}

  async findDefault(): Promise<Group | null> {
    this.defaultGroup ??= this.db.select().from(groups).orderBy(asc(groups.createdAt)).limit(1).get() ?? null;
    return this.defaultGroup;
  }

  forgetCachedDefault(): void {
    this.defaultGroup = null;
  }
}
