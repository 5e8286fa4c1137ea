import { CnAttachmentPicker } from './attachment-picker.js';
import { CnConnectionStatus } from './connection-status.js';
import { CnDebatesPage } from './debates-page.js';
import { CnIndicatorPicker } from './indicator-picker.js';
import { CnMarkdownEditor } from './markdown-editor.js';
import { CnNewThreadPage } from './new-thread-page.js';
import { CnThreadPage } from './thread-page.js';

customElements.define('cn-debates-page', CnDebatesPage);
customElements.define('cn-new-thread-page', CnNewThreadPage);
customElements.define('cn-thread-page', CnThreadPage);
customElements.define('cn-markdown-editor', CnMarkdownEditor);
customElements.define('cn-indicator-picker', CnIndicatorPicker);
customElements.define('cn-connection-status', CnConnectionStatus);
customElements.define('cn-attachment-picker', CnAttachmentPicker);

declare global {
  interface HTMLElementTagNameMap {
    'cn-debates-page': CnDebatesPage;
    'cn-new-thread-page': CnNewThreadPage;
    'cn-thread-page': CnThreadPage;
    'cn-markdown-editor': CnMarkdownEditor;
    'cn-indicator-picker': CnIndicatorPicker;
    'cn-connection-status': CnConnectionStatus;
    'cn-attachment-picker': CnAttachmentPicker;
  }
}
