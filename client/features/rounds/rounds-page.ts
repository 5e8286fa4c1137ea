import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { formatDateTime } from '../../app/format.js';
import { Resource } from '../../controllers/resource.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { roundHref, roundsApi, type RoundSummary } from './rounds-api.js';
import { localized, statusLabel } from './rounds-format.js';

const ORGANIZER_ROLES = ['secretariat', 'coordinator'];

/** The group's comment rounds (or one document's), newest first; organizers start new ones here. */
export class CnRoundsPage extends AppElement {
  static override styles = [baseStyles, pageStyles, listStyles];
  static override properties = { search: { type: String } };

  declare search: string;

  private rounds = new Resource(this, {
    load: ([documentId], signal) => roundsApi.list(documentId, signal),
    args: () => [this.documentId] as const,
    isEmpty: (items: RoundSummary[]) => items.length === 0,
  });

  constructor() {
    super();
    this.search = '';
  }

  private get documentId(): string | null {
    return new URLSearchParams(this.search).get('documentId');
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
    return this.rounds.render({
      loading: msg('Loading the comment rounds…'),
      empty: () => msg('No comment round yet.'),
      complete: (items) => this.renderList(items),
    });
  }

  private renderList(items: RoundSummary[]) {
    const zone = this.user?.timeZone;
    return html`<ul class="rounds" role="list">
      ${items.map((round) => {
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
