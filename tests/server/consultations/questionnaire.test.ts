import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { applicableColumns, isAnswered, visibility } from '../../../server/features/consultations/domain/conditions.js';
import { checkQuestionnaire, contentLanguage, isDate, textIn } from '../../../server/features/consultations/domain/questionnaire.js';
import { AnswerSaveSchema, QuestionnaireSchema, type Questionnaire, type TableQuestion } from '../../../server/features/consultations/domain/schemas.js';
import { validationTableQuestion } from '../../../server/features/consultations/domain/validation-round.js';
import { chileAnswers, fichaTecnica, questionOf, t } from './fixtures.js';

const codes = (q: Questionnaire) => checkQuestionnaire(q).map((p) => `${p.code}@${p.path}`);
const mutate = (change: (q: Questionnaire) => void) => {
  const q = fichaTecnica();
  change(q);
  return q;
};
const general = (q: Questionnaire) => q.sections[0]!.questions;

describe('the questionnaire schema', () => {
  it('accepts the ficha técnica with every question type and a data validation table', () => {
    const q = fichaTecnica();
    q.sections.push({ id: 'validation', title: t('Values', 'Valores'), questions: [validationTableQuestion('values')] });
    expect([...Value.Errors(QuestionnaireSchema, q)]).toEqual([]);
    expect(checkQuestionnaire(q)).toEqual([]);
  });

  it('refuses shapes the routes must answer with a 400', () => {
    const bad = (change: (q: any) => void) => {
      const q: any = fichaTecnica();
      change(q);
      return Value.Check(QuestionnaireSchema, q);
    };
    expect(bad(() => {})).toBe(true);
    expect(bad((q) => (q.sections = []))).toBe(false);
    expect(bad((q) => (q.sections[0].questions[0].type = 'essay'))).toBe(false);
    expect(bad((q) => (q.sections[0].questions[0].id = 'has space'))).toBe(false);
    expect(bad((q) => (q.sections[0].questions[0].extra = 1))).toBe(false);
    expect(bad((q) => (q.sections[0].questions[2].decimals = 1.5))).toBe(false);
    expect(bad((q) => (q.sections[0].questions[3].options = []))).toBe(false);
    expect(bad((q) => (q.sections[0].questions[2].condition = { question: 'has_plan', op: 'greater', value: 1 }))).toBe(false);
    expect(bad((q) => (q.sections[1].questions[0].columns[0].type = 'file'))).toBe(false);
    expect(bad((q) => (q.sections[1].questions[1].rows = { kind: 'open', maxRows: 0 }))).toBe(false);
    expect(bad((q) => (q.sections[0].questions[0].label = { en: 'only English' }))).toBe(false);
  });

  it('describes an autosave: changes of every kind, a base revision', () => {
    const save = {
      base: 3,
      changes: [
        { question: 'plan_year', value: { type: 'number', value: 2018 } },
        { question: 'plan_year', value: null },
        { question: 'sources', row: '3.2.1', column: 'latest_value', cell: 7.4 },
        { question: 'surveys', addRow: 'r-1' },
        { question: 'surveys', removeRow: 'r-1' },
        { question: 'coverage', confirm: true },
      ],
    };
    expect([...Value.Errors(AnswerSaveSchema, save)]).toEqual([]);
    expect(Value.Check(AnswerSaveSchema, { ...save, base: -1 })).toBe(false);
    expect(Value.Check(AnswerSaveSchema, { base: 1, changes: [] })).toBe(false);
    expect(Value.Check(AnswerSaveSchema, { base: 1, changes: [{ question: 'x', value: { type: 'number', value: '7' } }] })).toBe(false);
  });
});

describe('checkQuestionnaire', () => {
  it('finds repeated ids across sections and questions', () => {
    expect(codes(mutate((q) => (general(q)[1]!.id = 'institution')))).toContain('duplicate_id@sections[0].questions[1]');
    expect(checkQuestionnaire(mutate((q) => (q.sections[1]!.id = 'coverage')))).toEqual([{ code: 'duplicate_id', path: 'sections[1]', message: 'The id "coverage" is already used at sections[0].questions[6].' }]);
  });

  it('finds repeated options, by id and by label in either language', () => {
    const dupId = mutate((q) => {
      const funding = questionOf(q, 'funding') as Extract<ReturnType<typeof questionOf>, { type: 'multiple_choice' }>;
      funding.options[2]!.id = 'eclac';
    });
    expect(codes(dupId)).toContain('duplicate_option@sections[0].questions[3].options[2]');
    const dupLabel = mutate((q) => {
      const funding = questionOf(q, 'funding') as Extract<ReturnType<typeof questionOf>, { type: 'multiple_choice' }>;
      funding.options[2]!.label = t('Donors', 'cepal');
    });
    expect(codes(dupLabel)).toEqual(['duplicate_option_label@sections[0].questions[3].options[2].label.es']);
  });

  it('wants every text in at least one language, and says where', () => {
    expect(codes(mutate((q) => (general(q)[0]!.label = t('', ''))))).toEqual(['text_missing@sections[0].questions[0].label']);
    expect(codes(mutate((q) => (general(q)[0]!.label = t('', 'Institución'))))).toEqual([]);
    expect(codes(mutate((q) => (q.sections[1]!.title = t(' ', ''))))).toEqual(['text_missing@sections[1].title']);
  });

  it('checks ranges, units, dates and choice limits', () => {
    expect(codes(mutate((q) => Object.assign(questionOf(q, 'plan_year'), { min: 2030, max: 1990 })))).toEqual(['bad_range@sections[0].questions[2]']);
    expect(codes(mutate((q) => Object.assign(questionOf(q, 'coverage'), { unit: 'per cent' })))).toEqual(['bad_unit@sections[0].questions[6].unit']);
    expect(codes(mutate((q) => Object.assign(questionOf(q, 'coverage'), { unit: 'PER_1000_LIVE_BIRTHS' })))).toEqual([]);
    expect(codes(mutate((q) => Object.assign(questionOf(q, 'census_date'), { min: '2026-02-30' })))).toEqual(['bad_date@sections[0].questions[5].min']);
    expect(codes(mutate((q) => Object.assign(questionOf(q, 'census_date'), { min: '2031-01-01' })))).toEqual(['bad_range@sections[0].questions[5]']);
    expect(codes(mutate((q) => Object.assign(questionOf(q, 'funding'), { maxSelected: 5 })))).toEqual(['bad_max_selected@sections[0].questions[3].maxSelected']);
    expect(codes(mutate((q) => Object.assign(questionOf(q, 'funding'), { maxSelected: 4 })))).toEqual([]);
  });

  it('refuses a condition on itself, on a later question or on an unknown one: no cycle can be built', () => {
    expect(codes(mutate((q) => (general(q)[1]!.condition = { question: 'has_plan', op: 'answered' })))).toEqual(['condition_self_reference@sections[0].questions[1].condition']);
    // has_plan ← plan_year and plan_year ← has_plan would be a cycle: the backward half is refused.
    expect(codes(mutate((q) => (general(q)[1]!.condition = { question: 'plan_year', op: 'answered' })))).toEqual(['condition_forward_reference@sections[0].questions[1].condition']);
    expect(codes(mutate((q) => (general(q)[1]!.condition = { question: 'nope', op: 'answered' })))).toEqual(['condition_unknown_question@sections[0].questions[1].condition']);
    // A section's condition must rest on a question before the section, not inside it.
    expect(codes(mutate((q) => (q.sections[1]!.condition = { question: 'sources', op: 'answered' })))).toEqual(['condition_forward_reference@sections[1].condition']);
    expect(codes(mutate((q) => (q.sections[0]!.condition = { question: 'institution', op: 'answered' })))).toEqual(['condition_forward_reference@sections[0].condition']);
  });

  it('refuses conditions that cannot hold for the question they test', () => {
    const on = (condition: any) => codes(mutate((q) => (questionOf(q, 'comments').condition = condition)));
    expect(on({ question: 'institution', op: 'yes_no', value: true })).toEqual(['condition_type_mismatch@sections[0].questions[7].condition']);
    expect(on({ question: 'census_round', op: 'in', values: ['r2030'] })).toEqual(['condition_unknown_option@sections[0].questions[7].condition']);
    expect(on({ question: 'census_round', op: 'equals', value: 'r2020' })).toEqual([]);
    expect(on({ question: 'funding', op: 'equals', value: 'donors' })).toEqual([]);
    expect(on({ question: 'plan_year', op: 'equals', value: '2018' })).toEqual(['condition_type_mismatch@sections[0].questions[7].condition']);
    expect(on({ question: 'plan_year', op: 'equals', value: 2018 })).toEqual([]);
    expect(on({ question: 'institution', op: 'in', values: ['x'] })).toEqual(['condition_type_mismatch@sections[0].questions[7].condition']);
    expect(codes(mutate((q) => (questionOf(q, 'sources').condition = { question: 'plan_document', op: 'answered' })))).toEqual([]);
  });

  it('checks table columns, rows and given values', () => {
    const table = (q: Questionnaire) => questionOf(q, 'sources') as TableQuestion;
    expect(codes(mutate((q) => (table(q).columns[1]!.id = 'produced')))).toContain('duplicate_column@sections[1].questions[0].columns[1]');
    expect(codes(mutate((q) => ((table(q).rows as any).rows[1].id = '3.2.1')))).toEqual(['duplicate_row@sections[1].questions[0].rows.rows[1]']);
    expect(codes(mutate((q) => (table(q).columns[2]!.when = { column: 'notes', op: 'answered' })))).toEqual(['condition_forward_reference@sections[1].questions[0].columns[2].when']);
    expect(codes(mutate((q) => (table(q).columns[2]!.when = { column: 'latest_value', op: 'answered' })))).toEqual(['condition_self_reference@sections[1].questions[0].columns[2].when']);
    expect(codes(mutate((q) => (table(q).columns[2]!.when = { column: 'gone', op: 'answered' })))).toEqual(['condition_unknown_column@sections[1].questions[0].columns[2].when']);
    expect(codes(mutate((q) => (table(q).columns[2]!.when = { column: 'source_type', op: 'in', values: ['census'] })))).toEqual(['condition_unknown_option@sections[1].questions[0].columns[2].when']);
    expect(codes(mutate((q) => (table(q).columns[4]!.readOnly = true)))).toEqual([]);
    expect(codes(mutate((q) => Object.assign(table(q).columns[4]!, { readOnly: true, required: true })))).toEqual(['read_only_required@sections[1].questions[0].columns[4]']);
    expect(codes(mutate((q) => ((questionOf(q, 'surveys') as TableQuestion).columns[1]!.readOnly = true)))).toEqual(['read_only_on_open_rows@sections[1].questions[1].columns[1]']);
    expect(codes(mutate((q) => (questionOf(q, 'surveys') as TableQuestion).columns.forEach((c) => Object.assign(c, { readOnly: true, required: false }))))).toContain('no_writable_column@sections[1].questions[1].columns');
    const given = (value: any, column = 'notes') =>
      codes(
        mutate((q) => {
          table(q).columns[4]!.readOnly = true;
          (table(q).rows as any).rows[0].given = { [column]: value };
        }),
      );
    expect(given('From DEIS')).toEqual([]);
    expect(given(7)).toEqual(['bad_given_value@sections[1].questions[0].rows.rows[0].given.notes']);
    expect(given('x', 'produced')).toEqual(['given_not_read_only@sections[1].questions[0].rows.rows[0].given.produced']);
  });

  it('wants a question somewhere and no empty section', () => {
    expect(codes({ sections: [{ id: 's', title: t('S'), questions: [] }] })).toEqual(['no_questions@sections', 'empty_section@sections[0]']);
  });
});

describe('conditions and visibility', () => {
  const q = fichaTecnica();

  it('shows a question only while the earlier answer holds', () => {
    const answers = chileAnswers();
    expect(visibility(q, answers).questions.has('plan_year')).toBe(true);
    expect(visibility(q, { ...answers, has_plan: { type: 'yes_no', value: false } }).questions.has('plan_year')).toBe(false);
    expect(visibility(q, {}).questions.has('plan_year')).toBe(false);
  });

  it('hides a whole section, and what depends on a hidden question', () => {
    expect(visibility(q, {}).sections.has('operations')).toBe(false);
    expect(visibility(q, {}).questions.has('sources')).toBe(false);
    expect(visibility(q, { has_plan: { type: 'yes_no', value: false } }).questions.has('sources')).toBe(true);
    // census_date depends on census_round; make census_round itself conditional and hidden.
    const chained = fichaTecnica();
    questionOf(chained, 'census_round').condition = { question: 'has_plan', op: 'yes_no', value: true };
    const answers = { ...chileAnswers(), has_plan: { type: 'yes_no', value: false } as const };
    const shown = visibility(chained, answers).questions;
    expect(shown.has('census_round')).toBe(false);
    expect(shown.has('census_date')).toBe(false);
  });

  it('reads "is one of" on single and multiple choices, and "equals" on texts without case', () => {
    const cond = (condition: any, answers: any) => {
      const copy = fichaTecnica();
      questionOf(copy, 'comments').condition = condition;
      return visibility(copy, answers).questions.has('comments');
    };
    expect(cond({ question: 'census_round', op: 'in', values: ['r2020'] }, { census_round: { type: 'single_choice', option: 'r2020', other: null } })).toBe(true);
    expect(cond({ question: 'census_round', op: 'in', values: ['r2020'] }, { census_round: { type: 'single_choice', option: null, other: 'r2020' } })).toBe(false);
    expect(cond({ question: 'funding', op: 'in', values: ['donors', 'eclac'] }, { funding: { type: 'multiple_choice', options: ['eclac'], other: null } })).toBe(true);
    expect(cond({ question: 'funding', op: 'in', values: ['donors', 'eclac'] }, { funding: { type: 'multiple_choice', options: ['national', 'eclac'], other: null } })).toBe(true);
    expect(cond({ question: 'funding', op: 'in', values: ['donors'] }, { funding: { type: 'multiple_choice', options: ['national', 'eclac'], other: null } })).toBe(false);
    expect(cond({ question: 'funding', op: 'equals', value: 'donors' }, { funding: { type: 'multiple_choice', options: ['eclac'], other: null } })).toBe(false);
    expect(cond({ question: 'institution', op: 'equals', value: 'INE' }, { institution: { type: 'short_text', text: ' ine ' } })).toBe(true);
    expect(cond({ question: 'plan_year', op: 'equals', value: 2018 }, { has_plan: { type: 'yes_no', value: true }, plan_year: { type: 'number', value: 2018 } })).toBe(true);
    expect(cond({ question: 'institution', op: 'answered' }, { institution: { type: 'short_text', text: '   ' } })).toBe(false);
  });

  it('counts zero and "no" as answers, blanks and empty lists not', () => {
    expect(isAnswered({ type: 'number', value: 0 })).toBe(true);
    expect(isAnswered({ type: 'yes_no', value: false })).toBe(true);
    expect(isAnswered({ type: 'multiple_choice', options: [], other: ' ' })).toBe(false);
    expect(isAnswered({ type: 'single_choice', option: null, other: 'Censo de derecho' })).toBe(true);
    expect(isAnswered({ type: 'table', rows: [{ id: 'r', cells: { a: '' } }] })).toBe(false);
    expect(isAnswered({ type: 'table', rows: [{ id: 'r', cells: { a: 0 } }] })).toBe(true);
    expect(isAnswered({ type: 'file', documentIds: [] })).toBe(false);
  });

  it('applies a column only when the earlier column of its row says so, including given values', () => {
    const table = questionOf(q, 'sources') as TableQuestion;
    expect([...applicableColumns(table.columns, { produced: true })]).toEqual(['produced', 'source_type', 'latest_value', 'latest_date', 'notes']);
    expect([...applicableColumns(table.columns, { produced: false })]).toEqual(['produced', 'latest_date', 'notes']);
    expect([...applicableColumns(table.columns, {})]).toEqual(['produced', 'latest_date', 'notes']);
    const validation = validationTableQuestion('v');
    expect(applicableColumns(validation.columns, { action: 'correct', year: 2010 }).has('national_value')).toBe(true);
    expect(applicableColumns(validation.columns, { action: 'explain' }).has('national_value')).toBe(false);
    expect(applicableColumns(validation.columns, { action: 'explain' }).has('cause')).toBe(true);
  });
});

describe('languages and dates', () => {
  it('shows Portuguese readers Spanish and French readers English, as the client does', () => {
    expect(['es', 'es-CL', 'pt', 'pt-BR', 'en', 'fr', 'fr-HT', 'de'].map(contentLanguage)).toEqual(['es', 'es', 'es', 'es', 'en', 'en', 'en', 'en']);
  });

  it('falls back to the other language when a text was left empty', () => {
    expect(textIn(t('Plan', ''), 'es')).toBe('Plan');
    expect(textIn(t('Plan', 'Plan nacional'), 'es')).toBe('Plan nacional');
  });

  it('knows real dates', () => {
    expect(['2024-02-29', '2023-02-29', '2026-13-01', '2026-1-1', '2026-04-31'].map(isDate)).toEqual([true, false, false, false, false]);
  });
});
