import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { builtClientDir } from './shared/paths.js';

// A wrong setting (a bad variable, a PostgreSQL DATABASE_URL: buildApp refuses it) is said in one line.
let config;
let fastify;
try {
  config = loadConfig(process.env, { clientDir: builtClientDir });
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
