import { html, nothing } from 'lit';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatNumber } from '../../app/format.js';
import { countryNames, formatWhen } from '../../app/page-format.js';
import type { LiveTopicMessage } from '../../app/live-connection.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { debatesApi } from './debates-api.js';
import { categoryDescription, categoryName, repliesLabel, unreadLabel } from './debates-format.js';
import type { Category, ThreadSummary } from './models.js';
import { chipStyles } from '../../ui/styles/chip.styles.js';
import { threadListStyles } from './thread-list.styles.js';

const PAGE_SIZE = 25;

/** Pinned first, then the latest activity. */
function byListOrder(a: ThreadSummary, b: ThreadSummary): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  return b.lastActivityAt.localeCompare(a.lastActivityAt);
}

/**
 * The home page: the categories and the debates (all, or one category's), filtered by tag
 * or indicator through the URL, paged with a cursor, and kept current by the group's live
 * topic (new debates and new activity appear without reloading, announced politely).
 */
export class CnDebatesPage extends AppElement {
  static override styles = [baseStyles, pageStyles, listStyles, chipStyles, threadListStyles];

  static override properties = {
    categorySlug: {},
    search: {},
    categories: { state: true },
    loadingMore: { state: true },
    markingRead: { state: true },
    announcement: { state: true },
  };

  /** From the route /debates/c/:slug; '' for every category. */
  declare categorySlug: string;
  /** The location's query string (?tag=…&indicator=…). */
  declare search: string;
  declare private categories: Category[];
  declare private loadingMore: boolean;
  declare private markingRead: boolean;
  declare private announcement: string;

  /** The debates of the category and filters in the address, a page at a time ("Load more" adds pages). */
  private list = new Resource(this, {
    args: () => [this.categorySlug, this.search] as const,
    load: async ([slug], signal) => {
      // Every category's debates need not wait for the list of categories: both are asked at once.
      const [categories, everyCategory] = await Promise.all([
        this.categories.length === 0 ? debatesApi.categories(signal) : this.categories,
        slug ? null : debatesApi.threads({ ...this.filters, limit: PAGE_SIZE }, signal),
      ]);
      this.categories = categories;
      const category = this.category;
      if (slug && !category) throw Object.assign(new Error('unknown category'), { notFound: true });
      return everyCategory ?? (await debatesApi.threads({ categoryId: category?.id, ...this.filters, limit: PAGE_SIZE }, signal));
    },
    // Another category or filter: the list shown stays (marked busy) until the new one is there.
    keepWhileLoading: true,
    isEmpty: (page) => page.items.length === 0,
  });

  private get threads(): ThreadSummary[] {
    return this.list.value?.items ?? [];
  }

  private set threads(threads: ThreadSummary[]) {
    if (this.list.value) this.list.value = { ...this.list.value, items: threads };
  }

  // Subscribed on connect, before the first load starts: nothing published meanwhile is missed.
  private live = new LiveSubscriptionController(this, {
    topics: () => (this.user ? [`group:${this.user.groupId}`] : []),
    onMessage: (message) => this.onLive(message),
  });

  constructor() {
    super();
    this.categorySlug = '';
    this.search = '';
    this.categories = [];
    this.loadingMore = false;
    this.markingRead = false;
    this.announcement = '';
  }

  private get filters() {
    const params = new URLSearchParams(this.search);
    return { tag: params.get('tag')?.trim() ?? '', indicator: params.get('indicator')?.trim() ?? '' };
  }

  private get category(): Category | undefined {
    return this.categorySlug ? this.categories.find((c) => c.slug === this.categorySlug) : undefined;
  }

  private async loadMore() {
    const cursor = this.list.value?.nextCursor;
    if (!cursor || this.loadingMore) return;
    this.loadingMore = true;
    const firstNew = this.threads.length;
    try {
      const page = await debatesApi.threads({ categoryId: this.category?.id, ...this.filters, cursor, limit: PAGE_SIZE });
      const known = new Set(this.threads.map((t) => t.id));
      this.list.value = { items: [...this.threads, ...page.items.filter((t) => !known.has(t.id))], nextCursor: page.nextCursor };
      await this.updateComplete;
      // Keep the keyboard where the reading goes on: the first debate just loaded.
      this.renderRoot.querySelectorAll<HTMLElement>('.thread-title a')[firstNew]?.focus();
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.loadingMore = false;
    }
  }

  private matchesView(thread: ThreadSummary): boolean {
    const { tag, indicator } = this.filters;
    const category = this.category;
    if (category && thread.categoryId !== category.id) return false;
    if (tag && !thread.tags.some((t) => t.toLowerCase() === tag.toLowerCase())) return false;
    if (indicator && !thread.indicatorCodes.includes(indicator)) return false;
    return true;
  }

  private onLive(message: LiveTopicMessage) {
    // Events were lost (away too long): the list is loaded again.
    if (message.type === 'resync') {
      void this.list.run();
      return;
    }
    if (message.type !== 'event' || !this.list.value || this.list.loading) return;
    if (message.event === 'thread.created' || message.event === 'thread.updated') {
      const { thread } = message.payload;
      const existing = this.threads.find((t) => t.id === thread.id);
      const mine = thread.author.id === this.user?.id;
      const merged: ThreadSummary = existing
        ? { ...existing, ...thread, unreadCount: existing.unreadCount, watchLevel: existing.watchLevel }
        : { ...thread, unreadCount: mine ? 0 : thread.unreadCount };
      const others = this.threads.filter((t) => t.id !== thread.id);
      this.threads = this.matchesView(merged) ? [...others, merged].sort(byListOrder) : others;
      if (message.event === 'thread.created' && !existing && this.matchesView(merged) && !mine) {
        this.announcement = msg(str`New debate: ${thread.title}, by ${thread.author.displayName}.`);
      }
      if (message.event === 'thread.created') this.bumpCategoryCount(thread.categoryId);
    } else if (message.event === 'thread.activity') {
      const activity = message.payload;
      const existing = this.threads.find((t) => t.id === activity.threadId);
      if (!existing) return;
      const added = Math.max(0, activity.replyCount - existing.replyCount);
      const updated: ThreadSummary = {
        ...existing,
        lastActivityAt: activity.lastActivityAt,
        replyCount: activity.replyCount,
        participatingCountries: activity.participatingCountries,
        unreadCount: existing.unreadCount + added,
      };
      this.threads = this.threads.map((t) => (t.id === updated.id ? updated : t)).sort(byListOrder);
      if (added > 0) this.announcement = msg(str`New activity in ${existing.title}.`);
    }
  }

  private bumpCategoryCount(categoryId: string) {
    this.categories = this.categories.map((c) => (c.id === categoryId ? { ...c, threadCount: c.threadCount + 1 } : c));
  }

  protected override render() {
    const category = this.category;
    const startable = this.categories.filter((c) => c.mayStart);
    const startHref = category?.mayStart ? `/debates/new?category=${encodeURIComponent(category.slug)}` : '/debates/new';
    return html`
      <div class="page-header">
        <div class="row-between">
          <h1 tabindex="-1">${category ? categoryName(category) : msg('Debates')}</h1>
          <div class="row">
            ${this.list.value && !this.list.loading && this.threads.some((t) => t.unreadCount > 0)
              ? html`<cn-button ?loading=${this.markingRead}>
                  <button type="button" aria-disabled=${this.markingRead ? 'true' : 'false'} @click=${this.markAllRead}>${msg('Mark all as read')}</button>
                </cn-button>`
              : nothing}
            ${startable.length > 0 && (!category || category.mayStart)
              ? html`<cn-button variant="primary"><a href=${startHref}>${msg('Start a debate')}</a></cn-button>`
              : nothing}
          </div>
        </div>
        <p class="lead">${category ? categoryDescription(category) : msg('Discussions of the working group on monitoring the goals, by topic.')}</p>
      </div>
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
      <div class="layout">
        ${this.renderCategories()}
        <section class="threads" aria-labelledby="threads-heading">
          <h2 id="threads-heading" class="visually-hidden">${msg('Debates')}</h2>
          ${this.renderFilters()} ${this.renderThreads()}
        </section>
      </div>
    `;
  }

  private renderCategories() {
    if (this.categories.length === 0) return html`<div></div>`;
    return html`
      <nav class="categories" aria-label=${msg('Categories')}>
        <ul class="plain">
          <li>
            <a href="/" aria-current=${this.categorySlug ? nothing : 'page'}>
              <span class="category-name">${msg('All debates')}</span>
            </a>
          </li>
          ${this.categories.map(
            (category) => html`
              <li>
                <a href=${`/debates/c/${encodeURIComponent(category.slug)}`} aria-current=${category.slug === this.categorySlug ? 'page' : nothing}>
                  <span class="category-name">${categoryName(category)}</span>
                  <span class="count" aria-label=${plural(category.threadCount, { one: msg(str`${formatNumber(category.threadCount)} debate`, { id: 'debates-count.one' }), other: msg(str`${formatNumber(category.threadCount)} debates`, { id: 'debates-count.other' }) })}>${formatNumber(category.threadCount)}</span>
                  ${categoryDescription(category) ? html`<span class="category-description">${categoryDescription(category)}</span>` : nothing}
                  ${category.mayStart ? nothing : html`<span class="category-description">${msg('Only some roles start debates here.')}</span>`}
                </a>
              </li>
            `,
          )}
        </ul>
      </nav>
    `;
  }

  private renderFilters() {
    const { tag, indicator } = this.filters;
    return html`
      <form class="filters" role="search" aria-label=${msg('Filter the debates')} @submit=${this.applyFilters}>
        <div class="filter-field">
          <label for="tag-filter">${msg('Tag')}</label>
          <input id="tag-filter" name="tag" .value=${tag} autocomplete="off" maxlength="40" />
        </div>
        <div class="filter-field">
          <label for="indicator-filter">${msg('Indicator')}</label>
          <input id="indicator-filter" name="indicator" .value=${indicator} autocomplete="off" maxlength="20" placeholder=${msg('e.g. 1.1')} />
        </div>
        <div class="filter-actions">
          <cn-button size="small"><button type="submit">${msg('Filter')}</button></cn-button>
          ${tag || indicator ? html`<cn-button size="small" variant="quiet"><a href=${this.basePath()}>${msg('Clear filters')}</a></cn-button>` : nothing}
        </div>
      </form>
    `;
  }

  private basePath() {
    return this.categorySlug ? `/debates/c/${encodeURIComponent(this.categorySlug)}` : '/debates';
  }

  private filterHref(filter: { tag?: string; indicator?: string }) {
    return `${this.basePath()}?${new URLSearchParams(filter)}`;
  }

  private applyFilters(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const params = new URLSearchParams();
    for (const name of ['tag', 'indicator']) {
      const value = String(data.get(name) ?? '').trim();
      if (value) params.set(name, value);
    }
    const query = params.toString();
    this.services.navigate(query ? `${this.basePath()}?${query}` : this.basePath());
  }

  private renderThreads() {
    const { tag, indicator } = this.filters;
    return this.list.render({
      loading: msg('Loading the debates…'),
      empty: () => (tag || indicator ? msg('No debate matches these filters.') : msg('No debate here yet. Start the first one!')),
      failure: (error) =>
        (error as { notFound?: boolean } | null)?.notFound
          ? { message: msg('This category does not exist.'), retry: false, next: html`<p><a href="/">${msg('See every debate')}</a></p>` }
          : null,
      complete: (page, reloading) => this.renderList(page.items, page.nextCursor, reloading),
    });
  }

  private renderList(threads: ThreadSummary[], nextCursor: string | null, reloading: boolean) {
    return html`
      <ul class="plain thread-list" aria-busy=${reloading ? 'true' : 'false'}>
        ${repeat(threads, (thread) => thread.id, (thread) => this.renderThread(thread))}
      </ul>
      ${nextCursor
        ? html`<div class="more">
            <cn-button ?loading=${this.loadingMore}>
              <button type="button" aria-disabled=${this.loadingMore ? 'true' : 'false'} @click=${this.loadMore}>${msg('Load more debates')}</button>
            </cn-button>
          </div>`
        : nothing}
    `;
  }

  private renderThread(thread: ThreadSummary) {
    const category = this.categories.find((c) => c.id === thread.categoryId);
    const countries = countryNames(thread.participatingCountries, this.services);
    const titleId = `thread-${thread.id}`;
    return html`
      <li>
        <article class="thread ${thread.unreadCount > 0 ? 'unread' : ''}" aria-labelledby=${titleId}>
          <div class="thread-main">
            <h3 class="thread-title" id=${titleId}>
              <a href=${`/debates/t/${encodeURIComponent(thread.id)}`}>${thread.title}</a>
            </h3>
            <div class="flags">
              ${thread.pinned ? html`<span class="badge">${msg('Pinned')}</span>` : nothing}
              ${thread.locked ? html`<span class="badge badge-muted">${msg('Locked')}</span>` : nothing}
              ${thread.concluded ? html`<span class="badge">${msg('Concluded')}</span>` : nothing}
              ${thread.unreadCount > 0 ? html`<span class="badge badge-unread">${unreadLabel(thread.unreadCount)}</span>` : nothing}
            </div>
            <p class="meta">
              ${msg(str`Started by ${thread.author.displayName}`)}
              ${category && !this.categorySlug ? html` · <a href=${`/debates/c/${encodeURIComponent(category.slug)}`}>${categoryName(category)}</a>` : nothing}
            </p>
            ${thread.outcome ? html`<p class="outcome" data-outcome><strong>${msg('Outcome:')}</strong> ${thread.outcome.excerpt}</p>` : nothing}
            ${thread.tags.length + thread.indicatorCodes.length > 0
              ? html`<ul class="plain chips" aria-label=${msg('Tags and indicators')}>
                  ${thread.tags.map((tag) => html`<li><a class="chip" href=${this.filterHref({ tag })}>#${tag}</a></li>`)}
                  ${thread.indicatorCodes.map(
                    (code) => html`<li><a class="chip chip-indicator" href=${this.filterHref({ indicator: code })} aria-label=${msg(str`Indicator ${code}`)}>${code}</a></li>`,
                  )}
                </ul>`
              : nothing}
          </div>
          <dl class="stats">
            <div><dt>${msg('Replies')}</dt><dd>${repliesLabel(thread.replyCount)}</dd></div>
            <div><dt>${msg('Last activity')}</dt><dd><time datetime=${thread.lastActivityAt}>${formatWhen(thread.lastActivityAt, this.user?.timeZone)}</time></dd></div>
            ${countries.length > 0 ? html`<div class="countries"><dt>${msg('Countries taking part')}</dt><dd>${countries.join(', ')}</dd></div>` : nothing}
          </dl>
        </article>
      </li>
    `;
  }

  private async markAllRead() {
    if (this.markingRead) return;
    this.markingRead = true;
    try {
      await debatesApi.markAllRead(this.category?.id);
      this.threads = this.threads.map((t) => ({ ...t, unreadCount: 0 }));
      this.services.toast(msg('Everything here is marked as read.'), 'success');
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.markingRead = false;
    }
  }
}
