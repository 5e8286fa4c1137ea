import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { displayUrl } from './plugins/postgres.js';
import { builtClientDir } from './shared/paths.js';

// A wrong setting (a bad variable, a database that does not answer) is said in one line.
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
  // A PostgreSQL that does not answer (down, wrong host or port, refused sign-in) is a setting to fix, not a crash.
  if (config?.databaseUrl && isConnectionFailure(error)) {
    console.error(`DATABASE_URL=${displayUrl(config.databaseUrl)}: PostgreSQL could not be reached (${(error as Error).message}). Check that it runs and that the URL is right.`);
    process.exit(1);
  }
  throw error;
}

function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // Node's socket errors, and PostgreSQL's own refusals of a connection (class 08, 28 sign-in, 3D000 no such database).
  return typeof code === 'string' && (/^E[A-Z]+$/.test(code) || /^(08|28)/.test(code) || code === '3D000');
}

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the database.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) fastify.log.error({ err }, 'closing after an uncaught error');
  else fastify.log.info({ signal }, 'shutting down');
  await fastify.close();
});

await fastify.listen({ port: config.port, host: config.host });
fastify.log.info(`Concilia is ready at ${config.publicUrl} (database ${config.databaseUrl === null ? config.databaseFile : displayUrl(config.databaseUrl)})`);
