import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { isApiError } from '../../app/api.js';
import { describeError } from '../../app/errors.js';
import { formatDateTime, organizationAcronym } from '../../app/format.js';
import { Resource } from '../../controllers/resource.js';
import { controlStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { discrepanciesApi, type ImportOptions, type ImportRefusal, type Release } from './discrepancies-api.js';

const MAX_BYTES = 64 * 1024 * 1024;

/**
 * Importing values: an international release as UNSD's SDG API exports it (CSV, as it is), or a
 * country's values in the national template (CSV or XLSX, downloadable here). A file is taken
 * whole or not at all; when refused, every refused row is listed with its reason.
 */
export class CnDiscrepancyImportPage extends AppElement {
  static override properties = { side: { state: true }, busy: { state: true }, refusal: { state: true }, problem: { state: true }, done: { state: true } };
  static override styles = [
    baseStyles,
    pageStyles,
    controlStyles,
    css`
      form {
        max-inline-size: 40rem;
      }
      input[type='text'],
      input[type='url'],
      input[type='date'],
      select {
        inline-size: 100%;
      }
      .errors {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        font-size: 0.875rem;
      }
      th,
      td {
        border-block-end: 1px solid var(--cn-color-border);
        padding: 0.25rem 0.5rem;
        text-align: start;
        vertical-align: top;
      }
      .releases {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: var(--cn-space-2);
      }
    `,
  ];

  declare private side: 'international' | 'national';
  declare private busy: boolean;
  declare private refusal: ImportRefusal | null;
  declare private problem: string;
  declare private done: Release | null;

  constructor() {
    super();
    this.side = 'national';
    this.busy = false;
    this.refusal = null;
    this.problem = '';
    this.done = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const user = this.user;
    if (user && (user.role === 'secretariat' || user.role === 'observer')) this.side = 'international';
  }

  private releases = new Resource(this, {
    load: (_args, signal) => discrepanciesApi.releases(signal),
    args: () => [this.done?.id] as const,
    isEmpty: ({ items }) => items.length === 0,
    keepWhileLoading: true,
  });

  protected override render() {
    const lang = this.user?.locale === 'es' ? 'es' : 'en';
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg('Import values')}</h1>
        <p class="lead">${msg('A file is taken whole or not at all: if any row is refused, nothing is stored and every refused row is listed.')}</p>
      </div>
      <form class="card stack" @submit=${this.submit} aria-describedby="import-help">
        <fieldset class="stack">
          <legend>${msg('Which side')}</legend>
          <label><input type="radio" name="side" value="international" ?checked=${this.side === 'international'} @change=${() => (this.side = 'international')} /> ${msg('International: a UNSD SDG API export (CSV, as downloaded)')}</label>
          <label><input type="radio" name="side" value="national" ?checked=${this.side === 'national'} @change=${() => (this.side = 'national')} /> ${msg('National: the national template (CSV or XLSX)')}</label>
        </fieldset>
        ${this.side === 'international'
          ? html`<div class="control">
              <label for="agency">${msg('Agency that published the values')}</label>
              <select id="agency" name="agencyId" required>
                ${this.services.organizations.map((o) => html`<option value=${o.id} ?selected=${o.id === (this.user?.organizationId ?? 'unicef')}>${organizationAcronym(o)}</option>`)}
              </select>
            </div>`
          : html`<p id="import-help" class="muted">
              ${msg('Download the template:')} <a href=${discrepanciesApi.templateHref(lang, 'csv')} download>CSV</a> · <a href=${discrepanciesApi.templateHref(lang, 'xlsx')} download>XLSX</a>
            </p>`}
        <div class="control">
          <label for="title">${this.side === 'international' ? msg('Database and release (e.g. SDG Global Database 2026.Q2)') : msg('Source (e.g. Vital statistics 2024)')}</label>
          <input id="title" name="title" type="text" maxlength="200" required />
        </div>
        <div class="control">
          <label for="releaseDate">${msg('Release date')} <span class="optional">${msg('(optional)')}</span></label>
          <input id="releaseDate" name="releaseDate" type="date" />
        </div>
        <div class="control">
          <label for="link">${msg('Link')} <span class="optional">${msg('(optional)')}</span></label>
          <input id="link" name="link" type="url" maxlength="2000" placeholder="https://" />
        </div>
        <div class="control">
          <label for="file">${msg('File')}</label>
          <input id="file" name="file" type="file" required accept=${this.side === 'international' ? '.csv,text/csv' : '.csv,.xlsx,text/csv'} />
        </div>
        <div class="form-actions"><cn-button variant="primary"><button type="submit" ?disabled=${this.busy}>${this.busy ? msg('Importing…') : msg('Import')}</button></cn-button></div>
      </form>
      ${this.problem ? html`<div class="alert alert-error" role="alert">${this.problem}</div>` : nothing}
      ${this.done ? this.renderDone(this.done) : nothing} ${this.refusal ? this.renderRefusal(this.refusal) : nothing}
      <section class="stack" aria-labelledby="releases">
        <h2 id="releases">${msg('Latest imports')}</h2>
        ${this.releases.render({
          loading: msg('Loading…'),
          inline: true,
          empty: () => msg('Nothing imported yet.'),
          complete: ({ items }) => html`<ul class="releases">
            ${items.map((r) => html`<li>${formatDateTime(r.createdAt, this.user?.timeZone)} · <strong>${r.title}</strong> · ${r.side === 'international' ? msg('international') : msg('national')} · ${msg(str`${r.rowCount} values`)}</li>`)}
          </ul>`,
        })}
      </section>
    `;
  }

  private renderDone(release: Release) {
    const changes = Object.entries(release.summary.changes)
      .filter(([change]) => change !== 'unchanged' && change !== 'not_in_release')
      .reduce((sum, [, n]) => sum + n, 0);
    return html`<div class="alert alert-success" role="status" data-imported>
      ${msg(str`Imported ${release.rowCount} values (${release.summary.skipped} rows of other areas skipped). Cases opened: ${release.summary.casesOpened}. Open cases changed: ${changes}.`)}
      <a href="/discrepancies">${msg('See the matrix')}</a>
    </div>`;
  }

  private renderRefusal(refusal: ImportRefusal) {
    return html`<section class="alert alert-error stack errors" role="alert" aria-labelledby="refused">
      <h2 id="refused">${msg(str`Nothing was imported: ${refusal.refusedRows} row(s) refused`)}</h2>
      <table>
        <thead>
          <tr><th scope="col">${msg('Row')}</th><th scope="col">${msg('Column')}</th><th scope="col">${msg('Value')}</th><th scope="col">${msg('Problem')}</th></tr>
        </thead>
        <tbody>
          ${refusal.errors.map((e) => html`<tr><td>${e.row || '—'}</td><td>${e.column ?? ''}</td><td>${e.value ?? ''}</td><td>${e.message} <span class="muted">(${e.code})</span></td></tr>`)}
        </tbody>
      </table>
      ${refusal.errorsTruncated ? html`<p>${msg(str`Only the first ${refusal.errors.length} of ${refusal.errorCount} problems are listed.`)}</p>` : nothing}
    </section>`;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0) {
      this.problem = msg('Choose a file.');
      return;
    }
    if (file.size > MAX_BYTES) {
      this.problem = msg('The file is larger than 64 MB; split it.');
      return;
    }
    const xlsx = file.name.toLowerCase().endsWith('.xlsx');
    const options: ImportOptions = {
      side: this.side,
      format: this.side === 'international' ? 'unsd_csv' : xlsx ? 'national_xlsx' : 'national_csv',
      title: String(data.get('title') ?? '').trim(),
      agencyId: this.side === 'international' ? String(data.get('agencyId') ?? '') : undefined,
      releaseDate: String(data.get('releaseDate') ?? '') || undefined,
      link: String(data.get('link') ?? '').trim() || undefined,
    };
    this.busy = true;
    this.problem = '';
    this.refusal = null;
    this.done = null;
    try {
      this.done = await discrepanciesApi.importFile(file, options);
      form.reset();
    } catch (error) {
      if (isApiError(error) && error.code === 'import_refused') this.refusal = error.details as ImportRefusal;
      else this.problem = describeError(error);
    } finally {
      this.busy = false;
    }
  }
}
