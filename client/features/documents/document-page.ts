import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatBytes, opensInBrowser } from '../../app/files.js';
import { affiliationLabel, formatDateTime, formatNumber, sentence } from '../../app/format.js';
import { currentLocation, loginPath } from '../../app/navigation.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { tableStyles } from '../../ui/styles/table.styles.js';
import { chipStyles } from '../../ui/styles/chip.styles.js';
import type { CnDocumentEditDialog } from './document-edit-dialog.js';
import { documentsApi, downloadHref } from './documents-api.js';
import { formatCalendarDate, languageLabel, localizedText, TRASH_DAYS, typeLabel, visibilityHint, visibilityLabel } from './documents-format.js';
import type { DocumentDetail, Version } from './models.js';
import { documentRoundsHref } from '../rounds/public.js';

/**
 * One document: its details, downloads, version history and, for publishers, a new version,
 * editing, deletion and the activity. A public document opens without signing in.
 */
export class CnDocumentPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    tableStyles,
    chipStyles,
    css`
      .badges {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2);
      }

      h1 {
        overflow-wrap: anywhere;
      }

      .stack-lg > .page-header {
        margin-block-end: 0;
      }

      .downloads {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cn-space-3);
      }

      .file {
        color: var(--cn-color-muted);
        font-size: 0.875rem;
        overflow-wrap: anywhere;
      }

      .description {
        white-space: pre-wrap;
        max-inline-size: 70ch;
      }

      section {
        display: grid;
        gap: var(--cn-space-3);
      }

      .note {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }

      td.number {
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  static override properties = {
    documentId: {},
    deleting: { state: true },
    revision: { state: true },
  };

  /** From the route /documents/:id. */
  declare documentId: string;
  declare private deleting: boolean;
  /** Bumped after each change, so the activity list reloads. */
  declare private revision: number;

  private loaded = new Resource(this, {
    load: ([id], signal) => documentsApi.get(id, signal),
    args: () => [this.documentId] as const,
  });

  /** The document as shown: loaded, then as the publisher's changes left it. */
  private get document(): DocumentDetail | null {
    return this.loaded.value ?? null;
  }

  private set document(document: DocumentDetail) {
    this.loaded.value = document;
  }

  constructor() {
    super();
    this.documentId = '';
    this.deleting = false;
    this.revision = 0;
  }

  protected override render() {
    const back = this.user ? html`<p class="small"><a href="/documents">${msg('← Back to the library')}</a></p>` : nothing;
    if (this.loaded.failed) return html`${back}${this.renderError(this.loaded.error)}`;
    if (!this.document) {
      return html`
        ${back}
        <h1 tabindex="-1" class="visually-hidden">${msg('Document')}</h1>
        ${this.loaded.renderLoading(msg('Loading the document…'))}
      `;
    }
    return html`${back}${this.renderDocument(this.document)}`;
  }

  private renderError(error: unknown) {
    const missing = isApiError(error) && error.status === 404;
    if (!missing) {
      return html`
        <div class="page-header"><h1 tabindex="-1">${msg('The document could not be loaded')}</h1></div>
        ${this.loaded.renderFailure()}
      `;
    }
    // The server answers 404 for a document one may not see, so a signed-out visitor is offered to sign in.
    return html`
      <div class="page-header"><h1 tabindex="-1">${msg('Document not found')}</h1></div>
      ${this.loaded.renderFailure({
        message: msg('This document does not exist, was deleted, or is not shared with you.'),
        retry: false,
        next: this.user
          ? html`<p><a href="/documents">${msg('Go to the library')}</a></p>`
          : html`<p><a href=${loginPath(currentLocation())}>${msg('Sign in to see the documents of your group')}</a></p>`,
      })}
    `;
  }

  private renderDocument(document: DocumentDetail) {
    const title = localizedText(document.title);
    const otherTitle = title.lang === 'es' ? document.title.en : document.title.es;
    const description = localizedText(document.description);
    const latest = document.latestVersion;
    return html`
      <div class="stack-lg">
        <div class="page-header">
          <div class="badges">
            <span class="badge">${typeLabel(document.type)}</span>
            ${document.visibility === 'group' ? nothing : html`<span class="badge ${document.visibility === 'draft' ? 'badge-muted' : ''}">${visibilityLabel(document.visibility)}</span>`}
            ${document.deletedAt ? html`<span class="badge badge-danger">${msg('In the trash')}</span>` : nothing}
          </div>
          <h1 tabindex="-1" lang=${title.lang}>${title.text}</h1>
          ${otherTitle.trim() && otherTitle !== title.text ? html`<p class="lead" lang=${title.lang === 'es' ? 'en' : 'es'}>${otherTitle}</p>` : nothing}
        </div>
        ${document.deletedAt
          ? html`<p class="alert alert-info">${sentence(msg(str`This document was moved to the trash on ${formatDateTime(document.deletedAt, this.user?.timeZone)}.`))}</p>`
          : nothing}
        <div class="downloads">
          <cn-button variant="primary"><a href=${downloadHref(document.id, { attachment: true })} download>${msg('Download')}</a></cn-button>
          ${opensInBrowser(latest.mime)
            ? html`<cn-button>
                <a href=${downloadHref(document.id)} target="_blank" rel="noopener">${msg('Open')}<span class="visually-hidden"> ${msg('(opens in a new tab)')}</span></a>
              </cn-button>`
            : nothing}
          <span class="file">${latest.fileName} · ${formatBytes(latest.size)}</span>
        </div>
        ${document.mayEdit ? this.renderPublisherActions() : nothing}
        ${description.text.trim() ? html`<p class="description" lang=${description.lang}>${description.text}</p>` : nothing}
        ${this.renderDetails(document)} ${this.renderVersions(document)}
        ${this.user ? html`<p><a href=${documentRoundsHref(document.id)}>${msg('Comment rounds on this document')}</a></p>` : nothing}
        ${document.mayEdit
          ? html`
              <section class="card" aria-labelledby="new-version-heading">
                <h2 id="new-version-heading">${msg('Upload a new version')}</h2>
                <cn-version-upload-form .documentId=${document.id} @cn-document-changed=${this.onChanged}></cn-version-upload-form>
              </section>
              <section aria-labelledby="activity-heading">
                <h2 id="activity-heading">${msg('Activity')}</h2>
                <cn-document-activity .documentId=${document.id} .revision=${this.revision}></cn-document-activity>
              </section>
              <cn-document-edit-dialog .document=${document} @cn-document-changed=${this.onChanged}></cn-document-edit-dialog>
              ${this.renderDeleteDialog()}
            `
          : nothing}
      </div>
    `;
  }

  private renderPublisherActions() {
    return html`
      <div class="row">
        <cn-button size="small"><button type="button" @click=${this.edit}>${msg('Edit the details')}</button></cn-button>
        ${this.document?.deletedAt
          ? nothing
          : html`<cn-button size="small" variant="danger"><button type="button" @click=${this.confirmDelete}>${msg('Delete')}</button></cn-button>`}
      </div>
    `;
  }

  private renderDetails(document: DocumentDetail) {
    const { countries, organizations } = this.services;
    const author = affiliationLabel({ countryId: document.authorCountryId, organizationId: document.authorOrganizationId }, countries, organizations);
    // Filters are library links, and the library needs a session: a visitor gets plain text.
    const signedIn = this.user !== null;
    const chip = (label: string, query: Record<string, string>, indicator = false) =>
      signedIn
        ? html`<li><a class="chip ${indicator ? 'chip-indicator' : ''}" href=${`/documents?${new URLSearchParams(query)}`}>${label}</a></li>`
        : html`<li><span class="chip ${indicator ? 'chip-indicator' : ''}">${label}</span></li>`;
    return html`
      <dl class="details card">
        <dt>${msg('Publication date')}</dt>
        <dd><time datetime=${document.publicationDate}>${formatCalendarDate(document.publicationDate)}</time></dd>
        <dt>${msg('Languages')}</dt>
        <dd>${document.languages.map(languageLabel).join(', ')}</dd>
        ${author ? html`<dt>${msg('Author')}</dt><dd>${author}</dd>` : nothing}
        <dt>${msg('Current version')}</dt>
        <dd>${msg(str`Version ${document.latestVersion.number}, ${formatDateTime(document.latestVersion.uploadedAt, this.user?.timeZone)}`)}</dd>
        <dt>${msg('Downloads')}</dt>
        <dd>${formatNumber(document.downloadCount)}</dd>
        <dt>${msg('Who can see it')}</dt>
        <dd>${visibilityLabel(document.visibility)}: ${visibilityHint(document.visibility)}</dd>
        ${document.tags.length > 0
          ? html`<dt>${msg('Tags')}</dt><dd><ul class="plain chips">${document.tags.map((tag) => chip(`#${tag}`, { tag }))}</ul></dd>`
          : nothing}
        ${document.indicatorCodes.length > 0
          ? html`<dt>${msg('Indicators')}</dt><dd><ul class="plain chips">${document.indicatorCodes.map((code) => chip(code, { indicator: code }, true))}</ul></dd>`
          : nothing}
        ${document.relatedThreadId && signedIn
          ? html`<dt>${msg('Related debate')}</dt><dd><a href=${`/debates/t/${encodeURIComponent(document.relatedThreadId)}`}>${msg('Open the debate')}</a></dd>`
          : nothing}
      </dl>
    `;
  }

  private renderVersions(document: DocumentDetail) {
    const zone = this.user?.timeZone;
    return html`
      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">${msg('Version history')}</h2>
        <div class="table-wrap">
          <table aria-labelledby="versions-heading">
            <thead>
              <tr>
                <th scope="col">${msg('Version')}</th>
                <th scope="col">${msg('Date')}</th>
                <th scope="col">${msg('Uploaded by')}</th>
                <th scope="col">${msg('What changed')}</th>
                <th scope="col">${msg('Size')}</th>
                <th scope="col"><span class="visually-hidden">${msg('File')}</span></th>
              </tr>
            </thead>
            <tbody>
              ${document.versions.map((version: Version) => html`
                <tr>
                  <th scope="row">${msg(str`Version ${version.number}`)}</th>
                  <td data-label=${msg('Date')}><time datetime=${version.uploadedAt}>${formatDateTime(version.uploadedAt, zone)}</time></td>
                  <td data-label=${msg('Uploaded by')}>${version.uploadedBy.displayName}</td>
                  <td data-label=${msg('What changed')} class="note">${version.changeNote || html`<span class="muted">—</span>`}</td>
                  <td data-label=${msg('Size')} class="number">${formatBytes(version.size)}</td>
                  <td>
                    <a href=${downloadHref(document.id, { version: version.number, attachment: true })} download>${msg(str`Download version ${version.number}`)}</a>
                    <span class="cell-sub">${version.fileName}</span>
                  </td>
                </tr>
              `)}
            </tbody>
          </table>
        </div>
      </section>
    `;
  }

  private renderDeleteDialog() {
    return html`
      <cn-dialog id="delete-dialog" label=${msg('Delete this document?')}>
        <p>${msg(str`It moves to the trash. An administrator can restore it for ${TRASH_DAYS} days; after that it is deleted for good, with all its versions.`)}</p>
        <div slot="footer">
          <cn-button variant="quiet"><button type="button" @click=${this.closeDeleteDialog}>${msg('Cancel')}</button></cn-button>
          <cn-button variant="danger" ?loading=${this.deleting}>
            <button type="button" aria-disabled=${this.deleting ? 'true' : 'false'} @click=${this.delete}>${msg('Move to the trash')}</button>
          </cn-button>
        </div>
      </cn-dialog>
    `;
  }

  private onChanged(event: CustomEvent<DocumentDetail>) {
    this.document = event.detail;
    this.revision += 1;
  }

  private edit() {
    void this.renderRoot.querySelector<CnDocumentEditDialog>('cn-document-edit-dialog')?.show();
  }

  private confirmDelete() {
    const dialog = this.renderRoot.querySelector<CnDialog>('#delete-dialog');
    if (dialog) dialog.open = true;
  }

  private closeDeleteDialog() {
    this.renderRoot.querySelector<CnDialog>('#delete-dialog')?.close();
  }

  private async delete() {
    const document = this.document;
    if (!document || this.deleting) return;
    this.deleting = true;
    try {
      await documentsApi.remove(document.id);
      this.closeDeleteDialog();
      this.services.toast(msg(str`The document is in the trash. An administrator can restore it for ${TRASH_DAYS} days.`), 'success');
      this.services.navigate('/documents');
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.deleting = false;
    }
  }
}
