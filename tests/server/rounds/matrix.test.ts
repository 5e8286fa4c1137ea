import { createHash } from 'node:crypto';
import { readSheet } from 'read-excel-file/node';
import readXlsxFile from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { resolveAnchor } from '../../../server/features/rounds/domain/anchors.js';
import type { Comment } from '../../../server/features/rounds/domain/comments.js';
import type { Disposition, Reply } from '../../../server/features/rounds/domain/dispositions.js';
import { structureFromMarkdown } from '../../../server/features/rounds/domain/markdown.js';
import { buildMatrix, MATRIX_COLUMNS, type MatrixSource } from '../../../server/features/rounds/domain/matrix.js';
import { MATRIX_STYLES, MATRIX_STYLES_CSP, matrixHtml, matrixXlsx } from '../../../server/features/rounds/domain/matrix-export.js';
import type { Party } from '../../../server/features/rounds/domain/participants.js';
import type { RoundState } from '../../../server/features/rounds/domain/round.js';
import { XSS_PAYLOADS } from '../../fixtures/xss-payloads.js';
import { ok } from './support.js';

const DOC = structureFromMarkdown('# Informe\n\n## Alcance\n\nTexto del alcance.\n\n## Métodos\n\n### Fuentes\n\nRegistros.\n\n### Estimación\n\nLa oficina nacional usa el método directo.\n\nEl modelo es bayesiano.');
const NOW = new Date('2026-06-20T12:00:00.000Z');
const ROUND: RoundState = {
  id: 'r1', documentId: 'd1', versionId: 'v1', consulted: { countryIds: ['pe', 'mx', 'br'], organizationIds: ['unicef'] }, instructions: '',
  deadline: '2026-06-01T00:00:00.000Z', replyDeadline: '2026-06-25T00:00:00.000Z', status: 'dispositions', createdBy: 'sec', createdAt: '2026-05-01T00:00:00.000Z',
  openedAt: '2026-05-01T00:00:00.000Z', closedAt: '2026-06-01T00:00:00.000Z', dispositionsPublishedAt: '2026-06-05T00:00:00.000Z', concludedAt: null, cancelledAt: null, nextVersionId: 'v2', history: [],
};
const NAMES: Record<string, string> = { pe: 'Perú', mx: 'México', br: 'Brasil', unicef: 'UNICEF' };

function comment(id: string, party: Party, fields: Partial<Comment>): Comment {
  return {
    id, roundId: 'r1', party, authorId: `${party.id}-author`, type: 'technical', text: `Comentario ${id}`, proposedText: null, anchor: { kind: 'document' }, state: 'submitted',
    createdAt: '2026-05-10T00:00:00.000Z', updatedAt: '2026-05-10T00:00:00.000Z', updatedBy: 'x', submittedAt: `2026-05-2${id.slice(1)}T00:00:00.000Z`, ...fields,
  };
}
const country = (id: string): Party => ({ kind: 'country', id });
const HOSTILE = XSS_PAYLOADS[0]!;

const COMMENTS: Comment[] = [
  comment('c1', country('pe'), { anchor: ok(resolveAnchor(DOC, { kind: 'passage', blockId: 's2.2p1', exact: 'método directo' })), text: 'Precisar la corrección por subregistro.', proposedText: 'método directo con corrección por subregistro' }),
  comment('c2', country('mx'), { type: 'general', text: 'El informe es claro & completo.' }),
  comment('c3', { kind: 'organization', id: 'unicef' }, { type: 'editorial', anchor: ok(resolveAnchor(DOC, { kind: 'paragraph', blockId: 's1p1' })), text: 'Typo: "alcanse".' }),
  comment('c4', country('br'), { anchor: ok(resolveAnchor(DOC, { kind: 'paragraph', blockId: 's2.2p2' })), text: `Objeción <b>fuerte</b> ${HOSTILE}`, proposedText: '<img src=x onerror=alert(1)>' }),
  comment('c5', country('br'), { state: 'draft', text: 'BORRADOR QUE NO SE MUESTRA' }),
  comment('c6', country('pe'), { anchor: ok(resolveAnchor(DOC, { kind: 'paragraph', blockId: 's2.2p1' })), text: 'Segundo comentario peruano sobre el mismo párrafo.' }),
];
const d = (commentId: string, kind: Disposition['kind'], rationale: string | null, appliedIn: Disposition['appliedIn'] = null): Disposition => ({ commentId, kind, rationale, appliedIn, revision: 1, decidedAt: '2026-06-03T00:00:00.000Z', decidedBy: 'sec' });
const DISPOSITIONS = new Map<string, Disposition>([
  ['c1', d('c1', 'partially_accepted', 'Se incorpora la corrección, no el término.', { versionId: 'v2', blockId: 's2.2p1', label: '2.2 ¶1' })],
  ['c2', d('c2', 'noted', null)],
  ['c3', d('c3', 'accepted', null, { versionId: 'v2', blockId: null, label: null })],
  ['c4', d('c4', 'not_accepted', 'Fuera del alcance <del>del</del> grupo.')],
]);
const r = (commentId: string, kind: Reply['kind'], text: string | null): Reply => ({ commentId, kind, text, toRevision: 1, at: '2026-06-07T00:00:00.000Z', by: 'x' });
const REPLIES = new Map<string, Reply>([
  ['c1', r('c1', 'satisfied', null)],
  ['c4', r('c4', 'objects', 'Insistimos: es central.')],
]);

function source(language: MatrixSource['language'] = 'es', now = NOW): MatrixSource {
  return {
    language, documentTitle: 'Informe de actividades <2026>', versionName: 'Versión 1', round: ROUND, now, structure: DOC, comments: COMMENTS, dispositions: DISPOSITIONS, replies: REPLIES,
    partyName: (party) => NAMES[party.id]!, versionNames: { v1: 'Versión 1', v2: 'Versión 2' }, pageUrl: 'https://concilia.example/rounds/r1',
  };
}

describe('buildMatrix', () => {
  const matrix = buildMatrix(source());

  it('has one row per submitted comment, drafts left out, in document order (a paragraph before passages in it), then by country', () => {
    expect(matrix.rows.map((row) => row.commentId)).toEqual(['c2', 'c3', 'c6', 'c1', 'c4']);
    expect(matrix.rows.map((row) => row.number)).toEqual([1, 2, 3, 4, 5]);
    expect(JSON.stringify(matrix)).not.toContain('BORRADOR');
  });

  it('fills the ISO columns: country, anchor, type, comment, proposed change, disposition, rationale, reply, applied in', () => {
    expect(matrix.rows.find((row) => row.commentId === 'c1')).toEqual({
      number: 4, commentId: 'c1', party: 'Perú', anchor: '2.2 ¶1', quote: 'método directo', type: 'Técnico', comment: 'Precisar la corrección por subregistro.',
      proposedChange: 'método directo con corrección por subregistro', disposition: 'Aceptado parcialmente', rationale: 'Se incorpora la corrección, no el término.', reply: 'Conforme', appliedIn: 'Versión 2, 2.2 ¶1',
    });
    expect(matrix.rows.find((row) => row.commentId === 'c2')).toMatchObject({ anchor: 'General', quote: null, type: 'General', disposition: 'Tomado en cuenta', rationale: '', reply: 'Pendiente', appliedIn: '' });
    expect(matrix.rows.find((row) => row.commentId === 'c3')).toMatchObject({ party: 'UNICEF', anchor: '1 ¶1', type: 'Editorial', appliedIn: 'Versión 2' });
    expect(matrix.rows.find((row) => row.commentId === 'c4')).toMatchObject({ disposition: 'No aceptado', reply: 'Objeta: Insistimos: es central.' });
    expect(matrix.rows.find((row) => row.commentId === 'c6')).toMatchObject({ disposition: '', reply: '' });
  });

  it('says a silent commenter accepted once the round is over', () => {
    const after = buildMatrix(source('es', new Date('2026-06-26T00:00:00.000Z')));
    expect(after.rows.find((row) => row.commentId === 'c2')?.reply).toBe('Aceptado (sin respuesta)');
    expect(buildMatrix(source('en', new Date('2026-06-26T00:00:00.000Z'))).rows.find((row) => row.commentId === 'c2')?.reply).toBe('Accepted (no reply)');
  });

  it('names the title block in the matrix’s language', () => {
    const onTitle = { ...source('fr'), comments: [comment('c1', country('pe'), { anchor: ok(resolveAnchor(DOC, { kind: 'paragraph', blockId: 'title' })) })] };
    expect(buildMatrix(onTitle).rows[0]!.anchor).toBe('Titre');
    expect(buildMatrix({ ...onTitle, language: 'es' }).rows[0]!.anchor).toBe('Título');
  });

  it('speaks the four languages of the forum', () => {
    for (const language of ['en', 'es', 'pt', 'fr'] as const) {
      const m = buildMatrix(source(language));
      expect(Object.keys(m.columns)).toEqual([...MATRIX_COLUMNS]);
      for (const label of Object.values(m.columns)) expect(label).not.toBe('');
      expect(m.rows[0]!.anchor).not.toBe('');
    }
    expect(buildMatrix(source('en')).columns.rationale).toBe('Observations of the secretariat');
    expect(buildMatrix(source('fr')).rows.find((row) => row.commentId === 'c1')?.disposition).toBe('Accepté en partie');
  });
});

describe('matrixXlsx, read back by an independent reader (read-excel-file)', () => {
  it('writes the header and every row, each cell as shown on the page', async () => {
    const matrix = buildMatrix(source());
    const buffer = await matrixXlsx(matrix);
    const sheets = await readXlsxFile(buffer);
    expect(sheets.map((s) => s.sheet)).toEqual(['Matriz', 'Acerca de']);
    const rows = await readSheet(buffer, 1);
    expect(rows[0]).toEqual(MATRIX_COLUMNS.map((key) => matrix.columns[key]));
    expect(rows).toHaveLength(matrix.rows.length + 1);
    matrix.rows.forEach((row, i) => {
      const cells = rows[i + 1]!;
      expect(cells[0]).toBe(row.number);
      expect(cells.slice(1).map((cell) => cell ?? '')).toEqual([row.party, row.quote ? `${row.anchor} «${row.quote}»` : row.anchor, row.type, row.comment, row.proposedChange, row.disposition, row.rationale, row.reply, row.appliedIn]);
    });
    const about = await readSheet(buffer, 2);
    expect(about.flat()).toContain('Informe de actividades <2026>');
    expect(about.flat()).toContain('https://concilia.example/rounds/r1');
  });

  it('keeps a text that looks like a formula as text', async () => {
    const hostile: MatrixSource = { ...source(), comments: [comment('c1', country('pe'), { text: '=HYPERLINK("http://evil.example","x")' })] };
    const rows = await readSheet(await matrixXlsx(buildMatrix(hostile)), 1);
    expect(rows[1]![4]).toBe('=HYPERLINK("http://evil.example","x")');
  });
});

describe('matrixHtml (printable)', () => {
  const matrix = buildMatrix(source());
  const html = matrixHtml(matrix);

  it('contains every comment, proposed change, rationale and reply, escaped', () => {
    const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    for (const row of matrix.rows) {
      for (const text of [row.comment, row.proposedChange, row.rationale, row.reply, row.party]) if (text) expect(html).toContain(escape(text));
    }
    expect(html).toContain(escape(`Objeción <b>fuerte</b> ${HOSTILE}`));
    expect(html).toContain('Informe de actividades &lt;2026&gt;');
  });

  it('holds no script, no event handler, no raw markup from the comments', () => {
    expect(html).not.toMatch(/<script/i);
    // Every "<" left in the page is the page's own markup: none of it carries an event handler.
    expect(html).not.toMatch(/<[a-z][^>]*\son\w+=/i);
    expect(html).not.toContain('<b>fuerte</b>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<del>');
  });

  it('carries its print stylesheet inline, allowed by its hash in the Content-Security-Policy', () => {
    expect(html).toContain(`<style>${MATRIX_STYLES}</style>`);
    expect(MATRIX_STYLES).toMatch(/@page\s*{[^}]*landscape/);
    const hash = createHash('sha256').update(MATRIX_STYLES).digest('base64');
    expect(MATRIX_STYLES_CSP).toContain(`style-src 'sha256-${hash}'`);
    expect(MATRIX_STYLES_CSP).toContain("default-src 'none'");
    expect(MATRIX_STYLES_CSP).not.toContain('script-src');
    expect((html.match(/<style>/g) ?? []).length).toBe(1);
    expect(html).not.toMatch(/style="/);
  });

  it('is a whole document in the matrix’s language, with the column headers', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="es">');
    for (const label of Object.values(matrix.columns)) expect(html).toContain(`<th scope="col">${label}</th>`);
  });
});
