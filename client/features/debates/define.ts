import { CnAttachmentPicker } from './attachment-picker.js';
import { CnDebatesPage } from './debates-page.js';
import { CnNewThreadPage } from './new-thread-page.js';
import { CnThreadPage } from './thread-page.js';
import './widgets.js';

customElements.define('cn-debates-page', CnDebatesPage);
customElements.define('cn-new-thread-page', CnNewThreadPage);
customElements.define('cn-thread-page', CnThreadPage);
customElements.define('cn-attachment-picker', CnAttachmentPicker);

declare global {
  interface HTMLElementTagNameMap {
    'cn-debates-page': CnDebatesPage;
    'cn-new-thread-page': CnNewThreadPage;
    'cn-thread-page': CnThreadPage;
    'cn-attachment-picker': CnAttachmentPicker;
  }
}
