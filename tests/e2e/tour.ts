import { DateTime } from 'luxon';
import { minimalPdf } from '../fixtures/documents.js';
import type { Harness } from './harness.js';
import { addMember, addPerson, call, setUp, type Person } from './scenario.js';

/**
 * A forum with something on every main page, for tests that walk them all (layout at phone
 * width, accessibility, wording): a debate whose posts hold long words, long addresses, code
 * and a wide table; a document; a meeting whose room is open, with an agenda, a link, minutes
 * and an action item; a meeting still polling with answers.
 */
export interface Tour {
  admin: Person;
  coordinator: Person;
  member: Person;
  threadId: string;
  documentId: string;
  meetingId: string;
  pollMeetingId: string;
  /** The main pages, by name, as the coordinator opens them (the administration page: the admin). */
  pages: Array<{ name: string; path: string; as: 'coordinator' | 'admin' }>;
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

  const pages: Tour['pages'] = [
    { name: 'directory', path: '/directory', as: 'coordinator' },
    { name: 'debates', path: '/debates', as: 'coordinator' },
    { name: 'thread', path: `/debates/t/${thread.id}`, as: 'coordinator' },
    { name: 'new thread', path: '/debates/new', as: 'coordinator' },
    { name: 'library', path: '/documents', as: 'coordinator' },
    { name: 'document', path: `/documents/${documentId}`, as: 'coordinator' },
    { name: 'upload', path: '/documents/new', as: 'coordinator' },
    { name: 'meetings', path: '/meetings', as: 'coordinator' },
    { name: 'calendar', path: '/meetings/calendar', as: 'coordinator' },
    { name: 'meeting and room', path: `/meetings/${meeting.id}`, as: 'coordinator' },
    { name: 'poll', path: `/meetings/${pollMeeting.id}`, as: 'coordinator' },
    { name: 'new meeting', path: '/meetings/new', as: 'coordinator' },
    { name: 'minutes', path: `/meetings/${meeting.id}/minutes`, as: 'coordinator' },
    { name: 'action items', path: '/meetings/action-items', as: 'coordinator' },
    { name: 'notifications', path: '/notifications', as: 'coordinator' },
    { name: 'search', path: '/search?q=mortalidad', as: 'coordinator' },
    { name: 'profile', path: '/profile', as: 'coordinator' },
    { name: 'admin users', path: '/admin/users', as: 'admin' },
    { name: 'audit log', path: '/admin/audit', as: 'admin' },
  ];
  return { admin, coordinator, member, threadId: thread.id, documentId, meetingId: meeting.id, pollMeetingId: pollMeeting.id, pages };
}
