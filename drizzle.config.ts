import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: ['./server/features/*/tables.ts', './server/features/*/*-tables.ts', './server/plugins/*/tables.ts'],
  out: './migrations',
});
