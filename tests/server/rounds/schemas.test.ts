import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../../server/features/rounds/domain/alignment.js';
import { resolveAnchor } from '../../../server/features/rounds/domain/anchors.js';
import { structureFromMarkdown } from '../../../server/features/rounds/domain/markdown.js';
import { reanchor } from '../../../server/features/rounds/domain/reanchor.js';
import { createComment, newDelegation, submitPosition } from '../../../server/features/rounds/domain/comments.js';
import { recordDisposition, replyToDisposition } from '../../../server/features/rounds/domain/dispositions.js';
import { buildMatrix } from '../../../server/features/rounds/domain/matrix.js';
import { closeRound, newRound, openRound, publishDispositions } from '../../../server/features/rounds/domain/round.js';
import {
  AnchorInputSchema,
  AnchorSchema,
  CommentInputSchema,
  CommentSchema,
  ComparisonSchema,
  DispositionSchema,
  DocumentStructureSchema,
  MatrixColumnsSchema,
  MatrixRowSchema,
  ReanchoredSchema,
  ReplySchema,
} from '../../../server/features/rounds/domain/schemas.js';
import { clock, hours, ok, people } from './support.js';

/** The domain's output is valid against the schemas the routes will declare (with the API's Ajv, strict). */
const ajv = addFormats.default(new Ajv());
const V1 = structureFromMarkdown('# Nota\n\n## Uno\n\nEl método directo.\n\n- lista\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## Dos\n\nFin del texto.');
const V2 = structureFromMarkdown('# Nota\n\n## Uno\n\nEl método directo corregido.\n\n## Tres\n\nNuevo.\n\n## Dos\n\nFin del texto.');

describe('rounds schemas', () => {
  it('describe structures, anchors, comparisons and re-anchoring results as the domain makes them', () => {
    expect(ajv.validate(DocumentStructureSchema, V1), JSON.stringify(ajv.errors)).toBe(true);
    const anchor = ok(resolveAnchor(V1, { kind: 'passage', blockId: 's1p1', exact: 'método directo' }));
    expect(ajv.validate(AnchorSchema, anchor), JSON.stringify(ajv.errors)).toBe(true);
    expect(ajv.validate(ComparisonSchema, JSON.parse(JSON.stringify(compareVersions(V1, V2)))), JSON.stringify(ajv.errors)).toBe(true);
    for (const a of [anchor, { kind: 'document' as const }, ok(resolveAnchor(V1, { kind: 'paragraph', blockId: 's2p1' }))]) {
      expect(ajv.validate(ReanchoredSchema, reanchor(a, V1, V2)), JSON.stringify(ajv.errors)).toBe(true);
    }
  });

  it('accept what a browser sends for an anchor and refuse extra fields', () => {
    expect(ajv.validate(AnchorInputSchema, { kind: 'passage', blockId: 's1p1', exact: 'método', start: 3, end: 9 })).toBe(true);
    expect(ajv.validate(AnchorInputSchema, { kind: 'paragraph', blockId: 's1p1', extra: 1 })).toBe(false);
    expect(ajv.validate(AnchorInputSchema, { kind: 'paragraph', blockId: '<script>' })).toBe(false);
  });

  it('describe comments, dispositions, replies and matrix rows as the domain makes them', () => {
    const c = clock();
    let round = ok(newRound({ id: 'r1', documentId: 'd1', versionId: 'v1', consulted: { countryIds: ['pe'], organizationIds: [] }, deadline: hours(c.now(), 48), instructions: '' }, people.secretariat, c.now()));
    round = ok(openRound(round, people.secretariat, c.now()));
    const input = { type: 'technical', text: 'Precisar.', proposedText: 'método directo ajustado', anchor: { kind: 'passage' as const, blockId: 's1p1', exact: 'método directo' } };
    expect(ajv.validate(CommentInputSchema, input), JSON.stringify(ajv.errors)).toBe(true);
    const peru = newDelegation({ kind: 'country', id: 'pe' }, 'pe-focal');
    const draft = ok(createComment(round, peru, people.peDelegate, { ...input, anchor: ok(resolveAnchor(V1, input.anchor)) }, c.now(), 'c1'));
    expect(ajv.validate(CommentSchema, draft), JSON.stringify(ajv.errors)).toBe(true);
    const { delegation, comments } = ok(submitPosition(peru, [draft], people.peFocal, round, c.now()));
    c.advance(48);
    round = ok(closeRound(round, null, c.now(), { partiesPending: 0 }));
    const disposition = ok(recordDisposition(null, comments[0]!, { kind: 'partially_accepted', rationale: 'En parte.' }, people.secretariat, round, c.now()));
    expect(ajv.validate(DispositionSchema, disposition), JSON.stringify(ajv.errors)).toBe(true);
    round = ok(publishDispositions(round, people.secretariat, hours(c.now(), 48), c.now(), { undisposed: 0 }));
    const reply = ok(replyToDisposition(null, comments[0]!, disposition, { kind: 'objects', text: 'No.' }, people.peFocal, delegation, round, c.now()));
    expect(ajv.validate(ReplySchema, reply), JSON.stringify(ajv.errors)).toBe(true);
    const matrix = buildMatrix({
      language: 'en', documentTitle: 'Nota', versionName: 'v1', round, now: c.now(), structure: V1, comments, dispositions: new Map([['c1', disposition]]), replies: new Map([['c1', reply]]),
      partyName: () => 'Peru', versionNames: {}, pageUrl: 'https://x',
    });
    for (const row of matrix.rows) expect(ajv.validate(MatrixRowSchema, row), JSON.stringify(ajv.errors)).toBe(true);
    expect(ajv.validate(MatrixColumnsSchema, matrix.columns), JSON.stringify(ajv.errors)).toBe(true);
  });
});
