import { CnMarkdownEditor } from './markdown-editor.component.js';
import { defineElements, type ElementsOf } from '../define-elements.js';

export { CnMarkdownEditor };

// Defined here rather than in ui/index.ts: only the pages that write load it (debates, documents, meetings).
const ELEMENTS = { 'cn-markdown-editor': CnMarkdownEditor };
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
