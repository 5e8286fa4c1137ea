import { fold, stemsOf } from '../../../shared/full-text.js';
import { compareCodes, type Bilingual, type Framework } from './model.js';

/**
 * Suggests the indicators a text (a thread, a document, a case's note) is about, in Spanish or
 * English, so that a person can tag it in one click. It only suggests: nothing is tagged unless
 * someone accepts a suggestion.
 *
 * Two kinds of evidence, added up:
 * - A code the text names: "indicador 4.2", "ODS 3.1.2", "MDG 7.8", or a bare three-part code
 *   ("3.3.1"). A framework prefix (ODS/SDG, ODM/MDG) restricts the code to that family; a bare
 *   two-part number ("8.5") is ignored, as texts about indicators are full of values like it, and a
 *   code after "meta"/"target" names a target, not an indicator.
 * - Title words: the share of an indicator's title (in either language) the text contains, each
 *   word weighed by how rare it is among the catalogue's titles, so that "mortalidad materna" counts
 *   and "proporción de la población" does not. Words match in any form, through the Spanish and
 *   English stems the search uses (server/shared/full-text.ts): "niños" meets "niño", "estimates"
 *   meets "estimated", with or without accents.
 */

export interface TagReason {
  kind: 'code' | 'words';
  /** code: the code as the text wrote it. */
  text?: string;
  /** words: the title words found, as the title writes them. */
  words?: string[];
  language?: 'en' | 'es';
}
export interface TagSuggestion {
  framework: string;
  family: string;
  code: string;
  title: Bilingual;
  score: number;
  reasons: TagReason[];
}

const WORD = /[\p{L}\p{N}]+/gu;
/** Only this much of a long document is read. */
const SCAN_LIMIT = 200_000;
const STOP_WORDS = new Set(
  (
    'a al con como cada de del desglosada desglosado e el en entre la las los o para por que se segun sin sobre su sus u un una unos unas y ' +
    'all an and as at by for from in its of on or per that the their to which who with'
  ).split(' '),
);
/** Words about the catalogue itself ("el indicador", "la meta"), which say nothing of which indicator. */
const META_WORDS = new Set('indicador indicadores indicator indicators meta metas target targets objetivo objetivos goal goals ods odm sdg sdgs mdg mdgs'.split(' '));
/** A code: 4.1, 3.2.1, 3.b.1; not part of a longer number, nor a percentage. */
const CODE = /(?<![\p{L}\p{N}.,])(\d{1,2}\.[0-9a-z]{1,2}(?:\.\d{1,2})?)(?![\p{L}\p{N}]|[.,]\d|\s*%)/giu;
const FAMILY_BEFORE: Array<[RegExp, string]> = [
  [/\b(?:ods|sdg)s?\s*[-:]?\s*$/i, 'SDG'],
  [/\b(?:odm|mdg)s?\s*[-:]?\s*$/i, 'MDG'],
];
const INDICATOR_BEFORE = /\b(?:indicadore?s?|indicators?|ind\.)\s*(?:(?:ods|sdg|odm|mdg)s?\s*)?[-:]?\s*$/i;
const TARGET_BEFORE = /\b(?:metas?|targets?)\s*(?:(?:ods|sdg|odm|mdg)s?\s*)?[-:]?\s*$/i;

/** Score of a code named with a framework prefix or "indicator", and of a bare three-part code. */
const STRONG_CODE = 10;
const BARE_CODE = 6;
/** Score of a title fully present in the text; a partial one scores its share. */
const FULL_TITLE = 5;
const MIN_COVERAGE = 0.5;

interface TitleWord {
  text: string;
  stems: readonly string[];
  weight: number;
}
interface Entry {
  framework: string;
  family: string;
  order: number;
  code: string;
  title: Bilingual;
  words: Record<'en' | 'es', TitleWord[]>;
}

function contentWords(title: string): Array<{ text: string; stems: readonly string[] }> {
  const seen = new Set<string>();
  const words: Array<{ text: string; stems: readonly string[] }> = [];
  for (const [word] of title.matchAll(WORD)) {
    const folded = fold(word);
    if (STOP_WORDS.has(folded) || seen.has(folded)) continue;
    seen.add(folded);
    words.push({ text: word, stems: stemsOf(word) });
  }
  return words;
}

export class TagSuggester {
  private readonly entries: Entry[] = [];

  constructor(frameworks: readonly Framework[]) {
    const raw = frameworks.flatMap((framework, order) =>
      framework.indicators.map((indicator) => ({
        framework: framework.id,
        family: framework.family,
        order,
        code: indicator.code,
        title: indicator.title,
        en: contentWords(indicator.title.en),
        es: contentWords(indicator.title.es),
      })),
    );
    // How many indicators' titles hold each stem: rare stems tell more.
    const df = new Map<string, number>();
    for (const entry of raw) {
      const stems = new Set([...entry.en, ...entry.es].flatMap((w) => w.stems));
      for (const stem of stems) df.set(stem, (df.get(stem) ?? 0) + 1);
    }
    const n = Math.max(1, raw.length);
    const weigh = (w: { text: string; stems: readonly string[] }): TitleWord => ({ ...w, weight: Math.log(1 + n / Math.min(...w.stems.map((s) => df.get(s) ?? 1))) });
    for (const entry of raw) this.entries.push({ framework: entry.framework, family: entry.family, order: entry.order, code: entry.code, title: entry.title, words: { en: entry.en.map(weigh), es: entry.es.map(weigh) } });
  }

  suggest(text: string, options: { limit?: number } = {}): TagSuggestion[] {
    const scanned = text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text;
    const found = new Map<Entry, TagSuggestion>();
    const suggestion = (entry: Entry) => {
      let s = found.get(entry);
      if (!s) {
        s = { framework: entry.framework, family: entry.family, code: entry.code, title: entry.title, score: 0, reasons: [] };
        found.set(entry, s);
      }
      return s;
    };

    for (const m of scanned.matchAll(CODE)) {
      const code = m[1]!.toLowerCase();
      const before = scanned.slice(Math.max(0, m.index - 40), m.index);
      if (TARGET_BEFORE.test(before)) continue;
      const family = FAMILY_BEFORE.find(([pattern]) => pattern.test(before))?.[1] ?? null;
      const named = family !== null || INDICATOR_BEFORE.test(before);
      if (!named && code.split('.').length < 3) continue;
      for (const entry of this.entries) {
        if (entry.code.toLowerCase() !== code || (family !== null && entry.family !== family)) continue;
        const s = suggestion(entry);
        if (s.reasons.some((r) => r.kind === 'code')) continue;
        s.score += named ? STRONG_CODE : BARE_CODE;
        s.reasons.push({ kind: 'code', text: m[1]! });
      }
    }

    const textStems = new Set<string>();
    for (const [word] of scanned.matchAll(WORD)) {
      const folded = fold(word);
      if (STOP_WORDS.has(folded) || META_WORDS.has(folded)) continue;
      for (const stem of stemsOf(word)) textStems.add(stem);
    }
    for (const entry of this.entries) {
      let best: { coverage: number; matched: TitleWord[]; language: 'en' | 'es' } | null = null;
      for (const language of ['es', 'en'] as const) {
        const words = entry.words[language];
        if (words.length === 0) continue;
        const matched = words.filter((w) => w.stems.some((stem) => textStems.has(stem)));
        const total = words.reduce((sum, w) => sum + w.weight, 0);
        const coverage = total > 0 ? matched.reduce((sum, w) => sum + w.weight, 0) / total : 0;
        if (matched.length >= Math.min(2, words.length) && (!best || coverage > best.coverage)) best = { coverage, matched, language };
      }
      if (!best || best.coverage < MIN_COVERAGE) continue;
      const s = suggestion(entry);
      s.score += FULL_TITLE * best.coverage;
      s.reasons.push({ kind: 'words', words: best.matched.map((w) => w.text), language: best.language });
    }

    return [...found]
      .map(([entry, s]) => ({ entry, s: { ...s, score: Math.round(s.score * 100) / 100 } }))
      .sort((a, b) => b.s.score - a.s.score || a.entry.order - b.entry.order || compareCodes(a.entry.code, b.entry.code))
      .map(({ s }) => s)
      .slice(0, options.limit ?? 10);
  }
}
