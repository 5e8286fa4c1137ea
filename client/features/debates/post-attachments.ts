import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { isApiError } from '../../app/api.js';
import { describeError } from '../../app/errors.js';
import { formatBytes, hasAcceptedExtension, opensInBrowser } from '../../app/files.js';
import { attachmentHref } from './debates-api.js';
import type { Attachment } from './models.js';

/**
 * Files chosen with a new debate's opening message, by post id, from the moment the debate is
 * created until its page (where the upload progress and any failure show under the post)
 * takes them. In memory only: a browser cannot keep chosen files across a reload.
 */
const handedOver = new Map<string, File[]>();

export const filesForNewPost = {
  handOver(postId: string, files: File[]): void {
    if (files.length > 0) handedOver.set(postId, files);
  },
  take(postId: string): File[] {
    const files = handedOver.get(postId) ?? [];
    handedOver.delete(postId);
    return files;
  },
};

/** The server refuses more (409 too_many_attachments): a post is not a folder, the library is. */
export const MAX_ATTACHMENTS_PER_POST = 10;

/** "PDF", "XLSX", "JPG": what the small label before a file name says. */
export function fileTypeLabel(fileName: string): string {
  const extension = /\.([a-z0-9]{1,5})$/i.exec(fileName)?.[1]?.toUpperCase();
  if (!extension) return msg('File');
  return extension === 'JPEG' ? 'JPG' : extension;
}

/** Files refused before any upload: a type the server would refuse anyway, or one past the limit. */
export function splitChosenFiles(chosen: File[], room: number): { accepted: File[]; wrongType: File[]; overLimit: File[] } {
  const accepted: File[] = [];
  const wrongType: File[] = [];
  const overLimit: File[] = [];
  for (const file of chosen) {
    if (!hasAcceptedExtension(file.name)) wrongType.push(file);
    else if (accepted.length >= room) overLimit.push(file);
    else accepted.push(file);
  }
  return { accepted, wrongType, overLimit };
}

/** Why files were not added, in one sentence per reason; '' when all were. */
export function refusedFilesMessage(wrongType: File[], overLimit: File[]): string {
  const names = (files: File[]) => files.map((file) => file.name).join(', ');
  const parts: string[] = [];
  if (wrongType.length > 0) {
    parts.push(msg(str`Not added: ${names(wrongType)}. Attach a PDF, office document, CSV or text file, ZIP archive, or PNG or JPEG image.`));
  }
  if (overLimit.length > 0) {
    parts.push(msg(str`Not added: ${names(overLimit)}. A post holds at most ${MAX_ATTACHMENTS_PER_POST} files.`));
  }
  return parts.join(' ');
}

/** What to say when one file could not be attached to a post. */
export function describeAttachmentError(error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case 'file_too_large':
        return msg('This file is too large to attach. Compress it or split it into parts, then try again.');
      case 'too_many_attachments':
        return msg(str`A post holds at most ${MAX_ATTACHMENTS_PER_POST} files. Remove one to attach another.`);
      case 'thread_locked':
        return msg('This debate is locked: only moderators can post in it.');
      case 'forbidden':
        return msg('Only the author of a post can attach files to it, and not once it is withdrawn.');
    }
  }
  return describeError(error);
}

/**
 * The files under a post: each a link that opens PDFs and images in a new tab and downloads the
 * rest, with its type and size, and, for those who may, a button asking to remove it.
 */
export function attachmentList(attachments: Attachment[], options: { onRemove?: (attachment: Attachment) => void } = {}) {
  if (attachments.length === 0) return nothing;
  const { onRemove } = options;
  return html`
    <ul class="attachments" aria-label=${msg('Attached files')}>
      ${attachments.map(
        (attachment) => html`
          <li class="attachment">
            <span class="file-type" aria-hidden="true">${fileTypeLabel(attachment.fileName)}</span>
            ${opensInBrowser(attachment.mime)
              ? html`<a class="file-name" href=${attachmentHref(attachment.id)} target="_blank" rel="noopener"
                  >${attachment.fileName}<span class="visually-hidden"> ${msg('(opens in a new tab)')}</span></a
                >`
              : html`<a class="file-name" href=${attachmentHref(attachment.id, { attachment: true })} download>${attachment.fileName}</a>`}
            <span class="file-size">${formatBytes(attachment.size)}</span>
            ${onRemove
              ? html`<button type="button" class="remove-file" aria-label=${msg(str`Remove ${attachment.fileName}`)} title=${msg(str`Remove ${attachment.fileName}`)} @click=${() => onRemove(attachment)}>
                  <span aria-hidden="true">×</span>
                </button>`
              : nothing}
          </li>
        `,
      )}
    </ul>
  `;
}

/**
 * Lists of files (under a post, or chosen in a composer), and a file input drawn as a button:
 * the input itself is visually hidden but keeps focus and its label, so keyboards and screen
 * readers use the native control.
 */
export const attachmentStyles = css`
  .attachments {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--cn-space-1);
    justify-items: start;
  }

  /* Type, name, size, ×: a long name wraps in its own column, so the size and the × stay beside it. */
  .attachment {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto auto;
    align-items: center;
    gap: var(--cn-space-1) var(--cn-space-2);
    min-block-size: 2.25rem;
    padding: 0 0 0 var(--cn-space-2);
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    background: var(--cn-color-bg);
    font-size: 0.875rem;
    max-inline-size: 100%;
  }

  .attachment:not(:has(.remove-file)) {
    padding-inline-end: var(--cn-space-3);
  }

  .file-type {
    font-size: 0.6875rem;
    font-weight: 700;
    letter-spacing: 0.03em;
    padding: 0.05rem 0.35rem;
    border-radius: 3px;
    background: var(--cn-color-primary-soft);
    color: var(--cn-color-primary-strong);
  }

  .file-name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }

  .file-size {
    color: var(--cn-color-muted);
    white-space: nowrap;
  }

  .remove-file {
    font: inherit;
    font-size: 1.2rem;
    line-height: 1;
    inline-size: 2.25rem;
    block-size: 2.25rem;
    border: 0;
    border-radius: var(--cn-radius);
    background: none;
    color: var(--cn-color-muted);
    cursor: pointer;
  }

  .remove-file:hover {
    background: var(--cn-color-danger-soft);
    color: var(--cn-color-danger-strong);
  }

  .file-button {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    min-block-size: 2.25rem;
    padding: 0.3rem 0.75rem;
    font-size: 0.875rem;
    font-weight: 600;
    line-height: 1.2;
    color: var(--cn-color-primary);
    background: var(--cn-color-surface);
    border: 1px solid var(--cn-color-primary);
    border-radius: var(--cn-radius);
    cursor: pointer;
  }

  .file-button.quiet {
    color: var(--cn-color-link);
    background: transparent;
    border-color: transparent;
  }

  .file-button:hover {
    background: var(--cn-color-primary-soft);
  }

  .file-button svg {
    inline-size: 1rem;
    block-size: 1rem;
    fill: currentColor;
  }

  input:focus-visible + .file-button {
    outline: 3px solid var(--cn-color-focus);
    outline-offset: 2px;
  }

  @media (forced-colors: active) {
    .file-button {
      border: 1px solid ButtonText;
    }
  }
`;

/** A paper clip, drawn before "Attach" labels. */
export const paperClipIcon = html`<svg viewBox="0 0 20 20" aria-hidden="true">
  <path
    d="M13.6 3.2a3 3 0 0 0-4.2 0L3.9 8.7a4.6 4.6 0 0 0 6.5 6.5l5-5-1.1-1.1-5 5a3 3 0 0 1-4.3-4.3l5.5-5.5a1.4 1.4 0 0 1 2 2l-5.2 5.2a.2.2 0 0 1-.3-.3l4.8-4.8-1.1-1.1-4.8 4.8a1.8 1.8 0 0 0 2.5 2.5L14.7 7.5a3 3 0 0 0-1.1-4.3z"
  />
</svg>`;
