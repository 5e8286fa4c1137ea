import { css, html, nothing, type PropertyValues } from 'lit';
import { msg, str } from '@lit/localize';
import { isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import type { LiveTopicMessage } from '../../app/live-connection.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { UploadController, uploadProgressStyles } from '../../controllers/upload-controller.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { answerText, label, visibleQuestions } from './answers.js';
import { consultationsApi } from './consultations-api.js';
import { statusLabel } from './format.js';
import { applyChange, renderAnswerTable } from './answer-table.js';
import { renderMailNotes } from './mail-notes.js';
import type { AnswerChange, AnswerMap, AnswerValue, ConsultationDetail, Draft, DraftResponse, MailNote, MyPosition, Question, Review } from './models.js';

const SAVE_DELAY_MS = 500;

/** A change's field key, as the server names fields: "q1", "q3/row/column", "q3/row". */
const fieldOf = (change: AnswerChange) => ('row' in change && change.row ? ('column' in change && change.column ? `${change.question}/${change.row}/${change.column}` : `${change.question}/${change.row}`) : change.question);

/**
 * The delegation's one draft, answered together: every field saves itself a moment after it is
 * typed (field by field, on the revision the form holds), other delegates' saves arrive live and
 * fill the fields this person is not editing, and a save refused because someone changed the same
 * field keeps what this person typed in the form and says who changed it. The focal point (or the
 * alternate it named) submits; queries on the submitted answers are answered here.
 */
export class CnConsultationAnswerForm extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    uploadProgressStyles,
    css`
      .files {
        margin: 0;
        padding-inline-start: 1.25rem;
      }
      fieldset {
        min-width: 0;
        display: grid;
        gap: 0.5rem;
      }
      .table-wrap {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
      }
      th,
      td {
        border: 1px solid var(--cn-color-border, #ccc);
        padding: 0.25rem;
        text-align: start;
      }
      input,
      select,
      textarea {
        font: inherit;
        max-width: 100%;
      }
      .who {
        font-size: 0.85em;
        color: var(--cn-color-muted, #555);
      }
      .save-state {
        position: sticky;
        top: 0;
      }
    `,
  ];

  static override properties = {
    consultation: { attribute: false },
    draft: { state: true },
    position: { state: true },
    saving: { state: true },
    notice: { state: true },
    error: { state: true },
    reviews: { state: true },
    lastBy: { state: true },
    mailNotes: { state: true },
  };

  declare consultation: ConsultationDetail;
  declare private draft: Draft | null;
  declare private position: MyPosition | null;
  declare private saving: 'idle' | 'pending' | 'saving' | 'saved' | 'failed';
  declare private notice: string | null;
  declare private error: unknown;
  declare private reviews: Review[];
  /** Who last saved each field, as the live events tell. */
  declare private lastBy: Record<string, string>;
  declare private mailNotes: MailNote[];
  /** A data validation round's rows for this delegation (the register's international values), by question. */
  private generatedRows: DraftResponse['generatedRows'] = {};
  /** The titles of the documents file answers name (the server's, plus what this person uploaded). */
  private documents: DraftResponse['documents'] = {};
  private readonly upload = new UploadController(this);
  /** The file question an upload is running for, and why the last one failed. */
  private uploading: string | null = null;
  private uploadError: { question: string; text: string } | null = null;

  /** Changes typed and not yet acknowledged by the server, by field: what the form must not overwrite. */
  private readonly pending = new Map<string, AnswerChange>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;

  private live = new LiveSubscriptionController(this, {
    topics: () => (this.consultation && this.position ? [`consultation-draft:${this.consultation.id}.${this.position.respondent.id}`] : []),
    onMessage: (message) => this.onLive(message),
  });

  constructor() {
    super();
    this.draft = null;
    this.position = null;
    this.saving = 'idle';
    this.notice = null;
    this.error = null;
    this.reviews = [];
    this.lastBy = {};
    this.mailNotes = [];
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('consultation') && this.consultation) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) void this.flush();
  }

  private async load() {
    try {
      const response = await consultationsApi.draft(this.consultation.id);
      this.generatedRows = response.generatedRows ?? {};
      this.documents = { ...this.documents, ...response.documents };
      this.draft = { ...response.draft, answers: this.withPending(response.draft.answers) };
      this.position = response.position;
      this.mailNotes = response.mailNotes ?? [];
      if (response.position.submissions > 0) this.reviews = (await consultationsApi.respondent(this.consultation.id, response.position.respondent.id)).reviews;
    } catch (error) {
      this.error = error;
    }
  }

  /** The server's answers with what this person typed and has not had acknowledged laid over them. */
  private withPending(answers: AnswerMap): AnswerMap {
    const next = structuredClone(answers);
    for (const change of this.pending.values()) applyChange(next, change);
    return next;
  }

  private onLive(message: LiveTopicMessage) {
    if (message.type !== 'event' || !this.draft) return;
    if (message.event === 'consultation.draft') {
      const payload = message.payload as { revision: number; by: { id: string; displayName: string }; changes: Array<{ field: string; after: unknown }> };
      if (payload.revision <= this.draft.revision) return;
      if (payload.by.id === this.user?.id) return;
      // Another delegate saved: take the draft again (their fields), keeping what this person is typing.
      const names = Object.fromEntries(payload.changes.map((change) => [change.field, payload.by.displayName]));
      this.lastBy = { ...this.lastBy, ...names };
      void this.load();
    } else if (message.event === 'consultation.status' || message.event === 'consultation.review' || message.event === 'consultation.note') {
      void this.load();
    }
  }

  private change(change: AnswerChange) {
    if (!this.draft) return;
    this.pending.set(fieldOf(change), change);
    const answers = structuredClone(this.draft.answers);
    applyChange(answers, change);
    this.draft = { ...this.draft, answers };
    this.saving = 'pending';
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
  }

  /** Sends what is pending; one save at a time, each on the revision the last one returned. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight) await this.inFlight;
    if (this.pending.size === 0 || !this.draft) return;
    const changes = [...this.pending.values()];
    const sent = new Map(this.pending);
    this.saving = 'saving';
    this.inFlight = (async () => {
      try {
        const response = await consultationsApi.save(this.consultation.id, this.draft!.revision, changes);
        for (const [field, change] of sent) if (this.pending.get(field) === change) this.pending.delete(field);
        this.draft = { ...response.draft, answers: this.withPending(response.draft.answers) };
        this.position = response.position;
        this.saving = this.pending.size > 0 ? 'pending' : 'saved';
        this.notice = null;
      } catch (error) {
        this.saving = 'failed';
        if (isApiError(error) && error.code === 'stale_revision') {
          const conflicts = ((error.details as { conflicts?: Array<{ field: string; theirs: { by: string | null } }> })?.conflicts ?? []).map((conflict) => conflict.field);
          this.notice = msg(str`Someone in your delegation changed ${conflicts.join(', ')} meanwhile. Your text is still in the form: check it and it will be saved again.`);
          // Take their revision; what this person typed stays pending and is sent again on it.
          const response = await consultationsApi.draft(this.consultation.id);
          this.draft = { ...response.draft, answers: this.withPending(response.draft.answers) };
          this.timer = setTimeout(() => void this.flush(), SAVE_DELAY_MS * 4);
        } else this.error = error;
      } finally {
        this.inFlight = null;
      }
    })();
    await this.inFlight;
  }

  private async submit() {
    await this.flush();
    if (!this.draft) return;
    this.error = null;
    try {
      const response = await consultationsApi.submit(this.consultation.id, this.draft.revision);
      this.draft = response.draft;
      this.position = response.position;
      this.notice = msg('Your country’s answer is submitted.');
    } catch (error) {
      this.error = error;
    }
  }

  private async reopen() {
    try {
      const response = await consultationsApi.reopen(this.consultation.id);
      this.draft = response.draft;
      this.position = response.position;
    } catch (error) {
      this.error = error;
    }
  }

  private async reply(queryId: string, form: HTMLFormElement) {
    const text = (form.elements.namedItem('reply') as HTMLTextAreaElement).value;
    if (!text.trim() || !this.position) return;
    try {
      await consultationsApi.reply(this.consultation.id, this.position.respondent.id, queryId, text);
      form.reset();
      await this.load();
    } catch (error) {
      this.error = error;
    }
  }

  protected override render() {
    if (!this.draft || !this.position) {
      return this.error ? html`<div class="alert alert-error" role="alert">${describeError(this.error)}</div>` : html`<div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading your draft…')}</div>`;
    }
    const position = this.position;
    const writable = this.consultation.status === 'open' && ['not_started', 'draft', 'extended'].includes(position.status) && !(position.submissions > 0 && !position.reopened);
    const shown = visibleQuestions(this.consultation.questionnaire, this.draft.answers);
    return html`
      <section class="stack" aria-labelledby="answer-heading">
        <h2 id="answer-heading">${msg(str`The answer of ${label(position.respondent.name)}`)}</h2>
        <p>
          ${msg('Status:')} <strong data-my-status=${position.status}>${statusLabel(position.status)}</strong>
          <span class="save-state small" role="status" data-save-state=${this.saving}>${this.saveStateText()}</span>
        </p>
        ${this.notice ? html`<div class="alert" role="status">${this.notice}</div>` : nothing}
        ${this.renderError()}
        <form class="stack" @submit=${(event: Event) => event.preventDefault()}>
          ${this.consultation.questionnaire.sections.map(
            (section) => html`<fieldset class="card" ?disabled=${!writable}>
              <legend>${label(section.title)}</legend>
              ${section.questions.filter((question) => shown.has(question.id)).map((question) => this.renderQuestion(question))}
            </fieldset>`,
          )}
        </form>
        <div class="row">
          ${writable && position.maySubmit ? html`<cn-button variant="primary"><button type="button" data-submit @click=${() => this.submit()}>${msg('Submit my country’s answer')}</button></cn-button>` : nothing}
          ${writable && !position.maySubmit ? html`<p class="small">${msg('Your focal point submits the answer once the delegation is done.')}</p>` : nothing}
          ${!writable && position.submissions > 0 && position.maySubmit && this.consultation.status === 'open' ? html`<cn-button><button type="button" data-reopen @click=${() => this.reopen()}>${msg('Reopen to change it')}</button></cn-button>` : nothing}
        </div>
        ${this.renderQueries()} ${renderMailNotes(this.mailNotes)}
      </section>
    `;
  }

  private saveStateText() {
    switch (this.saving) {
      case 'pending':
      case 'saving':
        return msg('Saving…');
      case 'saved':
        return msg('All changes saved');
      case 'failed':
        return msg('Not saved yet');
      default:
        return '';
    }
  }

  private renderError() {
    if (!this.error) return nothing;
    const details = (this.error as { details?: unknown }).details;
    const problems = Array.isArray(details) ? (details as Array<{ question?: string; message?: string }>) : [];
    return html`<div class="alert alert-error" role="alert">
      <p>${describeError(this.error)}</p>
      ${problems.length > 0 ? html`<ul>${problems.map((problem) => html`<li>${this.questionLabel(problem.question)}: ${problem.message}</li>`)}</ul>` : nothing}
    </div>`;
  }

  private questionLabel(id: string | undefined) {
    for (const section of this.consultation.questionnaire.sections) for (const question of section.questions) if (question.id === id) return label(question.label);
    return id ?? '';
  }

  private renderWho(field: string) {
    const meta = this.draft?.fields[field];
    const name = this.lastBy[field] ?? (meta?.by ? this.draft?.people[meta.by] : undefined);
    if (meta?.prefilled) return html`<span class="who">${msg('From the earlier round: confirm or change it.')}</span>`;
    return name ? html`<span class="who" data-changed-by=${name}>${msg(str`Last changed by ${name}`)}</span>` : nothing;
  }

  private renderQuestion(question: Question) {
    const value = this.draft!.answers[question.id];
    const id = `q-${question.id}`;
    const title = html`${label(question.label)}${question.required ? html` <span aria-hidden="true">*</span>` : nothing}`;
    const set = (next: AnswerValue | null) => this.change({ question: question.id, value: next });
    switch (question.type) {
      case 'short_text':
      case 'long_text': {
        const text = value && (value.type === 'short_text' || value.type === 'long_text') ? value.text : '';
        const onInput = (event: Event) => set({ type: question.type, text: (event.target as HTMLInputElement).value } as AnswerValue);
        return html`<div class="stack" data-field=${question.id}>
          <label for=${id}>${title}</label>
          ${question.type === 'short_text' ? html`<input id=${id} .value=${text} ?required=${question.required} @input=${onInput} />` : html`<textarea id=${id} rows="4" .value=${text} @input=${onInput}></textarea>`}
          ${this.renderWho(question.id)}
        </div>`;
      }
      case 'number': {
        const number = value?.type === 'number' ? value.value : null;
        return html`<div class="stack" data-field=${question.id}>
          <label for=${id}>${title}</label>
          <input id=${id} inputmode="decimal" .value=${number === null || number === undefined ? '' : String(number)} @input=${(event: Event) => {
            const raw = (event.target as HTMLInputElement).value.trim().replace(',', '.');
            set(raw === '' ? null : Number.isFinite(Number(raw)) ? { type: 'number', value: Number(raw) } : null);
          }} />
          ${question.min !== undefined || question.max !== undefined ? html`<span class="small">${msg(str`Between ${question.min ?? '…'} and ${question.max ?? '…'}`)}</span>` : nothing}
          ${this.renderWho(question.id)}
        </div>`;
      }
      case 'yes_no': {
        const chosen = value?.type === 'yes_no' ? value.value : null;
        return html`<fieldset data-field=${question.id}>
          <legend>${title}</legend>
          <label><input type="radio" name=${id} .checked=${chosen === true} @change=${() => set({ type: 'yes_no', value: true })} /> ${msg('Yes', { id: 'consultations.yes', desc: 'An answer to a yes-or-no question of a questionnaire' })}</label>
          <label><input type="radio" name=${id} .checked=${chosen === false} @change=${() => set({ type: 'yes_no', value: false })} /> ${msg('No', { id: 'consultations.no', desc: 'An answer to a yes-or-no question of a questionnaire' })}</label>
          ${this.renderWho(question.id)}
        </fieldset>`;
      }
      case 'single_choice': {
        const chosen = value?.type === 'single_choice' ? value.option : null;
        return html`<fieldset data-field=${question.id}>
          <legend>${title}</legend>
          ${question.options.map((option) => html`<label><input type="radio" name=${id} .checked=${chosen === option.id} @change=${() => set({ type: 'single_choice', option: option.id, other: null })} /> ${label(option.label)}</label>`)}
          ${this.renderWho(question.id)}
        </fieldset>`;
      }
      case 'multiple_choice': {
        const chosen = value?.type === 'multiple_choice' ? value.options : [];
        return html`<fieldset data-field=${question.id}>
          <legend>${title}</legend>
          ${question.options.map(
            (option) => html`<label><input type="checkbox" .checked=${chosen.includes(option.id)} @change=${(event: Event) => {
              const on = (event.target as HTMLInputElement).checked;
              const options = question.options.map((o) => o.id).filter((o) => (o === option.id ? on : chosen.includes(o)));
              set({ type: 'multiple_choice', options, other: value?.type === 'multiple_choice' ? value.other : null });
            }} /> ${label(option.label)}</label>`,
          )}
          ${this.renderWho(question.id)}
        </fieldset>`;
      }
      case 'date': {
        const date = value?.type === 'date' ? (value.value ?? '') : '';
        return html`<div class="stack" data-field=${question.id}>
          <label for=${id}>${title}</label>
          <input id=${id} type="date" .value=${date} @change=${(event: Event) => {
            const raw = (event.target as HTMLInputElement).value;
            set(raw ? { type: 'date', value: raw } : null);
          }} />
          ${this.renderWho(question.id)}
        </div>`;
      }
      case 'file':
        return this.renderFiles(question, value?.type === 'file' ? value.documentIds : [], title);
      case 'table':
        return renderAnswerTable(question, { answers: this.draft!.answers, generatedRows: this.generatedRows, change: (change) => this.change(change), who: (field) => this.renderWho(field) });
      default:
        return html`<p>${title}: ${answerText(question, value)}</p>`;
    }
  }

  /** A file question: its files (links to the library), each removable, and an upload while there is room. */
  private renderFiles(question: Extract<Question, { type: 'file' }>, ids: string[], title: unknown) {
    const id = `q-${question.id}`;
    const room = ids.length < (question.maxFiles ?? 1);
    const busy = this.uploading === question.id;
    const save = (documentIds: string[]) => this.change({ question: question.id, value: documentIds.length > 0 ? { type: 'file', documentIds } : null });
    const onFile = async (event: Event) => {
      const input = event.target as HTMLInputElement;
      const file = input.files?.[0];
      input.value = '';
      if (!file || this.upload.active) return;
      this.uploading = question.id;
      this.uploadError = null;
      try {
        const document = await this.upload.run((options) => consultationsApi.uploadFile(this.consultation.id, question.id, file, options));
        this.documents = { ...this.documents, [document.id]: { title: document.title } };
        const current = this.draft?.answers[question.id];
        save([...(current?.type === 'file' ? current.documentIds : []), document.id]);
      } catch (error) {
        if (!(error instanceof DOMException && error.name === 'AbortError')) this.uploadError = { question: question.id, text: describeError(error) };
      } finally {
        this.uploading = null;
      }
    };
    return html`<fieldset data-field=${question.id}>
      <legend>${title}</legend>
      ${ids.length > 0
        ? html`<ul class="files">
            ${ids.map(
              (documentId) => html`<li>
                <a href=${`/documents/${encodeURIComponent(documentId)}`} target="_blank" rel="noopener">${this.documents[documentId] ? label(this.documents[documentId]!.title) : documentId}</a>
                <cn-button size="small" variant="quiet"><button type="button" data-remove-file=${documentId} @click=${() => save(ids.filter((other) => other !== documentId))}>${msg('Remove', { id: 'consultations.removeFile', desc: 'Takes a file off an answer (the file stays in the library)' })}</button></cn-button>
              </li>`,
            )}
          </ul>`
        : nothing}
      ${room
        ? html`<label for=${id}>${msg('Attach a file')}</label>
            <input id=${id} type="file" data-file-input ?disabled=${this.upload.active} @change=${onFile} />
            <span class="small">${msg('It goes to the library, seen only by your delegation and the organizers.')}</span>`
        : nothing}
      ${busy ? this.upload.render() : nothing}
      ${this.uploadError?.question === question.id ? html`<p class="error" role="alert">${this.uploadError.text}</p>` : nothing}
      ${this.renderWho(question.id)}
    </fieldset>`;
  }

  private renderQueries() {
    const open = this.reviews.flatMap((review) => review.queries.map((query) => ({ review, query })));
    if (open.length === 0) return nothing;
    return html`<section class="stack" aria-labelledby="queries-heading">
      <h3 id="queries-heading">${msg('Queries from the organizers')}</h3>
      ${open.map(
        ({ review, query }) => html`<article class="card stack" data-query=${query.id}>
          <p><strong>${this.questionLabel(review.question)}</strong>${query.resolvedAt ? html` · ${msg('Resolved')}` : nothing}</p>
          ${query.messages.map((message) => html`<p><span class="small">${message.by?.displayName ?? ''}:</span> ${message.text}</p>`)}
          ${query.resolvedAt
            ? nothing
            : html`<form class="stack" @submit=${(event: Event) => {
                event.preventDefault();
                void this.reply(query.id, event.target as HTMLFormElement);
              }}>
                <label>${msg('Your reply')}<textarea name="reply" rows="2"></textarea></label>
                <div><cn-button><button type="submit">${msg('Send the reply')}</button></cn-button></div>
              </form>`}
        </article>`,
      )}
    </section>`;
  }
}
