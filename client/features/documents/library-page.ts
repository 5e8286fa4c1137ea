import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { isApiError } from '../../app/api.js';
import { AddressedPage } from '../../app/addressed-page.js';
import { formatNumber } from '../../app/format.js';
import { isPublisher } from '../../app/models.js';
import { listPageStyles } from '../../ui/styles/list.styles.js';
import { Resource } from '../../controllers/resource.js';
import { postBodyStyles } from '../../ui/styles/post-body.styles.js';
import { documentListItem, documentListStyles } from './document-list-item.js';
import { documentsApi } from './documents-api.js';
import { languageLabel, typeLabel } from './documents-format.js';
import { DOCUMENT_LANGUAGES, DOCUMENT_TYPES, SORTS, type DocumentQuery, type DocumentSort, type DocumentSummary } from './models.js';
import { formQuery, pagePath } from '../../app/navigation.js';
import { pager } from '../../ui/pager/pager.js';
import { MediaQueryController, NARROW_SCREEN } from '../../controllers/media-query-controller.js';
import { filtersDisclosure, filtersDisclosureStyles } from '../../ui/filters/filters-disclosure.js';

const PAGE_SIZE = 20;
/** Query parameters of the page's address, besides `page`; each is also an API filter. */
const PARAMS = ['q', 'type', 'language', 'year', 'tag', 'indicator', 'sort'] as const;

/** Each sort as it reads after "Sort by"; the server orders each the way people expect (newest, A to Z, most). */
function sortLabel(sort: DocumentSort): string {
  switch (sort) {
    case 'published':
      return msg('Publication date');
    case 'title':
      return msg('Title');
    case 'updated':
      return msg('Last update');
    case 'downloads':
      return msg('Downloads');
  }
}

/**
 * The document library: search, filters, sort and pages, all in the address so that reloading,
 * sharing and Back show the same list.
 */
export class CnLibraryPage extends AddressedPage {
  static override styles = [
    ...listPageStyles,
    postBodyStyles,
    documentListStyles,
    filtersDisclosureStyles,
    css`

      .count {
        margin-block-end: var(--cn-space-3);
      }
    `,
  ];


  /** The location's query string. */

  /** On a phone the filters fold away, so the documents start on the first screen. */
  private narrow = new MediaQueryController(this, NARROW_SCREEN);

  private results = new Resource(this, {
    load: ([query], signal) => documentsApi.list(query, signal),
    args: () => [this.query] as const,
    argsEqual: ([a], [b]) => JSON.stringify(a) === JSON.stringify(b),
    isEmpty: ({ total }) => total === 0,
  });

  constructor() {
    super();
  }


  private get query(): DocumentQuery {
    return this.listQuery(PARAMS, PAGE_SIZE);
  }

  protected override render() {
    const user = this.user;
    return html`
      <div class="page-header">
        <div class="row-between">
          <h1 tabindex="-1">${msg('Document library')}</h1>
          <div class="row">
            ${user?.role === 'admin' ? html`<cn-button variant="quiet"><a href="/documents/trash">${msg('Trash')}</a></cn-button>` : nothing}
            ${isPublisher(user) ? html`<cn-button variant="primary"><a href="/documents/new">${msg('Upload a document')}</a></cn-button>` : nothing}
          </div>
        </div>
        <p class="lead">${msg('Reports, methodology notes, minutes and other documents of the group.')}</p>
      </div>
      ${this.renderForm()}
      <p class="count muted" role="status" aria-live="polite">${this.countText()}</p>
      ${this.results.render({
        loading: msg('Loading the documents…'),
        announced: true,
        failure: (error) =>
          isApiError(error) && error.code === 'validation_failed' ? { message: msg('A filter is not valid. Check the year (e.g. 2024) and the indicator code (e.g. 1.1).') } : null,
        empty: () =>
          PARAMS.some((name) => name !== 'sort' && this.query[name]) ? msg('No document matches. Try other words or fewer filters.') : msg('The library is empty for now.'),
        complete: ({ items, total }) => this.renderResults(items, total),
      })}
    `;
  }

  private renderForm() {
    const query = this.query;
    const filtered = PARAMS.some((name) => name !== 'sort' && query[name]);
    const active = PARAMS.filter((name) => name !== 'sort' && name !== 'q' && query[name]).length;
    return html`
      <form class="search card" role="search" aria-label=${msg('Search the library')} @submit=${this.submit}>
        <div class="query">
          <label class="visually-hidden" for="q">${msg('Words to find in the documents')}</label>
          <input id="q" name="q" type="search" .value=${query.q ?? ''} autocomplete="off" maxlength="200" placeholder=${msg('Words to find, in the title or the text')} />
          <cn-button variant="primary"><button type="submit">${msg('Search')}</button></cn-button>
        </div>
        ${filtersDisclosure({ narrow: this.narrow.matches, active, content: html`<div class="filters">
          <div class="control">
            <label for="type">${msg('Type')}</label>
            <select id="type" name="type">
              <option value="">${msg('All types')}</option>
              ${DOCUMENT_TYPES.map((type) => html`<option value=${type} ?selected=${type === query.type}>${typeLabel(type)}</option>`)}
            </select>
          </div>
          <div class="control">
            <label for="language">${msg('Language')}</label>
            <select id="language" name="language">
              <option value="">${msg('All languages')}</option>
              ${DOCUMENT_LANGUAGES.map((language) => html`<option value=${language} ?selected=${language === query.language}>${languageLabel(language)}</option>`)}
            </select>
          </div>
          <div class="control">
            <label for="year">${msg('Year of publication')}</label>
            <input id="year" name="year" type="number" inputmode="numeric" min="1900" max="2100" .value=${query.year ?? ''} />
          </div>
          <div class="control">
            <label for="tag">${msg('Tag')}</label>
            <input id="tag" name="tag" .value=${query.tag ?? ''} autocomplete="off" maxlength="40" />
          </div>
          <div class="control">
            <label for="indicator">${msg('Indicator')}</label>
            <input id="indicator" name="indicator" .value=${query.indicator ?? ''} autocomplete="off" maxlength="20" placeholder=${msg('e.g. 1.1')} />
          </div>
          <div class="control">
            <label for="sort">${msg('Sort by')}</label>
            <select id="sort" name="sort">
              <option value="" ?selected=${!query.sort}>${query.q ? msg('Best match') : sortLabel('published')}</option>
              ${SORTS.filter((sort) => query.q || sort !== 'published').map(
                (sort) => html`<option value=${sort} ?selected=${sort === query.sort}>${sortLabel(sort)}</option>`,
              )}
            </select>
          </div>
        </div>` })}
        ${filtered ? html`<p><a href="/documents">${msg('Clear the search and filters')}</a></p>` : nothing}
      </form>
    `;
  }

  /** The figures for the live region, which stays in place so that each new count is announced. */
  private countText(): string {
    if (this.results.loading) return msg('Loading the documents…');
    if (this.results.failed || !this.results.value) return '';
    const { items, total } = this.results.value;
    if (total === 0) return msg('No document found.');
    const first = (this.page - 1) * PAGE_SIZE + 1;
    const last = first + items.length - 1;
    return msg(str`Documents ${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(total)}`);
  }

  private renderResults(items: DocumentSummary[], total: number) {
    const page = this.page;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    return html`
      <ol class="plain documents">
        ${items.map((document) => documentListItem(document))}
      </ol>
      ${pager({ label: msg('Pages of documents'), page, pages, href: (n) => pagePath('/documents', this.params, n) })}
    `;
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const params = formQuery(data, PARAMS);
    // A sort chosen for a search ("published" spelled out) is the default without one.
    if (!params.get('q') && params.get('sort') === 'published') params.delete('sort');
    const query = params.toString();
    this.services.navigate(query ? `/documents?${query}` : '/documents');
  }
}
