import { css, html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatDateTime } from '../../app/format.js';
import { groupsOf } from '../../app/models.js';
import { formatWhen } from '../../app/page-format.js';
import { UNREAD_CHANGED, type AppNotification } from '../../app/notifications.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { notificationsApi } from './notifications-api.js';
import { notificationHref, notificationText, onNotificationKindsChanged } from './kinds.js';

const SEEN_DELAY_MS = 1500;

/** The person's notifications, newest first; those seen on screen or opened are marked read. */
export class CnNotificationsPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    listStyles,
    css`
      .list {
        display: grid;
        gap: var(--cn-space-2);
      }

      .item {
        display: grid;
        gap: var(--cn-space-1);
        padding: var(--cn-space-3) var(--cn-space-4);
        background: var(--cn-color-surface);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
      }

      .item.unread {
        border-inline-start: 4px solid var(--cn-color-primary);
      }

      .item a {
        font-weight: 600;
        overflow-wrap: anywhere;
      }

      .item.unread a {
        font-weight: 700;
      }

      .excerpt {
        color: var(--cn-color-muted);
        font-size: 0.9rem;
        overflow-wrap: anywhere;
      }

      .when {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
      }

      .group {
        font-size: 0.8125rem;
        font-weight: 600;
        color: var(--cn-color-muted);
        overflow-wrap: anywhere;
      }
    `,
  ];

  static override properties = {
    loadingMore: { state: true },
    markingAll: { state: true },
  };

  declare private loadingMore: boolean;
  declare private markingAll: boolean;

  /** The first page, then the pages "Load more" adds to it. */
  private list = new Resource(this, {
    load: (_args, signal) => notificationsApi.list(null, signal),
    args: () => [],
    isEmpty: (page) => page.items.length === 0,
  });

  private get items(): AppNotification[] {
    return this.list.value?.items ?? [];
  }

  private set items(items: AppNotification[]) {
    if (this.list.value) this.list.value = { ...this.list.value, items };
  }

  private observer: IntersectionObserver | null = null;
  private observed = new WeakSet<Element>();
  private seen = new Set<string>();
  private seenTimer: number | undefined;

  constructor() {
    super();
    this.loadingMore = false;
    this.markingAll = false;
  }

  private stopWatchingKinds?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new IntersectionObserver((entries) => this.onSeen(entries), { threshold: 0.6 });
    window.addEventListener('cn-notification-created', this.onCreated);
    // The features' renderers come with the signed-in shell: lines drawn before they arrived are drawn again.
    this.stopWatchingKinds = onNotificationKindsChanged(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    window.removeEventListener('cn-notification-created', this.onCreated);
    this.stopWatchingKinds?.();
    window.clearTimeout(this.seenTimer);
  }

  protected override updated(changed: Map<string, unknown>): void {
    super.updated(changed);
    for (const element of this.renderRoot.querySelectorAll('li[data-unread]')) {
      if (!this.observed.has(element)) {
        this.observed.add(element);
        this.observer?.observe(element);
      }
    }
  }

  private onCreated = (event: Event) => {
    const notification = (event as CustomEvent<AppNotification>).detail;
    if (!this.list.value || this.items.some((n) => n.id === notification.id)) return;
    // The live event does not say which group the notification is of, and for a person in several
    // it may be of another than this page's: the list's answer says, so it is asked again.
    if (notification.group === undefined && groupsOf(this.user).length > 1) {
      void this.list.run();
      return;
    }
    this.items = [notification, ...this.items];
  };

  private async loadMore() {
    const cursor = this.list.value?.nextCursor;
    if (!cursor || this.loadingMore) return;
    this.loadingMore = true;
    const firstNew = this.items.length;
    try {
      const page = await notificationsApi.list(cursor);
      this.list.value = { items: [...this.items, ...page.items], nextCursor: page.nextCursor };
      await this.updateComplete;
      this.renderRoot.querySelectorAll<HTMLElement>('.item a')[firstNew]?.focus();
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.loadingMore = false;
    }
  }

  private onSeen(entries: IntersectionObserverEntry[]) {
    if (document.visibilityState !== 'visible') return;
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const id = (entry.target as HTMLElement).dataset.id;
      if (id) this.seen.add(id);
      this.observer?.unobserve(entry.target);
    }
    if (this.seen.size === 0) return;
    window.clearTimeout(this.seenTimer);
    this.seenTimer = window.setTimeout(() => void this.markRead([...this.seen]), SEEN_DELAY_MS);
  }

  /** Marks on the server only; the list keeps the "new" look until the next visit. */
  private async markRead(ids: string[]) {
    this.seen.clear();
    const unread = ids.filter((id) => this.items.some((n) => n.id === id && !n.readAt));
    if (unread.length === 0) return;
    try {
      const count = await notificationsApi.read({ ids: unread });
      window.dispatchEvent(new CustomEvent(UNREAD_CHANGED, { detail: count }));
    } catch {
      // They stay unread and are marked again next time they are seen.
    }
  }

  private async markAll() {
    if (this.markingAll) return;
    this.markingAll = true;
    try {
      const count = await notificationsApi.read({ all: true });
      const now = new Date().toISOString();
      this.items = this.items.map((n) => ({ ...n, readAt: n.readAt ?? now }));
      window.dispatchEvent(new CustomEvent(UNREAD_CHANGED, { detail: count }));
      this.services.toast(msg('All notifications are marked as read.'), 'success');
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.markingAll = false;
    }
  }

  protected override render() {
    return html`
      <div class="page-header">
        <div class="row-between">
          <h1 tabindex="-1">${msg('Notifications')}</h1>
          ${this.items.some((n) => !n.readAt)
            ? html`<cn-button ?loading=${this.markingAll}>
                <button type="button" aria-disabled=${this.markingAll ? 'true' : 'false'} @click=${this.markAll}>${msg('Mark all as read')}</button>
              </cn-button>`
            : nothing}
        </div>
        <p class="lead">${msg('Replies to you, mentions of you or your country, and activity in the debates you watch.')}</p>
      </div>
      ${this.renderBody()}
    `;
  }

  private renderBody() {
    return this.list.render({
      loading: msg('Loading the notifications…'),
      empty: () => msg('No notifications yet.'),
      complete: (page) => this.renderList(page.items, page.nextCursor),
    });
  }

  private renderList(items: AppNotification[], nextCursor: string | null) {
    const zone = this.user?.timeZone;
    // Only a person in several groups needs to be told which one each is from.
    const namesGroup = groupsOf(this.user).length > 1;
    return html`
      <ul class="plain list">
        ${repeat(
          items,
          (n) => n.id,
          (n) => {
            const href = notificationHref(n);
            const text = notificationText(n, zone);
            return html`
              <li class="item ${n.readAt ? '' : 'unread'}" data-id=${n.id} data-unread=${n.readAt ? nothing : 'true'}>
                ${namesGroup && n.group ? html`<span class="group">${n.group.name}</span>` : nothing}
                ${href ? html`<a href=${href} @click=${() => this.markRead([n.id])}>${text}</a>` : html`<span>${text}</span>`}
                ${n.readAt ? nothing : html`<span class="visually-hidden">${msg('(unread)')}</span>`}
                ${n.excerpt ? html`<p class="excerpt">${n.excerpt}</p>` : nothing}
                <time class="when" datetime=${n.createdAt} title=${formatDateTime(n.createdAt, zone)}>${formatWhen(n.createdAt, zone)}</time>
              </li>
            `;
          },
        )}
      </ul>
      ${nextCursor
        ? html`<div class="more">
            <cn-button ?loading=${this.loadingMore}><button type="button" @click=${this.loadMore}>${msg('Load more notifications')}</button></cn-button>
          </div>`
        : nothing}
    `;
  }
}
