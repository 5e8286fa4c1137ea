import { Type } from 'typebox';
import { DisplayNameSchema, EmailSchema, LocaleSchema, PageQuery, PasswordSchema, RoleSchema, TimeZoneSchema, Timestamp, TokenSchema } from '../../shared/schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const InvitationSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: RoleSchema,
  countryId: Nullable(Type.String()),
  organizationId: Nullable(Type.String()),
  invitedByName: Type.String(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  status: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('revoked'), Type.Literal('expired')]),
});

export const CreateInvitationBody = Type.Object(
  {
    email: EmailSchema,
    role: RoleSchema,
    countryId: Type.Optional(Nullable(Type.String({ minLength: 2, maxLength: 2 }))),
    organizationId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
    /** The language of the invitation mail (the inviter's by default). */
    locale: Type.Optional(LocaleSchema),
  },
  { additionalProperties: false },
);

export const CreatedInvitation = Type.Object({ invitation: InvitationSchema, acceptUrl: Type.String() });

export const InvitationListQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('all')])),
  ...PageQuery,
});

export const TokenParams = Type.Object({ token: TokenSchema });

export const InvitationPreview = Type.Object({
  email: Type.String(),
  existingAccount: Type.Boolean({ description: 'The address has an account (in another group): they join with it, signed in (POST /invitations/{token}/join), rather than create one' }),
  role: RoleSchema,
  countryId: Nullable(Type.String()),
  organizationId: Nullable(Type.String()),
  groupName: Type.String(),
  expiresAt: Timestamp,
});

export const AcceptBody = Type.Object(
  { displayName: DisplayNameSchema, password: PasswordSchema, locale: LocaleSchema, timeZone: TimeZoneSchema },
  { additionalProperties: false },
);
