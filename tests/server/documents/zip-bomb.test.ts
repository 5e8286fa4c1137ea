import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextExtractor } from '../../../server/plugins/files/text-extraction.js';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { docxBomb, minimalDocx, minimalPdf, pdfBomb } from '../../fixtures/documents.js';
import { populate, type People } from '../debates/support.js';
import { metadata, upload } from './support.js';

/**
 * A DOCX is a ZIP archive, and a 1 MB ZIP can inflate to gigabytes. Text extraction must refuse
 * such a file without inflating it, or stop inflating it, and keep the process's memory bounded;
 * an honest large document must still have its text read without its memory growing with its size.
 * Memory is the process's resident set (the extraction worker is a thread of it), sampled every
 * 10 ms: loose bounds, far below what the files would take if inflated.
 */

const MB = 1024 * 1024;
const dir = mkdtempSync(path.join(tmpdir(), 'concilia-bomb-'));
const errors: string[] = [];
const extractor = new TextExtractor((message) => errors.push(message));
afterAll(async () => {
  await extractor.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function extractMeasured(name: string, bytes: Buffer, kind: 'docx' | 'pdf' = 'docx') {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    errors.length = 0;
    const text = await extractor.extract(file, kind);
    return { text, growthMb: (peak - before) / MB };
  } finally {
    clearInterval(sampler);
  }
}

/** A long report: `paragraphs` paragraphs of two runs each, as Word writes them. */
function longDocx(paragraphs: number): { bytes: Buffer; xmlBytes: number } {
  const body: string[] = [];
  for (let i = 0; i < paragraphs; i++) {
    body.push(
      `<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Párrafo ${i}: </w:t></w:r>` +
        `<w:r><w:t xml:space="preserve">la estimación de la población rural difiere entre fuentes en ${i % 97} puntos.</w:t></w:r></w:p>`,
    );
  }
  const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body.join('')}</w:body></w:document>`;
  const contentTypes = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
  const rels = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
  const bytes = Buffer.from(zipSync({ '[Content_Types].xml': strToU8(contentTypes), '_rels/.rels': strToU8(rels), 'word/document.xml': strToU8(xml) }));
  return { bytes, xmlBytes: Buffer.byteLength(xml) };
}

describe('text extraction of a DOCX zip bomb', () => {
  it('refuses a bomb that declares its size (1 MB inflating to 1 GB) before inflating it', async () => {
    const bomb = docxBomb(1024 * MB);
    expect(bomb.length).toBeLessThan(2 * MB);
    const { text, growthMb } = await extractMeasured('bomba.docx', bomb);
    expect(text).toBeNull();
    expect(errors.join('\n')).toMatch(/declare/);
    expect(growthMb).toBeLessThan(100);
  });

  it('stops inflating a bomb that lies about its size (declares 1 MB, inflates to 1 GB)', async () => {
    const { text, growthMb } = await extractMeasured('mentirosa.docx', docxBomb(1024 * MB, MB));
    expect(text).toBeNull();
    expect(errors).toHaveLength(1);
    expect(growthMb).toBeLessThan(100);
  });

  it('still reads the text of the next document', async () => {
    const { text } = await extractMeasured('normal.docx', minimalDocx('Población rural de Perú'));
    expect(text).toBe('Población rural de Perú');
  });

  it('reads a long report (27 MB of XML) with memory that does not grow with its size', async () => {
    const { bytes, xmlBytes } = longDocx(110_000);
    expect(xmlBytes).toBeGreaterThan(25 * MB);
    const { text, growthMb } = await extractMeasured('largo.docx', bytes);
    expect(errors).toEqual([]);
    expect(text).toMatch(/^Párrafo 0: la estimación de la población rural difiere entre fuentes en 0 puntos\. Párrafo 1: /);
    // The index keeps the first 2,000,000 characters of a document.
    expect(text!.length).toBe(2_000_000);
    expect(growthMb).toBeLessThan(150);
  }, 60_000);
});

describe('text extraction of a PDF whose content stream is a decompression bomb', () => {
  it('ends the extraction once the process has grown by its limit, gives the memory back, and reads the next PDF', async () => {
    const bomb = pdfBomb(512 * MB);
    expect(bomb.length).toBeLessThan(5 * MB);
    const before = process.memoryUsage().rss;
    const { text, growthMb } = await extractMeasured('bomba.pdf', bomb, 'pdf');
    expect(text).toBeNull();
    // Ended by the watchdog, not by the 60 s timeout.
    expect(errors.join('\n')).toMatch(/grew by/);
    // The limit is 320 MB; what is allocated between two samples comes on top.
    expect(growthMb).toBeLessThan(600);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((process.memoryUsage().rss - before) / MB).toBeLessThan(150);
    const next = await extractMeasured('normal.pdf', minimalPdf('Serie de población'), 'pdf');
    expect(next.text).toBe('Serie de población');
  }, 60_000);
});

describe('uploading a DOCX zip bomb', () => {
  let t: TestApp;
  let people: People;
  beforeAll(async () => {
    t = await buildTestApp();
    people = await populate(t.app);
  });
  afterAll(async () => t.close());

  it('stores the document without its text, serves it intact, and the server carries on', async () => {
    const bomb = docxBomb(1024 * MB);
    const before = process.memoryUsage().rss;
    const created = await upload(t.app, people.secretariat, { name: 'informe.docx', bytes: bomb }, metadata({ title: { es: 'Informe inflado', en: '' } }));
    expect(created.statusCode, created.body).toBe(201);
    expect((process.memoryUsage().rss - before) / MB).toBeLessThan(100);

    const search = async (q: string) => (await request(t.app, { method: 'GET', url: `/api/documents?q=${encodeURIComponent(q)}`, cookie: people.member.cookie })).json().total;
    expect(await search('descompresion')).toBe(0);
    expect(await search('Informe inflado')).toBe(1);

    const download = await request(t.app, { method: 'GET', url: `/api/documents/${created.json().document.id}/download`, cookie: people.member.cookie });
    expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(createHash('sha256').update(bomb).digest('hex'));

    const next = await upload(t.app, people.secretariat, { name: 'sano.docx', bytes: minimalDocx('documento sano después') }, metadata({ title: { es: 'Sano', en: '' } }));
    expect(next.statusCode).toBe(201);
    expect(await search('sano despues')).toBe(1);
  });
});
