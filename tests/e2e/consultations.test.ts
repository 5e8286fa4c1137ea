import { readFile } from 'node:fs/promises';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { addMember, addPerson, call, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };

/**
 * The main flow of a consultation in Chromium: the secretariat builds a ficha técnica with a
 * table question shown only when an earlier answer is yes, and opens it; two Chilean delegates edit
 * the draft at once and see each other's saves; the focal point submits and the coordinator's
 * matrix turns Chile "submitted" live; the coordinator sends a query on one answer and Chile
 * answers it; the coordinator downloads the workbook; a Mexican delegate's "waiting for my country"
 * shows the consultation until Mexico submits.
 */
describeInBrowser('consultations: build, answer together, submit, review', () => {
  let h: Harness;
  let coordinator: Person;
  let secretariat: Person;
  let focal: Person;
  let alternate: Person;
  let mexican: Person;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    coordinator = await addPerson(h, admin, { displayName: 'Carla Coordinadora', email: 'carla@ine.cl', password: 'carla-password-1', role: 'coordinator', timeZone: 'America/Santiago' });
    secretariat = await addPerson(h, admin, { displayName: 'Sofía Secretaría', email: 'sofia@cepal.org', password: 'sofia-password-1', role: 'secretariat', organizationId: 'eclac', timeZone: 'America/Santiago' });
    focal = await addMember(h, admin, { displayName: 'Fernanda Focal', email: 'focal@ine.cl', password: 'focal-password-1', countryId: 'cl', timeZone: 'America/Santiago' });
    alternate = await addMember(h, admin, { displayName: 'Alberto Alterno', email: 'alterno@ine.cl', password: 'alterno-password-1', countryId: 'cl', timeZone: 'America/Santiago' });
    mexican = await addMember(h, admin, { displayName: 'Mario México', email: 'mario@inegi.org.mx', password: 'mario-password-1', countryId: 'mx' });
    await call(h, 'PUT', `/api/people/${focal.id}/delegation`, { delegationRole: 'focal_point' }, admin.cookie);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('runs from the builder to the exported workbook', async () => {
    const contexts = {
      secretariat: await h.newContext({ timezoneId: 'America/Santiago' }),
      focal: await h.newContext({ timezoneId: 'America/Santiago' }),
      alternate: await h.newContext({ timezoneId: 'America/Santiago' }),
      coordinator: await h.newContext({ timezoneId: 'America/Santiago', acceptDownloads: true }),
      mexican: await h.newContext({ timezoneId: 'America/Mexico_City' }),
    };
    await signIn(h, contexts.secretariat, secretariat);
    await signIn(h, contexts.focal, focal);
    await signIn(h, contexts.alternate, alternate);
    await signIn(h, contexts.coordinator, coordinator);
    await signIn(h, contexts.mexican, mexican);

    // The secretariat builds the ficha técnica.
    const builder = h.watch(await contexts.secretariat.newPage());
    await builder.goto('/consultations/new');
    await builder.getByLabel('Title (Spanish)').fill('Ficha técnica 2026');
    const deadline = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await builder.getByLabel('Deadline').fill(deadline);
    const first = builder.locator('[data-question="1"]');
    await first.getByLabel('Question text').fill('Does the country have a national statistical plan?');
    await first.getByLabel('Type').selectOption('yes_no');
    await first.getByLabel('Required').check();
    await builder.getByRole('button', { name: 'Add a question' }).click();
    const second = builder.locator('[data-question="2"]');
    await second.getByLabel('Question text').fill('Source of each indicator');
    await second.getByLabel('Type').selectOption('table');
    await second.getByLabel(/Rows, one per line/).fill('3.2.1 Under-five mortality\n4.1.2 Completion rate');
    await second.locator('[data-column="1"]').getByLabel('Column 1').fill('Source');
    await second.getByRole('button', { name: 'Add a column' }).click();
    await second.locator('[data-column="2"]').getByLabel('Column 2').fill('Latest value');
    await second.locator('[data-column="2"]').getByLabel('Type').selectOption('number');
    await second.getByLabel('Show only when question').selectOption('1');
    await second.getByLabel('is answered').selectOption('yes');
    await builder.getByRole('button', { name: 'Save and open' }).click();
    await builder.waitForURL(/\/consultations\/[0-9a-f-]{36}$/);
    const path = new URL(builder.url()).pathname;
    const consultationId = path.split('/').pop()!;

    // The Mexican delegate's list waits for Mexico.
    const mexicoPage = h.watch(await contexts.mexican.newPage());
    await mexicoPage.goto('/consultations');
    await expect.poll(() => mexicoPage.locator('[data-waiting]').getByRole('link', { name: 'Ficha técnica 2026' }).count()).toBe(1);
    // And so does the home page.
    const mexicoHome = h.watch(await contexts.mexican.newPage());
    await mexicoHome.goto('/');
    await expect.poll(() => mexicoHome.getByRole('link', { name: 'Ficha técnica 2026' }).count(), { timeout: 10_000 }).toBe(1);

    // The coordinator watches the matrix.
    const coordinatorPage = h.watch(await contexts.coordinator.newPage());
    await coordinatorPage.goto(path);
    const chileStatus = coordinatorPage.locator('[data-respondent="cl"] [data-status]');
    await expect.poll(() => chileStatus.getAttribute('data-status')).toBe('not_started');

    // Two Chilean delegates at once.
    const focalPage = h.watch(await contexts.focal.newPage());
    const alternatePage = h.watch(await contexts.alternate.newPage());
    await focalPage.goto(path);
    await alternatePage.goto(path);
    await alternatePage.locator('[data-field="q1"]').getByLabel('Yes').check();
    // The table shows once the answer is yes, and the focal point sees it live.
    const cell = (page: typeof focalPage, row: string, column: string) => page.locator(`[data-field="q2"] [data-row="${row}"] [data-column="${column}"] input`);
    await expect.poll(() => focalPage.locator('[data-field="q1"]').getByLabel('Yes').isChecked(), { timeout: 10_000 }).toBe(true);
    await cell(focalPage, '3.2.1', 'c1').fill('Vital statistics');
    await cell(alternatePage, '4.1.2', 'c2').fill('87.5');
    await expect.poll(() => alternatePage.locator('[data-save-state]').getAttribute('data-save-state'), { timeout: 10_000 }).toBe('saved');
    await expect.poll(() => focalPage.locator('[data-save-state]').getAttribute('data-save-state'), { timeout: 10_000 }).toBe('saved');
    await expect.poll(() => cell(alternatePage, '3.2.1', 'c1').inputValue(), { timeout: 10_000 }).toBe('Vital statistics');
    await expect.poll(() => cell(focalPage, '4.1.2', 'c2').inputValue(), { timeout: 10_000 }).toBe('87.5');
    await expect.poll(() => chileStatus.getAttribute('data-status'), { timeout: 10_000 }).toBe('draft');

    // Only the focal point submits; the coordinator's matrix turns Chile submitted, live.
    expect(await alternatePage.getByRole('button', { name: 'Submit my country’s answer' }).count()).toBe(0);
    await focalPage.getByRole('button', { name: 'Submit my country’s answer' }).click();
    await expect.poll(() => focalPage.locator('[data-my-status]').getAttribute('data-my-status')).toBe('submitted');
    await expect.poll(() => chileStatus.getAttribute('data-status'), { timeout: 10_000 }).toBe('submitted');

    // A query on one answer; Chile answers it.
    await coordinatorPage.locator('[data-review="cl"]').click();
    const form = coordinatorPage.locator('[data-query-form]');
    await form.getByLabel('About the answer to').selectOption('q2');
    await form.getByLabel('Query').fill('What is the source of the completion rate?');
    await form.getByRole('button', { name: 'Send the query' }).click();
    await expect.poll(() => coordinatorPage.locator('[data-answer="q2"] [data-review-status]').getAttribute('data-review-status')).toBe('query_open');
    await expect.poll(() => alternatePage.getByText('What is the source of the completion rate?').count(), { timeout: 10_000 }).toBe(1);
    await alternatePage.getByLabel('Your reply').fill('The Ministry of Education’s administrative records.');
    await alternatePage.getByRole('button', { name: 'Send the reply' }).click();
    await expect.poll(() => coordinatorPage.getByText('The Ministry of Education’s administrative records.').count(), { timeout: 10_000 }).toBe(1);
    await coordinatorPage.getByRole('button', { name: 'Mark resolved' }).click();
    await expect.poll(() => coordinatorPage.locator('[data-answer="q2"] [data-review-status]').getAttribute('data-review-status')).toBe('resolved');

    // The coordinator downloads the workbook.
    const [download] = await Promise.all([coordinatorPage.waitForEvent('download'), coordinatorPage.locator('[data-export="xlsx"]').click()]);
    const sheets = await readXlsxFile(await readFile((await download.path())!));
    const chileRow = sheets[0]!.data.find((row) => row[1] === 'Chile')!;
    expect(chileRow[2]).toBe('Submitted');
    const table = sheets[1]!.data;
    expect(table.find((row) => row[1] === 'Chile' && row[2] === '4.1.2')!.at(-1)).toBe(87.5);
    expect(table.find((row) => row[1] === 'Chile' && row[2] === '3.2.1')!.at(-2)).toBe('Vital statistics');

    // Mexico answers and submits: its list stops waiting.
    const draft = await call<{ draft: { revision: number } }>(h, 'PATCH', `/api/consultations/${consultationId}/draft`, { base: 0, changes: [{ question: 'q1', value: { type: 'yes_no', value: false } }] }, mexican.cookie);
    await call(h, 'POST', `/api/consultations/${consultationId}/submit`, { revision: draft.draft.revision }, mexican.cookie);
    await mexicoPage.reload();
    await mexicoPage.getByRole('heading', { name: 'All consultations' }).waitFor();
    expect(await mexicoPage.locator('[data-waiting]').count()).toBe(0);
    await mexicoHome.reload();
    await mexicoHome.getByText('Your country has answered every open consultation.').waitFor();
    expect(await mexicoHome.getByRole('link', { name: 'Ficha técnica 2026' }).count()).toBe(0);
    expect(h.problems).toEqual([]);
  }, 120_000);

  it('answers a file question: the file goes to the library and the coordinator reads it by name', async () => {
    const created = await call<{ consultation: { id: string } }>(
      h,
      'POST',
      '/api/consultations',
      {
        title: { es: 'Plan estadístico nacional', en: '' },
        deadline: { date: new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10), time: '23:59', zone: 'America/Santiago' },
        targets: ['cl'],
        questionnaire: { sections: [{ id: 's1', title: { es: 'Plan', en: 'Plan' }, questions: [{ id: 'plan', type: 'file', label: { es: 'El plan', en: 'The plan' }, required: true }] }] },
      },
      coordinator.cookie,
    );
    const id = created.consultation.id;
    await call(h, 'POST', `/api/consultations/${id}/open`, {}, coordinator.cookie);
    const focalContext = await h.newContext({ timezoneId: 'America/Santiago', viewport: { width: 390, height: 844 } });
    await signIn(h, focalContext, focal);
    const page = h.watch(await focalContext.newPage());
    await page.goto(`/consultations/${id}`);
    await page.locator('[data-field="plan"] [data-file-input]').setInputFiles({ name: 'Plan Nacional 2025.txt', mimeType: 'text/plain', buffer: Buffer.from('Plan estadístico nacional 2025-2030') });
    const link = page.locator('[data-field="plan"]').getByRole('link', { name: 'Plan Nacional 2025.txt' });
    await link.waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('[data-save-state]').getAttribute('data-save-state'), { timeout: 10_000 }).toBe('saved');
    await page.getByRole('button', { name: 'Submit my country’s answer' }).click();
    await expect.poll(() => page.locator('[data-my-status]').getAttribute('data-my-status'), { timeout: 10_000 }).toBe('submitted');

    const coordinatorContext = await h.newContext({ timezoneId: 'America/Santiago' });
    await signIn(h, coordinatorContext, coordinator);
    const review = h.watch(await coordinatorContext.newPage());
    await review.goto(`/consultations/${id}`);
    await review.locator('[data-review="cl"]').click();
    const filed = review.locator('[data-answer="plan"]').getByRole('link', { name: 'Plan Nacional 2025.txt' });
    await filed.waitFor({ timeout: 10_000 });
    // The library page of the file opens for the coordinator.
    await filed.click();
    await review.getByRole('heading', { name: 'Plan Nacional 2025.txt' }).waitFor({ timeout: 10_000 });
    expect(h.problems).toEqual([]);
  }, 90_000);
});
