import { createHmac } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { SubjectRef } from './message.js';

/**
 * The tokens that stand for a person in a mail's links and addresses: 160 bits of HMAC-SHA256,
 * under the forum's mail key, of what the token stands for. Unguessable, the same every time for
 * the same person and thing (so a reply address is the same in every mail about one subject), and
 * stored (mail_tokens) to be read back. Lower-case base32 ([a-z2-7], 32 characters): case does not
 * matter (some mail systems lower-case an address's local part), "reply+" and a token fit the 64
 * characters of a local part, and the request log masks them like the other secret tokens of our URLs.
 */
export class MailTokens {
  constructor(private readonly secret: Buffer) {}

  private derive(purpose: string, parts: string[]): string {
    return encodeBase32LowerCaseNoPadding(createHmac('sha256', this.secret).update([purpose, ...parts].join('\n')).digest().subarray(0, 20));
  }

  /** A one-click unsubscribe token (RFC 8058 wants one per recipient): this person, this kind of mail. */
  unsubscribe(userId: string, kind: string): string {
    return this.derive('unsubscribe', [userId, kind]);
  }

  /** A reply token: this person, answering this subject. */
  reply(userId: string, subject: SubjectRef): string {
    return this.derive('reply', [userId, subject.kind, subject.id]);
  }
}

/** The shape every token has: anything else is refused before the database is asked. */
export const TOKEN_PATTERN = /^[a-z2-7]{32}$/;
