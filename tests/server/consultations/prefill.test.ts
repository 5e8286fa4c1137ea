import { describe, expect, it } from 'vitest';
import { TOTAL, type Observation } from '../../../server/features/discrepancies/domain/observations.js';
import { pair } from '../../../server/features/discrepancies/domain/pairing.js';
import { applyAnswerSave, unconfirmedPrefill } from '../../../server/features/consultations/domain/answers.js';
import { prefillFromEarlier } from '../../../server/features/consultations/domain/prefill.js';
import type { AnswerMap, Questionnaire, TableQuestion, TableRowValue } from '../../../server/features/consultations/domain/schemas.js';
import { validationOutcomes, validationRowId, validationRows, validationTableQuestion } from '../../../server/features/consultations/domain/validation-round.js';
import { checkQuestionnaire } from '../../../server/features/consultations/domain/questionnaire.js';
import { submittedAnswers, validateSubmission } from '../../../server/features/consultations/domain/validation.js';
import { chileAnswers, fichaTecnica, questionOf, t } from './fixtures.js';

const NOW = Date.parse('2027-03-01T12:00:00Z');
const earlier = { questionnaire: fichaTecnica(), answers: chileAnswers(), source: 'submission:2026-cl-2' };

describe('pre-fill from the same respondent’s earlier round', () => {
  it('copies every answer of an unchanged questionnaire, each marked pre-filled and not confirmed', () => {
    const report = prefillFromEarlier({ questionnaire: fichaTecnica() }, earlier, NOW);
    expect(report.skipped).toEqual([]);
    expect(report.set.answers).toEqual(chileAnswers());
    expect(report.set.revision).toBe(1);
    expect(report.set.fields.coverage).toEqual({ revision: 1, by: null, at: NOW, prefilled: { from: 'submission:2026-cl-2' } });
    expect(report.set.fields['sources/3.2.1/latest_value']!.prefilled).toEqual({ from: 'submission:2026-cl-2' });
    expect(report.prefilled).toContainEqual({ question: 'surveys', row: 's1', column: 'sample' });
  });

  it('cannot be submitted unread: every pre-filled value must be confirmed or changed', () => {
    const context = { questionnaire: fichaTecnica() };
    const { set } = prefillFromEarlier(context, earlier, NOW);
    const before = validateSubmission(context, set.answers, unconfirmedPrefill(set));
    expect(before.every((p) => p.code === 'prefill_unconfirmed')).toBe(true);
    expect(before).toHaveLength(unconfirmedPrefill(set).length);
    const changes = context.questionnaire.sections.flatMap((s) => s.questions.map((q) => ({ question: q.id, confirm: true as const })));
    const confirmed = applyAnswerSave(context, set, { base: 1, changes }, 'focal-cl', NOW);
    if (confirmed.kind !== 'saved') throw new Error(confirmed.kind);
    expect(unconfirmedPrefill(confirmed.state)).toEqual([]);
    expect(validateSubmission(context, confirmed.state.answers, unconfirmedPrefill(confirmed.state))).toEqual([]);
  });

  it('skips a question whose type changed, a choice whose option is gone, cells of changed columns and rows no longer offered', () => {
    const next: Questionnaire = fichaTecnica();
    const section = next.sections[0]!;
    section.questions[section.questions.findIndex((q) => q.id === 'coverage')] = { id: 'coverage', type: 'short_text', label: t('Coverage'), required: false };
    (questionOf(next, 'census_round') as any).options = [{ id: 'r2030', label: t('2030 round') }];
    questionOf(next, 'census_date').condition = { question: 'census_round', op: 'answered' };
    const sources = questionOf(next, 'sources') as TableQuestion;
    (sources.rows as any).rows = [(sources.rows as any).rows[0]];
    sources.columns[2] = { id: 'latest_value', type: 'text', label: t('Latest value'), required: false };
    (questionOf(next, 'surveys') as any).rows.maxRows = 1;
    expect(checkQuestionnaire(next)).toEqual([]);
    const report = prefillFromEarlier({ questionnaire: next }, earlier, NOW);
    expect(report.skipped).toEqual(
      expect.arrayContaining([
        { path: { question: 'census_round' }, reason: 'no_longer_fits' },
        { path: { question: 'coverage' }, reason: 'type_changed' },
        { path: { question: 'sources', row: '3.2.1', column: 'latest_value' }, reason: 'column_changed' },
        { path: { question: 'sources', row: '4.1.2' }, reason: 'row_not_offered' },
      ]),
    );
    expect(report.skipped).toHaveLength(4);
    expect(report.set.answers.coverage).toBeUndefined();
    expect(report.set.answers.census_round).toBeUndefined();
    expect(report.set.answers.sources).toEqual({ type: 'table', rows: [{ id: '3.2.1', cells: { produced: true, source_type: 'register', latest_date: '2023-12-31' } }] });
    expect(report.set.answers.institution).toEqual(chileAnswers().institution);
  });

  it('copies rows the respondent added up to the new maximum', () => {
    const answers = chileAnswers();
    (answers.surveys as any).rows.push({ id: 's2', cells: { name: 'ENE' } });
    const next = fichaTecnica();
    (questionOf(next, 'surveys') as any).rows.maxRows = 1;
    const report = prefillFromEarlier({ questionnaire: next }, { ...earlier, answers }, NOW);
    expect((report.set.answers.surveys as any).rows.map((r: any) => r.id)).toEqual(['s1']);
    expect(report.skipped).toEqual([{ path: { question: 'surveys', row: 's2' }, reason: 'over_max_rows' }]);
  });

  it('leaves an empty draft at revision 0 when there is nothing to copy', () => {
    expect(prefillFromEarlier({ questionnaire: fichaTecnica() }, { ...earlier, answers: {} }, NOW).set).toEqual({ revision: 0, answers: {}, fields: {} });
  });
});

const international = (over: Partial<Observation>): Observation => ({
  side: 'international',
  series: 'SH_DYN_MORT',
  indicator: '3.2.1',
  country: 'CHL',
  year: 2020,
  timeDetail: null,
  disaggregation: TOTAL,
  value: 7.1,
  qualifier: null,
  lowerBound: null,
  upperBound: null,
  unit: 'PER_1000_LIVE_BIRTHS',
  unitMult: 0,
  nature: 'E',
  reportingType: 'G',
  obsStatus: null,
  sourceType: null,
  source: 'UN IGME 2025',
  footnote: null,
  ...over,
});

describe('a data validation round from the discrepancy register', () => {
  const register = [
    international({}),
    international({ year: 2021, value: 6.9 }),
    international({ year: 2019, value: 7.3 }), // year not chosen
    international({ country: 'MEX', value: 13.2 }),
    international({ disaggregation: { ...TOTAL, sex: 'F' }, value: 6.4 }),
    international({ series: 'SE_TOT_CPLR', indicator: '4.1.2', unit: 'PERCENT', value: 92.5, nature: 'C', disaggregation: { ...TOTAL, location: 'R', other: { educationlevel: 'PRIMAR' } } }),
    international({ series: 'SI_POV_DAY1', indicator: '1.1.1', value: 0.7, unit: 'PERCENT' }), // series not chosen
    { ...international({}), side: 'national' as const, value: 7.4 },
  ];
  const selection = { country: 'CHL', series: ['SH_DYN_MORT'], indicators: ['4.1.2'], years: [2020, 2021] };

  it('makes one row per international value of the country, chosen series or indicators and years', () => {
    const rows = validationRows(register, selection);
    expect(rows.map((r) => [r.observation.series, r.observation.year, r.observation.value])).toEqual([
      ['SE_TOT_CPLR', 2020, 92.5],
      ['SH_DYN_MORT', 2020, 6.4],
      ['SH_DYN_MORT', 2020, 7.1],
      ['SH_DYN_MORT', 2021, 6.9],
    ]);
    expect(rows[2]!.row).toEqual({
      id: validationRowId(register[0]!),
      label: { en: '3.2.1 SH_DYN_MORT — 2020', es: '3.2.1 SH_DYN_MORT — 2020' },
      given: { series: 'SH_DYN_MORT', indicator: '3.2.1', year: 2020, international_value: 7.1, unit: 'PER_1000_LIVE_BIRTHS', nature: 'E', source: 'UN IGME 2025' },
    });
    expect(rows[1]!.row.label).toEqual({ en: '3.2.1 SH_DYN_MORT — 2020 — Female', es: '3.2.1 SH_DYN_MORT — 2020 — Mujeres' });
    expect(rows[0]!.row.label.es).toBe('4.1.2 SE_TOT_CPLR — 2020 — Rural, educationlevel: PRIMAR');
    // Stable: regenerating gives the same ids.
    expect(validationRows(register, selection).map((r) => r.row.id)).toEqual(rows.map((r) => r.row.id));
    expect(new Set(rows.map((r) => r.row.id)).size).toBe(4);
  });

  it('is a valid questionnaire whose rows are validated per country', () => {
    const questionnaire: Questionnaire = { sections: [{ id: 'v', title: t('Values', 'Valores'), questions: [validationTableQuestion('values')] }] };
    expect(checkQuestionnaire(questionnaire)).toEqual([]);
    const rows = validationRows(register, selection);
    const context = { questionnaire, generatedRows: { values: rows.map((r) => r.row) } };
    const [r1, r2, r3, r4] = rows.map((r) => r.row.id);
    const answers: AnswerMap & { values: { type: 'table'; rows: TableRowValue[] } } = {
      values: {
        type: 'table',
        rows: [
          { id: r1!, cells: { action: 'confirm' } },
          { id: r2!, cells: { action: 'correct', national_value: 6.1, national_unit: 'PER_1000_LIVE_BIRTHS', national_source: 'DEIS, Ministerio de Salud' } },
          { id: r3!, cells: { action: 'explain', cause: 'agency_estimate', explanation: 'IGME modela la serie; el INE usa registros.' } },
          { id: r4!, cells: { action: 'correct', national_value: 7.0 } },
        ],
      },
    };
    expect(validateSubmission(context, answers).map((p) => `${p.code}@${p.row === r4 ? 'r4' : p.row}.${p.column}`)).toEqual(['required@r4.national_unit', 'required@r4.national_source']);
    // A row not offered to this country, or a write into a given cell, is refused.
    const save = applyAnswerSave(context, { revision: 0, answers: {}, fields: {} }, { base: 0, changes: [{ question: 'values', row: r1!, column: 'international_value', cell: 1 }] }, 'x', NOW);
    expect(save.kind === 'invalid' && save.problems[0]!.code).toBe('read_only_cell');
    const other = applyAnswerSave(context, { revision: 0, answers: {}, fields: {} }, { base: 0, changes: [{ question: 'values', row: validationRowId(register[3]!), column: 'action', cell: 'confirm' }] }, 'x', NOW);
    expect(other.kind === 'invalid' && other.problems[0]!.code).toBe('unknown_row');
    // An unanswered row is asked all the same; a country with no values is asked nothing.
    expect(validateSubmission(context, { values: { type: 'table', rows: [answers.values.rows[0]!] } }).map((p) => p.code)).toEqual(['required', 'required', 'required']);
    expect(validateSubmission({ questionnaire, generatedRows: { values: [] } }, {})).toEqual([]);
  });

  it('turns a submission into confirmations, corrections to pair and explanations for the register', () => {
    const rows = validationRows(register, selection);
    const [r1, r2, r3] = rows.map((r) => r.row.id);
    const questionnaire: Questionnaire = { sections: [{ id: 'v', title: t('Values'), questions: [validationTableQuestion('values')] }] };
    const context = { questionnaire, generatedRows: { values: rows.map((r) => r.row) } };
    const submitted = submittedAnswers(context, {
      values: {
        type: 'table',
        rows: [
          { id: r1!, cells: { action: 'confirm', national_value: 3 } }, // value not applicable: dropped
          { id: r2!, cells: { action: 'correct', national_value: 6.1, national_unit: 'PER_1000_LIVE_BIRTHS', national_source: ' DEIS ' } },
          { id: r3!, cells: { action: 'explain', cause: 'agency_estimate', explanation: ' IGME modela la serie. ' } },
        ],
      },
    });
    const outcomes = validationOutcomes(submitted, 'values', rows);
    expect(outcomes.map((o) => [o.rowId, o.action])).toEqual([
      [r1, 'confirm'],
      [r2, 'correct'],
      [r3, 'explain'],
    ]);
    const correction = outcomes[1]!;
    if (correction.action !== 'correct') throw new Error();
    expect(correction.national).toMatchObject({ side: 'national', series: 'SH_DYN_MORT', country: 'CHL', year: 2020, value: 6.1, unit: 'PER_1000_LIVE_BIRTHS', source: 'DEIS', nature: null, disaggregation: { sex: 'F' } });
    // The correction pairs with the international value it answers: a case candidate for the register.
    const paired = pair([correction.national], [correction.international], { tolerance: () => ({ kind: 'relative', value: 0.02 }) });
    expect(paired.candidates).toHaveLength(1);
    expect(paired.candidates[0]!.difference.absolute).toBeCloseTo(0.3, 10);
    expect(outcomes[2]).toMatchObject({ action: 'explain', cause: 'agency_estimate', explanation: 'IGME modela la serie.' });
  });
});
