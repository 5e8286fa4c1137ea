import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as proposal from '../../../server/features/proposals/domain/proposal.js';
import * as quickPoll from '../../../server/features/proposals/domain/quick-poll.js';
import * as results from '../../../server/features/proposals/domain/results.js';

describe('docs/proposals-domain.md', () => {
  const doc = readFileSync(new URL('../../../docs/proposals-domain.md', import.meta.url), 'utf8');
  const between = (marker: string) => doc.split(`<!-- ${marker} -->`)[1]!.split(`<!-- /${marker} -->`)[0]!;

  it('lists the positions of proposal.ts, and the reason only a block requires', () => {
    const rows = [...between('positions').matchAll(/^\| `(\w+)` \| (\w+)/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(proposal.POSITIONS.map((p) => [p, p === 'block' ? 'required' : 'optional']));
  });

  it('lists the eligibilities of proposal.ts', () => {
    expect([...between('eligibility').matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1])).toEqual([...proposal.ELIGIBILITIES]);
  });

  it('names only functions the domain exports in "What the routes call", and no machine path', () => {
    const names = [...doc.split('## What the routes call')[1]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!);
    const exported = new Set(Object.keys({ ...proposal, ...quickPoll, ...results }));
    expect(names.filter((name) => !exported.has(name))).toEqual([]);
    expect(doc).not.toMatch(/\/work\/|\/tmp\//);
  });
});
