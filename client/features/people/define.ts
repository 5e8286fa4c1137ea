import { CnDirectoryPage } from './directory-page.js';
import { CnPersonPage } from './person-page.js';
import { CnProfilePage } from './profile-page.js';
import '../meetings/widgets.js';

customElements.define('cn-directory-page', CnDirectoryPage);
customElements.define('cn-person-page', CnPersonPage);
customElements.define('cn-profile-page', CnProfilePage);

declare global {
  interface HTMLElementTagNameMap {
    'cn-directory-page': CnDirectoryPage;
    'cn-person-page': CnPersonPage;
    'cn-profile-page': CnProfilePage;
  }
}
