import type { TestProject } from 'vitest/node';
import { createTemplate, startPgCluster } from './postgres.js';

/**
 * vitest globalSetup for a run on PostgreSQL (TEST_ENGINE=postgres, see vitest.config.ts): one
 * cluster and one migrated template for the whole run, each test file cloning its own database
 * from it (tests/support/postgres.ts, databaseForThisFile). Stopped, by its PID, when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPgCluster();
  try {
    await createTemplate(cluster);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  project.provide('postgres', { port: cluster.port, user: cluster.user });
  return () => cluster.stop();
}
