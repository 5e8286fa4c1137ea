import { html } from 'lit';
import { msg, str } from '@lit/localize';
import { keyed } from 'lit/directives/keyed.js';
import { isAbort } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { ACCEPTED_EXTENSIONS } from '../../app/files.js';
import { FormController, text, formAlert } from '../../app/forms.js';
import { fieldError } from '../../ui/field/field.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { documentsApi } from './documents-api.js';
import { fileProblem } from './documents-format.js';
import type { DocumentDetail } from './models.js';
import { UploadController, uploadProgressStyles } from '../../controllers/upload-controller.js';
import { emit } from '../../app/events.js';

/**
 * Uploads a new version of a document, with a note on what changed.
 *
 * @event cn-document-changed - With the updated document as `detail`, after the upload.
 */
export class CnVersionUploadForm extends AppElement {
  static override styles = [baseStyles, pageStyles, uploadProgressStyles];

  static override properties = { documentId: {} };

  declare documentId: string;

  private form = new FormController(this);
  private upload = new UploadController(this);
  private formKey = 0;

  constructor() {
    super();
    this.documentId = '';
  }

  protected override render() {
    const form = this.form;
    const busy = form.pending || this.upload.active;
    return keyed(
      this.formKey,
      html`
        <form novalidate @submit=${this.submit}>
          ${formAlert(form)}
          <cn-field>
            <label slot="label">${msg('File of the new version')}</label>
            <input name="file" type="file" required accept=${ACCEPTED_EXTENSIONS.join(',')} />
            ${fieldError(form.error('file'))}
          </cn-field>
          <cn-field>
            <label slot="label">${msg('What changed')} <span class="optional">${msg('(optional)')}</span></label>
            <textarea name="changeNote" maxlength="1000"></textarea>
            <span slot="hint">${msg('Shown in the version history, e.g. "Corrected table 3".')}</span>
            ${fieldError(form.error('changeNote'))}
          </cn-field>
          ${this.upload.render()}
          <div class="form-actions">
            <cn-button variant="primary" ?loading=${busy}>
              <button type="submit" aria-disabled=${busy ? 'true' : 'false'}>${busy ? msg('Uploading…') : msg('Upload the new version')}</button>
            </cn-button>
          </div>
        </form>
      `,
    );
  }

  private submit(event: SubmitEvent) {
    return this.form.submit(event, {
      focusOnFailure: 'file',
      validate: (data, errors) => {
        const problem = fileProblem(data, msg('Choose the file of the new version.'));
        if (problem) errors.file = problem;
      },
      action: async (data) => {
        let updated: DocumentDetail;
        try {
          updated = await this.upload.run((options) => documentsApi.addVersion(this.documentId, data.get('file') as File, text(data, 'changeNote'), options));
        } catch (error) {
          if (!isAbort(error)) throw error;
          this.services.toast(msg('The upload was cancelled.'), 'info');
          return;
        }
        this.formKey += 1;
        this.services.toast(msg(str`Version ${updated.latestVersion.number} is uploaded.`), 'success');
        emit(this, 'cn-document-changed', updated, { bubbles: true, composed: true });
      },
    });
  }
}
