import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { isApiError } from '../../../app/api.js';
import { PagePart } from '../../../app/base-element.js';
import { describeError } from '../../../app/errors.js';
import { formatDateTime } from '../../../app/format.js';
import { authorDetails } from '../../../app/page-format.js';
import { Resource } from '../../../controllers/resource.js';
import type { CnDialog } from '../../../ui/dialog/dialog.js';
import { sanitizedPostHtml } from '../../../ui/trusted-html.js';
import { debatesApi } from '../debates-api.js';
import type { Attachment, Author, Post, Revision } from '../models.js';
import { emit } from '../../../app/events.js';

/** What a post asks to confirm or show in a dialog. */
export type PostDialog =
  | { kind: 'withdraw'; post: Post }
  | { kind: 'hide'; post: Post }
  | { kind: 'revisions'; post: Post }
  | { kind: 'agreements'; post: Post }
  | { kind: 'remove-attachment'; post: Post; attachment: Attachment };

/** A file gone from a post: which, and where it was in the post's list (focus moves to its neighbour). */
export interface AttachmentRemoved {
  postId: string;
  attachment: Attachment;
  index: number;
}

/**
 * The dialogs of a debate's posts: withdrawing one's post, hiding someone's (with a reason the
 * author sees), removing a file, and the edit history and who agrees, loaded when opened. Each
 * opens with `open(dialog)`; focus goes back to what opened it when it closes.
 *
 * @event cn-post-change - detail Post: the post as the confirmed action left it.
 * @event cn-attachment-removed - detail AttachmentRemoved, once the dialog has closed.
 */
export class CnPostDialog extends PagePart {
  static override properties = {
    dialog: { state: true },
    busy: { state: true },
    error: { state: true },
  };

  declare private dialog: PostDialog | null;
  declare private busy: boolean;
  declare private error: string;
  /** Runs once the dialog has closed and given focus back (to move it elsewhere). */
  private afterClose: (() => void) | null = null;

  private revisions = new Resource<Revision[], readonly [string]>(this, {
    args: () => [this.dialog?.kind === 'revisions' ? this.dialog.post.id : ''] as const,
    load: ([postId], signal) => debatesApi.revisions(postId, signal),
    autoRun: false,
  });

  private agreements = new Resource<Author[], readonly [string]>(this, {
    args: () => [this.dialog?.kind === 'agreements' ? this.dialog.post.id : ''] as const,
    load: ([postId], signal) => debatesApi.agreements(postId, signal),
    autoRun: false,
  });

  constructor() {
    super();
    this.dialog = null;
    this.busy = false;
    this.error = '';
  }

  async open(dialog: PostDialog): Promise<void> {
    this.dialog = dialog;
    this.error = '';
    this.revisions.value = undefined;
    this.agreements.value = undefined;
    if (dialog.kind === 'revisions') void this.revisions.run();
    if (dialog.kind === 'agreements') void this.agreements.run();
    await this.updateComplete;
    const element = this.querySelector<CnDialog>('cn-dialog');
    if (element) element.open = true;
  }

  close(): void {
    this.querySelector<CnDialog>('cn-dialog')?.close();
  }

  private closed = () => {
    this.dialog = null;
    const after = this.afterClose;
    this.afterClose = null;
    after?.();
  };

  private changed(post: Post) {
    emit(this, 'cn-post-change', post, { bubbles: true });
  }

  protected override render() {
    const dialog = this.dialog;
    if (!dialog) return nothing;
    const cancel = html`<cn-button variant="quiet"><button type="button" @click=${() => this.close()}>${msg('Cancel')}</button></cn-button>`;
    switch (dialog.kind) {
      case 'remove-attachment':
        return html`
          <cn-dialog label=${msg(str`Remove ${dialog.attachment.fileName}?`)} @cn-close=${this.closed}>
            <p>${dialog.post.author.id === this.user?.id ? msg('The file disappears from your post for everyone.') : msg(str`The file disappears from the post by ${dialog.post.author.displayName} for everyone.`)}</p>
            <div class="form-actions">
              <cn-button variant="danger" ?loading=${this.busy}>
                <button type="button" autofocus @click=${() => this.removeAttachment(dialog.post, dialog.attachment)}>${msg('Remove the file')}</button>
              </cn-button>
              ${cancel}
            </div>
          </cn-dialog>
        `;
      case 'withdraw':
        return html`
          <cn-dialog label=${msg('Withdraw your post?')} @cn-close=${this.closed}>
            <p>${msg('The text disappears for everyone; the debate shows that you withdrew the post. This cannot be undone.')}</p>
            <div class="form-actions">
              <cn-button variant="danger" ?loading=${this.busy}>
                <button type="button" autofocus @click=${() => this.withdraw(dialog.post)}>${msg('Withdraw the post')}</button>
              </cn-button>
              ${cancel}
            </div>
          </cn-dialog>
        `;
      case 'hide':
        return html`
          <cn-dialog label=${msg(str`Hide the post by ${dialog.post.author.displayName}`)} @cn-close=${this.closed}>
            <form novalidate @submit=${(event: SubmitEvent) => this.hide(event, dialog.post)}>
              ${this.error ? html`<div class="alert alert-error" role="alert">${this.error}</div>` : nothing}
              <cn-field>
                <label slot="label">${msg('Reason')}</label>
                <textarea id="hide-reason" name="reason" rows="3" maxlength="500" required autofocus></textarea>
                <span slot="hint">${msg('Moderators and the author see the reason; the others see that a moderator hid the post.')}</span>
              </cn-field>
              <div class="form-actions">
                <cn-button variant="danger" ?loading=${this.busy}><button type="submit">${msg('Hide the post')}</button></cn-button>
                ${cancel}
              </div>
            </form>
          </cn-dialog>
        `;
      case 'revisions':
        return html`
          <cn-dialog label=${msg('Edit history')} @cn-close=${this.closed}>
            ${this.revisions.render({
              loading: msg('Loading…'),
              inline: true,
              complete: (items) => html`<ol class="plain">
                ${items.map(
                  (revision) => html`<li class="revision stack">
                    <p class="small muted">
                      ${msg(str`Version ${revision.number}`)} · ${revision.editor.displayName} ·
                      <time datetime=${revision.editedAt}>${formatDateTime(revision.editedAt, this.user?.timeZone)}</time>
                    </p>
                    <div class="post-body">${sanitizedPostHtml(revision.html, this.services.countries)}</div>
                  </li>`,
                )}
              </ol>`,
            })}
          </cn-dialog>
        `;
      case 'agreements':
        return html`
          <cn-dialog label=${msg('Who agrees')} @cn-close=${this.closed}>
            ${this.agreements.render({
              loading: msg('Loading…'),
              inline: true,
              complete: (items) => html`<ul class="plain who">
                ${items.map((author) => html`<li><a href=${`/people/${encodeURIComponent(author.id)}`}>${author.displayName}</a> <span class="muted small">${authorDetails(author, this.services)}</span></li>`)}
              </ul>`,
            })}
          </cn-dialog>
        `;
    }
  }

  private async withdraw(post: Post) {
    this.busy = true;
    try {
      this.changed(await debatesApi.withdraw(post.id));
      this.close();
      this.services.toast(msg('Your post was withdrawn.'), 'success');
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = false;
    }
  }

  private async hide(event: SubmitEvent, post: Post) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '').trim();
    if (!reason) {
      this.error = msg('Give a reason: the author will see it.');
      await this.updateComplete;
      this.querySelector<HTMLElement>('#hide-reason')?.focus();
      return;
    }
    this.busy = true;
    try {
      this.changed(await debatesApi.hide(post.id, reason));
      this.close();
      this.services.toast(msg('The post is hidden.'), 'success');
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
    }
  }

  private async removeAttachment(post: Post, attachment: Attachment) {
    if (this.busy) return;
    this.busy = true;
    const removed = () => {
      const detail: AttachmentRemoved = { postId: post.id, attachment, index: post.attachments.findIndex((a) => a.id === attachment.id) };
      // Once the dialog has given focus back to the removed file's button, the page moves it on.
      this.afterClose = () => emit(this, 'cn-attachment-removed', detail, { bubbles: true });
      this.close();
    };
    try {
      await debatesApi.removeAttachment(attachment.id);
      removed();
      this.services.toast(msg(str`${attachment.fileName} was removed from the post.`), 'success');
    } catch (error) {
      // Already removed (by the author or a moderator meanwhile): the list catches up.
      if (isApiError(error) && error.status === 404) removed();
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementEventMap {
    /** A file was removed from a post (after the dialog closes). */
    'cn-attachment-removed': CustomEvent<AttachmentRemoved>;
  }
}
