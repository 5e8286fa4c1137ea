import { detectTextEncoding, type TextEncoding } from './text-encoding.js';

/**
 * The types the library accepts, by extension, with the content type served and what the content
 * must look like: a magic-bytes type as `file-type` names it, or `text` (CSV, TXT: no signature;
 * checked instead to be text in one of the encodings of text-encoding.ts, which the served type's
 * charset then names). Office Open XML and OpenDocument files are ZIP archives: some writers order
 * their entries so only "zip" is recognisable, which is accepted for them too.
 */
const ALLOWED = {
  pdf: { mime: 'application/pdf', content: ['pdf'], extractor: 'pdf' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content: ['docx', 'zip'], extractor: 'docx' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: ['xlsx', 'zip'], extractor: null },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', content: ['pptx', 'zip'], extractor: null },
  odt: { mime: 'application/vnd.oasis.opendocument.text', content: ['odt', 'zip'], extractor: null },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', content: ['ods', 'zip'], extractor: null },
  odp: { mime: 'application/vnd.oasis.opendocument.presentation', content: ['odp', 'zip'], extractor: null },
  zip: { mime: 'application/zip', content: ['zip'], extractor: null },
  csv: { mime: 'text/csv', content: ['text'], extractor: 'text' },
  txt: { mime: 'text/plain', content: ['text'], extractor: 'text' },
  png: { mime: 'image/png', content: ['png'], extractor: null },
  jpg: { mime: 'image/jpeg', content: ['jpg'], extractor: null },
  jpeg: { mime: 'image/jpeg', content: ['jpg'], extractor: null },
} as const satisfies Record<string, { mime: string; content: readonly string[]; extractor: 'pdf' | 'docx' | 'text' | null }>;

export type Extractor = 'pdf' | 'docx' | 'text';
export const ACCEPTED_EXTENSIONS = Object.keys(ALLOWED);

export type TypeCheck =
  | { ok: true; mime: string; extractor: Extractor | null; encoding: TextEncoding | null }
  | { ok: false; code: 'unsupported_type' | 'type_mismatch'; message: string };

const extensionOf = (fileName: string) => /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';

/** Shown inline by browsers (their PDF viewer, an image); everything else downloads. */
export const opensInline = (mime: string) => mime === 'application/pdf' || mime === 'image/png' || mime === 'image/jpeg';

/** Checks the extension against the allowlist and the content against the extension. */
export async function checkFileType(fileName: string, file: string): Promise<TypeCheck> {
  const extension = extensionOf(fileName);
  const allowed = (ALLOWED as Record<string, (typeof ALLOWED)[keyof typeof ALLOWED]>)[extension];
  if (!allowed) {
    return { ok: false, code: 'unsupported_type', message: `Files of this type are not accepted. Accepted: ${ACCEPTED_EXTENSIONS.map((e) => `.${e}`).join(', ')}.` };
  }
  // What claims to be text is decoded first: signatures are a few loose bytes, and a UTF-16 byte
  // order mark (FF FE) passes for an MPEG audio frame. Binary content fails the decoding within its
  // first bytes. Text, served as text with nosniff, cannot be anything else in a browser.
  const encoding = (allowed.content as readonly string[]).includes('text') ? await detectTextEncoding(file) : null;
  // Loaded on the first upload: its signature tables are some 4 MB a server that never takes a file need not hold.
  const detected = encoding ? undefined : await (await import('file-type')).fileTypeFromFile(file);
  const content = encoding ? 'text' : detected ? detected.ext : 'unknown';
  if (!(allowed.content as readonly string[]).includes(content)) {
    return { ok: false, code: 'type_mismatch', message: `The file's content is not what its extension (.${extension}) says${detected ? ` (it looks like ${detected.ext.toUpperCase()})` : ''}.` };
  }
  return { ok: true, mime: encoding ? `${allowed.mime}; charset=${encoding}` : allowed.mime, extractor: allowed.extractor, encoding };
}

/**
 * Characters a file name may not hold: controls (C0, DEL, C1), format characters (bidi embeddings,
 * overrides, isolates and marks, zero-width spaces and joiners, the BOM, the word joiner, the soft
 * hyphen), line and paragraph separators and lone surrogates. Each either hides in the name or
 * changes how it reads ("invoice\u202Egpj.pdf" shows as "invoicefdp.jpg"), and the name is shown
 * to everyone. Refused rather than stripped: the name kept is then the name the person sees on
 * their own disk, and the answer tells which character to remove.
 */
const HIDDEN_OR_REORDERING = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

export type FileNameCheck = { ok: true; name: string } | { ok: false; message: string };

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The uploaded name as kept for display and downloads, or why it is unusable: a path (any slash or
 * backslash, or a name of dots only), a character that hides or reorders text (above), nothing left
 * after trimming. Never used as a path: files are stored under their SHA-256.
 */
export function checkFileName(raw: string): FileNameCheck {
  const hidden = HIDDEN_OR_REORDERING.exec(raw);
  if (hidden) {
    return { ok: false, message: `The file name holds an invisible or direction-changing character (${codePoint(hidden[0])}, at position ${[...raw.slice(0, hidden.index)].length + 1}): rename the file without it.` };
  }
  const name = raw.normalize('NFC').trim();
  if (name === '' || /^\.+$/.test(name)) return { ok: false, message: 'The file has no usable name.' };
  if (/[/\\]/.test(name)) return { ok: false, message: 'The file name must be a plain name, without folders.' };
  if (name.length <= 200) return { ok: true, name };
  const extension = extensionOf(name);
  return { ok: true, name: `${name.slice(0, 200 - extension.length - 1)}.${extension}` };
}
