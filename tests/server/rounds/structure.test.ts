import { describe, expect, it } from 'vitest';
import { structureFromMarkdown } from '../../../server/features/rounds/domain/markdown.js';
import { blockById, buildStructure, structureFromPdfText, type Block, type DocumentStructure } from '../../../server/features/rounds/domain/structure.js';
import { normalizeText } from '../../../server/features/rounds/domain/text.js';

const labels = (doc: DocumentStructure) => doc.blocks.map((block) => block.label);
const byLabel = (doc: DocumentStructure, label: string): Block => {
  const block = doc.blocks.find((b) => b.label === label);
  if (!block) throw new Error(`no block ${label} in ${labels(doc).join(', ')}`);
  return block;
};

const REPORT = `# Informe de actividades 2026

Este informe resume el trabajo del grupo.

## Introducción

El grupo se reunió tres veces.

Las oficinas nacionales participaron activamente.

## Métodos

### Fuentes

Se usaron registros administrativos &amp; encuestas.

- Encuestas de hogares
- Censos de población
  - Rondas 2010 y 2020

### Conciliación

La **tasa de mortalidad** se comparó con la de [UNICEF](https://data.unicef.org).

| País | Valor |
|---|---|
| Chile | 7,1 |

> Nota: los valores son provisionales.

## Conclusiones

Se recomienda continuar.
`;

describe('normalizeText', () => {
  it('collapses every kind of whitespace, drops soft hyphens and zero-width characters, trims', () => {
    expect(normalizeText('  a\t b\n\nc\u00a0d\u2003e  ')).toBe('a b c d e');
    expect(normalizeText('infor\u00admación\u200b')).toBe('información');
    expect(normalizeText('\ufeffTexto')).toBe('Texto');
  });

  it('composes to NFC, so a decomposed accent equals a composed one', () => {
    const decomposed = 'Conciliaci\u006f\u0301n';
    expect(decomposed).not.toBe('Conciliación');
    expect(normalizeText(decomposed)).toBe('Conciliación');
  });
});

describe('structureFromMarkdown', () => {
  const doc = structureFromMarkdown(REPORT);

  it('takes a lone leading level-1 heading as the title and numbers the sections under it 1, 2, 2.1 …', () => {
    expect(doc.format).toBe('markdown');
    expect(doc.title).toBe('Informe de actividades 2026');
    expect(labels(doc)).toEqual([
      'Title',
      '¶1',
      '1',
      '1 ¶1',
      '1 ¶2',
      '2',
      '2.1',
      '2.1 ¶1',
      '2.1 ¶2',
      '2.1 ¶3',
      '2.1 ¶4',
      '2.2',
      '2.2 ¶1',
      '2.2 ¶2',
      '2.2 ¶3',
      '2.2 ¶4',
      '3',
      '3 ¶1',
    ]);
  });

  it('gives each block a unique id that can stand in a URL fragment', () => {
    const ids = doc.blocks.map((block) => block.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9.]+$/);
    expect(byLabel(doc, '2.1 ¶3').id).toBe('s2.1p3');
    expect(byLabel(doc, '2.1').id).toBe('s2.1');
    expect(byLabel(doc, '¶1').id).toBe('p1');
    expect(blockById(doc, 's2.1p3')?.label).toBe('2.1 ¶3');
    expect(blockById(doc, 'nope')).toBeUndefined();
  });

  it('keeps the text a reader sees: no Markdown syntax, entities decoded, links as their words', () => {
    expect(byLabel(doc, '2.1 ¶1').text).toBe('Se usaron registros administrativos & encuestas.');
    expect(byLabel(doc, '2.2 ¶1').text).toBe('La tasa de mortalidad se comparó con la de UNICEF.');
    expect(byLabel(doc, '2.2').text).toBe('Conciliación');
  });

  it('makes each list item, table row and quoted paragraph a paragraph of its own, marked by role', () => {
    expect(byLabel(doc, '2.1 ¶2')).toMatchObject({ text: 'Encuestas de hogares', role: 'list-item' });
    expect(byLabel(doc, '2.1 ¶3')).toMatchObject({ text: 'Censos de población', role: 'list-item' });
    expect(byLabel(doc, '2.1 ¶4')).toMatchObject({ text: 'Rondas 2010 y 2020', role: 'list-item' });
    expect(byLabel(doc, '2.2 ¶2')).toMatchObject({ text: 'País | Valor', role: 'table-row' });
    expect(byLabel(doc, '2.2 ¶3')).toMatchObject({ text: 'Chile | 7,1', role: 'table-row' });
    expect(byLabel(doc, '2.2 ¶4')).toMatchObject({ text: 'Nota: los valores son provisionales.', role: 'quote' });
  });

  it('records section, paragraph number and heading level on every block', () => {
    expect(byLabel(doc, '2.1 ¶2')).toMatchObject({ kind: 'paragraph', section: '2.1', paragraph: 2, level: 0 });
    expect(byLabel(doc, '2.1')).toMatchObject({ kind: 'heading', section: '2.1', paragraph: 0, level: 2 });
    expect(byLabel(doc, '¶1')).toMatchObject({ kind: 'paragraph', section: '', paragraph: 1 });
    expect(byLabel(doc, 'Title')).toMatchObject({ kind: 'title', section: '', paragraph: 0 });
  });

  it('numbers from 1 when there is no title, whatever the first heading level', () => {
    const plain = structureFromMarkdown('## Uno\n\nTexto.\n\n### Uno punto uno\n\nMás.\n\n## Dos\n\nFin.');
    expect(plain.title).toBeNull();
    expect(labels(plain)).toEqual(['1', '1 ¶1', '1.1', '1.1 ¶1', '2', '2 ¶1']);
  });

  it('treats several level-1 headings as sections, not as titles', () => {
    const two = structureFromMarkdown('# A\n\nx\n\n# B\n\ny');
    expect(two.title).toBeNull();
    expect(labels(two)).toEqual(['1', '1 ¶1', '2', '2 ¶1']);
  });

  it('nests a heading that skips a level one step down (H2 then H4 is 1 then 1.1)', () => {
    const skipping = structureFromMarkdown('## A\n\n#### A deep\n\ntext\n\n## B');
    expect(labels(skipping)).toEqual(['1', '1.1', '1.1 ¶1', '2']);
  });

  it('adopts numbers the author typed when they fit the outline, and strips them from the heading', () => {
    const numbered = structureFromMarkdown('## 1. Alcance\n\na\n\n## 3 Resultados\n\nb\n\n### 3.1 Mortalidad\n\nc\n\n### Pobreza\n\nd\n\n## 2030 Agenda\n\ne');
    expect(labels(numbered)).toEqual(['1', '1 ¶1', '3', '3 ¶1', '3.1', '3.1 ¶1', '3.2', '3.2 ¶1', '4', '4 ¶1']);
    expect(numbered.blocks.map((b) => b.kind === 'heading' && b.text)).toContain('Resultados');
    expect(byLabel(numbered, '3.1').text).toBe('Mortalidad');
    // A year is not a clause number.
    expect(byLabel(numbered, '4').text).toBe('2030 Agenda');
  });

  it('keeps a typed number that does not fit (out of order, wrong depth) as part of the heading text', () => {
    const odd = structureFromMarkdown('## 2 Uno\n\n## 1 Dos\n\n### 5.4 Tres');
    expect(labels(odd)).toEqual(['2', '3', '3.1']);
    expect(odd.blocks.map((b) => b.text)).toEqual(['Uno', '1 Dos', '5.4 Tres']);
  });

  it('drops empty paragraphs and headings, rules, and link definitions', () => {
    const sparse = structureFromMarkdown('## \n\n---\n\n[ref]: https://example.org\n\nSolo esto.\n\n##   \n');
    expect(sparse.blocks.map((b) => [b.label, b.text])).toEqual([['¶1', 'Solo esto.']]);
  });

  it('keeps code blocks and raw HTML as the literal text the page shows', () => {
    const code = structureFromMarkdown('Antes.\n\n```\nSELECT  *\nFROM t\n```\n\n<div>en bruto</div>\n');
    expect(code.blocks.map((b) => [b.text, b.role])).toEqual([
      ['Antes.', 'text'],
      ['SELECT * FROM t', 'code'],
      ['<div>en bruto</div>', 'text'],
    ]);
  });

  it('gives the same structure, ids and text for the same source (stable within a version)', () => {
    expect(structureFromMarkdown(REPORT)).toEqual(doc);
  });

  it('normalizes each paragraph (NFC, whitespace)', () => {
    const messy = structureFromMarkdown('Una   línea\ncon salto y Conciliaci\u006f\u0301n.');
    expect(messy.blocks[0]!.text).toBe('Una línea con salto y Conciliación.');
  });

  it('returns an empty structure for an empty text', () => {
    expect(structureFromMarkdown('')).toEqual({ format: 'markdown', title: null, blocks: [] });
  });
});

describe('structureFromPdfText', () => {
  it('splits paragraphs on blank lines and page breaks, joins lines, and mends words hyphenated at a line end', () => {
    const text = 'Primer párrafo que se\ncorta en dos líneas.\n\n  \nSegundo párrafo con infor-\nmación partida y socio-\nEconómico.\fTercero, en otra página.\n';
    const doc = structureFromPdfText(text);
    expect(doc.format).toBe('pdf');
    expect(doc.title).toBeNull();
    expect(doc.blocks.map((b) => [b.id, b.label, b.kind, b.text])).toEqual([
      ['p1', '¶1', 'paragraph', 'Primer párrafo que se corta en dos líneas.'],
      ['p2', '¶2', 'paragraph', 'Segundo párrafo con información partida y socio- Económico.'],
      ['p3', '¶3', 'paragraph', 'Tercero, en otra página.'],
    ]);
  });

  it('reads Windows line ends and has no headings', () => {
    const doc = structureFromPdfText('1. Introducción\r\n\r\nTexto.\r\n');
    expect(doc.blocks.map((b) => b.kind)).toEqual(['paragraph', 'paragraph']);
  });
});

describe('buildStructure', () => {
  it('keeps only the first title; a later one is a first-level heading', () => {
    const doc = buildStructure('docx', [
      { kind: 'title', level: 0, text: 'Plan de trabajo' },
      { kind: 'paragraph', level: 0, text: 'Borrador' },
      { kind: 'title', level: 0, text: 'Anexo' },
      { kind: 'paragraph', level: 0, text: 'x' },
    ]);
    expect(doc.title).toBe('Plan de trabajo');
    expect(labels(doc)).toEqual(['Title', '¶1', '1', '1 ¶1']);
  });

  it('clamps heading levels to 1–9', () => {
    const doc = buildStructure('docx', [
      { kind: 'heading', level: 0, text: 'A' },
      { kind: 'heading', level: 42, text: 'B' },
    ]);
    expect(labels(doc)).toEqual(['1', '1.1']);
  });
});
