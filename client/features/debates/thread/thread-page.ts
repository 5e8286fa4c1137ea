import { html, nothing, type LitElement, type PropertyValues } from 'lit';
import { msg, str } from '@lit/localize';
import { ContextConsumer } from '@lit/context';
import { repeat } from 'lit/directives/repeat.js';
import { isApiError } from '../../../app/api.js';
import { AppElement } from '../../../app/base-element.js';
import { describeError } from '../../../app/errors.js';
import { liveContext } from '../../../app/contexts.js';
import type { LiveTopicMessage } from '../../../app/live-connection.js';
import { PRODUCT_NAME } from '../../../app/product.js';
import { LiveSubscriptionController } from '../../../controllers/live-subscription-controller.js';
import { Resource } from '../../../controllers/resource.js';
import { TypingController } from '../../../controllers/typing-controller.js';
import { uploadProgressStyles } from '../../../controllers/upload-controller.js';
import { chipStyles } from '../../../ui/styles/chip.styles.js';
import { controlStyles } from '../../../ui/styles/list.styles.js';
import { postBodyStyles } from '../../../ui/styles/post-body.styles.js';
import { baseStyles, pageStyles } from '../../../ui/styles/shared.styles.js';
import { debatesApi } from '../debates-api.js';
import type { Attachment, Category, Post, ThreadDetail } from '../models.js';
import { attachmentStyles, filesForNewPost } from '../post-attachments.js';
import { threadStyles } from '../thread.styles.js';
import { chosenView, type ThreadView } from './thread-view.js';
import { LivePostsController } from './live-posts.js';
import type { CnPostComposer, PostSent } from './post-composer.js';
import type { AttachmentRemoved, CnPostDialog, PostDialog } from './post-dialog.js';
import { PostFilesController } from './post-files.js';
import { MAX_INDENT, type FilesChosen } from './post-item.js';
import { QuoteSelectionController } from './quote-selection.js';
import { firstUnreadPost, isUnread, ReadTrackingController } from './read-tracking.js';
import { isModerator } from './thread-header.js';
// The proposal block (and its outcome, pinned at the top) is the proposals feature's element.
import '../../proposals/public.js';

const PAGE_SIZE = 50;

interface Loaded {
  thread: ThreadDetail;
  posts: Post[];
  nextCursor: string | null;
}

/**
 * One debate: its header (cn-thread-header), its posts as a tree or in order (cn-post-item),
 * posts arriving live placed without moving what the reader is reading (live-placement.ts),
 * the read position kept as posts are seen (read-tracking.ts), and the reply forms
 * (cn-post-composer), which keep drafts per thread. Files chosen with a reply, or later with a
 * post's "Attach file", are sent after the post exists, one at a time (upload-queue.ts), with
 * progress and any failure shown under the post. The parts render into this page's shadow root
 * (PagePart), so the page finds, scrolls to and focuses any post.
 */
export class CnThreadPage extends AppElement {
  static override styles = [baseStyles, pageStyles, postBodyStyles, controlStyles, chipStyles, attachmentStyles, uploadProgressStyles, threadStyles];

  static override properties = {
    threadId: {},
    hash: {},
    view: { state: true },
    categories: { state: true },
    replyTo: { state: true },
    loadingMore: { state: true },
    presence: { state: true },
    announcement: { state: true },
  };

  declare threadId: string;
  /** The location's fragment: #post-<id> opens the debate at that post. */
  declare hash: string;
  declare private view: ThreadView;
  declare private categories: Category[];
  /** The post whose inline reply form is open. */
  declare private replyTo: string | null;
  declare private loadingMore: boolean;
  declare private presence: Array<{ id: string; displayName: string }>;
  declare private announcement: string;

  /** Events that arrive while the debate loads, applied once it is there. */
  private early: LiveTopicMessage[] = [];
  /**
   * Where the reader had read up to when the page opened. The "New" marks and the "since your
   * last visit" divider follow it, not the read position sent as posts are seen, so they stay
   * put until the page is left instead of vanishing as soon as a post scrolls into view.
   */
  private readSince = 0;
  /**
   * The post the divider stands before: the first unread one as the page opened (or as "load
   * more" brought it). Fixed once found, so posts arriving live never move it under the reader.
   */
  private sinceLastVisitId: string | null = null;
  private readThreadId = '';

  private loaded = new Resource<Loaded, readonly [string]>(this, {
    args: () => [this.threadId] as const,
    load: ([threadId], signal) => this.load(threadId, signal),
    loaded: (value) => this.arrived(value),
  });

  private reads = new ReadTrackingController(this, {
    send: (seq) => debatesApi.markRead(this.readThreadId, seq),
    acknowledged: (read) => {
      if (this.thread) this.thread = { ...this.thread, lastReadSeq: read.lastReadSeq, unreadCount: read.unreadCount };
    },
    onSeen: (element) => this.live.seen(element.id.replace(/^post-/, '')),
  });

  private files = new PostFilesController(this, {
    shows: (postId) => this.posts.some((p) => p.id === postId),
    attached: (post, fileName) => {
      this.replacePost(post);
      this.announcement = msg(str`${fileName} is attached.`);
    },
    focusPost: (postId) => void this.updateComplete.then(() => this.postElement(postId)?.focus({ preventScroll: true })),
    toast: (message, variant) => this.services.toast(message, variant),
  });

  private live = new LivePostsController(this, {
    shown: () => this.loaded.value ?? null,
    show: (shown) => (this.loaded.value = shown),
    view: () => this.view,
    readerId: () => this.user?.id,
    postElement: (id) => this.postElement(id),
    postArticles: () => this.postArticles(),
    announce: (text) => (this.announcement = text),
  });

  private typing = new TypingController(this);
  private quotes = new QuoteSelectionController(this);

  // Subscribed by id before loading, so nothing published meanwhile is missed; presence says "reading now".
  private threadLive = new LiveSubscriptionController(this, {
    topics: () => (this.threadId ? [`thread:${this.threadId}`] : []),
    presence: true,
    onMessage: (message) => this.onLive(message),
  });

  // The group's topic carries changes to the debate itself (pin, lock, move, title).
  private groupLive = new LiveSubscriptionController(this, {
    topics: () => (this.user ? [`group:${this.user.groupId}`] : []),
    onMessage: (message) => this.onLive(message),
  });

  private liveConnection = new ContextConsumer(this, { context: liveContext, subscribe: true });

  constructor() {
    super();
    this.threadId = '';
    this.hash = '';
    this.view = chosenView.read();
    this.categories = [];
    this.replyTo = null;
    this.loadingMore = false;
    this.presence = [];
    this.announcement = '';
  }

  private get thread(): ThreadDetail | null {
    return this.loaded.value?.thread ?? null;
  }

  private set thread(thread: ThreadDetail) {
    if (this.loaded.value) this.loaded.value = { ...this.loaded.value, thread };
  }

  private get posts(): Post[] {
    return this.loaded.value?.posts ?? [];
  }

  private set posts(posts: Post[]) {
    if (this.loaded.value) this.loaded.value = { ...this.loaded.value, posts };
  }

  private get nextCursor(): string | null {
    return this.loaded.value?.nextCursor ?? null;
  }

  /** The parts render after the page: "updated" means they have too, so a post can be found and focused. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const result = await super.getUpdateComplete();
    const parts = this.renderRoot.querySelectorAll<LitElement>('cn-thread-header, cn-post-item, cn-post-composer, cn-post-dialog');
    await Promise.all([...parts].map((part) => part.updateComplete));
    return result;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // A link to another post of the debate already shown (a notification, "in reply to").
    if (changed.has('hash') && !changed.has('threadId') && this.thread) {
      const target = /^#post-(.+)$/.exec(this.hash)?.[1];
      if (target) void this.land(decodeURIComponent(target));
    }
  }

  // ---- loading ---------------------------------------------------------------------------

  private async load(threadId: string, signal: AbortSignal): Promise<Loaded> {
    // Leaving the debate shown: its read position goes now, its files stop with it.
    this.reads.tracker.flush();
    this.reads.tracker.stop();
    this.early = [];
    this.replyTo = null;
    this.live.reset();
    this.presence = [];
    this.typing.clear();
    this.files.stop();
    const [thread, categories] = await Promise.all([debatesApi.thread(threadId, signal), this.categories.length ? this.categories : debatesApi.categories(signal)]);
    this.categories = categories;
    const target = this.landingTarget(thread);
    let page = await debatesApi.posts(thread.id, { view: this.view, limit: PAGE_SIZE }, signal);
    let posts = page.items;
    // Load on until the post to land on is there (a few pages at most).
    for (let i = 0; target && page.nextCursor && !posts.some((p) => p.id === target) && i < 5; i++) {
      page = await debatesApi.posts(thread.id, { view: this.view, cursor: page.nextCursor, limit: PAGE_SIZE }, signal);
      posts = [...posts, ...page.items];
    }
    return { thread, posts, nextCursor: page.nextCursor };
  }

  /** The debate is there: the read marks as it opens, the title, what happened meanwhile, then the post to land on. */
  private arrived({ thread, posts }: Loaded) {
    this.readThreadId = thread.id;
    this.reads.tracker.start(thread.lastReadSeq);
    this.reads.paused = true;
    this.readSince = thread.lastReadSeq;
    this.sinceLastVisitId = null;
    this.markSinceLastVisit(posts);
    // The shell titles the route "Debate"; the debate's own title says more (tabs, history).
    document.title = [thread.title, this.user?.groupName, PRODUCT_NAME].filter(Boolean).join(' · ');
    const early = this.early;
    this.early = [];
    for (const message of early) this.onLive(message);
    // Files chosen with the opening message on the new-debate page are attached here, under it.
    for (const post of posts) this.files.add(post.id, filesForNewPost.take(post.id));
    const target = this.landingTarget(thread);
    // Once the posts (and their parts) are drawn.
    this.requestUpdate();
    void this.updateComplete.then(() => this.land(target));
  }

  /** A #post-… link (from a notification or search) wins over the first unread post. */
  private landingTarget(thread: ThreadDetail): string | null {
    const hash = /^#post-(.+)$/.exec(window.location.hash)?.[1];
    if (hash) return decodeURIComponent(hash);
    return thread.lastReadSeq > 0 ? thread.firstUnreadPostId : null;
  }

  private async land(target: string | null) {
    // Let the shell move focus to the heading first; then move on to the post.
    await new Promise((resolve) => window.setTimeout(resolve, 50));
    const element = target ? this.postElement(target) : null;
    if (element) {
      element.scrollIntoView({ block: 'start' });
      element.focus({ preventScroll: true });
    }
    this.reads.paused = false;
    this.reads.recount();
  }

  private postElement(id: string) {
    return this.renderRoot.querySelector<HTMLElement>(`#post-${CSS.escape(id)}`);
  }

  private postArticles() {
    return this.renderRoot.querySelectorAll<HTMLElement>('article.post');
  }

  private async loadMore() {
    const thread = this.thread;
    if (!thread || !this.nextCursor || this.loadingMore) return;
    this.loadingMore = true;
    const firstNew = this.posts.length;
    try {
      const page = await debatesApi.posts(thread.id, { view: this.view, cursor: this.nextCursor, limit: PAGE_SIZE });
      const known = new Set(this.posts.map((p) => p.id));
      const added = page.items.filter((p) => !known.has(p.id));
      if (this.loaded.value) this.loaded.value = { ...this.loaded.value, posts: [...this.posts, ...added], nextCursor: page.nextCursor };
      this.markSinceLastVisit(added);
      await this.updateComplete;
      this.postArticles()[firstNew]?.focus();
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.loadingMore = false;
    }
  }

  private async setView(view: ThreadView) {
    if (view === this.view) return;
    this.view = view;
    chosenView.write(view);
    const thread = this.thread;
    if (!thread) return;
    try {
      const page = await debatesApi.posts(thread.id, { view, limit: PAGE_SIZE });
      if (this.loaded.value) this.loaded.value = { ...this.loaded.value, posts: page.items, nextCursor: page.nextCursor };
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    }
  }

  /** Places the divider before the first unread post among these, if it has no place yet; only for someone who read the debate before. */
  private markSinceLastVisit(posts: Post[]) {
    this.sinceLastVisitId ??= firstUnreadPost(posts, this.readSince, this.user?.id);
  }

  // ---- live ----------------------------------------------------------------------------------

  private onTyping = () => {
    if (this.thread) this.liveConnection.value?.sendTyping(`thread:${this.thread.id}`);
  };

  private onLive(message: LiveTopicMessage) {
    const thread = this.thread;
    if (!thread) {
      if (this.loaded.loading && message.type === 'event') this.early.push(message);
      return;
    }
    const topic = `thread:${thread.id}`;
    const me = this.user?.id;
    if (message.type === 'resync' && message.topic === topic) {
      void this.live.reload();
    } else if (message.type === 'presence' && message.topic === topic) {
      this.presence = message.users.filter((u) => u.id !== me);
    } else if (message.type === 'typing' && message.topic === topic) {
      if (message.user.id !== me) this.typing.typed(message.user.id, message.user.displayName);
    } else if (message.type === 'event') {
      if (message.event === 'post.created') this.typing.done((message.payload as { post: Post }).post.author.id);
      this.live.event(message.event, message.payload, isModerator(this.user?.role));
    }
  }

  /** A post as the reader's own action left it (or a file attached to it): replaced as it is. */
  private replacePost(post: Post) {
    this.posts = this.posts.map((p) => (p.id === post.id ? post : p));
  }

  private focusPost(id: string) {
    const element = this.postElement(id);
    if (!element) return;
    element.scrollIntoView({ block: 'start' });
    element.focus({ preventScroll: true });
  }

  // ---- quoting and replying ------------------------------------------------------------------

  private inlineComposer(postId: string) {
    return this.renderRoot.querySelector<HTMLElement & { insertBlock(text: string): void }>(`#post-${CSS.escape(postId)} cn-post-composer`);
  }

  private async openReply(post: Post) {
    this.replyTo = post.id;
    await this.updateComplete;
    this.inlineComposer(post.id)?.focus();
  }

  private closeReply(postId: string) {
    this.replyTo = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#reply-button-${CSS.escape(postId)}`)?.focus());
  }

  private async quotePost(post: Post) {
    const block = this.quotes.take(post.id, msg(str`${post.author.displayName} wrote:`));
    if (!block) return;
    await this.openReply(post);
    this.inlineComposer(post.id)?.insertBlock(block);
  }

  /** A reply published (inline or at the end): placed, its files sent, the reader taken to it. */
  private async sent(event: CustomEvent<PostSent>) {
    const { post, files } = event.detail;
    if ((event.target as CnPostComposer).inline) this.replyTo = null;
    this.reads.tracker.see(post.seq);
    await this.live.insert(post, false);
    this.files.add(post.id, files);
    this.reads.tracker.flush();
    await this.updateComplete;
    const element = this.postElement(post.id);
    element?.scrollIntoView({ block: 'nearest' });
    element?.focus({ preventScroll: true });
    this.services.toast(msg('Your reply is published.'), 'success');
  }

  // ---- attachments ---------------------------------------------------------------------------

  /** A file removed (or found gone): dropped from its post, and focus moves to the next file's ×, else the post. */
  private async attachmentRemoved({ postId, attachment, index }: AttachmentRemoved) {
    this.posts = this.posts.map((p) => (p.id === postId ? { ...p, attachments: p.attachments.filter((a: Attachment) => a.id !== attachment.id) } : p));
    await this.updateComplete;
    const article = this.postElement(postId);
    const buttons = article?.querySelectorAll<HTMLElement>('.attachments .remove-file') ?? [];
    (buttons[Math.min(Math.max(index, 0), buttons.length - 1)] ?? article)?.focus();
  }

  // ---- rendering -----------------------------------------------------------------------------

  protected override render() {
    const thread = this.thread;
    if (this.loaded.failed || !thread) {
      const back = html`<p class="small"><a href="/">${msg('← Back to the debates')}</a></p>`;
      if (!this.loaded.failed) {
        return html`${back}<h1 tabindex="-1" class="visually-hidden">${msg('Debate')}</h1>${this.loaded.renderLoading(msg('Loading the debate…'))}`;
      }
      const missing = isApiError(this.loaded.error) && this.loaded.error.status === 404;
      return html`
        ${back}
        <div class="page-header"><h1 tabindex="-1">${missing ? msg('Debate not found') : msg('The debate could not be loaded')}</h1></div>
        ${this.loaded.renderFailure(missing ? { message: msg('This debate does not exist, or you cannot see it.'), retry: false } : undefined)}
      `;
    }
    const category = this.categories.find((c) => c.id === thread.categoryId);
    return html`
      <p class="small"><a href=${category ? `/debates/c/${encodeURIComponent(category.slug)}` : '/'}>${msg('← Back to the debates')}</a></p>
      <cn-thread-header
        .thread=${thread}
        .categories=${this.categories}
        .view=${this.view}
        .presence=${this.presence}
        @cn-thread-change=${(event: CustomEvent<Partial<ThreadDetail>>) => (this.thread = { ...this.thread!, ...event.detail })}
        @cn-view-change=${(event: CustomEvent<ThreadView>) => this.setView(event.detail)}
      ></cn-thread-header>
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
      <cn-thread-proposals thread-id=${thread.id}></cn-thread-proposals>
      <section
        aria-labelledby="posts-heading"
        @cn-editor-typing=${this.onTyping}
        @cn-post-change=${(event: CustomEvent<Post>) => this.replacePost(event.detail)}
        @cn-post-reply=${(event: CustomEvent<Post>) => this.openReply(event.detail)}
        @cn-reply-cancel=${() => this.replyTo && this.closeReply(this.replyTo)}
        @cn-post-quote=${(event: CustomEvent<Post>) => this.quotePost(event.detail)}
        @cn-post-dialog=${(event: CustomEvent<PostDialog>) => this.renderRoot.querySelector<CnPostDialog>('cn-post-dialog')?.open(event.detail)}
        @cn-post-attach=${(event: CustomEvent<FilesChosen>) => this.files.choose(event.detail.post, event.detail.files)}
        @cn-post-focus=${(event: CustomEvent<string>) => this.focusPost(event.detail)}
        @cn-post-sent=${this.sent}
      >
        <h2 id="posts-heading" class="visually-hidden">${msg('Posts')}</h2>
        <ol class="plain posts">
          ${repeat(this.posts, (post) => post.id, (post) => html`<li>${this.renderPost(post, thread)}</li>`)}
        </ol>
        ${this.nextCursor
          ? html`<div class="more">
              <cn-button ?loading=${this.loadingMore}>
                <button type="button" aria-disabled=${this.loadingMore ? 'true' : 'false'} @click=${this.loadMore}>${msg('Load more posts')}</button>
              </cn-button>
            </div>`
          : nothing}
        <p class="presence" aria-live="polite">${this.typingText()}</p>
      </section>
      ${this.renderFinalReply(thread)}
      ${this.live.renderPill()}
      <cn-post-dialog
        @cn-post-change=${(event: CustomEvent<Post>) => this.replacePost(event.detail)}
        @cn-attachment-removed=${(event: CustomEvent<AttachmentRemoved>) => this.attachmentRemoved(event.detail)}
      ></cn-post-dialog>
    `;
  }

  private renderPost(post: Post, thread: ThreadDetail) {
    const me = this.user?.id;
    return html`<cn-post-item
      .post=${post}
      .thread=${thread}
      .view=${this.view}
      .marks=${{
        unread: isUnread(post, this.readSince, me),
        sinceLastVisit: post.id === this.sinceLastVisitId,
        fresh: this.live.isFresh(post.id),
        showInReply: Boolean(post.inReplyTo) && (this.view === 'chronological' ? !this.posts.some((p) => p.id === post.parentId && p.seq === 1) : post.depth > MAX_INDENT),
      }}
      ?replying=${this.replyTo === post.id}
      ?quotable=${this.quotes.quote?.postId === post.id}
      .room=${this.files.room(post)}
      .queued=${this.files.render(post.id)}
      .reads=${this.reads}
    ></cn-post-item>`;
  }

  private typingText() {
    const names = this.typing.names;
    if (names.length === 0) return '';
    return names.length === 1 ? msg(str`${names[0]} is typing…`) : msg(str`${names.join(', ')} are typing…`);
  }

  private renderFinalReply(thread: ThreadDetail) {
    if (thread.locked && !isModerator(this.user?.role)) {
      return html`<p class="alert alert-info final-reply">${msg('This debate is locked: only moderators can post in it.')}</p>`;
    }
    const opening = this.posts.find((p) => p.seq === 1);
    return html`
      <section class="card final-reply stack" aria-labelledby="final-reply-heading" @cn-editor-typing=${this.onTyping} @cn-post-sent=${this.sent}>
        <h2 id="final-reply-heading">${msg('Reply to the debate')}</h2>
        <cn-post-composer .threadId=${thread.id} .parentId=${opening?.id ?? null} .label=${msg('Your reply')} .draftKey=${`concilia.draft.reply.${thread.id}.thread`}></cn-post-composer>
      </section>
    `;
  }
}
