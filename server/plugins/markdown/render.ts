import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** What a Markdown text mentions: people by handle, countries by ISO 3166-1 alpha-2 code (upper case). */
export interface Mentions {
  handles: string[];
  countryCodes: string[];
}

export interface MentionResolver {
  /** User id for a handle, or undefined when nobody has it (the text then stays plain). */
  personId(handle: string): string | undefined;
  /** True when the upper-case code names a member country. */
  isCountry(code: string): boolean;
}

export interface RenderedMarkdown {
  /** Sanitized HTML: the only form of user text a page ever shows. */
  html: string;
  /** Plain text, for search and notification excerpts. */
  text: string;
  mentions: Mentions;
}

interface MentionToken extends Tokens.Generic {
  type: 'mention';
  raw: string;
  target: string;
}

// A mention starts a word: "@CL" or "@ana.gomez", not "name@example.org".
const MENTION = /^@([A-Za-z][A-Za-z0-9._-]{1,39}[A-Za-z0-9]|[A-Z]{2})(?![A-Za-z0-9_@])/;

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'span', 'sup', 'sub',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'class', 'data-mention', 'target'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
    code: ['class'],
    span: ['class'],
  },
  allowedClasses: { a: ['mention', 'mention-country'], code: [/^language-[\w-]+$/], span: ['mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName, attribs) => {
      const internal = attribs.href?.startsWith('/') && !attribs.href.startsWith('//');
      return { tagName, attribs: internal ? attribs : { ...attribs, rel: 'nofollow ugc noopener noreferrer', target: '_blank' } };
    },
  },
};

// Only ever applied to the sanitizer's own output, where every "<" outside a tag is escaped (as is
// every "<" or ">" inside an attribute value): a tag is exactly "<" up to the next ">". A second
// sanitizer pass over it cost a third of the render.
const TAG = /<[^>]*>/g;
const BLOCK_END = /<\/(p|li|h[1-6]|tr|td|th|pre|blockquote)>|<br\s*\/?>/g;

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Markdown for posts: GitHub-flavoured (tables for figures, fenced code), raw HTML treated as
 * text, @mentions turned into links, and the result passed through an allowlist sanitizer.
 * One instance serves every request; the resolver is looked up per render.
 */
export class MarkdownRenderer {
  private resolver: MentionResolver | null = null;
  private collected: Mentions = { handles: [], countryCodes: [] };
  private readonly marked: Marked;

  constructor() {
    const mention: TokenizerAndRendererExtension = {
      name: 'mention',
      level: 'inline',
      start: (src) => {
        const index = src.search(/(^|[^A-Za-z0-9_@])@[A-Za-z]/);
        return index < 0 ? undefined : src[index] === '@' ? index : index + 1;
      },
      tokenizer: (src) => {
        const match = MENTION.exec(src);
        if (!match) return undefined;
        return { type: 'mention', raw: match[0], target: match[1]! } satisfies MentionToken;
      },
      renderer: (token) => this.renderMention((token as MentionToken).target, token.raw),
    };
    this.marked = new Marked({ gfm: true, breaks: true, async: false, extensions: [mention] });
    this.marked.use({
      renderer: {
        // Raw HTML in a post is shown as text, never interpreted.
        html: ({ text }) => escapeHtml(text),
        // No remote images (tracking pixels, mixed content): an image becomes a link to it.
        image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
      },
    });
  }

  private renderMention(target: string, raw: string): string {
    const resolver = this.resolver;
    if (!resolver) return escapeHtml(raw);
    if (/^[A-Z]{2}$/.test(target) && resolver.isCountry(target)) {
      if (!this.collected.countryCodes.includes(target)) this.collected.countryCodes.push(target);
      return `<a class="mention mention-country" data-mention="${target}" href="/directory#country-${target.toLowerCase()}">@${target}</a>`;
    }
    const handle = target.toLowerCase();
    const personId = resolver.personId(handle);
    if (!personId) return escapeHtml(raw);
    if (!this.collected.handles.includes(handle)) this.collected.handles.push(handle);
    return `<a class="mention" data-mention="${escapeHtml(handle)}" href="/people/${encodeURIComponent(personId)}">@${escapeHtml(handle)}</a>`;
  }

  render(source: string, resolver: MentionResolver): RenderedMarkdown {
    this.resolver = resolver;
    this.collected = { handles: [], countryCodes: [] };
    try {
      const raw = this.marked.parse(source) as string;
      const html = sanitizeHtml(raw, SANITIZE);
      const text = decodeEntities(html.replace(BLOCK_END, ' ').replace(TAG, '')).replace(/\s+/g, ' ').trim();
      return { html, text, mentions: this.collected };
    } finally {
      this.resolver = null;
    }
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_m, entity: string) =>
    ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ' })[entity]!,
  );
}
