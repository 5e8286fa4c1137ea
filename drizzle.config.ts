import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: ['./server/features/*/tables.sqlite.ts', './server/features/*/*-tables.sqlite.ts', './server/plugins/*/tables.sqlite.ts'],
  out: './migrations',
});
