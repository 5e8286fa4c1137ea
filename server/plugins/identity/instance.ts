import { asc } from 'drizzle-orm';
import type { Db } from '../db.js';
import { groups } from './tables.js';

/**
 * The instance's first group (the one set-up created). Until an instance-administrator role
 * exists, its administrators are the instance's: they alone read what belongs to no group, such
 * as the mail outbox of every group. Remembered once found: groups are never deleted.
 */
export function firstGroupOf(db: Db): () => string | undefined {
  let found: string | undefined;
  return () => (found ??= db.select({ id: groups.id }).from(groups).orderBy(asc(groups.createdAt), asc(groups.id)).limit(1).get()?.id);
}
