import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EQUIVALENT } from '../mutation/equivalent.js';
import { MUST_BE_MUTATED, MUTATION_MODULES } from '../mutation/modules.js';

/** Every file under the folder, as a path from the repository root with forward slashes. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative('.', path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

describe('the modules npm run mutate covers', () => {
  const mutated = Object.values(MUTATION_MODULES).flatMap((module) => module.files);

  it('include every permission module and the sessions and authorization plugins, present and future', () => {
    const mustBe = filesUnder('server').filter((file) => MUST_BE_MUTATED.some((pattern) => pattern.test(file)));
    expect(mustBe).toContain('server/features/documents/permissions.ts');
    expect(mustBe).toContain('server/features/meetings/minutes-permissions.ts');
    expect(mustBe).toContain('server/plugins/sessions/session-store.ts');
    expect(mustBe).toContain('server/features/discrepancies/domain/statuses.ts');
    expect(mustBe).toContain('server/features/consultations/domain/review.ts');
    expect(mustBe.filter((file) => !mutated.includes(file))).toEqual([]);
  });

  it('name only files that exist, each in one module, each with its test files', () => {
    expect(new Set(mutated).size).toBe(mutated.length);
    for (const [name, module] of Object.entries(MUTATION_MODULES)) {
      expect(module.tests.length, name).toBeGreaterThan(0);
      for (const file of [...module.files, ...module.tests]) expect(existsSync(file), `${name}: ${file}`).toBe(true);
      for (const test of module.tests) expect(test, name).toMatch(/^tests\/server\/.+\.test\.ts$/);
    }
  });

  it('explain each equivalent mutant, in a file of its own module', () => {
    for (const [name, entries] of Object.entries(EQUIVALENT)) {
      expect(Object.keys(MUTATION_MODULES), name).toContain(name);
      for (const entry of entries) {
        expect(MUTATION_MODULES[name]!.files, `${name}: ${entry.code}`).toContain(entry.file);
        expect(entry.why.length, `${name}: ${entry.code}`).toBeGreaterThan(20);
      }
    }
  });
});
