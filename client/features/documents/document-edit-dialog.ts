import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { keyed } from 'lit/directives/keyed.js';
import { AppElement } from '../../app/base-element.js';
import { FormController, formAlert, submitButton } from '../../app/forms.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { debatesApi } from '../debates/public.js';
import type { CnIndicatorPicker } from '../../ui/indicator-picker/indicator-picker.js';
import { documentFieldStyles, metadataFields, metadataOf, readValues, validateMetadata, valuesOf, withControlNames, type MetadataValues } from './document-fields.js';
import { documentsApi } from './documents-api.js';
import type { DocumentDetail } from './models.js';
import { emit } from '../../app/events.js';

/**
 * Edits a document's details (not its file) in a dialog.
 *
 * @event cn-document-changed - With the updated document as `detail`, after saving.
 */
export class CnDocumentEditDialog extends AppElement {
  static override styles = [baseStyles, pageStyles, documentFieldStyles];

  static override properties = { document: { attribute: false } };

  declare document: DocumentDetail | null;

  private form = new FormController(this);
  private values: MetadataValues | null = null;
  private formKey = 0;

  constructor() {
    super();
    this.document = null;
  }

  private get dialog() {
    return this.renderRoot.querySelector<CnDialog>('cn-dialog');
  }

  /** Opens the dialog on the document's current details. */
  async show(): Promise<void> {
    if (!this.document) return;
    const values = valuesOf(this.document);
    if (values.relatedThread) {
      // The document names its debate by id; the picker shows it by title.
      values.relatedThreadTitle = await debatesApi.thread(values.relatedThread).then(
        (thread) => thread.title,
        () => '',
      );
    }
    this.values = values;
    this.formKey += 1;
    this.form.reset();
    await this.updateComplete;
    const dialog = this.dialog;
    if (dialog) dialog.open = true;
  }

  protected override render() {
    const form = this.form;
    return html`
      <cn-dialog label=${msg('Edit the details')}>
        ${this.values
          ? keyed(
              this.formKey,
              html`
                <form novalidate @submit=${this.submit}>
                  ${formAlert(form)}
                  ${metadataFields(form, this.values, this.services)}
                  <div class="form-actions">
                    ${submitButton(form, msg('Save the changes'), { pendingLabel: msg('Saving…') })}
                    <cn-button variant="quiet"><button type="button" @click=${() => this.dialog?.close()}>${msg('Cancel')}</button></cn-button>
                  </div>
                </form>
              `,
            )
          : nothing}
      </cn-dialog>
    `;
  }

  private submit(event: SubmitEvent) {
    const document = this.document;
    if (!document) return;
    return this.form.submit(event, {
      validate: validateMetadata,
      action: async (data) => {
        const picker = this.renderRoot.querySelector<CnIndicatorPicker>('cn-indicator-picker');
        let updated: DocumentDetail;
        try {
          updated = await documentsApi.update(document.id, metadataOf(readValues(data, picker?.value ?? [])));
        } catch (error) {
          throw withControlNames(error);
        }
        this.dialog?.close();
        this.services.toast(msg('The details are saved.'), 'success');
        emit(this, 'cn-document-changed', updated, { bubbles: true, composed: true });
      },
    });
  }
}

declare global {
  interface HTMLElementEventMap {
    /** The document after an edit or a new version (also from cn-version-upload-form). */
    'cn-document-changed': CustomEvent<DocumentDetail>;
  }
}
