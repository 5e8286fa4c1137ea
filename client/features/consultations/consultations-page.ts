import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { Resource } from '../../controllers/resource.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { consultationsApi } from './consultations-api.js';
import { consultationHref, consultationStatusLabel, statusLabel, text } from './format.js';
import type { ConsultationSummary } from './models.js';

const ORGANIZERS = ['admin', 'coordinator', 'secretariat'];

/** Consultations I may see, with what my delegation still has to answer first ("waiting for my country"). */
export class CnConsultationsPage extends AppElement {
  static override styles = [baseStyles, pageStyles, listStyles];

  private list = new Resource(this, {
    args: () => [] as const,
    load: (_args, signal) => consultationsApi.list(signal),
  });

  protected override render() {
    const organizer = ORGANIZERS.includes(this.user?.role ?? '');
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg('Consultations')}</h1>
        <p class="lead">${msg('Questionnaires and consultations the group addresses to the countries.')}</p>
        ${organizer ? html`<p><cn-button variant="primary"><a href="/consultations/new">${msg('New consultation')}</a></cn-button></p>` : nothing}
      </div>
      ${this.renderBody()}
    `;
  }

  private renderBody() {
    return this.list.render({
      loading: msg('Loading consultations…'),
      complete: ({ items, waiting }) => html`
        ${waiting.length > 0
          ? html`<section class="card stack" aria-labelledby="waiting-heading" data-waiting>
              <h2 id="waiting-heading">${msg('Waiting for my country')}</h2>
              <ul class="list">${waiting.map((item) => this.renderItem(item))}</ul>
            </section>`
          : nothing}
        <section class="stack" aria-labelledby="all-heading">
          <h2 id="all-heading">${msg('All consultations')}</h2>
          ${items.length === 0 ? html`<p class="empty">${msg('No consultations yet.')}</p>` : html`<ul class="list">${items.map((item) => this.renderItem(item))}</ul>`}
        </section>
      `,
    });
  }

  private renderItem(item: ConsultationSummary) {
    const local = item.deadlineForReader;
    return html`<li>
      <a href=${consultationHref(item.id)}>${text(item.title)}</a>
      <span class="small">
        ${consultationStatusLabel(item.status)} ·
        ${msg(str`Deadline ${local.date} ${local.time} (your time)`)}
        ${item.mine ? html` · ${msg(str`My country: ${statusLabel(item.mine.status)}`)}` : nothing}
      </span>
    </li>`;
  }
}
