import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { minimalPdf } from '../fixtures/documents.js';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { DocumentPage, LibraryPage, NewDocumentPage } from './pages/documents-pages.js';
import { addMember, addPerson, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const TITLE_ES = 'Informe regional sobre la medición de la pobreza';
const TITLE_EN = 'Regional report on poverty measurement';
// Words that are only in the file's text, never in its details: finding them proves the text was indexed.
const UNIQUE_WORD = 'zarzamora';
const ACCENTED_WORD = 'conciliación';
const FIRST_TEXT = `Nota sobre la ${ACCENTED_WORD} de las cifras nacionales: ${UNIQUE_WORD}.`;
const SECOND_TEXT = `Segunda edición. Nota sobre la ${ACCENTED_WORD} de las cifras nacionales: ${UNIQUE_WORD}, cuadro 3 corregido.`;
const CHANGE_NOTE = 'Corrected table 3';
const SECRETARIAT = {
  displayName: 'Sofía Reyes',
  email: 'sofia.reyes@cepal.org',
  password: 'sofia-password-1',
  role: 'secretariat',
  organizationId: 'eclac',
  timeZone: 'America/Santiago',
} as const;

describeInBrowser('document library', () => {
  let h: Harness;
  let secretariat: Person;
  let member: Person;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    secretariat = await addPerson(h, admin, SECRETARIAT);
    member = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx' });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('publishes a PDF that a member finds by its text, downloads intact, and sees versioned', async () => {
    const first = { name: 'informe-regional.pdf', mimeType: 'application/pdf', buffer: minimalPdf(FIRST_TEXT) };
    const second = { name: 'informe-regional-v2.pdf', mimeType: 'application/pdf', buffer: minimalPdf(SECOND_TEXT) };

    // The secretariat uploads the PDF from the library.
    const publisherContext = await h.newContext({ viewport: { width: 1280, height: 900 } });
    await signIn(h, publisherContext, secretariat);
    const publisherPage = h.watch(await publisherContext.newPage());
    await new LibraryPage(publisherPage).goto();
    const upload = new NewDocumentPage(publisherPage);
    await upload.open();
    await upload.upload({ file: first, titleEs: TITLE_ES, titleEn: TITLE_EN, type: 'Report', languages: ['Spanish', 'English'] });
    const publisherDocument = new DocumentPage(publisherPage);
    await publisherDocument.waitUntilShown(TITLE_EN);
    const documentPath = new URL(publisherPage.url()).pathname;
    expect(documentPath).toMatch(/^\/documents\/[^/]+$/);
    await publisherDocument.version(1).waitFor();

    // A member finds it by a word of its text, with and without the accent.
    const memberContext = await h.newContext({ viewport: { width: 1280, height: 900 } });
    await signIn(h, memberContext, member);
    const memberPage = h.watch(await memberContext.newPage());
    const library = new LibraryPage(memberPage);
    await library.goto();
    await library.search(UNIQUE_WORD);
    await library.item(TITLE_EN).waitFor();
    expect(await library.item(TITLE_EN).locator('mark').first().textContent()).toMatch(new RegExp(UNIQUE_WORD, 'i'));
    await expect.poll(() => library.count().textContent()).toContain('of 1');
    expect(new URL(memberPage.url()).searchParams.get('q')).toBe(UNIQUE_WORD);

    await library.search(ACCENTED_WORD.normalize('NFD').replace(/\p{Diacritic}/gu, ''));
    await library.item(TITLE_EN).waitFor();
    await library.search(ACCENTED_WORD);
    await library.item(TITLE_EN).waitFor();

    // Its page downloads exactly the bytes that were uploaded.
    await library.openItem(TITLE_EN);
    const memberDocument = new DocumentPage(memberPage);
    await memberDocument.waitUntilShown(TITLE_EN);
    const [download] = await Promise.all([memberPage.waitForEvent('download'), memberDocument.downloadLink().click()]);
    expect(download.suggestedFilename()).toBe(first.name);
    expect((await readFile(await download.path())).equals(first.buffer)).toBe(true);

    // The secretariat uploads a second version with a note on what changed.
    await publisherDocument.uploadVersion(second, CHANGE_NOTE);
    await publisherDocument.version(2).waitFor();

    // The member, after a reload, sees both versions, the note, and downloads the new file.
    await memberPage.reload();
    await memberDocument.waitUntilShown(TITLE_EN);
    await memberDocument.version(2).getByText(CHANGE_NOTE).waitFor();
    await memberDocument.version(1).waitFor();
    const rows = await memberDocument.versionHistory().getByRole('rowheader').allTextContents();
    expect(rows.map((text) => text.trim())).toEqual(['Version 2', 'Version 1']);
    const [latest] = await Promise.all([memberPage.waitForEvent('download'), memberDocument.downloadLink().click()]);
    expect((await readFile(await latest.path())).equals(second.buffer)).toBe(true);

    // A document shared with the group is not shown to a signed-out visitor; once public, it is.
    const visitorContext = await h.newContext();
    const visitorPage = h.watch(await visitorContext.newPage(), {
      expectedStatuses: [{ status: 404, path: `/api${documentPath}` }],
    });
    await visitorPage.goto(documentPath);
    await new DocumentPage(visitorPage).heading(publisherDocument.t.documentNotFound).waitFor();

    await publisherPage.getByRole('button', { name: publisherDocument.t.editDetails, exact: true }).click();
    const editor = publisherPage.locator('cn-document-edit-dialog');
    await editor.getByRole('radio', { name: /^Public/ }).check();
    await editor.getByRole('button', { name: publisherDocument.t.saveChanges, exact: true }).click();
    await publisherPage.getByRole('dialog').waitFor({ state: 'hidden' });

    await visitorPage.reload();
    const visitorDocument = new DocumentPage(visitorPage);
    await visitorDocument.waitUntilShown(TITLE_EN);
    const href = await visitorDocument.downloadLink().getAttribute('href');
    expect(href).toBeTruthy();
    const bytes = await visitorPage.evaluate(async (url) => {
      const response = await fetch(url);
      return Array.from(new Uint8Array(await response.arrayBuffer()));
    }, href!);
    expect(Buffer.from(bytes).equals(second.buffer)).toBe(true);

    expect(h.problems).toEqual([]);
  }, 120_000);
});

describeInBrowser('document library upload limit', () => {
  let h: Harness;
  let secretariat: Person;

  beforeAll(async () => {
    h = await startHarness({ MAX_UPLOAD_MB: '1' });
    const admin = await setUp(h, ADMIN);
    secretariat = await addPerson(h, admin, SECRETARIAT);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('refuses a file over the limit before sending it, says why, and keeps what was typed', async () => {
    const context = await h.newContext();
    await signIn(h, context, secretariat);
    const page = h.watch(await context.newPage());
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/documents') uploads.push(request.url());
    });
    await new LibraryPage(page).goto();
    const upload = new NewDocumentPage(page);
    await upload.open();
    const big = Buffer.concat([minimalPdf('Anexo estadístico'), Buffer.alloc(2 * 1024 * 1024, 32)]);
    await upload.upload({ file: { name: 'anexo.pdf', mimeType: 'application/pdf', buffer: big }, titleEs: TITLE_ES, titleEn: '', type: 'Report', languages: ['Spanish'] });
    await page.getByText(upload.t.fileTooLarge).waitFor();
    expect(uploads).toEqual([]);
    expect(await page.getByRole('textbox', { name: upload.t.titleEs, exact: true }).inputValue()).toBe(TITLE_ES);
    expect(h.problems).toEqual([]);
  }, 60_000);
});
