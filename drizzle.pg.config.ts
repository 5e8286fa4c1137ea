import { defineConfig } from 'drizzle-kit';

/**
 * The PostgreSQL migrations, from the schema tools/pg-schema.ts generates beside every SQLite
 * `tables.ts` (the same files as drizzle.config.ts, as `tables.pg.ts`). `npm run db:generate`
 * regenerates that schema and then both dialects' migrations.
 */
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./server/features/*/tables.pg.ts', './server/features/*/*-tables.pg.ts', './server/plugins/*/tables.pg.ts'],
  out: './migrations/pg',
});
