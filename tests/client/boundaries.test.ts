import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { featureOf, importGraph, violations, type BoundaryRule, type ImportEdge } from '../support/import-graph.js';

/**
 * The client's boundaries (README, "How the code is laid out"): a feature is a folder the rest of
 * the client reaches through one door, so that a feature can be added, changed or lazily loaded
 * without the others noticing.
 *
 * - A file of client/features/A imports from client/features/B only B/public.ts.
 * - client/ui (shared elements and styles) and client/controllers (shared reactive controllers)
 *   import no feature: what several features share lives there or in client/app, never in one
 *   feature that the others borrow from.
 * - The shell (client/app, client/main.ts) reaches a feature through its public.ts, or through the
 *   registrations client/app/features.ts lists: its routes.ts (paths, titles, menu links; in the
 *   entry), its define.ts, loaded when one of the feature's routes is first visited, and its
 *   notification-kinds.ts, the renderers of its notification kinds loaded with the signed-in shell.
 * - The client imports server modules only for their types (`import type`): no server code
 *   reaches the bundle.
 */

const root = path.resolve(import.meta.dirname, '../..');
const FEATURES = 'client/features';

const clientFeature = (file: string) => featureOf(file, FEATURES);
const isPublic = (file: string) => /^client\/features\/[^/]+\/public\.ts$/.test(file);
const isRegistration = (file: string) => /^client\/features\/[^/]+\/(routes|define|notification-kinds)\.ts$/.test(file);

const featuresOnlyThroughPublic: BoundaryRule = ({ from, to }) => {
  const a = clientFeature(from);
  const b = clientFeature(to);
  if (!a || !b || a === b || isPublic(to)) return null;
  return `feature "${a}" reaches into feature "${b}": import ${path.posix.dirname(to)}/public.ts instead`;
};

const sharedImportsNoFeature: BoundaryRule = ({ from, to }) => {
  if (!/^client\/(ui|controllers)\//.test(from) || !clientFeature(to)) return null;
  return `${from.split('/')[1]}/ is shared by every feature and imports none: move what it needs out of the feature`;
};

const shellThroughPublicOrRegistration: BoundaryRule = ({ from, to }) => {
  const shell = from.startsWith('client/app/') || from === 'client/main.ts';
  if (!shell || !clientFeature(to) || isPublic(to) || isRegistration(to)) return null;
  return "the shell reaches a feature only through its public.ts or its registrations (routes.ts, define.ts, notification-kinds.ts)";
};

const serverOnlyAsTypes: BoundaryRule = ({ from, to, typeOnly }) => {
  if (!from.startsWith('client/') || !to.startsWith('server/') || typeOnly) return null;
  return 'the client imports server modules only with `import type`: their code must not reach the bundle';
};

const RULES = [featuresOnlyThroughPublic, sharedImportsNoFeature, shellThroughPublicOrRegistration, serverOnlyAsTypes];

const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly });

describe('the client boundaries', () => {
  const graph = importGraph(root, ['client']);

  it('reads the real import graph (it is not empty, and it sees the imports the rules are about)', () => {
    expect(graph.length).toBeGreaterThan(300);
    expect(graph).toContainEqual(edge('client/features/people/profile-page.ts', 'client/features/meetings/public.ts'));
    expect(graph).toContainEqual(edge('client/app/features.ts', 'client/features/debates/define.ts'));
  });

  it('holds for every import of the client', () => {
    expect(violations(graph, RULES)).toEqual([]);
  });

  it('refuses a synthetic graph that breaks each rule, and allows what the rules allow', () => {
    const broken = [
      // A feature using another feature's internals: its API module, an element, its models.
      edge('client/features/meetings/meeting-form-page.ts', 'client/features/debates/debates-api.ts'),
      edge('client/features/search/search-page.ts', 'client/features/documents/document-list-item.ts'),
      edge('client/features/notifications/notification-text.ts', 'client/features/meetings/models.ts', true),
      // Shared code that borrows from a feature, even its public face.
      edge('client/ui/markdown-editor/markdown-editor.component.ts', 'client/features/debates/public.ts'),
      edge('client/controllers/upload-controller.ts', 'client/features/documents/documents-format.ts'),
      // The shell reaching past a feature's doors.
      edge('client/app/define-signed-in.ts', 'client/features/notifications/notification-bell.ts'),
      // Server code in the bundle.
      edge('client/features/debates/models.ts', 'server/features/debates/schemas.ts'),
    ];
    const allowed = [
      edge('client/features/meetings/meeting-form-page.ts', 'client/features/debates/public.ts'),
      edge('client/features/debates/thread-page.ts', 'client/features/debates/debates-api.ts'),
      edge('client/features/debates/thread-page.ts', 'client/ui/markdown-editor/markdown-editor.ts'),
      edge('client/ui/markdown-editor/markdown-editor.component.ts', 'client/app/markdown-api.ts'),
      edge('client/app/features.ts', 'client/features/meetings/define.ts'),
      edge('client/app/features.ts', 'client/features/meetings/routes.ts'),
      edge('client/app/define-signed-in.ts', 'client/features/notifications/public.ts'),
      edge('client/features/debates/models.ts', 'server/features/debates/schemas.ts', true),
    ];
    const refused = violations(broken, RULES);
    expect(refused).toHaveLength(broken.length);
    for (const [index, { from, to }] of broken.entries()) expect(refused[index]).toContain(`${from} -> ${to}: `);
    expect(violations(allowed, RULES)).toEqual([]);
  });

  it('keeps every public.ts a door only: re-exports and loaders, nothing imported for its effect', () => {
    // An import for its effect (an element's definition) would load with every borrower: the
    // notification bell, in the first chunk a signed-in page loads, borrows a label from the
    // meetings, and must not bring their pages and luxon with it.
    const doors = [...new Set(graph.map((e) => e.from).filter(isPublic))];
    expect(doors.length).toBeGreaterThanOrEqual(6);
    const effects = doors.flatMap((file) => {
      const source = ts.createSourceFile(file, readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
      return source.statements.filter((statement) => ts.isImportDeclaration(statement) && !statement.importClause).map((statement) => `${file}: ${statement.getText(source)}`);
    });
    expect(effects).toEqual([]);
  });
});
