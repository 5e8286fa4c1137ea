import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { pgMigrationsDir } from '../shared/paths.js';

/**
 * PostgreSQL, as far as it goes today: its migrations. The repositories do not run on it yet
 * (docs/postgresql.md); `npm run migrate`, `npm run backup` and `npm run copy-to-postgres` do.
 */

/** Any number, the same in every process: the key of the advisory lock that makes migrations one at a time. */
const MIGRATION_LOCK = 0x636f6e63; // "conc"

/**
 * Applies the pending migrations of migrations/pg with drizzle's node-postgres migrator; those
 * applied already (drizzle.__drizzle_migrations) are skipped, so running it again changes nothing.
 * Two processes migrating at once (two instances starting) take turns on an advisory lock.
 */
export async function migratePostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder: pgMigrationsDir });
  } finally {
    // Closing the session releases the lock, also after a failed migration.
    await client.end();
  }
}

/** The URL with its password masked, for messages and logs. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'postgres://(unreadable URL)';
  }
}
