import { CnDocumentActivity } from './document-activity.js';
import { CnDocumentEditDialog } from './document-edit-dialog.js';
import { CnDocumentPage } from './document-page.js';
import { CnLibraryPage } from './library-page.js';
import { CnNewDocumentPage } from './new-document-page.js';
import { CnDocumentTrashPage } from './trash-page.js';
import { CnVersionUploadForm } from './version-upload-form.js';
import '../../ui/indicator-picker/indicator-picker.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = {
  'cn-library-page': CnLibraryPage,
  'cn-new-document-page': CnNewDocumentPage,
  'cn-document-page': CnDocumentPage,
  'cn-document-trash-page': CnDocumentTrashPage,
  'cn-version-upload-form': CnVersionUploadForm,
  'cn-document-edit-dialog': CnDocumentEditDialog,
  'cn-document-activity': CnDocumentActivity,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
