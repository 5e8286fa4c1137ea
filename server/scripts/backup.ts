import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from '../config.js';

/**
 * Copies the live database with SQLite's online backup API: safe while the server runs,
 * unlike copying the file (WAL pages may not be in the main file yet).
 * Usage: npm run backup [-- target-file]
 */
try {
  const config = loadConfig();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.resolve(process.argv[2] ?? path.join(config.dataDir, 'backups', `concilia-${stamp}.db`));
  mkdirSync(path.dirname(target), { recursive: true });
  const sqlite = new Database(config.databaseFile, { readonly: true, fileMustExist: true });
  await sqlite.backup(target);
  sqlite.close();
  console.log(`Backup written to ${target}`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
}
