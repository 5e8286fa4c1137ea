import { DateTime } from 'luxon';
import { minimalPdf } from '../fixtures/documents.js';
import { styledDocx, type DocxItem } from '../fixtures/structured-docx.js';
import { fichaTecnica } from '../server/consultations/fixtures.js';
import type { Harness } from './harness.js';
import { addMember, addPerson, call, setUp, type Person } from './scenario.js';

/**
 * A forum with something on every page, for tests that walk them all (layout at phone width,
 * accessibility, wording): a debate whose posts hold long words, long addresses, code and a wide
 * table; a document; a meeting whose room is open, with an agenda, a link, minutes and an action
 * item; a meeting still polling with answers; an open consultation and a draft one; a
 * discrepancy case from two imports; a comment round on a DOCX with a second version.
 *
 * Every client route (client/app/features.ts, ROUTES) is walked: TOUR_PAGES names each page by
 * its route, and tests/client/tour-routes.test.ts fails when a route is neither here nor in
 * NOT_TOURED (with the reason).
 */
export interface TourPage {
  name: string;
  /** The route's pattern, as the feature registers it ('/rounds/:id/matrix'). */
  route: string;
  /** The address opened, filled in with the tour's objects. */
  path: string;
  as: 'coordinator' | 'admin' | 'guest';
}

/** What the tour made, for the pages' addresses. */
interface TourObjects {
  threadId: string;
  categorySlug: string;
  documentId: string;
  meetingId: string;
  pollMeetingId: string;
  memberId: string;
  consultationId: string;
  draftConsultationId: string;
  caseId: string;
  roundId: string;
  invitationToken: string;
}

/** Every page the tour walks, by route; `path` fills in the objects the tour made. */
export const TOUR_PAGES: ReadonlyArray<{ name: string; route: string; as: TourPage['as']; path: (o: TourObjects) => string }> = [
  { name: 'home', route: '/', as: 'coordinator', path: () => '/' },
  { name: 'directory', route: '/directory', as: 'coordinator', path: () => '/directory' },
  { name: 'person', route: '/people/:id', as: 'coordinator', path: (o) => `/people/${o.memberId}` },
  { name: 'debates', route: '/debates', as: 'coordinator', path: () => '/debates' },
  { name: 'debates of a category', route: '/debates/c/:slug', as: 'coordinator', path: (o) => `/debates/c/${o.categorySlug}` },
  { name: 'thread', route: '/debates/t/:id', as: 'coordinator', path: (o) => `/debates/t/${o.threadId}` },
  { name: 'new thread', route: '/debates/new', as: 'coordinator', path: () => '/debates/new' },
  { name: 'library', route: '/documents', as: 'coordinator', path: () => '/documents' },
  { name: 'document', route: '/documents/:id', as: 'coordinator', path: (o) => `/documents/${o.documentId}` },
  { name: 'upload', route: '/documents/new', as: 'coordinator', path: () => '/documents/new' },
  { name: 'trash', route: '/documents/trash', as: 'admin', path: () => '/documents/trash' },
  { name: 'meetings', route: '/meetings', as: 'coordinator', path: () => '/meetings' },
  { name: 'my meetings', route: '/meetings/mine', as: 'coordinator', path: () => '/meetings/mine' },
  { name: 'date polls', route: '/meetings/polls', as: 'coordinator', path: () => '/meetings/polls' },
  { name: 'past meetings', route: '/meetings/past', as: 'coordinator', path: () => '/meetings/past' },
  { name: 'calendar', route: '/meetings/calendar', as: 'coordinator', path: () => '/meetings/calendar' },
  { name: 'meeting and room', route: '/meetings/:id', as: 'coordinator', path: (o) => `/meetings/${o.meetingId}` },
  { name: 'poll', route: '/meetings/:id', as: 'coordinator', path: (o) => `/meetings/${o.pollMeetingId}` },
  { name: 'new meeting', route: '/meetings/new', as: 'coordinator', path: () => '/meetings/new' },
  { name: 'edit a meeting', route: '/meetings/:id/edit', as: 'coordinator', path: (o) => `/meetings/${o.meetingId}/edit` },
  { name: 'minutes', route: '/meetings/:id/minutes', as: 'coordinator', path: (o) => `/meetings/${o.meetingId}/minutes` },
  { name: 'action items', route: '/meetings/action-items', as: 'coordinator', path: () => '/meetings/action-items' },
  { name: 'consultations', route: '/consultations', as: 'coordinator', path: () => '/consultations' },
  { name: 'consultation', route: '/consultations/:id', as: 'coordinator', path: (o) => `/consultations/${o.consultationId}` },
  { name: 'new consultation (builder)', route: '/consultations/new', as: 'coordinator', path: () => '/consultations/new' },
  { name: 'edit a draft consultation (builder)', route: '/consultations/:id/edit', as: 'coordinator', path: (o) => `/consultations/${o.draftConsultationId}/edit` },
  { name: 'discrepancy matrix', route: '/discrepancies', as: 'coordinator', path: () => '/discrepancies' },
  { name: 'discrepancy cases', route: '/discrepancies/cases', as: 'coordinator', path: () => '/discrepancies/cases' },
  { name: 'discrepancy case', route: '/discrepancies/cases/:id', as: 'coordinator', path: (o) => `/discrepancies/cases/${o.caseId}` },
  { name: 'discrepancy import', route: '/discrepancies/import', as: 'coordinator', path: () => '/discrepancies/import' },
  { name: 'indicator catalogue', route: '/indicators', as: 'coordinator', path: () => '/indicators' },
  // The MDG 2008 list ships with every instance; the tour's debates are tagged with its indicators.
  { name: 'indicator hub', route: '/indicators/:versionId/:code', as: 'coordinator', path: () => '/indicators/mdg-2008/4.1' },
  { name: 'comment rounds', route: '/rounds', as: 'coordinator', path: () => '/rounds' },
  { name: 'new comment round', route: '/rounds/new', as: 'coordinator', path: () => '/rounds/new' },
  { name: 'comment round', route: '/rounds/:id', as: 'coordinator', path: (o) => `/rounds/${o.roundId}` },
  { name: 'comment-resolution matrix', route: '/rounds/:id/matrix', as: 'coordinator', path: (o) => `/rounds/${o.roundId}/matrix` },
  { name: 'compare versions', route: '/rounds/:id/compare', as: 'coordinator', path: (o) => `/rounds/${o.roundId}/compare` },
  { name: 'notifications', route: '/notifications', as: 'coordinator', path: () => '/notifications' },
  { name: 'search', route: '/search', as: 'coordinator', path: () => '/search?q=mortalidad' },
  { name: 'profile', route: '/profile', as: 'coordinator', path: () => '/profile' },
  { name: 'e-mail preferences', route: '/mail/preferences', as: 'coordinator', path: () => '/mail/preferences' },
  { name: 'admin users', route: '/admin/users', as: 'admin', path: () => '/admin/users' },
  { name: 'audit log', route: '/admin/audit', as: 'admin', path: () => '/admin/audit' },
  { name: 'outgoing e-mail', route: '/mail/outbox', as: 'admin', path: () => '/mail/outbox' },
  { name: 'working groups of the instance', route: '/instance/groups', as: 'admin', path: () => '/instance/groups' },
  { name: 'sign in', route: '/login', as: 'guest', path: () => '/login' },
  { name: 'forgot password', route: '/forgot-password', as: 'guest', path: () => '/forgot-password' },
  { name: 'invitation', route: '/invitation/:token', as: 'guest', path: (o) => `/invitation/${o.invitationToken}` },
  { name: 'confirm an e-mail address (a link that does not work)', route: '/confirm-email/:token', as: 'guest', path: () => `/confirm-email/${'a'.repeat(32)}` },
  { name: 'reset a password (a link that does not work)', route: '/reset-password/:token', as: 'guest', path: () => `/reset-password/${'a'.repeat(32)}` },
];

/** Client routes the tour does not walk, and why. */
export const NOT_TOURED: Readonly<Record<string, string>> = {
  '/setup': 'only exists before the forum is set up; the tour starts by setting it up',
};

export interface Tour {
  admin: Person;
  coordinator: Person;
  member: Person;
  threadId: string;
  documentId: string;
  meetingId: string;
  pollMeetingId: string;
  /** The signed-in pages, by name, as the coordinator opens them (the administration pages: the admin). */
  pages: Array<TourPage & { as: 'coordinator' | 'admin' }>;
  /** The pages of people not signed in. */
  guestPages: TourPage[];
}

export const TOUR_ZONE = 'America/Mexico_City';
export const TOUR_THREAD = 'Discrepancias en la serie de mortalidad infantil';
export const TOUR_MEETING = 'Sesión de coordinación regional';
export const TOUR_POLL = 'Taller sobre cuentas nacionales';

const LONG_WORD = 'Desproporcionadamenteinconstitucionalmenteestadisticamentepluriempleadosignificativamente';
const LONG_URL = 'https://estadisticas.example.org/indicadores/odm/series-historicas/mortalidad-infantil/desagregaciones?pais=MX&anio=2026&desagregacion=sexo-edad-area-urbana-rural&formato=csv';

/** A post body that has broken phone layouts before: unbreakable words, addresses, code and a table. */
export const WIDE_POST = [
  `Revisemos la serie publicada en ${LONG_URL} antes de la sesión. ${LONG_WORD}. Mencionamos a @MX para que lo revise.`,
  '',
  '```',
  'SELECT pais, anio, valor_nacional, valor_internacional, valor_nacional - valor_internacional AS discrepancia FROM indicadores_odm WHERE codigo = \'4.1\';',
  '```',
  '',
  '| País | Indicador | Año | Valor nacional | Valor internacional | Fuente nacional | Fuente internacional | Diferencia |',
  '|---|---|---|---|---|---|---|---|',
  '| México | 4.1 Tasa de mortalidad de niños menores de cinco años | 2026 | 13,2 | 14,1 | Encuesta Nacional de la Dinámica Demográfica | Grupo Interinstitucional de las Naciones Unidas | 0,9 |',
].join('\n');

export async function buildTour(h: Harness): Promise<Tour> {
  const admin = await setUp(h, { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' });
  const coordinator = await addPerson(h, admin, {
    displayName: 'Carla Coordinadora',
    email: 'carla@ine.cl',
    password: 'carla-password-1',
    role: 'coordinator',
    countryId: 'cl',
    timeZone: TOUR_ZONE,
  });
  const member = await addMember(h, admin, { displayName: 'Lucía Hernández', email: 'lucia@inegi.org.mx', password: 'lucia-password-1', countryId: 'mx', timeZone: TOUR_ZONE });
  await addMember(h, admin, { displayName: 'Kavita Ramdial', email: 'kavita@cso.gov.tt', password: 'kavita-password-1', countryId: 'tt', timeZone: 'America/Port_of_Spain' });

  const categories = await call<{ items: Array<{ id: string; mayStart: boolean }> }>(h, 'GET', '/api/categories', undefined, coordinator.cookie);
  const categoryId = categories.items.find((c) => c.mayStart)!.id;
  const { thread } = await call<{ thread: { id: string } }>(
    h,
    'POST',
    '/api/threads',
    { categoryId, title: TOUR_THREAD, body: WIDE_POST, tags: ['mortalidad'], indicatorCodes: ['4.1'] },
    coordinator.cookie,
  );
  await call(h, 'POST', `/api/threads/${thread.id}/posts`, { body: `Gracias. ${LONG_WORD} ${LONG_URL}` }, member.cookie);

  const form = new FormData();
  form.append(
    'metadata',
    JSON.stringify({
      title: { es: 'Informe de conciliación de cifras de mortalidad infantil 2026', en: 'Reconciliation report on child mortality figures 2026' },
      description: { es: `Diferencias entre cifras nacionales e internacionales. ${LONG_URL}`, en: '' },
      type: 'report',
      languages: ['es'],
      publicationDate: '2026-10-01',
      tags: ['mortalidad', LONG_WORD.slice(0, 40)],
      indicatorCodes: ['4.1'],
      visibility: 'group',
      relatedThreadId: thread.id,
    }),
  );
  form.append('file', new Blob([new Uint8Array(minimalPdf('informe de conciliacion'))]), 'informe-de-conciliacion-de-cifras-de-mortalidad-infantil-2026.pdf');
  const encoded = new Request('http://127.0.0.1/', { method: 'POST', body: form });
  const uploaded = await h.app.inject({
    method: 'POST',
    url: '/api/documents',
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type')!, origin: h.baseUrl, cookie: coordinator.cookie },
  });
  if (uploaded.statusCode !== 201) throw new Error(`upload failed: ${uploaded.statusCode} ${uploaded.body}`);
  const documentId = uploaded.json().document.id as string;

  // Starting in a few minutes: the room is open (from 15 minutes before), so are the minutes.
  const start = DateTime.utc().plus({ minutes: 5 }).startOf('minute');
  const { meeting } = await call<{ meeting: { id: string; agenda: Array<{ id: string }>; occurrences: Array<{ id: string }> } }>(
    h,
    'POST',
    '/api/meetings',
    {
      title: TOUR_MEETING,
      kind: 'virtual_meeting',
      timeZone: TOUR_ZONE,
      startsAt: start.toISO(),
      endsAt: start.plus({ hours: 2 }).toISO(),
      description: `Preparación del informe regional. Documentos en ${LONG_URL}\n\n${LONG_WORD}`,
      agenda: [
        { title: 'Apertura y aprobación de la agenda', presenter: 'Secretaría técnica', minutes: 10 },
        { title: 'Presentación de las discrepancias nacionales e internacionales por país', presenter: 'Coordinación', minutes: 45 },
        { title: 'Próximos pasos', minutes: 15 },
      ],
      onlineUrl: 'https://meet.jit.si/concilia-sesion-de-coordinacion-regional-2026',
      accessNotes: `Código de acceso: 4821. ${LONG_URL}`,
      invitees: { everyone: false, countryIds: ['mx', 'tt', 'co', 'cl'] },
      threadIds: [thread.id],
      documentIds: [documentId],
    },
    coordinator.cookie,
  );
  const occurrenceId = meeting.occurrences[0]!.id;
  await call(h, 'POST', `/api/meetings/${meeting.id}/room/join`, {}, member.cookie);
  await call(h, 'POST', `/api/meetings/${meeting.id}/room/messages`, { body: `Hola a todos. ${LONG_URL}` }, member.cookie);
  const draft = await call<{ minutes: { draft: { revision: number; content: { sections: Array<{ key: string }> } } } }>(
    h,
    'PATCH',
    `/api/meetings/${meeting.id}/minutes`,
    { occurrenceId, revision: 0, introduction: `Acta de la sesión. ${LONG_URL}` },
    coordinator.cookie,
  );
  const section = draft.minutes.draft.content.sections[1]!;
  const saved = await call<{ minutes: { draft: { revision: number } } }>(
    h,
    'PATCH',
    `/api/meetings/${meeting.id}/minutes`,
    {
      occurrenceId,
      revision: draft.minutes.draft.revision,
      sections: [
        {
          key: section.key,
          summary: `Se revisaron las series. ${LONG_WORD}`,
          decisions: 'Los países envían sus cuadros antes de fin de mes.',
          actionItems: [{ id: crypto.randomUUID(), text: `Enviar la serie revisada de mortalidad infantil a la secretaría técnica ${LONG_URL}`, responsibleCountryId: 'mx', responsiblePersonId: null, dueDate: '2026-12-15' }],
        },
      ],
    },
    coordinator.cookie,
  );
  await call(h, 'POST', `/api/meetings/${meeting.id}/minutes/publish`, { occurrenceId, revision: saved.minutes.draft.revision }, coordinator.cookie);

  const day = DateTime.now().setZone(TOUR_ZONE).plus({ days: 10 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  const { meeting: pollMeeting } = await call<{ meeting: { id: string } }>(
    h,
    'POST',
    '/api/meetings',
    {
      title: TOUR_POLL,
      kind: 'virtual_meeting',
      timeZone: TOUR_ZONE,
      invitees: { everyone: true },
      poll: { slots: [0, 1, 2].map((n) => ({ startsAt: day.plus({ days: n }).toUTC().toISO(), endsAt: day.plus({ days: n, hours: 2 }).toUTC().toISO() })) },
    },
    coordinator.cookie,
  );
  const poll = await call<{ poll: { slots: Array<{ id: string }> } }>(h, 'GET', `/api/meetings/${pollMeeting.id}/poll`, undefined, member.cookie);
  await call(h, 'PUT', `/api/meetings/${pollMeeting.id}/poll/answers`, { answers: poll.poll.slots.map((slot, i) => ({ slotId: slot.id, answer: i === 0 ? 'yes' : 'if_need_be' })) }, member.cookie);

  const more = await seedNewerFeatures(h, coordinator, member);
  const invitation = await call<{ acceptUrl: string }>(h, 'POST', '/api/invitations', { email: 'invitada@ine.gob.gt', role: 'member', countryId: 'gt' }, admin.cookie);
  const categorySlug = (await call<{ items: Array<{ id: string; slug: string }> }>(h, 'GET', '/api/categories', undefined, coordinator.cookie)).items.find((c) => c.id === categoryId)!.slug;
  const objects: TourObjects = {
    threadId: thread.id,
    categorySlug,
    documentId,
    meetingId: meeting.id,
    pollMeetingId: pollMeeting.id,
    memberId: member.id,
    invitationToken: new URL(invitation.acceptUrl).pathname.split('/').pop()!,
    ...more,
  };
  const all = TOUR_PAGES.map(({ path, ...page }) => ({ ...page, path: path(objects) }));
  const pages = all.filter((page): page is TourPage & { as: 'coordinator' | 'admin' } => page.as !== 'guest');
  const guestPages = all.filter((page) => page.as === 'guest');
  return { admin, coordinator, member, threadId: thread.id, documentId, meetingId: meeting.id, pollMeetingId: pollMeeting.id, pages, guestPages };
}

/** A DOCX with headings, for a comment round (as tests/server/rounds/world.ts). */
const ROUND_DRAFT: DocxItem[] = [
  { style: 'Title', text: 'Informe de actividades a la Conferencia' },
  { style: 'Heading1', text: 'Introducción' },
  { text: 'Este informe resume el trabajo del grupo durante el bienio.' },
  { style: 'Heading1', text: 'Resultados' },
  { text: 'Las discrepancias se concilian con el método de la oficina nacional cuando los registros vitales son completos.' },
];

async function multipartUpload(h: Harness, url: string, cookie: string, fields: Record<string, string>, file: { name: string; bytes: Buffer }): Promise<{ document: { id: string } }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
  const encoded = new Request('http://127.0.0.1/', { method: 'POST', body: form });
  const response = await h.app.inject({
    method: 'POST',
    url,
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type')!, origin: h.baseUrl, cookie },
  });
  if (response.statusCode >= 300) throw new Error(`upload to ${url} failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

async function importCsv(h: Harness, cookie: string, query: Record<string, string>, body: string): Promise<void> {
  const response = await h.app.inject({ method: 'POST', url: `/api/discrepancies/releases?${new URLSearchParams(query)}`, payload: body, headers: { 'content-type': 'text/csv', origin: h.baseUrl, cookie } });
  if (response.statusCode !== 201) throw new Error(`import failed: ${response.statusCode} ${response.body}`);
}

/** The consultations, the discrepancy register and the comment rounds, each with something on its pages. */
async function seedNewerFeatures(h: Harness, coordinator: Person, member: Person) {
  const deadline = { date: DateTime.now().plus({ days: 30 }).toISODate()!, time: '23:59', zone: 'America/Santiago' };
  const consultation = (title: string) => ({
    title: { es: title, en: `${title} (EN)` },
    purpose: { es: `Inventario de **operaciones** estadísticas. ${LONG_URL}`, en: 'Inventory of statistical operations.' },
    deadline,
    targets: ['cl', 'mx', 'tt'],
    questionnaire: fichaTecnica(),
  });
  const opened = await call<{ consultation: { id: string } }>(h, 'POST', '/api/consultations', consultation('Ficha técnica de operaciones estadísticas 2026'), coordinator.cookie);
  await call(h, 'POST', `/api/consultations/${opened.consultation.id}/open`, {}, coordinator.cookie);
  const draft = await call<{ consultation: { id: string } }>(h, 'POST', '/api/consultations', consultation('Borrador de consulta sobre registros vitales'), coordinator.cookie);

  // A case: UNSD's value for Mexico and the national one differ.
  const unsdHeader =
    'Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,TimeCoverage,UpperBound,LowerBound,BasePeriod,Source,GeoInfoUrl,FootNote,[Age],[Location],[Nature],[Reporting Type],[Sex],[Units]';
  const unsdRow = (year: number, value: string) =>
    `4,4.A,4.1,SH_DYN_MORT,"Under-five mortality rate (deaths per 1,000 live births)",484,Mexico,${year},${value},${year},,,,,"UN IGME, estimates 2025",,"Model estimate.",<5Y,ALLAREA,E,G,_T,PER_1000_LIVE_BIRTHS`;
  await importCsv(h, coordinator.cookie, { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title: 'SDG Global Database 2026.Q2', releaseDate: '2026-06-30' }, `${unsdHeader}\r\n${unsdRow(2019, '14.1')}\r\n${unsdRow(2020, '13.9')}\r\n`);
  const nationalHeader = 'indicator,series,country,year,value,unit,unit_mult,sex,age,location,other_disaggregation,source_type,source_detail,footnote,obs_status';
  const nationalRow = (year: number, value: string) => `4.1,SH_DYN_MORT,MEX,${year},${value},PER_1000_LIVE_BIRTHS,0,_T,Y_LT5,_T,,civil_registration,Estadísticas vitales,,A`;
  await importCsv(h, member.cookie, { side: 'national', format: 'national_csv', title: 'Estadísticas vitales de México' }, `${nationalHeader}\n${nationalRow(2019, '12.8')}\n${nationalRow(2020, '13.2')}\n`);
  const cases = await call<{ items: Array<{ id: string }> }>(h, 'GET', '/api/discrepancies/cases', undefined, coordinator.cookie);
  const caseId = cases.items[0]!.id;
  await call(h, 'POST', `/api/discrepancies/cases/${caseId}/comments`, { body: `La cifra nacional viene del registro civil. ${LONG_URL}` }, member.cookie);

  // A comment round on a DOCX, and its second version to compare with.
  const meta = JSON.stringify({
    title: { es: 'Informe de actividades a la Conferencia Estadística de las Américas', en: 'Activity report to the Statistical Conference of the Americas' },
    description: { es: '', en: '' },
    type: 'report',
    languages: ['es'],
    publicationDate: '2026-10-01',
    tags: [],
    indicatorCodes: [],
    visibility: 'group',
  });
  const docx = await multipartUpload(h, '/api/documents', coordinator.cookie, { metadata: meta }, { name: 'informe-de-actividades.docx', bytes: styledDocx(ROUND_DRAFT) });
  const round = await call<{ round: { id: string } }>(
    h,
    'POST',
    '/api/rounds',
    { documentId: docx.document.id, version: 1, consulted: { countryIds: ['mx', 'cl'], organizationIds: [] }, deadline: DateTime.utc().plus({ days: 14 }).toISO(), instructions: 'Comenten antes del plazo.' },
    coordinator.cookie,
  );
  const second: DocxItem[] = [...ROUND_DRAFT, { text: 'Párrafo añadido en la segunda versión.' }];
  await multipartUpload(h, `/api/documents/${docx.document.id}/versions`, coordinator.cookie, { changeNote: 'Versión 2' }, { name: 'informe-de-actividades-v2.docx', bytes: styledDocx(second) });
  return { consultationId: opened.consultation.id, draftConsultationId: draft.consultation.id, caseId, roundId: round.round.id };
}
