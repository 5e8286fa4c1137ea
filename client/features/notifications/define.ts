import { CnNotificationsPage } from './notifications-page.js';

customElements.define('cn-notifications-page', CnNotificationsPage);

declare global {
  interface HTMLElementTagNameMap {
    'cn-notifications-page': CnNotificationsPage;
  }
}
