import { describe, expect, it } from 'vitest';
import { alignVersions, compareVersions, similarity, wordChanges } from '../../../server/features/rounds/domain/alignment.js';
import { structureFromMarkdown } from '../../../server/features/rounds/domain/markdown.js';
import { structureFromPdfText } from '../../../server/features/rounds/domain/structure.js';

const V1 = `# Plan de trabajo

## Objetivos

El grupo armonizará los indicadores de mortalidad infantil.

El grupo publicará un informe anual de discrepancias.

## Actividades

Se realizarán dos talleres virtuales por año.

Las oficinas nacionales enviarán sus series antes de marzo.

## Calendario

El plan cubre el bienio 2026-2027.
`;

const V2 = `# Plan de trabajo

## Objetivos

El grupo armonizará los indicadores de mortalidad infantil y materna.

El grupo publicará un informe anual de discrepancias.

## Antecedentes

La Conferencia pidió este plan en 2025.

## Actividades

Las oficinas nacionales enviarán sus series antes de marzo.

Se realizarán dos talleres virtuales por año.

## Calendario

Una frase completamente nueva sobre otra cosa.
`;

describe('similarity and wordChanges', () => {
  it('is 1 for equal texts, 0 for texts with nothing in common, in between otherwise', () => {
    expect(similarity('a b c', 'a b c')).toBe(1);
    expect(similarity('uno dos', 'tres cuatro')).toBe(0);
    const s = similarity('El grupo armonizará los indicadores.', 'El grupo armonizará los indicadores de mortalidad.');
    expect(s).toBeGreaterThan(0.7);
    expect(s).toBeLessThan(1);
  });

  it('splits a change into words, and the parts rebuild both texts exactly', () => {
    const before = 'La oficina nacional usa el método directo.';
    const after = 'La oficina nacional usa el método indirecto ajustado.';
    const parts = wordChanges(before, after);
    expect(parts).toEqual([
      { op: 'equal', text: 'La oficina nacional usa el método ' },
      { op: 'delete', text: 'directo' },
      { op: 'insert', text: 'indirecto ajustado' },
      { op: 'equal', text: '.' },
    ]);
    expect(parts.filter((p) => p.op !== 'insert').map((p) => p.text).join('')).toBe(before);
    expect(parts.filter((p) => p.op !== 'delete').map((p) => p.text).join('')).toBe(after);
  });
});

describe('alignVersions (paragraph-level diff between two versions)', () => {
  const from = structureFromMarkdown(V1);
  const to = structureFromMarkdown(V2);
  const alignment = alignVersions(from, to);
  const row = (oldLabel: string) => alignment.rows.find((r) => r.old?.label === oldLabel);

  it('keeps unchanged paragraphs, even when their number changed', () => {
    expect(row('1 ¶2')).toMatchObject({ kind: 'kept', new: { label: '1 ¶2' }, similarity: 1 });
    expect(row('3')).toMatchObject({ kind: 'kept', new: { label: '4', text: 'Calendario' } });
    expect(row('Title')).toMatchObject({ kind: 'kept' });
  });

  it('pairs a changed paragraph with its new wording, with a similarity and word-level changes', () => {
    const changed = row('1 ¶1')!;
    expect(changed.kind).toBe('changed');
    expect(changed.new?.label).toBe('1 ¶1');
    expect(changed.similarity).toBeGreaterThan(0.8);
    expect(changed.words).toContainEqual({ op: 'insert', text: ' y materna' });
  });

  it('finds a paragraph that moved, and where it went', () => {
    const moved = alignment.rows.filter((r) => r.kind === 'moved');
    expect(moved).toHaveLength(1);
    expect(moved[0]!.old!.text).toBe(moved[0]!.new!.text);
    // Either of the two swapped paragraphs may be the one seen as moved; both readings are right.
    expect([['2 ¶1', '3 ¶2'], ['2 ¶2', '3 ¶1']]).toContainEqual([moved[0]!.old!.label, moved[0]!.new!.label]);
  });

  it('finds a paragraph that moved and was edited on the way, with its word changes', () => {
    const a = structureFromMarkdown('## Uno\n\nLas oficinas nacionales enviarán sus series de mortalidad antes de marzo de cada año.\n\nOtro texto.\n\n## Dos\n\nFinal.');
    const b = structureFromMarkdown('## Uno\n\nOtro texto.\n\n## Dos\n\nFinal.\n\nLas oficinas nacionales enviarán sus series de mortalidad antes de abril de cada año.');
    const moved = alignVersions(a, b).rows.filter((r) => r.kind === 'moved');
    expect(moved.map((r) => [r.old!.label, r.new!.label])).toEqual([['1 ¶1', '2 ¶2']]);
    expect(moved[0]!.similarity).toBeGreaterThan(0.75);
    expect(moved[0]!.similarity).toBeLessThan(1);
    expect(moved[0]!.words).toContainEqual({ op: 'insert', text: 'abril' });
  });

  it('lists inserted and deleted paragraphs (a rewrite beyond recognition is a deletion and an insertion)', () => {
    expect(alignment.rows.filter((r) => r.kind === 'inserted').map((r) => r.new!.text)).toEqual(['Antecedentes', 'La Conferencia pidió este plan en 2025.', 'Una frase completamente nueva sobre otra cosa.']);
    expect(alignment.rows.filter((r) => r.kind === 'deleted').map((r) => r.old!.text)).toEqual(['El plan cubre el bienio 2026-2027.']);
  });

  it('accounts for every block of both versions exactly once', () => {
    const olds = alignment.rows.flatMap((r) => (r.old ? [r.old.id] : []));
    const news = alignment.rows.flatMap((r) => (r.new ? [r.new.id] : []));
    expect(olds.sort()).toEqual(from.blocks.map((b) => b.id).sort());
    expect(news.sort()).toEqual(to.blocks.map((b) => b.id).sort());
    for (const b of from.blocks) expect(alignment.byOld.get(b.id)?.old?.id).toBe(b.id);
    for (const b of to.blocks) expect(alignment.byNew.get(b.id)?.new?.id).toBe(b.id);
  });

  it('orders rows as the new version reads, deleted ones where they stood', () => {
    const order = alignment.rows.map((r) => r.new?.label ?? `-${r.old!.label}`);
    expect(order).toEqual(['Title', '1', '1 ¶1', '1 ¶2', '2', '2 ¶1', '3', '3 ¶1', '3 ¶2', '4', '-3 ¶1', '4 ¶1']);
  });

  it('aligns a version with itself as all kept', () => {
    const same = alignVersions(from, from);
    expect(same.rows.every((r) => r.kind === 'kept')).toBe(true);
    expect(same.rows).toHaveLength(from.blocks.length);
  });

  it('pairs a retitled heading with its new title (short texts share no word pair, and are diffed all the same)', () => {
    const a = structureFromMarkdown('## Fuentes\n\nTexto.');
    const b = structureFromMarkdown('## Fuentes consultadas\n\nTexto.');
    expect(alignVersions(a, b).rows.map((r) => [r.kind, r.old?.text, r.new?.text])).toEqual([
      ['changed', 'Fuentes', 'Fuentes consultadas'],
      ['kept', 'Texto.', 'Texto.'],
    ]);
  });

  it('never pairs a heading with a paragraph', () => {
    const a = structureFromMarkdown('## Resultados\n\nTexto.');
    const b = structureFromMarkdown('Resultados\n\nTexto.');
    const rows = alignVersions(a, b).rows;
    expect(rows.find((r) => r.old?.kind === 'heading')?.kind).toBe('deleted');
  });

  it('handles an empty version on either side', () => {
    const empty = structureFromPdfText('');
    expect(alignVersions(empty, from).rows.every((r) => r.kind === 'inserted')).toBe(true);
    expect(alignVersions(from, empty).rows.every((r) => r.kind === 'deleted')).toBe(true);
  });

  it('pairs paragraphs in a rewritten stretch in order, by similarity', () => {
    const a = structureFromPdfText('Uno dos tres cuatro cinco.\n\nSeis siete ocho nueve diez.\n\nOnce doce trece catorce quince.');
    const b = structureFromPdfText('Texto enteramente nuevo aquí.\n\nSeis siete ocho nueve diez y once.\n\nOnce doce trece catorce quince dieciséis.');
    const kinds = alignVersions(a, b).rows.map((r) => [r.kind, r.old?.id ?? null, r.new?.id ?? null]);
    expect(kinds).toEqual([
      ['deleted', 'p1', null],
      ['inserted', null, 'p1'],
      ['changed', 'p2', 'p2'],
      ['changed', 'p3', 'p3'],
    ]);
  });
});

describe('compareVersions (the comparison view: side by side and inline)', () => {
  const comparison = compareVersions(structureFromMarkdown(V1), structureFromMarkdown(V2));

  it('counts what changed', () => {
    expect(comparison.counts).toEqual({ kept: 6, changed: 1, moved: 1, inserted: 3, deleted: 1 });
  });

  it('is plain data a route can send as JSON', () => {
    expect(JSON.parse(JSON.stringify(comparison))).toEqual(comparison);
    const changed = comparison.rows.find((r) => r.kind === 'changed')!;
    expect(changed.old).toEqual({ id: 's1p1', label: '1 ¶1', kind: 'paragraph', role: 'text', text: 'El grupo armonizará los indicadores de mortalidad infantil.' });
    expect(changed.words?.length).toBeGreaterThan(1);
  });

  it('has word-level changes only for changed paragraphs and moved ones whose text changed', () => {
    for (const row of comparison.rows) {
      if (row.kind === 'changed') expect(row.words).not.toBeNull();
      else if (row.kind !== 'moved') expect(row.words).toBeNull();
    }
  });
});
