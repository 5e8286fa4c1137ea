import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSheet } from 'read-excel-file/node';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DOCX_LIMITS, docxParagraphs } from '../../../server/plugins/files/docx-text.js';
import { compareVersions } from '../../../server/features/rounds/domain/alignment.js';
import { resolveAnchor } from '../../../server/features/rounds/domain/anchors.js';
import { createComment, mayRead, newDelegation, submitPosition } from '../../../server/features/rounds/domain/comments.js';
import { effectiveReply, recordDisposition, setAppliedIn, suggestAppliedIn } from '../../../server/features/rounds/domain/dispositions.js';
import { buildMatrix } from '../../../server/features/rounds/domain/matrix.js';
import { matrixHtml, matrixXlsx } from '../../../server/features/rounds/domain/matrix-export.js';
import { reanchorAll } from '../../../server/features/rounds/domain/reanchor.js';
import { attachNextVersion, closeRound, newRound, openRound, phase, publishDispositions, reminderRecipients, roundReminderJob } from '../../../server/features/rounds/domain/round.js';
import { structureFromDocx } from '../../../server/features/rounds/domain/structure.js';
import { styledDocx, type DocxItem } from '../../fixtures/structured-docx.js';
import { clock, hours, ok, people } from './support.js';

/**
 * Issue 16's scenario through the domain alone: a round on a DOCX with headings, a Peruvian
 * delegate's passage comment on 3.2, consolidation, a partial acceptance, version 2, re-anchoring,
 * the matrix and the comparison.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'concilia-round-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function version(items: DocxItem[], name: string) {
  const file = path.join(dir, `${name}.docx`);
  writeFileSync(file, styledDocx(items));
  return docxParagraphs(file, { ...DEFAULT_DOCX_LIMITS, maxChars: 1_000_000 }).then(structureFromDocx);
}

const COMMON: DocxItem[] = [
  { style: 'Title', text: 'Informe de actividades 2026' },
  { style: 'Heading1', text: 'Introducción' },
  { text: 'El grupo de trabajo presenta su informe a la Conferencia.' },
  { style: 'Heading1', text: 'Actividades' },
  { text: 'Se realizaron tres reuniones virtuales y un taller.' },
  { style: 'Heading1', text: 'Métodos' },
  { style: 'Heading2', text: 'Fuentes' },
  { text: 'Registros vitales, encuestas de hogares y censos.' },
];
const V1: DocxItem[] = [
  ...COMMON,
  { style: 'Heading2', text: 'Conciliación' },
  { text: 'Las cifras nacionales se comparan con las estimaciones del grupo interinstitucional cada año.' },
  { text: 'Las diferencias mayores al 10 % se documentan en el registro de discrepancias.' },
];
const V2: DocxItem[] = [
  ...COMMON,
  { style: 'Heading2', text: 'Conciliación' },
  { text: 'Las cifras nacionales se comparan con las estimaciones del grupo interinstitucional cada año.' },
  { text: 'Las diferencias mayores al 5 % se documentan en el registro de discrepancias, con su explicación.' },
  { style: 'Heading1', text: 'Recomendaciones' },
  { text: 'Mantener el registro de discrepancias.' },
];

describe('a round on a DOCX, from the Peruvian comment to version 2', () => {
  it('runs end to end', async () => {
    const c = clock();
    const v1 = await version(V1, 'v1');
    expect(v1.blocks.find((b) => b.label === '3.2 ¶2')?.text).toBe('Las diferencias mayores al 10 % se documentan en el registro de discrepancias.');

    let round = ok(newRound({ id: 'r1', documentId: 'd1', versionId: 'v1', consulted: { countryIds: ['pe', 'mx'], organizationIds: ['unicef'] }, deadline: hours(c.now(), 24 * 10), instructions: 'Comenten antes del 14.' }, people.secretariat, c.now()));
    round = ok(openRound(round, people.secretariat, c.now()));

    // A Peruvian delegate selects "mayores al 10 %" in 3.2 ¶2 and proposes a change.
    const target = v1.blocks.find((b) => b.label === '3.2 ¶2')!;
    const start = target.text.indexOf('mayores al 10 %');
    const anchor = ok(resolveAnchor(v1, { kind: 'passage', blockId: target.id, exact: 'mayores al 10 %', start, end: start + 15 }));
    let peru = newDelegation({ kind: 'country', id: 'pe' }, 'pe-focal');
    const draft = ok(createComment(round, peru, people.peDelegate, { type: 'technical', text: 'El umbral del 10 % es demasiado alto.', proposedText: 'mayores al 5 %', anchor }, c.now(), 'c1'));
    expect(mayRead(draft, people.mxFocal)).toBe(false);

    // A day before the deadline, Peru and Mexico have not submitted: both are reminded, once.
    expect(roundReminderJob(round, c.now())?.runAt).toEqual(hours(c.now(), 24 * 9));
    c.advance(24 * 9);
    const due = reminderRecipients(round, [{ party: { kind: 'country', id: 'pe' }, submitted: false }, { party: { kind: 'country', id: 'mx' }, submitted: false }], new Set(), c.now());
    expect(due.map((r) => r.party.id)).toEqual(['pe', 'mx']);

    // The focal point submits; Mexico submits no comments.
    const submitted = ok(submitPosition(peru, [draft], people.peFocal, round, c.now()));
    peru = submitted.delegation;
    const comment = submitted.comments[0]!;
    expect(mayRead(comment, people.mxFocal)).toBe(true);
    c.advance(24);
    expect(phase(round, c.now())).toBe('closed');
    round = ok(closeRound(round, null, c.now(), { partiesPending: 2 }));

    // The secretariat accepts it partially, uploads version 2 and links where it was applied.
    let disposition = ok(recordDisposition(null, comment, { kind: 'partially_accepted', rationale: 'Se adopta el 5 % y se pide la explicación; no se cambia la periodicidad.' }, people.secretariat, round, c.now()));
    const v2 = await version(V2, 'v2');
    round = ok(attachNextVersion(round, people.secretariat, 'v2', c.now()));
    const moved = reanchorAll([{ id: comment.id, anchor: comment.anchor }], v1, v2).get(comment.id)!;
    expect(moved).toMatchObject({ status: 'drifted', reason: 'passage_changed', anchor: { label: '3.2 ¶2' } });
    expect(moved.anchor?.kind === 'passage' && moved.anchor.quote.exact).toMatch(/mayores al 5 %/);
    disposition = ok(setAppliedIn(disposition, suggestAppliedIn(moved, 'v2')!, v2, round, people.secretariat));
    expect(disposition.appliedIn).toEqual({ versionId: 'v2', blockId: 's3.2p2', label: '3.2 ¶2' });
    round = ok(publishDispositions(round, people.secretariat, hours(c.now(), 24 * 7), c.now(), { undisposed: 0 }));

    // Peru does not reply: at the round's close the disposition counts as accepted.
    c.advance(24 * 7);
    expect(effectiveReply(disposition, null, round, c.now())).toBe('accepted_by_silence');

    // The matrix, as a workbook and a page.
    const matrix = buildMatrix({
      language: 'es', documentTitle: 'Informe de actividades 2026', versionName: 'Versión 1', round, now: c.now(), structure: v1, comments: [comment],
      dispositions: new Map([[comment.id, disposition]]), replies: new Map(), partyName: () => 'Perú', versionNames: { v2: 'Versión 2' }, pageUrl: 'https://concilia.example/rounds/r1',
    });
    expect(matrix.rows).toEqual([
      {
        number: 1, commentId: 'c1', party: 'Perú', anchor: '3.2 ¶2', quote: 'mayores al 10 %', type: 'Técnico', comment: 'El umbral del 10 % es demasiado alto.', proposedChange: 'mayores al 5 %',
        disposition: 'Aceptado parcialmente', rationale: 'Se adopta el 5 % y se pide la explicación; no se cambia la periodicidad.', reply: 'Aceptado (sin respuesta)', appliedIn: 'Versión 2, 3.2 ¶2',
      },
    ]);
    const sheet = await readSheet(await matrixXlsx(matrix), 1);
    expect(sheet[1]).toContain('El umbral del 10 % es demasiado alto.');
    expect(matrixHtml(matrix)).toContain('El umbral del 10 % es demasiado alto.');

    // A reader compares version 1 and 2.
    const comparison = compareVersions(v1, v2);
    expect(comparison.counts).toEqual({ kept: 10, changed: 1, moved: 0, inserted: 2, deleted: 0 });
    const changed = comparison.rows.find((row) => row.kind === 'changed')!;
    expect(changed.old?.label).toBe('3.2 ¶2');
    expect(changed.words).toContainEqual({ op: 'insert', text: '5' });
  });
});
