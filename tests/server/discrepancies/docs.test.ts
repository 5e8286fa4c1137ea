import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRANSITIONS } from '../../../server/features/discrepancies/domain/statuses.js';

/** The transition table handed to the lead says what the code does. */
describe('docs/discrepancies-domain.md', () => {
  const doc = readFileSync(new URL('../../../docs/discrepancies-domain.md', import.meta.url), 'utf8');

  it('has the transition table of statuses.ts, row for row', () => {
    const table = doc.split('<!-- transition-table')[1]!.split('<!-- /transition-table -->')[0]!;
    const rows = [...table.matchAll(/^\| `(\w+)` \| `(\w+)` \| ([^|]+) \| ([^|]*) \|$/gm)].map((m) => ({
      from: m[1],
      to: m[2],
      by: m[3]!.trim().split(', ').map((who) => who.replaceAll(' ', '_')),
      requires: m[4]!.trim(),
    }));
    expect(rows).toEqual(
      TRANSITIONS.map((rule) => ({
        from: rule.from,
        to: rule.to,
        by: [...rule.by],
        requires: rule.requires === 'cause' ? 'a primary cause' : rule.requires === 'agreement' ? 'explanation agreed by both sides' : rule.reopens ? 'reopens: withdraws publication, clears agreements' : '',
      })),
    );
  });

  it('names no machine path', () => {
    expect(doc).not.toMatch(/\/work\/|\/tmp\//);
  });
});
