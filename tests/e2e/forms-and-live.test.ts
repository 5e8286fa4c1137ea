import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { minimalPdf } from '../fixtures/documents.js';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { addMember, call, signIn, type Person } from './scenario.js';
import { buildTour, TOUR_MEETING, TOUR_THREAD, TOUR_ZONE, type Tour } from './tour.js';

const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
const errorsOf = (page: Page) => page.locator('cn-new-document-page [slot="error"], cn-new-document-page .group-error').allTextContents();

describeInBrowser('forms, unread posts and live panels', () => {
  let h: Harness;
  let tour: Tour;
  let peru: Person;

  const pageFor = async (person: Person, width = 1280) => {
    const context = await h.newContext({ viewport: { width, height: 900 }, timezoneId: TOUR_ZONE });
    await signIn(h, context, person);
    return h.watch(await context.newPage());
  };

  beforeAll(async () => {
    h = await startHarness();
    tour = await buildTour(h);
    peru = await addMember(h, tour.admin, { displayName: 'Rosa Quispe', email: 'rosa@inei.gob.pe', password: 'rosa-password-1', countryId: 'pe', timeZone: 'America/Lima' });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('clears a field’s error as soon as its value changes, in every form', async () => {
    const page = await pageFor(tour.coordinator);
    await page.goto('/documents/new');
    await page.getByRole('button', { name: 'Upload the document', exact: true }).click();
    await expect.poll(() => errorsOf(page)).toEqual(['Choose the file to upload.', 'Give the document a title, in Spanish or in English.', 'Choose at least one language.']);
    const title = page.getByRole('textbox', { name: 'Title in Spanish', exact: true });
    expect(await title.getAttribute('aria-invalid')).toBe('true');

    // Fixed one by one, without sending again: each message goes with its fix, the others stay.
    await title.fill('Informe');
    await expect.poll(() => errorsOf(page)).toEqual(['Choose the file to upload.', 'Choose at least one language.']);
    expect(await title.getAttribute('aria-invalid')).toBeNull();
    await page.getByRole('group', { name: 'Languages of the document' }).getByRole('checkbox', { name: 'Spanish', exact: true }).check();
    await expect.poll(() => errorsOf(page)).toEqual(['Choose the file to upload.']);
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'informe.pdf', mimeType: 'application/pdf', buffer: minimalPdf('informe') });
    await expect.poll(() => errorsOf(page)).toEqual([]);

    // The same in another form, the new debate's.
    await page.goto('/debates/new');
    await page.getByRole('button', { name: 'Publish the debate', exact: true }).click();
    const debateTitle = page.getByRole('textbox', { name: 'Title', exact: true });
    await expect.poll(() => debateTitle.getAttribute('aria-invalid')).toBe('true');
    await debateTitle.fill('Una pregunta sobre la serie');
    await expect.poll(() => debateTitle.getAttribute('aria-invalid')).toBeNull();
    expect(h.problems).toEqual([]);
  });

  it('chooses the related debate of an upload with the debate picker instead of a pasted address', async () => {
    const page = await pageFor(tour.coordinator);
    await page.goto('/documents/new');
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'anexo.pdf', mimeType: 'application/pdf', buffer: minimalPdf('anexo') });
    await page.getByRole('textbox', { name: 'Title in Spanish', exact: true }).fill('Anexo estadístico');
    await page.getByRole('group', { name: 'Languages of the document' }).getByRole('checkbox', { name: 'Spanish', exact: true }).check();
    const related = page.getByRole('group', { name: 'Related debate (optional)' });
    await related.getByRole('searchbox', { name: 'Find a debate' }).fill('mortalidad');
    await related.getByRole('searchbox', { name: 'Find a debate' }).press('Enter');
    await related.getByRole('button', { name: `Link ${TOUR_THREAD}` }).click();
    await related.getByRole('list', { name: /^Linked/ }).getByText(TOUR_THREAD).waitFor();
    await page.getByRole('button', { name: 'Upload the document', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Anexo estadístico' }).waitFor();
    expect(await page.getByRole('link', { name: 'Open the debate' }).getAttribute('href')).toBe(`/debates/t/${tour.threadId}`);
    expect(h.problems).toEqual([]);
  });

  it('keeps the "New" marks and a "since your last visit" divider while the page is open', async () => {
    // The coordinator has read the debate so far; then two replies come.
    const { lastReadSeq } = await call<{ lastReadSeq: number }>(h, 'PUT', `/api/threads/${tour.threadId}/read`, { seq: 1_000 }, tour.coordinator.cookie);
    expect(lastReadSeq).toBeGreaterThan(1);
    await call(h, 'POST', `/api/threads/${tour.threadId}/posts`, { body: 'Primera respuesta nueva.' }, tour.member.cookie);
    await call(h, 'POST', `/api/threads/${tour.threadId}/posts`, { body: 'Segunda respuesta nueva.' }, tour.member.cookie);

    const page = await pageFor(tour.coordinator);
    await page.goto(`/debates/t/${tour.threadId}`);
    const first = page.locator('article.post').filter({ hasText: 'Primera respuesta nueva.' });
    await first.waitFor();
    await first.scrollIntoViewIfNeeded();
    await page.locator('article.post').filter({ hasText: 'Segunda respuesta nueva.' }).scrollIntoViewIfNeeded();
    // Long after the read position was sent (it is, after 0.8 s), the marks are still there.
    await page.waitForTimeout(2_500);
    const marked = (article: Locator) => article.locator('.badge', { hasText: 'New' }).count();
    expect(await marked(first)).toBe(1);
    expect(await marked(page.locator('article.post').filter({ hasText: 'Segunda respuesta nueva.' }))).toBe(1);
    // The divider stands right before the first unread post, and only there.
    const divider = page.getByRole('separator', { name: 'Since your last visit' });
    expect(await divider.count()).toBe(1);
    const following = await divider.evaluate((element) => element.closest('li')?.querySelector('article')?.textContent ?? '');
    expect(squash(following)).toContain('Primera respuesta nueva.');
    expect(h.problems).toEqual([]);
  });

  it('updates the countries taking part in a debate live', async () => {
    const page = await pageFor(tour.coordinator);
    await page.goto(`/debates/t/${tour.threadId}`);
    const countries = page.locator('cn-thread-page p.meta', { hasText: 'Countries taking part:' });
    await countries.waitFor();
    expect(squash(await countries.textContent())).not.toContain('Peru');
    await call(h, 'POST', `/api/threads/${tour.threadId}/posts`, { body: 'Perú se suma a la revisión.' }, peru.cookie);
    await expect.poll(async () => squash(await countries.textContent())).toContain('Peru');
  });

  it('agrees with the room on which invited countries have nobody attending, and follows it live', async () => {
    const page = await pageFor(tour.coordinator);
    await page.goto(`/meetings/${tour.meetingId}`);
    await page.getByRole('heading', { level: 1, name: TOUR_MEETING }).waitFor();
    const nobody = page.locator('cn-meeting-attendance').getByRole('region', { name: /^Invited countries with nobody going/ });
    const record = page.locator('cn-meeting-room details').filter({ has: page.locator('summary#attendance-record-title') });
    // Mexico's member is in the room (recorded when she joined), and the coordinator, from Chile, joins it by opening
    // the page: the room says so, and so does the list.
    await record.getByText('Lucía Hernández').waitFor();
    await expect.poll(async () => squash(await nobody.textContent())).toBe('Invited countries with nobody going (2) Colombia, Trinidad and Tobago');

    // Trinidad and Tobago's member opens the meeting: she joins the room, and both panels follow at once.
    const kavita = await pageFor({ ...tour.member, email: 'kavita@cso.gov.tt', password: 'kavita-password-1' });
    await kavita.goto(`/meetings/${tour.meetingId}`);
    await record.getByText('Kavita Ramdial').waitFor();
    await expect.poll(async () => squash(await nobody.textContent())).toBe('Invited countries with nobody going (1) Colombia');
    expect(h.problems).toEqual([]);
  });
});
