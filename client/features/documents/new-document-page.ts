import { css, html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { keyed } from 'lit/directives/keyed.js';
import { isAbort } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { FormController, formAlert } from '../../app/forms.js';
import { fieldError } from '../../ui/field/field.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { drafts } from '../../app/drafts.js';
import { ACCEPTED_EXTENSIONS } from '../../app/files.js';
import type { CnIndicatorPicker } from '../../ui/indicator-picker/indicator-picker.js';
import { documentFieldStyles, emptyValues, metadataFields, metadataOf, readValues, validateMetadata, withControlNames, type MetadataValues } from './document-fields.js';
import { documentsApi } from './documents-api.js';
import { fileProblem, todayIn } from './documents-format.js';
import { UploadController, uploadProgressStyles } from '../../controllers/upload-controller.js';

const DRAFT_KEY = 'concilia.draft.new-document';

/** A stored draft over fresh values, keeping only entries of the expected kind (it may be old or damaged). */
function restoreDraft(fresh: MetadataValues): MetadataValues {
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(drafts.read(DRAFT_KEY) || '{}') as Record<string, unknown>;
  } catch {
    return fresh;
  }
  const restored: Record<string, unknown> = { ...fresh };
  for (const [key, value] of Object.entries(fresh)) {
    const candidate = stored[key];
    if (Array.isArray(value) ? Array.isArray(candidate) && candidate.every((item) => typeof item === 'string') : typeof candidate === typeof value) {
      restored[key] = candidate;
    }
  }
  return restored as unknown as MetadataValues;
}

/**
 * Uploads a document with its details. What was typed (not the file, which a browser cannot
 * restore) is kept on this device until the upload succeeds or the draft is discarded.
 */
export class CnNewDocumentPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    documentFieldStyles,
    uploadProgressStyles,
    css`
      form {
        max-inline-size: 56rem;
      }
    `,
  ];

  private form = new FormController(this);
  private upload = new UploadController(this);
  private values: MetadataValues | null = null;
  /** Bumped to render a fresh form, since a discarded draft must clear the controls themselves. */
  private formKey = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    // Read here rather than in the constructor: the signed-in person's zone decides "today".
    this.values ??= restoreDraft(emptyValues(todayIn(this.user?.timeZone)));
  }

  private get picker() {
    return this.renderRoot.querySelector<CnIndicatorPicker>('cn-indicator-picker');
  }

  protected override render() {
    const form = this.form;
    const values = this.values ?? emptyValues(todayIn(this.user?.timeZone));
    const busy = form.pending || this.upload.active;
    return html`
      <p class="small"><a href="/documents">${msg('← Back to the library')}</a></p>
      <div class="page-header">
        <h1 tabindex="-1">${msg('Upload a document')}</h1>
        <p class="lead">${msg('What you type is kept on this device until the upload is done. After a reload, choose the file again.')}</p>
      </div>
      ${keyed(
        this.formKey,
        html`
          <form class="card" novalidate @submit=${this.submit} @input=${this.saveDraft} @change=${this.saveDraft}>
            ${formAlert(form)}
            <cn-field>
              <label slot="label">${msg('File')}</label>
              <input name="file" type="file" required accept=${ACCEPTED_EXTENSIONS.join(',')} />
              <span slot="hint">${msg('PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, ZIP, PNG or JPEG.')}</span>
              ${fieldError(form.error('file'))}
            </cn-field>
            ${metadataFields(form, values, this.services)} ${this.upload.render()}
            <div class="form-actions">
              <cn-button variant="primary" ?loading=${busy}>
                <button type="submit" aria-disabled=${busy ? 'true' : 'false'}>${busy ? msg('Uploading…') : msg('Upload the document')}</button>
              </cn-button>
              ${busy ? nothing : html`<cn-button variant="quiet"><button type="button" @click=${this.discard}>${msg('Discard the draft')}</button></cn-button>`}
            </div>
          </form>
        `,
      )}
    `;
  }

  private saveDraft = (event: Event) => {
    if ((event.target as HTMLInputElement | null)?.type === 'file') return;
    const form = this.renderRoot.querySelector('form');
    if (!form) return;
    this.values = readValues(new FormData(form), this.picker?.value ?? []);
    const untouched = JSON.stringify(this.values) === JSON.stringify(emptyValues(todayIn(this.user?.timeZone)));
    drafts.write(DRAFT_KEY, untouched ? '' : JSON.stringify(this.values));
  };

  private submit(event: SubmitEvent) {
    return this.form.submit(event, {
      focusOnFailure: 'file',
      validate: (data, errors) => {
        const problem = fileProblem(data, msg('Choose the file to upload.'));
        if (problem) errors.file = problem;
        validateMetadata(data, errors);
      },
      action: async (data) => {
        const file = data.get('file') as File;
        const metadata = metadataOf(readValues(data, this.picker?.value ?? []));
        let created;
        try {
          created = await this.upload.run((options) => documentsApi.upload(metadata, file, options));
        } catch (error) {
          if (!isAbort(error)) throw withControlNames(error);
          this.services.toast(msg('The upload was cancelled. Your details are kept.'), 'info');
          return;
        }
        drafts.clear(DRAFT_KEY);
        this.values = null;
        this.services.toast(msg('The document is uploaded.'), 'success');
        this.services.navigate(`/documents/${encodeURIComponent(created.id)}`);
      },
    });
  }

  private async discard() {
    drafts.clear(DRAFT_KEY);
    this.values = emptyValues(todayIn(this.user?.timeZone));
    this.formKey += 1;
    this.form.reset();
    await this.updateComplete;
    this.services.toast(msg('The draft was discarded.'), 'info');
    this.renderRoot.querySelector<HTMLElement>('input[name="file"]')?.focus();
  }
}
