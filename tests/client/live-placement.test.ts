import { describe, expect, it } from 'vitest';
import { insertionIndex, mergeLivePost, placePost, whereOnScreen } from '../../client/features/debates/thread/live-placement.js';
import type { Post } from '../../client/features/debates/models.js';

const author = (id: string) => ({ id, displayName: id, handle: id, role: 'member' as const, countryId: 'mx', organizationId: null });

function post(id: string, parentId: string | null, depth: number, changes: Partial<Post> = {}): Post {
  return {
    id,
    threadId: 't',
    seq: 0,
    parentId,
    depth,
    inReplyTo: null,
    author: author('ana'),
    createdAt: '2026-01-01T00:00:00Z',
    editedAt: null,
    revisionCount: 0,
    state: 'visible',
    html: `<p>${id}</p>`,
    hiddenReason: null,
    attachments: [],
    agreeCount: 0,
    agreedByMe: false,
    mayEdit: false,
    mayModerate: false,
    ...changes,
  };
}

/*
 * The debate as the tree view shows it:
 *   a
 *   ├ b
 *   │ └ c
 *   └ d
 *   e (a second answer to the opening, drawn at depth 1)
 */
const tree = [post('a', null, 0), post('b', 'a', 1), post('c', 'b', 2), post('d', 'a', 1), post('e', 'a', 1)];
const ids = (posts: readonly Post[]) => posts.map((p) => p.id);

describe('where a new post goes', () => {
  it('in the tree view, after the last descendant of its parent', () => {
    expect(insertionIndex(tree, post('x', 'b', 2), 'tree', false)).toBe(3); // after c, before d
    expect(insertionIndex(tree, post('x', 'c', 3), 'tree', false)).toBe(3);
    expect(insertionIndex(tree, post('x', 'd', 2), 'tree', false)).toBe(4);
    expect(insertionIndex(tree, post('x', 'a', 1), 'tree', false)).toBe(5);
  });

  it('in order of posting, at the end whatever its parent', () => {
    expect(insertionIndex(tree, post('x', 'b', 2), 'chronological', false)).toBe(5);
  });

  it('at the end when its parent is not loaded, or it has none', () => {
    expect(insertionIndex(tree, post('x', 'elsewhere', 4), 'tree', false)).toBe(5);
    expect(insertionIndex(tree, post('x', null, 0), 'tree', false)).toBe(5);
  });

  it('nowhere while its place is in a page not loaded yet', () => {
    expect(insertionIndex(tree, post('x', 'b', 2), 'chronological', true)).toBeNull();
    expect(insertionIndex(tree, post('x', 'elsewhere', 4), 'tree', true)).toBeNull();
    // The parent's descendants run to the end of what is loaded: more of them may follow.
    expect(insertionIndex(tree, post('x', 'e', 2), 'tree', true)).toBeNull();
    // Inside the loaded part its place is known.
    expect(insertionIndex(tree, post('x', 'b', 2), 'tree', true)).toBe(3);
  });
});

describe('placing a post in the list', () => {
  const options = { view: 'tree' as const, hasMore: false, readerId: 'me' };

  it('inserts a new one at its place, leaving the others as they were', () => {
    const placed = placePost(tree, post('x', 'b', 2), options);
    expect(placed).toMatchObject({ placed: true, isNew: true });
    expect(ids(placed.posts)).toEqual(['a', 'b', 'c', 'x', 'd', 'e']);
    expect(ids(tree)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('replaces one already shown where it is (an event repeating what was loaded), without counting it as new', () => {
    const placed = placePost(tree, post('c', 'b', 2, { html: '<p>edited</p>' }), options);
    expect(placed).toMatchObject({ placed: true, isNew: false });
    expect(ids(placed.posts)).toEqual(ids(tree));
    expect(placed.posts[2]!.html).toBe('<p>edited</p>');
  });

  it('leaves the list alone when the post belongs to a page not loaded', () => {
    const placed = placePost(tree, post('x', 'e', 2), { ...options, hasMore: true });
    expect(placed.placed).toBe(false);
    expect(ids(placed.posts)).toEqual(ids(tree));
  });
});

describe('a post changed by an event, over the one shown', () => {
  it('keeps what only this reader knows: their agreement and what they may do', () => {
    const shown = post('p', null, 0, { agreedByMe: true, mayEdit: true, mayModerate: true, agreeCount: 1 });
    const incoming = post('p', null, 0, { agreeCount: 2, html: '<p>edited</p>' });
    expect(mergeLivePost(shown, incoming, 'me')).toMatchObject({ agreedByMe: true, mayEdit: true, mayModerate: true, agreeCount: 2, html: '<p>edited</p>' });
  });

  it('no longer offers editing once the post is withdrawn or hidden', () => {
    const shown = post('p', null, 0, { mayEdit: true });
    expect(mergeLivePost(shown, post('p', null, 0, { state: 'withdrawn', html: null }), 'me').mayEdit).toBe(false);
  });

  it('keeps a hidden post’s text and files for the moderator and the author, not for the others', () => {
    const files = [{ id: 'f', fileName: 'a.csv', mime: 'text/csv', size: 3 }];
    const hiddenShown = { state: 'hidden' as const, hiddenReason: 'Off topic', attachments: files };
    const hiddenEvent = post('p', null, 0, { state: 'hidden', html: null, hiddenReason: null, attachments: [] });
    const forModerator = mergeLivePost(post('p', null, 0, { ...hiddenShown, mayModerate: true }), hiddenEvent, 'me');
    expect(forModerator).toMatchObject({ html: '<p>p</p>', hiddenReason: 'Off topic', attachments: files });
    const forAuthor = mergeLivePost(post('p', null, 0, { ...hiddenShown, author: author('me') }), hiddenEvent, 'me');
    expect(forAuthor.html).toBe('<p>p</p>');
    // Another reader never keeps it, even with text still on the screen from before.
    const forOthers = mergeLivePost(post('p', null, 0, hiddenShown), hiddenEvent, 'me');
    expect(forOthers).toMatchObject({ html: null, hiddenReason: null, attachments: [] });
    // A post hidden just now: the event says so, and the text goes for a reader who may not see it.
    const justHidden = mergeLivePost(post('p', null, 0), hiddenEvent, 'me');
    expect(justHidden).toMatchObject({ state: 'hidden', html: null });
  });
});

describe('where a placed post is for the reader', () => {
  it('below the screen, above it, or on it', () => {
    expect(whereOnScreen({ top: 900, bottom: 1000 }, 800)).toBe('below');
    expect(whereOnScreen({ top: -200, bottom: -10 }, 800)).toBe('above');
    expect(whereOnScreen({ top: 700, bottom: 900 }, 800)).toBe('visible');
  });
});
