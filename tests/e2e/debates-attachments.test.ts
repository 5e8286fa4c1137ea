import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { minimalPdf } from '../fixtures/documents.js';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { DebatesListPage, NewThreadPage, ThreadPage } from './pages/debates-pages.js';
import { addMember, call, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const TITLE = 'Extreme poverty rates for the 2023 regional report';
const OPENING = 'Please share the extreme poverty series your office will publish for 2023.';
const ANSWER = 'Here is the INEI series, national and by area.';

const CSV = {
  name: 'pobreza-extrema-2023.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from('país,área,año,tasa\nPerú,nacional,2023,5.7\nPerú,rural,2023,14.2\n', 'utf8'),
};
// Named .pdf but a web page inside: the server refuses it (type_mismatch) after the post exists.
const NOT_A_PDF = { name: 'nota-metodologica.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!doctype html><p>not a PDF</p>') };
// A type the forum never takes: refused as soon as it is chosen, before anything is sent.
const PROGRAM = { name: 'macro.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00') };

/** Chrome logs a refused upload's 415 as a console error; here it is the expected answer. */
const refusedUpload = (problem: string) => /status of 415/.test(problem) && /\/api\/posts\/[^/]+\/attachments/.test(problem);

describeInBrowser('debates, files attached to posts', () => {
  let h: Harness;
  let mexico: Person;
  let peru: Person;
  let threadId = '';
  let categoryName = '';

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    mexico = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx' });
    peru = await addMember(h, admin, { displayName: 'Jorge Quispe', email: 'jorge@inei.gob.pe', password: 'jorge-password-1', countryId: 'pe', timeZone: 'America/Lima' });
    const categories = await call<{ items: Array<{ id: string; nameEn: string; mayStart: boolean }> }>(h, 'GET', '/api/categories', undefined, mexico.cookie);
    const category = categories.items.find((c) => c.mayStart)!;
    categoryName = category.nameEn;
    const created = await call<{ thread: { id: string } }>(h, 'POST', '/api/threads', { categoryId: category.id, title: TITLE, body: OPENING }, mexico.cookie);
    threadId = created.thread.id;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('attaches a CSV to a reply, which another member sees live, downloads intact, and sees removed', async () => {
    // Mexico reads the debate; everything below reaches her without a reload.
    const readerContext = await h.newContext({ viewport: { width: 1280, height: 900 } });
    await signIn(h, readerContext, mexico);
    const readerPage = h.watch(await readerContext.newPage());
    const reader = new ThreadPage(readerPage);
    await readerPage.goto(`/debates/t/${threadId}`);
    await reader.waitUntilShown(TITLE);
    let reloads = 0;
    readerPage.on('load', () => (reloads += 1));

    // Peru writes a reply and chooses three files: the program is refused at once, the other two are listed.
    const authorContext = await h.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'America/Lima' });
    await signIn(h, authorContext, peru);
    const authorPage = h.watch(await authorContext.newPage());
    const author = new ThreadPage(authorPage);
    await authorPage.goto(`/debates/t/${threadId}`);
    await author.waitUntilShown(TITLE);
    const composer = author.finalReply();
    await composer.getByRole('combobox', { name: author.t.yourReply, exact: true }).fill(ANSWER);
    await author.chooseFiles(composer, [CSV, NOT_A_PDF, PROGRAM]);
    await composer.getByRole('alert').getByText(`Not added: ${PROGRAM.name}.`, { exact: false }).waitFor();
    await expect.poll(() => author.chosenFiles(composer).allTextContents()).toEqual([expect.stringContaining(CSV.name), expect.stringContaining(NOT_A_PDF.name)]);
    await composer.getByRole('button', { name: author.t.sendReply, exact: true }).click();

    // The reply is published with the CSV under it; the false PDF is refused by the server, and said so under the post.
    const mine = author.post(ANSWER);
    await author.attachmentLink(mine, CSV.name).waitFor();
    const failed = author.queuedFiles(mine).filter({ hasText: NOT_A_PDF.name });
    await failed.getByRole('alert').getByText(`${NOT_A_PDF.name} was not attached: The content of this file does not match its extension`, { exact: false }).waitFor();
    expect(await author.chosenFiles(composer).count()).toBe(0);
    expect(await composer.getByRole('combobox', { name: author.t.yourReply, exact: true }).inputValue()).toBe('');
    await failed.getByRole('button', { name: `${author.t.dismiss} (${NOT_A_PDF.name})`, exact: true }).click();
    await failed.waitFor({ state: 'detached' });

    // Mexico sees the reply and its file appear, and downloads exactly the bytes that were sent.
    const answer = reader.post(ANSWER);
    const link = reader.attachmentLink(answer, CSV.name);
    await link.waitFor();
    expect(await reader.attachments(answer).getByRole('listitem').count()).toBe(1);
    expect(await link.getAttribute('download')).not.toBeNull();
    // Only the author (or a moderator) may remove it.
    expect(await reader.attachments(answer).getByRole('button').count()).toBe(0);
    const [download] = await Promise.all([readerPage.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(CSV.name);
    expect((await readFile(await download.path())).equals(CSV.buffer)).toBe(true);

    // Peru removes the file, after confirming; it disappears for Mexico too.
    await author.removeAttachment(mine, CSV.name);
    await author.attachments(mine).waitFor({ state: 'detached' });
    await reader.attachments(answer).waitFor({ state: 'detached' });

    // A file can also be attached afterwards, from the post's own actions.
    await mine.getByLabel(author.t.attachFile, { exact: true }).setInputFiles(CSV);
    await author.attachmentLink(mine, CSV.name).waitFor();
    await reader.attachmentLink(answer, CSV.name).waitFor();
    expect(reloads).toBe(0);

    expect(h.problems.filter((problem) => !refusedUpload(problem))).toEqual([]);
  }, 90_000);

  it('attaches the files chosen with a new debate to its opening post, and opens a PDF in a new tab', async () => {
    const pdf = { name: 'metodologia-pobreza.pdf', mimeType: 'application/pdf', buffer: minimalPdf('Canasta basica alimentaria 2023') };
    const context = await h.newContext({ viewport: { width: 1280, height: 900 } });
    await signIn(h, context, mexico);
    const page = h.watch(await context.newPage());
    await new DebatesListPage(page).goto();
    const start = new NewThreadPage(page);
    await start.open();
    const title = 'Food basket methodology';
    const body = 'The methodology note of INEGI is attached.';
    await start.start({ title, category: categoryName, body, files: [pdf] });

    // The debate's page uploads the file under the opening post, where a PDF opens in a new tab.
    const thread = new ThreadPage(page);
    await thread.waitUntilShown(title);
    const opening = thread.post(body);
    const link = thread.attachments(opening).getByRole('link', { name: `${pdf.name} (opens in a new tab)`, exact: true });
    await link.waitFor();
    expect(await link.getAttribute('target')).toBe('_blank');
    const href = await link.getAttribute('href');
    const bytes = await page.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())), href!);
    expect(Buffer.from(bytes).equals(pdf.buffer)).toBe(true);

    expect(h.problems.filter((problem) => !refusedUpload(problem))).toEqual([]);
  }, 60_000);
});
