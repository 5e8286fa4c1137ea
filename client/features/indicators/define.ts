import { CnIndicatorCataloguePage } from './catalogue-page.js';
import { CnIndicatorHubPage } from './hub-page.js';

customElements.define('cn-indicator-catalogue-page', CnIndicatorCataloguePage);
customElements.define('cn-indicator-hub-page', CnIndicatorHubPage);

declare global {
  interface HTMLElementTagNameMap {
    'cn-indicator-catalogue-page': CnIndicatorCataloguePage;
    'cn-indicator-hub-page': CnIndicatorHubPage;
  }
}
