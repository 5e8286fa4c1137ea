import { css, html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { isAbort } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatNumber } from '../../app/format.js';
import type { LiveTopicMessage } from '../../app/live-connection.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { UNREAD_CHANGED } from '../notifications/notification-bell.js';
import { homeApi, type Home, type HomeItem, type HomeSection } from './home-api.js';
import { readerZone } from './home-format.js';
import { SECTIONS, type ItemContext, type SectionWording } from './sections.js';

/** A burst of live events (a busy debate) leads to one request, at most this often. */
const MIN_REFRESH_INTERVAL_MS = 2_000;
/** Events that come together are answered together. */
const REFRESH_DELAY_MS = 600;
/** Coming back to the tab after this long refreshes (relative times, and anything the channel could not tell). */
const STALE_AFTER_MS = 60_000;

/**
 * The topics of the last answer, per person: on the next visit the page follows them before it
 * loads, so nothing published in between is missed (docs/debates-api.md, "Live channel").
 */
const knownLive = new Map<string, Home['live']>();

/**
 * The landing page after signing in: what is new and what waits for the person, one card per
 * section the server lists (docs/home-api.md), each with its count, first items and "see all".
 * Kept current by the live topics the server names: a relevant event asks for the home again.
 */
export class CnHomePage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    listStyles,
    css`
      .sections {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 24rem), 1fr));
        gap: var(--cn-space-4);
        align-items: start;
      }

      section {
        display: grid;
        gap: var(--cn-space-3);
        min-inline-size: 0;
      }

      h2 {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cn-space-2);
        font-size: 1.1rem;
      }

      .count {
        font-size: 0.875rem;
        min-inline-size: 1.75rem;
        text-align: center;
      }

      .count.zero {
        background: var(--cn-color-neutral-soft);
        color: var(--cn-color-muted);
      }

      ul.items {
        display: grid;
        gap: var(--cn-space-3);
      }

      li {
        display: grid;
        gap: var(--cn-space-1);
        min-inline-size: 0;
        padding-block-end: var(--cn-space-3);
        border-block-end: 1px solid var(--cn-color-border);
      }

      li:last-child {
        border-block-end: 0;
        padding-block-end: 0;
      }

      li > a {
        font-weight: 600;
        overflow-wrap: anywhere;
      }

      .details {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cn-space-1) var(--cn-space-3);
        font-size: 0.875rem;
        color: var(--cn-color-muted);
        min-inline-size: 0;
      }

      .details .excerpt {
        flex-basis: 100%;
        overflow-wrap: anywhere;
      }

      .details .time {
        overflow-wrap: anywhere;
      }

      .details .other-zone {
        flex-basis: 100%;
      }

      .details .tags {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-1);
      }

      .empty {
        padding: var(--cn-space-4);
      }

      .see-all {
        font-size: 0.9rem;
        font-weight: 600;
        justify-self: start;
      }

      .refresh-failed {
        margin-block-end: var(--cn-space-4);
      }
    `,
  ];

  static override properties = {
    home: { state: true },
    phase: { state: true },
    loadError: { state: true },
    refreshError: { state: true },
  };

  declare private home: Home | null;
  declare private phase: 'loading' | 'ready' | 'failed';
  declare private loadError: unknown;
  declare private refreshError: unknown;

  private abort: AbortController | null = null;
  private loading: Promise<void> | null = null;
  private refreshTimer: number | undefined;
  private lastLoadStartedAt = 0;
  private lastLoadedAt = 0;
  /** Topics first followed after the data they change was asked for: their "subscribed" calls for one more look. */
  private lateTopics = new Set<string>();

  private live = new LiveSubscriptionController(this, {
    topics: () => this.liveTopics(),
    onMessage: (message) => this.onLive(message),
  });

  constructor() {
    super();
    this.home = null;
    this.phase = 'loading';
    this.loadError = null;
    this.refreshError = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.abort?.abort();
  }

  private liveTopics(): string[] {
    const user = this.user;
    if (!user) return [];
    return knownLive.get(user.id)?.topics ?? [];
  }

  private onLive(message: LiveTopicMessage) {
    const events = this.user ? knownLive.get(this.user.id)?.events : undefined;
    if (message.type === 'event' && events?.includes(message.event)) this.scheduleRefresh();
    else if (message.type === 'resync') this.scheduleRefresh();
    else if (message.type === 'subscribed' && this.lateTopics.delete(message.topic)) this.scheduleRefresh();
  }

  private onVisibility = () => {
    if (document.visibilityState === 'visible' && this.phase === 'ready' && Date.now() - this.lastLoadedAt > STALE_AFTER_MS) this.scheduleRefresh();
  };

  /** One request for a burst of events, and never more often than MIN_REFRESH_INTERVAL_MS. */
  private scheduleRefresh() {
    if (this.refreshTimer !== undefined) return;
    const wait = Math.max(REFRESH_DELAY_MS, this.lastLoadStartedAt + MIN_REFRESH_INTERVAL_MS - Date.now());
    this.refreshTimer = window.setTimeout(() => {
      this.refreshTimer = undefined;
      void this.load();
    }, wait);
  }

  private async load(): Promise<void> {
    // A look already under way: the next one starts after it, with what changed meanwhile.
    if (this.loading) {
      await this.loading;
      if (!this.isConnected) return;
    }
    this.loading = this.fetchHome();
    try {
      await this.loading;
    } finally {
      this.loading = null;
    }
  }

  private async fetchHome() {
    const user = this.user;
    this.abort = new AbortController();
    this.lastLoadStartedAt = Date.now();
    const followed = new Set(this.live.topics);
    try {
      const home = await homeApi.home(this.abort.signal);
      if (user) {
        knownLive.set(user.id, home.live);
        for (const topic of home.live.topics) if (!followed.has(topic)) this.lateTopics.add(topic);
      }
      this.home = home;
      this.phase = 'ready';
      this.refreshError = null;
      this.lastLoadedAt = Date.now();
    } catch (error) {
      if (isAbort(error)) return;
      if (this.home) this.refreshError = error;
      else {
        this.loadError = error;
        this.phase = 'failed';
      }
    }
  }

  private retry = () => {
    if (!this.home) this.phase = 'loading';
    void this.load();
  };

  /** A mention opened from here is read: its notification is marked so, and the bell told. */
  private opened(section: HomeSection, item: HomeItem) {
    if (section.id !== 'debates.mentions') return;
    homeApi.readNotifications([item.id]).then(
      (count) => window.dispatchEvent(new CustomEvent(UNREAD_CHANGED, { detail: count })),
      () => undefined, // Stays unread; the notifications page marks it when seen.
    );
  }

  protected override render() {
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg('Home')}</h1>
        <p class="lead">${msg('What is new and what waits for you in the debates, meetings and the library.')}</p>
      </div>
      ${this.renderBody()}
    `;
  }

  private renderBody() {
    if (this.phase === 'loading') return html`<div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading what is new…')}</div>`;
    if (this.phase === 'failed' || !this.home) {
      return html`<div class="alert alert-error stack" role="alert">
        <p>${describeError(this.loadError)}</p>
        <div><cn-button><button type="button" @click=${this.retry}>${msg('Try again')}</button></cn-button></div>
      </div>`;
    }
    const context: ItemContext = { zone: readerZone(this.user), countries: this.services.countries };
    const shown = this.home.sections.filter((section) => SECTIONS[section.id] !== undefined);
    return html`
      ${this.refreshError
        ? html`<div class="alert alert-error row-between refresh-failed" role="alert">
            <p>${msg('What is shown may be out of date:')} ${describeError(this.refreshError)}</p>
            <cn-button><button type="button" @click=${this.retry}>${msg('Try again')}</button></cn-button>
          </div>`
        : nothing}
      <div class="sections">${repeat(shown, (section) => section.id, (section) => this.renderSection(section, SECTIONS[section.id]!, context))}</div>
    `;
  }

  private renderSection(section: HomeSection, wording: SectionWording, context: ItemContext) {
    const headingId = `section-${section.id.replace('.', '-')}`;
    return html`
      <section class="card" aria-labelledby=${headingId} data-section=${section.id}>
        <h2 id=${headingId}>
          <span>${wording.heading()}</span>
          ${section.failed
            ? nothing
            : html`<span class="badge count ${section.count === 0 ? 'zero' : ''}" aria-hidden="true" title=${wording.countLabel(section.count)}>${formatNumber(section.count)}</span>
                <span class="visually-hidden">${wording.countLabel(section.count)}</span>`}
        </h2>
        ${section.failed
          ? html`<div class="alert alert-error stack" role="alert">
              <p>${msg('This part could not be loaded.')}</p>
              <div><cn-button><button type="button" @click=${this.retry}>${msg('Try again')}</button></cn-button></div>
            </div>`
          : section.items.length === 0
            ? html`<p class="empty">${wording.empty()}</p>`
            : html`<ul class="plain items">
                ${repeat(
                  section.items,
                  (item) => item.id,
                  (item) => html`<li>
                    <a href=${item.path} @click=${() => this.opened(section, item)}>${wording.title(item)}</a>
                    <div class="details">${wording.details(item, context)}</div>
                  </li>`,
                )}
              </ul>`}
        <a class="see-all" href=${section.seeAllPath}>${wording.seeAll()}</a>
      </section>
    `;
  }
}
