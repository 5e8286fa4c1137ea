import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveAnchor } from '../../server/features/rounds/domain/anchors.js';
import type { Comment } from '../../server/features/rounds/domain/comments.js';
import type { Disposition } from '../../server/features/rounds/domain/dispositions.js';
import { structureFromMarkdown } from '../../server/features/rounds/domain/markdown.js';
import { buildMatrix } from '../../server/features/rounds/domain/matrix.js';
import { MATRIX_STYLES_CSP, matrixHtml } from '../../server/features/rounds/domain/matrix-export.js';
import type { RoundState } from '../../server/features/rounds/domain/round.js';
import { XSS_PAYLOADS } from '../fixtures/xss-payloads.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';
import { describeInBrowser } from './harness.js';

/**
 * The printable comment-resolution matrix as a reader prints it: served with its Content-Security-
 * Policy, rendered by Chromium, turned into a PDF whose text holds every comment.
 */
const DOC = structureFromMarkdown('# Nota\n\n## Métodos\n\n### Estimación\n\nLa oficina nacional usa el método directo.\n\nEl modelo es bayesiano.');
const ROUND: RoundState = {
  id: 'r1', documentId: 'd1', versionId: 'v1', consulted: { countryIds: ['pe', 'mx'], organizationIds: ['unicef'] }, instructions: '', deadline: '2026-06-01T00:00:00.000Z',
  replyDeadline: '2026-06-15T00:00:00.000Z', status: 'dispositions', createdBy: 'sec', createdAt: '2026-05-01T00:00:00.000Z', openedAt: '2026-05-01T00:00:00.000Z',
  closedAt: '2026-06-01T00:00:00.000Z', dispositionsPublishedAt: '2026-06-05T00:00:00.000Z', concludedAt: null, cancelledAt: null, nextVersionId: null, history: [],
};
const TEXTS = [
  'Precisar la corrección por subregistro en el método directo.',
  'El informe no menciona la revisión de las proyecciones de población de CELADE 2024.',
  `Comentario hostil ${XSS_PAYLOADS[0]} ${XSS_PAYLOADS[6]}`,
  ...Array.from({ length: 40 }, (_, i) => `Comentario número ${i + 1} de una ronda larga, que ocupa varias páginas impresas.`),
];
const COMMENTS: Comment[] = TEXTS.map((text, i) => ({
  id: `c${i}`, roundId: 'r1', party: i % 3 === 2 ? { kind: 'organization', id: 'unicef' } : { kind: 'country', id: i % 3 ? 'mx' : 'pe' }, authorId: 'a', type: 'technical', text, proposedText: i === 0 ? 'método directo con corrección' : null,
  anchor: i % 2 ? { kind: 'document' } : ok(resolveAnchor(DOC, { kind: 'passage', blockId: 's1.1p1', exact: 'método directo' })), state: 'submitted',
  createdAt: '2026-05-10T00:00:00.000Z', updatedAt: '2026-05-10T00:00:00.000Z', updatedBy: 'a', submittedAt: '2026-05-11T00:00:00.000Z',
}));
const DISPOSITIONS = new Map<string, Disposition>([['c0', { commentId: 'c0', kind: 'partially_accepted', rationale: 'Se incorpora la corrección; el término se explica en una nota.', appliedIn: null, revision: 1, decidedAt: '2026-06-03T00:00:00.000Z', decidedBy: 'sec' }]]);

function ok<T>(result: { ok: true; value: T } | { ok: false }): T {
  if (!result.ok) throw new Error('refused');
  return result.value;
}

describeInBrowser('the printable comment-resolution matrix', () => {
  let server: Server;
  let browser: Browser;
  let url: string;
  const html = matrixHtml(
    buildMatrix({
      language: 'es', documentTitle: 'Nota metodológica', versionName: 'Versión 1', round: ROUND, now: new Date('2026-06-10T00:00:00.000Z'), structure: DOC, comments: COMMENTS,
      dispositions: DISPOSITIONS, replies: new Map(), partyName: (party) => ({ pe: 'Perú', mx: 'México', unicef: 'UNICEF' })[party.id]!, versionNames: {}, pageUrl: 'https://concilia.example/rounds/r1',
    }),
  );

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': MATRIX_STYLES_CSP });
      response.end(html);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/matrix`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('renders under its CSP with its stylesheet applied, runs nothing, and prints to a PDF holding every comment', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused/i.test(message.text())) violations.push(message.text());
    });
    page.on('dialog', (dialog) => void dialog.dismiss().then(() => violations.push('dialog')));
    await page.goto(url);
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('table')!).borderCollapse)).toBe('collapse');
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('tbody tr').count()).toBe(TEXTS.length);
    expect(violations).toEqual([]);

    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const document = await getDocumentProxy(new Uint8Array(pdf));
    expect(document.numPages).toBeGreaterThan(1);
    const { text } = await extractText(document, { mergePages: true });
    const squeeze = (value: string) => value.replace(/\s+/g, '');
    for (const comment of TEXTS) expect(squeeze(text)).toContain(squeeze(comment));
    expect(squeeze(text)).toContain(squeeze('Se incorpora la corrección; el término se explica en una nota.'));
    await page.close();
  });
});
