/**
 * The new text of a reply by mail: the quoted history and the signature removed.
 *
 * Written here rather than taken from a library: email-reply-parser (the maintained one) needs
 * Node 22, planer and node-email-reply-parser know English and a few northern European languages
 * but not "El ... escribió:" or "Em ... escreveu:", and the group writes in Spanish, English,
 * Portuguese and French. What mail programs put above a quotation in those four languages is a
 * short, known list (Gmail, Outlook, Thunderbird, Apple Mail, Yahoo), and it is all this needs.
 *
 * Cut at the first of:
 *  - an attribution line: "On <date>, <name> wrote:", "El <fecha>, <nombre> escribió:",
 *    "Em <data>, <nome> escreveu:", "Le <date>, <nom> a écrit :" (a line or up to three wrapped
 *    ones, holding a time of day or an address);
 *  - an Outlook header block: "From:/De:/Von:" followed by at least two of "Sent:/Enviado:/Envoyé :/
 *    Date:/Fecha:/Data:/To:/Para:/À :/Subject:/Asunto:/Assunto:/Objet :" (with the line of
 *    underscores Outlook draws above it);
 *  - "-----Original Message-----" and its translations;
 *  - the signature delimiter "-- ".
 * Then quoted lines ("> ") left at the end go, and a mobile signature ("Sent from my iPhone",
 * "Enviado desde mi iPhone", "Get Outlook for Android" ...) on the last line. Quoted lines between
 * the person's own paragraphs (an answer interleaved with what it answers) stay: they read as
 * Markdown quotations in the post.
 */

const ATTRIBUTION = [
  /^\s*On\s[\s\S]{1,300}?\bwrote\s*:\s*$/i,
  /^\s*El\s[\s\S]{1,300}?\bescribi[óo]\s*:\s*$/i,
  /^\s*Em\s[\s\S]{1,300}?\bescreveu\s*:\s*$/i,
  /^\s*Le\s[\s\S]{1,300}?\ba\s+[ée]crit\s*:\s*$/i,
];

// A line of a person's own that starts "El ... escribió:" is possible; one with a time of day or an
// address in it, as every mail program's attribution has, is not likely.
const TIME_OR_ADDRESS = /\d{1,2}\s?[:h]\s?\d{2}|@/;

const HEADER_FROM = /^\s*\*?(From|De|Von)\s?:\*?\s/i;
const HEADER_OTHER = /^\s*\*?(Sent|Date|Enviado|Enviada|Fecha|Data|Envoy[ée]|Gesendet|To|Para|À|Cc|Subject|Asunto|Assunto|Objet|Betreff)\s?:\*?(\s|$)/i;
const ORIGINAL_MESSAGE = /^\s*-{2,}\s*(Original Message|Reply Message|Forwarded message|Mensaje original|Mensaje reenviado|Mensagem original|Mensagem encaminhada|Message d'origine|Message d’origine|Message original|Message transféré)\s*-{2,}\s*$/i;
const UNDERSCORES = /^\s*_{10,}\s*$/;
const SIGNATURE = /^--\s?$/;
const MOBILE_SIGNATURE =
  /^\s*(Sent from (my )?\S.*|Enviado desde (mi )?\S.*|Enviado do (meu )?\S.*|Envoy[ée] de (mon )?\S.*|Get Outlook for \S.*|Obtener Outlook para \S.*|Obter o Outlook para \S.*|Télécharger Outlook pour \S.*)$/i;

function isAttribution(lines: string[], index: number): boolean {
  for (let span = 1; span <= 3 && index + span <= lines.length; span++) {
    const window = lines.slice(index, index + span).join('\n');
    if (TIME_OR_ADDRESS.test(window) && ATTRIBUTION.some((pattern) => pattern.test(window))) return true;
  }
  return false;
}

function isHeaderBlock(lines: string[], index: number): boolean {
  if (!HEADER_FROM.test(lines[index]!)) return false;
  let others = 0;
  for (let next = index + 1; next < Math.min(lines.length, index + 7); next++) {
    if (HEADER_OTHER.test(lines[next]!)) others++;
    else if (lines[next]!.trim() !== '') break;
  }
  return others >= 2;
}

/** Where the quoted history starts, or the length when there is none. */
function quoteStart(lines: string[]): number {
  // Apple Mail on phones quotes the attribution line itself ("> On 2 Mar 2026, at 10:15, ... wrote:").
  const unquoted = lines.map((line) => line.replace(/^(>[ \t]?)+/, ''));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (SIGNATURE.test(line) || ORIGINAL_MESSAGE.test(unquoted[i]!) || isAttribution(unquoted, i) || isHeaderBlock(lines, i)) {
      // Outlook's line of underscores just above its header block goes with it.
      let start = i;
      while (start > 0 && (lines[start - 1]!.trim() === '' || UNDERSCORES.test(lines[start - 1]!))) start--;
      return start;
    }
    if (UNDERSCORES.test(line) && i + 1 < lines.length && isHeaderBlock(lines, i + 1)) return i;
  }
  return lines.length;
}

export function stripReply(text: string): string {
  let lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines = lines.slice(0, quoteStart(lines));
  // Quoted lines (and the blank lines between them) left at the end, then a mobile signature.
  const trimEnd = () => {
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  };
  trimEnd();
  while (lines.length > 0 && /^\s*>/.test(lines[lines.length - 1]!)) {
    lines.pop();
    trimEnd();
  }
  if (lines.length > 0 && MOBILE_SIGNATURE.test(lines[lines.length - 1]!)) {
    lines.pop();
    trimEnd();
  }
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  return lines.map((line) => line.replace(/\s+$/, '')).join('\n');
}
