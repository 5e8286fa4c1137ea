import { describe, expect, it } from 'vitest';
import { alignVersions } from '../../../server/features/rounds/domain/alignment.js';
import { anchorLabel, CONTEXT_CHARS, resolveAnchor, webAnnotationTarget, type Anchor } from '../../../server/features/rounds/domain/anchors.js';
import { structureFromMarkdown } from '../../../server/features/rounds/domain/markdown.js';
import { reanchor, reanchorAll } from '../../../server/features/rounds/domain/reanchor.js';
import { blockById, structureFromPdfText, type DocumentStructure } from '../../../server/features/rounds/domain/structure.js';

type Passage = Extract<Anchor, { kind: 'passage' }>;
function ok(result: ReturnType<typeof resolveAnchor>): Anchor {
  if (!result.ok) throw new Error(`refused: ${result.error.code}`);
  return result.value;
}
const passage = (doc: DocumentStructure, blockId: string, exact: string, start?: number) => <Passage>ok(resolveAnchor(doc, { kind: 'passage', blockId, exact, ...(start === undefined ? {} : { start, end: start + exact.length }) }));

const V1 = structureFromMarkdown(`# Nota metodológica

## Introducción

Esta nota explica la discrepancia entre las cifras nacionales y las internacionales.

## Métodos

### Fuentes

Se usan los registros vitales y las encuestas de hogares.

### Estimación

La oficina nacional usa el método directo con corrección por subregistro, y el grupo interinstitucional usa un modelo.

La diferencia se concentra en los años sin censo. La diferencia no afecta la tendencia.

El párrafo que desaparecerá en la versión dos por completo.

## Conclusiones

Se recomienda documentar la discrepancia lado a lado.
`);

const V2 = structureFromMarkdown(`# Nota metodológica

## Alcance

Esta sección es nueva y desplaza la numeración.

## Introducción

Esta nota explica la discrepancia entre las cifras nacionales y las internacionales.

## Métodos

### Fuentes

Se usan los registros vitales, las encuestas de hogares y los censos.

### Estimación

La oficina nacional usa el método directo con una corrección por subregistro, y el grupo interinstitucional usa un modelo bayesiano.

La diferencia no afecta la tendencia.

## Conclusiones

Se recomienda documentar la discrepancia lado a lado.

La diferencia se concentra en los años sin censo.
`);

describe('resolveAnchor (what a comment points at, from what the browser sent)', () => {
  it('anchors to the whole document', () => {
    expect(ok(resolveAnchor(V1, { kind: 'document' }))).toEqual({ kind: 'document' });
  });

  it('anchors to a paragraph by id, with its label', () => {
    expect(ok(resolveAnchor(V1, { kind: 'paragraph', blockId: 's2.2p1' }))).toEqual({ kind: 'paragraph', blockId: 's2.2p1', label: '2.2 ¶1' });
  });

  it('anchors to a passage: a text quote with up to 32 characters of context each side, and its position', () => {
    const anchor = passage(V1, 's2.2p1', 'método directo');
    const text = blockById(V1, 's2.2p1')!.text;
    const start = text.indexOf('método directo');
    expect(anchor).toEqual({
      kind: 'passage',
      blockId: 's2.2p1',
      label: '2.2 ¶1',
      quote: { exact: 'método directo', prefix: text.slice(Math.max(0, start - CONTEXT_CHARS), start), suffix: text.slice(start + 14, start + 14 + CONTEXT_CHARS) },
      position: { start, end: start + 14 },
    });
    expect(CONTEXT_CHARS).toBe(32);
  });

  it('uses the position the browser gave to tell apart two occurrences of the same words', () => {
    const text = blockById(V1, 's2.2p2')!.text;
    const second = text.lastIndexOf('La diferencia');
    expect(passage(V1, 's2.2p2', 'La diferencia', second).position.start).toBe(second);
    expect(passage(V1, 's2.2p2', 'La diferencia').position.start).toBe(0);
    // A position that does not hold the quote is only a hint: the nearest occurrence wins.
    expect(passage(V1, 's2.2p2', 'La diferencia', second + 3).position.start).toBe(second);
  });

  it('normalizes the selection (line breaks, spaces, decomposed accents) before finding it', () => {
    expect(passage(V1, 's2.2p1', ' método\n  directo ').quote.exact).toBe('método directo');
    expect(passage(V1, 's2.2p1', 'me\u0301todo directo').quote.exact).toBe('método directo');
  });

  it.each([
    [{ kind: 'paragraph', blockId: 'nope' }, 'unknown_paragraph'],
    [{ kind: 'passage', blockId: 'nope', exact: 'x' }, 'unknown_paragraph'],
    [{ kind: 'passage', blockId: 's2.2p1', exact: '   ' }, 'empty_passage'],
    [{ kind: 'passage', blockId: 's2.2p1', exact: 'no está en el párrafo' }, 'passage_not_found'],
    [{ kind: 'passage', blockId: 's2.2p1', exact: 'x'.repeat(5_001) }, 'passage_too_long'],
    [{ kind: 'passage', blockId: 's2.2p1', exact: 'x'.repeat(100_000) }, 'passage_too_long'],
  ] as const)('refuses input %# with %s (400)', (input, code) => {
    const result = resolveAnchor(V1, input);
    expect(result).toMatchObject({ ok: false, error: { code, status: 400 } });
  });

  it('labels anchors for the matrix', () => {
    expect(anchorLabel({ kind: 'document' })).toBe('');
    expect(anchorLabel(passage(V1, 's2.2p1', 'método directo'))).toBe('2.2 ¶1');
  });

  it('writes the anchor as a W3C Web Annotation target', () => {
    const target = webAnnotationTarget(passage(V1, 's2.2p1', 'método directo'), 'https://concilia.example/documents/d1/versions/v1');
    expect(target).toMatchObject({
      source: 'https://concilia.example/documents/d1/versions/v1',
      selector: {
        type: 'FragmentSelector',
        value: 's2.2p1',
        refinedBy: [{ type: 'TextQuoteSelector', exact: 'método directo' }, { type: 'TextPositionSelector' }],
      },
    });
    expect(webAnnotationTarget({ kind: 'document' }, 'https://x')).toEqual({ source: 'https://x' });
  });
});

describe('reanchor (a comment onto the next version)', () => {
  const alignment = alignVersions(V1, V2);
  const move = (anchor: Anchor) => reanchor(anchor, V1, V2, alignment);

  it('keeps a document-level comment', () => {
    expect(move({ kind: 'document' })).toMatchObject({ status: 'kept', anchor: { kind: 'document' }, score: 1 });
  });

  it('keeps a passage whose paragraph did not change, under the paragraph’s new number', () => {
    const result = move(passage(V1, 's1p1', 'cifras nacionales'));
    expect(result.status).toBe('kept');
    expect(result.anchor).toMatchObject({ kind: 'passage', blockId: 's2p1', label: '2 ¶1', quote: { exact: 'cifras nacionales' } });
    expect(result.score).toBe(1);
    expect(result.from).toEqual({ blockId: 's1p1', label: '1 ¶1' });
  });

  it('keeps a passage found exactly in its paragraph although the paragraph changed around it', () => {
    const result = move(passage(V1, 's2.2p1', 'método directo'));
    expect(result).toMatchObject({ status: 'kept', reason: 'paragraph_changed', anchor: { blockId: 's3.2p1', label: '3.2 ¶1', quote: { exact: 'método directo' } } });
    expect(result.score).toBeGreaterThan(0.8);
  });

  it('marks a passage that was reworded as drifted, with a score below 1, pointing at the new wording', () => {
    const result = move(passage(V1, 's2.2p1', 'con corrección por subregistro'));
    expect(result.status).toBe('drifted');
    expect(result.reason).toBe('passage_changed');
    expect(result.anchor).toMatchObject({ blockId: 's3.2p1' });
    expect(result.anchor?.kind === 'passage' && result.anchor.quote.exact).toMatch(/corrección por subregistro/);
    expect(result.score).toBeGreaterThan(0.5);
    expect(result.score).toBeLessThan(1);
  });

  it('follows a sentence moved into another section as drifted', () => {
    const result = move(passage(V1, 's2.2p2', 'La diferencia se concentra en los años sin censo.'));
    expect(result).toMatchObject({ status: 'drifted', reason: 'passage_elsewhere', anchor: { blockId: 's4p2', label: '4 ¶2' } });
  });

  it('tells the two "La diferencia" apart by their context', () => {
    const text = blockById(V1, 's2.2p2')!.text;
    const second = passage(V1, 's2.2p2', 'La diferencia', text.lastIndexOf('La diferencia'));
    const result = move(second);
    expect(result).toMatchObject({ status: 'kept', anchor: { blockId: 's3.2p2', position: { start: 0 } } });
  });

  it('orphans a comment on a deleted paragraph, and a passage that is gone', () => {
    expect(move(passage(V1, 's2.2p3', 'desaparecerá'))).toMatchObject({ status: 'orphaned', anchor: null, reason: 'passage_not_found' });
    expect(move({ kind: 'paragraph', blockId: 's2.2p3', label: '2.2 ¶3' })).toMatchObject({ status: 'orphaned', anchor: null, reason: 'paragraph_deleted', score: 0 });
  });

  it('does not latch a short, common passage from a deleted paragraph onto some other paragraph', () => {
    expect(move(passage(V1, 's2.2p3', 'la'))).toMatchObject({ status: 'orphaned' });
  });

  it('keeps a paragraph comment on an unchanged paragraph, and drifts one on a changed paragraph with its similarity', () => {
    expect(move({ kind: 'paragraph', blockId: 's3p1', label: '3 ¶1' })).toMatchObject({ status: 'kept', anchor: { blockId: 's4p1', label: '4 ¶1' } });
    const changed = move({ kind: 'paragraph', blockId: 's2.1p1', label: '2.1 ¶1' });
    expect(changed).toMatchObject({ status: 'drifted', reason: 'paragraph_changed', anchor: { blockId: 's3.1p1' } });
    expect(changed.score).toBeGreaterThan(0.5);
    expect(changed.score).toBeLessThan(1);
  });

  it('drifts a comment whose paragraph moved unchanged, with a high score', () => {
    const a = structureFromPdfText('Primero, un párrafo con bastante texto propio.\n\nSegundo párrafo distinto del primero.\n\nTercero que no cambia.');
    const b = structureFromPdfText('Tercero que no cambia.\n\nSegundo párrafo distinto del primero.\n\nPrimero, un párrafo con bastante texto propio.');
    const aligned = alignVersions(a, b);
    const movedRow = aligned.rows.find((r) => r.kind === 'moved')!;
    const anchor = passage(a, movedRow.old!.id, movedRow.old!.text.slice(0, 10));
    const result = reanchor(anchor, a, b, aligned);
    expect(result).toMatchObject({ status: 'drifted', reason: 'paragraph_moved', anchor: { blockId: movedRow.new!.id } });
    expect(result.score).toBeGreaterThan(0.9);
  });

  it('re-anchors many comments with one alignment, each by its own key', () => {
    const results = reanchorAll(
      [
        { id: 'c1', anchor: passage(V1, 's2.2p1', 'método directo') },
        { id: 'c2', anchor: { kind: 'paragraph', blockId: 's2.2p3', label: '2.2 ¶3' } },
      ],
      V1,
      V2,
    );
    expect([...results.entries()].map(([id, r]) => [id, r.status])).toEqual([
      ['c1', 'kept'],
      ['c2', 'orphaned'],
    ]);
  });

  it('orphans an anchor whose paragraph id is not in the version it claims', () => {
    expect(move({ kind: 'paragraph', blockId: 'nope', label: '9 ¶9' })).toMatchObject({ status: 'orphaned', reason: 'paragraph_deleted' });
  });
});
