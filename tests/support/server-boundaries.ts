import { featureOf, type BoundaryRule } from './import-graph.js';

/**
 * The server's boundaries (README, "How the code is laid out"): infrastructure knows no feature,
 * and a feature reaches another only through that feature's public.ts. Checked by
 * tests/server/boundaries.test.ts.
 */

export const FEATURES = 'server/features';

/** drizzle schema files (SQLite's, and the PostgreSQL twins tools/pg-schema.ts generates): a foreign key to another feature's table is the one reason to import it. */
const isTables = (file: string) => /(^|\/|-)tables(\.pg|\.sqlite)?\.ts$/.test(file);

const pluginsImportNoFeature: BoundaryRule = ({ from, to }) =>
  from.startsWith('server/plugins/') && to.startsWith(`${FEATURES}/`) ? 'infrastructure (server/plugins) imports no feature, not even its types or tables' : null;

const sharedImportsNoFeatureNorPlugin: BoundaryRule = ({ from, to }) =>
  from.startsWith('server/shared/') && (to.startsWith(`${FEATURES}/`) || to.startsWith('server/plugins/')) ? 'server/shared holds helpers that import no feature and no plugin' : null;

const featuresMeetThroughPublic: BoundaryRule = ({ from, to }) => {
  const importer = featureOf(from, FEATURES);
  const imported = featureOf(to, FEATURES);
  if (importer === null || imported === null || importer === imported) return null;
  if (to === `${FEATURES}/${imported}/public.ts`) return null;
  if (isTables(from) && isTables(to)) return null;
  return `the ${importer} feature may import only ${FEATURES}/${imported}/public.ts of the ${imported} feature`;
};

export const serverBoundaryRules: BoundaryRule[] = [pluginsImportNoFeature, sharedImportsNoFeatureNorPlugin, featuresMeetThroughPublic];
