/**
 * What the full-text searches (debates, documents, meetings) share: word forms, query building and
 * safe highlighting.
 *
 * Every FTS5 table folds case and accents (unicode61 remove_diacritics 2) and has, besides its text
 * columns, a `stems` column: the Spanish and English Snowball stems of every word of the row, once
 * each. A query word matches its own folded form (the last word as a prefix) or any of its stems, so
 * "cifra nacional" finds "cifras nacionales" and "estimate" finds "estimated". The language of a
 * text is not known (people write both, often in one post), hence both stemmers; a word found in
 * its exact form also scores in the text column, which the rank weighs above `stems`.
 *
 * PostgreSQL's tsvector tables (migrations/pg/0004_full_text_search.sql) hold the same words and the
 * same `stems`, and take the same query as a tsquery (`tsquery()`), so a search finds the same rows
 * on both engines.
 */
import { LRUCache } from 'lru-cache';
import { stemmer as englishStem } from '@orama/stemmers/english';
import { stemmer as spanishStem } from '@orama/stemmers/spanish';

// Private-use characters mark the highlights in snippet(): after the snippet is HTML-escaped they
// become <mark> tags, so a match can never be confused with markup typed by a user.
export const HIGHLIGHT_OPEN = '\ue000';
export const HIGHLIGHT_CLOSE = '\ue001';

/** Words as FTS5's unicode61 tokenizer sees them: runs of letters and digits. */
const WORD = /[\p{L}\p{N}]+/gu;
const MAX_QUERY_WORDS = 12;

/** Lower case without accents, as the FTS tables store words ("Población" → "poblacion"). */
export const fold = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

// Stemming costs a few microseconds a word; posts repeat the same words, so the stems of recent
// words are remembered (a bounded cache: a few hundred kilobytes).
const stemCache = new LRUCache<string, readonly string[]>({ max: 8_000 });

/**
 * The stems a word is indexed and searched under, folded: the Spanish stem of the word as written
 * (the Spanish stemmer needs the accents: "estimación" → "estim") and of its folded form (so a word
 * typed without its accents still meets the same stem), and the English stem of the folded form.
 */
export function stemsOf(word: string): readonly string[] {
  const lower = word.toLowerCase();
  let stems = stemCache.get(lower);
  if (stems) return stems;
  const folded = fold(lower);
  const found = new Set([spanishStem(folded), englishStem(folded)]);
  if (folded !== lower) found.add(fold(spanishStem(lower)));
  stems = [...found];
  stemCache.set(lower, stems);
  return stems;
}

/** The `stems` column of a row made of these texts: each distinct stem once, separated by spaces. */
export function stemText(...texts: string[]): string {
  const stems = new Set<string>();
  for (const text of texts) for (const [word] of text.matchAll(WORD)) for (const stem of stemsOf(word)) stems.add(stem);
  return [...stems].join(' ');
}

interface QueryWord {
  folded: string;
  prefix: boolean;
  stems: ReadonlySet<string>;
}

/**
 * What a person typed, as an FTS5 query (`match`) and as the words a snippet highlights. Every word
 * must occur in one of its forms; no FTS5 syntax (quotes, NEAR, column filters, operators) can be
 * injected: only letters and digits reach the query, each inside quotes.
 */
export class FullTextQuery {
  readonly match: string;
  private readonly words: QueryWord[];

  private constructor(words: string[]) {
    // Only the last word is a prefix (the person may still be typing it): prefix expansion is the
    // costly part of an FTS5 query on a large index. Stems are never prefixes.
    this.words = words.map((word, index) => ({
      folded: fold(word),
      prefix: index === words.length - 1 && word.length >= 3,
      stems: new Set(stemsOf(word)),
    }));
    this.match = this.words
      .map(({ folded, prefix, stems }) => {
        const forms = [`"${folded}"${prefix ? '*' : ''}`, ...[...stems].filter((stem) => stem !== folded).map((stem) => `"${stem}"`)];
        return forms.length === 1 ? forms[0] : `(${forms.join(' OR ')})`;
      })
      .join(' AND ');
  }

  /**
   * The same query for PostgreSQL's tsvector tables (migrations/pg/0004_full_text_search.sql): the
   * same forms, every word required, the last one as a prefix. The lexemes are quoted and cast, never
   * parsed, so they meet the index's words exactly; only letters and digits reach them. `weights`
   * (e.g. 'AC') limits every form to the columns indexed under those weights, as an FTS5 column
   * filter does.
   */
  tsquery(weights = ''): string {
    const lexeme = (text: string, prefix: boolean) => `'${text}'${prefix || weights ? `:${prefix ? '*' : ''}${weights}` : ''}`;
    return this.words
      .map(({ folded, prefix, stems }) => {
        const forms = [lexeme(folded, prefix), ...[...stems].filter((stem) => stem !== folded).map((stem) => lexeme(stem, false))];
        return forms.length === 1 ? forms[0] : `(${forms.join(' | ')})`;
      })
      .join(' & ');
  }

  /** What a statement's `match ?` takes on this engine: FTS5's query on SQLite, a tsquery on PostgreSQL. */
  on(engine: 'sqlite' | 'postgres'): string {
    return engine === 'sqlite' ? this.match : this.tsquery();
  }

  /** Null when nothing searchable is left. */
  static parse(q: string): FullTextQuery | null {
    const words = q.match(WORD);
    return words ? new FullTextQuery(words.slice(0, MAX_QUERY_WORDS)) : null;
  }

  /** Which query word (its index) this word of a text is a form of, or -1. */
  private wordMatched(word: string): number {
    const folded = fold(word);
    let stems: readonly string[] | null = null;
    for (let i = 0; i < this.words.length; i += 1) {
      const query = this.words[i]!;
      if (query.prefix ? folded.startsWith(query.folded) : folded === query.folded) return i;
      stems ??= stemsOf(word);
      if (stems.some((stem) => query.stems.has(stem))) return i;
    }
    return -1;
  }

  /**
   * The best passage of these texts (the first one that holds the most query words, `size` words
   * long) as HTML whose only markup is <mark> around each form of a query word; `score` counts the
   * distinct query words in it. Only the first `scanLimit` characters of a text are read.
   */
  snippet(texts: string[], size = 16, scanLimit = 200_000): { html: string; score: number } {
    let best: { text: string; start: number; end: number; marks: Array<[number, number]>; score: number; truncatedStart: boolean; truncatedEnd: boolean } | null = null;
    for (const full of texts) {
      const text = full.length > scanLimit ? full.slice(0, scanLimit) : full;
      const tokens = [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, query: this.wordMatched(m[0]) }));
      if (tokens.length === 0) continue;
      // Slide a window of `size` words and keep the one with the most distinct query words.
      let bestStart = 0;
      let bestScore = -1;
      const counts = new Map<number, number>();
      for (let i = 0; i < tokens.length; i += 1) {
        const entering = tokens[i]!.query;
        if (entering >= 0) counts.set(entering, (counts.get(entering) ?? 0) + 1);
        const leavingIndex = i - size;
        if (leavingIndex >= 0) {
          const leaving = tokens[leavingIndex]!.query;
          if (leaving >= 0) {
            const left = counts.get(leaving)! - 1;
            if (left === 0) counts.delete(leaving);
            else counts.set(leaving, left);
          }
        }
        if (i >= Math.min(size, tokens.length) - 1 && counts.size > bestScore) {
          bestScore = counts.size;
          bestStart = Math.max(0, i - size + 1);
        }
      }
      if (best && bestScore <= best.score) continue;
      const window = tokens.slice(bestStart, bestStart + size);
      best = {
        text,
        start: bestStart === 0 ? 0 : window[0]!.start,
        end: bestStart + size >= tokens.length ? full.length : window[window.length - 1]!.end,
        marks: window.filter((token) => token.query >= 0).map((token) => [token.start, token.end]),
        score: bestScore,
        truncatedStart: bestStart > 0,
        truncatedEnd: bestStart + size < tokens.length || full.length > text.length,
      };
    }
    if (!best) return { html: '', score: 0 };
    let marked = '';
    let at = best.start;
    for (const [start, end] of best.marks) {
      marked += best.text.slice(at, start) + HIGHLIGHT_OPEN + best.text.slice(start, end) + HIGHLIGHT_CLOSE;
      at = end;
    }
    marked += best.text.slice(at, Math.min(best.end, best.text.length));
    return { html: highlight(`${best.truncatedStart ? '…' : ''}${marked.trim()}${best.truncatedEnd ? '…' : ''}`), score: best.score };
  }

  /**
   * Adds marks to a snippet FTS5 made (which marks only the exact forms it matched) around the
   * other forms of the query words: "cifras" when "cifra" was asked for.
   */
  markForms(ftsSnippet: string): { html: string; score: number } {
    const found = new Set<number>();
    let inside = false;
    let html = '';
    let at = 0;
    for (const m of ftsSnippet.matchAll(new RegExp(`${HIGHLIGHT_OPEN}|${HIGHLIGHT_CLOSE}|[\\p{L}\\p{N}]+`, 'gu'))) {
      html += ftsSnippet.slice(at, m.index);
      at = m.index + m[0].length;
      if (m[0] === HIGHLIGHT_OPEN || m[0] === HIGHLIGHT_CLOSE) {
        inside = m[0] === HIGHLIGHT_OPEN;
        html += m[0];
        continue;
      }
      const query = this.wordMatched(m[0]);
      if (query >= 0) found.add(query);
      html += query >= 0 && !inside ? HIGHLIGHT_OPEN + m[0] + HIGHLIGHT_CLOSE : m[0];
    }
    html += ftsSnippet.slice(at);
    return { html: highlight(html), score: found.size };
  }
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A snippet() result as HTML whose only markup is <mark>. */
export const highlight = (snippet: string) => escapeHtml(snippet).replaceAll(HIGHLIGHT_OPEN, '<mark>').replaceAll(HIGHLIGHT_CLOSE, '</mark>');
