import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as alignment from '../../../server/features/rounds/domain/alignment.js';
import * as anchors from '../../../server/features/rounds/domain/anchors.js';
import * as comments from '../../../server/features/rounds/domain/comments.js';
import * as dispositions from '../../../server/features/rounds/domain/dispositions.js';
import * as markdown from '../../../server/features/rounds/domain/markdown.js';
import * as matrix from '../../../server/features/rounds/domain/matrix.js';
import * as matrixExport from '../../../server/features/rounds/domain/matrix-export.js';
import * as participants from '../../../server/features/rounds/domain/participants.js';
import * as reanchor from '../../../server/features/rounds/domain/reanchor.js';
import * as round from '../../../server/features/rounds/domain/round.js';
import * as silence from '../../../server/features/rounds/domain/silence.js';
import * as structure from '../../../server/features/rounds/domain/structure.js';
import * as docx from '../../../server/plugins/files/docx-text.js';

/** What the lead is handed says what the code does. */
describe('docs/rounds-domain.md', () => {
  const doc = readFileSync(new URL('../../../docs/rounds-domain.md', import.meta.url), 'utf8');
  const between = (marker: string) => doc.split(`<!-- ${marker} -->`)[1]!.split(`<!-- /${marker} -->`)[0]!;

  it('has the transition table of round.ts, row for row', () => {
    const rows = [...between('round-transitions').matchAll(/^\| `(\w+)` \| `(\w+)` \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => ({ from: m[1], to: m[2], by: m[3]!.trim(), when: m[4]!.trim() }));
    expect(rows).toEqual(round.ROUND_TRANSITIONS.map((rule) => ({ ...rule })));
  });

  it('has the disposition kinds and when a rationale is required', () => {
    const rows = [...between('disposition-kinds').matchAll(/^\| `(\w+)` \| (\w+) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(dispositions.DISPOSITION_KINDS.map((kind) => [kind, dispositions.RATIONALE_REQUIRED.has(kind) ? 'required' : 'optional']));
  });

  it('names only functions the domain exports in "What the routes call"', () => {
    const table = doc.split('## What the routes call')[1]!;
    const names = [...table.matchAll(/`(\w+)`/g)].map((m) => m[1]!);
    const exported = new Set(Object.keys({ ...alignment, ...anchors, ...comments, ...dispositions, ...markdown, ...matrix, ...matrixExport, ...participants, ...reanchor, ...round, ...silence, ...structure, ...docx }));
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((name) => !exported.has(name))).toEqual([]);
  });

  it('names no machine path', () => {
    expect(doc).not.toMatch(/\/work\/|\/tmp\//);
  });
});
