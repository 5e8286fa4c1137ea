import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArchiveLimitError, DEFAULT_DOCX_LIMITS, docxParagraphs, docxText } from '../../../server/plugins/files/docx-text.js';
import { structureFromDocx } from '../../../server/features/rounds/domain/structure.js';
import { docxBomb } from '../../fixtures/documents.js';
import { SPANISH_STYLES, styledDocx, type DocxItem } from '../../fixtures/structured-docx.js';

const dir = mkdtempSync(path.join(tmpdir(), 'concilia-docx-structure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
function file(bytes: Buffer): string {
  const name = path.join(dir, `d${(count += 1)}.docx`);
  writeFileSync(name, bytes);
  return name;
}
const LIMITS = { ...DEFAULT_DOCX_LIMITS, maxChars: 1_000_000 };

const METHODOLOGY: DocxItem[] = [
  { style: 'Title', text: 'Nota metodológica sobre la mortalidad infantil' },
  { text: 'Borrador para comentarios.' },
  { style: 'Heading1', text: 'Introducción' },
  { text: 'Esta nota explica la discrepancia.' },
  { style: 'Heading1', text: 'Fuentes y métodos' },
  { style: 'Heading2', text: 'Fuentes' },
  { text: 'Registros vitales y encuestas.' },
  { style: 'Heading2', text: 'Estimación' },
  { text: 'El grupo interinstitucional usa un modelo B3.' },
  { text: 'La oficina nacional usa el método directo con ', runs: ['La oficina nacional usa el método directo ', 'con corrección por subregistro.'] },
  { style: 'ListParagraph', numbered: true, text: 'Primera corrección' },
  { numbered: true, text: 'Segunda corrección' },
  { table: [['Año', 'Tasa'], ['2020', '7,1']] },
];

describe('docxParagraphs (a DOCX read with its headings kept)', () => {
  it('keeps the title, the heading levels, list paragraphs and table rows, in order', async () => {
    const paragraphs = await docxParagraphs(file(styledDocx(METHODOLOGY)), LIMITS);
    expect(paragraphs).toEqual([
      { kind: 'title', level: 0, text: 'Nota metodológica sobre la mortalidad infantil', role: 'text' },
      { kind: 'paragraph', level: 0, text: 'Borrador para comentarios.', role: 'text' },
      { kind: 'heading', level: 1, text: 'Introducción', role: 'text' },
      { kind: 'paragraph', level: 0, text: 'Esta nota explica la discrepancia.', role: 'text' },
      { kind: 'heading', level: 1, text: 'Fuentes y métodos', role: 'text' },
      { kind: 'heading', level: 2, text: 'Fuentes', role: 'text' },
      { kind: 'paragraph', level: 0, text: 'Registros vitales y encuestas.', role: 'text' },
      { kind: 'heading', level: 2, text: 'Estimación', role: 'text' },
      { kind: 'paragraph', level: 0, text: 'El grupo interinstitucional usa un modelo B3.', role: 'text' },
      { kind: 'paragraph', level: 0, text: 'La oficina nacional usa el método directo con corrección por subregistro.', role: 'text' },
      { kind: 'paragraph', level: 0, text: 'Primera corrección', role: 'list-item' },
      { kind: 'paragraph', level: 0, text: 'Segunda corrección', role: 'list-item' },
      { kind: 'paragraph', level: 0, text: 'Año | Tasa', role: 'table-row' },
      { kind: 'paragraph', level: 0, text: '2020 | 7,1', role: 'table-row' },
    ]);
  });

  it('becomes numbered sections and paragraphs: the passage of "2.2 ¶2"', async () => {
    const doc = structureFromDocx(await docxParagraphs(file(styledDocx(METHODOLOGY)), LIMITS));
    expect(doc.format).toBe('docx');
    expect(doc.title).toBe('Nota metodológica sobre la mortalidad infantil');
    expect(doc.blocks.map((b) => b.label)).toEqual(['Title', '¶1', '1', '1 ¶1', '2', '2.1', '2.1 ¶1', '2.2', '2.2 ¶1', '2.2 ¶2', '2.2 ¶3', '2.2 ¶4', '2.2 ¶5', '2.2 ¶6']);
    expect(doc.blocks.find((b) => b.label === '2.2 ¶2')?.text).toBe('La oficina nacional usa el método directo con corrección por subregistro.');
  });

  it('knows headings by their style names when a localized Word gives the styles other ids, also through basedOn and outline levels', async () => {
    const paragraphs = await docxParagraphs(
      file(
        styledDocx(
          [
            { style: 'Puesto', text: 'Plan de trabajo 2026-2027' },
            { style: 'Ttulo1', text: 'Objetivos' },
            { style: 'Ttulo2', text: 'Generales' },
            { style: 'Nivel3', text: 'Detalle' },
            { style: 'MiTitulo', text: 'Anexo' },
            { text: 'Cuerpo con nivel de esquema', outline: 1 },
          ],
          SPANISH_STYLES,
        ),
      ),
      LIMITS,
    );
    expect(paragraphs.map((p) => [p.kind, p.level, p.text])).toEqual([
      ['title', 0, 'Plan de trabajo 2026-2027'],
      ['heading', 1, 'Objetivos'],
      ['heading', 2, 'Generales'],
      ['heading', 3, 'Detalle'],
      ['heading', 1, 'Anexo'],
      ['heading', 2, 'Cuerpo con nivel de esquema'],
    ]);
  });

  it('falls back on the style ids when the file has no styles part', async () => {
    const paragraphs = await docxParagraphs(file(styledDocx([{ style: 'Heading2', text: 'Dos' }, { style: 'Ttulo1', text: 'Uno' }, { style: 'Normal', text: 'Texto' }], false)), LIMITS);
    expect(paragraphs.map((p) => [p.kind, p.level])).toEqual([
      ['heading', 2],
      ['heading', 1],
      ['paragraph', 0],
    ]);
  });

  it('leaves out deleted revisions, field codes, fallback copies and empty paragraphs, and turns tabs and breaks into spaces', async () => {
    const raw =
      '<w:p><w:r><w:t>Visible</w:t></w:r><w:del><w:r><w:delText>borrado</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r>' +
      '<w:r><w:tab/><w:t>tras tab</w:t><w:br/><w:t>tras salto</w:t></w:r></w:p>' +
      '<w:p/>' +
      '<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>elegido</w:t></mc:Choice><mc:Fallback><w:t>copia</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>';
    const paragraphs = await docxParagraphs(file(styledDocx([{ raw }])), LIMITS);
    expect(paragraphs.map((p) => p.text.replace(/\s+/g, ' '))).toEqual(['Visible tras tab tras salto', 'elegido']);
  });

  it('reads a table nested in a cell into that cell', async () => {
    const raw =
      '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>fuera</w:t></w:r></w:p>' +
      '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>dentro</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc>' +
      '<w:tc><w:p><w:r><w:t>otra</w:t></w:r></w:p></w:tc></w:tr></w:tbl>';
    const paragraphs = await docxParagraphs(file(styledDocx([{ raw }])), LIMITS);
    expect(paragraphs).toEqual([{ kind: 'paragraph', level: 0, text: 'fuera dentro | otra', role: 'table-row' }]);
  });

  it('stops at maxChars', async () => {
    const many: DocxItem[] = Array.from({ length: 200 }, (_, i) => ({ text: `Párrafo número ${i} con algo de texto.` }));
    const paragraphs = await docxParagraphs(file(styledDocx(many)), { ...LIMITS, maxChars: 500 });
    expect(paragraphs.length).toBeGreaterThan(5);
    expect(paragraphs.length).toBeLessThan(30);
  });

  it('refuses a zip bomb within the same bounds as the text reader, before inflating it', async () => {
    const bomb = file(docxBomb(300 * 1024 * 1024));
    await expect(docxParagraphs(bomb, { ...LIMITS, maxInflatedBytes: 64 * 1024 * 1024 })).rejects.toBeInstanceOf(ArchiveLimitError);
    const liar = file(docxBomb(300 * 1024 * 1024, 10_000));
    await expect(docxParagraphs(liar, { ...LIMITS, maxInflatedBytes: 64 * 1024 * 1024 })).rejects.toThrow();
  });

  it('leaves the search text reader as it was', async () => {
    const text = await docxText(file(styledDocx(METHODOLOGY)), LIMITS);
    expect(text).toContain('Introducción\n');
    expect(text).toContain('La oficina nacional usa el método directo con corrección por subregistro.');
  });
});
