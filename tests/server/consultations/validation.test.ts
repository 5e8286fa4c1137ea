import { describe, expect, it } from 'vitest';
import type { AnswerMap } from '../../../server/features/consultations/domain/schemas.js';
import { decimalsOf, submittedAnswers, validateSubmission, type AnswerContext } from '../../../server/features/consultations/domain/validation.js';
import { chileAnswers, fichaTecnica } from './fixtures.js';

const context: AnswerContext = { questionnaire: fichaTecnica() };
const problems = (answers: AnswerMap, unconfirmed: Array<{ path: any }> = []) => validateSubmission(context, answers, unconfirmed).map((p) => `${p.code}@${p.field}`);
const with_ = (change: (a: any) => void) => {
  const answers: any = chileAnswers();
  change(answers);
  return answers as AnswerMap;
};

describe('validation on submission', () => {
  it('accepts a complete answer', () => {
    expect(problems(chileAnswers())).toEqual([]);
  });

  it('lists every required visible question left empty, with its path', () => {
    expect(problems({})).toEqual(['required@answers.institution', 'required@answers.has_plan', 'required@answers.census_round']);
    expect(problems(with_((a) => (a.institution = { type: 'short_text', text: '  ' })))).toEqual(['required@answers.institution']);
  });

  it('does not require, check or submit hidden questions; their answers stay in the draft', () => {
    const answers = with_((a) => {
      a.has_plan = { type: 'yes_no', value: false };
      a.plan_year = { type: 'number', value: 1200 }; // out of range, but hidden
    });
    expect(problems(answers)).toEqual([]);
    expect(submittedAnswers(context, answers).plan_year).toBeUndefined();
    expect(answers.plan_year).toEqual({ type: 'number', value: 1200 });
    const shown = with_((a) => (a.plan_year = { type: 'number', value: 1200 }));
    expect(problems(shown)).toEqual(['below_min@answers.plan_year']);
    const missing = with_((a) => delete a.plan_year);
    expect(problems(missing)).toEqual(['required@answers.plan_year']);
  });

  it('checks numbers: range, decimals', () => {
    expect(problems(with_((a) => (a.coverage = { type: 'number', value: 100.5 })))).toEqual(['above_max@answers.coverage']);
    expect(problems(with_((a) => (a.coverage = { type: 'number', value: 99.45 })))).toEqual(['too_many_decimals@answers.coverage']);
    expect(problems(with_((a) => (a.coverage = { type: 'number', value: 0 })))).toEqual([]);
    expect(problems(with_((a) => (a.plan_year = { type: 'number', value: 2018.5 })))).toEqual(['too_many_decimals@answers.plan_year']);
    expect([0.1, 1.25, 100, 1e-7, 2.5e-3, 1e21, -0.75].map(decimalsOf)).toEqual([1, 2, 0, 7, 4, 0, 2]);
  });

  it('checks choices: known options, "other" only where offered, not both, at most maxSelected', () => {
    expect(problems(with_((a) => (a.census_round = { type: 'single_choice', option: 'r2020', other: 'Censo 2024' })))).toEqual(['option_and_other@answers.census_round']);
    expect(problems(with_((a) => (a.census_round = { type: 'single_choice', option: null, other: 'Censo experimental 2024' })))).toEqual([]);
    expect(problems(with_((a) => (a.census_round = { type: 'single_choice', option: null, other: ' ' })))).toEqual(['required@answers.census_round']);
    expect(problems(with_((a) => (a.funding = { type: 'multiple_choice', options: ['eclac', 'donors', 'national'], other: 'BID' })))).toEqual(['too_many_selected@answers.funding']);
    expect(problems(with_((a) => (a.funding = { type: 'multiple_choice', options: ['eclac', 'eclac'], other: null })))).toEqual(['duplicate_choice@answers.funding']);
    expect(problems(with_((a) => (a.funding = { type: 'multiple_choice', options: ['imf'], other: null })))).toEqual(['unknown_option@answers.funding']);
  });

  it('checks dates and files', () => {
    expect(problems(with_((a) => (a.census_date = { type: 'date', value: '1999-12-31' })))).toEqual(['date_before_min@answers.census_date']);
    expect(problems(with_((a) => (a.census_date = { type: 'date', value: '2031-01-01' })))).toEqual(['date_after_max@answers.census_date']);
    expect(problems(with_((a) => (a.plan_document = { type: 'file', documentIds: ['d1', 'd2', 'd3'] })))).toEqual(['too_many_files@answers.plan_document']);
    expect(problems(with_((a) => (a.plan_document = { type: 'file', documentIds: ['d1', 'd1'] })))).toEqual(['duplicate_file@answers.plan_document']);
  });

  it('refuses an answer of another type than its question', () => {
    expect(problems(with_((a) => (a.coverage = { type: 'short_text', text: '99,5' })))).toEqual(['wrong_type@answers.coverage']);
  });

  it('checks table cells by row and column: required where the column applies, typed, in range', () => {
    const cell = (row: number, cells: object) => with_((a) => Object.assign(a.sources.rows[row].cells, cells));
    expect(problems(cell(0, { source_type: null }))).toEqual(['required@answers.sources.3.2.1.source_type']);
    // Not produced: source type does not apply, so it is neither required nor submitted.
    expect(problems(cell(1, { source_type: null }))).toEqual([]);
    expect(problems(cell(0, { latest_value: 1000.125 }))).toEqual(['above_max@answers.sources.3.2.1.latest_value', 'too_many_decimals@answers.sources.3.2.1.latest_value']);
    expect(problems(cell(0, { latest_value: '7,4' }))).toEqual(['wrong_type@answers.sources.3.2.1.latest_value']);
    expect(problems(cell(0, { latest_date: '2023-02-29' }))).toEqual(['bad_date@answers.sources.3.2.1.latest_date']);
    expect(problems(cell(0, { notes: 'x'.repeat(301) }))).toEqual(['too_long@answers.sources.3.2.1.notes']);
    expect(problems(cell(0, { unknown: 1 }))).toEqual(['unknown_column@answers.sources.3.2.1.unknown']);
    // A fixed row nobody answered is asked all the same.
    const oneRow = with_((a) => a.sources.rows.pop());
    expect(problems(oneRow)).toEqual(['required@answers.sources.4.1.2.produced']);
    const strayRow = with_((a) => a.sources.rows.push({ id: '1.1.1', cells: { produced: true } }));
    expect(problems(strayRow)).toEqual(['unknown_row@answers.sources.1.1.1']);
  });

  it('requires a required table, and ignores rows the respondent added and left empty', () => {
    expect(problems(with_((a) => delete a.sources))).toContain('required@answers.sources');
    const emptyRow = with_((a) => a.surveys.rows.push({ id: 's2', cells: { name: '' } }));
    expect(problems(emptyRow)).toEqual([]);
    expect((submittedAnswers(context, emptyRow).surveys as any).rows.map((r: any) => r.id)).toEqual(['s1']);
    const noName = with_((a) => a.surveys.rows.push({ id: 's2', cells: { sample: 1200 } }));
    expect(problems(noName)).toEqual(['required@answers.surveys.s2.name']);
    const tooMany = with_((a) => a.surveys.rows.push({ id: 's2', cells: { name: 'a' } }, { id: 's3', cells: { name: 'b' } }, { id: 's4', cells: { name: 'c' } }));
    expect(problems(tooMany)).toEqual(['too_many_rows@answers.surveys']);
  });

  it('refuses values still as pre-filled, unless the question is hidden or no longer answered', () => {
    expect(problems(chileAnswers(), [{ path: { question: 'coverage' } }])).toEqual(['prefill_unconfirmed@answers.coverage']);
    expect(problems(chileAnswers(), [{ path: { question: 'sources', row: '3.2.1', column: 'latest_value' } }])).toEqual(['prefill_unconfirmed@answers.sources.3.2.1.latest_value']);
    const hidden = with_((a) => (a.has_plan = { type: 'yes_no', value: false }));
    expect(problems(hidden, [{ path: { question: 'plan_year' } }])).toEqual([]);
    // Not produced: a pre-filled source type no longer applies, so it is not submitted and needs no confirmation.
    const notApplicable = with_((a) => Object.assign(a.sources.rows[1].cells, { source_type: 'survey' }));
    expect(problems(notApplicable, [{ path: { question: 'sources', row: '4.1.2', column: 'source_type' } }])).toEqual([]);
  });

  it('gives each problem a field, a code, a message and the question, row and column', () => {
    const [problem] = validateSubmission(context, with_((a) => (a.sources.rows[0].cells.latest_value = -1)));
    expect(problem).toEqual({ field: 'answers.sources.3.2.1.latest_value', code: 'below_min', message: 'The smallest value allowed is 0.', question: 'sources', row: '3.2.1', column: 'latest_value' });
  });
});

describe('what a submission keeps', () => {
  it('keeps visible answers, applicable cells, rows in the table’s order', () => {
    const answers = with_((a) => {
      a.sources.rows.reverse();
      a.sources.rows[0].cells.source_type = 'survey'; // 4.1.2, not produced: dropped
    });
    const kept = submittedAnswers(context, answers);
    expect(kept.sources).toEqual({
      type: 'table',
      rows: [
        { id: '3.2.1', cells: { produced: true, source_type: 'register', latest_value: 7.4, latest_date: '2023-12-31' } },
        { id: '4.1.2', cells: { produced: false, notes: 'Sin datos desde 2017' } },
      ],
    });
    expect(Object.keys(kept)).toEqual(['institution', 'has_plan', 'plan_year', 'funding', 'census_round', 'census_date', 'coverage', 'comments', 'sources', 'surveys']);
  });

  it('leaves out answers to questions the questionnaire no longer has and blank answers', () => {
    const kept = submittedAnswers(context, { ...chileAnswers(), old_question: { type: 'number', value: 1 }, comments: { type: 'long_text', text: '' } });
    expect(kept.old_question).toBeUndefined();
    expect(kept.comments).toBeUndefined();
  });
});
