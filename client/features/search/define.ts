import { CnSearchPage } from './search-page.js';

customElements.define('cn-search-page', CnSearchPage);

declare global {
  interface HTMLElementTagNameMap {
    'cn-search-page': CnSearchPage;
  }
}
