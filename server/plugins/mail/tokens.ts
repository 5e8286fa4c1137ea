import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeBase32IgnorePadding, encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { SubjectRef } from './message.js';

/** Bytes of HMAC-SHA256 kept in a signature: 128 bits, 26 base32 characters. */
const SIGNATURE_BYTES = 16;
const SIGNATURE_CHARS = 26;

/**
 * Tokens that stand for a person in a mail link or address, made with the forum's mail key. All of
 * them are lower-case base32 ([a-z2-7]): case-insensitive (some mail systems lower-case an address's
 * local part) and masked in the request log like the other secret tokens of our URLs.
 */
export class MailTokens {
  constructor(private readonly secret: Buffer) {}

  private mac(purpose: string, payload: string): Buffer {
    return createHmac('sha256', this.secret).update(`${purpose}\n${payload}`).digest();
  }

  /**
   * An unsubscribe token for one person and one kind (RFC 8058 wants one per recipient, and the
   * person and kind it stands for must come from the link alone: no session). Never expires: a
   * mail read months later must still let its reader stop the next ones.
   */
  unsubscribe(userId: string, kind: string): string {
    const payload = `${userId}\n${kind}`;
    const signature = this.mac('unsubscribe', payload).subarray(0, SIGNATURE_BYTES);
    return encodeBase32LowerCaseNoPadding(new TextEncoder().encode(payload)) + encodeBase32LowerCaseNoPadding(signature);
  }

  /** The person and kind of an unsubscribe token, or null when it is not one we signed. */
  readUnsubscribe(token: string): { userId: string; kind: string } | null {
    if (!/^[a-z2-7]+$/.test(token) || token.length <= SIGNATURE_CHARS) return null;
    let payload: string;
    let signature: Uint8Array;
    try {
      payload = new TextDecoder('utf-8', { fatal: true }).decode(decodeBase32IgnorePadding(token.slice(0, -SIGNATURE_CHARS).toUpperCase()));
      signature = decodeBase32IgnorePadding(token.slice(-SIGNATURE_CHARS).toUpperCase());
    } catch {
      return null;
    }
    const expected = this.mac('unsubscribe', payload).subarray(0, SIGNATURE_BYTES);
    if (signature.length !== SIGNATURE_BYTES || !timingSafeEqual(signature, expected)) return null;
    const [userId, kind, ...rest] = payload.split('\n');
    if (!userId || !kind || rest.length > 0) return null;
    return { userId, kind };
  }

  /**
   * The reply token of one person for one subject: 160 bits derived from the three, so the address
   * is the same in every mail about the subject and is stored once (mail_reply_tokens maps it back).
   * 32 characters: "reply+" and the token stay well inside the 64 a local part may have.
   */
  reply(userId: string, subject: SubjectRef): string {
    return encodeBase32LowerCaseNoPadding(this.mac('reply', `${userId}\n${subject.kind}\n${subject.id}`).subarray(0, 20));
  }
}
