import type { AnswerSet } from '../../../server/features/consultations/domain/answers.js';
import type { Consultation, RespondentState } from '../../../server/features/consultations/domain/lifecycle.js';
import { newRespondent } from '../../../server/features/consultations/domain/lifecycle.js';
import type { AnswerMap, Question, Questionnaire } from '../../../server/features/consultations/domain/schemas.js';

/** A ficha técnica as the secretariat would build it: every question type, a table per indicator, conditions. */
export const t = (en: string, es: string = en) => ({ en, es });

export function fichaTecnica(): Questionnaire {
  return {
    sections: [
      {
        id: 'general',
        title: t('General information', 'Información general'),
        questions: [
          { id: 'institution', type: 'short_text', label: t('Institution answering', 'Institución que responde'), required: true },
          { id: 'has_plan', type: 'yes_no', label: t('Does the country have a national statistical plan?', '¿Tiene el país un plan estadístico nacional?'), required: true },
          { id: 'plan_year', type: 'number', label: t('Year the plan was adopted', 'Año de adopción del plan'), required: true, min: 1990, max: 2030, decimals: 0, condition: { question: 'has_plan', op: 'yes_no', value: true } },
          {
            id: 'funding',
            type: 'multiple_choice',
            label: t('How are the group’s meetings funded?', '¿Cómo se financian las reuniones del grupo?'),
            required: false,
            other: true,
            maxSelected: 3,
            options: [
              { id: 'national', label: t('National budget', 'Presupuesto nacional') },
              { id: 'eclac', label: t('ECLAC', 'CEPAL') },
              { id: 'donors', label: t('Donors', 'Donantes') },
            ],
          },
          {
            id: 'census_round',
            type: 'single_choice',
            label: t('Latest census round', 'Última ronda censal'),
            required: true,
            other: true,
            options: [
              { id: 'r2010', label: t('2010 round', 'Ronda 2010') },
              { id: 'r2020', label: t('2020 round', 'Ronda 2020') },
            ],
          },
          { id: 'census_date', type: 'date', label: t('Census reference date', 'Fecha de referencia del censo'), required: false, min: '2000-01-01', max: '2030-12-31', condition: { question: 'census_round', op: 'in', values: ['r2010', 'r2020'] } },
          { id: 'coverage', type: 'number', label: t('Birth registration coverage', 'Cobertura del registro de nacimientos'), required: false, unit: 'PERCENT', min: 0, max: 100, decimals: 1 },
          { id: 'comments', type: 'long_text', label: t('Comments', 'Comentarios'), required: false, maxLength: 2000 },
          { id: 'plan_document', type: 'file', label: t('The plan (document)', 'El plan (documento)'), required: false, maxFiles: 2 },
        ],
      },
      {
        id: 'operations',
        title: t('Statistical operations', 'Operaciones estadísticas'),
        condition: { question: 'has_plan', op: 'answered' },
        questions: [
          {
            id: 'sources',
            type: 'table',
            label: t('Source of each indicator', 'Fuente de cada indicador'),
            required: true,
            rows: {
              kind: 'fixed',
              source: 'indicators',
              rows: [
                { id: '3.2.1', label: t('3.2.1 Under-five mortality rate', '3.2.1 Tasa de mortalidad de menores de 5 años') },
                { id: '4.1.2', label: t('4.1.2 Completion rate', '4.1.2 Tasa de finalización') },
              ],
            },
            columns: [
              { id: 'produced', type: 'yes_no', label: t('Produced', 'Se produce'), required: true },
              {
                id: 'source_type',
                type: 'choice',
                label: t('Source type', 'Tipo de fuente'),
                required: true,
                when: { column: 'produced', op: 'yes_no', value: true },
                options: [
                  { id: 'survey', label: t('Survey', 'Encuesta') },
                  { id: 'register', label: t('Register', 'Registro') },
                ],
              },
              { id: 'latest_value', type: 'number', label: t('Latest value', 'Último valor'), required: false, min: 0, max: 1000, decimals: 2, when: { column: 'produced', op: 'yes_no', value: true } },
              { id: 'latest_date', type: 'date', label: t('Date of latest value', 'Fecha del último valor'), required: false },
              { id: 'notes', type: 'text', label: t('Notes', 'Notas'), required: false, maxLength: 300 },
            ],
          },
          {
            id: 'surveys',
            type: 'table',
            label: t('Household surveys', 'Encuestas de hogares'),
            required: false,
            rows: { kind: 'open', maxRows: 3 },
            columns: [
              { id: 'name', type: 'text', label: t('Name', 'Nombre'), required: true },
              { id: 'sample', type: 'number', label: t('Sample size', 'Tamaño de la muestra'), required: false, unit: 'NUMBER', min: 1, decimals: 0 },
            ],
          },
        ],
      },
    ],
  };
}

export const questionOf = (questionnaire: Questionnaire, id: string): Question => {
  for (const section of questionnaire.sections) for (const question of section.questions) if (question.id === id) return question;
  throw new Error(`no question ${id}`);
};

/** A complete, valid answer to the ficha técnica. */
export function chileAnswers(): AnswerMap {
  return {
    institution: { type: 'short_text', text: 'Instituto Nacional de Estadísticas' },
    has_plan: { type: 'yes_no', value: true },
    plan_year: { type: 'number', value: 2018 },
    funding: { type: 'multiple_choice', options: ['eclac', 'national'], other: 'Cooperación española' },
    census_round: { type: 'single_choice', option: 'r2020', other: null },
    census_date: { type: 'date', value: '2024-03-09' },
    coverage: { type: 'number', value: 99.5 },
    comments: { type: 'long_text', text: 'Año de referencia: 2024; información según la DEIS.' },
    sources: {
      type: 'table',
      rows: [
        { id: '3.2.1', cells: { produced: true, source_type: 'register', latest_value: 7.4, latest_date: '2023-12-31' } },
        { id: '4.1.2', cells: { produced: false, notes: 'Sin datos desde 2017' } },
      ],
    },
    surveys: { type: 'table', rows: [{ id: 's1', cells: { name: 'Encuesta CASEN', sample: 72056 } }] },
  };
}

export const setOf = (answers: AnswerMap, revision = 1): AnswerSet => ({ revision, answers, fields: {} });

export const HOUR = 60 * 60_000;
export const DAY = 24 * HOUR;

/** Open since 1 March 2026, deadline 30 April 2026 23:59 in Santiago (UTC-4 by then: 03:59Z on 1 May). */
export function consultation(over: Partial<Consultation> = {}): Consultation {
  return {
    status: 'open',
    deadline: { date: '2026-04-30', time: '23:59', zone: 'America/Santiago' },
    openedAt: Date.parse('2026-03-01T12:00:00Z'),
    closedAt: null,
    targets: ['cl', 'mx', 'br', 'tt'],
    ...over,
  };
}
export const DEADLINE = Date.parse('2026-05-01T03:59:00Z');

export const respondent = (id: string, over: Partial<RespondentState> = {}): RespondentState => ({ ...newRespondent(id), ...over });
