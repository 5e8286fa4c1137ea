import { Type } from 'typebox';
import { EmailSchema, PasswordSchema, Timestamp, TokenSchema } from '../../shared/schemas.js';
import { MeSchema } from '../people/public.js';

export const LoginBody = Type.Object(
  {
    email: EmailSchema,
    // Not held to the current minimum: an older, shorter password must still be able to sign in.
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const PasswordChangeBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: PasswordSchema },
  { additionalProperties: false },
);

export const ResetLink = Type.Object({ url: Type.String(), expiresAt: Timestamp });
export const ResetTokenParams = Type.Object({ token: TokenSchema });
export const ResetInfo = Type.Object({ email: Type.String(), displayName: Type.String() });
export const ResetBody = Type.Object({ password: PasswordSchema }, { additionalProperties: false });

/** Who is signed in: the user GET /api/me answers, or null for a visitor who is not signed in. */
export const SessionSchema = Type.Object({ user: Type.Union([MeSchema.properties.user, Type.Null()]) });

export const ResetRequestBody = Type.Object({ email: EmailSchema }, { additionalProperties: false });
export const EmailChangeBody = Type.Object({ email: EmailSchema, currentPassword: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });
export const EmailChangeInfo = Type.Object({ pendingEmail: Type.String(), expiresAt: Timestamp });
