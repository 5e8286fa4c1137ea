import { Lexer, type Token, type Tokens } from 'marked';
import { Parser } from 'htmlparser2';
import { buildStructure, type BlockRole, type DocumentStructure, type RawBlock } from './structure.js';

/**
 * The structure of a Markdown document written in Concilia, from marked's lexer (the same Markdown
 * the forum renders). Each block's text is what the rendered page shows: no Markdown syntax, links
 * as their words, entities decoded, images left out (they show no text), raw HTML literal (the
 * forum's renderer escapes it, so a reader sees the tags as text).
 *
 * A lone level-1 heading that opens the document is its title. Lists, tables, quotes and code blocks
 * are split into paragraphs (one per list item, table row, quoted paragraph, code block), so each can
 * be commented on by itself.
 */

const ENTITY = /&(?:#\d{1,7}|#x[\da-f]{1,6}|[a-z][a-z\d]{1,31});/gi;

function decodeEntity(entity: string): string {
  let text = '';
  const parser = new Parser({ ontext: (chunk) => (text += chunk) }, { decodeEntities: true });
  parser.end(entity);
  return text;
}
const decodeEntities = (text: string) => (text.includes('&') ? text.replace(ENTITY, decodeEntity) : text);

function inlineText(tokens: readonly Token[] | undefined): string {
  if (!tokens) return '';
  let out = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
        out += 'tokens' in token && token.tokens ? inlineText(token.tokens) : decodeEntities(token.text);
        break;
      case 'escape':
      case 'codespan':
      case 'html':
        out += token.text;
        break;
      case 'br':
        out += ' ';
        break;
      case 'image':
      case 'checkbox':
        break;
      default:
        out += 'tokens' in token && token.tokens ? inlineText(token.tokens) : 'text' in token && typeof token.text === 'string' ? decodeEntities(token.text) : '';
    }
  }
  return out;
}

function collect(tokens: readonly Token[], out: RawBlock[], role: BlockRole, topLevel: boolean): void {
  const paragraph = (text: string, as: BlockRole = role) => out.push({ kind: 'paragraph', level: 0, text, role: as });
  for (const token of tokens) {
    switch (token.type) {
      case 'heading': {
        const heading = token as Tokens.Heading;
        if (topLevel) out.push({ kind: 'heading', level: heading.depth, text: inlineText(heading.tokens) });
        else paragraph(inlineText(heading.tokens));
        break;
      }
      case 'paragraph':
      case 'text':
        paragraph('tokens' in token && token.tokens ? inlineText(token.tokens) : decodeEntities(token.text));
        break;
      case 'list':
        for (const item of (token as Tokens.List).items) {
          const own = item.tokens.filter((child) => child.type !== 'list');
          paragraph(own.map((child) => blockText(child)).join(' '), 'list-item');
          collect(
            item.tokens.filter((child) => child.type === 'list'),
            out,
            role,
            false,
          );
        }
        break;
      case 'blockquote':
        collect((token as Tokens.Blockquote).tokens, out, 'quote', false);
        break;
      case 'code':
        paragraph(token.text, 'code');
        break;
      case 'table': {
        const table = token as Tokens.Table;
        const row = (cells: Tokens.TableCell[]) => cells.map((cell) => inlineText(cell.tokens)).join(' | ');
        paragraph(row(table.header), 'table-row');
        for (const cells of table.rows) paragraph(row(cells), 'table-row');
        break;
      }
      case 'html':
        paragraph(token.text);
        break;
      default:
        // space, hr, def: nothing a reader comments on.
        break;
    }
  }
}

/** A block token inside a list item, as one run of text. */
function blockText(token: Token): string {
  if (token.type === 'code' || token.type === 'html') return token.text;
  if (token.type === 'blockquote') return (token as Tokens.Blockquote).tokens.map(blockText).join(' ');
  if ('tokens' in token && token.tokens) return inlineText(token.tokens);
  return 'text' in token && typeof token.text === 'string' ? decodeEntities(token.text) : '';
}

export function structureFromMarkdown(markdown: string): DocumentStructure {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const raw: RawBlock[] = [];
  collect(tokens, raw, 'text', true);
  const firstContent = raw.findIndex((block) => block.text.trim() !== '');
  const topLevel = raw.filter((block) => block.kind === 'heading' && block.level === 1 && block.text.trim() !== '');
  if (firstContent >= 0 && topLevel.length === 1 && raw[firstContent] === topLevel[0]) raw[firstContent] = { ...raw[firstContent]!, kind: 'title' };
  return buildStructure('markdown', raw);
}
