import { describe, expect, it } from 'vitest';
import { applyAnswerSave, emptyAnswerSet, fieldKey, pathOf, unconfirmedPrefill, type AnswerSet, type SaveOutcome } from '../../../server/features/consultations/domain/answers.js';
import type { AnswerChange } from '../../../server/features/consultations/domain/schemas.js';
import type { AnswerContext } from '../../../server/features/consultations/domain/validation.js';
import { staleFields } from '../../../server/shared/field-revisions.js';
import { fichaTecnica } from './fixtures.js';

const context: AnswerContext = { questionnaire: fichaTecnica() };
const T0 = Date.parse('2026-03-10T14:00:00Z');

function saved(outcome: SaveOutcome): AnswerSet {
  if (outcome.kind !== 'saved') throw new Error(`expected saved, got ${JSON.stringify(outcome)}`);
  return outcome.state;
}
const save = (state: AnswerSet, base: number, changes: AnswerChange[], by = 'ana', at = T0) => applyAnswerSave(context, state, { base, changes }, by, at);

describe('autosave, field by field', () => {
  it('saves a value, raising the revision and recording who, when and at which revision', () => {
    const outcome = save(emptyAnswerSet(), 0, [{ question: 'institution', value: { type: 'short_text', text: 'INE' } }]);
    expect(outcome.kind).toBe('saved');
    if (outcome.kind !== 'saved') return;
    expect(outcome.state.revision).toBe(1);
    expect(outcome.state.answers.institution).toEqual({ type: 'short_text', text: 'INE' });
    expect(outcome.state.fields.institution).toEqual({ revision: 1, by: 'ana', at: T0, prefilled: null });
    expect(outcome.changes).toEqual([{ field: 'institution', path: { question: 'institution' }, kind: 'set', before: null, after: { type: 'short_text', text: 'INE' }, by: 'ana', at: T0, revision: 1 }]);
  });

  it('lets two delegates write different fields from the same base', () => {
    const one = saved(save(emptyAnswerSet(), 0, [{ question: 'institution', value: { type: 'short_text', text: 'INE' } }], 'ana'));
    const two = saved(save(one, 0, [{ question: 'coverage', value: { type: 'number', value: 99.5 } }], 'bruno'));
    expect(two.revision).toBe(2);
    expect(two.answers.institution).toBeDefined();
    expect(two.fields.coverage!.by).toBe('bruno');
    expect(two.fields.institution!.by).toBe('ana');
  });

  it('refuses a stale save of the same field, with both values, who wrote theirs and when', () => {
    const one = saved(save(emptyAnswerSet(), 0, [{ question: 'institution', value: { type: 'short_text', text: 'INE' } }], 'ana', T0));
    const outcome = save(one, 0, [{ question: 'institution', value: { type: 'short_text', text: 'Instituto Nacional de Estadísticas' } }], 'bruno', T0 + 5_000);
    expect(outcome).toEqual({
      kind: 'conflict',
      conflicts: [
        {
          field: 'institution',
          path: { question: 'institution' },
          theirs: { value: { type: 'short_text', text: 'INE' }, by: 'ana', at: T0, revision: 1 },
          yours: { type: 'short_text', text: 'Instituto Nacional de Estadísticas' },
        },
      ],
    });
  });

  it('refuses the whole save when one field is stale, so nothing is half applied', () => {
    const one = saved(save(emptyAnswerSet(), 0, [{ question: 'institution', value: { type: 'short_text', text: 'INE' } }]));
    const outcome = save(one, 0, [
      { question: 'coverage', value: { type: 'number', value: 98 } },
      { question: 'institution', value: { type: 'short_text', text: 'DANE' } },
    ]);
    expect(outcome.kind).toBe('conflict');
    expect(one.answers.coverage).toBeUndefined();
  });

  it('treats a repeated save (lost response) as unchanged, never a conflict', () => {
    const change: AnswerChange = { question: 'institution', value: { type: 'short_text', text: 'INE' } };
    const one = saved(save(emptyAnswerSet(), 0, [change]));
    expect(save(one, 0, [change])).toEqual({ kind: 'unchanged' });
  });

  it('refuses a base the server never issued', () => {
    const one = saved(save(emptyAnswerSet(), 0, [{ question: 'institution', value: { type: 'short_text', text: 'INE' } }]));
    expect(save(one, 7, [{ question: 'coverage', value: { type: 'number', value: 1 } }]).kind).toBe('conflict');
  });

  it('clears a value with null, and logs it', () => {
    const one = saved(save(emptyAnswerSet(), 0, [{ question: 'coverage', value: { type: 'number', value: 98 } }]));
    const outcome = save(one, 1, [{ question: 'coverage', value: null }]);
    expect(outcome.kind === 'saved' && outcome.state.answers.coverage).toBe(undefined);
    expect(outcome.kind === 'saved' && outcome.changes[0]!.kind).toBe('cleared');
  });

  it('keeps an out-of-range number in the draft (checked on submission), but refuses the wrong type or an unknown option', () => {
    expect(save(emptyAnswerSet(), 0, [{ question: 'coverage', value: { type: 'number', value: 250 } }]).kind).toBe('saved');
    const wrong = save(emptyAnswerSet(), 0, [{ question: 'coverage', value: { type: 'short_text', text: '99' } }]);
    expect(wrong).toEqual({ kind: 'invalid', problems: [expect.objectContaining({ code: 'wrong_type', field: 'answers.coverage', question: 'coverage' })] });
    const option = save(emptyAnswerSet(), 0, [{ question: 'census_round', value: { type: 'single_choice', option: 'r1990', other: null } }]);
    expect(option.kind === 'invalid' && option.problems.map((p) => p.code)).toEqual(['unknown_option']);
    const unknown = save(emptyAnswerSet(), 0, [{ question: 'nope', value: { type: 'number', value: 1 } }]);
    expect(unknown.kind === 'invalid' && unknown.problems.map((p) => p.code)).toEqual(['unknown_question']);
    const tooLong = save(emptyAnswerSet(), 0, [{ question: 'comments', value: { type: 'long_text', text: 'x'.repeat(2001) } }]);
    expect(tooLong.kind === 'invalid' && tooLong.problems.map((p) => p.code)).toEqual(['too_long']);
    const date = save(emptyAnswerSet(), 0, [{ question: 'census_date', value: { type: 'date', value: '2024-02-30' } }]);
    expect(date.kind === 'invalid' && date.problems.map((p) => p.code)).toEqual(['bad_date']);
  });
});

describe('autosave in tables', () => {
  it('writes cells of given rows; two delegates on two cells of one table do not conflict', () => {
    const one = saved(save(emptyAnswerSet(), 0, [{ question: 'sources', row: '3.2.1', column: 'produced', cell: true }], 'ana'));
    const two = saved(save(one, 0, [{ question: 'sources', row: '4.1.2', column: 'produced', cell: false }], 'bruno'));
    expect(two.answers.sources).toEqual({ type: 'table', rows: [{ id: '3.2.1', cells: { produced: true } }, { id: '4.1.2', cells: { produced: false } }] });
    expect(Object.keys(two.fields).sort()).toEqual(['sources/3.2.1/produced', 'sources/4.1.2/produced']);
    const stale = save(two, 0, [{ question: 'sources', row: '3.2.1', column: 'produced', cell: false }], 'carla');
    expect(stale.kind === 'conflict' && stale.conflicts[0]).toMatchObject({ field: 'sources/3.2.1/produced', theirs: { value: true, by: 'ana' }, yours: false });
  });

  it('keeps given rows in the table’s order and drops a row emptied of its cells', () => {
    let state = saved(save(emptyAnswerSet(), 0, [{ question: 'sources', row: '4.1.2', column: 'notes', cell: 'b' }]));
    state = saved(save(state, 1, [{ question: 'sources', row: '3.2.1', column: 'notes', cell: 'a' }]));
    expect((state.answers.sources as any).rows.map((r: any) => r.id)).toEqual(['3.2.1', '4.1.2']);
    state = saved(save(state, 2, [{ question: 'sources', row: '3.2.1', column: 'notes', cell: null }]));
    expect((state.answers.sources as any).rows.map((r: any) => r.id)).toEqual(['4.1.2']);
    state = saved(save(state, 3, [{ question: 'sources', row: '4.1.2', column: 'notes', cell: null }]));
    expect(state.answers.sources).toBeUndefined();
  });

  it('refuses unknown rows and columns, read-only cells, mistyped cells, whole-table values and rows added to given rows', () => {
    const problems = (changes: AnswerChange[]) => {
      const outcome = save(emptyAnswerSet(), 0, changes);
      return outcome.kind === 'invalid' ? outcome.problems.map((p) => `${p.code}@${p.field}`) : outcome.kind;
    };
    expect(problems([{ question: 'sources', row: '9.9.9', column: 'produced', cell: true }])).toEqual(['unknown_row@answers.sources.9.9.9.produced']);
    expect(problems([{ question: 'sources', row: '3.2.1', column: 'nope', cell: true }])).toEqual(['unknown_column@answers.sources.3.2.1.nope']);
    expect(problems([{ question: 'sources', row: '3.2.1', column: 'produced', cell: 'yes' }])).toEqual(['wrong_type@answers.sources.3.2.1.produced']);
    expect(problems([{ question: 'sources', row: '3.2.1', column: 'source_type', cell: 'census' }])).toEqual(['unknown_option@answers.sources.3.2.1.source_type']);
    expect(problems([{ question: 'sources', value: { type: 'table', rows: [] } }])).toEqual(['table_by_cell@answers.sources']);
    expect(problems([{ question: 'sources', addRow: 'x' }])).toEqual(['rows_fixed@answers.sources.x']);
    expect(problems([{ question: 'coverage', row: 'a', column: 'b', cell: 1 }])).toEqual(['not_a_table@answers.coverage']);
    const readOnly = fichaTecnica();
    (readOnly.sections[1]!.questions[0] as any).columns[4].readOnly = true;
    const outcome = applyAnswerSave({ questionnaire: readOnly }, emptyAnswerSet(), { base: 0, changes: [{ question: 'sources', row: '3.2.1', column: 'notes', cell: 'x' }] }, 'ana', T0);
    expect(outcome.kind === 'invalid' && outcome.problems[0]!.code).toBe('read_only_cell');
  });

  it('adds rows up to the maximum, idempotently; writes into them; a cell in a missing row is refused', () => {
    let state = saved(save(emptyAnswerSet(), 0, [{ question: 'surveys', addRow: 'r1' }, { question: 'surveys', row: 'r1', column: 'name', cell: 'CASEN' }]));
    expect(state.answers.surveys).toEqual({ type: 'table', rows: [{ id: 'r1', cells: { name: 'CASEN' } }] });
    expect(save(state, 1, [{ question: 'surveys', addRow: 'r1' }])).toEqual({ kind: 'unchanged' });
    state = saved(save(state, 1, [{ question: 'surveys', addRow: 'r2' }, { question: 'surveys', addRow: 'r3' }]));
    const over = save(state, 2, [{ question: 'surveys', addRow: 'r4' }]);
    expect(over.kind === 'invalid' && over.problems[0]!.code).toBe('too_many_rows');
    const missing = save(state, 2, [{ question: 'surveys', row: 'r9', column: 'name', cell: 'x' }]);
    expect(missing.kind === 'invalid' && missing.problems[0]!.code).toBe('unknown_row');
  });

  it('refuses removing a row someone wrote into since, and writing into a row someone removed since', () => {
    const base = saved(save(emptyAnswerSet(), 0, [{ question: 'surveys', addRow: 'r1' }, { question: 'surveys', row: 'r1', column: 'name', cell: 'CASEN' }]));
    // Bruno edits the row; Ana, who had loaded revision 1, removes it.
    const edited = saved(save(base, 1, [{ question: 'surveys', row: 'r1', column: 'sample', cell: 72056 }], 'bruno'));
    const removal = save(edited, 1, [{ question: 'surveys', removeRow: 'r1' }], 'ana');
    expect(removal.kind === 'conflict' && removal.conflicts.map((c) => c.field)).toEqual(['surveys/r1/sample']);
    // Ana removes it from the latest revision; Bruno, still on revision 2, writes into it.
    const removed = saved(save(edited, 2, [{ question: 'surveys', removeRow: 'r1' }], 'ana'));
    expect(removed.answers.surveys).toBeUndefined();
    expect(Object.keys(removed.fields)).toEqual(['surveys/r1']);
    const late = save(removed, 2, [{ question: 'surveys', row: 'r1', column: 'name', cell: 'CASEN 2022' }], 'bruno');
    expect(late.kind === 'conflict' && late.conflicts.map((c) => c.field)).toEqual(['surveys/r1']);
    expect(late.kind === 'conflict' && late.conflicts[0]!.theirs).toMatchObject({ value: null, by: 'ana' });
    // Removing an already removed row is harmless.
    expect(save(removed, 3, [{ question: 'surveys', removeRow: 'r1' }])).toEqual({ kind: 'unchanged' });
  });
});

describe('confirming pre-filled values', () => {
  const prefilled: AnswerSet = {
    revision: 1,
    answers: { coverage: { type: 'number', value: 98.2 }, sources: { type: 'table', rows: [{ id: '3.2.1', cells: { produced: true, latest_value: 7.9 } }] } },
    fields: {
      coverage: { revision: 1, by: null, at: T0, prefilled: { from: 'submission:2025' } },
      'sources/3.2.1/produced': { revision: 1, by: null, at: T0, prefilled: { from: 'submission:2025' } },
      'sources/3.2.1/latest_value': { revision: 1, by: null, at: T0, prefilled: { from: 'submission:2025' } },
    },
  };

  it('confirms one value, keeping it and recording who confirmed', () => {
    const state = saved(save(prefilled, 1, [{ question: 'coverage', confirm: true }], 'ana'));
    expect(state.answers.coverage).toEqual({ type: 'number', value: 98.2 });
    expect(state.fields.coverage).toEqual({ revision: 2, by: 'ana', at: T0, prefilled: null });
    expect(unconfirmedPrefill(state).map((u) => u.field)).toEqual(['sources/3.2.1/latest_value', 'sources/3.2.1/produced']);
  });

  it('confirms a whole table at once, and editing a value confirms it too', () => {
    const table = saved(save(prefilled, 1, [{ question: 'sources', confirm: true }]));
    expect(unconfirmedPrefill(table).map((u) => u.field)).toEqual(['coverage']);
    const edited = saved(save(prefilled, 1, [{ question: 'coverage', value: { type: 'number', value: 98.4 } }]));
    expect(edited.fields.coverage!.prefilled).toBeNull();
    expect(save(table, 2, [{ question: 'sources', confirm: true }])).toEqual({ kind: 'unchanged' });
  });

  it('refuses to confirm a value someone changed since it was seen', () => {
    const changed = saved(save(prefilled, 1, [{ question: 'coverage', value: { type: 'number', value: 97 } }], 'bruno'));
    const reprefilled: AnswerSet = { ...changed, fields: { ...changed.fields, coverage: { ...changed.fields.coverage!, prefilled: { from: 'x' } } } };
    expect(save(reprefilled, 1, [{ question: 'coverage', confirm: true }], 'ana').kind).toBe('conflict');
  });
});

describe('field keys and the shared stale-save rule', () => {
  it('round-trips paths', () => {
    for (const path of [{ question: 'q' }, { question: 'q', row: '3.2.1' }, { question: 'q', row: 'r', column: 'c' }]) expect(pathOf(fieldKey(path))).toEqual(path);
  });

  it('says which fields are stale, including those a save depends on', () => {
    const current = { revision: 5, fieldRevision: (field: string) => ({ a: 5, b: 2, c: 4 })[field] ?? 0 };
    expect(staleFields(current, 4, ['a', 'b'])).toEqual(['a']);
    expect(staleFields(current, 3, ['b'], ['c'])).toEqual(['c']);
    expect(staleFields(current, 6, ['b'])).toEqual(['b']);
    expect(staleFields(current, 5, ['a', 'b'], ['c'])).toEqual([]);
  });
});
