import { CnMailOutboxPage } from './outbox-page.js';
import { CnMailPreferencesPage } from './preferences-page.js';

customElements.define('cn-mail-preferences-page', CnMailPreferencesPage);
customElements.define('cn-mail-outbox-page', CnMailOutboxPage);

declare global {
  interface HTMLElementTagNameMap {
    'cn-mail-preferences-page': CnMailPreferencesPage;
    'cn-mail-outbox-page': CnMailOutboxPage;
  }
}
