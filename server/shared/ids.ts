import { randomUUID } from 'node:crypto';

/** Row identifiers: random UUIDs, so ids stay unique when data moves between instances or databases. */
export const newId = (): string => randomUUID();

/**
 * UUID version 7: as unique as newId, but a millisecond timestamp leads, so rows inserted in bulk
 * (a notification per watcher of every post) append to their primary-key index instead of
 * dirtying a random page of it per row.
 */
export function newTimeOrderedId(now = Date.now()): string {
  // randomUUID draws from a cached entropy pool (far cheaper than randomBytes per id); its first
  // 48 bits become the timestamp and its version digit a 7.
  const random = randomUUID();
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}
