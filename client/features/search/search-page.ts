import { css, html, nothing } from 'lit';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { AddressedPage } from '../../app/addressed-page.js';
import { countryFilter } from '../../app/form-options.js';
import { formatDateTime, formatNumber } from '../../app/format.js';
import { authorDetails } from '../../app/page-format.js';
import { controlStyles, listStyles, searchFormStyles } from '../../ui/styles/list.styles.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { categoryName, debatesApi, type Category } from '../debates/public.js';
import { postBodyStyles } from '../../ui/styles/post-body.styles.js';
import { searchSnippetHtml } from '../../ui/trusted-html.js';
import { documentFacts, documentHref, documentSnippet, documentsApi, localizedText, type DocumentSummary } from '../documents/public.js';
import { searchApi, type MeetingSearchHit, type SearchQuery, type SearchResult } from './search-api.js';
import { formQuery, pagePath } from '../../app/navigation.js';
import { pager } from '../../ui/pager/pager.js';

const PAGE_SIZE = 20;
/** Documents shown beside the posts; the library lists the rest. */
const DOCUMENT_COUNT = 5;

/** Whole days in the reader's browser zone: "from" at the start of the day, "to" at its end. */
function dayBound(value: string | undefined, end: boolean): string | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T${end ? '23:59:59.999' : '00:00:00'}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const toApiQuery = (query: SearchQuery): SearchQuery => ({ ...query, from: dayBound(query.from, false), to: dayBound(query.to, true) });
const FILTERS = ['categoryId', 'countryId', 'indicator', 'from', 'to', 'authorId'] as const;

/**
 * Full-text search of the posts, with filters in the URL (so results can be shared and reloaded),
 * and, on the first page, the first few library documents and the best meetings and minutes
 * matching the same words (word forms included: the server matches stems).
 */
export class CnSearchPage extends AddressedPage {
  static override styles = [
    baseStyles,
    pageStyles,
    postBodyStyles,
    controlStyles,
    searchFormStyles,
    listStyles,
    css`

      .results {
        display: grid;
        gap: var(--cn-space-3);
      }

      .result {
        display: grid;
        gap: var(--cn-space-1);
        padding: var(--cn-space-4);
        background: var(--cn-color-surface);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
      }

      .result h2,
      .result h3 {
        font-size: 1.05rem;
        overflow-wrap: anywhere;
      }

      .snippet {
        overflow-wrap: anywhere;
      }

      .meta {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
      }

      .documents,
      .meetings {
        display: grid;
        gap: var(--cn-space-3);
        margin-block-end: var(--cn-space-5);
      }

      .result h3 {
        font-size: 1rem;
        overflow-wrap: anywhere;
      }
    `,
  ];


  /** The location's query string. */

  // The filter's list of categories: a failure leaves "All categories" alone, and searching still works.
  private categories = new Resource(this, {
    load: (_args, signal) => debatesApi.categories(signal),
    args: () => [],
  });

  private results = new Resource(this, {
    load: ([query], signal) => (query.q ? searchApi.search(toApiQuery(query), signal) : Promise.resolve(null)),
    args: () => [this.query] as const,
    argsEqual: ([a], [b]) => JSON.stringify(a) === JSON.stringify(b),
    isEmpty: (found) => found !== null && found.total === 0,
  });

  // Words only: the post filters (category, country of the author…) have no meaning for documents.
  private documents = new Resource(this, {
    load: ([q], signal) => (q ? documentsApi.list({ q, limit: DOCUMENT_COUNT }, signal) : Promise.resolve(null)),
    args: () => [this.query.q] as const,
  });

  constructor() {
    super();
  }


  private get query(): SearchQuery {
    return { q: this.params.get('q')?.trim() ?? '', ...this.listQuery(FILTERS, PAGE_SIZE) };
  }

  protected override render() {
    const query = this.query;
    const categories = this.categories.value ?? [];
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg('Search debates, documents and meetings')}</h1>
      </div>
      <form class="search card" role="search" @submit=${this.submit}>
        <div class="query">
          <label class="visually-hidden" for="q">${msg('Words to find')}</label>
          <input id="q" name="q" type="search" .value=${query.q} autocomplete="off" maxlength="200" placeholder=${msg('Words to find, e.g. census 2030')} />
          <cn-button variant="primary"><button type="submit">${msg('Search')}</button></cn-button>
        </div>
        <div class="filters">
          <div class="control">
            <label for="categoryId">${msg('Category')}</label>
            <select id="categoryId" name="categoryId">
              <option value="">${msg('All categories')}</option>
              ${categories.map((c: Category) => html`<option value=${c.id} ?selected=${c.id === query.categoryId}>${categoryName(c)}</option>`)}
            </select>
          </div>
          ${countryFilter(msg('Country of the author'), this.services.countries, query.countryId)}
          <div class="control">
            <label for="indicator">${msg('Indicator')}</label>
            <input id="indicator" name="indicator" .value=${query.indicator ?? ''} autocomplete="off" maxlength="20" placeholder=${msg('e.g. 1.1')} />
          </div>
          <div class="control">
            <label for="from">${msg('From')}</label>
            <input id="from" name="from" type="date" .value=${query.from ?? ''} />
          </div>
          <div class="control">
            <label for="to">${msg('To')}</label>
            <input id="to" name="to" type="date" .value=${query.to ?? ''} />
          </div>
        </div>
        ${query.authorId ? html`<input type="hidden" name="authorId" .value=${query.authorId} />` : nothing}
      </form>
      ${this.page === 1 ? this.renderDocuments() : nothing}
      ${this.page === 1 && query.q && this.results.value ? this.renderMeetings(this.results.value.meetings.items, this.results.value.meetings.total) : nothing}
      ${query.q ? html`<h2 class="section-heading">${msg('Posts in the debates')}</h2>` : nothing}
      ${this.results.render({
        loading: msg('Searching…'),
        empty: () => msg('No post matches. Try other words or fewer filters.'),
        complete: (found) => (found ? this.renderResults(found.items, found.total, categories) : html`<p class="muted">${msg('Type words to find in the debates, the library and the meetings.')}</p>`),
      })}
    `;
  }

  private renderResults(items: SearchResult[], total: number, categories: Category[]) {
    const page = this.page;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const zone = this.user?.timeZone;
    return html`
      <p role="status" class="muted">${plural(total, { one: msg(str`${formatNumber(total)} post found.`, { id: 'posts-found.one' }), other: msg(str`${formatNumber(total)} posts found.`, { id: 'posts-found.other' }) })}</p>
      <ol class="plain results">
        ${items.map((item) => {
          const category = categories.find((c) => c.id === item.categoryId);
          return html`
            <li class="result">
              <h3><a href=${`/debates/t/${encodeURIComponent(item.threadId)}#post-${encodeURIComponent(item.postId)}`}>${item.threadTitle}</a></h3>
              <p class="snippet">${searchSnippetHtml(item.snippetHtml)}</p>
              <p class="meta">
                ${item.author.displayName} (${authorDetails(item.author, this.services)}) ·
                <time datetime=${item.createdAt}>${formatDateTime(item.createdAt, zone)}</time>
                ${category ? html` · ${categoryName(category)}` : nothing}
              </p>
            </li>
          `;
        })}
      </ol>
      ${pager({ label: msg('Pages of results'), page, pages, href: (n) => pagePath('/search', this.params, n) })}
    `;
  }

  private renderDocuments() {
    const q = this.query.q;
    if (!q) return nothing;
    return html`
      <section class="documents" aria-labelledby="documents-heading">
        <h2 id="documents-heading">${msg('Documents')}</h2>
        ${this.documents.render({
          loading: msg('Searching the library…'),
          complete: (found) => (found ? this.renderDocumentResults(found.items, found.total, q) : nothing),
        })}
      </section>
    `;
  }

  private renderMeetings(items: MeetingSearchHit[], total: number) {
    const zone = this.user?.timeZone;
    return html`
      <section class="meetings" aria-labelledby="meetings-heading">
        <h2 id="meetings-heading">${msg('Meetings and minutes')}</h2>
        ${total === 0
          ? html`<p class="muted">${msg('No meeting or minutes match.')}</p>`
          : html`
              <ol class="plain results">
                ${items.map((hit) => {
                  const href =
                    hit.kind === 'meeting'
                      ? `/meetings/${encodeURIComponent(hit.meetingId)}`
                      : `/meetings/${encodeURIComponent(hit.meetingId)}/minutes?${new URLSearchParams({ occurrence: hit.occurrenceId ?? '' })}`;
                  const what = hit.kind === 'meeting' ? msg('Meeting') : hit.draft ? msg('Minutes (unpublished draft)') : msg('Minutes', { desc: 'Type of document: the record of a meeting' });
                  return html`
                    <li class="result">
                      <h3><a href=${href}>${hit.title}</a></h3>
                      <p class="snippet">${searchSnippetHtml(hit.snippetHtml)}</p>
                      <p class="meta">
                        ${what}${hit.startsAt ? html` · <time datetime=${hit.startsAt}>${formatDateTime(hit.startsAt, zone)}</time>` : nothing}${hit.status === 'cancelled' ? html` · ${msg('Cancelled', { desc: 'Meeting status' })}` : nothing}
                      </p>
                    </li>
                  `;
                })}
              </ol>
              ${total > items.length ? html`<p class="muted">${msg(str`The ${items.length} best of ${formatNumber(total)} matches.`)}</p>` : nothing}
            `}
      </section>
    `;
  }

  private renderDocumentResults(items: DocumentSummary[], total: number, q: string) {
    if (total === 0) return html`<p class="muted">${msg('No document matches.')}</p>`;
    return html`
      <ol class="plain results">
        ${items.map((document) => {
          const title = localizedText(document.title);
          return html`
            <li class="result">
              <h3 lang=${title.lang}><a href=${documentHref(document)}>${title.text}</a></h3>
              ${documentSnippet(document)}
              <p class="meta">${documentFacts(document)}</p>
            </li>
          `;
        })}
      </ol>
      ${total > items.length
        ? html`<p><a href=${`/documents?${new URLSearchParams({ q })}`}>${msg(str`See all ${formatNumber(total)} documents in the library`)}</a></p>`
        : nothing}
    `;
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    this.services.navigate(`/search?${formQuery(data, ['q', ...FILTERS])}`);
  }
}
