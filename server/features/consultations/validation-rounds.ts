import type { FastifyInstance } from 'fastify';
import type { CountryWord, CountryWordResult, Observation } from '../discrepancies/public.js';
import { observationKey } from '../discrepancies/public.js';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { SessionUser } from '../../plugins/sessions/index.js';
import type { AnswerMap, Questionnaire, RowDefinition, TableQuestion } from './domain/schemas.js';
import { validationOutcomes, validationRows, type GeneratedRow } from './domain/validation-round.js';
import type { RespondentRef } from './core.js';
import type { ConsultationRow, ConsultationsRepository } from './repository.js';
import type { ValidationRecord } from './tables.js';

/**
 * Data validation rounds over the discrepancy register (fastify.discrepancies): the rows of each
 * country's generated tables, made from the register's international values and kept when the
 * consultation opens, and on submission what the country said of each row, recorded on the
 * matching cases (opened or updated) which link back to the answer (subject `consultation_answer`).
 */

/** The subject a country's answer to a consultation is: `<consultation id>.<respondent>`. */
export const ANSWER_KIND = 'consultation_answer';
export const answerSubjectId = (consultationId: string, respondent: string) => `${consultationId}.${respondent}`;

export type GeneratedTables = Map<string, GeneratedRow[]>;

export function generatedTables(questionnaire: Questionnaire): TableQuestion[] {
  return questionnaire.sections.flatMap((section) => section.questions.filter((question): question is TableQuestion => question.type === 'table' && question.rows.kind === 'generated'));
}

/** The row definitions of a respondent's generated tables, as the domain's answer context takes them. */
export const rowDefinitions = (tables: GeneratedTables | undefined): Record<string, RowDefinition[]> =>
  Object.fromEntries([...(tables ?? new Map<string, GeneratedRow[]>())].map(([question, rows]) => [question, rows.map((row) => row.row)]));

/** One value per key: the Global Database may hold a global (G) and a national (N) figure under one key; the global one is what the round asks about. */
function onePerKey(observations: readonly Observation[]): Observation[] {
  const rank = (o: Observation) => (o.reportingType === 'G' ? 0 : o.reportingType === null ? 1 : 2);
  const kept = new Map<string, Observation>();
  for (const o of observations) {
    const key = observationKey(o);
    const current = kept.get(key);
    if (!current || rank(o) < rank(current)) kept.set(key, o);
  }
  return [...kept.values()];
}

/**
 * Makes the generated tables' rows for these respondents from the register's current international
 * values (one query per table for every country at once). Agencies get no rows: a round asks countries.
 */
export async function makeRows(fastify: FastifyInstance, row: ConsultationRow, respondents: readonly RespondentRef[]): Promise<Map<string, GeneratedTables>> {
  const out = new Map<string, GeneratedTables>();
  const countries = respondents.filter((ref) => ref.kind === 'country');
  for (const table of generatedTables(row.questionnaire)) {
    if (table.rows.kind !== 'generated') continue;
    const selection = { series: table.rows.series ?? [], indicators: table.rows.indicators ?? [], years: table.rows.years ?? [] };
    const values = onePerKey(await fastify.discrepancies.internationalValues(row.groupId, { countries: countries.map((ref) => ref.code), ...selection }));
    for (const ref of countries) {
      const tables = out.get(ref.id) ?? new Map<string, GeneratedRow[]>();
      tables.set(table.id, validationRows(values, { country: ref.code, ...selection }));
      out.set(ref.id, tables);
    }
  }
  return out;
}

export interface RoundRows {
  /** A respondent's generated tables: the kept rows, made (and kept, once the consultation is open) on first need. */
  of(row: ConsultationRow, respondent: string): Promise<GeneratedTables>;
  /** Makes and keeps the rows of every target that has none yet (the consultation was opened, or targets were added). */
  keepForTargets(row: ConsultationRow): Promise<void>;
}

export function roundRows(fastify: FastifyInstance, repository: ConsultationsRepository, respondentRef: (id: string) => Promise<RespondentRef>, now: () => number): RoundRows {
  const keep = async (row: ConsultationRow, made: Map<string, GeneratedTables>) => {
    if (made.size === 0) return;
    await fastify.unitOfWork.run(() => {
      for (const [respondent, tables] of made) for (const [question, rows] of tables) repository.storeGeneratedRows(row.id, respondent, question, rows, now());
    });
  };
  return {
    async of(row, respondent) {
      if (generatedTables(row.questionnaire).length === 0) return new Map();
      const stored = (await repository.generatedRows(row.id, respondent)).get(respondent);
      if (stored && generatedTables(row.questionnaire).every((table) => stored.has(table.id))) return stored;
      const made = await makeRows(fastify, row, [await respondentRef(respondent)]);
      // A draft consultation's rows are a preview: made afresh each time, kept only once it opens.
      if (row.status !== 'draft') {
        await keep(row, made);
        return (await repository.generatedRows(row.id, respondent)).get(respondent) ?? new Map();
      }
      return made.get(respondent) ?? new Map();
    },
    async keepForTargets(row) {
      const tables = generatedTables(row.questionnaire);
      if (tables.length === 0) return;
      const stored = await repository.generatedRows(row.id);
      const missing = row.targets.filter((target) => !tables.every((table) => stored.get(target)?.has(table.id)));
      await keep(row, await makeRows(fastify, row, await Promise.all(missing.map(respondentRef))));
    },
  };
}

/**
 * What a submission says to the register, recorded inside the submission's own write: every
 * correction or explanation opens or updates the matching case, which links back to the answer.
 * Returns a line per answered row of every generated table, for the submission to keep.
 */
export async function recordSubmissionWithin(
  fastify: FastifyInstance,
  commit: PendingCommit,
  input: { row: ConsultationRow; respondent: RespondentRef; user: SessionUser; answers: AnswerMap; tables: GeneratedTables; now: number },
): Promise<ValidationRecord[] | null> {
  const { row, respondent, user, answers, tables } = input;
  if (respondent.kind !== 'country' || tables.size === 0) return null;
  const lines: Array<{ question: string; rowId: string; action: ValidationRecord['action']; word: CountryWord }> = [];
  for (const [question, rows] of tables) {
    for (const outcome of validationOutcomes(answers, question, rows)) {
      const word: CountryWord =
        outcome.action === 'correct'
          ? { international: outcome.international, national: outcome.national }
          : outcome.action === 'explain'
            ? { international: outcome.international, explanation: { cause: outcome.cause, text: outcome.explanation } }
            : { international: outcome.international };
      lines.push({ question, rowId: outcome.rowId, action: outcome.action, word });
    }
  }
  if (lines.length === 0) return [];
  const title = `${row.titleEs || row.titleEn} — ${respondent.name.es || respondent.name.en}`;
  const results: CountryWordResult[] = await fastify.discrepancies.recordCountryWordWithin(commit, {
    groupId: row.groupId,
    countryId: respondent.id,
    iso3: respondent.code,
    actor: { id: user.id, role: user.role, countryId: user.countryId, organizationId: user.organizationId },
    words: lines.map((line) => line.word),
    source: { kind: ANSWER_KIND, id: answerSubjectId(row.id, respondent.id), title },
    now: input.now,
  });
  return lines.map((line, index) => ({ question: line.question, row: line.rowId, action: line.action, outcome: results[index]!.outcome, caseId: results[index]!.caseId }));
}
