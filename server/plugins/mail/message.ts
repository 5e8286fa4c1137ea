import { sanitizeLikePosts, plainTextOf } from '../markdown/render.js';
import { headerText } from '../../shared/mail-address.js';
import type { Locale } from '../../shared/roles.js';
import { mailTexts } from './i18n.js';
import type { OutboxContent } from './tables.js';

/**
 * A thing mail can be about: `{ kind, id }` as the subject registry (issue 13) names it. Declared
 * here by shape so the mail plugin stands alone; the subjects plugin's type is the same.
 */
export interface SubjectRef {
  kind: string;
  id: string;
}

/**
 * One piece of a mail's body. Our own texts (`text`, `heading`, an `action`'s label) are plain
 * text, escaped in the HTML part; a person's writing comes as `markdown` (rendered and sanitized
 * as a post is) or as `html` a feature rendered earlier (a post's stored HTML: sanitized again).
 */
export type MailBlock =
  | { text: string }
  | { heading: string }
  | { markdown: string }
  | { html: string }
  | { action: { label: string; url: string } };

export interface MailContent {
  /** Plain text; made safe for the header (no line breaks, at most 200 characters). */
  subject: string;
  /** "Hello Ana," on top (default true). */
  greeting?: boolean;
  blocks: MailBlock[];
}

export interface CalendarPart {
  /** The iTIP method: REQUEST (an invitation or a change), CANCEL, REPLY or PUBLISH. Must match the METHOD inside. */
  method: 'REQUEST' | 'CANCEL' | 'REPLY' | 'PUBLISH';
  /** The whole VCALENDAR, as the .ics files are made (the same UID and SEQUENCE). */
  ics: string;
}

/** What composing a message needs to know besides its content. */
export interface ComposeContext {
  locale: Locale;
  recipientName: string;
  publicUrl: string;
  /** The kind's label in the recipient's language: the footer says why the mail came and offers to stop it. Null for account mail. */
  kindLabel: string | null;
  unsubscribeUrl: string | null;
  preferencesUrl: string;
  /** A reply address was set: the footer says replies are welcome. */
  replyable: boolean;
  renderMarkdown: (source: string) => string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Only http(s) links go into a button: a feature's URL is ours, but a javascript: one must never become one. */
const safeUrl = (url: string) => (/^https?:\/\//i.test(url) ? url : null);

const STYLE = {
  body: 'margin:0;padding:0;background:#f4f5f7;',
  page: 'max-width:600px;margin:0 auto;padding:24px 16px;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2933;background:#ffffff;',
  heading: 'font-size:18px;margin:24px 0 8px;',
  button: 'display:inline-block;padding:10px 18px;background:#0b5cad;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:600;',
  footer: 'margin-top:32px;padding-top:12px;border-top:1px solid #d9dde3;font-size:13px;color:#52606d;',
};

/** The HTML and plain-text parts of a mail: greeting, blocks, and the footer every mail carries. */
export function composeBody(content: MailContent, context: ComposeContext): { subject: string; text: string; html: string } {
  const t = mailTexts(context.locale);
  const subject = headerText(content.subject);
  const html: string[] = [];
  const text: string[] = [];
  if (content.greeting !== false) {
    const greeting = t.greeting(headerText(context.recipientName, 120));
    html.push(`<p>${escapeHtml(greeting)}</p>`);
    text.push(greeting);
  }
  for (const block of content.blocks) {
    if ('text' in block) {
      html.push(`<p>${escapeHtml(block.text).replace(/\r?\n/g, '<br>')}</p>`);
      text.push(block.text);
    } else if ('heading' in block) {
      html.push(`<h2 style="${STYLE.heading}">${escapeHtml(block.heading)}</h2>`);
      text.push(`${block.heading}\n${'='.repeat(Math.min([...block.heading].length, 60))}`);
    } else if ('markdown' in block || 'html' in block) {
      const rendered = 'markdown' in block ? context.renderMarkdown(block.markdown) : block.html;
      const safe = sanitizeLikePosts(rendered, { baseUrl: context.publicUrl });
      html.push(`<div>${safe}</div>`);
      text.push(plainTextOf(safe).trim());
    } else {
      const url = safeUrl(block.action.url);
      if (!url) continue;
      html.push(`<p><a href="${escapeHtml(url)}" style="${STYLE.button}">${escapeHtml(block.action.label)}</a></p>`);
      text.push(`${block.action.label}: ${url}`);
    }
  }

  const footerHtml: string[] = [];
  const footerText: string[] = [];
  if (context.replyable) {
    footerHtml.push(escapeHtml(t.replyHint));
    footerText.push(t.replyHint);
  }
  footerHtml.push(escapeHtml(context.kindLabel === null ? t.footerTransactional : t.footerWhy(context.kindLabel)));
  footerText.push(context.kindLabel === null ? t.footerTransactional : t.footerWhy(context.kindLabel));
  const links: string[] = [];
  if (context.unsubscribeUrl && context.kindLabel !== null) {
    links.push(`<a href="${escapeHtml(context.unsubscribeUrl)}" style="color:#52606d">${escapeHtml(t.unsubscribe(context.kindLabel))}</a>`);
    footerText.push(`${t.unsubscribe(context.kindLabel)}: ${context.unsubscribeUrl}`);
  }
  links.push(`<a href="${escapeHtml(context.preferencesUrl)}" style="color:#52606d">${escapeHtml(t.preferences)}</a>`);
  footerText.push(`${t.preferences}: ${context.preferencesUrl}`);
  footerHtml.push(links.join(' · '));

  return {
    subject,
    // "-- " opens the footer as a signature: a reply quoting the whole mail loses it with the signature rules.
    text: `${text.join('\n\n')}\n\n-- \n${footerText.join('\n')}\n`,
    html:
      `<!doctype html><html lang="${context.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>` +
      `<body style="${STYLE.body}"><div style="${STYLE.page}">${html.join('\n')}` +
      `<div style="${STYLE.footer}">${footerHtml.map((line) => `<p style="margin:4px 0">${line}</p>`).join('')}</div></div></body></html>`,
  };
}

/**
 * An id-left for a Message-ID: characters outside letters, digits, '-' and '.' are written as
 * '=XX' (hex of their UTF-8 bytes), so any kind or id gives a valid and distinct msg-id.
 */
function idPart(value: string): string {
  return Array.from(new TextEncoder().encode(value), (byte) => {
    const char = String.fromCharCode(byte);
    return /[A-Za-z0-9-]/.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/**
 * The Message-ID that stands for a subject as the root of its mail thread. No mail carries it;
 * every mail about the subject names it in In-Reply-To and References, and mail clients (Gmail,
 * Outlook, Thunderbird, Apple Mail) put messages sharing a parent in one conversation.
 */
export function threadRootId(subject: SubjectRef, domain: string): string {
  return `<subject.${idPart(subject.kind)}.${idPart(subject.id)}@${domain}>`;
}

/** The Message-ID of one outbox row: derived from its id, so every attempt to send it carries the same one. */
export function outboxMessageId(rowId: string, domain: string): string {
  return `<${idPart(rowId)}@${domain}>`;
}

/** A msg-id as another message gave it (a bounce answers one): nothing but one bracketed id. */
const MSG_ID = /^<[^<>\s"()\\,;:]{1,200}@[^<>\s"()\\,;:]{1,200}>$/;

/** The headers a mail gets from what it is: threading, unsubscribing, and that a machine sent it. */
export function mailHeaders(options: {
  about: SubjectRef | null;
  domain: string;
  unsubscribeUrl: string | null;
  /** For notification kinds (List-Id lets people filter them); account mail is no list. */
  listId: string | null;
  autoSubmitted: 'auto-generated' | 'auto-replied';
  inReplyTo?: string;
}): Pick<OutboxContent, 'headers' | 'inReplyTo' | 'references'> {
  const headers: Record<string, string> = { 'Auto-Submitted': options.autoSubmitted };
  if (options.listId) headers['List-Id'] = options.listId;
  if (options.unsubscribeUrl) {
    // RFC 8058: the https URI takes a POST of "List-Unsubscribe=One-Click", with no session.
    headers['List-Unsubscribe'] = `<${options.unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const parent = (options.inReplyTo && MSG_ID.test(options.inReplyTo) ? options.inReplyTo : undefined) ?? (options.about ? threadRootId(options.about, options.domain) : undefined);
  if (!parent) return { headers };
  return { headers, inReplyTo: parent, references: [parent] };
}
