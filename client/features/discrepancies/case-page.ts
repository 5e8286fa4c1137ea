import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { isApiError } from '../../app/api.js';
import { describeError } from '../../app/errors.js';
import { countryName, formatDateTime, organizationAcronym } from '../../app/format.js';
import { contentLanguage } from '../../app/i18n.js';
import { Resource } from '../../controllers/resource.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { controlStyles } from '../../ui/styles/list.styles.js';
import { discrepanciesApi, type CaseDetail, type CasePage, type CaseStatus } from './discrepancies-api.js';
import { formatValue, percent } from './format.js';
import { CAUSES, causeLabel, changeLabel, natureLabel, relationLabel, statusLabel } from './labels.js';
import { statusStyles } from './status-styles.js';
import { sanitizedPostHtml } from '../../ui/trusted-html.js';
import { postBodyStyles } from '../../ui/styles/post-body.styles.js';

/**
 * One discrepancy case: the two values side by side with their provenance, the chart of both
 * series, the cause, the explanation both sides agree to, the status with its history, what later
 * releases changed, and the case's discussion: its debates thread (opened by the first comment,
 * read by exactly who may see the case), whose latest posts show here with a reply box and a link
 * to the thread's page for replying to one post, quoting, agreeing. Only the acts the reader may do are offered
 * (the server says which). Changes made by others arrive over the live channel.
 */
export class CnDiscrepancyCasePage extends AppElement {
  static override properties = { caseId: {}, busy: { state: true }, problem: { state: true } };
  static override styles = [
    baseStyles,
    pageStyles,
    controlStyles,
    statusStyles,
    postBodyStyles,
    css`
      .sides {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: var(--cn-space-3);
      }
      .side h2,
      section h2 {
        font-size: 1.1rem;
      }
      .value {
        font-size: 2rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .pill {
        display: inline-block;
        padding: 0.1rem 0.6rem;
        border-radius: 999px;
        font-size: 0.875rem;
        font-weight: 600;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: var(--cn-space-1) var(--cn-space-3);
        margin: 0;
      }
      dt {
        color: var(--cn-color-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .comments,
      .history {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-2);
      }
      .comment {
        padding: var(--cn-space-3);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        background: var(--cn-color-surface);
      }
      .comment p,
      .explanation {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        margin: 0;
      }
      textarea {
        inline-size: 100%;
        min-block-size: 6rem;
        font: inherit;
      }
      fieldset {
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        padding: var(--cn-space-3);
      }
      .checks {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        gap: var(--cn-space-1);
      }
      @media print {
        form,
        cn-button,
        .discussion {
          display: none;
        }
      }
    `,
  ];

  declare caseId: string;
  declare private busy: boolean;
  declare private problem: string;

  constructor() {
    super();
    this.caseId = '';
    this.busy = false;
    this.problem = '';
  }

  // The case's topic, and its thread's once it has one: a post written on the thread's page
  // (a reply, an edit, a moderator hiding it) shows here too.
  private live = new LiveSubscriptionController(this, {
    topics: () => {
      if (!this.caseId) return [];
      const threadId = this.page.value?.discussion.thread?.id;
      return threadId ? [`discrepancy-case:${this.caseId}`, `thread:${threadId}`] : [`discrepancy-case:${this.caseId}`];
    },
    onMessage: (message) => {
      if (message.type === 'event') this.page.run();
    },
  });

  // A reload (a live event, an act) keeps the case on screen and what the reader is typing; a
  // reload that fails leaves it shown, marked out of date.
  private page = new Resource(this, {
    load: ([id], signal) => discrepanciesApi.casePage(id, signal),
    args: () => [this.caseId] as const,
    staleOnFailure: true,
  });

  protected override render() {
    const error = this.page.failed ? this.page.error : null;
    // Not there, or no longer the reader's to see (a publication withdrawn): nothing of it stays on screen.
    if (isApiError(error) && error.status === 404) {
      return html`<div class="page-header"><h1 tabindex="-1">${msg('Discrepancy case')}</h1></div>
        ${this.page.renderFailure({
          message: msg('This case does not exist, or it is not published and you are not one of its participants.'),
          retry: false,
          next: html`<p><a href="/discrepancies">${msg('Back to the matrix')}</a></p>`,
        })}`;
    }
    return this.page.render({ loading: msg('Loading the case…'), complete: (page) => this.renderCase(page) });
  }

  private renderCase(page: CasePage) {
    const c = page.case;
    const country = countryName(this.services.countries.find((x) => x.id === c.countryId));
    const agencies = c.agencyIds.map((id) => organizationAcronym(this.services.organizations.find((o) => o.id === id))).join(', ');
    return html`
      <div class="page-header">
        <p class="muted"><a href=${`/discrepancies/cases?indicator=${encodeURIComponent(c.indicator)}&countryId=${c.countryId}`}>${msg('Cases')}</a></p>
        <h1 tabindex="-1">${msg(str`Indicator ${c.indicator} · ${country} · ${c.year}`)}</h1>
        <div class="row">
          <span class="pill status-${c.status}" data-status=${c.status}>${statusLabel(c.status)}</span>
          ${c.published ? html`<span class="badge">${msg('Published')}</span>` : html`<span class="badge badge-muted">${msg('Seen by the participants only')}</span>`}
          <span class="muted">${c.series}</span>
          <a href=${discrepanciesApi.noteHref(c.id, contentLanguage())} target="_blank" rel="noopener">${msg('Printable note')}</a>
        </div>
      </div>
      ${this.problem ? html`<div class="alert alert-error" role="alert">${this.problem}</div>` : nothing}
      <div class="sides">
        <section class="card side" aria-labelledby="national">
          <h2 id="national">${msg(str`National (${country})`)}</h2>
          <div class="value" data-side="national">${formatValue(c.nationalValue)}</div>
          <dl>
            <dt>${msg('Unit')}</dt><dd>${c.unit}${c.unitMult ? ` ×10^${c.unitMult}` : ''}</dd>
            <dt>${msg('Source')}</dt><dd>${c.national.source ?? '—'}</dd>
            ${c.national.footnote ? html`<dt>${msg('Note')}</dt><dd>${c.national.footnote}</dd>` : nothing}
          </dl>
        </section>
        <section class="card side" aria-labelledby="international">
          <h2 id="international">${msg(str`International (${agencies || msg('agency')})`)}</h2>
          <div class="value" data-side="international">${formatValue(c.internationalValue)}</div>
          <dl>
            <dt>${msg('Nature')}</dt><dd>${natureLabel(c.nature)}</dd>
            <dt>${msg('Source')}</dt><dd>${c.international.source ?? '—'}</dd>
            ${c.international.footnote ? html`<dt>${msg('Note')}</dt><dd>${c.international.footnote}</dd>` : nothing}
          </dl>
        </section>
        <section class="card side" aria-labelledby="difference">
          <h2 id="difference">${msg('Difference')}</h2>
          <div class="value">${percent(c.difference.relative)}</div>
          <dl>
            <dt>${msg('Absolute')}</dt><dd>${formatValue(c.difference.absolute)}</dd>
            <dt>${msg('Tolerance')}</dt><dd>${c.tolerance.kind === 'relative' ? percent(c.tolerance.value).replace('+', '±') : `±${formatValue(c.tolerance.value)}`}</dd>
          </dl>
        </section>
      </div>
      <section class="stack" aria-labelledby="chart">
        <h2 id="chart">${msg('Both series over the years')}</h2>
        <cn-case-chart .series=${page.series}></cn-case-chart>
      </section>
      ${this.renderExplanation(c)} ${this.renderCauses(c)} ${this.renderStatus(c)}
      ${c.changes.length > 0
        ? html`<section class="stack" aria-labelledby="changes">
            <h2 id="changes">${msg('What later releases changed')}</h2>
            <ul class="history">
              ${c.changes.map((change) => html`<li>${formatDateTime(change.at, this.user?.timeZone)}: ${changeLabel(change.change)} (${change.before === null ? '—' : formatValue(change.before)} → ${change.after === null ? '—' : formatValue(change.after)})</li>`)}
            </ul>
          </section>`
        : nothing}
      ${this.renderDiscussion(page)}
    `;
  }

  private renderExplanation(c: CaseDetail) {
    const e = c.explanation;
    return html`<section class="stack" aria-labelledby="explanation">
      <h2 id="explanation">${msg('Explanation')}</h2>
      ${e
        ? html`<p class="explanation" data-explanation>${e.text}</p>
            <p class="muted">
              ${e.agreedByCountry ? msg(str`Agreed by the country (${e.agreedByCountry.by?.name ?? ''}).`) : msg('Not yet agreed by the country.')}
              ${e.agreedByAgency ? msg(str`Agreed by the agency (${e.agreedByAgency.by?.name ?? ''}).`) : msg('Not yet agreed by the agency.')}
            </p>`
        : html`<p class="muted">${msg('No explanation yet.')}</p>`}
      ${c.allowed.explanation
        ? html`<form class="stack" @submit=${(event: SubmitEvent) => this.saveExplanation(event)}>
            <label for="explanation-text">${e ? msg('Change the explanation (both sides must agree again)') : msg('Write the explanation')}</label>
            <textarea id="explanation-text" name="text" maxlength="20000" required>${e?.text ?? ''}</textarea>
            <div><cn-button><button type="submit" ?disabled=${this.busy}>${msg('Save the explanation')}</button></cn-button></div>
          </form>`
        : nothing}
      <div class="row">
        ${c.allowed.agree ? html`<cn-button><button type="button" ?disabled=${this.busy} @click=${() => this.run(() => discrepanciesApi.agree(c.id))}>${msg('Agree to this explanation')}</button></cn-button>` : nothing}
        ${c.allowed.publish ? html`<cn-button variant="primary"><button type="button" ?disabled=${this.busy} @click=${() => this.run(() => discrepanciesApi.publish(c.id))}>${msg('Publish side by side')}</button></cn-button>` : nothing}
      </div>
    </section>`;
  }

  private renderCauses(c: CaseDetail) {
    return html`<section class="stack" aria-labelledby="cause">
      <h2 id="cause">${msg('Cause')}</h2>
      <p data-cause=${c.primaryCause ?? ''}>
        ${c.primaryCause ? causeLabel(c.primaryCause) : msg('No cause set yet.')}
        ${c.secondaryCauses.length > 0 ? html`<span class="muted">(${msg('also')}: ${c.secondaryCauses.map(causeLabel).join(', ')})</span>` : nothing}
      </p>
      ${c.allowed.causes
        ? html`<form class="stack" @submit=${(event: SubmitEvent) => this.saveCauses(event)}>
            <div class="control">
              <label for="primary">${msg('Primary cause')}</label>
              <select id="primary" name="primary" required>
                <option value="">${msg('Choose a cause')}</option>
                ${CAUSES.map((cause) => html`<option value=${cause} ?selected=${c.primaryCause === cause}>${causeLabel(cause)}</option>`)}
              </select>
            </div>
            <fieldset>
              <legend>${msg('Secondary causes')}</legend>
              <div class="checks">
                ${CAUSES.map((cause) => html`<label><input type="checkbox" name="secondary" value=${cause} ?checked=${c.secondaryCauses.includes(cause)} /> ${causeLabel(cause)}</label>`)}
              </div>
            </fieldset>
            <div><cn-button><button type="submit" ?disabled=${this.busy}>${msg('Save the causes')}</button></cn-button></div>
          </form>`
        : nothing}
    </section>`;
  }

  private renderStatus(c: CaseDetail) {
    return html`<section class="stack" aria-labelledby="status">
      <h2 id="status">${msg('Status and history')}</h2>
      ${c.allowed.transitions.length > 0
        ? html`<form class="stack" @submit=${(event: SubmitEvent) => this.move(event, c)}>
            <div class="control">
              <label for="to">${msg('Move the case to')}</label>
              <select id="to" name="to" required>
                ${c.allowed.transitions.map((to) => html`<option value=${to}>${statusLabel(to)}</option>`)}
              </select>
            </div>
            <label for="note">${msg('Note (optional)')}</label>
            <textarea id="note" name="note" maxlength="5000"></textarea>
            <div><cn-button><button type="submit" ?disabled=${this.busy}>${msg('Change the status')}</button></cn-button></div>
          </form>`
        : nothing}
      ${c.history.length === 0
        ? html`<p class="muted">${msg('Identified on import; not moved yet.')}</p>`
        : html`<ol class="history">
            ${c.history.map(
              (h) => html`<li>
                ${formatDateTime(h.at, this.user?.timeZone)}: ${statusLabel(h.from)} → <strong>${statusLabel(h.to)}</strong>,
                ${h.by?.name ?? ''} (${relationLabel(h.relation)})${h.note ? html`: <q>${h.note}</q>` : nothing}
                ${h.withdrewPublication ? html`<span class="badge badge-muted">${msg('publication withdrawn')}</span>` : nothing}
              </li>`,
            )}
          </ol>`}
    </section>`;
  }

  private renderDiscussion(page: CasePage) {
    return html`<section class="stack discussion" aria-labelledby="discussion">
      <h2 id="discussion">${msg('Discussion')}</h2>
      <p class="muted small">${page.case.published ? msg('Seen by the whole group.') : msg('Seen only by the country’s delegation, the agency’s observers, the coordinator and the secretariat.')}</p>
      ${this.renderPosts(page.discussion)}
      ${page.case.allowed.comment
        ? html`<form class="stack" @submit=${(event: SubmitEvent) => this.postComment(event)}>
            <label for="comment">${msg('Your comment')}</label>
            <textarea id="comment" name="body" maxlength="10000" required></textarea>
            <div><cn-button variant="primary"><button type="submit" ?disabled=${this.busy}>${msg('Comment')}</button></cn-button></div>
          </form>`
        : nothing}
    </section>`;
  }

  private renderPosts({ thread, posts }: CasePage['discussion']) {
    if (!thread || posts.length === 0) return html`<p class="muted">${msg('No comments yet.')}</p>`;
    const earlier = thread.postCount - posts.length;
    return html`<p><a href=${thread.href} data-thread-link>${msg('Open the whole thread')}</a></p>
      ${earlier > 0 ? html`<p class="muted small">${msg(str`Earlier posts (${earlier}) are on the thread's page.`)}</p>` : nothing}
      <ol class="comments">
        ${posts.map(
          (post) => html`<li class="comment" data-post-id=${post.id}>
            <div class="muted small">${post.author.name} · ${formatDateTime(post.createdAt, this.user?.timeZone)}</div>
            ${post.html === null
              ? html`<p class="muted">${msg('A moderator hid this post.')}</p>`
              : html`<div class="post-body">${sanitizedPostHtml(post.html, this.services.countries)}</div>`}
          </li>`,
        )}
      </ol>`;
  }

  /** Runs one act; on success the page shows the new state (also what others did meanwhile). */
  private async run(act: () => Promise<unknown>, form?: HTMLFormElement): Promise<void> {
    this.busy = true;
    this.problem = '';
    try {
      await act();
      form?.reset();
      await this.page.run();
    } catch (error) {
      this.problem = isApiError(error) && error.code === 'case_changed' ? msg('Someone changed the case meanwhile: the page shows it now; try again.') : describeError(error);
      if (isApiError(error) && error.code === 'case_changed') await this.page.run();
    } finally {
      this.busy = false;
    }
  }

  private saveExplanation(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const text = String(new FormData(form).get('text') ?? '').trim();
    if (!text) return;
    void this.run(() => discrepanciesApi.setExplanation(this.caseId, text));
  }

  private saveCauses(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const primary = String(data.get('primary') ?? '');
    if (!primary) return;
    const secondary = data.getAll('secondary').map(String).filter((cause) => cause !== primary);
    void this.run(() => discrepanciesApi.setCauses(this.caseId, primary, secondary));
  }

  private move(event: SubmitEvent, c: CaseDetail) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const to = String(data.get('to') ?? '') as CaseStatus;
    void this.run(() => discrepanciesApi.move(this.caseId, to, String(data.get('note') ?? '').trim(), c.version), form);
  }

  private postComment(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const body = String(new FormData(form).get('body') ?? '').trim();
    if (!body) return;
    void this.run(() => discrepanciesApi.comment(this.caseId, body), form);
  }
}
