import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { isApiError } from '../../../app/api.js';
import { PagePart } from '../../../app/base-element.js';
import { describeError } from '../../../app/errors.js';
import type { CnMarkdownEditor } from '../../../ui/markdown-editor/markdown-editor.js';
import type { CnAttachmentPicker } from '../attachment-picker.js';
import { debatesApi } from '../debates-api.js';
import type { Post } from '../models.js';
import { emit } from '../../../app/events.js';

/** What a composer sends up once its reply is published: the post, and the files chosen with it (sent after it). */
export interface PostSent {
  post: Post;
  files: File[];
}

/**
 * A reply form of a debate: to one post (inline, under it) or to the debate (at its end). The
 * text is a Markdown editor that keeps a draft on this device under `draftKey`; files chosen
 * with it are handed to the page, which attaches them once the post exists.
 *
 * @event cn-post-sent - detail PostSent: the reply is published (the editor and picker are cleared).
 * @event cn-reply-cancel - the inline form's Cancel.
 */
export class CnPostComposer extends PagePart {
  static override properties = {
    threadId: {},
    parentId: {},
    label: {},
    draftKey: {},
    inline: { type: Boolean },
    sending: { state: true },
    error: { state: true },
  };

  declare threadId: string;
  /** The post answered; null answers the opening post (the debate itself). */
  declare parentId: string | null;
  declare label: string;
  declare draftKey: string;
  /** Under a post (with Cancel), rather than at the end of the debate. */
  declare inline: boolean;
  declare private sending: boolean;
  declare private error: string;

  constructor() {
    super();
    this.threadId = '';
    this.parentId = null;
    this.label = '';
    this.draftKey = '';
    this.inline = false;
    this.sending = false;
    this.error = '';
  }

  private get editor() {
    return this.querySelector<CnMarkdownEditor>('cn-markdown-editor');
  }

  override focus(): void {
    this.editor?.focus();
  }

  /** Adds a block (a quotation) to what is written, and focuses it. */
  insertBlock(text: string): void {
    this.editor?.insertBlock(text);
  }

  protected override render() {
    return html`
      <form
        class=${this.inline ? 'reply-form inline-reply stack' : 'stack'}
        novalidate
        @submit=${this.send}
        @cn-editor-submit=${(event: Event) => (event.currentTarget as HTMLFormElement).requestSubmit()}
      >
        <cn-markdown-editor .label=${this.label} .draftKey=${this.draftKey} .error=${this.error}></cn-markdown-editor>
        <cn-attachment-picker></cn-attachment-picker>
        <div class="form-actions">
          <cn-button variant="primary" ?loading=${this.sending}>
            <button type="submit" aria-disabled=${this.sending ? 'true' : 'false'}>${msg('Send the reply')}</button>
          </cn-button>
          ${this.inline
            ? html`<cn-button variant="quiet"><button type="button" @click=${() => this.dispatchEvent(new Event('cn-reply-cancel', { bubbles: true }))}>${msg('Cancel')}</button></cn-button>`
            : nothing}
        </div>
      </form>
    `;
  }

  private async send(event: Event) {
    event.preventDefault();
    const editor = this.editor;
    const picker = this.querySelector<CnAttachmentPicker>('cn-attachment-picker');
    if (!editor || this.sending || !this.threadId) return;
    const body = editor.value;
    if (!body.trim()) {
      this.error = msg('Write something before sending.');
      editor.focus();
      return;
    }
    this.sending = true;
    this.error = '';
    try {
      // The post first, then its files one by one (by the page): a file that fails leaves the post in place.
      const files = picker?.files ?? [];
      const post = await debatesApi.reply(this.threadId, body, this.parentId);
      editor.clear();
      picker?.clear();
      emit(this, 'cn-post-sent', { post, files }, { bubbles: true });
    } catch (error) {
      this.error =
        isApiError(error) && error.code === 'thread_locked'
          ? msg('This debate is locked: only moderators can post in it.')
          : isApiError(error) && error.fields.body
            ? msg('The message is too long or not valid.')
            : describeError(error);
      editor.focus();
    } finally {
      this.sending = false;
    }
  }
}

declare global {
  interface HTMLElementEventMap {
    /** The reply form was closed without sending. */
    'cn-reply-cancel': Event;
    /** A post was sent, with the files still to upload to it. */
    'cn-post-sent': CustomEvent<PostSent>;
  }
}
