import type { Post } from '../models.js';
import type { ThreadView } from './thread-view.js';

export type { ThreadView };

/** What placing a post needs to know of it. */
type Placed = Pick<Post, 'id' | 'parentId' | 'depth'>;

/**
 * Where a post that arrives (live, or the reader's own reply) goes among the posts loaded: in
 * the tree view after its parent's last descendant, in order of posting (or without a parent
 * loaded) at the end. Null when its place is in a page not loaded yet (`hasMore`): it is not
 * shown out of place, and "Load more" brings it where it belongs.
 */
export function insertionIndex(posts: readonly Placed[], post: Placed, view: ThreadView, hasMore: boolean): number | null {
  const atEnd = hasMore ? null : posts.length;
  if (view === 'chronological' || !post.parentId) return atEnd;
  const parentIndex = posts.findIndex((p) => p.id === post.parentId);
  if (parentIndex < 0) return atEnd;
  const parent = posts[parentIndex]!;
  let index = parentIndex + 1;
  while (index < posts.length && posts[index]!.depth > parent.depth) index += 1;
  if (index === posts.length && hasMore) return null;
  return index;
}

/**
 * A post as an event describes it, over the one shown: the event is written for everyone, so
 * what only this reader knows stays (their agreement, whether they may edit or moderate), and a
 * hidden post keeps its text for those who saw it (a moderator, its author) when the event
 * carries none.
 */
export function mergeLivePost(shown: Post, incoming: Post, readerId: string | undefined): Post {
  const keepHtml = incoming.html === null && shown.html !== null && incoming.state === 'hidden' && shown.state === 'hidden' && (shown.mayModerate || shown.author.id === readerId);
  return {
    ...incoming,
    agreedByMe: shown.agreedByMe,
    mayEdit: shown.mayEdit && incoming.state === 'visible',
    mayModerate: shown.mayModerate,
    html: keepHtml ? shown.html : incoming.html,
    hiddenReason: incoming.hiddenReason ?? (keepHtml ? shown.hiddenReason : null),
    attachments: keepHtml ? shown.attachments : incoming.attachments,
  };
}

/**
 * The posts with one placed: a post already shown is replaced where it is (an event may repeat
 * what the page loaded), a new one inserted at its place. `placed` is false when it has no place
 * among the loaded posts (see insertionIndex), and then the list is unchanged.
 */
export function placePost(posts: readonly Post[], post: Post, options: { view: ThreadView; hasMore: boolean; readerId: string | undefined }): { posts: Post[]; placed: boolean; isNew: boolean } {
  if (posts.some((p) => p.id === post.id)) {
    return { posts: posts.map((p) => (p.id === post.id ? mergeLivePost(p, post, options.readerId) : p)), placed: true, isNew: false };
  }
  const index = insertionIndex(posts, post, options.view, options.hasMore);
  if (index === null) return { posts: [...posts], placed: false, isNew: true };
  const next = [...posts];
  next.splice(index, 0, post);
  return { posts: next, placed: true, isNew: true };
}

/** Where a post just placed is, seen from the reader's screen: below it (a "new posts below" pill), above it, or in view. */
export function whereOnScreen(rect: { top: number; bottom: number }, viewportHeight: number): 'below' | 'above' | 'visible' {
  if (rect.top >= viewportHeight) return 'below';
  if (rect.bottom <= 0) return 'above';
  return 'visible';
}

/**
 * Keeps what the reader looks at in place while posts are added above it: the first post still
 * (partly) on screen is the anchor; after the change, the page scrolls by however far it moved.
 * `capture` before changing the list, then call what it returns once the change is rendered.
 */
export function keepPlace(posts: Iterable<HTMLElement>): () => void {
  let anchor: HTMLElement | null = null;
  for (const element of posts) {
    if (element.getBoundingClientRect().bottom > 0) {
      anchor = element;
      break;
    }
  }
  const before = anchor?.getBoundingClientRect().top ?? 0;
  return () => {
    if (!anchor?.isConnected) return;
    const delta = anchor.getBoundingClientRect().top - before;
    if (Math.abs(delta) > 1) window.scrollBy({ top: delta, behavior: 'instant' as ScrollBehavior });
  };
}
