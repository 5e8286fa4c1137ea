import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Actor, Response, WriteContext } from './durability.js';
import type { Writer } from './writers.js';

/**
 * Discrepancy register imports under the crash run: an international release in UNSD's SDG API CSV
 * (the staff or the agency's observers, up to 1,620 rows: several chunks of the staging table) and
 * a delegation's national file in the template (its own country). Each import holds series no
 * other import restates (a fresh series per release; a national file sets each series × country
 * once), so what it stored never changes afterwards. After the crash, an acknowledged import has
 * its release and every one of its values (count and a checksum of the values); an import the kill
 * cut has all of it or none (the release and its values, or neither); and no import's staged rows
 * outlive a restart.
 */

const AREAS = [
  { m49: '152', name: 'Chile', iso3: 'CHL' },
  { m49: '484', name: 'Mexico', iso3: 'MEX' },
  { m49: '76', name: 'Brazil', iso3: 'BRA' },
  { m49: '32', name: 'Argentina', iso3: 'ARG' },
  { m49: '604', name: 'Peru', iso3: 'PER' },
] as const;
const ISO3: Record<string, string> = { cl: 'CHL', mx: 'MEX', br: 'BRA' };
const SEXES = ['_T', 'F', 'M'] as const;
const LOCATIONS = ['ALLAREA', 'URBAN', 'RURAL'] as const;
const FIRST_YEAR = 1990;

const UNSD_HEADER =
  'Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,TimeCoverage,UpperBound,LowerBound,BasePeriod,Source,GeoInfoUrl,FootNote,[Age],[Location],[Nature],[Reporting Type],[Sex],[Units]';
const NATIONAL_HEADER = 'indicator,series,country,year,value,unit,unit_mult,sex,age,location,other_disaggregation,source_type,source_detail,footnote,obs_status';

/** What an import's values must add up to: how many, and a hash of "country year value" sorted. */
interface Expected {
  count: number;
  checksum: string;
}
const checksumOf = (values: string[]) => createHash('sha256').update(values.sort().join('\n')).digest('hex').slice(0, 16);

function held(db: Database.Database, where: string, ...params: unknown[]): Expected {
  const rows = db.prepare(`select data from discrepancy_observations where ${where}`).pluck().all(...params) as string[];
  return { count: rows.length, checksum: checksumOf(rows.map((data) => JSON.parse(data) as { country: string; year: number; value: number }).map((o) => `${o.country} ${o.year} ${o.value}`)) };
}
const same = (a: Expected, b: Expected) => a.count === b.count && a.checksum === b.checksum;

/** Records an import's outcome: acknowledged (its release and all its values), or cut (all or none of it). */
function settle(context: WriteContext, kind: string, response: Response | null, title: string, expected: Expected, mine: { where: string; params: unknown[] }): void {
  if (response?.status === 201) {
    const releaseId = (response.body as { release: { id: string } }).release.id;
    context.acknowledged(kind, (db) => {
      const release = db.prepare('select title, row_count as rowCount from discrepancy_releases where id = ?').get(releaseId) as { title: string; rowCount: number } | undefined;
      // Through the import's series (indexed), not release_id alone: a scan of every value per import and round made a long run quadratic.
      const values = held(db, `${mine.where} and release_id = ?`, ...mine.params, releaseId);
      return release?.title === title && release.rowCount === expected.count && same(values, expected)
        ? null
        : `${kind} ${releaseId} "${title}" (${expected.count} values, ${expected.checksum}): release ${JSON.stringify(release)}, ${values.count} values held (${values.checksum})`;
    });
  } else if (response === null) {
    context.cut(kind, (db) => {
      const releases = db.prepare('select id, row_count as rowCount from discrepancy_releases where title = ?').all(title) as Array<{ id: string; rowCount: number }>;
      const values = held(db, mine.where, ...mine.params);
      if (releases.length === 0) return values.count === 0 ? null : `no release "${title}", yet ${values.count} of its values are held`;
      const release = releases[0]!;
      return releases.length === 1 && release.rowCount === expected.count && same(values, expected)
        ? null
        : `"${title}" (${expected.count} values, ${expected.checksum}): ${releases.length} releases (${JSON.stringify(release)}), ${values.count} values held (${values.checksum})`;
    });
  }
}

const noneStaged = (db: Database.Database): string[] => {
  const staged = db.prepare('select import_id as importId, count(*) as n from discrepancy_import_rows group by import_id').all() as Array<{ importId: string; n: number }>;
  return staged.map((row) => `${row.n} staged rows of import ${row.importId} left after the restart`);
};

export const REGISTER_WRITERS: Writer[] = [
  {
    name: 'international import',
    weight: 1,
    async run(context) {
      const register = context.state.register;
      const importer = context.pick(register.importers);
      const series = `SH_CRASH_${++register.serial}`;
      const title = context.unique('SDG Global Database');
      const years = 1 + Math.floor(context.random() * 36);
      const rows: string[] = [];
      const values: string[] = [];
      for (const area of AREAS) {
        for (let year = FIRST_YEAR; year < FIRST_YEAR + years; year++) {
          for (const sex of SEXES) {
            for (const location of LOCATIONS) {
              const value = Math.floor(context.random() * 10_000_000) / 100;
              rows.push(`3,3.2,3.2.1,${series},"Under-five mortality rate (deaths per 1,000 live births)",${area.m49},${area.name},${year},${value},${year},,,,,"UN IGME, estimates 2025",,"Model estimate.",<5Y,${location},E,G,${sex},PER_1000_LIVE_BIRTHS`);
              values.push(`${area.iso3} ${year} ${value}`);
            }
          }
        }
      }
      const expected = { count: values.length, checksum: checksumOf(values) };
      const query = new URLSearchParams({ side: 'international', format: 'unsd_csv', agencyId: 'unicef', title, fileName: `${series}.csv` });
      const response = await context.sendFile(importer, `/api/discrepancies/releases?${query}`, 'text/csv', `${UNSD_HEADER}\r\n${rows.join('\r\n')}\r\n`);
      if (response?.status === 201) register.internationalSeries.push(series);
      settle(context, 'international import', response, title, expected, { where: "group_id in (select id from groups) and side = 'international' and series = ?", params: [series] });
      return response;
    },
    // Both kinds of import stage their rows in the same table: checked once.
    afterRestart: noneStaged,
  },
  {
    name: 'national import',
    weight: 1,
    async run(context) {
      const register = context.state.register;
      const member: Actor = context.pick(context.state.actors.filter((actor) => actor.countryId !== null && ISO3[actor.countryId] !== undefined));
      const iso3 = ISO3[member.countryId!]!;
      // Against an imported international series when one is still free for this country (so the pairing opens cases), else a series of its own.
      const free = register.internationalSeries.filter((series) => !register.nationalKeys.has(`${series} ${iso3}`));
      const series = free.length > 0 ? context.pick(free) : `SH_CRASH_${++register.serial}`;
      register.nationalKeys.add(`${series} ${iso3}`); // taken before the answer: a cut file may have been stored
      const title = context.unique('Archivo nacional');
      const rows: string[] = [];
      const values: string[] = [];
      for (let year = FIRST_YEAR; year < FIRST_YEAR + 36; year++) {
        const value = Math.floor(context.random() * 10_000_000) / 100;
        rows.push(`3.2.1,${series},${iso3},${year},${value},PER_1000_LIVE_BIRTHS,0,_T,Y_LT5,_T,,civil_registration,"Estadísticas vitales",,A`);
        values.push(`${iso3} ${year} ${value}`);
      }
      const expected = { count: values.length, checksum: checksumOf(values) };
      const query = new URLSearchParams({ side: 'national', format: 'national_csv', title, fileName: `${series}.csv` });
      const response = await context.sendFile(member, `/api/discrepancies/releases?${query}`, 'text/csv', `${NATIONAL_HEADER}\n${rows.join('\n')}\n`);
      settle(context, 'national import', response, title, expected, { where: "group_id in (select id from groups) and side = 'national' and series = ? and country = ?", params: [series, iso3] });
      return response;
    },
  },
];
