/**
 * One normal form for every paragraph of every version, so that a quote taken from one rendering
 * is found again in another and two versions compare by what a reader sees, not by how the file
 * encoded it: Unicode NFC (a decomposed "ó" from a Mac or a PDF equals the composed one), soft
 * hyphens and zero-width characters dropped (they are invisible and break matching), and every run
 * of whitespace (tabs, line ends, no-break and typographic spaces) one space, trimmed.
 *
 * Offsets into a paragraph (the TextPositionSelector hint) are JavaScript string indices (UTF-16
 * code units) of this normalized text.
 */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
const WHITESPACE = /[\s\u2028\u2029]+/g;

export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(INVISIBLE, '').replace(WHITESPACE, ' ').trim();
}

/** Paragraph breaks in text extracted from a PDF: a blank line, or a page break (form feed). */
const PARAGRAPH_BREAK = /\n[^\S\n]*\n|\f/;
/**
 * A word split at a line end by a hyphen ("infor-\nmación") when a lower-case letter follows: a
 * reflowed version breaks its lines elsewhere, and the two must compare equal. A capital after the
 * hyphen ("socio-\nEconómico") keeps it: more likely a real compound.
 */
const LINE_END_HYPHEN = /(\p{Ll})[-\u2010]\n(?=\p{Ll})/gu;

/** The paragraphs of a text as extracted from a PDF (or a plain text file), normalized, empty ones dropped. */
export function splitPlainParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(PARAGRAPH_BREAK)
    .map((paragraph) => normalizeText(paragraph.replace(LINE_END_HYPHEN, '$1')))
    .filter((paragraph) => paragraph.length > 0);
}
