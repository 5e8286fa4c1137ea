import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { isAbort } from '../../../app/api.js';
import { UploadController } from '../../../controllers/upload-controller.js';
import { debatesApi } from '../debates-api.js';
import type { Post } from '../models.js';
import { describeAttachmentError, MAX_ATTACHMENTS_PER_POST, refusedFilesMessage, splitChosenFiles } from '../post-attachments.js';
import { UploadQueue, type QueuedFile } from './upload-queue.js';

/** What the files need of the page that shows the posts. */
export interface PostFilesHost {
  /** Whether a post is shown (a file for one that is not says its failure in a toast). */
  shows(postId: string): boolean;
  /** A file reached its post: the post as it now is. */
  attached(post: Post, fileName: string): void;
  /** Moves focus to a post (after its file was retried or dismissed). */
  focusPost(postId: string): void;
  toast(message: string, variant: 'error'): void;
}

/**
 * The files a reader attaches to their posts in a debate: queued (upload-queue.ts) and sent one
 * at a time with progress (UploadController), each shown under its post while on its way, with
 * the reason and "Try again" or "Dismiss" if it fails. Leaving the page (or the debate) stops them.
 */
export class PostFilesController implements ReactiveController {
  private readonly upload: UploadController;
  private readonly queue: UploadQueue<File, { post: Post }>;

  constructor(
    host: ReactiveControllerHost,
    private readonly page: PostFilesHost,
  ) {
    this.upload = new UploadController(host);
    this.queue = new UploadQueue<File, { post: Post }>({
      send: (item) => this.upload.run((options) => debatesApi.attachToPost(item.postId, item.file, options)),
      describe: (error) => (isAbort(error) ? msg('The upload was cancelled.') : describeAttachmentError(error)),
      changed: () => host.requestUpdate(),
      sent: (item, { post }) => page.attached(post, item.file.name),
      failed: (item, message) => {
        // A post of a page not loaded (yet) shows no queue: say it here instead.
        if (!page.shows(item.postId)) page.toast(msg(str`${item.file.name} was not attached: ${message}`), 'error');
      },
    });
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    // The upload controller cancels the file being sent; the others are not sent either.
    this.queue.clear();
  }

  /** Sends files to a post that exists (chosen with the reply that made it, or with the new debate). */
  add(postId: string, files: File[]): void {
    this.queue.add(postId, files);
  }

  /** "Attach file" on one's own post: files it cannot take are refused at once, and said so. */
  choose(post: Post, files: File[]): void {
    const { accepted, wrongType, overLimit } = splitChosenFiles(files, this.room(post));
    const refused = refusedFilesMessage(wrongType, overLimit);
    if (refused) this.page.toast(refused, 'error');
    this.queue.add(post.id, accepted);
  }

  /** How many more files the post takes, counting those on their way. */
  room(post: Post): number {
    return this.queue.room(post.id, post.attachments.length, MAX_ATTACHMENTS_PER_POST);
  }

  /** Stops everything (another debate is shown). */
  stop(): void {
    this.upload.cancel();
    this.queue.clear();
  }

  /** The files on their way to a post: waiting, sending with progress, or failed with the reason and a retry. */
  render(postId: string): unknown {
    const items = this.queue.forPost(postId);
    if (items.length === 0) return nothing;
    return html`
      <ul class="plain queued-files" aria-label=${msg('Files being attached')}>
        ${repeat(
          items,
          (item) => item.key,
          (item) => html`
            <li class="queued-file">
              ${item.status === 'failed'
                ? html`
                    <p class="upload-error" role="alert">${msg(str`${item.file.name} was not attached: ${item.error}`)}</p>
                    <div class="row">
                      <cn-button size="small">
                        <button type="button" @click=${() => this.retry(item)}>${msg('Try again')}<span class="visually-hidden"> (${item.file.name})</span></button>
                      </cn-button>
                      <cn-button size="small" variant="quiet">
                        <button type="button" @click=${() => this.dismiss(item)}>${msg('Dismiss')}<span class="visually-hidden"> (${item.file.name})</span></button>
                      </cn-button>
                    </div>
                  `
                : item.status === 'sending'
                  ? html`<p class="small">${msg(str`Attaching ${item.file.name}…`)}</p>
                      ${this.upload.render()}`
                  : html`<p class="small muted">${msg(str`${item.file.name}: waiting for the files before it.`)}</p>`}
            </li>
          `,
        )}
      </ul>
    `;
  }

  private retry(item: QueuedFile) {
    this.queue.retry(item.key);
    this.page.focusPost(item.postId);
  }

  private dismiss(item: QueuedFile) {
    this.queue.dismiss(item.key);
    this.page.focusPost(item.postId);
  }
}
