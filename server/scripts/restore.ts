import path from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { restoreBackup, RestoreRefused } from './backup-archive.js';

/**
 * Restores an archive written by `npm run backup` into DATA_DIR (and, with DATABASE_URL, into that
 * empty PostgreSQL database). Stop the server first. Refuses a DATA_DIR that holds a forum unless
 * --force (which moves it aside, see backup-archive.ts).
 * Usage: npm run restore -- <archive.tar> [--force]
 */
try {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const archive = args.find((arg) => !arg.startsWith('--'));
  if (!archive || args.some((arg) => arg.startsWith('--') && arg !== '--force')) throw new RestoreRefused('Usage: npm run restore -- <archive.tar> [--force]');
  const config = loadConfig();
  const { files, movedAside } = await restoreBackup({ dataDir: config.dataDir, databaseFile: config.databaseFile, databaseUrl: config.databaseUrl, archive: path.resolve(archive), force });
  console.log(`Restored ${path.resolve(archive)} into ${config.dataDir}: the database and ${files} stored files.${movedAside ? ` What was there is kept in ${movedAside}.` : ''}${config.databaseUrl ? ' Run npm run migrate to apply any pending migrations.' : ' Start the server to apply any pending migrations.'}`);
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof RestoreRefused ? error.message : error);
  process.exitCode = 1;
}
