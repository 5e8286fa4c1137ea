import { CnHomePage } from './home-page.js';

customElements.define('cn-home-page', CnHomePage);

declare global {
  interface HTMLElementTagNameMap {
    'cn-home-page': CnHomePage;
  }
}
