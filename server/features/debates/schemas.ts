import { Type } from 'typebox';
import { OptionalWithDefault, PageLimit, PageOffset, RoleSchema, Timestamp } from '../../shared/schemas.js';
import { INDICATOR_REF_MAX_LENGTH, INDICATOR_REF_PATTERN } from '../indicators/public.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const WatchLevelSchema = Type.Union([Type.Literal('watching'), Type.Literal('normal'), Type.Literal('muted')]);
export const RoleListSchema = Nullable(Type.Array(RoleSchema, { maxItems: 5, uniqueItems: true }));

export const AuthorSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  handle: Type.String(),
  role: RoleSchema,
  countryId: Nullable(Type.String()),
  organizationId: Nullable(Type.String()),
});

export const CategorySchema = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  nameEs: Type.String(),
  nameEn: Type.String(),
  descriptionEs: Type.String(),
  descriptionEn: Type.String(),
  position: Type.Integer(),
  startRoles: RoleListSchema,
  mayStart: Type.Boolean(),
  threadCount: Type.Integer(),
  watchLevel: WatchLevelSchema,
});

const Slug = Type.String({ minLength: 2, maxLength: 60, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' });
const Name = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });
const Description = Type.String({ maxLength: 1000 });

export const CreateCategorySchema = Type.Object(
  {
    slug: Slug,
    nameEs: Name,
    nameEn: Name,
    descriptionEs: Type.Optional(Description),
    descriptionEn: Type.Optional(Description),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
    startRoles: Type.Optional(RoleListSchema),
  },
  { additionalProperties: false },
);

export const UpdateCategorySchema = Type.Object(
  {
    slug: Type.Optional(Slug),
    nameEs: Type.Optional(Name),
    nameEn: Type.Optional(Name),
    descriptionEs: Type.Optional(Description),
    descriptionEn: Type.Optional(Description),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
    startRoles: Type.Optional(RoleListSchema),
  },
  { additionalProperties: false },
);

export const ThreadSummarySchema = Type.Object({
  id: Type.String(),
  categoryId: Type.String(),
  title: Type.String(),
  author: AuthorSchema,
  createdAt: Timestamp,
  lastActivityAt: Timestamp,
  replyCount: Type.Integer(),
  participatingCountries: Type.Array(Type.String()),
  unreadCount: Type.Integer(),
  pinned: Type.Boolean(),
  locked: Type.Boolean(),
  tags: Type.Array(Type.String()),
  indicatorCodes: Type.Array(Type.String()),
  watchLevel: WatchLevelSchema,
  outcome: Nullable(Type.Object({ excerpt: Type.String(), at: Timestamp })),
  concluded: Type.Boolean(),
});

export const ThreadDetailSchema = Type.Object({
  ...ThreadSummarySchema.properties,
  version: Type.Integer(),
  firstUnreadPostId: Nullable(Type.String()),
  lastReadSeq: Type.Integer(),
  postCount: Type.Integer(),
  /** The thing of another feature whose discussion this thread is (a discrepancy case), as the reader may see it; absent for a thread of the group's lists. */
  subject: Type.Optional(Type.Object({ kind: Type.String(), id: Type.String(), title: Type.String(), href: Type.String() })),
});

export const AttachmentSchema = Type.Object({ id: Type.String(), fileName: Type.String(), mime: Type.String(), size: Type.Integer() });

export const PostSchema = Type.Object({
  id: Type.String(),
  threadId: Type.String(),
  seq: Type.Integer(),
  parentId: Nullable(Type.String()),
  depth: Type.Integer(),
  inReplyTo: Nullable(Type.Object({ postId: Type.String(), authorName: Type.String() })),
  author: AuthorSchema,
  createdAt: Timestamp,
  editedAt: Nullable(Timestamp),
  revisionCount: Type.Integer(),
  state: Type.Union([Type.Literal('visible'), Type.Literal('withdrawn'), Type.Literal('hidden')]),
  html: Nullable(Type.String()),
  hiddenReason: Nullable(Type.String()),
  agreeCount: Type.Integer(),
  attachments: Type.Array(AttachmentSchema),
  agreedByMe: Type.Boolean(),
  mayEdit: Type.Boolean(),
  mayModerate: Type.Boolean(),
});

/** An earlier (or the current) text of a post, with who wrote it. */
export const RevisionSchema = Type.Object({ number: Type.Integer(), html: Type.String(), editedAt: Type.String(), editor: AuthorSchema });

const Tag = Type.String({ minLength: 1, maxLength: 40, pattern: '^[^\\s,][^,]*$' });
// An MDG 2008 code ("4.1"), or any indicator of the catalogue as `<version id>:<code>` (server/features/indicators).
const IndicatorCode = Type.String({ minLength: 3, maxLength: INDICATOR_REF_MAX_LENGTH, pattern: INDICATOR_REF_PATTERN });
export const Body = Type.String({ minLength: 1, maxLength: 50_000, pattern: '\\S' });
const Title = Type.String({ minLength: 3, maxLength: 200, pattern: '\\S' });

export const CreateThreadSchema = Type.Object(
  {
    categoryId: Type.String({ minLength: 1, maxLength: 64 }),
    title: Title,
    body: Body,
    tags: Type.Optional(Type.Array(Tag, { maxItems: 10 })),
    indicatorCodes: Type.Optional(Type.Array(IndicatorCode, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const UpdateThreadSchema = Type.Object(
  { title: Type.Optional(Title), tags: Type.Optional(Type.Array(Tag, { maxItems: 10 })), indicatorCodes: Type.Optional(Type.Array(IndicatorCode, { maxItems: 20 })) },
  { additionalProperties: false },
);

export const ThreadListQuery = Type.Object(
  {
    categoryId: Type.Optional(Type.String({ maxLength: 64 })),
    tag: Type.Optional(Type.String({ maxLength: 40 })),
    indicator: Type.Optional(Type.String({ maxLength: INDICATOR_REF_MAX_LENGTH })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: PageLimit(50, 25),
  },
  { additionalProperties: false },
);

export const PostPageQuery = Type.Object(
  {
    view: OptionalWithDefault(Type.Union([Type.Literal('tree'), Type.Literal('chronological')], { default: 'tree' })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: PageLimit(100, 50),
  },
  { additionalProperties: false },
);

/** The search's parameters for posts (besides `q`, which the search feature reads): filters and paging. */
export const PostSearchParams = {
  categoryId: Type.Optional(Type.String({ maxLength: 64 })),
  authorId: Type.Optional(Type.String({ maxLength: 64 })),
  countryId: Type.Optional(Type.String({ maxLength: 2 })),
  indicator: Type.Optional(Type.String({ maxLength: INDICATOR_REF_MAX_LENGTH })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: PageLimit(50, 20),
  offset: PageOffset(1000),
};

/** A post found by the search. */
export const PostHitSchema = Type.Object({
  threadId: Type.String(),
  threadTitle: Type.String(),
  postId: Type.String(),
  seq: Type.Integer(),
  categoryId: Type.String(),
  author: AuthorSchema,
  createdAt: Timestamp,
  snippetHtml: Type.String(),
});

export const EmptyBody = Type.Object({}, { additionalProperties: false });
