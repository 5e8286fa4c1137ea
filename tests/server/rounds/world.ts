import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { loadConfig, type AppConfig } from '../../../server/config.js';
import { ORIGIN, addPerson, request, setUpGroup, type TestApp } from '../../helper.js';
import { styledDocx, type DocxItem } from '../../fixtures/structured-docx.js';
import { metadata, upload, uploadVersion } from '../documents/support.js';
import { myId } from '../support.js';

/**
 * A group for the comment rounds' HTTP tests: the secretariat, the coordinator, Peru's focal point
 * and an alternate, a Chilean member and focal point, a Mexican member (not consulted), a UNICEF
 * observer and the admin; a DOCX draft with headings (section 3.2 has two paragraphs) in the library.
 */

export const DRAFT_V1: DocxItem[] = [
  { style: 'Title', text: 'Informe de actividades a la Conferencia' },
  { style: 'Heading1', text: 'Introducción' },
  { text: 'Este informe resume el trabajo del grupo durante el bienio.' },
  { style: 'Heading1', text: 'Antecedentes' },
  { text: 'El grupo se creó en la reunión de 2019.' },
  { text: 'Este párrafo desaparece en la segunda versión del informe.' },
  { style: 'Heading1', text: 'Resultados' },
  { style: 'Heading2', text: 'Cobertura' },
  { text: 'Treinta y tres países enviaron sus cifras.' },
  { style: 'Heading2', text: 'Métodos' },
  { text: 'Las discrepancias se concilian con el método de la oficina nacional cuando los registros vitales son completos.' },
  { text: 'El grupo interinstitucional revisa las estimaciones cada año.' },
];

/** Version 2: section 2's second paragraph is gone, a sentence is added before 3.2's first paragraph's passage. */
export const DRAFT_V2: DocxItem[] = [
  { style: 'Title', text: 'Informe de actividades a la Conferencia' },
  { style: 'Heading1', text: 'Introducción' },
  { text: 'Este informe resume el trabajo del grupo durante el bienio 2025-2026.' },
  { style: 'Heading1', text: 'Antecedentes' },
  { text: 'El grupo se creó en la reunión de 2019.' },
  { style: 'Heading1', text: 'Resultados' },
  { style: 'Heading2', text: 'Cobertura' },
  { text: 'Treinta y tres países enviaron sus cifras.' },
  { style: 'Heading2', text: 'Métodos' },
  { text: 'Según lo acordado, las discrepancias se concilian con el método de la oficina nacional cuando los registros vitales son completos.' },
  { text: 'El grupo interinstitucional revisa las estimaciones cada año.' },
];

export type Who = { id: string; cookie: string };

export interface RoundsWorld {
  admin: Who;
  secretariat: Who;
  coordinator: Who;
  peFocal: Who;
  peAlternate: Who;
  clFocal: Who;
  clMember: Who;
  mxMember: Who;
  observer: Who;
  documentId: string;
}

export async function buildRoundsWorld(app: FastifyInstance): Promise<RoundsWorld> {
  const adminCookie = await setUpGroup(app);
  const admin = { id: await myId(app, adminCookie), cookie: adminCookie };
  const add = async (role: 'coordinator' | 'secretariat' | 'member' | 'observer', affiliation: { countryId?: string; organizationId?: string }, displayName: string) => {
    const person = await addPerson(app, adminCookie, role, affiliation, { displayName });
    return { id: person.id, cookie: person.cookie };
  };
  const world = {
    admin,
    secretariat: await add('secretariat', { organizationId: 'eclac' }, 'Sara Secretaría'),
    coordinator: await add('coordinator', {}, 'Carlos Coordinador'),
    peFocal: await add('member', { countryId: 'pe' }, 'Pedro Punto Focal'),
    peAlternate: await add('member', { countryId: 'pe' }, 'Paula Alterna'),
    clFocal: await add('member', { countryId: 'cl' }, 'Claudia Focal'),
    clMember: await add('member', { countryId: 'cl' }, 'Camilo Miembro'),
    mxMember: await add('member', { countryId: 'mx' }, 'Marta México'),
    observer: await add('observer', { organizationId: 'unicef' }, 'Olga UNICEF'),
    documentId: '',
  };
  for (const [who, role] of [
    [world.peFocal, 'focal_point'],
    [world.peAlternate, 'alternate'],
    [world.clFocal, 'focal_point'],
  ] as const) {
    const set = await request(app, { method: 'PUT', url: `/api/people/${who.id}/delegation`, cookie: adminCookie, payload: { delegationRole: role } });
    if (set.statusCode !== 200) throw new Error(`delegation: ${set.statusCode} ${set.body}`);
  }
  const uploaded = await upload(app, world.secretariat, { name: 'informe.docx', bytes: styledDocx(DRAFT_V1) }, metadata({ title: { es: 'Informe de actividades', en: 'Activity report' } }));
  if (uploaded.statusCode !== 201) throw new Error(`upload: ${uploaded.statusCode} ${uploaded.body}`);
  world.documentId = uploaded.json().document.id;
  return world;
}

export async function uploadSecondVersion(app: FastifyInstance, world: RoundsWorld, documentId = world.documentId): Promise<void> {
  const response = await uploadVersion(app, world.secretariat, documentId, { name: 'informe-v2.docx', bytes: styledDocx(DRAFT_V2) }, 'Versión 2');
  if (response.statusCode !== 200 && response.statusCode !== 201) throw new Error(`version: ${response.statusCode} ${response.body}`);
}

export const api = (app: FastifyInstance, who: Who | null, method: string, url: string, payload?: unknown) =>
  request(app, { method: method as 'GET', url: `/api${url}`, ...(who ? { cookie: who.cookie } : {}), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

/**
 * Another app on the test app's own database, standing for a second server process or a restart:
 * its SQLite file, or with TEST_ENGINE=postgres its PostgreSQL database. Closed by the caller.
 */
export async function appOnSameDatabase(t: TestApp, overrides: Partial<AppConfig> = {}): Promise<FastifyInstance> {
  const env = { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: ORIGIN, ...(t.config.databaseUrl === null ? {} : { DATABASE_URL: t.config.databaseUrl }) };
  const app = await buildApp(loadConfig(env, overrides), { logger: false });
  await app.ready();
  return app;
}
