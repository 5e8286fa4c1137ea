import path from 'node:path';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

/**
 * The client shares the server's contract through type-only imports (client/*\/models.ts derive
 * their types from the server's TypeBox schemas): the types are erased, so no server module and
 * none of the server's libraries may reach the bundle. The boundary test checks the imports as
 * written; this one checks what the bundler actually put in the bundle, from the list of modules
 * each chunk holds (a value import slipped in through a re-export, or a `typebox` call copied into
 * the client, would show here and nowhere else).
 */

const root = path.resolve(import.meta.dirname, '../..');

/** Libraries only the server uses: any of them in the bundle means server code came along. */
const SERVER_PACKAGES = ['typebox', 'fastify', '@fastify', 'drizzle-orm', 'better-sqlite3', 'argon2', '@node-rs', 'marked', 'sanitize-html', 'nodemailer', 'exceljs'];

/** The modules of a built bundle that are server code, each with the chunk holding it. */
export function serverModules(chunks: ReadonlyArray<{ fileName: string; moduleIds: readonly string[] }>, projectRoot: string): string[] {
  const found: string[] = [];
  for (const chunk of chunks) {
    for (const id of chunk.moduleIds) {
      const file = path.relative(projectRoot, id.replace(/^\0/, '').split('?')[0]!).split(path.sep).join('/');
      const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
      const serverPackage = pkg && SERVER_PACKAGES.some((name) => pkg === name || (name.startsWith('@') && !name.includes('/') && pkg.startsWith(`${name}/`)));
      if (file.startsWith('server/') || serverPackage) found.push(`${file} (in ${chunk.fileName})`);
    }
  }
  return found;
}

describe('the client bundle', () => {
  it('holds no server module and none of the server’s libraries', async () => {
    // The real build (vite.config.ts), kept in memory: dist/client is left as it is.
    const output = (await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'silent', build: { write: false } })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output).filter((item): item is Rolldown.OutputChunk => item.type === 'chunk');
    const modules = chunks.flatMap((chunk) => chunk.moduleIds);
    // It saw the client: the shell and a feature whose models import the server's schemas as types.
    expect(modules.some((id) => id.endsWith(path.join('client', 'main.ts')))).toBe(true);
    expect(modules.some((id) => id.includes(`${path.sep}client${path.sep}features${path.sep}debates${path.sep}`))).toBe(true);
    expect(serverModules(chunks, root)).toEqual([]);
  }, 180_000);

  it('the check finds a server module or a server library in a chunk', () => {
    const chunks = [
      { fileName: 'assets/debates-x.js', moduleIds: [path.join(root, 'client/features/debates/models.ts'), path.join(root, 'server/features/debates/schemas.ts')] },
      { fileName: 'assets/shared-y.js', moduleIds: [path.join(root, 'node_modules/typebox/build/type/object.mjs'), path.join(root, 'node_modules/lit/index.js'), path.join(root, 'node_modules/@fastify/cookie/index.js')] },
    ];
    expect(serverModules(chunks, root)).toEqual([
      'server/features/debates/schemas.ts (in assets/debates-x.js)',
      'node_modules/typebox/build/type/object.mjs (in assets/shared-y.js)',
      'node_modules/@fastify/cookie/index.js (in assets/shared-y.js)',
    ]);
  });
});
