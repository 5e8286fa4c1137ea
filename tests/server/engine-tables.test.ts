import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The tables a module imports from a generated `tables.ts` are live bindings, pointed at the
 * PostgreSQL twins when the app binds that engine (server/plugins/engine-tables.ts), which happens
 * after every module has loaded. A column captured at a module's top level (`const columns =
 * { id: users.id }`) keeps SQLite's table for good, and its query decodes PostgreSQL's rows with
 * SQLite's columns (dates came back invalid). Such a capture belongs in a function.
 */
const sources = execFileSync('git', ['ls-files', 'server/*.ts'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && !/(^|\/|-)tables(\.pg|\.sqlite)?\.ts$/.test(file));

/** The tables each generated `tables.ts` binds (its `export let`s), by module path. */
function boundTables(file: string): Set<string> {
  return new Set(Array.from(readFileSync(file, 'utf8').matchAll(/^export let (\w+) = /gm), (match) => match[1]!));
}

/** Top-level statements of `file` that use, outside any function, a table imported from a bound `tables.ts`. */
export function topLevelTableUses(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const imported = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause?.isTypeOnly) continue;
    const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (!/(^|\/|-)tables\.js$/.test(specifier)) continue;
    const tablesFile = `${file.slice(0, file.lastIndexOf('/'))}/${specifier}`.replace(/\.js$/, '.ts');
    const normalized = tablesFile.split('/').reduce<string[]>((parts, part) => (part === '..' ? parts.slice(0, -1) : part === '.' ? parts : [...parts, part]), []).join('/');
    const tables = boundTables(normalized);
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) if (!element.isTypeOnly && tables.has((element.propertyName ?? element.name).text)) imported.add(element.name.text);
  }
  if (imported.size === 0) return [];
  const found: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isIdentifier(node) && imported.has(node.text) && !ts.isTypeQueryNode(node.parent)) {
        found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.text}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(statement);
  }
  return found;
}

describe('tables bound to the engine', () => {
  it('are used inside functions only, never captured when a module loads', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.flatMap((file) => topLevelTableUses(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('finds a capture at the top level, and not a use inside a function', () => {
    const text = [
      "import { users } from '../../plugins/identity/tables.js';",
      'const columns = { id: users.id };',
      'export function read() { return users.id; }',
      'export class Repository { columns = () => ({ id: users.id }); }',
    ].join('\n');
    expect(topLevelTableUses('server/features/people/repository.ts', text)).toEqual(['server/features/people/repository.ts:2: users']);
  });
});
