import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TextExtractor } from '../../../server/plugins/files/text-extraction.js';
import { minimalDocx, minimalPdf } from '../../fixtures/documents.js';

const dir = mkdtempSync(path.join(tmpdir(), 'concilia-extraction-'));
const errors: string[] = [];
const extractor = new TextExtractor((message) => errors.push(message));
afterAll(async () => {
  await extractor.stop();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, bytes: Buffer | string) => {
  const full = path.join(dir, name);
  writeFileSync(full, bytes);
  return full;
};

describe('text extraction in a worker thread', () => {
  it('reads the text of a PDF, a DOCX and a text file, accents intact and spaces folded', async () => {
    expect(await extractor.extract(file('a.pdf', minimalPdf('Estimación   de la (población) rural')), 'pdf')).toBe('Estimación de la (población) rural');
    expect(await extractor.extract(file('b.docx', minimalDocx('Niñas & niños <5 años')), 'docx')).toBe('Niñas & niños <5 años');
    expect(await extractor.extract(file('c.csv', 'país;tasa\nPerú;12,5\n'), 'text')).toBe('país;tasa Perú;12,5');
  });

  it('yields no text for a damaged file, says why, and keeps working for the next one', async () => {
    errors.length = 0;
    expect(await extractor.extract(file('roto.pdf', '%PDF-1.4\nthis is not a pdf body'), 'pdf')).toBeNull();
    expect(await extractor.extract(file('roto.docx', 'PK\u0003\u0004 truncated zip'), 'docx')).toBeNull();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/text extraction failed/);
    expect(await extractor.extract(file('d.pdf', minimalPdf('sigue funcionando')), 'pdf')).toBe('sigue funcionando');
  });

  it('extracts several files at once, each answer to its own request', async () => {
    const words = ['uno', 'dos', 'tres', 'cuatro', 'cinco'];
    const texts = await Promise.all(words.map((word, i) => extractor.extract(file(`p${i}.pdf`, minimalPdf(`palabra ${word}`)), 'pdf')));
    expect(texts).toEqual(words.map((word) => `palabra ${word}`));
  });
});
