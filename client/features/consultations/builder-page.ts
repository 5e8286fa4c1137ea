import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { consultationsApi } from './consultations-api.js';
import { Resource } from '../../controllers/resource.js';
import { findDocuments } from '../documents/public.js';
import type { LinkedItem } from '../../ui/link-picker/link-picker.js';
import type { CnIndicatorPicker } from '../../ui/indicator-picker/indicator-picker.js';
import { consultationHref } from './format.js';
import type { Column, ConsultationDetail, Question, Questionnaire } from './models.js';

/**
 * The questionnaire builder: title, purpose, deadline in the organizer's zone, and sections of
 * typed questions (text, number with unit and range, choices, yes/no, date, and tables with fixed
 * rows or rows the respondent adds), each optionally shown only when an earlier answer says so.
 * Saves the consultation as a draft; "Open" checks and opens it. Nothing typed is lost on a refusal:
 * the problems are listed and the form keeps its state.
 */

type QuestionType = 'short_text' | 'long_text' | 'number' | 'single_choice' | 'multiple_choice' | 'yes_no' | 'date' | 'file' | 'table';
type ColumnType = 'text' | 'number' | 'yes_no' | 'choice' | 'date';

interface ColumnDraft {
  type: ColumnType;
  label: string;
  options: string;
}

interface QuestionDraft {
  type: QuestionType;
  label: string;
  required: boolean;
  /** Choices, one per line. */
  options: string;
  min: string;
  max: string;
  rowsKind: 'fixed' | 'open' | 'generated';
  /** A data validation round's table: series codes, indicator codes and years, separated by commas or spaces ("2015-2020" for a span). */
  series: string;
  indicators: string;
  years: string;
  /** Fixed rows, one per line: "3.2.1 Under-five mortality" (the first word is the row's id). */
  rows: string;
  columns: ColumnDraft[];
  /** The number of an earlier question (1-based) this one depends on, or '' for always shown. */
  conditionOn: string;
  /** "yes"/"no" for a yes/no question, an option's text for a choice. */
  conditionValue: string;
}

const lines = (value: string) => value.split('\n').map((line) => line.trim()).filter(Boolean);
const slug = (value: string, fallback: string) => value.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9.]+/g, '_').replace(/^[_.]+|[_.]+$/g, '').slice(0, 50) || fallback;
const both = (value: string) => ({ es: value, en: value });
const codes = (value: string) => [...new Set(value.split(/[\s,;]+/).map((code) => code.trim()).filter(Boolean))];
/** "2015-2018, 2020" → [2015, 2016, 2017, 2018, 2020]. */
function yearsOf(value: string): number[] {
  const out = new Set<number>();
  for (const part of codes(value)) {
    const [from, to] = part.split('-').map(Number);
    if (!Number.isInteger(from)) continue;
    const last = Number.isInteger(to) && to! >= from! && to! - from! < 100 ? to! : from!;
    for (let year = from!; year <= last; year++) out.add(year);
  }
  return [...out].sort((a, b) => a - b);
}

const newQuestion = (): QuestionDraft => ({ type: 'short_text', label: '', required: false, options: '', min: '', max: '', rowsKind: 'fixed', rows: '', series: '', indicators: '', years: '', columns: [{ type: 'text', label: '', options: '' }], conditionOn: '', conditionValue: '' });

function toColumn(column: ColumnDraft, index: number): Column {
  const base = { id: `c${index + 1}`, label: both(column.label), required: false };
  if (column.type === 'choice') return { ...base, type: 'choice', options: lines(column.options).map((label, i) => ({ id: `o${i + 1}`, label: both(label) })) } as Column;
  return { ...base, type: column.type } as Column;
}

function toQuestion(draft: QuestionDraft, index: number, all: QuestionDraft[]): Question {
  const base: Record<string, unknown> = { id: `q${index + 1}`, type: draft.type, label: both(draft.label), required: draft.required };
  if (draft.type === 'single_choice' || draft.type === 'multiple_choice') base.options = lines(draft.options).map((label, i) => ({ id: `o${i + 1}`, label: both(label) }));
  if (draft.type === 'number') {
    if (draft.min.trim() !== '') base.min = Number(draft.min);
    if (draft.max.trim() !== '') base.max = Number(draft.max);
  }
  // A file question's `max` is how many files it takes (one when left empty).
  if (draft.type === 'file' && draft.max.trim() !== '') base.maxFiles = Number(draft.max);
  if (draft.type === 'table') {
    base.rows =
      draft.rowsKind === 'generated'
        ? { kind: 'generated', source: 'discrepancy_register', series: codes(draft.series), indicators: codes(draft.indicators), years: yearsOf(draft.years) }
        : draft.rowsKind === 'open'
        ? { kind: 'open', maxRows: 100 }
        : {
            kind: 'fixed',
            source: 'custom',
            rows: lines(draft.rows).map((line, i) => ({ id: slug(line.split(/\s+/)[0] ?? '', `r${i + 1}`), label: both(line) })),
          };
    base.columns = draft.columns.map(toColumn);
  }
  const on = Number(draft.conditionOn);
  if (on >= 1 && on <= all.length) {
    const target = all[on - 1]!;
    const question = `q${on}`;
    if (target.type === 'yes_no') base.condition = { question, op: 'yes_no', value: draft.conditionValue !== 'no' };
    else if (target.type === 'single_choice' || target.type === 'multiple_choice') {
      const option = lines(target.options).findIndex((label) => label === draft.conditionValue);
      base.condition = option >= 0 ? { question, op: 'equals', value: `o${option + 1}` } : { question, op: 'answered' };
    } else base.condition = { question, op: 'answered' };
  }
  return base as unknown as Question;
}

function fromQuestion(question: Question, ids: string[]): QuestionDraft {
  const draft = newQuestion();
  draft.type = question.type;
  if (question.type === 'file') draft.max = question.maxFiles === undefined ? '' : String(question.maxFiles);
  draft.label = question.label.es || question.label.en;
  draft.required = question.required;
  if ('options' in question) draft.options = question.options.map((option) => option.label.es || option.label.en).join('\n');
  if (question.type === 'number') {
    draft.min = question.min === undefined ? '' : String(question.min);
    draft.max = question.max === undefined ? '' : String(question.max);
  }
  if (question.type === 'table') {
    draft.rowsKind = question.rows.kind;
    if (question.rows.kind === 'generated') {
      draft.series = (question.rows.series ?? []).join(', ');
      draft.indicators = (question.rows.indicators ?? []).join(', ');
      draft.years = (question.rows.years ?? []).join(', ');
    }
    draft.rows = question.rows.kind === 'fixed' ? question.rows.rows.map((row) => row.label.es || row.label.en).join('\n') : '';
    draft.columns = question.columns.map((column) => ({ type: column.type as ColumnType, label: column.label.es || column.label.en, options: 'options' in column ? column.options.map((o) => o.label.es || o.label.en).join('\n') : '' }));
  }
  if (question.condition) draft.conditionOn = String(ids.indexOf(question.condition.question) + 1);
  return draft;
}

export class CnConsultationBuilder extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      fieldset {
        display: grid;
        gap: var(--cn-space-3, 0.75rem);
        min-width: 0;
      }
      label {
        display: grid;
        gap: 0.25rem;
        min-width: 0;
      }
      input,
      select,
      textarea {
        font: inherit;
        max-width: 100%;
        /* A grid item is as wide as its longest option by default: at 390 px a long one widened the page. */
        min-width: 0;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
      }
      .problems li {
        color: var(--cn-color-danger, #b00020);
      }
    `,
  ];

  static override properties = {
    consultationId: { type: String },
    state: { state: true },
    busy: { state: true },
    error: { state: true },
  };

  declare consultationId: string;
  declare private state: {
    title: string;
    titleEn: string;
    purpose: string;
    date: string;
    time: string;
    zone: string;
    questions: QuestionDraft[];
    /** Related library documents and indicator codes (related meetings are kept as they are). */
    documents: LinkedItem[];
    indicators: string[];
    version: number;
    id: string | null;
  };

  /** The consultation being edited (none for a new one): its questionnaire becomes the form. */
  private existing = new Resource(this, {
    args: () => [this.consultationId] as const,
    load: ([id], signal) => (id ? consultationsApi.get(id, signal) : Promise.resolve(null)),
    loaded: (consultation) => {
      if (consultation) this.fill(consultation);
    },
  });
  declare private busy: boolean;
  declare private error: unknown;

  constructor() {
    super();
    this.consultationId = '';
    this.busy = false;
    this.error = null;
    this.state = { title: '', titleEn: '', purpose: '', date: '', time: '18:00', zone: 'America/Santiago', questions: [newQuestion()], documents: [], indicators: [], version: 0, id: null };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.state = { ...this.state, zone: this.user?.timeZone ?? this.state.zone };
  }

  private fill(consultation: ConsultationDetail) {
    const questions = consultation.questionnaire.sections.flatMap((section) => section.questions);
    const ids = questions.map((question) => question.id);
    this.state = {
      title: consultation.title.es,
      titleEn: consultation.title.en,
      purpose: consultation.purpose.es,
      date: consultation.deadline.date,
      time: consultation.deadline.time,
      zone: consultation.deadline.zone,
      questions: questions.length > 0 ? questions.map((question) => fromQuestion(question, ids)) : [newQuestion()],
      documents: consultation.related.items.filter((item) => item.kind === 'document').map((item) => ({ id: item.id, title: item.title })),
      indicators: [...consultation.related.indicators],
      version: consultation.version,
      id: consultation.id,
    };
  }

  private questionnaire(): Questionnaire {
    const all = this.state.questions;
    return { sections: [{ id: 'general', title: both(this.state.title || 'General'), questions: all.map((question, index) => toQuestion(question, index, all)) }] };
  }

  private set(patch: Partial<CnConsultationBuilder['state']>) {
    this.state = { ...this.state, ...patch };
  }

  private setQuestion(index: number, patch: Partial<QuestionDraft>) {
    const questions = this.state.questions.map((question, i) => (i === index ? { ...question, ...patch } : question));
    this.set({ questions });
  }

  private setColumn(index: number, columnIndex: number, patch: Partial<ColumnDraft>) {
    const question = this.state.questions[index]!;
    this.setQuestion(index, { columns: question.columns.map((column, i) => (i === columnIndex ? { ...column, ...patch } : column)) });
  }

  private async save(): Promise<ConsultationDetail | null> {
    this.busy = true;
    this.error = null;
    try {
      const input = {
        title: { es: this.state.title, en: this.state.titleEn },
        purpose: { es: this.state.purpose, en: '' },
        deadline: { date: this.state.date, time: this.state.time, zone: this.state.zone },
        questionnaire: this.questionnaire(),
        related: { documents: this.state.documents.map((item) => item.id), indicators: this.state.indicators },
      };
      const saved = this.state.id ? await consultationsApi.update(this.state.id, this.state.version, input) : await consultationsApi.create(input);
      this.set({ id: saved.id, version: saved.version });
      return saved;
    } catch (error) {
      this.error = error;
      return null;
    } finally {
      this.busy = false;
    }
  }

  private async saveAndOpen() {
    const saved = await this.save();
    if (!saved) return;
    this.busy = true;
    try {
      await consultationsApi.open(saved.id);
      this.services.navigate(consultationHref(saved.id));
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    if (!this.consultationId) return this.renderForm();
    return this.existing.render({ loading: msg('Loading the consultation…'), complete: () => this.renderForm() });
  }

  private renderForm() {
    const s = this.state;
    return html`
      <p class="small"><a href="/consultations">${msg('← All consultations')}</a></p>
      <div class="page-header">
        <h1 tabindex="-1">${s.id ? msg('Edit the consultation') : msg('New consultation')}</h1>
      </div>
      <form class="stack-lg" @submit=${(event: Event) => event.preventDefault()}>
        <fieldset class="card">
          <legend>${msg('The consultation')}</legend>
          <label>${msg('Title (Spanish)')}<input name="title" required maxlength="200" .value=${s.title} @input=${(e: Event) => this.set({ title: (e.target as HTMLInputElement).value })} /></label>
          <label>${msg('Title (English, optional)')}<input name="titleEn" maxlength="200" .value=${s.titleEn} @input=${(e: Event) => this.set({ titleEn: (e.target as HTMLInputElement).value })} /></label>
          <label>${msg('Purpose (Markdown)')}<textarea name="purpose" rows="3" .value=${s.purpose} @input=${(e: Event) => this.set({ purpose: (e.target as HTMLTextAreaElement).value })}></textarea></label>
          <div class="row">
            <label>${msg('Deadline')}<input name="date" type="date" required .value=${s.date} @input=${(e: Event) => this.set({ date: (e.target as HTMLInputElement).value })} /></label>
            <label>${msg('Time')}<input name="time" type="time" required .value=${s.time} @input=${(e: Event) => this.set({ time: (e.target as HTMLInputElement).value })} /></label>
            <label>${msg('Time zone')}<input name="zone" .value=${s.zone} @input=${(e: Event) => this.set({ zone: (e.target as HTMLInputElement).value })} /></label>
          </div>
          <p class="small">${msg('Addressed to every member country.')}</p>
        </fieldset>
        <fieldset class="card" data-related>
          <legend>${msg('What it is about')}</legend>
          <cn-indicator-picker .value=${s.indicators} @change=${(e: Event) => this.set({ indicators: [...(e.target as CnIndicatorPicker).value] })}></cn-indicator-picker>
          <cn-link-picker .label=${msg('Documents')} .searchLabel=${msg('Find a document')} .placeholder=${msg('Find a document by its title or words')} .find=${findDocuments} .items=${s.documents} @cn-links-change=${(e: CustomEvent<{ items: LinkedItem[] }>) => this.set({ documents: [...e.detail.items] })}></cn-link-picker>
        </fieldset>
        ${s.questions.map((question, index) => this.renderQuestion(question, index))}
        <div class="row">
          <cn-button><button type="button" data-add-question @click=${() => this.set({ questions: [...s.questions, newQuestion()] })}>${msg('Add a question')}</button></cn-button>
        </div>
        ${this.renderError()}
        <div class="row">
          <cn-button><button type="button" data-save ?disabled=${this.busy} @click=${() => this.save()}>${msg('Save as draft')}</button></cn-button>
          <cn-button variant="primary"><button type="button" data-open ?disabled=${this.busy} @click=${() => this.saveAndOpen()}>${msg('Save and open')}</button></cn-button>
        </div>
      </form>
    `;
  }

  private renderError() {
    if (!this.error) return nothing;
    const details = (this.error as { details?: unknown }).details;
    const problems = Array.isArray(details) ? (details as Array<{ message?: string; path?: string; field?: string }>) : [];
    return html`<div class="alert alert-error" role="alert">
      <p>${describeError(this.error)}</p>
      ${problems.length > 0 ? html`<ul class="problems">${problems.map((problem) => html`<li>${problem.path ?? problem.field ?? ''} ${problem.message ?? ''}</li>`)}</ul>` : nothing}
    </div>`;
  }

  private renderQuestion(question: QuestionDraft, index: number) {
    const earlier = this.state.questions.slice(0, index);
    const on = Number(question.conditionOn);
    const target = on >= 1 ? earlier[on - 1] : undefined;
    const types: Array<[QuestionType, string]> = [
      ['short_text', msg('Short text')],
      ['long_text', msg('Long text')],
      ['number', msg('Number')],
      ['single_choice', msg('Single choice')],
      ['multiple_choice', msg('Multiple choice')],
      ['yes_no', msg('Yes or no')],
      ['date', msg('Date')],
      ['file', msg('File', { id: 'consultations.fileQuestion', desc: 'A type of question: the respondent uploads a document' })],
      ['table', msg('Table')],
    ];
    return html`<fieldset class="card" data-question=${index + 1}>
      <legend>${msg('Question')} ${index + 1}</legend>
      <label>${msg('Question text')}<input name="label" .value=${question.label} @input=${(e: Event) => this.setQuestion(index, { label: (e.target as HTMLInputElement).value })} /></label>
      <div class="row">
        <label>${msg('Type')}<select name="type" @change=${(e: Event) => this.setQuestion(index, { type: (e.target as HTMLSelectElement).value as QuestionType })}>
          ${types.map(([value, label]) => html`<option value=${value} ?selected=${value === question.type}>${label}</option>`)}
        </select></label>
        <label class="row"><input type="checkbox" name="required" .checked=${question.required} @change=${(e: Event) => this.setQuestion(index, { required: (e.target as HTMLInputElement).checked })} />${msg('Required')}</label>
        ${this.state.questions.length > 1
          ? html`<cn-button><button type="button" @click=${() => this.set({ questions: this.state.questions.filter((_, i) => i !== index) })}>${msg('Remove')}</button></cn-button>`
          : nothing}
      </div>
      ${question.type === 'single_choice' || question.type === 'multiple_choice'
        ? html`<label>${msg('Options, one per line')}<textarea name="options" rows="3" .value=${question.options} @input=${(e: Event) => this.setQuestion(index, { options: (e.target as HTMLTextAreaElement).value })}></textarea></label>`
        : nothing}
      ${question.type === 'number'
        ? html`<div class="row">
            <label>${msg('Minimum')}<input name="min" inputmode="decimal" .value=${question.min} @input=${(e: Event) => this.setQuestion(index, { min: (e.target as HTMLInputElement).value })} /></label>
            <label>${msg('Maximum')}<input name="max" inputmode="decimal" .value=${question.max} @input=${(e: Event) => this.setQuestion(index, { max: (e.target as HTMLInputElement).value })} /></label>
          </div>`
        : nothing}
      ${question.type === 'file'
        ? html`<label>${msg('Files at most')}<input name="maxFiles" type="number" min="1" max="10" inputmode="numeric" .value=${question.max} @input=${(e: Event) => this.setQuestion(index, { max: (e.target as HTMLInputElement).value })} /></label>
            <p class="hint">${msg('Each file goes to the library, seen only by the organizers and the delegation that uploaded it.')}</p>`
        : nothing}
      ${question.type === 'table' ? this.renderTable(question, index) : nothing}
      ${index > 0
        ? html`<div class="row">
            <label>${msg('Show only when question')}<select name="conditionOn" @change=${(e: Event) => this.setQuestion(index, { conditionOn: (e.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${question.conditionOn === ''}>${msg('Always shown')}</option>
              ${earlier.map((_, i) => html`<option value=${String(i + 1)} ?selected=${question.conditionOn === String(i + 1)}>${i + 1}</option>`)}
            </select></label>
            ${target && target.type === 'yes_no'
              ? html`<label>${msg('is answered')}<select name="conditionValue" @change=${(e: Event) => this.setQuestion(index, { conditionValue: (e.target as HTMLSelectElement).value })}>
                  <option value="yes" ?selected=${question.conditionValue !== 'no'}>${msg('Yes', { id: 'consultations.yes', desc: 'An answer to a yes-or-no question of a questionnaire' })}</option>
                  <option value="no" ?selected=${question.conditionValue === 'no'}>${msg('No', { id: 'consultations.no', desc: 'An answer to a yes-or-no question of a questionnaire' })}</option>
                </select></label>`
              : target && (target.type === 'single_choice' || target.type === 'multiple_choice')
                ? html`<label>${msg('is answered')}<select name="conditionValue" @change=${(e: Event) => this.setQuestion(index, { conditionValue: (e.target as HTMLSelectElement).value })}>
                    ${lines(target.options).map((option) => html`<option ?selected=${question.conditionValue === option}>${option}</option>`)}
                  </select></label>`
                : nothing}
          </div>`
        : nothing}
    </fieldset>`;
  }

  private renderTable(question: QuestionDraft, index: number) {
    const columnTypes: Array<[ColumnType, string]> = [
      ['text', msg('Text')],
      ['number', msg('Number')],
      ['yes_no', msg('Yes or no')],
      ['choice', msg('Choice')],
      ['date', msg('Date')],
    ];
    return html`
      <label>${msg('Rows')}<select name="rowsKind" @change=${(e: Event) => this.setQuestion(index, { rowsKind: (e.target as HTMLSelectElement).value as QuestionDraft['rowsKind'] })}>
        <option value="fixed" ?selected=${question.rowsKind === 'fixed'}>${msg('Fixed rows (one per indicator or operation)')}</option>
        <option value="open" ?selected=${question.rowsKind === 'open'}>${msg('Rows the country adds')}</option>
        <option value="generated" ?selected=${question.rowsKind === 'generated'}>${msg('Data validation: each country’s international values from the discrepancy register')}</option>
      </select></label>
      ${question.rowsKind === 'generated' ? this.renderSelection(question, index) : nothing}
      ${question.rowsKind === 'fixed'
        ? html`<label>${msg('Rows, one per line (the first word is the row’s code, e.g. 3.2.1)')}<textarea name="rows" rows="3" .value=${question.rows} @input=${(e: Event) => this.setQuestion(index, { rows: (e.target as HTMLTextAreaElement).value })}></textarea></label>`
        : nothing}
      ${question.rowsKind === 'generated' ? nothing : question.columns.map(
        (column, columnIndex) => html`<div class="row" data-column=${columnIndex + 1}>
          <label>${msg('Column')} ${columnIndex + 1}<input name="columnLabel" .value=${column.label} @input=${(e: Event) => this.setColumn(index, columnIndex, { label: (e.target as HTMLInputElement).value })} /></label>
          <label>${msg('Type')}<select name="columnType" @change=${(e: Event) => this.setColumn(index, columnIndex, { type: (e.target as HTMLSelectElement).value as ColumnType })}>
            ${columnTypes.map(([value, label]) => html`<option value=${value} ?selected=${value === column.type}>${label}</option>`)}
          </select></label>
          ${column.type === 'choice' ? html`<label>${msg('Options, one per line')}<textarea name="columnOptions" rows="2" .value=${column.options} @input=${(e: Event) => this.setColumn(index, columnIndex, { options: (e.target as HTMLTextAreaElement).value })}></textarea></label>` : nothing}
        </div>`,
      )}
      ${question.rowsKind === 'generated'
        ? nothing
        : html`<div><cn-button><button type="button" data-add-column @click=${() => this.setQuestion(index, { columns: [...question.columns, { type: 'text', label: '', options: '' }] })}>${msg('Add a column')}</button></cn-button></div>`}
    `;
  }

  /** Which international values make each country's rows; the columns (confirm, correct, explain) are the round's own. */
  private renderSelection(question: QuestionDraft, index: number) {
    const years = yearsOf(question.years);
    return html`<div class="stack" data-validation-round>
      <p class="small">${msg('Each country gets one row per international value of these series or indicators and years, and confirms it, corrects it (national value and source) or explains the difference (a cause and a text). Corrections and explanations open or update the register’s cases.')}</p>
      <label>${msg('Series codes (e.g. SH_DYN_MORT), separated by commas')}<input name="series" .value=${question.series} @input=${(e: Event) => this.setQuestion(index, { series: (e.target as HTMLInputElement).value })} /></label>
      <label>${msg('Or indicator codes (e.g. 3.2.1)')}<input name="indicators" .value=${question.indicators} @input=${(e: Event) => this.setQuestion(index, { indicators: (e.target as HTMLInputElement).value })} /></label>
      <label>${msg('Years (e.g. 2015-2020, 2022)')}<input name="years" inputmode="numeric" .value=${question.years} @input=${(e: Event) => this.setQuestion(index, { years: (e.target as HTMLInputElement).value })} /></label>
      <p class="small" role="status">${years.length > 0 ? msg(str`${years.length} year(s): ${years[0]}–${years[years.length - 1]}`) : msg('No year chosen yet.')}</p>
    </div>`;
  }
}
