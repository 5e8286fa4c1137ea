import { CnMarkdownEditor } from './markdown-editor.component.js';

export { CnMarkdownEditor };

// Defined here rather than in ui/index.ts: only the pages that write load it (debates, documents, meetings).
if (!customElements.get('cn-markdown-editor')) customElements.define('cn-markdown-editor', CnMarkdownEditor);

declare global {
  interface HTMLElementTagNameMap {
    'cn-markdown-editor': CnMarkdownEditor;
  }
}
