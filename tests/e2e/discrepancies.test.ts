import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { addMember, addPerson, call, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };

/** A UNSD SDG API export as downloaded: fixed columns, then bracketed attribute and dimension columns; a region row among the countries. */
const UNSD = [
  'Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,TimeCoverage,UpperBound,LowerBound,BasePeriod,Source,GeoInfoUrl,FootNote,[Age],[Location],[Nature],[Reporting Type],[Sex],[Units]',
  ...[
    [2006, '9.4'],
    [2007, '9.1'],
    [2008, '8.9'],
    [2009, '8.7'],
    [2010, '8.5'],
    [2011, '8.3'],
    [2012, '8.1'],
  ].map(([year, value]) => `4,4.A,4.1,SH_DYN_MORT,"Under-five mortality rate (deaths per 1,000 live births)",152,Chile,${year},${value},${year},,,,,"UN IGME, estimates 2025",,Modelled.,<5Y,ALLAREA,E,G,_T,PER_1000_LIVE_BIRTHS`),
  '4,4.A,4.1,SH_DYN_MORT,"Under-five mortality rate (deaths per 1,000 live births)",76,Brazil,2010,18.9,2010,,,,,"UN IGME, estimates 2025",,,<5Y,ALLAREA,E,G,_T,PER_1000_LIVE_BIRTHS',
  '4,4.A,4.1,SH_DYN_MORT,"Under-five mortality rate (deaths per 1,000 live births)",419,Latin America and the Caribbean,2010,16.4,2010,,,,,"UN IGME, estimates 2025",,,<5Y,ALLAREA,E,G,_T,PER_1000_LIVE_BIRTHS',
].join('\r\n');

/** Chile's vital statistics in the national template: only 2010 differs beyond 5 % (7.4 against 8.5). */
const NATIONAL = [
  'indicator,series,country,year,value,unit,unit_mult,sex,age,location,other_disaggregation,source_type,source_detail,footnote,obs_status',
  ...[
    [2007, '9.0'],
    [2008, '8.8'],
    [2009, '8.6'],
    [2010, '7.4'],
    [2011, '8.2'],
    [2012, '8.0'],
  ].map(([year, value]) => `4.1,SH_DYN_MORT,CHL,${year},${value},PER_1000_LIVE_BIRTHS,0,_T,Y_LT5,_T,,civil_registration,"Estadísticas vitales, INE y MINSAL",,A`),
].join('\n');

describeInBrowser('the discrepancy register from import to publication', () => {
  let h: Harness;
  let admin: Person;
  let coordinator: Person;
  let secretariat: Person;
  let chile: Person;
  let brazil: Person;
  let unicef: Person;

  beforeAll(async () => {
    h = await startHarness();
    admin = await setUp(h, ADMIN);
    coordinator = await addPerson(h, admin, { displayName: 'Carla Coordinadora', email: 'carla@indec.gob.ar', password: 'carla-password-1', role: 'coordinator', countryId: 'ar' });
    secretariat = await addPerson(h, admin, { displayName: 'Sergio Secretaría', email: 'sergio@cepal.org', password: 'sergio-password-1', role: 'secretariat', organizationId: 'eclac' });
    chile = await addMember(h, admin, { displayName: 'Camila Rojas', email: 'camila@ine.gob.cl', password: 'camila-password-1', countryId: 'cl' });
    await call(h, 'PUT', `/api/people/${chile.id}/delegation`, { delegationRole: 'focal_point' }, admin.cookie);
    brazil = await addMember(h, admin, { displayName: 'João Silva', email: 'joao@ibge.gov.br', password: 'joao-password-1', countryId: 'br' });
    unicef = await addPerson(h, admin, { displayName: 'Olga Unicef', email: 'olga@unicef.org', password: 'olga-password-1', role: 'observer', organizationId: 'unicef' });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('imports both sides, works the case live, discusses it in its thread, draws both series, and keeps both from Brazil until it is published', async () => {
    // The secretariat imports UNICEF's release as UNSD exports it, then Chile's national file.
    const secretariatContext = await h.newContext();
    await signIn(h, secretariatContext, secretariat);
    const importing = h.watch(await secretariatContext.newPage());
    await importing.goto('/discrepancies/import');
    await importing.getByRole('heading', { name: 'Import values', level: 1 }).waitFor();
    await importing.getByLabel('International: a UNSD SDG API export (CSV, as downloaded)').check();
    await importing.getByLabel('Agency that published the values').selectOption('unicef');
    await importing.getByLabel('Database and release (e.g. SDG Global Database 2026.Q2)').fill('SDG Global Database 2026.Q2');
    await importing.getByLabel('File').setInputFiles({ name: 'unsd-sh_dyn_mort.csv', mimeType: 'text/csv', buffer: Buffer.from(UNSD) });
    await importing.getByRole('button', { name: 'Import', exact: true }).click();
    await importing.getByText('Imported 8 values (1 rows of other areas skipped). Cases opened: 0.', { exact: false }).waitFor();

    await importing.getByLabel('National: the national template (CSV or XLSX)').check();
    await importing.getByLabel('Source (e.g. Vital statistics 2024)').fill('Estadísticas vitales 2024');
    await importing.getByLabel('File').setInputFiles({ name: 'chile.csv', mimeType: 'text/csv', buffer: Buffer.from(NATIONAL) });
    await importing.getByRole('button', { name: 'Import', exact: true }).click();
    await importing.getByText('Imported 6 values (0 rows of other areas skipped). Cases opened: 1.', { exact: false }).waitFor();

    // The coordinator watches the matrix: indicator 4.1 in Chile, one identified case.
    const coordinatorContext = await h.newContext();
    await signIn(h, coordinatorContext, coordinator);
    const matrix = h.watch(await coordinatorContext.newPage());
    await matrix.goto('/discrepancies');
    const cell = matrix.locator('td[data-row="4.1"][data-country="cl"]');
    await cell.waitFor();
    expect(await cell.getAttribute('data-status')).toBe('identified');

    // Chile's focal point opens the case from the matrix, moves it under review, sets its cause and comments.
    const chileContext = await h.newContext();
    await signIn(h, chileContext, chile);
    const page = h.watch(await chileContext.newPage());
    await page.goto('/discrepancies');
    await page.locator('td[data-row="4.1"][data-country="cl"] a').click();
    await page.getByRole('link', { name: 'Indicator 4.1 · Chile · 2010' }).click();
    await page.getByRole('heading', { name: 'Indicator 4.1 · Chile · 2010', level: 1 }).waitFor();
    const caseId = page.url().split('/').pop()!;
    await page.getByLabel('Move the case to').selectOption('under_review');
    await page.getByLabel('Note (optional)').fill('Revisamos la serie con el MINSAL.');
    await page.getByRole('button', { name: 'Change the status' }).click();
    await page.locator('.pill[data-status="under_review"]').waitFor();

    // The coordinator's matrix turns that cell's colour without a reload.
    await matrix.locator('td[data-row="4.1"][data-country="cl"][data-status="under_review"]').waitFor();

    await page.getByLabel('Primary cause').selectOption('agency_estimate');
    await page.getByRole('button', { name: 'Save the causes' }).click();
    await page.locator('p[data-cause="agency_estimate"]').waitFor();
    await page.getByLabel('Your comment').fill('La cifra nacional viene del registro de defunciones; UN IGME modela la serie.');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await page.getByText('La cifra nacional viene del registro de defunciones; UN IGME modela la serie.').waitFor();

    // The comment opened the case's thread; a reply written there (UNICEF's) reaches the open case page live.
    const threadHref = (await page.locator('a[data-thread-link]').getAttribute('href'))!;
    const threadId = threadHref.split('/').pop()!;
    await call(h, 'POST', `/api/threads/${threadId}/posts`, { body: 'UN IGME ajusta por subregistro de defunciones.' }, unicef.cookie);
    await page.getByText('UN IGME ajusta por subregistro de defunciones.').waitFor();
    // The thread's own page holds the discussion and leads back to the case.
    await page.getByRole('link', { name: 'Open the whole thread' }).click();
    await page.getByRole('heading', { name: 'Indicador 4.1 · CHL · 2010', level: 1 }).waitFor();
    await page.getByText('La cifra nacional viene del registro de defunciones', { exact: false }).first().waitFor();
    await page.getByRole('link', { name: 'Indicator 4.1 · CHL · 2010' }).click();
    await page.getByRole('heading', { name: 'Indicator 4.1 · Chile · 2010', level: 1 }).waitFor();

    // The chart draws both series: a canvas with pixels of both colours, and the table of values.
    const chart = page.locator('cn-case-chart');
    await chart.locator('.plot[data-drawn="true"] canvas').waitFor();
    const colours = await chart.evaluate((element) => {
      const canvas = element.shadowRoot!.querySelector('canvas')!;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const near = (i: number, [r, g, b]: [number, number, number]) => Math.abs(data[i]! - r) < 40 && Math.abs(data[i + 1]! - g) < 40 && Math.abs(data[i + 2]! - b) < 40 && data[i + 3]! > 200;
      let national = 0;
      let international = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (near(i, [0x0b, 0x5c, 0xad])) national += 1;
        if (near(i, [0xb3, 0x26, 0x1e])) international += 1;
      }
      return { national, international };
    });
    expect(colours.national).toBeGreaterThan(100);
    expect(colours.international).toBeGreaterThan(100);
    expect(await chart.locator('tr[data-year="2010"] td[data-side="national"]').innerText()).toContain('7.4');
    expect(await chart.locator('tr[data-year="2010"] td[data-side="international"]').innerText()).toContain('8.5');
    expect(await chart.locator('tr[data-year="2006"] td[data-side="national"]').innerText()).toContain('—');
    await chart.screenshot({ path: path.join(tmpdir(), 'concilia-discrepancy-chart.png') });

    // Brazil's delegate cannot see the case: not in the matrix, "not found" at its address; nor its
    // thread: not at its address, not in the debates list.
    const brazilContext = await h.newContext();
    await signIn(h, brazilContext, brazil);
    const brazilPage = h.watch(await brazilContext.newPage(), {
      expectedStatuses: [
        { status: 404, path: `/api/discrepancies/cases/${caseId}` },
        { status: 404, path: `/api/threads/${threadId}` },
        { status: 404, path: `/api/threads/${threadId}/posts` },
      ],
    });
    await brazilPage.goto(`/discrepancies/cases/${caseId}`);
    await brazilPage.getByText('This case does not exist, or it is not published and you are not one of its participants.').waitFor();
    expect(await brazilPage.getByText('Revisamos la serie').count()).toBe(0);
    await brazilPage.goto(threadHref);
    await brazilPage.getByText('This debate does not exist, or you cannot see it.').waitFor();
    expect(await brazilPage.getByText('La cifra nacional viene del registro').count()).toBe(0);
    await brazilPage.goto('/debates');
    // The group has no other debate: the list, loaded, is empty.
    await brazilPage.getByText('No debate here yet. Start the first one!').waitFor();
    expect(await brazilPage.getByText('Indicador 4.1 · CHL · 2010').count()).toBe(0);

    // Both sides agree an explanation; Chile documents and publishes it from the page.
    await call(h, 'POST', `/api/discrepancies/cases/${caseId}/status`, { to: 'explained' }, chile.cookie);
    await call(h, 'PUT', `/api/discrepancies/cases/${caseId}/explanation`, { text: 'UN IGME models under-five mortality; Chile counts registered deaths. Both figures are published side by side.' }, unicef.cookie);
    await call(h, 'POST', `/api/discrepancies/cases/${caseId}/agreement`, {}, unicef.cookie);
    await page.getByRole('button', { name: 'Agree to this explanation' }).click();
    await page.getByText('Agreed by the country', { exact: false }).waitFor();
    await page.getByLabel('Move the case to').selectOption('documented');
    await page.getByRole('button', { name: 'Change the status' }).click();
    await page.locator('.pill[data-status="documented"]').waitFor();
    await page.getByRole('button', { name: 'Publish side by side' }).click();
    await page.getByText('Published', { exact: true }).first().waitFor();

    // Now Brazil sees it, both values side by side with the agreed explanation.
    await brazilPage.goto(`/discrepancies/cases/${caseId}`);
    await brazilPage.getByRole('heading', { name: 'Indicator 4.1 · Chile · 2010', level: 1 }).waitFor();
    expect(await brazilPage.locator('.value[data-side="national"]').innerText()).toBe('7.4');
    expect(await brazilPage.locator('.value[data-side="international"]').innerText()).toBe('8.5');
    await brazilPage.getByText('UN IGME models under-five mortality; Chile counts registered deaths.', { exact: false }).waitFor();
    expect(await brazilPage.getByRole('button', { name: 'Change the status' }).count()).toBe(0);
    // And the discussion, published with the case.
    await brazilPage.getByText('La cifra nacional viene del registro de defunciones; UN IGME modela la serie.').waitFor();
    await brazilPage.getByRole('link', { name: 'Open the whole thread' }).click();
    await brazilPage.getByRole('heading', { name: 'Indicador 4.1 · CHL · 2010', level: 1 }).waitFor();
    await brazilPage.getByText('UN IGME ajusta por subregistro de defunciones.').waitFor();
    await brazilPage.goto(`/discrepancies/cases/${caseId}`);
    await brazilPage.getByRole('heading', { name: 'Indicator 4.1 · Chile · 2010', level: 1 }).waitFor();

    // Its printable note opens for Brazil too: both values side by side, both series drawn as SVG.
    const noteHref = await brazilPage.getByRole('link', { name: 'Printable note' }).getAttribute('href');
    const note = h.watch(await brazilContext.newPage());
    await note.goto(noteHref!);
    await note.locator('svg path.nat').waitFor();
    expect(await note.locator('svg path.int').count()).toBe(1);
    expect((await note.locator('.side .value').allInnerTexts()).map((v) => v.replace(',', '.'))).toEqual(['7.4', '8.5']);

    // The coordinator filters the matrix by cause; the downloads follow the filter.
    await matrix.getByLabel('Cause').selectOption('units');
    await matrix.getByText('No discrepancies to show.', { exact: false }).waitFor();
    await matrix.getByLabel('Cause').selectOption('agency_estimate');
    await matrix.locator('td[data-row="4.1"][data-country="cl"]').waitFor();
    expect(await matrix.getByRole('link', { name: 'matrix (XLSX)' }).getAttribute('href')).toContain('cause=agency_estimate');

    expect(h.problems).toEqual([]);
  });
});
