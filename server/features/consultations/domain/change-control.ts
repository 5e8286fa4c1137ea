import { isAnswered, visibility } from './conditions.js';
import { indexQuestionnaire } from './questionnaire.js';
import type { AnswerMap, Question, Questionnaire, RowDefinition } from './schemas.js';
import { checkAnswer, type Mode } from './validation.js';

/**
 * Changing a questionnaire once respondents have answered. A proposed version is compared with the
 * current one, and against every respondent's answers (submissions and drafts):
 *
 * - **harmless** when every answer stays as valid as it was: texts reworded, an option or an optional
 *   question added, a range widened, a question moved, or anything changed that nobody has answered;
 * - **invalidating** when some answer would be lost or turn invalid: a question, option, row or
 *   column removed that holds answers, a type changed on an answered question, a range tightened
 *   that answers fall outside, a unit changed under given figures, a condition hiding answers, or a
 *   newly required question or cell a submission leaves empty.
 *
 * Decision (docs/consultations-domain.md): an invalidating change is **refused**, with the list of
 * what it would invalidate and for whom; a harmless one is applied in place. Answers therefore
 * always read against the questionnaire they were given; a change that cannot be made harmless
 * (say, a question replaced) is made as a new round, pre-filled from this one. Drafts count only for
 * what would be lost (a removed option, a changed type), not for what they have yet to complete.
 */

export interface AnswerHolder {
  respondent: string;
  answers: AnswerMap;
  /** A submission is checked in full; a draft only for what would be lost. */
  submitted: boolean;
  generatedRows?: Readonly<Record<string, readonly RowDefinition[]>>;
}

export interface DefinitionChange {
  code: string;
  /** The section or question it is about (and option, row or column). */
  section?: string;
  question?: string;
  part?: string;
}

export interface Invalidation {
  code: string;
  respondent: string;
  question: string;
  row?: string;
  column?: string;
  message: string;
}

export interface ChangeReport {
  kind: 'identical' | 'harmless' | 'invalidating';
  changes: DefinitionChange[];
  invalidated: Invalidation[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const TEXT_KEYS = new Set(['label', 'help', 'title', 'intro']);
/** A definition without its texts, to tell a rewording from a change of meaning. */
const withoutTexts = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutTexts);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([key]) => !TEXT_KEYS.has(key)).map(([key, inner]) => [key, withoutTexts(inner)]));
  return value;
};
const textsOf = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(textsOf);
  if (value && typeof value === 'object') return Object.entries(value).map(([key, inner]) => (TEXT_KEYS.has(key) ? inner : textsOf(inner)));
  return null;
};

/** A question's settings beyond its texts, requirement, condition, options, columns and rows: unit, range, lengths... */
function settingsOf(question: Question): unknown {
  const { condition: _condition, required: _required, options: _options, columns: _columns, rows: _rows, ...rest } = withoutTexts(question) as Record<string, unknown>;
  return rest;
}

function partsDiff(code: string, question: string, before: ReadonlyArray<{ id: string }>, after: ReadonlyArray<{ id: string }>, out: DefinitionChange[]) {
  const ids = new Set(after.map((item) => item.id));
  const old = new Set(before.map((item) => item.id));
  for (const item of before) if (!ids.has(item.id)) out.push({ code: `${code}_removed`, question, part: item.id });
  for (const item of after) if (!old.has(item.id)) out.push({ code: `${code}_added`, question, part: item.id });
}

/** What changed in the definition, for people to read (the effect on answers is in `invalidated`). */
export function definitionChanges(current: Questionnaire, proposed: Questionnaire): DefinitionChange[] {
  const out: DefinitionChange[] = [];
  const sectionsBefore = new Map(current.sections.map((section) => [section.id, section]));
  const sectionsAfter = new Set(proposed.sections.map((section) => section.id));
  for (const section of current.sections) if (!sectionsAfter.has(section.id)) out.push({ code: 'section_removed', section: section.id });
  for (const section of proposed.sections) {
    const old = sectionsBefore.get(section.id);
    if (!old) out.push({ code: 'section_added', section: section.id });
    else {
      if (!same(old.title, section.title) || !same(old.intro, section.intro)) out.push({ code: 'text_changed', section: section.id });
      if (!same(old.condition, section.condition)) out.push({ code: 'condition_changed', section: section.id });
    }
  }
  const before = indexQuestionnaire(current).byId;
  const after = indexQuestionnaire(proposed);
  for (const [id] of before) if (!after.byId.has(id)) out.push({ code: 'question_removed', question: id });
  const orderBefore = indexQuestionnaire(current).ordered.map((entry) => entry.question.id).filter((id) => after.byId.has(id));
  const orderAfter = after.ordered.map((entry) => entry.question.id).filter((id) => before.has(id));
  for (const { question, section } of after.ordered) {
    const old = before.get(question.id);
    if (!old) {
      out.push({ code: question.required ? 'required_question_added' : 'question_added', question: question.id });
      continue;
    }
    const was = old.question;
    if (was.type !== question.type) {
      out.push({ code: 'type_changed', question: question.id });
      continue;
    }
    if (!same(textsOf(was), textsOf(question))) out.push({ code: 'text_changed', question: question.id });
    if (old.section.id !== section.id || orderBefore.indexOf(question.id) !== orderAfter.indexOf(question.id)) out.push({ code: 'question_moved', question: question.id });
    if (was.required !== question.required) out.push({ code: question.required ? 'made_required' : 'made_optional', question: question.id });
    if (!same(was.condition, question.condition)) out.push({ code: 'condition_changed', question: question.id });
    if ('options' in was && 'options' in question) partsDiff('option', question.id, was.options, question.options, out);
    if (was.type === 'table' && question.type === 'table') {
      partsDiff('column', question.id, was.columns, question.columns, out);
      for (const column of question.columns) {
        const old = was.columns.find((candidate) => candidate.id === column.id);
        if (old && !same(withoutTexts(old), withoutTexts(column))) out.push({ code: 'column_changed', question: question.id, part: column.id });
      }
      if (was.rows.kind === 'fixed' && question.rows.kind === 'fixed') {
        partsDiff('row', question.id, was.rows.rows, question.rows.rows, out);
        for (const row of question.rows.rows) {
          const old = was.rows.rows.find((candidate) => candidate.id === row.id);
          if (old && !same(old.given ?? {}, row.given ?? {})) out.push({ code: 'row_changed', question: question.id, part: row.id });
        }
      } else if (!same(was.rows, question.rows)) out.push({ code: 'rows_changed', question: question.id });
    }
    if (!same(settingsOf(was), settingsOf(question))) out.push({ code: 'settings_changed', question: question.id });
  }
  return out;
}

const problemKey = (p: { code: string; row?: string; column?: string }) => `${p.code}|${p.row ?? ''}|${p.column ?? ''}`;

function newProblems(was: Question, now: Question, holder: AnswerHolder, current: Questionnaire, proposed: Questionnaire): Invalidation[] {
  const value = holder.answers[now.id];
  if (!value || !isAnswered(value)) return [];
  const mode: Mode = holder.submitted ? 'submit' : 'save';
  const before = new Set(checkAnswer(was, value, mode, { questionnaire: current, generatedRows: holder.generatedRows ?? {} }).map(problemKey));
  return checkAnswer(now, value, mode, { questionnaire: proposed, generatedRows: holder.generatedRows ?? {} })
    .filter((p) => p.code !== 'required' || holder.submitted)
    .filter((p) => !before.has(problemKey(p)))
    .map((p) => ({ code: p.code, respondent: holder.respondent, question: p.question, ...(p.row ? { row: p.row } : {}), ...(p.column ? { column: p.column } : {}), message: p.message }));
}

export function classifyChange(current: Questionnaire, proposed: Questionnaire, holders: readonly AnswerHolder[]): ChangeReport {
  const changes = definitionChanges(current, proposed);
  const before = indexQuestionnaire(current).byId;
  const after = indexQuestionnaire(proposed).byId;
  const invalidated: Invalidation[] = [];
  for (const holder of holders) {
    const add = (code: string, question: string, message: string) => invalidated.push({ code, respondent: holder.respondent, question, message });
    const shownBefore = visibility(current, holder.answers).questions;
    const shownAfter = visibility(proposed, holder.answers).questions;
    for (const [id, entry] of before) {
      const value = holder.answers[id];
      if (!isAnswered(value)) continue;
      const next = after.get(id)?.question;
      if (!next) add('answer_removed', id, 'The question would be removed with its answer.');
      else if (next.type !== entry.question.type) add('answer_wrong_type', id, `The answer is a ${entry.question.type.replace('_', ' ')}; the question would become a ${next.type.replace('_', ' ')}.`);
      else if (next.type === 'number' && entry.question.type === 'number' && (next.unit ?? null) !== (entry.question.unit ?? null)) add('unit_changed', id, 'The figure was given in another unit.');
      else {
        invalidated.push(...newProblems(entry.question, next, holder, current, proposed));
        if (shownBefore.has(id) && !shownAfter.has(id)) add('answer_hidden', id, 'A condition would hide this answer.');
      }
    }
    if (!holder.submitted) continue;
    for (const [id, entry] of after) {
      if (!entry.question.required || !shownAfter.has(id) || isAnswered(holder.answers[id])) continue;
      const was = before.get(id)?.question;
      if (was && was.required && shownBefore.has(id)) continue;
      add('required_unanswered', id, 'The submission leaves this newly required question empty.');
    }
  }
  return { kind: invalidated.length > 0 ? 'invalidating' : changes.length > 0 ? 'harmless' : 'identical', changes, invalidated };
}

/** A route's answer: apply a harmless change, refuse an invalidating one (409) with what it would invalidate. */
export function decideChange(report: ChangeReport): { ok: true } | { ok: false; error: { code: string; message: string; status: 409; details: Invalidation[] } } {
  if (report.kind !== 'invalidating') return { ok: true };
  const respondents = new Set(report.invalidated.map((item) => item.respondent)).size;
  return {
    ok: false,
    error: {
      code: 'change_invalidates_answers',
      message: `This change would invalidate answers of ${respondents} ${respondents === 1 ? 'respondent' : 'respondents'}; add rather than remove, or start a new round.`,
      status: 409,
      details: report.invalidated,
    },
  };
}
