import { TextDecoder } from 'node:util';
import { Readable, pipeline } from 'node:stream';
import { parse, CsvError } from 'csv-parse';

/**
 * Reading tabular files row by row for imports that are validated first and applied all or nothing:
 * an importer yields one outcome per data row (a value, the reasons it is refused, or why it is
 * skipped); collect() keeps the values only while no row has been refused, so a bad row in the
 * middle of a large file costs no more memory than a good one, and every refusal is listed.
 *
 * Row numbers are the line a record starts on, the header being 1: what an editor shows, and what a
 * spreadsheet shows for any file without line breaks inside quoted fields.
 */

export interface RowError {
  row: number;
  code: string;
  message: string;
  column?: string;
  value?: string;
}

export type RowOutcome<T> = { row: number; value: T } | { row: number; errors: RowError[] } | { row: number; skipped: string };

/** A problem with the file as a whole (not a table, no header, a column missing): nothing is imported. */
export class ImportFileError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly row: number = 1,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export interface ImportReport<T> {
  /** True when no row was refused: `accepted` then holds every value, otherwise nothing. */
  ok: boolean;
  /** Data rows read (blank lines aside). */
  rows: number;
  accepted: T[];
  skipped: number;
  refusedRows: number;
  /** Oldest row first; at most maxErrors of them. */
  errors: RowError[];
  errorCount: number;
  errorsTruncated: boolean;
}

export const DEFAULT_MAX_ERRORS = 1_000;

export interface CollectOptions<T> {
  maxErrors?: number;
  /**
   * Hands each accepted value over instead of keeping it (`accepted` stays empty): for a caller that
   * stores the values as they come (in chunks, provisionally) rather than holding a large file's
   * values in memory. Awaited before the next row is read. No value is handed over after the first
   * refusal, which `onRefused` is told of, once, so the caller can drop what it stored.
   */
  onValue?: (value: T) => void | Promise<void>;
  onRefused?: () => void | Promise<void>;
}

export async function collect<T>(outcomes: AsyncIterable<RowOutcome<T>>, options: CollectOptions<T> = {}): Promise<ImportReport<T>> {
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  let accepted: T[] = [];
  const errors: RowError[] = [];
  let rows = 0;
  let skipped = 0;
  let refusedRows = 0;
  let errorCount = 0;
  const refuse = async (list: RowError[]) => {
    refusedRows += 1;
    errorCount += list.length;
    for (const error of list) if (errors.length < maxErrors) errors.push(error);
    accepted = []; // nothing will be imported: let the values go
    if (refusedRows === 1) await options.onRefused?.();
  };
  try {
    for await (const outcome of outcomes) {
      rows += 1;
      if ('value' in outcome) {
        if (refusedRows > 0) continue;
        if (options.onValue) await options.onValue(outcome.value);
        else accepted.push(outcome.value);
      } else if ('errors' in outcome) await refuse(outcome.errors);
      else skipped += 1;
    }
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    await refuse([{ row: error.row, code: error.code, message: error.message }]);
  }
  return { ok: refusedRows === 0, rows, accepted, skipped, refusedRows, errors, errorCount, errorsTruncated: errorCount > errors.length };
}

/** A header as a lookup key: no accents, case, brackets, spaces or punctuation ("[Reporting Type]" → "reportingtype"). */
export const headerKey = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

export type TextInput = string | Uint8Array | Readable | AsyncIterable<string | Uint8Array>;

/** Bytes read before the encoding is decided. */
const SNIFF_BYTES = 64 * 1024;
/** A record larger than this is a broken file (an unclosed quote swallowing the rest), not data. */
const MAX_RECORD_CHARS = 1024 * 1024;

async function* chunksOf(input: TextInput): AsyncGenerator<string | Uint8Array> {
  if (typeof input === 'string' || input instanceof Uint8Array) yield input;
  else yield* input as AsyncIterable<string | Uint8Array>;
}

/**
 * Text from bytes: UTF-8, unless the first 64 KB are not valid UTF-8, in which case the file is read
 * as Windows-1252 (what Excel writes as "CSV" on a Spanish Windows). A UTF-8 file that turns invalid
 * later is refused rather than partly garbled, and so is text holding U+0000: no CSV has one (a
 * UTF-16 "Unicode text" file has one in every other byte), and PostgreSQL stores none.
 */
async function* decodeText(input: TextInput): AsyncGenerator<string> {
  for await (const text of decodeBytes(input)) {
    if (text.includes('\u0000')) {
      throw new ImportFileError('bad_encoding', 'The file holds NUL characters, so it is not UTF-8 text (a "Unicode text" file is UTF-16). Save it as "CSV UTF-8" and try again.');
    }
    yield text;
  }
}

async function* decodeBytes(input: TextInput): AsyncGenerator<string> {
  const prefix: Uint8Array[] = [];
  let prefixBytes = 0;
  let decoder: TextDecoder | null = null;
  let first = true;
  const decode = (bytes: Uint8Array, stream: boolean) => {
    try {
      return decoder!.decode(bytes, { stream });
    } catch {
      throw new ImportFileError('bad_encoding', 'The file is not valid UTF-8 text. Save it as "CSV UTF-8" and try again.');
    }
  };
  const choose = () => {
    const head = Buffer.concat(prefix);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
      decoder = new TextDecoder('utf-8', { fatal: true });
    } catch {
      decoder = new TextDecoder('windows-1252');
    }
    return decode(head, true);
  };
  for await (const chunk of chunksOf(input)) {
    if (typeof chunk === 'string') {
      yield first && chunk.startsWith('\ufeff') ? chunk.slice(1) : chunk;
      first = false;
      continue;
    }
    first = false;
    if (decoder) {
      yield decode(chunk, true);
      continue;
    }
    prefix.push(chunk);
    prefixBytes += chunk.byteLength;
    if (prefixBytes >= SNIFF_BYTES) yield choose();
  }
  if (!decoder && prefixBytes > 0) yield choose();
  if (decoder) yield decode(new Uint8Array(0), false);
}

/** The separator of the header line: a semicolon or a tab only when the line has no comma outside quotes. */
function detectDelimiter(head: string): string {
  const line = head.split('\n', 1)[0]!.replace(/"[^"]*"/g, '');
  if (line.includes(',')) return ',';
  if (line.includes(';')) return ';';
  if (line.includes('\t')) return '\t';
  return ',';
}

export interface CsvRecord {
  row: number;
  cells: string[];
}

/**
 * The records of a CSV file, header first, blank lines skipped. Quoted fields may hold separators,
 * quotes ("") and line breaks; the separator (comma, semicolon or tab) is read from the header.
 * Throws ImportFileError for a file that is empty, not text, or not well-formed CSV.
 */
export async function* csvRecords(input: TextInput, options: { onDelimiter?: (delimiter: string) => void } = {}): AsyncGenerator<CsvRecord> {
  const text = decodeText(input);
  let head = '';
  let next = await text.next();
  while (!next.done) {
    head += next.value;
    if (head.includes('\n') || head.length >= SNIFF_BYTES) break;
    next = await text.next();
  }
  async function* replay() {
    if (head) yield head;
    if (next.done) return;
    for (;;) {
      const more = await text.next();
      if (more.done) return;
      if (more.value) yield more.value;
    }
  }
  const delimiter = detectDelimiter(head);
  options.onDelimiter?.(delimiter);
  const parser = parse({ delimiter, relax_column_count: true, info: true, max_record_size: MAX_RECORD_CHARS, skip_empty_lines: false });
  pipeline(Readable.from(replay()), parser, () => {
    // Errors reach the loop below through the parser; an early stop by the reader is not one.
  });
  let endOfPrevious = 0;
  let any = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const row = endOfPrevious + 1;
      endOfPrevious = info.lines;
      if (record.every((cell) => cell.trim() === '')) continue;
      any = true;
      yield { row, cells: record };
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? endOfPrevious + 1;
      throw new ImportFileError('malformed_csv', `The file is not well-formed CSV near line ${line}: ${error.message}`, line);
    }
    throw error;
  } finally {
    parser.destroy();
  }
  if (!any) throw new ImportFileError('empty_file', 'The file has no rows.');
}
