import { html } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatDateTime } from '../../app/format.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { Resource } from '../../controllers/resource.js';
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
    restoring: { state: true },
  };

  /** The document being restored, if any. */
  declare private restoring: string | null;

  private trash = new Resource(this, {
    load: (_args, signal) => documentsApi.trash(signal),
    args: () => [],
    isEmpty: (items) => items.length === 0,
  });

  constructor() {
    super();
    this.restoring = null;
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
    return this.trash.render({ loading: msg('Loading the trash…'), empty: () => msg('The trash is empty.'), complete: (items) => this.renderTable(items) });
  }

  private renderTable(items: TrashedDocument[]) {
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
            ${items.map((item) => {
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
      this.trash.value = this.trash.value?.filter((other) => other.id !== item.id);
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
