/**
 * E-mail addresses and header text, checked before anything reaches a message header. Shared by
 * the configuration (MAIL_FROM, SMTP_URL) and the mail plugin.
 */

// RFC 5322 dot-atom local part (no quoted strings: nobody in the group needs them, and they are
// where header tricks hide); a domain of LDH labels, Unicode letters allowed (IDN, which nodemailer
// encodes as punycode).
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

export function isDomainName(domain: string): boolean {
  if (domain.length === 0 || domain.length > 253) return false;
  return domain.split('.').every((label) => DOMAIN_LABEL.test(label));
}

/** A deliverable address: local@domain, at most 254 characters, no spaces, quotes or control characters. */
export function isMailAddress(address: string): boolean {
  if (address.length > 254) return false;
  const at = address.lastIndexOf('@');
  if (at < 1) return false;
  const local = address.slice(0, at);
  return local.length <= 64 && LOCAL_PART.test(local) && isDomainName(address.slice(at + 1));
}

/** The part after the @, lower-cased. */
export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * Text safe as (part of) a header value: line breaks, every other control character and Unicode's
 * line and paragraph separators become spaces, runs of spaces one, and the result is cut to `max`
 * characters. A display name or subject written by a person can then never start a header of its own.
 */
export function headerText(value: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return [...flat].slice(0, max).join('');
}

/** A display name for an address header: header text without the characters that delimit addresses. */
export const displayName = (name: string): string => headerText(name.replace(/[<>"\\]/g, ' '), 120);

export interface NamedAddress {
  name: string;
  address: string;
}

/**
 * "Name <local@domain>", "\"Name\" <local@domain>" or a bare address; null when it is none of these
 * or the address is not deliverable.
 */
export function parseNamedAddress(value: string): NamedAddress | null {
  if (/[\r\n]/.test(value)) return null;
  const trimmed = value.trim();
  const bracketed = /^(?:"([^"\\]*)"|([^<>"]*?))\s*<([^<>\s]+)>$/.exec(trimmed);
  if (bracketed) {
    const address = bracketed[3]!;
    const name = (bracketed[1] ?? bracketed[2] ?? '').trim();
    return isMailAddress(address) ? { name: displayName(name), address } : null;
  }
  return isMailAddress(trimmed) ? { name: '', address: trimmed } : null;
}
