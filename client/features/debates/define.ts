import { CnAttachmentPicker } from './attachment-picker.js';
import { CnDebatesPage } from './debates-page.js';
import { CnNewThreadPage } from './new-thread-page.js';
import { CnPostComposer } from './thread/post-composer.js';
import { CnPostDialog } from './thread/post-dialog.js';
import { CnPostItem } from './thread/post-item.js';
import { CnThreadHeader } from './thread/thread-header.js';
import { CnThreadPage } from './thread/thread-page.js';
import '../../ui/indicator-picker/indicator-picker.js';
import '../../ui/markdown-editor/markdown-editor.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = {
  'cn-debates-page': CnDebatesPage,
  'cn-new-thread-page': CnNewThreadPage,
  'cn-thread-page': CnThreadPage,
  'cn-attachment-picker': CnAttachmentPicker,
  'cn-thread-header': CnThreadHeader,
  'cn-post-item': CnPostItem,
  'cn-post-composer': CnPostComposer,
  'cn-post-dialog': CnPostDialog,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
