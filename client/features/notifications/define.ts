import { CnNotificationBell } from './notification-bell.js';
import { CnNotificationsPage } from './notifications-page.js';

customElements.define('cn-notification-bell', CnNotificationBell);
customElements.define('cn-notifications-page', CnNotificationsPage);

declare global {
  interface HTMLElementTagNameMap {
    'cn-notification-bell': CnNotificationBell;
    'cn-notifications-page': CnNotificationsPage;
  }
}
