import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { PagePart } from '../../../app/base-element.js';
import { describeError } from '../../../app/errors.js';
import { ACCEPTED_EXTENSIONS } from '../../../app/files.js';
import { formatDateTime, formatNumber } from '../../../app/format.js';
import { authorDetails, formatWhen } from '../../../app/page-format.js';
import { plural } from '../../../app/plural.js';
import type { CnMarkdownEditor } from '../../../ui/markdown-editor/markdown-editor.js';
import { sanitizedPostHtml } from '../../../ui/trusted-html.js';
import { debatesApi } from '../debates-api.js';
import type { Post, ThreadDetail } from '../models.js';
import { attachmentList, paperClipIcon } from '../post-attachments.js';
import type { ThreadView } from './live-placement.js';
import type { PostDialog } from './post-dialog.js';
import type { ReadTrackingController } from './read-tracking.js';
import { isModerator } from './thread-header.js';
import { emit, type EventDetail } from '../../../app/events.js';

/** Deeper answers are drawn at this indentation, with an "in reply to" link instead. */
export const MAX_INDENT = 4;

/** How the page shows a post besides its content. */
export interface PostMarks {
  /** Posted after where the reader had read when the page opened, by someone else. */
  unread: boolean;
  /** The "since your last visit" divider stands before it. */
  sinceLastVisit: boolean;
  /** Arrived live from someone else while the page was open. */
  fresh: boolean;
  /** Show "In reply to …" (its parent is not drawn just above it). */
  showInReply: boolean;
}

/** Files chosen with a post's "Attach file". */
export interface FilesChosen {
  post: Post;
  files: File[];
}

/**
 * One post of a debate: who wrote it and when, its text and files, and what the reader may do
 * with it (agree, reply, quote a selection, edit, withdraw, attach a file, hide or show again).
 * Editing happens in place; the inline reply form opens under it.
 *
 * @event cn-post-change - detail Post: the post after an action taken here (agreement, edit, shown again).
 * @event cn-post-reply - detail Post: open the reply form under it.
 * @event cn-post-quote - detail Post: reply quoting the selected text.
 * @event cn-post-dialog - detail PostDialog: confirm or show something in a dialog.
 * @event cn-post-attach - detail FilesChosen.
 * @event cn-post-focus - detail string (a post id): go to that post.
 */
export class CnPostItem extends PagePart {
  static override properties = {
    post: { attribute: false },
    thread: { attribute: false },
    view: {},
    marks: { attribute: false },
    replying: { type: Boolean },
    quotable: { type: Boolean },
    room: { type: Number },
    queued: { attribute: false },
    reads: { attribute: false },
    editing: { state: true },
    editError: { state: true },
    busy: { state: true },
  };

  declare post: Post | null;
  declare thread: ThreadDetail | null;
  declare view: ThreadView;
  declare marks: PostMarks;
  /** Its inline reply form is open. */
  declare replying: boolean;
  /** The reader selected some of its text: offer to quote it. */
  declare quotable: boolean;
  /** How many more files it takes. */
  declare room: number;
  /** The files on their way to it, as the page draws them (with the upload's progress). */
  declare queued: unknown;
  /** Counts the post as read once it is seen. */
  declare reads: ReadTrackingController | null;
  declare private editing: boolean;
  declare private editError: string;
  declare private busy: 'agree' | 'edit' | 'save' | 'unhide' | null;
  private article: HTMLElement | null = null;

  constructor() {
    super();
    this.post = null;
    this.thread = null;
    this.view = 'tree';
    this.marks = { unread: false, sinceLastVisit: false, fresh: false, showInReply: false };
    this.replying = false;
    this.quotable = false;
    this.room = 0;
    this.queued = nothing;
    this.reads = null;
    this.editing = false;
    this.editError = '';
    this.busy = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.article) this.reads?.unobserve(this.article);
  }

  protected override updated(changed: Map<string, unknown>): void {
    super.updated(changed);
    const article = this.querySelector<HTMLElement>('article.post');
    if (article && article !== this.article) {
      if (this.article) this.reads?.unobserve(this.article);
      this.article = article;
      this.reads?.observe(article);
    }
  }

  private emit<K extends 'cn-post-change' | 'cn-post-reply' | 'cn-post-quote' | 'cn-post-dialog' | 'cn-post-attach' | 'cn-post-focus'>(type: K, detail: EventDetail<K>) {
    emit(this, type, detail, { bubbles: true });
  }

  protected override render() {
    const post = this.post;
    const thread = this.thread;
    if (!post || !thread) return nothing;
    const me = this.user;
    const mine = post.author.id === me?.id;
    const indent = this.view === 'tree' ? Math.min(post.depth, MAX_INDENT) : 0;
    const opening = post.seq === 1 && !post.parentId;
    const { unread, sinceLastVisit, fresh, showInReply } = this.marks;
    const classes = ['post', `indent-${indent}`, opening ? 'opening' : '', unread ? 'unread' : '', post.state === 'hidden' ? 'is-hidden' : '', fresh ? 'fresh' : ''].filter(Boolean).join(' ');
    const headingId = `post-head-${post.id}`;
    return html`
      ${sinceLastVisit
        ? html`<div class="since-last-visit" role="separator" aria-label=${msg('Since your last visit')}><span aria-hidden="true">${msg('Since your last visit')}</span></div>`
        : nothing}
      <article id=${`post-${post.id}`} class=${classes} tabindex="-1" data-seq=${post.seq} aria-labelledby=${`${headingId} ${headingId}-time`}>
        <div class="post-head">
          <span class="post-author" id=${headingId}>${post.author.displayName}</span>
          <span class="muted">${authorDetails(post.author, this.services)}</span>
          <a
            class="muted"
            href=${`#post-${post.id}`}
            @click=${(event: Event) => {
              event.preventDefault();
              this.emit('cn-post-focus', post.id);
            }}
          >
            <time id=${`${headingId}-time`} datetime=${post.createdAt} title=${formatDateTime(post.createdAt, me?.timeZone)}>${formatWhen(post.createdAt, me?.timeZone)}</time>
          </a>
          ${unread ? html`<span class="badge">${msg('New')}</span>` : nothing}
          ${post.editedAt && post.state === 'visible'
            ? html`<button type="button" class="link-button muted" aria-label=${msg('Edited: see the history')} @click=${() => this.emit('cn-post-dialog', { kind: 'revisions', post })}>
                ${msg('edited')}
              </button>`
            : nothing}
        </div>
        ${showInReply && post.inReplyTo
          ? html`<p class="in-reply">
              ${msg('In reply to')}
              <button type="button" class="link-button" @click=${() => this.emit('cn-post-focus', post.inReplyTo!.postId)}>${post.inReplyTo.authorName}</button>
            </p>`
          : nothing}
        ${this.editing ? this.renderEditForm(post) : this.renderBody(post)}
        ${attachmentList(post.attachments, {
          onRemove: mine || post.mayModerate ? (attachment) => this.emit('cn-post-dialog', { kind: 'remove-attachment', post, attachment }) : undefined,
        })}
        ${this.queued}
        ${this.editing ? nothing : this.renderActions(post, mine, thread)}
        ${this.replying
          ? html`<cn-post-composer
              inline
              .threadId=${thread.id}
              .parentId=${post.id}
              .label=${msg(str`Your reply to ${post.author.displayName}`)}
              .draftKey=${`concilia.draft.reply.${thread.id}.${post.id}`}
            ></cn-post-composer>`
          : nothing}
      </article>
    `;
  }

  private renderBody(post: Post) {
    if (post.state === 'withdrawn') return html`<p class="state-note">${msg('Withdrawn by the author.')}</p>`;
    const hiddenNote =
      post.state === 'hidden'
        ? html`<p class="hidden-note">${post.hiddenReason ? msg(str`Hidden by a moderator: ${post.hiddenReason}`) : msg('Hidden by a moderator.')}</p>`
        : nothing;
    return html`
      ${hiddenNote}
      ${post.html !== null ? html`<div class="post-body" data-post=${post.id}>${sanitizedPostHtml(post.html, this.services.countries)}</div>` : nothing}
    `;
  }

  private renderActions(post: Post, mine: boolean, thread: ThreadDetail) {
    if (post.state === 'withdrawn' && !post.mayModerate) return nothing;
    const canReply = post.state === 'visible' && (!thread.locked || isModerator(this.user?.role));
    const canAttach = canReply && mine && post.mayEdit && this.room > 0;
    return html`
      <div class="actions">
        ${post.state === 'visible'
          ? html`
              <span class="agree">
                ${mine
                  ? nothing
                  : html`<cn-button size="small" variant=${post.agreedByMe ? 'primary' : 'secondary'}>
                      <button type="button" aria-pressed=${post.agreedByMe ? 'true' : 'false'} @click=${() => this.toggleAgree(post)}>
                        +1 ${msg('Agree')}<span class="visually-hidden"> (${post.author.displayName})</span>
                      </button>
                    </cn-button>`}
                ${post.agreeCount > 0
                  ? html`<button type="button" class="link-button" @click=${() => this.emit('cn-post-dialog', { kind: 'agreements', post })}>
                      ${plural(post.agreeCount, { one: msg(str`${formatNumber(post.agreeCount)} agrees`, { id: 'agree-count.one' }), other: msg(str`${formatNumber(post.agreeCount)} agree`, { id: 'agree-count.other' }) })}
                    </button>`
                  : nothing}
              </span>
            `
          : nothing}
        ${canReply
          ? html`<cn-button size="small" variant="quiet">
              <button type="button" id=${`reply-button-${post.id}`} aria-expanded=${this.replying ? 'true' : 'false'} @click=${() => this.emit('cn-post-reply', post)}>
                ${msg('Reply')}<span class="visually-hidden"> ${msg(str`to ${post.author.displayName}`)}</span>
              </button>
            </cn-button>`
          : nothing}
        ${canReply && this.quotable
          ? html`<cn-button size="small" variant="quiet">
              <button type="button" class="quote-button" @mousedown=${(event: Event) => event.preventDefault()} @click=${() => this.emit('cn-post-quote', post)}>${msg('Quote the selection')}</button>
            </cn-button>`
          : nothing}
        ${post.mayEdit && mine && post.state === 'visible'
          ? html`
              <cn-button size="small" variant="quiet" ?loading=${this.busy === 'edit'}><button type="button" @click=${() => this.startEdit(post)}>${msg('Edit')}</button></cn-button>
              <cn-button size="small" variant="quiet"><button type="button" @click=${() => this.emit('cn-post-dialog', { kind: 'withdraw', post })}>${msg('Withdraw')}</button></cn-button>
            `
          : nothing}
        ${canAttach
          ? html`<span class="file-action">
              <input id=${`attach-${post.id}`} class="visually-hidden" type="file" accept=${ACCEPTED_EXTENSIONS.join(',')} @change=${(event: Event) => this.attachChosen(event, post)} />
              <label for=${`attach-${post.id}`} class="file-button quiet">${paperClipIcon}${msg('Attach file')}</label>
            </span>`
          : nothing}
        ${post.mayModerate && !mine && post.state === 'visible'
          ? html`<cn-button size="small" variant="quiet"><button type="button" @click=${() => this.emit('cn-post-dialog', { kind: 'hide', post })}>${msg('Hide')}</button></cn-button>`
          : nothing}
        ${post.mayModerate && post.state === 'hidden'
          ? html`<cn-button size="small" variant="quiet" ?loading=${this.busy === 'unhide'}><button type="button" @click=${() => this.unhide(post)}>${msg('Show again')}</button></cn-button>`
          : nothing}
      </div>
    `;
  }

  private renderEditForm(post: Post) {
    return html`
      <form
        class="edit-form stack"
        novalidate
        @submit=${(event: Event) => this.saveEdit(event, post)}
        @cn-editor-submit=${(event: Event) => (event.currentTarget as HTMLFormElement).requestSubmit()}
        @cn-editor-typing=${(event: Event) => event.stopPropagation()}
      >
        <cn-markdown-editor .label=${msg('Edit your post')} .draftKey=${`concilia.draft.edit.${post.id}`} .error=${this.editError}></cn-markdown-editor>
        <div class="form-actions">
          <cn-button variant="primary" ?loading=${this.busy === 'save'}>
            <button type="submit" aria-disabled=${this.busy === 'save' ? 'true' : 'false'}>${msg('Save the changes')}</button>
          </cn-button>
          <cn-button variant="quiet"><button type="button" @click=${this.cancelEdit}>${msg('Cancel')}</button></cn-button>
        </div>
      </form>
    `;
  }

  private editor() {
    return this.querySelector<CnMarkdownEditor>('.edit-form cn-markdown-editor');
  }

  private focusArticle() {
    void this.updateComplete.then(() => this.article?.focus());
  }

  /** "Attach file" on one's own post: the page checks the files and queues them. */
  private attachChosen(event: Event, post: Post) {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    this.emit('cn-post-attach', { post, files });
  }

  private async toggleAgree(post: Post) {
    if (this.busy) return;
    this.busy = 'agree';
    try {
      const result = await debatesApi.agree(post.id, !post.agreedByMe);
      this.emit('cn-post-change', { ...post, ...result });
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = null;
    }
  }

  private async unhide(post: Post) {
    this.busy = 'unhide';
    try {
      this.emit('cn-post-change', await debatesApi.unhide(post.id));
      this.services.toast(msg('The post is visible again.'), 'success');
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = null;
    }
  }

  private async startEdit(post: Post) {
    this.busy = 'edit';
    try {
      const source = await debatesApi.source(post.id);
      this.editing = true;
      this.editError = '';
      await this.updateComplete;
      const editor = this.editor();
      editor?.setInitial(source);
      editor?.focus();
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = null;
    }
  }

  private async saveEdit(event: Event, post: Post) {
    event.preventDefault();
    const editor = this.editor();
    if (!editor || this.busy === 'save') return;
    if (!editor.value.trim()) {
      this.editError = msg('Write something before sending.');
      editor.focus();
      return;
    }
    this.busy = 'save';
    try {
      const updated = await debatesApi.edit(post.id, editor.value);
      editor.clear();
      this.editing = false;
      this.emit('cn-post-change', updated);
      this.focusArticle();
      this.services.toast(msg('Your post was updated.'), 'success');
    } catch (error) {
      this.editError = describeError(error);
      editor.focus();
    } finally {
      this.busy = null;
    }
  }

  private cancelEdit = () => {
    this.editor()?.clear();
    this.editing = false;
    this.focusArticle();
  };
}

declare global {
  interface HTMLElementEventMap {
    /** The post after an action taken on it (agreement, edit, shown again); also from cn-post-dialog. */
    'cn-post-change': CustomEvent<Post>;
    /** Open the reply form under the post. */
    'cn-post-reply': CustomEvent<Post>;
    /** Reply quoting the selected text. */
    'cn-post-quote': CustomEvent<Post>;
    /** Confirm or show something about the post in a dialog. */
    'cn-post-dialog': CustomEvent<PostDialog>;
    /** Files chosen with the post's "Attach file". */
    'cn-post-attach': CustomEvent<FilesChosen>;
    /** Go to the post with this id. */
    'cn-post-focus': CustomEvent<string>;
  }
}
