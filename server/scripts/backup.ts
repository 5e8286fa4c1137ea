import path from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { createBackup } from './backup-archive.js';

/**
 * Writes one archive holding the database and every stored file it refers to, consistent with each
 * other while the server runs (see backup-archive.ts). Restore it with `npm run restore`.
 * Usage: npm run backup [-- target.tar]
 */
try {
  const config = loadConfig();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.resolve(process.argv[2] ?? path.join(config.dataDir, 'backups', `concilia-${stamp}.tar`));
  const { files, bytes } = await createBackup({ dataDir: config.dataDir, databaseFile: config.databaseFile, databaseUrl: config.databaseUrl, target });
  console.log(`Backup written to ${target}: the ${config.databaseUrl ? 'PostgreSQL ' : ''}database and ${files} stored files (${(bytes / (1024 * 1024)).toFixed(1)} MB).`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
}
