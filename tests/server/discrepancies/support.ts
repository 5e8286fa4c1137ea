import type { FastifyInstance } from 'fastify';
import { addPerson, buildTestApp, request, setUpGroup, type TestApp } from '../../helper.js';

/**
 * A register to test against: the group's people in each relation to a case (Chile's delegation,
 * Brazil's, the staff, UNICEF's observer and another agency's), a UNSD release and Chile's and
 * Brazil's national files, which open cases for 4.1 (Chile 2009, 2010; Brazil 2010) and 2.1 (Chile 2010).
 */
const UNSD_HEADER =
  'Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,TimeCoverage,UpperBound,LowerBound,BasePeriod,Source,GeoInfoUrl,FootNote,[Age],[Location],[Nature],[Reporting Type],[Sex],[Units]';
export const unsdRow = (area: string, name: string, year: number, value: string, series = 'SH_DYN_MORT', indicator = '4.1', nature = 'E') =>
  `${indicator.split('.')[0]},${indicator}.A,${indicator},${series},"Under-five mortality rate (deaths per 1,000 live births)",${area},${name},${year},${value},${year},,,,,"UN IGME, estimates 2025",,"Model estimate.",<5Y,ALLAREA,${nature},G,_T,PER_1000_LIVE_BIRTHS`;
export const unsdCsv = (rows: string[]) => `${UNSD_HEADER}\r\n${rows.join('\r\n')}\r\n`;
const NATIONAL_HEADER = 'indicator,series,country,year,value,unit,unit_mult,sex,age,location,other_disaggregation,source_type,source_detail,footnote,obs_status';
export const nationalRow = (country: string, year: number, value: string, series = 'SH_DYN_MORT', indicator = '4.1') =>
  `${indicator},${series},${country},${year},${value},PER_1000_LIVE_BIRTHS,0,_T,Y_LT5,_T,,civil_registration,"Estadísticas vitales, INE y MINSAL",,A`;
export const nationalCsv = (rows: string[]) => `${NATIONAL_HEADER}\n${rows.join('\n')}\n`;

export type Who = 'chile' | 'brazil' | 'secretariat' | 'coordinator' | 'unicef' | 'ilo' | 'admin';
export type Register = Record<Who, { id: string; cookie: string }>;

export async function populateRegister(app: FastifyInstance): Promise<Register> {
  const adminCookie = await setUpGroup(app);
  const me = (await request(app, { url: '/api/me', cookie: adminCookie })).json() as { user: { id: string } };
  const person = (role: Parameters<typeof addPerson>[2], affiliation: Parameters<typeof addPerson>[3], displayName: string) => addPerson(app, adminCookie, role, affiliation, { displayName });
  return {
    admin: { id: me.user.id, cookie: adminCookie },
    coordinator: await person('coordinator', {}, 'Carla Coordinadora'),
    secretariat: await person('secretariat', { organizationId: 'eclac' }, 'Sergio Secretaría'),
    chile: await person('member', { countryId: 'cl' }, 'Camila Núñez'),
    brazil: await person('member', { countryId: 'br' }, 'Bruno Araújo'),
    unicef: await person('observer', { organizationId: 'unicef' }, 'Ursula UNICEF'),
    ilo: await person('observer', { organizationId: 'ilo' }, 'Ivo ILO'),
  };
}

export const importFile = (app: FastifyInstance, cookie: string, body: string, query: Record<string, string>) =>
  request(app, { method: 'POST', url: `/api/discrepancies/releases?${new URLSearchParams(query)}`, payload: body, headers: { 'content-type': 'text/csv' }, cookie });

/** The release and national files: cases for Chile 2009 and 2010 and Brazil 2010 (4.1), Chile 2010 (2.1). */
export async function importCases(app: FastifyInstance, people: Register): Promise<void> {
  const international = unsdCsv([
    unsdRow('152', 'Chile', 2009, '8.7'),
    unsdRow('152', 'Chile', 2010, '8.5'),
    unsdRow('76', 'Brazil', 2010, '18.9'),
    unsdRow('152', 'Chile', 2010, '4.5', 'SN_ITK_DEFC', '2.1'),
  ]);
  const answers = [
    await importFile(app, people.secretariat.cookie, international, { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title: 'SDG Global Database 2026.Q2' }),
    await importFile(app, people.chile.cookie, nationalCsv([nationalRow('CHL', 2009, '7.9'), nationalRow('CHL', 2010, '7.4'), nationalRow('CHL', 2010, '3.1', 'SN_ITK_DEFC', '2.1')]), { side: 'national', format: 'national_csv', title: 'Estadísticas vitales' }),
    await importFile(app, people.brazil.cookie, nationalCsv([nationalRow('BRA', 2010, '14.2')]), { side: 'national', format: 'national_csv', title: 'Estatísticas vitais' }),
  ];
  for (const answer of answers) if (answer.statusCode !== 201) throw new Error(`import answered ${answer.statusCode}: ${answer.body}`);
}

export interface CaseItem {
  id: string;
  indicator: string;
  country: string;
  countryId: string;
  year: number;
  status: string;
  published: boolean;
}

export async function caseOf(app: FastifyInstance, cookie: string, indicator: string, countryId: string, year: number): Promise<CaseItem> {
  const list = (await request(app, { url: `/api/discrepancies/cases?indicator=${indicator}&countryId=${countryId}&year=${year}`, cookie })).json() as { items: CaseItem[] };
  if (list.items.length !== 1) throw new Error(`expected one case for ${indicator} ${countryId} ${year}, got ${list.items.length}`);
  return list.items[0]!;
}

/** Takes a case to publication: under review, explained, an explanation both sides agree to, documented, published. */
export async function publishCase(app: FastifyInstance, people: Register, id: string, country: Who = 'chile'): Promise<void> {
  const call = async (who: Who, method: 'POST' | 'PUT', path: string, payload?: Record<string, unknown>) => {
    const answer = await request(app, { method, url: `/api/discrepancies/cases/${id}${path}`, cookie: people[who].cookie, ...(payload ? { payload } : {}) });
    if (answer.statusCode >= 300) throw new Error(`${method} ${path} answered ${answer.statusCode}: ${answer.body}`);
  };
  await call(country, 'POST', '/status', { to: 'under_review' });
  await call(country, 'PUT', '/causes', { primary: 'agency_estimate', secondary: ['population_base'] });
  await call(country, 'POST', '/status', { to: 'explained' });
  await call(country, 'PUT', '/explanation', { text: 'El país usa registros vitales; la agencia, un modelo (UN IGME). Diferencia de 1,1 puntos.' });
  await call(country, 'POST', '/agreement');
  await call('unicef', 'POST', '/agreement');
  await call(country, 'POST', '/status', { to: 'documented' });
  await call(country, 'POST', '/publish');
}

/**
 * Another app on the database and files of `t`, on the suite's engine: once `t.app` is closed, the
 * same server started again. Its close leaves the database and the folder to `t.close()`.
 */
export function restartOf(t: TestApp): Promise<TestApp> {
  return buildTestApp({ DATA_DIR: t.dataDir, ...(t.config.databaseUrl === null ? {} : { DATABASE_URL: t.config.databaseUrl }) });
}
