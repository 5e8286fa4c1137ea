import { css, html, nothing } from 'lit';
import { formatNumber } from '../../app/format.js';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { ACCEPTED_EXTENSIONS, formatBytes } from '../documents/documents-format.js';
import { composerMessageStyles } from './post-styles.js';
import { attachmentStyles, fileTypeLabel, MAX_ATTACHMENTS_PER_POST, paperClipIcon, refusedFilesMessage, splitChosenFiles } from './post-attachments.js';

let counter = 0;

/**
 * Files to attach to a post that is being written: an "Attach files" control (the native file
 * input, drawn as a button) and the chosen files, each with a button to take it off the list.
 * It only holds the files; the composer creates the post, then uploads `files` to it.
 * A browser cannot restore chosen files, so unlike the text they are not kept as a draft.
 */
export class CnAttachmentPicker extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    composerMessageStyles,
    attachmentStyles,
    css`
      :host {
        display: grid;
        gap: var(--cn-space-2);
      }

      .choose {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cn-space-2) var(--cn-space-3);
      }

    `,
  ];

  static override properties = {
    files: { state: true },
    problem: { state: true },
    status: { state: true },
  };

  /** The chosen files, in the order chosen. */
  declare files: File[];
  /** Why some chosen files were not added. */
  declare private problem: string;
  /** What the polite live region says after the list changed. */
  declare private status: string;

  private readonly uid = `attachments-${++counter}`;

  constructor() {
    super();
    this.files = [];
    this.problem = '';
    this.status = '';
  }

  /** Empties the list, after the files were handed over for upload. */
  clear(): void {
    this.files = [];
    this.problem = '';
    this.status = '';
  }

  protected override render() {
    return html`
      <div class="choose">
        <input
          id=${`${this.uid}-input`}
          class="visually-hidden"
          type="file"
          multiple
          accept=${ACCEPTED_EXTENSIONS.join(',')}
          aria-describedby=${`${this.uid}-hint`}
          @change=${this.onChoose}
        />
        <label for=${`${this.uid}-input`} class="file-button">${paperClipIcon}${msg('Attach files')}</label>
        <span class="hint" id=${`${this.uid}-hint`}>
          ${msg(str`Optional, up to ${MAX_ATTACHMENTS_PER_POST} files: PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, ZIP, PNG or JPEG.`)}
        </span>
      </div>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      ${this.files.length > 0
        ? html`<ul class="attachments" aria-label=${msg('Files to attach')}>
            ${this.files.map(
              (file, index) => html`
                <li class="attachment">
                  <span class="file-type" aria-hidden="true">${fileTypeLabel(file.name)}</span>
                  <span class="file-name">${file.name}</span>
                  <span class="file-size">${formatBytes(file.size)}</span>
                  <button type="button" class="remove-file" aria-label=${msg(str`Do not attach ${file.name}`)} title=${msg(str`Do not attach ${file.name}`)} @click=${() => this.removeFile(index)}>
                    <span aria-hidden="true">×</span>
                  </button>
                </li>
              `,
            )}
          </ul>`
        : nothing}
      <p class="visually-hidden" role="status">${this.status}</p>
    `;
  }

  private onChoose(event: Event) {
    const input = event.target as HTMLInputElement;
    const chosen = [...(input.files ?? [])];
    // Emptied so that choosing the same file again, after removing it, fires `change` again.
    input.value = '';
    const known = (file: File) => this.files.some((f) => f.name === file.name && f.size === file.size && f.lastModified === file.lastModified);
    const { accepted, wrongType, overLimit } = splitChosenFiles(
      chosen.filter((file) => !known(file)),
      MAX_ATTACHMENTS_PER_POST - this.files.length,
    );
    this.files = [...this.files, ...accepted];
    this.problem = refusedFilesMessage(wrongType, overLimit);
    this.status = this.countText();
  }

  private async removeFile(index: number) {
    const removed = this.files[index];
    this.files = this.files.filter((_, i) => i !== index);
    this.problem = '';
    this.status = removed ? `${msg(str`${removed.name} will not be attached.`)} ${this.countText()}` : this.countText();
    await this.updateComplete;
    // Focus stays in the list (the next file's button), or goes back to the control when it is empty.
    const buttons = this.renderRoot.querySelectorAll<HTMLElement>('.remove-file');
    (buttons[Math.min(index, buttons.length - 1)] ?? this.renderRoot.querySelector<HTMLElement>('input[type="file"]'))?.focus();
  }

  private countText() {
    const count = this.files.length;
    if (count === 0) return msg('No file to attach.');
    return plural(count, { one: msg(str`${formatNumber(count)} file to attach.`, { id: 'files-to-attach.one' }), other: msg(str`${formatNumber(count)} files to attach.`, { id: 'files-to-attach.other' }) });
  }
}
