import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatDateTime } from '../../app/format.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { roundHref, roundsApi, type RoundSummary } from './rounds-api.js';
import { localized, statusLabel } from './rounds-format.js';

const ORGANIZER_ROLES = ['secretariat', 'coordinator'];

/** The group's comment rounds (or one document's), newest first; organizers start new ones here. */
export class CnRoundsPage extends AppElement {
  static override styles = [baseStyles, pageStyles, listStyles];
  static override properties = { search: { type: String }, items: { state: true }, phase: { state: true }, loadError: { state: true } };

  declare search: string;
  declare private items: RoundSummary[];
  declare private phase: 'loading' | 'ready' | 'failed';
  declare private loadError: unknown;
  private abort: AbortController | null = null;

  constructor() {
    super();
    this.search = '';
    this.items = [];
    this.phase = 'loading';
    this.loadError = null;
  }

  private get documentId(): string | null {
    return new URLSearchParams(this.search).get('documentId');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  private async load() {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.phase = 'loading';
    try {
      this.items = await roundsApi.list(this.documentId, abort.signal);
      this.phase = 'ready';
    } catch (error) {
      if (abort.signal.aborted) return;
      this.loadError = error;
      this.phase = 'failed';
    }
  }

  protected override render() {
    const organizer = ORGANIZER_ROLES.includes(this.user?.role ?? '');
    const documentId = this.documentId;
    return html`
      <div class="page-header row-between">
        <div>
          <h1 tabindex="-1">${msg('Comment rounds')}</h1>
          <p class="lead">${msg('Draft documents the countries comment on, with the secretariat’s disposition of every comment.')}</p>
        </div>
        ${organizer
          ? html`<cn-button variant="primary"><a href=${documentId ? `/rounds/new?documentId=${encodeURIComponent(documentId)}` : '/rounds/new'}>${msg('Open a comment round')}</a></cn-button>`
          : nothing}
      </div>
      ${this.renderBody()}
    `;
  }

  private renderBody() {
    if (this.phase === 'loading') return html`<div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading the comment rounds…')}</div>`;
    if (this.phase === 'failed') {
      return html`<div class="alert alert-error stack" role="alert">
        <p>${describeError(this.loadError)}</p>
        <div><cn-button><button type="button" @click=${() => this.load()}>${msg('Try again')}</button></cn-button></div>
      </div>`;
    }
    if (this.items.length === 0) return html`<p class="empty">${msg('No comment round yet.')}</p>`;
    const zone = this.user?.timeZone;
    return html`<ul class="rounds" role="list">
      ${this.items.map((round) => {
        const title = localized(round.documentTitle);
        return html`<li class="card">
          <a href=${roundHref(round.id)}><span lang=${title.lang}>${title.text}</span> · ${msg(str`version ${round.version}`)}</a>
          <p class="small muted">
            <span class="badge">${statusLabel(round.status)}</span>
            ${msg(str`Deadline: ${formatDateTime(round.deadline, zone)}`)}
          </p>
        </li>`;
      })}
    </ul>`;
  }
}
