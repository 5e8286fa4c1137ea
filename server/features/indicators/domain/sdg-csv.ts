import { ImportFileError, collect, csvRecords, headerKey, type RowError, type RowOutcome, type TextInput } from '../../../shared/row-import.js';
import { compareCodes, type Bilingual, type Framework, type Goal, type Indicator, type Target } from './model.js';

/**
 * An SDG indicator list (or any list shaped like it) from CSV: one row per indicator, with its goal
 * and target, bilingual title, tier, custodian agencies and series codes. Goal and target titles
 * are optional columns, repeated on each row; two rows must not give one goal or target different
 * titles. Headers in English or Spanish, comma- or semicolon-separated, columns in any order.
 */

interface ListColumn {
  key: string;
  required: boolean;
  description: Bilingual;
  aliases: string[];
}

const col = (key: string, required: boolean, en: string, es: string, aliases: string[] = []): ListColumn => ({ key, required, description: { en, es }, aliases });

export const SDG_LIST_COLUMNS: readonly ListColumn[] = [
  col('goal', true, 'Goal number, e.g. 3.', 'Número del objetivo, por ejemplo 3.', ['objetivo']),
  col('goal_title_en', false, 'Title of the goal in English.', 'Título del objetivo en inglés.', ['titulo_objetivo_en']),
  col('goal_title_es', false, 'Title of the goal in Spanish.', 'Título del objetivo en español.', ['titulo_objetivo_es']),
  col('target', true, 'Target code, e.g. 3.2 or 3.b.', 'Código de la meta, por ejemplo 3.2 o 3.b.', ['meta']),
  col('target_title_en', false, 'Text of the target in English.', 'Texto de la meta en inglés.', ['titulo_meta_en']),
  col('target_title_es', false, 'Text of the target in Spanish.', 'Texto de la meta en español.', ['titulo_meta_es']),
  col('code', true, 'Indicator code, e.g. 3.2.1.', 'Código del indicador, por ejemplo 3.2.1.', ['codigo', 'indicator', 'indicador']),
  col('title_en', true, 'Title of the indicator in English.', 'Título del indicador en inglés.', ['titulo_en']),
  col('title_es', true, 'Title of the indicator in Spanish.', 'Título del indicador en español.', ['titulo_es']),
  col('tier', false, 'Tier: I, II, III or a combination such as I/II.', 'Nivel: I, II, III o una combinación como I/II.', ['nivel']),
  col('custodians', false, 'Custodian agencies, separated by semicolons.', 'Organismos custodios, separados por punto y coma.', ['custodian_agencies', 'custodios', 'organismos_custodios']),
  col('series_codes', false, 'Series codes of the SDG Global Database, separated by semicolons.', 'Códigos de las series de la Base de Datos Mundial de los ODS, separados por punto y coma.', ['series', 'codigos_series']),
  col('unit', false, 'Unit code, e.g. PERCENT or PER_1000_LIVE_BIRTHS.', 'Código de la unidad, por ejemplo PERCENT o PER_1000_LIVE_BIRTHS.', ['unidad']),
];

const KEY_OF = new Map<string, string>();
for (const c of SDG_LIST_COLUMNS) for (const name of [c.key, ...c.aliases]) KEY_OF.set(headerKey(name), c.key);

const GOAL = /^\d{1,2}$/;
const TARGET = /^\d{1,2}\.[0-9a-z]{1,2}$/;
const CODE = /^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}$/;
const TIER = /^(I|II|III)(\/(I|II|III))*$/;
const SERIES = /^[A-Z][A-Z0-9_]{1,59}$/;
const UNIT = /^[A-Z][A-Z0-9_]{0,59}$/;

export interface FrameworkMeta {
  id: string;
  family: string;
  version: string;
  title: Bilingual;
  effectiveDate: string | null;
}

interface ListRow {
  goal: string;
  target: string;
  indicator: Indicator;
}

export interface SdgListResult {
  ok: boolean;
  framework: Framework | null;
  rows: number;
  errors: RowError[];
  errorCount: number;
  errorsTruncated: boolean;
}

async function* readRows(input: TextInput, goals: Map<string, Goal>, targets: Map<string, Target>): AsyncGenerator<RowOutcome<ListRow>> {
  let at: Map<string, number> | null = null;
  const seen = new Map<string, number>();
  for await (const { row, cells } of csvRecords(input)) {
    if (!at) {
      const columns = new Map<string, number>();
      cells.forEach((name, index) => {
        const key = KEY_OF.get(headerKey(name));
        if (key && !columns.has(key)) columns.set(key, index);
      });
      at = columns;
      const missing = SDG_LIST_COLUMNS.filter((c) => c.required && !columns.has(c.key)).map((c) => c.key);
      if (missing.length > 0) throw new ImportFileError('missing_columns', `The list lacks these columns: ${missing.join(', ')}.`, 1, missing);
      continue;
    }
    const cell = (key: string) => (cells[at!.get(key) ?? -1] ?? '').trim();
    const errors: RowError[] = [];
    const refuse = (code: string, column: string, message: string) => errors.push({ row, code, column, value: cell(column), message });
    const goal = cell('goal');
    const target = cell('target').toLowerCase();
    const code = cell('code').toLowerCase();
    if (!GOAL.test(goal)) refuse('bad_goal', 'goal', `"${goal}" is not a goal number.`);
    if (!TARGET.test(target)) refuse('bad_target', 'target', `"${target}" is not a target code (3.2, 3.b).`);
    else if (GOAL.test(goal) && !target.startsWith(`${goal}.`)) refuse('target_outside_goal', 'target', `Target ${target} is not under goal ${goal}.`);
    if (!CODE.test(code)) refuse('bad_indicator_code', 'code', `"${code}" is not an indicator code (3.2.1).`);
    else if (TARGET.test(target) && !code.startsWith(`${target}.`)) refuse('code_outside_target', 'code', `Indicator ${code} is not under target ${target}.`);
    else if (seen.has(code)) refuse('duplicate_indicator', 'code', `Indicator ${code} is already on row ${seen.get(code)}.`);
    for (const lang of ['en', 'es'] as const) if (!cell(`title_${lang}`)) refuse('title_missing', `title_${lang}`, `The ${lang === 'en' ? 'English' : 'Spanish'} title is empty.`);
    const tierText = cell('tier').replace(/^tier\s*/i, '').toUpperCase().replace(/\s+/g, '');
    if (tierText && !TIER.test(tierText)) refuse('bad_tier', 'tier', `"${cell('tier')}" is not a tier (I, II, III, I/II).`);
    const seriesCodes = cell('series_codes').split(/[;,|]/).map((s) => s.trim()).filter(Boolean);
    const badSeries = seriesCodes.filter((s) => !SERIES.test(s));
    if (badSeries.length > 0) refuse('bad_series', 'series_codes', `Not series codes: ${badSeries.join(', ')}.`);
    const unit = cell('unit');
    if (unit && !UNIT.test(unit)) refuse('bad_unit', 'unit', `"${unit}" is not a unit code.`);
    const titled = (en: string, es: string): Bilingual | null => (cell(en) || cell(es) ? { en: cell(en), es: cell(es) } : null);
    const goalTitle = titled('goal_title_en', 'goal_title_es');
    const targetTitle = titled('target_title_en', 'target_title_es');
    const knownGoal = goals.get(goal);
    const knownTarget = targets.get(target);
    if (goalTitle && knownGoal?.title && JSON.stringify(knownGoal.title) !== JSON.stringify(goalTitle)) refuse('inconsistent_title', 'goal_title_en', `Goal ${goal} has another title on an earlier row.`);
    if (targetTitle && knownTarget?.title && JSON.stringify(knownTarget.title) !== JSON.stringify(targetTitle)) refuse('inconsistent_title', 'target_title_en', `Target ${target} has another title on an earlier row.`);
    if (errors.length > 0) {
      yield { row, errors };
      continue;
    }
    seen.set(code, row);
    if (!knownGoal?.title) goals.set(goal, { code: goal, title: goalTitle });
    if (!knownTarget?.title) targets.set(target, { code: target, goal, title: targetTitle });
    yield {
      row,
      value: {
        goal,
        target,
        indicator: {
          code,
          goal,
          targets: [target],
          title: { en: cell('title_en'), es: cell('title_es') },
          tier: tierText || null,
          custodians: cell('custodians').split(/[;|]/).map((s) => s.trim()).filter(Boolean),
          unit: unit || null,
          seriesCodes,
        },
      },
    };
  }
}

/** The framework described by the list, or nothing and every refused row. */
export async function importSdgList(input: TextInput, meta: FrameworkMeta, options: { maxErrors?: number } = {}): Promise<SdgListResult> {
  const goals = new Map<string, Goal>();
  const targets = new Map<string, Target>();
  const report = await collect(readRows(input, goals, targets), options);
  const { ok, rows, errors, errorCount, errorsTruncated } = report;
  if (!ok) return { ok, framework: null, rows, errors, errorCount, errorsTruncated };
  const framework: Framework = {
    ...meta,
    goals: [...goals.values()].sort((a, b) => compareCodes(a.code, b.code)),
    targets: [...targets.values()].sort((a, b) => compareCodes(a.code, b.code)),
    indicators: report.accepted.map((r) => r.indicator).sort((a, b) => compareCodes(a.code, b.code)),
  };
  return { ok, framework, rows, errors, errorCount, errorsTruncated };
}
