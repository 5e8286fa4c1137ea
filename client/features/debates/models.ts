/**
 * Shapes of the debates API (docs/debates-api.md). Kept by hand: the client must not import
 * server code.
 */
import type { Role } from '../../app/models.js';

export type WatchLevel = 'watching' | 'normal' | 'muted';
export const WATCH_LEVELS: readonly WatchLevel[] = ['watching', 'normal', 'muted'];

export interface Author {
  id: string;
  displayName: string;
  handle: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
}

export interface Category {
  id: string;
  slug: string;
  nameEs: string;
  nameEn: string;
  descriptionEs: string;
  descriptionEn: string;
  position: number;
  startRoles: Role[] | null;
  mayStart: boolean;
  threadCount: number;
  watchLevel: WatchLevel;
}

export interface ThreadSummary {
  id: string;
  categoryId: string;
  title: string;
  author: Author;
  createdAt: string;
  lastActivityAt: string;
  replyCount: number;
  participatingCountries: string[];
  unreadCount: number;
  pinned: boolean;
  locked: boolean;
  tags: string[];
  indicatorCodes: string[];
  watchLevel: WatchLevel;
}

export interface ThreadDetail extends ThreadSummary {
  version: number;
  firstUnreadPostId: string | null;
  lastReadSeq: number;
  postCount: number;
}

export type PostState = 'visible' | 'withdrawn' | 'hidden';

/** A file attached to a post; its bytes are served at attachmentHref(id). */
export interface Attachment {
  id: string;
  fileName: string;
  mime: string;
  /** In bytes. */
  size: number;
}

export interface Post {
  id: string;
  threadId: string;
  seq: number;
  parentId: string | null;
  depth: number;
  inReplyTo: { postId: string; authorName: string } | null;
  author: Author;
  createdAt: string;
  editedAt: string | null;
  revisionCount: number;
  state: PostState;
  /** Sanitized on the server (allowlist); null when the viewer may not see the content. */
  html: string | null;
  hiddenReason: string | null;
  /** Oldest first; empty whenever `html` is null (the files follow the text's visibility). */
  attachments: Attachment[];
  agreeCount: number;
  agreedByMe: boolean;
  mayEdit: boolean;
  mayModerate: boolean;
}

export interface Revision {
  number: number;
  html: string;
  editedAt: string;
  editor: Author;
}

export interface Localized {
  en: string;
  es: string;
}

export interface IndicatorGoal {
  code: string;
  title: Localized;
  targets: Array<{ code: string; title: Localized; indicators: Array<{ code: string; title: Localized }> }>;
}

export interface Mentionable {
  people: Array<{ id: string; handle: string; displayName: string; countryId: string | null }>;
  countries: Array<{ code: string; nameEs: string; nameEn: string }>;
}

export interface SearchResult {
  threadId: string;
  threadTitle: string;
  postId: string;
  seq: number;
  categoryId: string;
  author: Author;
  createdAt: string;
  /** Server-escaped text whose only markup is <mark>. */
  snippetHtml: string;
}

/** A meeting found by its title, description or agenda, or by the minutes of one of its occurrences. */
export interface MeetingSearchHit {
  kind: 'meeting' | 'minutes';
  meetingId: string;
  title: string;
  meetingKind: string;
  status: string;
  startsAt: string | null;
  occurrenceId: string | null;
  /** Minutes whose words are only in the unpublished draft (shown to their writers). */
  draft: boolean;
  /** Server-escaped text whose only markup is <mark>. */
  snippetHtml: string;
}

export interface SearchResults {
  items: SearchResult[];
  total: number;
  meetings: { items: MeetingSearchHit[]; total: number };
}

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SearchQuery {
  q: string;
  categoryId?: string;
  authorId?: string;
  countryId?: string;
  indicator?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}
