import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../plugins/db.js';
import { displayUrl, migratePostgres } from '../plugins/postgres.js';

/**
 * Applies pending migrations to the configured database and exits: the SQLite file (the server also
 * does this at start), or with DATABASE_URL the PostgreSQL database (migrations/pg).
 */
try {
  const config = loadConfig();
  if (config.databaseUrl !== null) {
    await migratePostgres(config.databaseUrl);
    console.log(`Database ${displayUrl(config.databaseUrl)} is up to date.`);
  } else {
    const { sqlite } = openDatabase(config.databaseFile);
    sqlite.close();
    console.log(`Database ${config.databaseFile} is up to date.`);
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
}
