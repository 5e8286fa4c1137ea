import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, NOT_ON_POSTGRES } from './config.js';
import { builtClientDir } from './shared/paths.js';

// A wrong setting (a bad variable, a PostgreSQL DATABASE_URL) is said in one line.
let config;
let fastify;
try {
  config = loadConfig(process.env, { clientDir: builtClientDir });
  // The app builds on PostgreSQL for the tests that bring its features there one by one; the
  // server is not offered on it until every feature runs there (docs/postgresql.md).
  if (config.databaseUrl !== null) throw new ConfigError(NOT_ON_POSTGRES);
  fastify = await buildApp(config);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the database.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) fastify.log.error({ err }, 'closing after an uncaught error');
  else fastify.log.info({ signal }, 'shutting down');
  await fastify.close();
});

await fastify.listen({ port: config.port, host: config.host });
fastify.log.info(`Concilia is ready at ${config.publicUrl} (database ${config.databaseFile})`);
