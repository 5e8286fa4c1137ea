/**
 * Shapes of the debates API (docs/debates-api.md), derived from the server's schemas: type-only
 * imports, so no server code reaches the bundle (tests/client/bundle.test.ts), and a field renamed
 * on the server no longer type-checks here.
 */
import type { Static } from 'typebox';
import type { AttachmentSchema, AuthorSchema, CategorySchema, PostSchema, RevisionSchema, ThreadDetailSchema, ThreadSummarySchema, WatchLevelSchema } from '../../../server/features/debates/schemas.js';
import type { CursorPage } from '../../app/models.js';

export type { CursorPage };

export type WatchLevel = Static<typeof WatchLevelSchema>;
export const WATCH_LEVELS = ['watching', 'normal', 'muted'] as const satisfies readonly WatchLevel[];

export type Author = Static<typeof AuthorSchema>;
export type Category = Static<typeof CategorySchema>;
export type ThreadSummary = Static<typeof ThreadSummarySchema>;
export type ThreadDetail = Static<typeof ThreadDetailSchema>;

/** A file attached to a post; its bytes are served at attachmentHref(id). */
export type Attachment = Static<typeof AttachmentSchema>;

/**
 * A post. `html` is sanitized on the server (allowlist) and null when the viewer may not see the
 * content; `attachments` (oldest first) are empty whenever `html` is null.
 */
export type Post = Static<typeof PostSchema>;
export type PostState = Post['state'];

export type Revision = Static<typeof RevisionSchema>;
