/**
 * Stale-save refusal for drafts saved field by field (the minutes, a consultation's answers): every
 * accepted save raises the draft's revision and records, per field it changed, that new revision.
 * A save carries the revision its text was based on, and is refused as a whole when a field it
 * would change, or depends on, was changed by a later save than that base. A base the server never
 * issued (above the current revision: a restored database, a forged number) is stale too.
 */

export interface Revisioned {
  revision: number;
  /** The revision of the save that last changed this field; 0 when never changed. */
  fieldRevision(field: string): number;
}

/**
 * The fields that make a save stale, sorted; empty when it may be applied. `dependsOn`: fields whose
 * stored value this save relies on without rewriting them (writing a cell of a row relies on the
 * row not having been removed meanwhile).
 */
export function staleFields(current: Revisioned, base: number, changed: Iterable<string>, dependsOn: Iterable<string> = []): string[] {
  const conflicts = new Set<string>();
  const changedSet = new Set(changed);
  for (const field of changedSet) if (base > current.revision || current.fieldRevision(field) > base) conflicts.add(field);
  for (const field of dependsOn) if (!changedSet.has(field) && current.fieldRevision(field) > base) conflicts.add(field);
  return [...conflicts].sort();
}
