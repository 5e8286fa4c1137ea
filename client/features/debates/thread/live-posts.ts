import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { msg, str } from '@lit/localize';
import { formatNumber } from '../../../app/format.js';
import { plural } from '../../../app/plural.js';
import { debatesApi } from '../debates-api.js';
import type { Post, ThreadDetail } from '../models.js';
import { keepPlace, mergeLivePost, placePost, whereOnScreen, type ThreadView } from './live-placement.js';

const PAGE_SIZE = 50;

/** The debate as shown, which the live posts change. */
export interface ShownThread {
  thread: ThreadDetail;
  posts: Post[];
  nextCursor: string | null;
}

/** What placing posts needs of the page that shows them. */
export interface LivePostsPage {
  /** The debate shown, or null while it loads. */
  shown(): ShownThread | null;
  show(change: ShownThread): void;
  view(): ThreadView;
  readerId(): string | undefined;
  postElement(id: string): HTMLElement | null;
  postArticles(): Iterable<HTMLElement>;
  /** Says something politely to screen readers. */
  announce(text: string): void;
}

/**
 * Posts that arrive while the debate is open (live, or the reader's own replies), placed where
 * they belong (live-placement.ts) without moving what the reader is reading: the first post on
 * screen keeps its place. One from someone else that lands below the screen is offered by a
 * "new posts below" pill, which goes once they are seen. After missed events the loaded posts
 * come again, the place kept the same way.
 */
export class LivePostsController implements ReactiveController {
  /** Posts from others placed below the screen, not seen yet. */
  below: string[] = [];
  private readonly fresh = new Set<string>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly page: LivePostsPage,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('scroll', this.onScroll, { passive: true });
  }

  hostDisconnected(): void {
    window.removeEventListener('scroll', this.onScroll);
  }

  /** Another debate: nothing is new below any more. */
  reset(): void {
    this.below = [];
    this.host.requestUpdate();
  }

  /** Arrived live from someone else while the page was open (drawn so). */
  isFresh(postId: string): boolean {
    return this.fresh.has(postId);
  }

  /** A post seen on screen: no longer "new below". */
  seen(postId: string): void {
    if (!this.below.includes(postId)) return;
    this.below = this.below.filter((id) => id !== postId);
    this.host.requestUpdate();
  }

  /** Places a new post (or one shown again) and keeps the reader's place; `fromSomeoneElse` for live posts. */
  async insert(post: Post, fromSomeoneElse: boolean): Promise<void> {
    const shown = this.page.shown();
    if (!shown) return;
    const placed = placePost(shown.posts, post, { view: this.page.view(), hasMore: Boolean(shown.nextCursor), readerId: this.page.readerId() });
    if (!placed.placed) return;
    const restore = keepPlace(this.page.postArticles());
    if (placed.isNew && fromSomeoneElse) this.fresh.add(post.id);
    const thread = shown.thread;
    this.page.show({ ...shown, posts: placed.posts, thread: placed.isNew ? { ...thread, replyCount: thread.replyCount + 1, postCount: thread.postCount + 1 } : thread });
    await this.host.updateComplete;
    restore();
    if (!placed.isNew || !fromSomeoneElse) return;
    const rect = this.page.postElement(post.id)?.getBoundingClientRect();
    if (rect && whereOnScreen(rect, window.innerHeight) === 'below') {
      this.below = [...this.below, post.id];
      this.host.requestUpdate();
    }
    this.page.announce(msg(str`New post by ${post.author.displayName}.`));
  }

  /**
   * A live event of the debate (on its topic, or on the group's for the debate itself): a post
   * placed, a post changed, the debate's own fields, its countries, a post's agreements.
   */
  event(event: string, payload: unknown, moderator: boolean): void {
    const shown = this.page.shown();
    if (!shown) return;
    const { thread, posts } = shown;
    const me = this.page.readerId();
    switch (event) {
      case 'thread.updated': {
        const updated = (payload as { thread: ThreadDetail }).thread;
        // What only this reader knows of the debate stays as it was.
        const own = { unreadCount: thread.unreadCount, watchLevel: thread.watchLevel, lastReadSeq: thread.lastReadSeq, firstUnreadPostId: thread.firstUnreadPostId };
        if (updated.id === thread.id) this.page.show({ ...shown, thread: { ...thread, ...updated, ...own } });
        return;
      }
      case 'post.created': {
        const post = (payload as { post: Post }).post;
        if (post.threadId === thread.id) void this.insert({ ...post, mayModerate: moderator, mayEdit: post.author.id === me }, post.author.id !== me);
        return;
      }
      case 'post.updated':
        this.update((payload as { post: Post }).post);
        return;
      case 'thread.activity': {
        // The group's topic says which countries take part after each post, as the debates list shows them.
        const activity = payload as { threadId: string; participatingCountries: string[] };
        if (activity.threadId === thread.id) this.page.show({ ...shown, thread: { ...thread, participatingCountries: activity.participatingCountries } });
        return;
      }
      case 'agreement.changed': {
        const { postId, agreeCount } = payload as { postId: string; agreeCount: number };
        this.page.show({ ...shown, posts: posts.map((p) => (p.id === postId ? { ...p, agreeCount } : p)) });
        return;
      }
    }
  }

  /** An edited, withdrawn or hidden post: changed where it is, if it is shown. */
  update(post: Post): void {
    const shown = this.page.shown();
    if (!shown) return;
    this.page.show({ ...shown, posts: shown.posts.map((p) => (p.id === post.id ? mergeLivePost(p, post, this.page.readerId()) : p)) });
  }

  /** After missed events: the debate and the loaded posts again, scroll position kept by the anchor. */
  async reload(): Promise<void> {
    const shown = this.page.shown();
    if (!shown) return;
    const { thread, posts } = shown;
    try {
      const limit = Math.min(100, Math.max(PAGE_SIZE, posts.length));
      const [fresh, page] = await Promise.all([debatesApi.thread(thread.id), debatesApi.posts(thread.id, { view: this.page.view(), limit })]);
      const now = this.page.shown();
      if (now?.thread.id !== thread.id) return;
      const restore = keepPlace(this.page.postArticles());
      this.page.show({ thread: { ...fresh, lastReadSeq: Math.max(fresh.lastReadSeq, now.thread.lastReadSeq) }, posts: page.items, nextCursor: page.nextCursor });
      await this.host.updateComplete;
      restore();
    } catch {
      // The next event or a reload brings it up to date.
    }
  }

  /** The "new posts below" pill: takes the reader to the first of them. */
  renderPill(): unknown {
    const count = this.below.length;
    if (count === 0) return nothing;
    return html`<div class="pill">
      <button type="button" @click=${this.showBelow}>
        ${plural(count, { one: msg(str`${formatNumber(count)} new post below`, { id: 'new-posts-below.one' }), other: msg(str`${formatNumber(count)} new posts below`, { id: 'new-posts-below.other' }) })}
      </button>
    </div>`;
  }

  private showBelow = () => {
    const first = this.below
      .map((id) => this.page.postElement(id))
      .filter((e): e is HTMLElement => Boolean(e))
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];
    this.reset();
    first?.scrollIntoView({ block: 'start' });
    first?.focus({ preventScroll: true });
  };

  private onScroll = () => {
    if (this.below.length === 0) return;
    const still = this.below.filter((id) => {
      const rect = this.page.postElement(id)?.getBoundingClientRect();
      return rect ? rect.top >= window.innerHeight : false;
    });
    if (still.length !== this.below.length) {
      this.below = still;
      this.host.requestUpdate();
    }
  };
}
