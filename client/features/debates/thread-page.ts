import { html, nothing, type PropertyValues } from 'lit';
import { formatNumber } from '../../app/format.js';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { isAbort, isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatDateTime } from '../../app/format.js';
import { PRODUCT_NAME } from '../../app/product.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { controlStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { ACCEPTED_EXTENSIONS } from '../documents/documents-format.js';
import { UploadController, uploadProgressStyles } from '../documents/upload-controller.js';
import type { CnAttachmentPicker } from './attachment-picker.js';
import { debatesApi } from './debates-api.js';
import { authorDetails, categoryName, countryNames, formatWhen, watchLabel } from './debates-format.js';
import { ContextConsumer } from '@lit/context';
import { liveContext } from '../../app/contexts.js';
import { LiveSubscriptionController, type LiveMessage } from './live.js';
import type { CnMarkdownEditor } from './markdown-editor.js';
import { WATCH_LEVELS, type Attachment, type Author, type Category, type Post, type Revision, type ThreadDetail, type WatchLevel } from './models.js';
import {
  attachmentList,
  attachmentStyles,
  describeAttachmentError,
  filesForNewPost,
  MAX_ATTACHMENTS_PER_POST,
  paperClipIcon,
  refusedFilesMessage,
  splitChosenFiles,
} from './post-attachments.js';
import { chipStyles } from './chip.styles.js';
import { postBodyStyles } from './post-styles.js';
import { threadStyles } from './thread.styles.js';
import { sanitizedPostHtml } from './trusted-html.js';

type View = 'tree' | 'chronological';

const VIEW_KEY = 'concilia.thread-view';
/** Deeper answers are drawn at this indentation, with an "in reply to" link instead. */
const MAX_INDENT = 4;
const PAGE_SIZE = 50;
const TYPING_SHOWN_MS = 6_000;
const READ_DEBOUNCE_MS = 800;

const isModerator = (role: string | undefined) => role === 'admin' || role === 'coordinator';

function storedView(): View {
  try {
    return window.localStorage.getItem(VIEW_KEY) === 'chronological' ? 'chronological' : 'tree';
  } catch {
    return 'tree';
  }
}

type Dialog =
  | { kind: 'withdraw'; post: Post }
  | { kind: 'hide'; post: Post; error: string }
  | { kind: 'revisions'; post: Post; items: Revision[] | null; error: string }
  | { kind: 'agreements'; post: Post; items: Author[] | null; error: string }
  | { kind: 'remove-attachment'; post: Post; attachment: Attachment }
  | null;

/** A file on its way to a post, sent one at a time after the post exists; a failed one waits to be retried. */
interface QueuedFile {
  key: number;
  postId: string;
  file: File;
  status: 'waiting' | 'sending' | 'failed';
  error: string;
}

/**
 * One debate: header with moderation and watching, the posts as a tree or in order, live
 * posts inserted without moving what the reader is reading, read position kept as posts are
 * seen, and composers (reply to a post, to the debate, edit) that keep drafts per thread.
 * Files chosen with a reply (or later with a post's "Attach file") are sent after the post
 * exists, one at a time, with progress and any failure shown under the post.
 */
export class CnThreadPage extends AppElement {
  static override styles = [baseStyles, pageStyles, postBodyStyles, controlStyles, chipStyles, attachmentStyles, uploadProgressStyles, threadStyles];

  static override properties = {
    threadId: {},
    hash: {},
    thread: { state: true },
    posts: { state: true },
    nextCursor: { state: true },
    phase: { state: true },
    loadError: { state: true },
    view: { state: true },
    categories: { state: true },
    replyTo: { state: true },
    editing: { state: true },
    replyError: { state: true },
    editError: { state: true },
    sending: { state: true },
    loadingMore: { state: true },
    newBelow: { state: true },
    presence: { state: true },
    typing: { state: true },
    quote: { state: true },
    dialog: { state: true },
    busy: { state: true },
    announcement: { state: true },
    uploads: { state: true },
  };

  declare threadId: string;
  /** The location's fragment: #post-<id> opens the debate at that post. */
  declare hash: string;
  declare private thread: ThreadDetail | null;
  declare private posts: Post[];
  declare private nextCursor: string | null;
  declare private phase: 'loading' | 'ready' | 'failed';
  declare private loadError: unknown;
  declare private view: View;
  declare private categories: Category[];
  /** The post whose inline composer is open. */
  declare private replyTo: string | null;
  declare private editing: { postId: string; source: string } | null;
  /** Errors of the composers, by form: 'inline', 'final', or 'edit'. */
  declare private replyError: { form: string; message: string } | null;
  declare private editError: string;
  declare private sending: string | null;
  declare private loadingMore: boolean;
  declare private newBelow: string[];
  declare private presence: Array<{ id: string; displayName: string }>;
  declare private typing: Map<string, { name: string; until: number }>;
  declare private quote: { postId: string; text: string } | null;
  declare private dialog: Dialog;
  declare private busy: string | null;
  declare private announcement: string;
  /** Files being attached to posts (chosen with a reply, or with "Attach file"), in order. */
  declare private uploads: QueuedFile[];

  private loadToken = 0;
  private upload = new UploadController(this);
  private uploadKey = 0;
  private sendingFiles = false;
  /** Runs once the open dialog has closed and given focus back (to move it elsewhere). */
  private afterDialogClose: (() => void) | null = null;
  private freshIds = new Set<string>();
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
  private unreadAbove = 0;
  private maxSeenSeq = 0;
  private sentReadSeq = 0;
  private readTimer: number | undefined;
  private typingTimer: number | undefined;
  private observer: IntersectionObserver | null = null;
  private observed = new WeakSet<Element>();
  private pendingLanding = false;

  /** Events that arrive while the debate loads, applied once it is there. */
  private early: LiveMessage[] = [];

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
    this.thread = null;
    this.posts = [];
    this.nextCursor = null;
    this.phase = 'loading';
    this.loadError = null;
    this.view = storedView();
    this.categories = [];
    this.replyTo = null;
    this.editing = null;
    this.replyError = null;
    this.editError = '';
    this.sending = null;
    this.loadingMore = false;
    this.newBelow = [];
    this.presence = [];
    this.typing = new Map();
    this.quote = null;
    this.dialog = null;
    this.busy = null;
    this.announcement = '';
    this.uploads = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('selectionchange', this.onSelectionChange);
    window.addEventListener('scroll', this.onScroll, { passive: true });
    this.observer = new IntersectionObserver((entries) => this.onSeen(entries), { threshold: 0.4 });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('selectionchange', this.onSelectionChange);
    window.removeEventListener('scroll', this.onScroll);
    this.observer?.disconnect();
    this.observer = null;
    window.clearTimeout(this.typingTimer);
    this.flushRead();
    // The upload controller cancels the file being sent; the others are not sent either.
    this.uploads = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('threadId') && this.threadId) void this.load();
    // A link to another post of the debate already shown (a notification, "in reply to").
    else if (changed.has('hash') && this.phase === 'ready') {
      const target = /^#post-(.+)$/.exec(this.hash)?.[1];
      if (target) void this.land(decodeURIComponent(target));
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    for (const element of this.renderRoot.querySelectorAll('article.post')) {
      if (!this.observed.has(element)) {
        this.observed.add(element);
        this.observer?.observe(element);
      }
    }
  }

  // ---- loading ---------------------------------------------------------------------------

  private async load() {
    const token = ++this.loadToken;
    this.phase = 'loading';
    this.early = [];
    this.thread = null;
    this.posts = [];
    this.replyTo = null;
    this.editing = null;
    this.newBelow = [];
    this.presence = [];
    this.typing = new Map();
    // Files on their way to another debate's posts: the upload stops with the page it showed on.
    this.upload.cancel();
    this.uploads = [];
    try {
      const [thread, categories] = await Promise.all([debatesApi.thread(this.threadId), this.categories.length ? this.categories : debatesApi.categories()]);
      if (token !== this.loadToken) return;
      this.categories = categories;
      this.sentReadSeq = thread.lastReadSeq;
      this.maxSeenSeq = thread.lastReadSeq;
      this.readSince = thread.lastReadSeq;
      this.sinceLastVisitId = null;
      const target = this.landingTarget(thread);
      let page = await debatesApi.posts(thread.id, { view: this.view, limit: PAGE_SIZE });
      let posts = page.items;
      // Load on until the post to land on is there (a few pages at most).
      for (let i = 0; target && page.nextCursor && !posts.some((p) => p.id === target) && i < 5; i++) {
        page = await debatesApi.posts(thread.id, { view: this.view, cursor: page.nextCursor, limit: PAGE_SIZE });
        posts = [...posts, ...page.items];
      }
      if (token !== this.loadToken) return;
      this.thread = thread;
      this.posts = posts;
      this.markSinceLastVisit(posts);
      this.nextCursor = page.nextCursor;
      this.phase = 'ready';
      this.pendingLanding = true;
      // The shell titles the route "Debate"; the debate's own title says more (tabs, history).
      document.title = [thread.title, this.user?.groupName, PRODUCT_NAME].filter(Boolean).join(' · ');
      const early = this.early;
      this.early = [];
      for (const message of early) this.onLive(message);
      // Files chosen with the opening message on the new-debate page are attached here, under it.
      for (const post of posts) this.queueFiles(post.id, filesForNewPost.take(post.id));
      await this.updateComplete;
      await this.land(target);
    } catch (error) {
      if (token !== this.loadToken) return;
      this.loadError = error;
      this.phase = 'failed';
    }
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
    this.pendingLanding = false;
    // Count what is on screen now as seen: observing again reports the current intersections.
    for (const article of this.renderRoot.querySelectorAll('article.post')) {
      this.observer?.unobserve(article);
      this.observer?.observe(article);
    }
  }

  private postElement(id: string) {
    return this.renderRoot.querySelector<HTMLElement>(`#post-${CSS.escape(id)}`);
  }

  private async loadMore() {
    if (!this.thread || !this.nextCursor || this.loadingMore) return;
    this.loadingMore = true;
    const firstNew = this.posts.length;
    try {
      const page = await debatesApi.posts(this.thread.id, { view: this.view, cursor: this.nextCursor, limit: PAGE_SIZE });
      const known = new Set(this.posts.map((p) => p.id));
      const added = page.items.filter((p) => !known.has(p.id));
      this.posts = [...this.posts, ...added];
      this.markSinceLastVisit(added);
      this.nextCursor = page.nextCursor;
      await this.updateComplete;
      this.renderRoot.querySelectorAll<HTMLElement>('article.post')[firstNew]?.focus();
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.loadingMore = false;
    }
  }

  private async setView(view: View) {
    if (view === this.view) return;
    this.view = view;
    try {
      window.localStorage.setItem(VIEW_KEY, view);
    } catch {
      // The choice only lasts for this page.
    }
    if (!this.thread) return;
    try {
      const page = await debatesApi.posts(this.thread.id, { view, limit: PAGE_SIZE });
      this.posts = page.items;
      this.nextCursor = page.nextCursor;
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    }
  }

  // ---- read position -----------------------------------------------------------------------

  private onSeen(entries: IntersectionObserverEntry[]) {
    if (this.pendingLanding || document.visibilityState !== 'visible') return;
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const seq = Number((entry.target as HTMLElement).dataset.seq);
      if (seq > this.maxSeenSeq) this.maxSeenSeq = seq;
      const id = entry.target.id.replace(/^post-/, '');
      if (this.newBelow.includes(id)) this.newBelow = this.newBelow.filter((n) => n !== id);
    }
    if (this.maxSeenSeq > this.sentReadSeq) {
      window.clearTimeout(this.readTimer);
      this.readTimer = window.setTimeout(() => this.flushRead(), READ_DEBOUNCE_MS);
    }
  }

  private flushRead() {
    window.clearTimeout(this.readTimer);
    const thread = this.thread;
    if (!thread || this.maxSeenSeq <= this.sentReadSeq) return;
    const seq = this.maxSeenSeq;
    this.sentReadSeq = seq;
    debatesApi.markRead(thread.id, seq).then(
      (read) => {
        if (this.thread?.id === thread.id) this.thread = { ...this.thread, lastReadSeq: read.lastReadSeq, unreadCount: read.unreadCount };
      },
      () => {
        this.sentReadSeq = Math.min(this.sentReadSeq, thread.lastReadSeq); // try again with the next post seen
      },
    );
  }

  // ---- live ----------------------------------------------------------------------------------

  private onTyping() {
    if (this.thread) this.liveConnection.value?.sendTyping(`thread:${this.thread.id}`);
  }

  private onLive(message: LiveMessage) {
    const thread = this.thread;
    if (!thread) {
      if (this.phase === 'loading' && message.type === 'event') this.early.push(message);
      return;
    }
    if (message.type === 'resync' && message.topic === `thread:${thread.id}`) {
      void this.reloadKeepingPlace();
      return;
    }
    const me = this.user?.id;
    if (message.type === 'presence' && message.topic === `thread:${thread.id}`) {
      this.presence = message.users.filter((u) => u.id !== me);
      return;
    }
    if (message.type === 'typing' && message.topic === `thread:${thread.id}`) {
      if (message.user.id === me) return;
      const typing = new Map(this.typing);
      typing.set(message.user.id, { name: message.user.displayName, until: Date.now() + TYPING_SHOWN_MS });
      this.typing = typing;
      window.clearTimeout(this.typingTimer);
      this.typingTimer = window.setTimeout(() => this.expireTyping(), TYPING_SHOWN_MS + 100);
      return;
    }
    if (message.type !== 'event') return;
    switch (message.event) {
      case 'thread.updated': {
        const updated = (message.payload as { thread: ThreadDetail }).thread;
        if (updated.id === thread.id) this.thread = { ...thread, ...updated, unreadCount: thread.unreadCount, watchLevel: thread.watchLevel, lastReadSeq: thread.lastReadSeq, firstUnreadPostId: thread.firstUnreadPostId };
        break;
      }
      case 'post.created': {
        const post = (message.payload as { post: Post }).post;
        if (post.threadId !== thread.id) return;
        const typing = new Map(this.typing);
        typing.delete(post.author.id);
        this.typing = typing;
        void this.insertPost({ ...post, mayModerate: isModerator(this.user?.role), mayEdit: post.author.id === me }, post.author.id !== me);
        break;
      }
      case 'post.updated': {
        const post = (message.payload as { post: Post }).post;
        this.replacePost(post, true);
        break;
      }
      case 'thread.activity': {
        // The group's topic says which countries take part after each post, as the debates list shows them.
        const activity = message.payload as { threadId: string; participatingCountries: string[] };
        if (activity.threadId === thread.id) this.thread = { ...thread, participatingCountries: activity.participatingCountries };
        break;
      }
      case 'agreement.changed': {
        const { postId, agreeCount } = message.payload as { postId: string; agreeCount: number };
        this.posts = this.posts.map((p) => (p.id === postId ? { ...p, agreeCount } : p));
        break;
      }
    }
  }

  /** After missed events: the debate and the loaded posts again, scroll position kept by the anchor. */
  private async reloadKeepingPlace() {
    const thread = this.thread;
    if (!thread) return;
    try {
      const limit = Math.min(100, Math.max(PAGE_SIZE, this.posts.length));
      const [fresh, page] = await Promise.all([debatesApi.thread(thread.id), debatesApi.posts(thread.id, { view: this.view, limit })]);
      if (this.thread?.id !== thread.id) return;
      const anchor = this.visibleAnchor();
      const before = anchor?.getBoundingClientRect().top ?? 0;
      this.thread = { ...fresh, lastReadSeq: Math.max(fresh.lastReadSeq, this.thread.lastReadSeq) };
      this.posts = page.items;
      this.nextCursor = page.nextCursor;
      await this.updateComplete;
      if (anchor?.isConnected) window.scrollBy({ top: anchor.getBoundingClientRect().top - before, behavior: 'instant' as ScrollBehavior });
    } catch {
      // The next event or a reload brings it up to date.
    }
  }

  private expireTyping() {
    const now = Date.now();
    this.typing = new Map([...this.typing].filter(([, entry]) => entry.until > now));
    if (this.typing.size > 0) this.typingTimer = window.setTimeout(() => this.expireTyping(), 1000);
  }

  /** Where a new post goes: after its parent's last descendant (tree), or at the end. */
  private insertionIndex(post: Post): number | null {
    if (this.view === 'chronological' || !post.parentId) return this.nextCursor ? null : this.posts.length;
    const parentIndex = this.posts.findIndex((p) => p.id === post.parentId);
    if (parentIndex < 0) return this.nextCursor ? null : this.posts.length;
    const parent = this.posts[parentIndex]!;
    let index = parentIndex + 1;
    while (index < this.posts.length && this.posts[index]!.depth > parent.depth) index += 1;
    if (index === this.posts.length && this.nextCursor) return null; // its place is in a page not loaded yet
    return index;
  }

  /**
   * Inserts a post without moving what the reader looks at: the first post visible at the
   * top keeps its position on screen, whatever is added above it.
   */
  private async insertPost(post: Post, fromSomeoneElse: boolean) {
    if (this.posts.some((p) => p.id === post.id)) {
      this.replacePost(post, true);
      return;
    }
    const index = this.insertionIndex(post);
    if (index === null) return;
    const anchor = this.visibleAnchor();
    const before = anchor?.getBoundingClientRect().top ?? 0;
    const posts = [...this.posts];
    posts.splice(index, 0, post);
    if (fromSomeoneElse) this.freshIds.add(post.id);
    this.posts = posts;
    if (this.thread) this.thread = { ...this.thread, replyCount: this.thread.replyCount + 1, postCount: this.thread.postCount + 1 };
    await this.updateComplete;
    if (anchor?.isConnected) {
      const delta = anchor.getBoundingClientRect().top - before;
      if (Math.abs(delta) > 1) window.scrollBy({ top: delta, behavior: 'instant' as ScrollBehavior });
    }
    if (!fromSomeoneElse) return;
    const element = this.postElement(post.id);
    const rect = element?.getBoundingClientRect();
    if (rect && rect.top >= window.innerHeight) {
      this.newBelow = [...this.newBelow, post.id];
    } else if (rect && rect.bottom <= 0) {
      this.unreadAbove += 1;
    }
    this.announcement = msg(str`New post by ${post.author.displayName}.`);
  }

  private visibleAnchor(): HTMLElement | null {
    for (const element of this.renderRoot.querySelectorAll<HTMLElement>('article.post')) {
      if (element.getBoundingClientRect().bottom > 0) return element;
    }
    return null;
  }

  /** An edited, withdrawn or hidden post: replaced in place; our own flags are kept. */
  private replacePost(post: Post, fromEvent: boolean) {
    this.posts = this.posts.map((p) => {
      if (p.id !== post.id) return p;
      if (!fromEvent) return post;
      const keepHtml = post.html === null && p.html !== null && post.state === 'hidden' && p.state === 'hidden' && (p.mayModerate || p.author.id === this.user?.id);
      return {
        ...post,
        agreedByMe: p.agreedByMe,
        mayEdit: p.mayEdit && post.state === 'visible',
        mayModerate: p.mayModerate,
        html: keepHtml ? p.html : post.html,
        hiddenReason: post.hiddenReason ?? (keepHtml ? p.hiddenReason : null),
        attachments: keepHtml ? p.attachments : post.attachments,
      };
    });
  }

  private onScroll = () => {
    if (this.newBelow.length === 0) return;
    const still = this.newBelow.filter((id) => {
      const rect = this.postElement(id)?.getBoundingClientRect();
      return rect ? rect.top >= window.innerHeight : false;
    });
    if (still.length !== this.newBelow.length) this.newBelow = still;
  };

  private async showNewPosts() {
    const first = this.newBelow
      .map((id) => this.postElement(id))
      .filter((e): e is HTMLElement => Boolean(e))
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];
    this.newBelow = [];
    first?.scrollIntoView({ block: 'start' });
    first?.focus({ preventScroll: true });
  }

  // ---- quoting -------------------------------------------------------------------------------

  private onSelectionChange = () => {
    const root = this.shadowRoot as (ShadowRoot & { getSelection?: () => Selection | null }) | null;
    if (!root) return;
    // Chromium answers through the shadow root; other engines through composed ranges.
    const selection = root.getSelection?.() ?? document.getSelection();
    const text = selection?.toString().trim() ?? '';
    let node: Node | null = selection?.anchorNode ?? null;
    if (!root.getSelection && selection && 'getComposedRanges' in selection) {
      try {
        const ranges = (selection as Selection & { getComposedRanges(options: { shadowRoots: ShadowRoot[] }): StaticRange[] }).getComposedRanges({ shadowRoots: [root] });
        node = ranges[0]?.startContainer ?? node;
      } catch {
        // An engine with the older signature: quoting is then not offered.
      }
    }
    const element = node instanceof Element ? node : node?.parentElement;
    const body = element?.closest?.('.post-body[data-post]');
    if (text && body && root.contains(body)) {
      this.quote = { postId: (body as HTMLElement).dataset.post!, text: text.slice(0, 2000) };
    } else if (!text && this.quote) {
      const active = root.activeElement;
      if (!active?.classList.contains('quote-button')) this.quote = null;
    }
  };

  private async quotePost(post: Post) {
    const quote = this.quote;
    if (!quote || quote.postId !== post.id) return;
    this.quote = null;
    const lines = quote.text.split(/\r?\n/).map((line) => `> ${line}`.trimEnd());
    const block = `${msg(str`${post.author.displayName} wrote:`)}\n${lines.join('\n')}`;
    await this.openReply(post);
    this.inlineEditor()?.insertBlock(block);
  }

  // ---- composing -----------------------------------------------------------------------------

  private draftKey(parent: string) {
    return `concilia.draft.reply.${this.threadId}.${parent}`;
  }

  private inlineEditor() {
    return this.renderRoot.querySelector<CnMarkdownEditor>('.inline-reply cn-markdown-editor');
  }

  private async openReply(post: Post) {
    this.replyTo = post.id;
    if (this.replyError?.form === 'inline') this.replyError = null;
    await this.updateComplete;
    this.inlineEditor()?.focus();
  }

  private closeReply(post: Post) {
    this.replyTo = null;
    this.replyError = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#reply-button-${CSS.escape(post.id)}`)?.focus());
  }

  private async sendReply(event: Event, form: 'inline' | 'final') {
    event.preventDefault();
    const thread = this.thread;
    if (!thread || this.sending) return;
    const editor = (event.currentTarget as HTMLElement).querySelector<CnMarkdownEditor>('cn-markdown-editor');
    const picker = (event.currentTarget as HTMLElement).querySelector<CnAttachmentPicker>('cn-attachment-picker');
    if (!editor) return;
    const body = editor.value;
    if (!body.trim()) {
      this.replyError = { form, message: msg('Write something before sending.') };
      editor.focus();
      return;
    }
    const opening = this.posts.find((p) => p.seq === 1);
    const parentId = form === 'inline' ? this.replyTo : (opening?.id ?? null);
    this.sending = form;
    this.replyError = null;
    try {
      // The post first, then its files one by one: a file that fails leaves the post in place, to be attached again from it.
      const files = picker?.files ?? [];
      const post = await debatesApi.reply(thread.id, body, parentId);
      editor.clear();
      picker?.clear();
      if (form === 'inline') this.replyTo = null;
      if (post.seq > this.maxSeenSeq) this.maxSeenSeq = post.seq;
      await this.insertPost(post, false);
      this.queueFiles(post.id, files);
      this.flushRead();
      await this.updateComplete;
      const element = this.postElement(post.id);
      element?.scrollIntoView({ block: 'nearest' });
      element?.focus({ preventScroll: true });
      this.services.toast(msg('Your reply is published.'), 'success');
    } catch (error) {
      const message =
        isApiError(error) && error.code === 'thread_locked'
          ? msg('This debate is locked: only moderators can post in it.')
          : isApiError(error) && error.fields.body
            ? msg('The message is too long or not valid.')
            : describeError(error);
      this.replyError = { form, message };
      editor.focus();
    } finally {
      this.sending = null;
    }
  }

  // ---- attachments -------------------------------------------------------------------------

  private queueFiles(postId: string, files: File[]) {
    if (files.length === 0) return;
    const queued = files.map((file): QueuedFile => ({ key: ++this.uploadKey, postId, file, status: 'waiting', error: '' }));
    this.uploads = [...this.uploads, ...queued];
    void this.sendQueuedFiles();
  }

  private updateQueued(key: number, change: Partial<QueuedFile>) {
    this.uploads = this.uploads.map((item) => (item.key === key ? { ...item, ...change } : item));
  }

  /** Sends the waiting files one at a time, with progress under their post. */
  private async sendQueuedFiles() {
    if (this.sendingFiles) return;
    this.sendingFiles = true;
    try {
      let next: QueuedFile | undefined;
      while ((next = this.uploads.find((item) => item.status === 'waiting'))) {
        const item = next;
        this.updateQueued(item.key, { status: 'sending' });
        try {
          const { post } = await this.upload.run((options) => debatesApi.attachToPost(item.postId, item.file, options));
          this.uploads = this.uploads.filter((other) => other.key !== item.key);
          this.replacePost(post, false);
          this.announcement = msg(str`${item.file.name} is attached.`);
        } catch (error) {
          const message = isAbort(error) ? msg('The upload was cancelled.') : describeAttachmentError(error);
          this.updateQueued(item.key, { status: 'failed', error: message });
          // A post of a page not loaded (yet) shows no queue: say it here instead.
          if (!this.posts.some((p) => p.id === item.postId) && this.uploads.some((other) => other.key === item.key)) {
            this.services.toast(msg(str`${item.file.name} was not attached: ${message}`), 'error');
          }
        }
      }
    } finally {
      this.sendingFiles = false;
    }
  }

  private retryQueued(item: QueuedFile) {
    this.updateQueued(item.key, { status: 'waiting', error: '' });
    void this.sendQueuedFiles();
    void this.updateComplete.then(() => this.postElement(item.postId)?.focus({ preventScroll: true }));
  }

  private dismissQueued(item: QueuedFile) {
    this.uploads = this.uploads.filter((other) => other.key !== item.key);
    void this.updateComplete.then(() => this.postElement(item.postId)?.focus({ preventScroll: true }));
  }

  /** How many more files the post takes, counting those on their way. */
  private attachmentRoom(post: Post) {
    const queued = this.uploads.filter((item) => item.postId === post.id && item.status !== 'failed').length;
    return MAX_ATTACHMENTS_PER_POST - post.attachments.length - queued;
  }

  /** "Attach file" on one's own post. */
  private attachChosen(event: Event, post: Post) {
    const input = event.target as HTMLInputElement;
    const chosen = [...(input.files ?? [])];
    input.value = '';
    const { accepted, wrongType, overLimit } = splitChosenFiles(chosen, this.attachmentRoom(post));
    const refused = refusedFilesMessage(wrongType, overLimit);
    if (refused) this.services.toast(refused, 'error');
    this.queueFiles(post.id, accepted);
  }

  private async removeAttachment(post: Post, attachment: Attachment) {
    if (this.busy) return;
    this.busy = attachment.id;
    const dropLocally = () => {
      const index = this.posts.find((p) => p.id === post.id)?.attachments.findIndex((a) => a.id === attachment.id) ?? -1;
      this.posts = this.posts.map((p) => (p.id === post.id ? { ...p, attachments: p.attachments.filter((a) => a.id !== attachment.id) } : p));
      // Once the dialog has given focus back to the removed file's button: the next file's, else the post.
      this.afterDialogClose = () =>
        void this.updateComplete.then(() => {
          const article = this.postElement(post.id);
          const buttons = article?.querySelectorAll<HTMLElement>('.attachments .remove-file') ?? [];
          (buttons[Math.min(Math.max(index, 0), buttons.length - 1)] ?? article)?.focus();
        });
      this.closeDialog();
    };
    try {
      await debatesApi.removeAttachment(attachment.id);
      dropLocally();
      this.services.toast(msg(str`${attachment.fileName} was removed from the post.`), 'success');
    } catch (error) {
      // Already removed (by the author or a moderator meanwhile): the list catches up.
      if (isApiError(error) && error.status === 404) dropLocally();
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = null;
    }
  }

  private async startEdit(post: Post) {
    this.busy = post.id;
    try {
      const source = await debatesApi.source(post.id);
      this.editing = { postId: post.id, source };
      this.editError = '';
      await this.updateComplete;
      const editor = this.renderRoot.querySelector<CnMarkdownEditor>('.edit-form cn-markdown-editor');
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
    const editor = (event.currentTarget as HTMLElement).querySelector<CnMarkdownEditor>('cn-markdown-editor');
    if (!editor || this.sending) return;
    if (!editor.value.trim()) {
      this.editError = msg('Write something before sending.');
      editor.focus();
      return;
    }
    this.sending = 'edit';
    try {
      const updated = await debatesApi.edit(post.id, editor.value);
      editor.clear();
      this.replacePost(updated, false);
      this.editing = null;
      await this.updateComplete;
      this.postElement(post.id)?.focus();
      this.services.toast(msg('Your post was updated.'), 'success');
    } catch (error) {
      this.editError = describeError(error);
      editor.focus();
    } finally {
      this.sending = null;
    }
  }

  private cancelEdit(post: Post) {
    this.renderRoot.querySelector<CnMarkdownEditor>('.edit-form cn-markdown-editor')?.clear();
    this.editing = null;
    void this.updateComplete.then(() => this.postElement(post.id)?.focus());
  }

  // ---- post actions --------------------------------------------------------------------------

  private async toggleAgree(post: Post) {
    if (this.busy) return;
    this.busy = post.id;
    try {
      const result = await debatesApi.agree(post.id, !post.agreedByMe);
      this.posts = this.posts.map((p) => (p.id === post.id ? { ...p, ...result } : p));
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = null;
    }
  }

  private async openDialog(dialog: NonNullable<Dialog>) {
    this.dialog = dialog;
    await this.updateComplete;
    const element = this.renderRoot.querySelector<CnDialog>('cn-dialog');
    if (element) element.open = true;
    if (dialog.kind === 'revisions') {
      try {
        const items = await debatesApi.revisions(dialog.post.id);
        if (this.dialog === dialog) this.dialog = { ...dialog, items };
      } catch (error) {
        if (this.dialog === dialog) this.dialog = { ...dialog, error: describeError(error) };
      }
    } else if (dialog.kind === 'agreements') {
      try {
        const items = await debatesApi.agreements(dialog.post.id);
        if (this.dialog === dialog) this.dialog = { ...dialog, items };
      } catch (error) {
        if (this.dialog === dialog) this.dialog = { ...dialog, error: describeError(error) };
      }
    }
  }

  private closeDialog() {
    this.renderRoot.querySelector<CnDialog>('cn-dialog')?.close();
  }

  private async withdraw(post: Post) {
    this.busy = post.id;
    try {
      this.replacePost(await debatesApi.withdraw(post.id), false);
      this.closeDialog();
      this.services.toast(msg('Your post was withdrawn.'), 'success');
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = null;
    }
  }

  private async hide(event: SubmitEvent, post: Post) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '').trim();
    if (!reason) {
      this.dialog = { kind: 'hide', post, error: msg('Give a reason: the author will see it.') };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#hide-reason')?.focus();
      return;
    }
    this.busy = post.id;
    try {
      this.replacePost(await debatesApi.hide(post.id, reason), false);
      this.closeDialog();
      this.services.toast(msg('The post is hidden.'), 'success');
    } catch (error) {
      this.dialog = { kind: 'hide', post, error: describeError(error) };
    } finally {
      this.busy = null;
    }
  }

  private async unhide(post: Post) {
    this.busy = post.id;
    try {
      this.replacePost(await debatesApi.unhide(post.id), false);
      this.services.toast(msg('The post is visible again.'), 'success');
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = null;
    }
  }

  private async moderate(action: 'pin' | 'unpin' | 'lock' | 'unlock') {
    const thread = this.thread;
    if (!thread || this.busy) return;
    this.busy = action;
    try {
      const updated = await debatesApi.moderate(thread.id, action);
      this.thread = { ...thread, ...updated };
      const messages = {
        pin: msg('The debate is pinned.'),
        unpin: msg('The debate is no longer pinned.'),
        lock: msg('The debate is locked.'),
        unlock: msg('The debate is open again.'),
      };
      this.services.toast(messages[action], 'success');
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = null;
    }
  }

  private async move(event: SubmitEvent) {
    event.preventDefault();
    const thread = this.thread;
    const categoryId = String(new FormData(event.currentTarget as HTMLFormElement).get('categoryId') ?? '');
    if (!thread || !categoryId || categoryId === thread.categoryId || this.busy) return;
    this.busy = 'move';
    try {
      const updated = await debatesApi.move(thread.id, categoryId);
      this.thread = { ...thread, ...updated };
      this.services.toast(msg(str`The debate was moved to ${categoryName(this.categories.find((c) => c.id === categoryId))}.`), 'success');
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = null;
    }
  }

  private async watch(event: Event) {
    const thread = this.thread;
    const select = event.target as HTMLSelectElement;
    const level = select.value as WatchLevel;
    if (!thread) return;
    try {
      const updated = await debatesApi.watchThread(thread.id, level);
      this.thread = { ...thread, watchLevel: updated.watchLevel ?? level };
      this.services.toast(msg('Your notification preference is saved.'), 'success');
    } catch (error) {
      select.value = thread.watchLevel;
      this.services.toast(describeError(error), 'error');
    }
  }

  private async focusPost(id: string) {
    const element = this.postElement(id);
    if (!element) return;
    element.scrollIntoView({ block: 'start' });
    element.focus({ preventScroll: true });
  }

  // ---- rendering -----------------------------------------------------------------------------

  protected override render() {
    if (this.phase === 'failed') {
      const missing = isApiError(this.loadError) && this.loadError.status === 404;
      return html`
        <p class="small"><a href="/">${msg('← Back to the debates')}</a></p>
        <div class="page-header"><h1 tabindex="-1">${missing ? msg('Debate not found') : msg('The debate could not be loaded')}</h1></div>
        <div class="alert alert-error stack" role="alert">
          <p>${missing ? msg('This debate does not exist, or you cannot see it.') : describeError(this.loadError)}</p>
          ${missing ? nothing : html`<div><cn-button><button type="button" @click=${() => this.load()}>${msg('Try again')}</button></cn-button></div>`}
        </div>
      `;
    }
    const thread = this.thread;
    if (!thread) {
      return html`
        <p class="small"><a href="/">${msg('← Back to the debates')}</a></p>
        <h1 tabindex="-1" class="visually-hidden">${msg('Debate')}</h1>
        <div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading the debate…')}</div>
      `;
    }
    const category = this.categories.find((c) => c.id === thread.categoryId);
    const firstUnread = this.sinceLastVisitId;
    return html`
      <p class="small"><a href=${category ? `/debates/c/${encodeURIComponent(category.slug)}` : '/'}>${msg('← Back to the debates')}</a></p>
      ${this.renderHeader(thread, category)}
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
      <section aria-labelledby="posts-heading">
        <h2 id="posts-heading" class="visually-hidden">${msg('Posts')}</h2>
        <ol class="plain posts">
          ${repeat(this.posts, (post) => post.id, (post) => this.renderPost(post, post.id === firstUnread))}
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
      ${this.newBelow.length > 0
        ? html`<div class="pill">
            <button type="button" @click=${this.showNewPosts}>
              ${plural(this.newBelow.length, { one: msg(str`${formatNumber(this.newBelow.length)} new post below`, { id: 'new-posts-below.one' }), other: msg(str`${formatNumber(this.newBelow.length)} new posts below`, { id: 'new-posts-below.other' }) })}
            </button>
          </div>`
        : nothing}
      ${this.renderDialog()}
    `;
  }

  private typingText() {
    const names = [...this.typing.values()].map((t) => t.name);
    if (names.length === 0) return '';
    return names.length === 1 ? msg(str`${names[0]} is typing…`) : msg(str`${names.join(', ')} are typing…`);
  }

  private renderHeader(thread: ThreadDetail, category: Category | undefined) {
    const moderator = isModerator(this.user?.role);
    return html`
      <header class="thread-header">
        <div class="chips">
          ${thread.pinned ? html`<span class="badge">${msg('Pinned')}</span>` : nothing}
          ${thread.locked ? html`<span class="badge badge-danger">${msg('Locked: only moderators can post')}</span>` : nothing}
        </div>
        <h1 tabindex="-1">${thread.title}</h1>
        <p class="meta">
          ${category ? html`<a href=${`/debates/c/${encodeURIComponent(category.slug)}`}>${categoryName(category)}</a> · ` : nothing}
          ${msg(str`Started by ${thread.author.displayName}`)} (${authorDetails(thread.author, this.services)}) ·
          <time datetime=${thread.createdAt}>${formatDateTime(thread.createdAt, this.user?.timeZone)}</time>
        </p>
        ${thread.tags.length + thread.indicatorCodes.length > 0
          ? html`<ul class="plain chips" aria-label=${msg('Tags and indicators')}>
              ${thread.tags.map((tag) => html`<li><a class="chip" href=${`/debates?${new URLSearchParams({ tag })}`}>#${tag}</a></li>`)}
              ${thread.indicatorCodes.map(
                (code) => html`<li><a class="chip chip-indicator" href=${`/debates?${new URLSearchParams({ indicator: code })}`} aria-label=${msg(str`Indicator ${code}`)}>${code}</a></li>`,
              )}
            </ul>`
          : nothing}
        ${thread.participatingCountries.length > 0
          ? html`<p class="meta">${msg('Countries taking part:')} ${countryNames(thread.participatingCountries, this.services).join(', ')}</p>`
          : nothing}
        <div class="toolbar">
          <div class="control">
            <span id="view-label">${msg('Show the posts')}</span>
            <div class="view-switch" role="group" aria-labelledby="view-label">
              <button type="button" aria-pressed=${this.view === 'tree' ? 'true' : 'false'} @click=${() => this.setView('tree')}>${msg('As a conversation')}</button>
              <button type="button" aria-pressed=${this.view === 'chronological' ? 'true' : 'false'} @click=${() => this.setView('chronological')}>${msg('In order of posting')}</button>
            </div>
          </div>
          <div class="control">
            <label for="watch">${msg('Notifications')}</label>
            <select id="watch" @change=${this.watch}>
              ${WATCH_LEVELS.map((level) => html`<option value=${level} ?selected=${thread.watchLevel === level}>${watchLabel(level)}</option>`)}
            </select>
          </div>
          ${moderator
            ? html`
                <div class="control">
                  <span>${msg('Moderation')}</span>
                  <div class="row">
                    <cn-button size="small" ?loading=${this.busy === 'pin' || this.busy === 'unpin'}>
                      <button type="button" @click=${() => this.moderate(thread.pinned ? 'unpin' : 'pin')}>${thread.pinned ? msg('Unpin') : msg('Pin')}</button>
                    </cn-button>
                    <cn-button size="small" ?loading=${this.busy === 'lock' || this.busy === 'unlock'}>
                      <button type="button" @click=${() => this.moderate(thread.locked ? 'unlock' : 'lock')}>${thread.locked ? msg('Unlock') : msg('Lock')}</button>
                    </cn-button>
                  </div>
                </div>
                <form class="control move" @submit=${this.move}>
                  <label for="move-category">${msg('Move to category')}</label>
                  <div class="row">
                    <select id="move-category" name="categoryId">
                      ${this.categories.map((c) => html`<option value=${c.id} ?selected=${c.id === thread.categoryId}>${categoryName(c)}</option>`)}
                    </select>
                    <cn-button size="small" ?loading=${this.busy === 'move'}><button type="submit">${msg('Move')}</button></cn-button>
                  </div>
                </form>
              `
            : nothing}
        </div>
        <p class="presence" aria-live="off">
          ${this.presence.length > 0 ? msg(str`Reading now: ${this.presence.map((u) => u.displayName).join(', ')}`) : ''}
        </p>
      </header>
    `;
  }

  /** Places the divider before the first unread post among these, if it has no place yet; only for someone who read the debate before. */
  private markSinceLastVisit(posts: Post[]) {
    if (this.sinceLastVisitId || this.readSince === 0) return;
    this.sinceLastVisitId = posts.find((post) => this.isUnread(post))?.id ?? null;
  }

  private isUnread(post: Post): boolean {
    return post.seq > this.readSince && post.author.id !== this.user?.id;
  }

  private renderPost(post: Post, sinceLastVisit = false) {
    const thread = this.thread!;
    const me = this.user;
    const mine = post.author.id === me?.id;
    const indent = this.view === 'tree' ? Math.min(post.depth, MAX_INDENT) : 0;
    const opening = post.seq === 1 && !post.parentId;
    const showInReply = post.inReplyTo && (this.view === 'chronological' ? !this.posts.some((p) => p.id === post.parentId && p.seq === 1) : post.depth > MAX_INDENT);
    const unread = this.isUnread(post);
    const classes = ['post', `indent-${indent}`, opening ? 'opening' : '', unread ? 'unread' : '', post.state === 'hidden' ? 'is-hidden' : '', this.freshIds.has(post.id) ? 'fresh' : '']
      .filter(Boolean)
      .join(' ');
    const headingId = `post-head-${post.id}`;
    const editing = this.editing?.postId === post.id;
    return html`
      <li>
        ${sinceLastVisit
          ? html`<div class="since-last-visit" role="separator" aria-label=${msg('Since your last visit')}><span aria-hidden="true">${msg('Since your last visit')}</span></div>`
          : nothing}
        <article id=${`post-${post.id}`} class=${classes} tabindex="-1" data-seq=${post.seq} aria-labelledby=${`${headingId} ${headingId}-time`}>
          <div class="post-head">
            <span class="post-author" id=${headingId}>${post.author.displayName}</span>
            <span class="muted">${authorDetails(post.author, this.services)}</span>
            <a class="muted" href=${`#post-${post.id}`} @click=${(event: Event) => { event.preventDefault(); void this.focusPost(post.id); }}>
              <time id=${`${headingId}-time`} datetime=${post.createdAt} title=${formatDateTime(post.createdAt, me?.timeZone)}>${formatWhen(post.createdAt, me?.timeZone)}</time>
            </a>
            ${unread ? html`<span class="badge">${msg('New')}</span>` : nothing}
            ${post.editedAt && post.state === 'visible'
              ? html`<button type="button" class="link-button muted" aria-label=${msg('Edited: see the history')} @click=${() => this.openDialog({ kind: 'revisions', post, items: null, error: '' })}>
                  ${msg('edited')}
                </button>`
              : nothing}
          </div>
          ${showInReply
            ? html`<p class="in-reply">
                ${msg('In reply to')}
                <button type="button" class="link-button" @click=${() => this.focusPost(post.inReplyTo!.postId)}>${post.inReplyTo!.authorName}</button>
              </p>`
            : nothing}
          ${editing ? this.renderEditForm(post) : this.renderBody(post)}
          ${attachmentList(post.attachments, { onRemove: mine || post.mayModerate ? (attachment) => this.openDialog({ kind: 'remove-attachment', post, attachment }) : undefined })}
          ${this.renderQueuedFiles(post)}
          ${editing ? nothing : this.renderActions(post, mine, thread)}
          ${this.replyTo === post.id ? this.renderInlineReply(post) : nothing}
        </article>
      </li>
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

  /** Files on their way to the post: waiting, sending with progress, or failed with the reason and a retry. */
  private renderQueuedFiles(post: Post) {
    const items = this.uploads.filter((item) => item.postId === post.id);
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
                        <button type="button" @click=${() => this.retryQueued(item)}>${msg('Try again')}<span class="visually-hidden"> (${item.file.name})</span></button>
                      </cn-button>
                      <cn-button size="small" variant="quiet">
                        <button type="button" @click=${() => this.dismissQueued(item)}>${msg('Dismiss')}<span class="visually-hidden"> (${item.file.name})</span></button>
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

  private renderActions(post: Post, mine: boolean, thread: ThreadDetail) {
    if (post.state === 'withdrawn' && !post.mayModerate) return nothing;
    const busy = this.busy === post.id;
    const canReply = post.state === 'visible' && (!thread.locked || isModerator(this.user?.role));
    const canAttach = canReply && mine && post.mayEdit && this.attachmentRoom(post) > 0;
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
                  ? html`<button type="button" class="link-button" @click=${() => this.openDialog({ kind: 'agreements', post, items: null, error: '' })}>
                      ${plural(post.agreeCount, { one: msg(str`${formatNumber(post.agreeCount)} agrees`, { id: 'agree-count.one' }), other: msg(str`${formatNumber(post.agreeCount)} agree`, { id: 'agree-count.other' }) })}
                    </button>`
                  : nothing}
              </span>
            `
          : nothing}
        ${canReply
          ? html`<cn-button size="small" variant="quiet">
              <button type="button" id=${`reply-button-${post.id}`} aria-expanded=${this.replyTo === post.id ? 'true' : 'false'} @click=${() => this.openReply(post)}>
                ${msg('Reply')}<span class="visually-hidden"> ${msg(str`to ${post.author.displayName}`)}</span>
              </button>
            </cn-button>`
          : nothing}
        ${canReply && this.quote?.postId === post.id
          ? html`<cn-button size="small" variant="quiet">
              <button type="button" class="quote-button" @mousedown=${(event: Event) => event.preventDefault()} @click=${() => this.quotePost(post)}>${msg('Quote the selection')}</button>
            </cn-button>`
          : nothing}
        ${post.mayEdit && mine && post.state === 'visible'
          ? html`
              <cn-button size="small" variant="quiet" ?loading=${busy}><button type="button" @click=${() => this.startEdit(post)}>${msg('Edit')}</button></cn-button>
              <cn-button size="small" variant="quiet"><button type="button" @click=${() => this.openDialog({ kind: 'withdraw', post })}>${msg('Withdraw')}</button></cn-button>
            `
          : nothing}
        ${canAttach
          ? html`<span class="file-action">
              <input id=${`attach-${post.id}`} class="visually-hidden" type="file" accept=${ACCEPTED_EXTENSIONS.join(',')} @change=${(event: Event) => this.attachChosen(event, post)} />
              <label for=${`attach-${post.id}`} class="file-button quiet">${paperClipIcon}${msg('Attach file')}</label>
            </span>`
          : nothing}
        ${post.mayModerate && !mine && post.state === 'visible'
          ? html`<cn-button size="small" variant="quiet"><button type="button" @click=${() => this.openDialog({ kind: 'hide', post, error: '' })}>${msg('Hide')}</button></cn-button>`
          : nothing}
        ${post.mayModerate && post.state === 'hidden'
          ? html`<cn-button size="small" variant="quiet" ?loading=${busy}><button type="button" @click=${() => this.unhide(post)}>${msg('Show again')}</button></cn-button>`
          : nothing}
      </div>
    `;
  }

  private renderInlineReply(post: Post) {
    const error = this.replyError?.form === 'inline' ? this.replyError.message : '';
    return html`
      <form class="reply-form inline-reply stack" novalidate @submit=${(event: Event) => this.sendReply(event, 'inline')} @cn-editor-submit=${(event: Event) => (event.currentTarget as HTMLFormElement).requestSubmit()} @cn-editor-typing=${this.onTyping}>
        <cn-markdown-editor .label=${msg(str`Your reply to ${post.author.displayName}`)} .draftKey=${this.draftKey(post.id)} .error=${error}></cn-markdown-editor>
        <cn-attachment-picker></cn-attachment-picker>
        <div class="form-actions">
          <cn-button variant="primary" ?loading=${this.sending === 'inline'}>
            <button type="submit" aria-disabled=${this.sending ? 'true' : 'false'}>${msg('Send the reply')}</button>
          </cn-button>
          <cn-button variant="quiet"><button type="button" @click=${() => this.closeReply(post)}>${msg('Cancel')}</button></cn-button>
        </div>
      </form>
    `;
  }

  private renderEditForm(post: Post) {
    return html`
      <form class="edit-form stack" novalidate @submit=${(event: Event) => this.saveEdit(event, post)} @cn-editor-submit=${(event: Event) => (event.currentTarget as HTMLFormElement).requestSubmit()}>
        <cn-markdown-editor .label=${msg('Edit your post')} .draftKey=${`concilia.draft.edit.${post.id}`} .error=${this.editError}></cn-markdown-editor>
        <div class="form-actions">
          <cn-button variant="primary" ?loading=${this.sending === 'edit'}>
            <button type="submit" aria-disabled=${this.sending ? 'true' : 'false'}>${msg('Save the changes')}</button>
          </cn-button>
          <cn-button variant="quiet"><button type="button" @click=${() => this.cancelEdit(post)}>${msg('Cancel')}</button></cn-button>
        </div>
      </form>
    `;
  }

  private renderFinalReply(thread: ThreadDetail) {
    if (thread.locked && !isModerator(this.user?.role)) {
      return html`<p class="alert alert-info final-reply">${msg('This debate is locked: only moderators can post in it.')}</p>`;
    }
    const error = this.replyError?.form === 'final' ? this.replyError.message : '';
    return html`
      <section class="card final-reply" aria-labelledby="final-reply-heading">
        <form class="stack" novalidate @submit=${(event: Event) => this.sendReply(event, 'final')} @cn-editor-submit=${(event: Event) => (event.currentTarget as HTMLFormElement).requestSubmit()} @cn-editor-typing=${this.onTyping}>
          <h2 id="final-reply-heading">${msg('Reply to the debate')}</h2>
          <cn-markdown-editor .label=${msg('Your reply')} .draftKey=${this.draftKey('thread')} .error=${error}></cn-markdown-editor>
          <cn-attachment-picker></cn-attachment-picker>
          <div class="form-actions">
            <cn-button variant="primary" ?loading=${this.sending === 'final'}>
              <button type="submit" aria-disabled=${this.sending ? 'true' : 'false'}>${msg('Send the reply')}</button>
            </cn-button>
          </div>
        </form>
      </section>
    `;
  }

  private renderDialog() {
    const dialog = this.dialog;
    if (!dialog) return nothing;
    const onClose = () => {
      this.dialog = null;
      const after = this.afterDialogClose;
      this.afterDialogClose = null;
      after?.();
    };
    switch (dialog.kind) {
      case 'remove-attachment':
        return html`
          <cn-dialog label=${msg(str`Remove ${dialog.attachment.fileName}?`)} @cn-close=${onClose}>
            <p>${dialog.post.author.id === this.user?.id ? msg('The file disappears from your post for everyone.') : msg(str`The file disappears from the post by ${dialog.post.author.displayName} for everyone.`)}</p>
            <div class="form-actions">
              <cn-button variant="danger" ?loading=${this.busy === dialog.attachment.id}>
                <button type="button" autofocus @click=${() => this.removeAttachment(dialog.post, dialog.attachment)}>${msg('Remove the file')}</button>
              </cn-button>
              <cn-button variant="quiet"><button type="button" @click=${() => this.closeDialog()}>${msg('Cancel')}</button></cn-button>
            </div>
          </cn-dialog>
        `;
      case 'withdraw':
        return html`
          <cn-dialog label=${msg('Withdraw your post?')} @cn-close=${onClose}>
            <p>${msg('The text disappears for everyone; the debate shows that you withdrew the post. This cannot be undone.')}</p>
            <div class="form-actions">
              <cn-button variant="danger" ?loading=${this.busy === dialog.post.id}>
                <button type="button" autofocus @click=${() => this.withdraw(dialog.post)}>${msg('Withdraw the post')}</button>
              </cn-button>
              <cn-button variant="quiet"><button type="button" @click=${() => this.closeDialog()}>${msg('Cancel')}</button></cn-button>
            </div>
          </cn-dialog>
        `;
      case 'hide':
        return html`
          <cn-dialog label=${msg(str`Hide the post by ${dialog.post.author.displayName}`)} @cn-close=${onClose}>
            <form novalidate @submit=${(event: SubmitEvent) => this.hide(event, dialog.post)}>
              ${dialog.error ? html`<div class="alert alert-error" role="alert">${dialog.error}</div>` : nothing}
              <cn-field>
                <label slot="label">${msg('Reason')}</label>
                <textarea id="hide-reason" name="reason" rows="3" maxlength="500" required autofocus></textarea>
                <span slot="hint">${msg('Moderators and the author see the reason; the others see that a moderator hid the post.')}</span>
              </cn-field>
              <div class="form-actions">
                <cn-button variant="danger" ?loading=${this.busy === dialog.post.id}><button type="submit">${msg('Hide the post')}</button></cn-button>
                <cn-button variant="quiet"><button type="button" @click=${() => this.closeDialog()}>${msg('Cancel')}</button></cn-button>
              </div>
            </form>
          </cn-dialog>
        `;
      case 'revisions':
        return html`
          <cn-dialog label=${msg('Edit history')} @cn-close=${onClose}>
            ${dialog.error
              ? html`<p class="alert alert-error" role="alert">${dialog.error}</p>`
              : dialog.items === null
                ? html`<p class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading…')}</p>`
                : html`<ol class="plain">
                    ${dialog.items.map(
                      (revision) => html`<li class="revision stack">
                        <p class="small muted">
                          ${msg(str`Version ${revision.number}`)} · ${revision.editor.displayName} ·
                          <time datetime=${revision.editedAt}>${formatDateTime(revision.editedAt, this.user?.timeZone)}</time>
                        </p>
                        <div class="post-body">${sanitizedPostHtml(revision.html, this.services.countries)}</div>
                      </li>`,
                    )}
                  </ol>`}
          </cn-dialog>
        `;
      case 'agreements':
        return html`
          <cn-dialog label=${msg('Who agrees')} @cn-close=${onClose}>
            ${dialog.error
              ? html`<p class="alert alert-error" role="alert">${dialog.error}</p>`
              : dialog.items === null
                ? html`<p class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading…')}</p>`
                : html`<ul class="plain who">
                    ${dialog.items.map((author) => html`<li><a href=${`/people/${encodeURIComponent(author.id)}`}>${author.displayName}</a> <span class="muted small">${authorDetails(author, this.services)}</span></li>`)}
                  </ul>`}
          </cn-dialog>
        `;
    }
  }
}

