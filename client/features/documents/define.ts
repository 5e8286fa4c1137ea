import { CnDocumentActivity } from './document-activity.js';
import { CnDocumentEditDialog } from './document-edit-dialog.js';
import { CnDocumentPage } from './document-page.js';
import { CnLibraryPage } from './library-page.js';
import { CnNewDocumentPage } from './new-document-page.js';
import { CnDocumentTrashPage } from './trash-page.js';
import { CnVersionUploadForm } from './version-upload-form.js';
import '../debates/widgets.js';

customElements.define('cn-library-page', CnLibraryPage);
customElements.define('cn-new-document-page', CnNewDocumentPage);
customElements.define('cn-document-page', CnDocumentPage);
customElements.define('cn-document-trash-page', CnDocumentTrashPage);
customElements.define('cn-version-upload-form', CnVersionUploadForm);
customElements.define('cn-document-edit-dialog', CnDocumentEditDialog);
customElements.define('cn-document-activity', CnDocumentActivity);

declare global {
  interface HTMLElementTagNameMap {
    'cn-library-page': CnLibraryPage;
    'cn-new-document-page': CnNewDocumentPage;
    'cn-document-page': CnDocumentPage;
    'cn-document-trash-page': CnDocumentTrashPage;
    'cn-version-upload-form': CnVersionUploadForm;
    'cn-document-edit-dialog': CnDocumentEditDialog;
    'cn-document-activity': CnDocumentActivity;
  }
}
