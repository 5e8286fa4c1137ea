import { css, html, nothing } from 'lit';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { formatNumber } from '../../app/format.js';
import { baseStyles } from '../../ui/styles/shared.styles.js';
import type { LiveTopicMessage } from '../../app/live-connection.js';
import { UNREAD_CHANGED, type AppNotification } from '../../app/notifications.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { notificationsApi } from './notifications-api.js';
import { notificationText } from './kinds.js';

/**
 * The bell in the header: a link to /notifications with the unread count, kept current by
 * the person's own live topic; new notifications are announced politely.
 */
export class CnNotificationBell extends AppElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-flex;
      }

      a {
        position: relative;
        display: inline-grid;
        place-items: center;
        inline-size: 2.5rem;
        block-size: 2.5rem;
        border-radius: var(--cn-radius);
        color: #fff;
      }

      a:hover,
      a[aria-current='page'] {
        background: rgb(255 255 255 / 15%);
        color: #fff;
      }

      a:focus-visible {
        outline-color: #fff;
      }

      svg {
        inline-size: 1.4rem;
        block-size: 1.4rem;
        fill: currentColor;
      }

      .count {
        position: absolute;
        inset-block-start: 0.1rem;
        inset-inline-end: 0.05rem;
        min-inline-size: 1.2rem;
        padding: 0 0.3rem;
        border-radius: 999px;
        background: #ffd166;
        color: #1d2733;
        font-size: 0.7rem;
        font-weight: 700;
        line-height: 1.2rem;
        text-align: center;
      }
    `,
  ];

  static override properties = {
    path: {},
    count: { state: true },
    announcement: { state: true },
  };

  /** The current page's pathname: the bell is marked as the current page on the notifications page. */
  declare path: string;
  declare private count: number;
  declare private announcement: string;

  private live = new LiveSubscriptionController(this, {
    topics: () => (this.user ? [`user:${this.user.id}`] : []),
    onMessage: (message) => this.onLive(message),
  });

  constructor() {
    super();
    this.path = '';
    this.count = 0;
    this.announcement = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(UNREAD_CHANGED, this.onUnreadChanged);
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(UNREAD_CHANGED, this.onUnreadChanged);
  }

  private async refresh() {
    try {
      this.count = await notificationsApi.unreadCount();
    } catch {
      // The bell stays at its last count; the live topic corrects it.
    }
  }

  private onUnreadChanged = (event: Event) => {
    this.count = (event as CustomEvent<number>).detail;
  };

  private onLive(message: LiveTopicMessage) {
    if (message.type === 'resync') {
      void this.refresh();
      return;
    }
    if (message.type !== 'event') return;
    if (message.event === 'notification.created') {
      const { notification, unreadCount } = message.payload as { notification: AppNotification; unreadCount: number };
      this.count = unreadCount;
      this.announcement = `${msg('New notification:')} ${notificationText(notification, this.user?.timeZone)}`;
      window.dispatchEvent(new CustomEvent('cn-notification-created', { detail: notification }));
    } else if (message.event === 'notifications.read') {
      this.count = (message.payload as { unreadCount: number }).unreadCount;
    }
  }

  protected override render() {
    const label = this.count > 0 ? plural(this.count, { one: msg(str`Notifications, ${formatNumber(this.count)} unread`, { id: 'notifications-unread.one' }), other: msg(str`Notifications, ${formatNumber(this.count)} unread`, { id: 'notifications-unread.other' }) }) : msg('Notifications');
    return html`
      <a href="/notifications" aria-label=${label} aria-current=${this.path === '/notifications' ? 'page' : nothing}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
        </svg>
        ${this.count > 0 ? html`<span class="count" aria-hidden="true">${this.count > 99 ? '99+' : formatNumber(this.count)}</span>` : nothing}
      </a>
      <span class="visually-hidden" role="status" aria-live="polite">${this.announcement}</span>
    `;
  }
}
