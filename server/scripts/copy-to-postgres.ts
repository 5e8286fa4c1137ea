import path from 'node:path';
import { databaseUrlProblem } from '../config.js';
import { displayUrl } from '../plugins/postgres.js';
import { compareSqliteWithPostgres, copySqliteToPostgres } from './sqlite-to-pg.js';
import { CopyRefused } from './table-digests.js';

/**
 * Copies a group's SQLite file into a new PostgreSQL database, checked table by table (sqlite-to-pg.ts).
 * With --compare it changes nothing and compares the two (after a copy, before the cut-over).
 * Usage: npm run copy-to-postgres -- <sqlite file> <postgres url> [--compare]
 */
const USAGE = 'Usage: npm run copy-to-postgres -- <sqlite file> <postgres://user:password@host:5432/database> [--compare]';

try {
  const args = process.argv.slice(2);
  const compare = args.includes('--compare');
  const [file, url, ...rest] = args.filter((arg) => arg !== '--compare');
  if (file === undefined || url === undefined || rest.length > 0 || args.some((arg) => arg.startsWith('--') && arg !== '--compare')) throw new CopyRefused(USAGE);
  const problem = databaseUrlProblem(url);
  if (problem !== null) throw new CopyRefused(`The PostgreSQL URL ${problem}.\n${USAGE}`);
  const sqliteFile = path.resolve(file);
  if (compare) {
    const { tables, differences } = await compareSqliteWithPostgres({ sqliteFile, url });
    if (differences.length > 0) throw new CopyRefused(`${displayUrl(url)} differs from ${sqliteFile}:\n  ${differences.join('\n  ')}`);
    console.log(`${displayUrl(url)} holds what ${sqliteFile} holds: ${tables.length} tables, ${tables.reduce((sum, table) => sum + table.rows, 0)} rows, the same counts and checksums.`);
  } else {
    const report = await copySqliteToPostgres({ sqliteFile, url });
    for (const table of report.tables) console.log(`  ${table.name.padEnd(40)} ${String(table.rows).padStart(9)}  ${table.sha256.slice(0, 16)}`);
    console.log(
      `Copied ${sqliteFile} to ${displayUrl(url)}: ${report.tables.length} tables, ${report.rows} rows, counts and checksums equal, in ${(report.ms / 1000).toFixed(1)} s.\n` +
        `Search: ${report.fullText.map((entry) => `${entry.to} built from ${entry.from} (${entry.rows} rows)`).join(', ')} (docs/postgresql.md, "Search").`,
    );
  }
} catch (error) {
  console.error(error instanceof CopyRefused ? error.message : error);
  process.exitCode = 1;
}
