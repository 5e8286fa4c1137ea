import { Marked, type Renderer, type RendererExtension, type Token, type TokenizerAndRendererExtension, type Tokens } from 'marked';
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

/** A task item's checkbox with the item's first line, rendered inside one <label>. */
interface TaskLabelToken extends Tokens.Generic {
  type: 'taskLabel';
  raw: string;
  checked: boolean;
  inline: Token[];
  paragraph: boolean;
}

interface MentionToken extends Tokens.Generic {
  type: 'mention';
  raw: string;
  target: string;
}

// A mention starts a word: "@CL" or "@ana.gomez", not "name@example.org".
const MENTION = /^@([A-Za-z][A-Za-z0-9._-]{1,39}[A-Za-z0-9]|[A-Z]{2})(?![A-Za-z0-9_@])/;
const MENTION_ANYWHERE = /(?<![A-Za-z0-9_@])@([A-Za-z][A-Za-z0-9._-]{1,39}[A-Za-z0-9])(?![A-Za-z0-9_@])/g;

/**
 * The handles a text may @mention, lower-cased: every candidate the renderer could ask its
 * resolver about (more, since code spans are not told apart), so that a resolver can look them up
 * before the render, which is synchronous.
 */
export function mentionCandidates(source: string): string[] {
  return [...new Set(Array.from(source.matchAll(MENTION_ANYWHERE), (match) => match[1]!.toLowerCase()))];
}

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'span', 'sup', 'sub',
  // A task list item's disabled checkbox, and the label that gives it the item's text as its name.
  'input', 'label',
];

/** The one form of <input> a text may hold: a task list item's checkbox, shown, never changed. */
const TASK_CHECKBOX = (checked: boolean) => ({ type: 'checkbox', disabled: '', ...(checked ? { checked: '' } : {}) });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'class', 'data-mention', 'target'],
    th: ['align'],
    td: ['align'],
    ol: ['start', 'class'],
    ul: ['class'],
    li: ['class'],
    code: ['class'],
    span: ['class'],
    input: ['type', 'disabled', 'checked'],
  },
  allowedClasses: {
    a: ['mention', 'mention-country'],
    code: [/^language-[\w-]+$/],
    span: ['mention'],
    ul: ['contains-task-list'],
    ol: ['contains-task-list'],
    li: ['task-list-item'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  // Raw HTML never reaches here as tags (the renderer escapes it); this is the second lock: any
  // <input> becomes a disabled checkbox keeping only its state, and one of another type is dropped.
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
  transformTags: {
    input: (tagName, attribs) => ({ tagName, attribs: attribs.type === 'checkbox' ? TASK_CHECKBOX('checked' in attribs) : { type: attribs.type ?? 'text' } }),
    a: (tagName, attribs) => {
      const internal = attribs.href?.startsWith('/') && !attribs.href.startsWith('//');
      return { tagName, attribs: internal ? attribs : { ...attribs, rel: 'nofollow ugc noopener noreferrer', target: '_blank' } };
    },
  },
};

/**
 * Sanitizes HTML with exactly the allowlist posts get, for other places that show such HTML (mail).
 * With a base URL, links to this site's own pages ("/people/...") become absolute: a mail is read
 * away from the site.
 */
export function sanitizeLikePosts(html: string, options: { baseUrl?: string } = {}): string {
  const { baseUrl } = options;
  if (!baseUrl) return sanitizeHtml(html, SANITIZE);
  const link = SANITIZE.transformTags!.a as (tagName: string, attribs: sanitizeHtml.Attributes) => sanitizeHtml.Tag;
  return sanitizeHtml(html, {
    ...SANITIZE,
    transformTags: {
      ...SANITIZE.transformTags,
      a: (tagName, attribs) => {
        const internal = attribs.href?.startsWith('/') && !attribs.href.startsWith('//');
        return internal ? { tagName, attribs: { ...attribs, href: `${baseUrl}${attribs.href}` } } : link(tagName, attribs);
      },
    },
  });
}

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
    const taskLabel: RendererExtension = {
      name: 'taskLabel',
      renderer(token) {
        const task = token as TaskLabelToken;
        const label = `<label><input type="checkbox" disabled${task.checked ? ' checked' : ''} /> ${this.parser.parseInline(task.inline)}</label>`;
        return task.paragraph ? `<p>${label}</p>\n` : label;
      },
    };
    this.marked = new Marked({ gfm: true, breaks: true, async: false, extensions: [mention, taskLabel] });
    this.marked.use({
      renderer: {
        // Raw HTML in a post is shown as text, never interpreted.
        html: ({ text }) => escapeHtml(text),
        // No remote images (tracking pixels, mixed content): an image becomes a link to it.
        image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
        list(this: Renderer, token: Tokens.List) {
          const tag = token.ordered ? 'ol' : 'ul';
          const start = token.ordered && token.start !== 1 ? ` start="${token.start}"` : '';
          const tasks = token.items.some((item) => item.task) ? ' class="contains-task-list"' : '';
          return `<${tag}${start}${tasks}>\n${token.items.map((item) => this.listitem(item)).join('')}</${tag}>\n`;
        },
        listitem(this: Renderer, item: Tokens.ListItem) {
          if (!item.task) return false;
          return `<li class="task-list-item">${this.parser.parse(labelledTask(item))}</li>\n`;
        },
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

/**
 * A task item's tokens with its checkbox moved into a label around the item's first line, so a
 * screen reader announces "checkbox, checked, <the item's text>" and the text names the box.
 * marked puts the checkbox first in the item (tight list) or first in its paragraph (loose list).
 */
function labelledTask(item: Tokens.ListItem): Token[] {
  const tokens = item.tokens.filter((token) => token.type !== 'checkbox');
  const first = tokens[0];
  const labelled = first?.type === 'text' || first?.type === 'paragraph' ? (first as Tokens.Text | Tokens.Paragraph) : null;
  const task: TaskLabelToken = {
    type: 'taskLabel',
    raw: labelled?.raw ?? '',
    checked: item.checked === true,
    inline: (labelled?.tokens ?? []).filter((token) => token.type !== 'checkbox'),
    paragraph: labelled?.type === 'paragraph',
  };
  return [task, ...(labelled ? tokens.slice(1) : tokens)];
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_m, entity: string) =>
    ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ' })[entity]!,
  );
}

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'hr']);

/**
 * This renderer's sanitized HTML as plain text that keeps its shape, for places that show no HTML
 * (calendar descriptions): paragraphs, headings, quotes and code apart by a blank line; list
 * items on their own lines ("- ", "1. ", a task's "[x] "), indented when nested; line breaks
 * kept; a link to another site followed by its address. Only ever given the sanitizer's output,
 * where a tag is exactly "<" up to the next ">" (see TAG).
 */
export function plainTextOf(html: string): string {
  let out = '';
  const lists: Array<{ ordered: boolean; next: number }> = [];
  const links: Array<string | null> = [];
  let pre = 0;
  let cellsInRow = 0;
  // Just after a list item's marker: its first paragraph starts on the marker's line.
  let itemStart = false;
  const trimLine = () => {
    out = out.replace(/[ \t]+$/, '');
  };
  const newLine = () => {
    trimLine();
    if (out !== '' && !out.endsWith('\n')) out += '\n';
  };
  const blankLine = () => {
    newLine();
    if (out !== '' && !out.endsWith('\n\n')) out += '\n';
  };
  for (const part of html.split(/(<[^>]*>)/)) {
    if (part === '') continue;
    const tag = /^<(\/?)([a-z][a-z0-9]*)\b([^>]*)>$/i.exec(part);
    if (!tag) {
      if (part.startsWith('<')) continue;
      let text = decodeEntities(part);
      if (pre === 0) {
        text = text.replace(/\s+/g, ' ');
        if (out === '' || out.endsWith('\n') || out.endsWith(' ')) text = text.trimStart();
      }
      if (text !== '') itemStart = false;
      out += text;
      continue;
    }
    const closing = tag[1] === '/';
    const name = tag[2]!.toLowerCase();
    const attributes = tag[3] ?? '';
    if (BLOCKS.has(name)) {
      if (name === 'pre') pre += closing ? -1 : 1;
      if (itemStart && !closing) continue;
      if (lists.length > 0) newLine();
      else blankLine();
      if (name === 'hr') out += '---\n\n';
    } else if (name === 'ul' || name === 'ol') {
      if (closing) lists.pop();
      else lists.push({ ordered: name === 'ol', next: Number(/\sstart="(\d+)"/.exec(attributes)?.[1] ?? 1) });
      if (lists.length === 0 || (!closing && lists.length === 1)) blankLine();
      else newLine();
    } else if (name === 'li' && !closing) {
      newLine();
      const list = lists.at(-1);
      out += `${'  '.repeat(Math.max(0, lists.length - 1))}${list?.ordered ? `${list.next++}.` : '-'} `;
      itemStart = true;
    } else if (name === 'br' || (name === 'tr' && !closing)) {
      newLine();
      cellsInRow = 0;
    } else if ((name === 'td' || name === 'th') && !closing) {
      if (cellsInRow++ > 0) {
        trimLine();
        out += ' | ';
      }
    } else if (name === 'input') {
      out += /\schecked\b/.test(attributes) ? '[x] ' : '[ ] ';
    } else if (name === 'a') {
      if (!closing) {
        const href = /\shref="([^"]*)"/.exec(attributes)?.[1];
        links.push(href && /^(https?|mailto):/i.test(href) ? decodeEntities(href) : null);
        out += '\u0000';
      } else {
        const href = links.pop();
        const start = out.lastIndexOf('\u0000');
        const text = out.slice(start + 1);
        out = out.slice(0, start) + text + (href && text.trim() !== href && `mailto:${text.trim()}` !== href ? ` (${href})` : '');
      }
    }
  }
  return out
    .replace(/\u0000/g, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
