import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, buildTestApp, request, setUpGroup, type TestApp } from '../../helper.js';
import { expectError } from '../support.js';

/**
 * The discrepancy register through its routes, on a real database: imports (UNSD's CSV as the
 * international side, the national template), all or nothing, pairing with tolerance, units,
 * the case's life, re-pairing on a new release, and who sees and does what before and after
 * publication.
 */

/** UNSD's SDG API CSV layout: fixed columns, then one bracketed column per attribute or dimension. */
const UNSD_HEADER =
  'Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,TimeCoverage,UpperBound,LowerBound,BasePeriod,Source,GeoInfoUrl,FootNote,[Age],[Location],[Nature],[Reporting Type],[Sex],[Units]';
const unsdRow = (area: string, name: string, year: number, value: string, nature = 'E', units = 'PER_1000_LIVE_BIRTHS', series = 'SH_DYN_MORT', indicator = '4.1') =>
  `4,4.A,${indicator},${series},"Under-five mortality rate (deaths per 1,000 live births)",${area},${name},${year},${value},${year},,,,,"UN IGME, estimates 2025",,"Model estimate.",<5Y,ALLAREA,${nature},G,_T,${units}`;
export const unsdCsv = (rows: string[]) => `${UNSD_HEADER}\r\n${rows.join('\r\n')}\r\n`;

const NATIONAL_HEADER = 'indicator,series,country,year,value,unit,unit_mult,sex,age,location,other_disaggregation,source_type,source_detail,footnote,obs_status';
const nationalRow = (country: string, year: number, value: string, unit = 'PER_1000_LIVE_BIRTHS', series = 'SH_DYN_MORT') => `4.1,${series},${country},${year},${value},${unit},0,_T,Y_LT5,_T,,civil_registration,Estadísticas vitales,,A`;
const nationalCsv = (rows: string[]) => `${NATIONAL_HEADER}\n${rows.join('\n')}\n`;

const FIRST_RELEASE = unsdCsv([
  unsdRow('152', 'Chile', 2008, '8.9'),
  unsdRow('152', 'Chile', 2009, '8.7'),
  unsdRow('152', 'Chile', 2010, '8.5'),
  unsdRow('76', 'Brazil', 2010, '18.9'),
  // A region in a global export: skipped, not refused.
  unsdRow('419', 'Latin America and the Caribbean', 2010, '23.0'),
]);

type Who = 'chile' | 'chile2' | 'brazil' | 'secretariat' | 'coordinator' | 'unicef' | 'ilo' | 'admin' | 'anonymous';

let t: TestApp;
const cookies = {} as Record<Exclude<Who, 'anonymous'>, string>;

const as = (who: Who, options: Parameters<typeof request>[1]) => request(t.app, who === 'anonymous' ? options : { ...options, cookie: cookies[who] });
const importFile = (who: Who, body: string, query: Record<string, string>) =>
  as(who, { method: 'POST', url: `/api/discrepancies/releases?${new URLSearchParams(query)}`, payload: body, headers: { 'content-type': 'text/csv' } });
const international = (who: Who, body: string, title = 'SDG Global Database 2026.Q2') => importFile(who, body, { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title, releaseDate: '2026-06-30' });
const national = (who: Who, body: string) => importFile(who, body, { side: 'national', format: 'national_csv', title: 'Estadísticas vitales' });
const cases = async (who: Who, query = '') => (await as(who, { url: `/api/discrepancies/cases${query}` })).json() as { items: Array<{ id: string; country: string; year: number; status: string; nationalValue: number; internationalValue: number; difference: { absolute: number; relative: number | null } }>; total: number };

beforeAll(async () => {
  t = await buildTestApp();
  cookies.admin = await setUpGroup(t.app);
  cookies.coordinator = (await addPerson(t.app, cookies.admin, 'coordinator', {})).cookie;
  cookies.secretariat = (await addPerson(t.app, cookies.admin, 'secretariat', { organizationId: 'eclac' })).cookie;
  cookies.chile = (await addPerson(t.app, cookies.admin, 'member', { countryId: 'cl' })).cookie;
  cookies.chile2 = (await addPerson(t.app, cookies.admin, 'member', { countryId: 'cl' })).cookie;
  cookies.brazil = (await addPerson(t.app, cookies.admin, 'member', { countryId: 'br' })).cookie;
  cookies.unicef = (await addPerson(t.app, cookies.admin, 'observer', { organizationId: 'unicef' })).cookie;
  cookies.ilo = (await addPerson(t.app, cookies.admin, 'observer', { organizationId: 'ilo' })).cookie;
});

afterAll(async () => {
  await t.close();
});

describe('imports, pairing and tolerance', () => {
  it('imports a UNSD export as it is (bracketed columns, a region skipped) as the international side', async () => {
    const response = await international('secretariat', FIRST_RELEASE);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().release).toMatchObject({ side: 'international', format: 'unsd_csv', agencyId: 'unicef', rowCount: 4, summary: { observations: 4, skipped: 1, casesOpened: 0 } });
  });

  it('refuses a whole national file with one bad row in the middle, listing the row, and stores nothing', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => nationalRow('CHL', 1960 + i, '10.5'));
    rows[20] = nationalRow('CHL', 1980, 'diez');
    rows[30] = nationalRow('XXX', 1990, '4.2');
    const response = await national('chile', nationalCsv(rows));
    expect(response.statusCode).toBe(422);
    const error = response.json().error;
    expect(error.code).toBe('import_refused');
    expect(error.details.errors).toEqual([
      expect.objectContaining({ row: 22, code: 'non_numeric_value', column: 'value', value: 'diez' }),
      expect.objectContaining({ row: 32, code: 'bad_country_code' }),
    ]);
    const releases = (await as('secretariat', { url: '/api/discrepancies/releases' })).json();
    expect(releases.total).toBe(1);
    expect((await cases('secretariat')).total).toBe(0);
  });

  it('refuses a 5 MB UNSD export with one bad row in the middle as a whole', async () => {
    const countries = [['152', 'Chile'], ['76', 'Brazil'], ['484', 'Mexico'], ['32', 'Argentina'], ['604', 'Peru']];
    const rows: string[] = [];
    for (let s = 0; rows.length < 27_000; s++) for (const [area, name] of countries) for (let year = 1990; year < 2024; year++) rows.push(unsdRow(area!, name!, year, '12.5', 'E', 'PER_1000_LIVE_BIRTHS', `SH_BIG_${s}`));
    const bad = Math.floor(rows.length / 2);
    rows[bad] = rows[bad]!.replace(',12.5,', ',n/a,');
    const body = unsdCsv(rows);
    expect(body.length).toBeGreaterThan(5 * 1024 * 1024);
    const response = await international('secretariat', body, 'Big');
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details).toMatchObject({ refusedRows: 1, errors: [{ row: bad + 2, code: 'non_numeric_value' }] });
    expect((await as('secretariat', { url: '/api/discrepancies/releases' })).json().total).toBe(1);
  });

  it('pairs a national file: a case beyond the 5 % default tolerance, none within it, none across units', async () => {
    const response = await national(
      'chile',
      nationalCsv([
        nationalRow('CHL', 2008, '8.0'), // 8.9 is 11 % above: a case
        nationalRow('CHL', 2009, '8.5'), // 8.7 is 2.4 % above: within
        nationalRow('CHL', 2010, '7.4'), // 8.5 is 15 % above: a case
      ]),
    );
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().release.summary).toMatchObject({ observations: 3, casesOpened: 2 });
    const list = await cases('chile');
    expect(list.items.map((c) => [c.country, c.year, c.status])).toEqual([
      ['CHL', 2008, 'identified'],
      ['CHL', 2010, 'identified'],
    ]);
    const c2010 = list.items[1]!;
    expect(c2010).toMatchObject({ nationalValue: 7.4, internationalValue: 8.5, difference: { absolute: 1.1 } });
    expect(c2010.difference.relative).toBeCloseTo(1.1 / 7.4, 10);
  });

  it('never compares a percentage with a rate per 1,000: no case on a unit mismatch', async () => {
    const response = await national('brazil', nationalCsv([nationalRow('BRA', 2010, '1.6', 'PERCENT')]));
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().release.summary.casesOpened).toBe(0);
    expect((await cases('secretariat', '?countryId=br')).total).toBe(0);
  });

  it('a delegation imports only its own country’s values', async () => {
    const response = await national('brazil', nationalCsv([nationalRow('CHL', 2011, '7.1')]));
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details.errors[0]).toMatchObject({ code: 'other_country', value: 'CHL' });
  });

  it('applies the series’ tolerance: an absolute tolerance of 1.0 keeps a gap of 0.9 within', async () => {
    expectError(await as('chile', { method: 'PUT', url: '/api/discrepancies/tolerances/SH_DYN_MORT', payload: { kind: 'absolute', value: 1 } }), 403, 'forbidden');
    expectError(await as('secretariat', { method: 'PUT', url: '/api/discrepancies/tolerances/SH_DYN_MORT', payload: { kind: 'relative', value: 5 } }), 400, 'bad_tolerance');
    const set = await as('secretariat', { method: 'PUT', url: '/api/discrepancies/tolerances/SH_DYN_MORT', payload: { kind: 'absolute', value: 1 } });
    expect(set.statusCode).toBe(200);
    // Argentina: 12.9 against 12.0 is 0.9, within an absolute 1.0 (a 7.5 % gap, beyond the default).
    expect((await international('secretariat', unsdCsv([unsdRow('32', 'Argentina', 2010, '12.9', 'E', 'PER_1000_LIVE_BIRTHS', 'SH_DYN_MORT')]), 'Argentina only')).statusCode).toBe(201);
    const imported = await national('secretariat', nationalCsv([nationalRow('ARG', 2010, '12.0')]));
    expect(imported.json().release.summary.casesOpened).toBe(0);
    await as('secretariat', { method: 'PUT', url: '/api/discrepancies/tolerances/SH_DYN_MORT', payload: { kind: 'relative', value: 0.05 } });
  });
});

describe('a case’s life', () => {
  let id = '';
  beforeAll(async () => {
    // The Argentina-only release above replaced the series: import the first release again.
    expect((await international('secretariat', FIRST_RELEASE, 'SDG Global Database 2026.Q2 (again)')).statusCode).toBe(201);
    id = (await cases('chile', '?year=2010')).items[0]!.id;
  });

  it('moves through statuses with history and who moved it; a cause first', async () => {
    const move = (who: Who, to: string, note?: string) => as(who, { method: 'POST', url: `/api/discrepancies/cases/${id}/status`, payload: { to, ...(note ? { note } : {}) } });
    expectError(await move('unicef', 'under_review'), 403, 'relation_not_allowed');
    expectError(await move('chile', 'reconciled'), 409, 'transition_not_allowed');
    expect((await move('chile', 'under_review', 'Revisamos la fuente')).statusCode).toBe(200);
    expectError(await move('chile', 'explained'), 409, 'cause_required');
    const causes = await as('unicef', { method: 'PUT', url: `/api/discrepancies/cases/${id}/causes`, payload: { primary: 'agency_estimate', secondary: ['population_base'] } });
    expect(causes.statusCode, causes.body).toBe(200);
    expectError(await as('chile', { method: 'PUT', url: `/api/discrepancies/cases/${id}/causes`, payload: { primary: 'agency_estimate', secondary: ['agency_estimate'] } }), 400, 'bad_secondary_causes');
    const explained = await move('chile', 'explained');
    expect(explained.statusCode).toBe(200);
    const page = (await as('chile2', { url: `/api/discrepancies/cases/${id}` })).json();
    expect(page.case).toMatchObject({ status: 'explained', primaryCause: 'agency_estimate', secondaryCauses: ['population_base'] });
    expect(page.case.history).toEqual([
      expect.objectContaining({ from: 'identified', to: 'under_review', relation: 'country_delegation', note: 'Revisamos la fuente', by: expect.objectContaining({ name: expect.any(String) }) }),
      expect.objectContaining({ from: 'under_review', to: 'explained', note: null }),
    ]);
    // Both series on the chart, in the case's unit.
    expect(page.series.national.map((p: { year: number }) => p.year)).toEqual([2008, 2009, 2010]);
    expect(page.series.international.map((p: { year: number; nature: string }) => [p.year, p.nature])).toEqual([[2008, 'E'], [2009, 'E'], [2010, 'E']]);
  });

  it('keeps the discussion to the case’s audience', async () => {
    const posted = await as('chile', { method: 'POST', url: `/api/discrepancies/cases/${id}/comments`, payload: { body: 'La cifra nacional viene del registro civil.' } });
    expect(posted.statusCode).toBe(201);
    expectError(await as('brazil', { method: 'POST', url: `/api/discrepancies/cases/${id}/comments`, payload: { body: 'Hola' } }), 404, 'not_found');
    const page = (await as('unicef', { url: `/api/discrepancies/cases/${id}` })).json();
    expect(page.discussion.posts.map((p: { html: string }) => p.html)).toEqual(['<p>La cifra nacional viene del registro civil.</p>\n']);
  });

  it('notifies the case’s people, not other countries, of moves and comments by someone else', async () => {
    const kinds = async (who: Who) =>
      ((await as(who, { url: '/api/notifications?limit=50' })).json().items as Array<{ kind: string; subject: { kind: string; id: string; title: string } }>).filter((n) => n.subject.kind === 'discrepancy_case' && n.subject.id === id);
    const mine = await kinds('chile2');
    expect(mine.map((n) => n.kind).sort()).toEqual(['discrepancy_status', 'discrepancy_status']);
    expect(mine[0]!.subject.title).toBe('Indicador 4.1 · CHL · 2010');
    expect((await kinds('unicef')).length).toBeGreaterThan(0);
    // A comment is a post in the case's thread: its people hear of it as a new post there, not its author.
    const threadId = (await as('chile', { url: `/api/discrepancies/cases/${id}` })).json().discussion.thread.id;
    const posts = async (who: Who) =>
      ((await as(who, { url: '/api/notifications?limit=50' })).json().items as Array<{ kind: string; subject: { kind: string; id: string } }>).filter((n) => n.subject.kind === 'thread' && n.subject.id === threadId).map((n) => n.kind);
    for (const who of ['chile2', 'unicef', 'secretariat', 'coordinator'] as const) expect(await posts(who), who).toEqual(['new_post']);
    expect(await posts('chile')).toEqual([]);
    expect(await posts('brazil')).toEqual([]);
    expect(await kinds('brazil')).toEqual([]);
    expect(await kinds('ilo')).toEqual([]);
  });

  it('re-pairs the open cases a new release touches and says what changed', async () => {
    const next = unsdCsv([unsdRow('152', 'Chile', 2008, '8.1'), unsdRow('152', 'Chile', 2009, '8.7'), unsdRow('152', 'Chile', 2010, '8.6', 'M'), unsdRow('76', 'Brazil', 2010, '18.9')]);
    const response = await international('secretariat', next, 'SDG Global Database 2026.Q3');
    expect(response.statusCode).toBe(201);
    expect(response.json().release.summary.changes).toEqual({ now_within_tolerance: 1, value_changed: 1 });
    const page = (await as('chile', { url: `/api/discrepancies/cases/${id}` })).json();
    expect(page.case).toMatchObject({ internationalValue: 8.6, nature: 'M', status: 'explained' });
    // The Argentina-only release of the tolerance test had left the case without its international value.
    expect(page.case.changes).toEqual([
      expect.objectContaining({ change: 'observation_removed', before: 8.5, after: null }),
      expect.objectContaining({ change: 'value_changed', before: 8.5, after: 8.6 }),
    ]);
  });
});

describe('who sees and does what, before and after publication', () => {
  let id = '';
  beforeAll(async () => {
    id = (await cases('chile', '?year=2008')).items[0]!.id;
  });

  const everyone: Who[] = ['chile', 'brazil', 'secretariat', 'coordinator', 'unicef', 'ilo', 'admin', 'anonymous'];
  /** Routes × callers: the status each gets. `chile` is the country's delegation, `unicef` the observer of the agency concerned, `ilo` another agency's observer. */
  const table = (published: boolean): Array<{ route: string; call: (who: Who) => ReturnType<typeof as>; expect: Record<Who, number> }> => {
    const hidden = published ? 200 : 404;
    return [
      {
        route: 'GET /api/discrepancies/cases/:id',
        call: (who) => as(who, { url: `/api/discrepancies/cases/${id}` }),
        expect: { chile: 200, chile2: 200, brazil: hidden, secretariat: 200, coordinator: 200, unicef: 200, ilo: hidden, admin: hidden, anonymous: 401 },
      },
      {
        route: 'POST /api/discrepancies/cases/:id/comments',
        call: (who) => as(who, { method: 'POST', url: `/api/discrepancies/cases/${id}/comments`, payload: { body: `Comentario de ${who}` } }),
        expect: { chile: 201, chile2: 201, brazil: published ? 201 : 404, secretariat: 201, coordinator: 201, unicef: 201, ilo: published ? 201 : 404, admin: published ? 201 : 404, anonymous: 401 },
      },
      {
        route: 'PUT /api/discrepancies/cases/:id/causes',
        call: (who) => as(who, { method: 'PUT', url: `/api/discrepancies/cases/${id}/causes`, payload: { primary: 'agency_model' } }),
        // Published: nobody changes what was published (409) until it is reopened; strangers still get 403 after seeing it.
        expect: published
          ? { chile: 409, chile2: 409, brazil: 403, secretariat: 409, coordinator: 409, unicef: 409, ilo: 403, admin: 403, anonymous: 401 }
          : { chile: 200, chile2: 200, brazil: 404, secretariat: 200, coordinator: 200, unicef: 200, ilo: 404, admin: 404, anonymous: 401 },
      },
      {
        route: 'POST /api/discrepancies/cases/:id/status',
        call: async (who) => {
          const response = await as(who, { method: 'POST', url: `/api/discrepancies/cases/${id}/status`, payload: { to: 'closed_invalid' } });
          // Reopened at once, so the next caller meets an open case again.
          if (response.statusCode === 200) expect((await as('secretariat', { method: 'POST', url: `/api/discrepancies/cases/${id}/status`, payload: { to: 'under_review' } })).statusCode).toBe(200);
          return response;
        },
        // Only the staff close a case as invalid; a published (documented) case is reopened first, whoever asks.
        expect: published
          ? { chile: 409, chile2: 409, brazil: 409, secretariat: 409, coordinator: 409, unicef: 409, ilo: 409, admin: 409, anonymous: 401 }
          : { chile: 403, chile2: 403, brazil: 404, secretariat: 200, coordinator: 200, unicef: 403, ilo: 404, admin: 404, anonymous: 401 },
      },
      {
        route: 'POST /api/discrepancies/cases/:id/agreement',
        call: (who) => as(who, { method: 'POST', url: `/api/discrepancies/cases/${id}/agreement` }),
        expect: published
          ? { chile: 409, chile2: 409, brazil: 403, secretariat: 409, coordinator: 403, unicef: 409, ilo: 403, admin: 403, anonymous: 401 }
          : { chile: 409, chile2: 409, brazil: 404, secretariat: 409, coordinator: 403, unicef: 409, ilo: 404, admin: 404, anonymous: 401 },
      },
      {
        route: 'GET /api/discrepancies/cases (the case listed)',
        call: async (who) => {
          const response = await as(who, { url: '/api/discrepancies/cases?year=2008&countryId=cl' });
          if (response.statusCode !== 200) return response;
          return { ...response, statusCode: response.json().items.some((c: { id: string }) => c.id === id) ? 200 : 404 } as never;
        },
        expect: { chile: 200, chile2: 200, brazil: hidden, secretariat: 200, coordinator: 200, unicef: 200, ilo: hidden, admin: hidden, anonymous: 401 },
      },
      {
        route: 'GET /api/discrepancies/matrix (the cell shown)',
        call: async (who) => {
          const response = await as(who, { url: '/api/discrepancies/matrix?indicator=4.1' });
          if (response.statusCode !== 200) return response;
          return { ...response, statusCode: response.json().cells.some((c: { row: string; countryId: string }) => c.row === '2008' && c.countryId === 'cl') ? 200 : 404 } as never;
        },
        expect: { chile: 200, chile2: 200, brazil: hidden, secretariat: 200, coordinator: 200, unicef: 200, ilo: hidden, admin: hidden, anonymous: 401 },
      },
      {
        route: 'GET /api/discrepancies/cases/:id/note',
        call: (who) => as(who, { url: `/api/discrepancies/cases/${id}/note` }),
        expect: { chile: 200, chile2: 200, brazil: hidden, secretariat: 200, coordinator: 200, unicef: 200, ilo: hidden, admin: hidden, anonymous: 401 },
      },
      {
        route: 'GET /api/discrepancies/exports/cases (the case exported)',
        call: async (who) => {
          const response = await as(who, { url: '/api/discrepancies/exports/cases?format=csv&year=2008&countryId=cl' });
          if (response.statusCode !== 200) return response;
          return { ...response, statusCode: response.body.includes(id) ? 200 : 404 } as never;
        },
        expect: { chile: 200, chile2: 200, brazil: hidden, secretariat: 200, coordinator: 200, unicef: 200, ilo: hidden, admin: hidden, anonymous: 401 },
      },
      {
        route: 'GET /api/discrepancies/exports/matrix (the cell exported)',
        call: async (who) => {
          const response = await as(who, { url: '/api/discrepancies/exports/matrix?format=csv&indicator=4.1' });
          if (response.statusCode !== 200) return response;
          return { ...response, statusCode: /\r\n2008,cl,/.test(response.body) ? 200 : 404 } as never;
        },
        expect: { chile: 200, chile2: 200, brazil: hidden, secretariat: 200, coordinator: 200, unicef: 200, ilo: hidden, admin: hidden, anonymous: 401 },
      },
      {
        route: 'POST /api/discrepancies/releases (international)',
        call: (who) => international(who, unsdCsv([unsdRow('152', 'Chile', 2008, '8.1', 'E', 'PER_1000_LIVE_BIRTHS', 'SH_OTHER')]), 'Permission check'),
        expect: { chile: 403, chile2: 403, brazil: 403, secretariat: 201, coordinator: 201, unicef: 201, ilo: 403, admin: 403, anonymous: 401 },
      },
      {
        route: 'GET /api/discrepancies/releases',
        call: (who) => as(who, { url: '/api/discrepancies/releases' }),
        expect: { chile: 200, chile2: 200, brazil: 200, secretariat: 200, coordinator: 200, unicef: 200, ilo: 200, admin: 200, anonymous: 401 },
      },
      {
        route: 'GET /api/discrepancies/template',
        call: (who) => as(who, { url: '/api/discrepancies/template?lang=es' }),
        expect: { chile: 200, chile2: 200, brazil: 200, secretariat: 200, coordinator: 200, unicef: 200, ilo: 200, admin: 200, anonymous: 401 },
      },
    ];
  };

  const check = async (published: boolean) => {
    const seen: string[] = [];
    const wanted: string[] = [];
    for (const row of table(published)) {
      for (const who of [...everyone, 'chile2' as const]) {
        const response = await row.call(who);
        seen.push(`${row.route} as ${who}: ${response.statusCode}${process.env.DEBUG_TABLE ? response.body.slice(0, 80) : ""}`);
        wanted.push(`${row.route} as ${who}: ${row.expect[who]}`);
      }
    }
    expect(seen).toEqual(wanted);
  };

  it('before publication: the country’s delegation, the staff and the agency’s observers only', async () => {
    await check(false);
  });

  it('publishes once both sides agree, then shows the case to everyone side by side with the explanation', async () => {
    const post = (who: Who, path: string, payload?: unknown) => as(who, { method: 'POST', url: `/api/discrepancies/cases/${id}/${path}`, payload: payload ?? {} });
    await post('chile', 'status', { to: 'under_review' });
    await as('chile', { method: 'PUT', url: `/api/discrepancies/cases/${id}/causes`, payload: { primary: 'agency_model' } });
    await post('chile', 'status', { to: 'explained' });
    expect((await as('unicef', { method: 'PUT', url: `/api/discrepancies/cases/${id}/explanation`, payload: { text: 'UN IGME models the series; Chile counts registered deaths.' } })).statusCode).toBe(200);
    expectError(await post('chile', 'status', { to: 'documented' }), 409, 'agreement_required');
    expectError(await post('coordinator', 'agreement'), 403, 'relation_not_allowed');
    expect((await post('chile', 'agreement')).json().case.explanation.agreedByCountry).not.toBeNull();
    expect((await post('unicef', 'agreement')).json().case.explanation.agreedByAgency).not.toBeNull();
    expect((await post('chile', 'status', { to: 'documented' })).statusCode).toBe(200);
    expectError(await post('unicef', 'publish'), 403, 'relation_not_allowed');
    const published = await post('chile', 'publish');
    expect(published.statusCode).toBe(200);
    const seen = (await as('brazil', { url: `/api/discrepancies/cases/${id}` })).json();
    expect(seen.case).toMatchObject({ published: true, status: 'documented', nationalValue: 8, internationalValue: 8.1, explanation: { text: 'UN IGME models the series; Chile counts registered deaths.' }, relations: [] });
    expect(seen.case.allowed).toMatchObject({ transitions: [], causes: false, publish: false });
  });

  it('after publication: everyone in the group sees it; only the participants may reopen it', async () => {
    await check(true);
  });
});
