import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, NOT_ON_POSTGRES } from './config.js';
import { builtClientDir } from './shared/paths.js';

let config;
try {
  config = loadConfig(process.env, { clientDir: builtClientDir });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

if (config.databaseUrl !== null) {
  console.error(NOT_ON_POSTGRES);
  process.exit(1);
}

const fastify = await buildApp(config);

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the database.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) fastify.log.error({ err }, 'closing after an uncaught error');
  else fastify.log.info({ signal }, 'shutting down');
  await fastify.close();
});

await fastify.listen({ port: config.port, host: config.host });
fastify.log.info(`Concilia is ready at ${config.publicUrl} (database ${config.databaseFile})`);
