import { Type } from 'typebox';
import { DisplayNameSchema, LocaleSchema, PageQuery, RoleSchema, TimeZoneSchema, Timestamp } from '../../shared/schemas.js';

const DelegationRoleSchema = Type.Union([Type.Literal('focal_point'), Type.Literal('alternate'), Type.Null()]);

/** What any participant sees of another. */
export const PersonSchema = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  email: Type.String(),
  role: RoleSchema,
  countryId: Type.Union([Type.String(), Type.Null()]),
  organizationId: Type.Union([Type.String(), Type.Null()]),
  delegationRole: DelegationRoleSchema,
  jobTitle: Type.String(),
  bio: Type.String(),
  timeZone: Type.String(),
  locale: Type.String(),
});

export const MembershipSchema = Type.Object({
  id: Type.String(),
  slug: Type.String({ description: 'The group\'s address: /g/<slug>/ in the client, the x-concilia-group header in the API' }),
  name: Type.String(),
  role: PersonSchema.properties.role,
});

export const MeSchema = Type.Object({
  user: Type.Object({
    ...PersonSchema.properties,
    groupId: Type.String({ description: 'The group this request works in (x-concilia-group; the first of `groups`, the home group, when the request names none)' }),
    groupName: Type.String(),
    groupSlug: Type.String(),
    groups: Type.Array(MembershipSchema, { description: "Every group of the person, their home group first (the instance's first group when they belong to it, else their oldest): where requests naming no group work" }),
    instanceAdmin: Type.Boolean({ description: 'Administers the instance: its groups and its mail outbox' }),
  }),
});

export const AdminUserSchema = Type.Object({
  ...PersonSchema.properties,
  active: Type.Boolean(),
  joinedAt: Timestamp,
  deactivatedAt: Type.Union([Timestamp, Type.Null()]),
});

export const ProfileUpdateSchema = Type.Object(
  {
    displayName: Type.Optional(DisplayNameSchema),
    locale: Type.Optional(LocaleSchema),
    timeZone: Type.Optional(TimeZoneSchema),
    jobTitle: Type.Optional(Type.String({ maxLength: 160 })),
    bio: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

export const DirectorySchema = Type.Object({
  countries: Type.Array(
    Type.Object({
      countryId: Type.String(),
      focalPoint: Type.Union([PersonSchema, Type.Null()]),
      alternates: Type.Array(PersonSchema),
    }),
  ),
  organizations: Type.Array(Type.Object({ organizationId: Type.String(), people: Type.Array(PersonSchema) })),
  /** Admins or coordinators with neither a country nor an organization. */
  others: Type.Array(PersonSchema),
});

export const RoleChangeSchema = Type.Object(
  {
    role: RoleSchema,
    countryId: Type.Optional(Type.Union([Type.String({ minLength: 2, maxLength: 2 }), Type.Null()])),
    organizationId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const DelegationChangeSchema = Type.Object(
  { delegationRole: Type.Union([Type.Literal('focal_point'), Type.Literal('alternate')]) },
  { additionalProperties: false },
);

export const UserListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 120 })),
  role: Type.Optional(RoleSchema),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('deactivated')])),
  ...PageQuery,
});

/** Who and which countries an @-mention may name (GET /mentionable). */
export const MentionableSchema = Type.Object({
  people: Type.Array(Type.Object({ id: Type.String(), handle: Type.String(), displayName: Type.String(), countryId: Type.Union([Type.String(), Type.Null()]) })),
  countries: Type.Array(Type.Object({ code: Type.String(), nameEs: Type.String(), nameEn: Type.String() })),
});
