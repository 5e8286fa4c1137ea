import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../plugins/db.js';
import { sqliteDatabase } from '../plugins/database.js';
import { GroupCommit } from '../plugins/group-commit.js';
import { ReferenceRepository } from '../features/reference/repository.js';
import { SetupRepository } from '../features/setup/repository.js';
import { insertPerson, PeopleRepository } from '../features/people/repository.js';
import { hashPassword } from '../shared/passwords.js';
import type { Role } from '../shared/roles.js';

/**
 * Fills an EMPTY database with a realistic working group for demonstrations and manual testing.
 * The people and passwords are listed in README.md ("Demo data"); never run it on a real forum.
 */
interface DemoPerson {
  email: string;
  displayName: string;
  role: Role;
  countryId?: string;
  organizationId?: string;
  locale: 'es' | 'en';
  timeZone: string;
  jobTitle: string;
  focalPoint?: boolean;
}

/** One documented password for every demo account (README.md, "Demo data"). */
export const DEMO_PASSWORD = 'concilia-demo-2026';

export const DEMO_PEOPLE: DemoPerson[] = [
  { email: 'coordinacion@ine.cl', displayName: 'Carolina Fuentes', role: 'coordinator', countryId: 'cl', locale: 'es', timeZone: 'America/Santiago', jobTitle: 'Jefa de Estadísticas Sociales, INE Chile' },
  { email: 'secretaria@cepal.org', displayName: 'Rodrigo Almeida', role: 'secretariat', organizationId: 'eclac', locale: 'es', timeZone: 'America/Santiago', jobTitle: 'Oficial de Asuntos Estadísticos, División de Estadísticas' },
  { email: 'observer@unicef.org', displayName: 'Grace Thompson', role: 'observer', organizationId: 'unicef', locale: 'en', timeZone: 'America/Panama', jobTitle: 'Regional Monitoring Specialist' },
  { email: 'observador@paho.org', displayName: 'Lucía Herrera', role: 'observer', organizationId: 'paho-who', locale: 'es', timeZone: 'America/New_York', jobTitle: 'Asesora en información de salud' },
  { email: 'punto.focal@inegi.org.mx', displayName: 'Jorge Ramírez', role: 'member', countryId: 'mx', locale: 'es', timeZone: 'America/Mexico_City', jobTitle: 'Director de Indicadores ODS, INEGI', focalPoint: true },
  { email: 'alterno@inegi.org.mx', displayName: 'Mariana Ortiz', role: 'member', countryId: 'mx', locale: 'es', timeZone: 'America/Mexico_City', jobTitle: 'Subdirectora de Estadísticas Demográficas' },
  { email: 'odm@ibge.gov.br', displayName: 'Paulo Nascimento', role: 'member', countryId: 'br', locale: 'es', timeZone: 'America/Sao_Paulo', jobTitle: 'Coordenador de Indicadores, IBGE', focalPoint: true },
  { email: 'focal@ine.cl', displayName: 'Felipe Rojas', role: 'member', countryId: 'cl', locale: 'es', timeZone: 'America/Santiago', jobTitle: 'Analista de estadísticas vitales', focalPoint: true },
  { email: 'mdg@cso.gov.tt', displayName: 'Anita Ramdass', role: 'member', countryId: 'tt', locale: 'en', timeZone: 'America/Port_of_Spain', jobTitle: 'Senior Statistician, Central Statistical Office', focalPoint: true },
  { email: 'odm@dane.gov.co', displayName: 'Camila Vargas', role: 'member', countryId: 'co', locale: 'es', timeZone: 'America/Bogota', jobTitle: 'Coordinadora de Indicadores, DANE' },
];

export const DEMO_ADMIN = { email: 'admin@concilia.example', displayName: 'Administración Concilia' };


async function main(): Promise<void> {
  const config = loadConfig();
  const { sqlite, db } = openDatabase(config.databaseFile);
  const database = sqliteDatabase(db);
  const unitOfWork = new GroupCommit(sqlite, (error) => console.error(error));
  try {
    await unitOfWork.run(() => new ReferenceRepository(database).syncCatalogue());
    const setup = new SetupRepository(database, (_commit, person, now) => insertPerson(database.orm, person, now));
    if (await setup.isSetUp()) {
      console.error(`${config.databaseFile} already has users; the demo only fills an empty database.`);
      process.exitCode = 1;
      return;
    }
    const now = new Date();
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const created = await unitOfWork.run((commit) =>
      setup.createGroupWithAdminWithin(
        commit,
        { name: 'Grupo de trabajo sobre el seguimiento de los ODM', slug: 'odm' },
      { email: DEMO_ADMIN.email, displayName: DEMO_ADMIN.displayName, passwordHash, locale: 'es', timeZone: 'America/Santiago', countryId: null, organizationId: 'eclac' },
        now,
      ),
    );
    if (!created) throw new Error('set-up raced with another writer');
    const people = new PeopleRepository(database);
    for (const person of DEMO_PEOPLE) {
      const userId = await insertPerson(
        database.orm,
        {
          groupId: created.groupId,
          email: person.email,
          displayName: person.displayName,
          passwordHash,
          locale: person.locale,
          timeZone: person.timeZone,
          role: person.role,
          countryId: person.countryId ?? null,
          organizationId: person.organizationId ?? null,
        },
        now,
      );
      await people.updateProfile(userId, { jobTitle: person.jobTitle });
      const countryId = person.countryId;
      if (person.focalPoint && countryId) await unitOfWork.run((commit) => people.setDelegationRoleWithin(commit, created.groupId, userId, countryId, 'focal_point'));
    }
    console.log(`Demo group created in ${config.databaseFile}. Every account's password is ${DEMO_PASSWORD}:`);
    for (const { email, role } of [{ email: DEMO_ADMIN.email, role: 'admin' }, ...DEMO_PEOPLE]) console.log(`  ${role.padEnd(12)} ${email}`);
  } finally {
    sqlite.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
}
