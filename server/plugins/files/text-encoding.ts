import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * The encodings text files (CSV, TXT) arrive in: UTF-8 (with or without a byte order mark), UTF-16
 * with a byte order mark (Excel's "Unicode text", Notepad's "Unicode"), and Windows-1252 (what
 * Excel and older Windows programs in Spanish, Portuguese, French and English write by default).
 * Decoding is the platform's TextDecoder (WHATWG encodings, ICU).
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Characters no text file holds: C0 controls other than tab, line feed, vertical tab, form feed and
 * carriage return, DEL, and C1 controls (which Windows-1252 yields only for the five bytes it leaves
 * undefined). Binary data decoded as text is full of them.
 */
const NOT_TEXT = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/;

async function byteOrderMark(file: string): Promise<TextEncoding | null> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(3), 0, 3, 0);
    if (bytesRead >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return 'utf-8';
    if (bytesRead >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) return 'utf-16le';
    if (bytesRead >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) return 'utf-16be';
    return null;
  } finally {
    await handle.close();
  }
}

/** True when the whole file decodes in `encoding` without error to characters text holds (streamed: any size). */
async function decodesAsText(file: string, encoding: TextEncoding): Promise<boolean> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
      if (NOT_TEXT.test(decoder.decode(chunk as Buffer, { stream: true }))) return false;
    }
    return !NOT_TEXT.test(decoder.decode());
  } catch {
    // A byte sequence invalid in this encoding (fatal decoder), or an odd number of UTF-16 bytes.
    return false;
  }
}

/**
 * The encoding of a text file, or null when it is not text. A byte order mark decides; without one,
 * a file that is valid UTF-8 throughout is UTF-8, and otherwise Windows-1252 if every byte means a
 * text character there. The whole file is read: a sample would call UTF-8 a file whose accented
 * letters first appear after its plain-ASCII beginning.
 */
export async function detectTextEncoding(file: string): Promise<TextEncoding | null> {
  const marked = await byteOrderMark(file);
  if (marked) return (await decodesAsText(file, marked)) ? marked : null;
  if (await decodesAsText(file, 'utf-8')) return 'utf-8';
  return (await decodesAsText(file, 'windows-1252')) ? 'windows-1252' : null;
}

/** Text of `bytes` in `encoding`, its byte order mark dropped. */
export const decodeText = (bytes: Uint8Array, encoding: TextEncoding) => new TextDecoder(encoding).decode(bytes);
