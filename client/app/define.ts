import { CnAppHeader } from './app-header.js';
import { CnApp } from './app-root.js';
import { CnStatusPage } from './status-page.js';

customElements.define('cn-app-header', CnAppHeader);
customElements.define('cn-status-page', CnStatusPage);
// Last: defining <cn-app> upgrades the element in index.html and starts the app.
customElements.define('cn-app', CnApp);

declare global {
  interface HTMLElementTagNameMap {
    'cn-app': CnApp;
    'cn-app-header': CnAppHeader;
    'cn-status-page': CnStatusPage;
  }
}
