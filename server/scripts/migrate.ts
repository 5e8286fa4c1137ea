import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../plugins/db.js';

/** Applies pending migrations to the configured database and exits (the server also does this at start). */
try {
  const config = loadConfig();
  const { sqlite } = openDatabase(config.databaseFile);
  sqlite.close();
  console.log(`Database ${config.databaseFile} is up to date.`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
