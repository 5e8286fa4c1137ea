import { CnIndicatorPicker } from './indicator-picker.js';
import { CnMarkdownEditor } from './markdown-editor.js';

// Elements of the debates that other features embed (the meetings' notes and chat, the library's
// forms): defined here so those features load them without the debates' pages.
customElements.define('cn-markdown-editor', CnMarkdownEditor);
customElements.define('cn-indicator-picker', CnIndicatorPicker);

declare global {
  interface HTMLElementTagNameMap {
    'cn-markdown-editor': CnMarkdownEditor;
    'cn-indicator-picker': CnIndicatorPicker;
  }
}
