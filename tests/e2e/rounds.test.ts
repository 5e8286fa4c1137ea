import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { styledDocx } from '../fixtures/structured-docx.js';
import { DRAFT_V1, DRAFT_V2 } from '../server/rounds/world.js';
import { multipart } from '../server/documents/support.js';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { DocumentPage } from './pages/documents-pages.js';
import { addMember, addPerson, call, setUp, signIn, type Person } from './scenario.js';

/**
 * A comment round's main flow in Chromium: the secretariat opens a round on a DOCX with headings;
 * a Peruvian delegate (on a phone) selects a passage of section 3.2 and proposes a change; the focal
 * point submits, and the secretariat's open page shows it live; the secretariat accepts it
 * partially with a rationale, uploads version 2 and attaches it, and the comment shows re-anchored
 * with its disposition; the matrix downloads as XLSX; a reader compares versions 1 and 2.
 */

const PASSAGE = 'cuando los registros vitales son completos';
const COMMENT = 'Precisar qué se entiende por registros completos.';
const PROPOSED = 'cuando la cobertura de los registros vitales supera el 90 %';
const RATIONALE = 'Se precisa la cobertura, sin fijar un umbral único.';

describeInBrowser('comment rounds', () => {
  let h: Harness;
  let secretariat: Person;
  let peFocal: Person;
  let peDelegate: Person;
  let documentId = '';

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' });
    secretariat = await addPerson(h, admin, { displayName: 'Sofía Reyes', email: 'sofia@cepal.org', password: 'sofia-password-1', role: 'secretariat', organizationId: 'eclac', timeZone: 'America/Santiago' });
    peFocal = await addMember(h, admin, { displayName: 'Pedro Quispe', email: 'pedro@inei.gob.pe', password: 'pedro-password-1', countryId: 'pe', timeZone: 'America/Lima' });
    peDelegate = await addMember(h, admin, { displayName: 'Rosa Huamán', email: 'rosa@inei.gob.pe', password: 'rosa-password-1', countryId: 'pe', timeZone: 'America/Lima' });
    await call(h, 'PUT', `/api/people/${peFocal.id}/delegation`, { delegationRole: 'focal_point' }, admin.cookie);
    await call(h, 'PUT', `/api/people/${peDelegate.id}/delegation`, { delegationRole: 'alternate' }, admin.cookie);
    const metadata = { title: { es: 'Informe de actividades', en: 'Activity report' }, type: 'report', languages: ['es'], publicationDate: '2026-10-01', visibility: 'group' };
    const body = await multipart({ metadata: JSON.stringify(metadata) }, { name: 'informe.docx', bytes: styledDocx(DRAFT_V1) });
    const uploaded = await h.app.inject({ method: 'POST', url: '/api/documents', payload: body.payload, headers: { 'content-type': body.contentType, origin: h.baseUrl, cookie: secretariat.cookie } });
    if (uploaded.statusCode !== 201) throw new Error(`upload: ${uploaded.statusCode} ${uploaded.body}`);
    documentId = uploaded.json().document.id;
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  /** Drags the mouse over `exact` inside the paragraph, as a reader selects a passage. */
  async function selectPassage(page: Page, blockId: string, exact: string) {
    const paragraph = page.locator(`[data-block-text="${blockId}"]`);
    await paragraph.scrollIntoViewIfNeeded();
    const box = await paragraph.evaluate((element, words) => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(words);
        if (at < 0) continue;
        const first = document.createRange();
        first.setStart(node, at);
        first.setEnd(node, at + 1);
        const last = document.createRange();
        last.setStart(node, at + words.length - 1);
        last.setEnd(node, at + words.length);
        const a = first.getBoundingClientRect();
        const b = last.getBoundingClientRect();
        return { x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2 };
      }
      throw new Error('passage not found');
    }, exact);
    await page.mouse.move(box.x1, box.y1);
    await page.mouse.down();
    await page.mouse.move(box.x2, box.y2, { steps: 8 });
    await page.mouse.up();
  }

  it('runs from a DOCX with headings to the matrix and the comparison', async () => {
    // The secretariat opens the round from the library, consulting Peru only.
    const secretariatContext = await h.newContext({ viewport: { width: 1280, height: 900 } });
    await signIn(h, secretariatContext, secretariat);
    const sec = h.watch(await secretariatContext.newPage());
    // The form's lists arrive late, as on a slow connection: the heading shows before the checkboxes.
    await sec.route('**/api/countries', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await sec.goto(`/rounds/new?documentId=${documentId}`);
    await sec.getByRole('heading', { name: 'Open a comment round' }).waitFor();
    const countries = sec.getByRole('group', { name: 'Countries consulted' }).getByRole('checkbox');
    // all() does not wait: before the lists arrive it finds no box, and every country stays consulted.
    await countries.first().waitFor();
    for (const box of await countries.all()) await box.uncheck();
    await sec.getByRole('checkbox', { name: 'Peru', exact: true }).check();
    expect(await countries.evaluateAll((boxes) => boxes.filter((box) => (box as HTMLInputElement).checked).length)).toBe(1);
    await sec.getByRole('button', { name: 'Open the round' }).click();
    await sec.waitForURL((url) => /^\/rounds\/[^/]+$/.test(url.pathname) && url.pathname !== '/rounds/new');
    const roundPath = new URL(sec.url()).pathname;
    await sec.getByRole('heading', { name: 'Activity report' }).waitFor();
    // The DOCX's headings are numbered sections; 3.2's first paragraph is there with its label.
    await expect.poll(() => sec.locator('[data-block="s3.2p1"] .label').textContent()).toBe('3.2 ¶1');

    // A Peruvian delegate, on a phone, selects the passage and proposes a change.
    const delegateContext = await h.newContext({ viewport: { width: 390, height: 844 }, hasTouch: false });
    await signIn(h, delegateContext, peDelegate);
    const rosa = h.watch(await delegateContext.newPage());
    await rosa.goto(roundPath);
    await rosa.getByRole('heading', { name: 'Activity report' }).waitFor();
    expect(await rosa.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await selectPassage(rosa, 's3.2p1', PASSAGE);
    await rosa.getByRole('button', { name: 'Comment on the selected passage' }).click();
    await expect.poll(() => rosa.getByRole('textbox', { name: /Passage/ }).inputValue()).toBe(PASSAGE);
    await rosa.getByRole('combobox', { name: 'Type' }).selectOption('technical');
    await rosa.getByRole('textbox', { name: 'Comment', exact: true }).fill(COMMENT);
    await rosa.getByRole('textbox', { name: /Proposed text/ }).fill(PROPOSED);
    await rosa.getByRole('button', { name: 'Save as a draft of my delegation' }).click();
    const draft = rosa.locator('cn-round-comment').filter({ hasText: COMMENT });
    await draft.getByText('Draft', { exact: true }).waitFor();
    await expect.poll(() => draft.locator('.quote').textContent()).toContain(PASSAGE);

    // The secretariat does not see the draft; it appears live once the focal point submits.
    await sec.reload();
    await sec.getByRole('heading', { name: 'Activity report' }).waitFor();
    expect(await sec.locator('cn-round-comment').count()).toBe(0);

    const focalContext = await h.newContext({ viewport: { width: 1280, height: 900 } });
    await signIn(h, focalContext, peFocal);
    const pedro = h.watch(await focalContext.newPage());
    await pedro.goto(roundPath);
    await pedro.locator('cn-round-comment').filter({ hasText: COMMENT }).waitFor();
    await pedro.getByRole('button', { name: 'Submit our comments' }).click();
    await pedro.getByText(/^Submitted on /).waitFor();
    await sec.locator('cn-round-comment').filter({ hasText: COMMENT }).waitFor();

    // Every consulted delegation has submitted: the secretariat closes commenting and decides.
    await sec.getByRole('button', { name: 'Close commenting' }).click();
    await sec.locator('[data-status="closed"]').waitFor();
    const onSecretariat = sec.locator('cn-round-comment').filter({ hasText: COMMENT });
    await onSecretariat.getByRole('combobox', { name: 'Disposition' }).selectOption('partially_accepted');
    await onSecretariat.getByRole('textbox', { name: 'Observations of the secretariat' }).fill(RATIONALE);
    await onSecretariat.getByRole('button', { name: 'Save the disposition' }).click();
    await expect.poll(() => onSecretariat.locator('.disposition strong').textContent()).toBe('Partially accepted');

    // Version 2 goes up in the library and is attached: the comment is found again in 3.2 ¶1.
    await sec.goto(`/documents/${documentId}`);
    const library = new DocumentPage(sec);
    await library.uploadVersion({ name: 'informe-v2.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: styledDocx(DRAFT_V2) }, 'Versión 2');
    await library.version(2).waitFor();
    await sec.getByRole('link', { name: 'Comment rounds on this document' }).click();
    await sec.getByRole('link', { name: /Activity report/ }).click();
    await sec.getByRole('combobox', { name: 'Next version' }).selectOption('2');
    await sec.getByRole('button', { name: 'Attach as the next version' }).click();
    const reanchored = sec.locator('cn-round-comment').filter({ hasText: COMMENT }).locator('[data-reanchor="kept"]');
    await reanchored.waitFor();
    expect(await reanchored.textContent()).toContain('Version 2: 3.2 ¶1');

    // Dispositions published: the delegation sees the decision and its rationale.
    await sec.getByLabel('Replies until').fill(new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 16));
    await sec.getByRole('button', { name: 'Publish the dispositions' }).click();
    await sec.locator('[data-status="dispositions"]').waitFor();
    const onPeru = pedro.locator('cn-round-comment').filter({ hasText: COMMENT });
    await onPeru.getByText(RATIONALE).waitFor();
    expect(await onPeru.locator('.disposition strong').textContent()).toBe('Partially accepted');

    // The matrix downloads as XLSX, read back by an independent reader.
    await sec.getByRole('link', { name: 'Comment-resolution matrix' }).click();
    await sec.getByRole('cell', { name: COMMENT }).waitFor();
    const [download] = await Promise.all([sec.waitForEvent('download'), sec.getByRole('link', { name: 'Download as XLSX' }).click()]);
    const sheets = await readXlsxFile(await readFile((await download.path())!));
    const cells = sheets[0]!.data.flat().map((cell) => String(cell ?? ''));
    expect(cells).toEqual(expect.arrayContaining([COMMENT, PROPOSED, RATIONALE]));

    // A reader compares versions 1 and 2, paragraph by paragraph.
    await rosa.goto(`${roundPath}/compare`);
    await rosa.getByRole('heading', { name: 'Version 1 and version 2' }).waitFor();
    await rosa.locator('ins').filter({ hasText: 'Según' }).first().waitFor();
    await rosa.locator('del').filter({ hasText: 'Las' }).first().waitFor();
    expect(await rosa.getByText('(removed)').count()).toBe(1);

    expect(h.problems).toEqual([]);
  }, 120_000);

  it('shows the comments further on in the text as the reader reaches them', async () => {
    const metadata = { title: { es: 'Informe comentado', en: 'Commented report' }, type: 'report', languages: ['es'], publicationDate: '2026-10-01', visibility: 'group' };
    const body = await multipart({ metadata: JSON.stringify(metadata) }, { name: 'comentado.docx', bytes: styledDocx(DRAFT_V1) });
    const uploaded = await h.app.inject({ method: 'POST', url: '/api/documents', payload: body.payload, headers: { 'content-type': body.contentType, origin: h.baseUrl, cookie: secretariat.cookie } });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const deadline = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const created = await call<{ round: { id: string } }>(h, 'POST', '/api/rounds', { documentId: uploaded.json().document.id, version: 1, consulted: { countryIds: ['pe'], organizationIds: [] }, deadline }, secretariat.cookie);
    const roundId = created.round.id;
    // More comments on the introduction than the page's answer carries, then one on the last paragraph.
    for (let i = 1; i <= 41; i += 1) await call(h, 'POST', `/api/rounds/${roundId}/comments`, { type: 'general', text: `Nota ${i} sobre la introducción.`, anchor: { kind: 'paragraph', blockId: 's1p1' } }, peDelegate.cookie);
    const LAST = 'La revisión anual debería citar su calendario.';
    await call(h, 'POST', `/api/rounds/${roundId}/comments`, { type: 'technical', text: LAST, anchor: { kind: 'paragraph', blockId: 's3.2p2' } }, peDelegate.cookie);
    const answer = await call<{ comments: unknown[]; moreComments: { after: string; count: number } | null }>(h, 'GET', `/api/rounds/${roundId}`, undefined, peDelegate.cookie);
    expect(answer.moreComments).toEqual({ after: 's1p1', count: 1 });

    const context = await h.newContext({ viewport: { width: 390, height: 844 } });
    await signIn(h, context, peDelegate);
    const page = h.watch(await context.newPage());
    await page.goto(`/rounds/${roundId}`);
    await page.getByText('Nota 41 sobre la introducción.').waitFor();
    // The reader scrolls down to the last paragraph: its comment is loaded and shown there.
    await page.locator('[data-block="s3.2p2"]').scrollIntoViewIfNeeded();
    await page.locator('[data-block="s3.2p2"]').getByText(LAST).waitFor();
    expect(await page.getByText(LAST).count()).toBe(1);
    expect(h.problems).toEqual([]);
  }, 120_000);
});
