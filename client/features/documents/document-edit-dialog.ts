import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { keyed } from 'lit/directives/keyed.js';
import { AppElement } from '../../app/base-element.js';
import { FormController } from '../../app/forms.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { debatesApi } from '../debates/debates-api.js';
import type { CnIndicatorPicker } from '../debates/indicator-picker.js';
import { documentFieldStyles, metadataFields, metadataOf, readValues, validateMetadata, valuesOf, withControlNames, type MetadataValues } from './document-fields.js';
import { documentsApi } from './documents-api.js';
import type { DocumentDetail } from './models.js';

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
                  ${form.message ? html`<div class="alert alert-error" role="alert">${form.message}</div>` : nothing}
                  ${metadataFields(form, this.values, this.services)}
                  <div class="form-actions">
                    <cn-button variant="primary" ?loading=${form.pending}>
                      <button type="submit" aria-disabled=${form.pending ? 'true' : 'false'}>${form.pending ? msg('Saving…') : msg('Save the changes')}</button>
                    </cn-button>
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
        this.dispatchEvent(new CustomEvent<DocumentDetail>('cn-document-changed', { detail: updated, bubbles: true, composed: true }));
      },
    });
  }
}
