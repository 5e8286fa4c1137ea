import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The lead reads the page, the routes will read the code: they must say the same. */
const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const doc = read('docs/consultations-domain.md');
const domain = (file: string) => read(`server/features/consultations/domain/${file}`);
const codesIn = (text: string, pattern: RegExp) => new Set([...text.matchAll(pattern)].map((m) => m[1]!));

describe('docs/consultations-domain.md', () => {
  it('lists in its table every answer problem code the code can return, and no other', () => {
    const table = doc.split('<!-- answer-codes')[1]!.split('<!-- /answer-codes -->')[0]!;
    const documented = codesIn(table.split('\n').map((line) => line.split('|')[1] ?? '').join(' '), /`([a-z_]+)`/g);
    const returned = codesIn(domain('validation.ts') + domain('answers.ts'), /problem\('([a-z_]+)'/g);
    expect([...documented].sort()).toEqual([...returned].sort());
  });

  it('names every refusal of the lifecycle and the review, and every definition problem', () => {
    const refusals = codesIn(domain('lifecycle.ts') + domain('review.ts'), /refuse\(\d{3}, '([a-z_]+)'/g);
    const definition = new Set([...codesIn(domain('questionnaire.ts'), /add\('([a-z_]+)'/g), ...codesIn(domain('questionnaire.ts'), /'(condition_[a-z_]+)'/g)]);
    expect(definition.size).toBeGreaterThan(20);
    const missing = [...refusals, ...definition, 'bad_deadline', 'invalid_time_zone'].filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });

  it('names no machine path', () => {
    expect(doc).not.toMatch(/\/work\/|\/tmp\//);
  });
});
