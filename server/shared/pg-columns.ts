import { customType } from 'drizzle-orm/pg-core';
import type { Column } from 'drizzle-orm';

/**
 * Column types of the PostgreSQL schema that SQLite's columns map to (the generated `*.pg.ts`
 * beside each `tables.ts`, written by tools/pg-schema.ts).
 *
 * An instant is stored as bigint milliseconds since the epoch, as SQLite stores `timestamp_ms`,
 * and reaches the code as a Date, as SQLite's does. Why not `timestamptz`: the raw SQL of the
 * repositories compares and passes instants as milliseconds (`run_at <= ?` with `Date.now()`), so
 * their PostgreSQL twins translate statement by statement without touching arithmetic, and the copy
 * from a SQLite file moves the numbers as they are. The cost: psql shows numbers
 * (`to_timestamp(created_at / 1000.0)` reads them).
 */
export const timestampMs = customType<{ data: Date; driverData: string | number }>({
  dataType: () => 'bigint',
  toDriver: (value) => value.getTime(),
  // node-postgres hands int8 over as a string (it may exceed 2^53; milliseconds never do).
  fromDriver: (value) => new Date(Number(value)),
});

/** The TypeScript type a SQLite column holds (its `$type<...>()`): the generated PostgreSQL column declares the same. */
export type ColumnData<C extends Column> = C['_']['data'];
