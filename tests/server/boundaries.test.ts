import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph, violations, type ImportEdge } from '../support/import-graph.js';
import { FEATURES, serverBoundaryRules as serverRules } from '../support/server-boundaries.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the server boundaries', () => {
  it('hold for every import of server/', () => {
    const edges = importGraph(root, ['server']);
    // The graph is real: features do import one another's public modules, and plugins one another.
    expect(edges.some((edge) => edge.from.startsWith(`${FEATURES}/meetings/`) && edge.to === `${FEATURES}/debates/public.ts`)).toBe(true);
    expect(edges.length).toBeGreaterThan(500);
    expect(violations(edges, serverRules)).toEqual([]);
  });

  it('refuse a feature importing another feature\'s repository, and infrastructure importing a feature', () => {
    const edges: ImportEdge[] = [
      { from: `${FEATURES}/meetings/views.ts`, to: `${FEATURES}/debates/repository.ts`, typeOnly: false },
      { from: `${FEATURES}/meetings/views.ts`, to: `${FEATURES}/documents/permissions.ts`, typeOnly: true },
      { from: 'server/plugins/sessions/tables.ts', to: `${FEATURES}/people/tables.ts`, typeOnly: false },
      { from: 'server/shared/errors.ts', to: 'server/plugins/db.ts', typeOnly: true },
      // Allowed: a public module, a foreign key between schema files, a feature's own modules.
      { from: `${FEATURES}/meetings/views.ts`, to: `${FEATURES}/debates/public.ts`, typeOnly: true },
      { from: `${FEATURES}/meetings/room-tables.ts`, to: `${FEATURES}/documents/tables.ts`, typeOnly: false },
      { from: `${FEATURES}/meetings/routes/room.ts`, to: `${FEATURES}/meetings/core.ts`, typeOnly: true },
      { from: `${FEATURES}/debates/core.ts`, to: 'server/plugins/files/index.ts', typeOnly: false },
    ];
    expect(violations(edges, serverRules)).toEqual([
      `${FEATURES}/meetings/views.ts -> ${FEATURES}/debates/repository.ts: the meetings feature may import only ${FEATURES}/debates/public.ts of the debates feature`,
      `${FEATURES}/meetings/views.ts -> ${FEATURES}/documents/permissions.ts: the meetings feature may import only ${FEATURES}/documents/public.ts of the documents feature`,
      `server/plugins/sessions/tables.ts -> ${FEATURES}/people/tables.ts: infrastructure (server/plugins) imports no feature, not even its types or tables`,
      'server/shared/errors.ts -> server/plugins/db.ts: server/shared holds helpers that import no feature and no plugin',
    ]);
  });
});
