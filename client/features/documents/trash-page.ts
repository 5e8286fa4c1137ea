import { html } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatDateTime } from '../../app/format.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { tableStyles } from '../../ui/styles/table.styles.js';
import { documentHref } from './document-list-item.js';
import { documentsApi } from './documents-api.js';
import { localizedText, TRASH_DAYS, typeLabel } from './documents-format.js';
import type { TrashedDocument } from './models.js';

/** Deleted documents, which administrators may restore until they are deleted for good. */
export class CnDocumentTrashPage extends AppElement {
  static override styles = [baseStyles, pageStyles, listStyles, tableStyles];

  static override properties = {
    items: { state: true },
    phase: { state: true },
    loadError: { state: true },
    restoring: { state: true },
  };

  declare private items: TrashedDocument[];
  declare private phase: 'loading' | 'ready' | 'failed';
  declare private loadError: unknown;
  /** The document being restored, if any. */
  declare private restoring: string | null;

  private abort: AbortController | null = null;

  constructor() {
    super();
    this.items = [];
    this.phase = 'loading';
    this.loadError = null;
    this.restoring = null;
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
      this.items = await documentsApi.trash(abort.signal);
      this.phase = 'ready';
    } catch (error) {
      if (abort.signal.aborted) return;
      this.loadError = error;
      this.phase = 'failed';
    }
  }

  protected override render() {
    return html`
      <p class="small"><a href="/documents">${msg('← Back to the library')}</a></p>
      <div class="page-header">
        <h1 tabindex="-1">${msg('Trash')}</h1>
        <p class="lead">${msg(str`Deleted documents stay here for ${TRASH_DAYS} days, then they are deleted for good with all their versions.`)}</p>
      </div>
      ${this.renderBody()}
    `;
  }

  private renderBody() {
    if (this.phase === 'loading') return html`<div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading the trash…')}</div>`;
    if (this.phase === 'failed') {
      return html`<div class="alert alert-error stack" role="alert">
        <p>${describeError(this.loadError)}</p>
        <div><cn-button><button type="button" @click=${() => this.load()}>${msg('Try again')}</button></cn-button></div>
      </div>`;
    }
    if (this.items.length === 0) return html`<p class="empty">${msg('The trash is empty.')}</p>`;
    const zone = this.user?.timeZone;
    return html`
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">${msg('Deleted documents')}</caption>
          <thead>
            <tr>
              <th scope="col">${msg('Document')}</th>
              <th scope="col">${msg('Deleted')}</th>
              <th scope="col">${msg('Deleted for good on')}</th>
              <th scope="col"><span class="visually-hidden">${msg('Actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${this.items.map((item) => {
              const title = localizedText(item.title);
              return html`
                <tr>
                  <th scope="row">
                    <a href=${documentHref(item)} lang=${title.lang}>${title.text}</a>
                    <span class="cell-sub">${typeLabel(item.type)}</span>
                  </th>
                  <td data-label=${msg('Deleted')}>
                    <time datetime=${item.deletedAt}>${formatDateTime(item.deletedAt, zone)}</time>
                    ${item.deletedBy ? html`<span class="cell-sub">${msg(str`by ${item.deletedBy.displayName}`)}</span>` : ''}
                  </td>
                  <td data-label=${msg('Deleted for good on')}><time datetime=${item.purgeAfter}>${formatDateTime(item.purgeAfter, zone)}</time></td>
                  <td>
                    <cn-button size="small" ?loading=${this.restoring === item.id}>
                      <button type="button" aria-disabled=${this.restoring ? 'true' : 'false'} @click=${() => this.restore(item)}>
                        ${msg('Restore')}<span class="visually-hidden">: <span lang=${title.lang}>${title.text}</span></span>
                      </button>
                    </cn-button>
                  </td>
                </tr>
              `;
            })}
          </tbody>
        </table>
      </div>
    `;
  }

  private async restore(item: TrashedDocument) {
    if (this.restoring) return;
    this.restoring = item.id;
    const title = localizedText(item.title).text;
    try {
      await documentsApi.restore(item.id);
      this.items = this.items.filter((other) => other.id !== item.id);
      this.services.toast(msg(str`"${title}" is back in the library.`), 'success');
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.restoring = null;
    }
  }
}
