import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatDateTime } from '../../app/format.js';
import type { LiveTopicMessage } from '../../app/live-connection.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { answerText, label } from './answers.js';
import { consultationsApi, exportHref, reportHref } from './consultations-api.js';
import { Resource } from '../../controllers/resource.js';
import { consultationStatusLabel, reviewLabel, statusLabel, text, validationOutcomeLabel } from './format.js';
import type { AnswerDocuments, AnswerValue, ConsultationDetail, Matrix, RespondentAnswers } from './models.js';

/** A file answer's documents as links to the library (which checks who may read them); null for any other answer. */
const fileLinks = (value: AnswerValue | undefined, documents: AnswerDocuments) =>
  value?.type === 'file' && value.documentIds.length > 0
    ? html`${value.documentIds.map((id, i) => html`${i > 0 ? '; ' : ''}<a href=${`/documents/${encodeURIComponent(id)}`}>${documents[id] ? label(documents[id].title) : id}</a>`)}`
    : null;

/**
 * A consultation's page: its texts and deadline in the reader's zone, the published summary, the
 * reader's delegation's answer (cn-consultation-answer-form), and for the organizers the response
 * matrix (live: a country's status changes as its delegation works), each country's answers with
 * queries and acceptance, and the exports.
 */
export class CnConsultationPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      .table-wrap {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        border-bottom: 1px solid var(--cn-color-border, #ddd);
        padding: 0.35rem;
        text-align: start;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
      }
      textarea,
      select {
        font: inherit;
        max-width: 100%;
      }
    `,
  ];

  static override properties = {
    consultationId: { type: String },
    selected: { state: true },
    actionError: { state: true },
  };

  declare consultationId: string;
  declare private selected: RespondentAnswers | null;
  declare private actionError: unknown;

  /** The consultation, and for its organizers the response matrix. */
  private page = new Resource(this, {
    args: () => [this.consultationId] as const,
    load: async ([id], signal) => {
      const consultation = await consultationsApi.get(id, signal);
      const matrix = consultation.mayManage && consultation.status !== 'draft' ? await consultationsApi.matrix(id, signal) : null;
      return { consultation, matrix };
    },
    staleOnFailure: true,
  });

  private get consultation(): ConsultationDetail | null {
    return this.page.value?.consultation ?? null;
  }

  private live = new LiveSubscriptionController(this, {
    topics: () => (this.consultationId ? [`consultation:${this.consultationId}`] : []),
    onMessage: (message) => this.onLive(message),
  });

  constructor() {
    super();
    this.consultationId = '';
    this.selected = null;
    this.actionError = null;
  }

  private onLive(message: LiveTopicMessage) {
    if (message.type !== 'event') return;
    if (message.event === 'consultation.respondent' || message.event === 'consultation.review') {
      if (this.consultation?.mayManage) {
        void consultationsApi.matrix(this.consultationId).then((matrix) => {
          if (this.page.value) this.page.value = { ...this.page.value, matrix };
        });
      }
      const respondent = (message.payload as { respondent?: string }).respondent;
      if (this.selected && respondent === this.selected.respondent.id) void this.select(respondent);
    } else if (message.event === 'consultation.summary' || message.event === 'consultation.closed' || message.event === 'consultation.updated') void this.page.run();
  }

  private async select(respondent: string) {
    try {
      this.selected = await consultationsApi.respondent(this.consultationId, respondent);
    } catch (error) {
      this.actionError = error;
    }
  }

  private async sendQuery(form: HTMLFormElement) {
    if (!this.selected) return;
    const question = (form.elements.namedItem('question') as HTMLSelectElement).value;
    const body = (form.elements.namedItem('query') as HTMLTextAreaElement).value;
    if (!body.trim()) return;
    try {
      await consultationsApi.query(this.consultationId, this.selected.respondent.id, question, body);
      form.reset();
      await this.select(this.selected.respondent.id);
    } catch (error) {
      this.actionError = error;
    }
  }

  private async act(work: () => Promise<unknown>) {
    this.actionError = null;
    try {
      await work();
      if (this.selected) await this.select(this.selected.respondent.id);
    } catch (error) {
      this.actionError = error;
    }
  }

  protected override render() {
    return this.page.render({ loading: msg('Loading the consultation…'), complete: ({ consultation, matrix }) => this.renderPage(consultation, matrix) });
  }

  private renderPage(c: ConsultationDetail, matrix: Matrix | null) {
    const local = c.deadlineForReader;
    return html`
      <p class="small"><a href="/consultations">${msg('← All consultations')}</a></p>
      <div class="page-header">
        <h1 tabindex="-1">${text(c.title)}</h1>
        <p class="lead">
          ${consultationStatusLabel(c.status)} · ${msg(str`Deadline ${local.date} ${local.time} (your time)`)}
        </p>
        ${text(c.purpose) ? html`<p>${text(c.purpose)}</p>` : nothing}
        ${c.mayManage && c.status === 'draft' ? html`<p><cn-button><a href=${`/consultations/${encodeURIComponent(c.id)}/edit`}>${msg('Edit the questionnaire')}</a></cn-button></p>` : nothing}
      </div>
      ${c.summary ? html`<section class="card stack"><h2>${msg('Summary')}</h2><p>${text(c.summary.text)}</p></section>` : nothing}
      ${this.renderRelated(c)}
      ${c.mine && c.status !== 'draft' ? html`<cn-consultation-answer-form .consultation=${c}></cn-consultation-answer-form>` : nothing}
      ${c.mayManage && matrix ? this.renderOrganizer(c, matrix) : nothing}
    `;
  }

  /** What the consultation is about: the indicators, and the documents and meetings this reader may open. */
  private renderRelated(c: ConsultationDetail) {
    const { items, indicators } = c.related;
    if (items.length === 0 && indicators.length === 0) return nothing;
    const documents = items.filter((item) => item.kind === 'document');
    const meetings = items.filter((item) => item.kind === 'meeting');
    const list = (heading: string, links: typeof items) =>
      links.length === 0 ? nothing : html`<h3>${heading}</h3><ul>${links.map((item) => html`<li><a href=${item.href}>${item.title}</a></li>`)}</ul>`;
    return html`<section class="card stack" aria-labelledby="related-heading" data-related>
      <h2 id="related-heading">${msg('Related')}</h2>
      ${indicators.length > 0 ? html`<h3>${msg('Indicators')}</h3><p>${indicators.join(', ')}</p>` : nothing}
      ${list(msg('Documents'), documents)}
      ${list(msg('Meetings'), meetings)}
    </section>`;
  }

  private renderOrganizer(c: ConsultationDetail, matrix: Matrix) {
    return html`
      <section class="stack" aria-labelledby="matrix-heading">
        <h2 id="matrix-heading">${msg('Responses')}</h2>
        <p class="small">${msg(str`${matrix.counts.submitted} of ${matrix.total} submitted`)}</p>
        <div class="row">
          <a href=${exportHref(c.id, 'xlsx', 'wide')} download data-export="xlsx">${msg('Download (Excel, a row per country)')}</a>
          <a href=${exportHref(c.id, 'xlsx', 'long')} download>${msg('Download (Excel, a row per answer)')}</a>
          <a href=${exportHref(c.id, 'csv', 'long')} download>${msg('Download (CSV)')}</a>
          <a href=${reportHref(c.id)} target="_blank" rel="noopener" data-report>${msg('Consolidated report (printable)')}</a>
        </div>
        <div class="table-wrap">
          <table data-matrix>
            <caption class="visually-hidden">${msg('Status of each country')}</caption>
            <thead><tr><th scope="col">${msg('Country')}</th><th scope="col">${msg('Status')}</th><th scope="col">${msg('Open queries')}</th><th scope="col"><span class="visually-hidden">${msg('Actions')}</span></th></tr></thead>
            <tbody>
              ${matrix.rows.map(
                (row) => html`<tr data-respondent=${row.respondent.id}>
                  <th scope="row">${label(row.respondent.name)}</th>
                  <td data-status=${row.status}>${statusLabel(row.status)}${row.lastSubmittedAt ? html` <span class="small">${formatDateTime(row.lastSubmittedAt, this.user?.timeZone)}</span>` : nothing}</td>
                  <td>${row.openQueries}</td>
                  <td>${row.submissions > 0 ? html`<cn-button><button type="button" data-review=${row.respondent.id} @click=${() => this.select(row.respondent.id)}>${msg('Review')}</button></cn-button>` : nothing}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
      ${this.actionError ? html`<div class="alert alert-error" role="alert">${describeError(this.actionError)}</div>` : nothing}
      ${this.selected ? this.renderRespondent(c, this.selected) : nothing}
    `;
  }

  /** A data validation round: what the discrepancy register made of each corrected or explained row. */
  private renderValidation(submission: RespondentAnswers['submissions'][number]) {
    const lines = (submission.validation ?? []).filter((line) => line.action !== 'confirm');
    if (lines.length === 0) return nothing;
    return html`<div class="stack small" data-validation>
      <h3>${msg('In the discrepancy register')}</h3>
      <ul>
        ${lines.map(
          (line) => html`<li data-outcome=${line.outcome}>
            ${line.row}: ${validationOutcomeLabel(line.outcome)}
            ${line.caseId ? html` · <a href=${`/discrepancies/cases/${encodeURIComponent(line.caseId)}`}>${msg('the case')}</a>` : nothing}
          </li>`,
        )}
      </ul>
    </div>`;
  }

  private renderRespondent(c: ConsultationDetail, selected: RespondentAnswers) {
    const latest = selected.submissions.at(-1);
    const questions = c.questionnaire.sections.flatMap((section) => section.questions);
    const reviewOf = (question: string) => selected.reviews.find((review) => review.question === question);
    return html`<section class="card stack" aria-labelledby="respondent-heading" data-reviewing=${selected.respondent.id}>
      <h2 id="respondent-heading">${label(selected.respondent.name)}</h2>
      ${latest
        ? html`<p class="small">${msg(str`Submission ${latest.number}, ${formatDateTime(latest.at, this.user?.timeZone)}`)}</p>
            ${latest.changes.length > 0 ? html`<ul class="small">${latest.changes.map((change) => html`<li>${change}</li>`)}</ul>` : nothing}
            ${this.renderValidation(latest)}
            <dl>
              ${questions.map((question) => {
                const review = reviewOf(question.id);
                return html`<dt>${label(question.label)}</dt>
                  <dd data-answer=${question.id}>
                    ${fileLinks(latest.answers[question.id], selected.documents) ?? answerText(question, latest.answers[question.id])}
                    ${review ? html` · <span class="small" data-review-status=${review.status}>${reviewLabel(review.status)}</span>` : nothing}
                    ${latest.answers[question.id] && review?.status !== 'accepted' && review?.status !== 'query_open'
                      ? html` <cn-button><button type="button" @click=${() => this.act(() => consultationsApi.accept(c.id, selected.respondent.id, question.id))}>${msg('Accept')}</button></cn-button>`
                      : nothing}
                    ${(review?.queries ?? []).map(
                      (query) => html`<div class="stack small" data-query=${query.id}>
                        ${query.messages.map((message) => html`<p>${message.by?.displayName ?? ''}: ${message.text}</p>`)}
                        ${query.resolvedAt
                          ? html`<p>${msg('Resolved')}</p>`
                          : html`<div><cn-button><button type="button" @click=${() => this.act(() => consultationsApi.resolve(c.id, selected.respondent.id, query.id))}>${msg('Mark resolved')}</button></cn-button></div>`}
                      </div>`,
                    )}
                  </dd>`;
              })}
            </dl>
            <form class="stack" data-query-form @submit=${(event: Event) => {
              event.preventDefault();
              void this.sendQuery(event.target as HTMLFormElement);
            }}>
              <h3>${msg('Send a query to the country')}</h3>
              <label>${msg('About the answer to')}<select name="question">${questions.filter((question) => latest.answers[question.id]).map((question) => html`<option value=${question.id}>${label(question.label)}</option>`)}</select></label>
              <label>${msg('Query')}<textarea name="query" rows="2"></textarea></label>
              <div><cn-button><button type="submit">${msg('Send the query')}</button></cn-button></div>
            </form>`
        : html`<p class="empty">${msg('Nothing submitted yet.')}</p>`}
    </section>`;
  }
}
