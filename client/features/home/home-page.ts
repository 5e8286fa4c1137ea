import { css, html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { AppElement } from '../../app/base-element.js';
import { formatNumber } from '../../app/format.js';
import { UNREAD_CHANGED } from '../../app/notifications.js';
import type { LiveTopicMessage } from '../../app/live-connection.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
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
      .elsewhere {
        margin-block-start: var(--cn-space-4);
      }

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

      /* A look again that failed: its alert above the sections still shown. */
      .alert + .sections {
        margin-block-start: var(--cn-space-4);
      }
    `,
  ];

  /**
   * GET /api/home, loaded on arrival and again, in the background, when a live event says a
   * section changed (or the tab comes back after a while): the sections stay shown meanwhile.
   */
  private home = new Resource(this, {
    args: () => [],
    load: async (_args, signal) => {
      const user = this.user;
      this.lastLoadStartedAt = Date.now();
      const followed = new Set(this.live.topics);
      const home = await homeApi.home(signal);
      if (user) {
        knownLive.set(user.id, home.live);
        for (const topic of home.live.topics) if (!followed.has(topic)) this.lateTopics.add(topic);
      }
      return home;
    },
    loaded: () => {
      this.lastLoadedAt = Date.now();
    },
    staleOnFailure: true,
  });

  private refreshTimer: number | undefined;
  private lastLoadStartedAt = 0;
  private lastLoadedAt = 0;
  /** Topics first followed after the data they change was asked for: their "subscribed" calls for one more look. */
  private lateTopics = new Set<string>();

  private live = new LiveSubscriptionController(this, {
    topics: () => this.liveTopics(),
    onMessage: (message) => this.onLive(message),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
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
    if (document.visibilityState === 'visible' && this.home.value && Date.now() - this.lastLoadedAt > STALE_AFTER_MS) this.scheduleRefresh();
  };

  /**
   * One request for a burst of events, and never more often than MIN_REFRESH_INTERVAL_MS; a look
   * asked while one is under way replaces it (it would answer with less).
   */
  private scheduleRefresh() {
    if (this.refreshTimer !== undefined) return;
    const wait = Math.max(REFRESH_DELAY_MS, this.lastLoadStartedAt + MIN_REFRESH_INTERVAL_MS - Date.now());
    this.refreshTimer = window.setTimeout(() => {
      this.refreshTimer = undefined;
      void this.home.run();
    }, wait);
  }

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
    return this.home.render({
      loading: msg('Loading what is new…'),
      complete: (home) => {
        const context: ItemContext = { zone: readerZone(this.user), countries: this.services.countries };
        const shown = home.sections.filter((section) => SECTIONS[section.id] !== undefined);
        return html`<div class="sections">${repeat(shown, (section) => section.id, (section) => this.renderSection(section, SECTIONS[section.id]!, context))}</div>
          ${this.renderElsewhere(home.elsewhere)}`;
      },
    });
  }

  /** A line per other group of the person: what waits there, each count said in full, leading to that group's home. */
  private renderElsewhere(elsewhere: Home['elsewhere']) {
    if (elsewhere.length === 0) return nothing;
    return html`
      <section class="card elsewhere" aria-labelledby="section-elsewhere">
        <h2 id="section-elsewhere">${msg('In your other groups')}</h2>
        <ul class="plain items">
          ${repeat(
            elsewhere,
            (other) => other.group.id,
            (other) => {
              const counts = other.sections.filter((section) => SECTIONS[section.id] !== undefined).map((section) => SECTIONS[section.id]!.countLabel(section.count));
              return html`<li>
                <a href=${`/g/${encodeURIComponent(other.group.slug)}/`}>${other.group.name}</a>
                <div class="details">${counts.length > 0 ? counts.join(' · ') : msg('Nothing new')}</div>
              </li>`;
            },
          )}
        </ul>
      </section>
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
              <div><cn-button><button type="button" @click=${() => this.home.run()}>${msg('Try again')}</button></cn-button></div>
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
