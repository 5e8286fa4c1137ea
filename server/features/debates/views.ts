import type { AttachmentRow } from '../../plugins/files/index.js';
import type { AuthorRow, PostRow, ThreadListRow } from './repository.js';

export const toAttachment = (attachment: AttachmentRow) => ({ id: attachment.id, fileName: attachment.fileName, mime: attachment.mime, size: attachment.size });
export type AttachmentView = ReturnType<typeof toAttachment>;

export const toAuthor = (author: AuthorRow) => ({
  id: author.id,
  displayName: author.displayName,
  handle: author.handle ?? '',
  role: author.role,
  countryId: author.countryId,
  organizationId: author.organizationId,
});

export function toThreadSummary(thread: ThreadListRow) {
  return {
    id: thread.id,
    categoryId: thread.categoryId,
    title: thread.title,
    author: toAuthor(thread.author),
    createdAt: thread.createdAt.toISOString(),
    lastActivityAt: thread.lastActivityAt.toISOString(),
    replyCount: thread.replyCount,
    participatingCountries: thread.participatingCountries,
    unreadCount: Math.max(0, thread.lastSeq - thread.lastReadSeq),
    pinned: thread.pinned,
    locked: thread.locked,
    tags: thread.tags,
    indicatorCodes: thread.indicatorCodes,
    watchLevel: thread.watchLevel,
    /** The outcome pinned on the thread (a proposal's), as the list shows it. */
    outcome: thread.outcome ? { excerpt: thread.outcome.excerpt, at: thread.outcome.at } : null,
    concluded: thread.concludedAt !== null,
  };
}
export type ThreadSummary = ReturnType<typeof toThreadSummary>;

export const toThreadDetail = (thread: ThreadListRow, firstUnreadPostId: string | null) => ({
  ...toThreadSummary(thread),
  version: thread.version,
  firstUnreadPostId,
  lastReadSeq: thread.lastReadSeq,
  postCount: thread.lastSeq,
});

/**
 * A post as a neutral viewer of one kind sees it: moderators get hidden text and reasons, everyone
 * else the redacted form. Per-viewer flags are false here and filled in by `forViewer`, so this
 * form can be cached per thread version and published in live events. A post's attachments are
 * read separately (a new post has none).
 */
export function toNeutralPost(post: PostRow, moderatorView: boolean, attachments: AttachmentView[] = []) {
  const showText = post.state === 'visible' || (post.state === 'hidden' && moderatorView);
  return {
    id: post.id,
    threadId: post.threadId,
    seq: post.seq,
    parentId: post.parentId,
    depth: post.depth,
    inReplyTo: post.parentId ? { postId: post.parentId, authorName: post.parentAuthorName ?? '' } : null,
    author: toAuthor(post.author),
    createdAt: post.createdAt.toISOString(),
    editedAt: post.editedAt?.toISOString() ?? null,
    revisionCount: post.revisionCount,
    state: post.state,
    html: showText ? post.html : null,
    hiddenReason: post.state === 'hidden' && moderatorView ? post.hiddenReason : null,
    agreeCount: post.agreeCount,
    /** Follow the text: not shown when the text is not. */
    attachments: showText ? attachments : [],
    agreedByMe: false,
    mayEdit: false,
    mayModerate: false,
  };
}
export type PostView = ReturnType<typeof toNeutralPost>;
