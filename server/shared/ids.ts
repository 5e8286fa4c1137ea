import { randomUUID } from 'node:crypto';

/** Row identifiers: random UUIDs, so ids stay unique when data moves between instances or databases. */
export const newId = (): string => randomUUID();
