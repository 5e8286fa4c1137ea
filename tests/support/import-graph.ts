import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One import of one source file, resolved to a path relative to the repository root. */
export interface ImportEdge {
  from: string;
  to: string;
  /** `import type` / `export type`: erased at build time, so it carries no code. */
  typeOnly: boolean;
}

/** A rule over the import graph: a message for each edge it refuses, none when the edge is allowed. */
export type BoundaryRule = (edge: ImportEdge) => string | null;

const SOURCE = /\.(ts|js)$/;

function sourceFiles(root: string, folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (SOURCE.test(name) && !name.endsWith('.d.ts')) found.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(path.join(root, folder));
  return found;
}

/** Whether an import statement (or re-export) of this text is type-only, judged by TypeScript's own parser. */
function typeOnlyImports(fileName: string, text: string): Map<string, boolean> {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const result = new Map<string, boolean>();
  const note = (specifier: ts.Expression | undefined, typeOnly: boolean) => {
    if (!specifier || !ts.isStringLiteral(specifier)) return;
    // A module imported both ways carries code.
    result.set(specifier.text, (result.get(specifier.text) ?? true) && typeOnly);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      const allNamedAreTypes =
        named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((element) => element.isTypeOnly) && !clause?.name;
      note(statement.moduleSpecifier, Boolean(clause?.isTypeOnly) || allNamedAreTypes);
    } else if (ts.isExportDeclaration(statement)) {
      note(statement.moduleSpecifier, statement.isTypeOnly);
    }
  }
  return result;
}

/**
 * Every relative import of every .ts file under the given folders, resolved against the file
 * (`.js` specifiers name the `.ts` source, as NodeNext resolution writes them). Dynamic imports
 * count as imports that carry code. Package imports are left out: the rules are about our folders.
 */
export function importGraph(root: string, folders: string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const folder of folders) {
    for (const file of sourceFiles(root, folder)) {
      const text = readFileSync(path.join(root, file), 'utf8');
      const info = ts.preProcessFile(text, true, true);
      const typeOnly = typeOnlyImports(file, text);
      for (const imported of info.importedFiles) {
        if (!imported.fileName.startsWith('.')) continue;
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), imported.fileName)).replace(/\.js$/, '.ts');
        edges.push({ from: file, to: target, typeOnly: typeOnly.get(imported.fileName) ?? false });
      }
    }
  }
  return edges;
}

/** Every refusal of every rule over these edges, one line each ("from -> to: why"). */
export function violations(edges: ImportEdge[], rules: BoundaryRule[]): string[] {
  const found: string[] = [];
  for (const edge of edges) {
    for (const rule of rules) {
      const why = rule(edge);
      if (why) found.push(`${edge.from} -> ${edge.to}: ${why}`);
    }
  }
  return found;
}

/** The feature a path belongs to under a features folder (`server/features/debates/x.ts` → `debates`), or null. */
export function featureOf(file: string, featuresFolder: string): string | null {
  const prefix = `${featuresFolder}/`;
  if (!file.startsWith(prefix)) return null;
  return file.slice(prefix.length).split('/')[0] ?? null;
}
