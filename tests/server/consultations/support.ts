import type { FastifyInstance } from 'fastify';
import { addPerson, request } from '../../helper.js';
import { populate } from '../debates/support.js';
import type { Participant } from '../debates/support.js';
import type { AnswerChange, AnswerMap } from '../../../server/features/consultations/domain/schemas.js';
import { fichaTecnica } from './fixtures.js';

/** The autosave changes that write these answers into an empty draft (rows of the open table added first). */
export function changesFor(answers: AnswerMap): AnswerChange[] {
  const changes: AnswerChange[] = [];
  for (const [question, value] of Object.entries(answers)) {
    if (value.type !== 'table') {
      changes.push({ question, value });
      continue;
    }
    for (const row of value.rows) {
      if (question === 'surveys') changes.push({ question, addRow: row.id });
      for (const [column, cell] of Object.entries(row.cells)) changes.push({ question, row: row.id, column, cell });
    }
  }
  return changes;
}

/**
 * The people of the consultations' route tests: populate()'s group (admin, coordinator,
 * secretariat, a Chilean member, a Mexican member, a UNICEF observer) with Chile's focal point and
 * an alternate, and a PAHO observer the consultations never invite.
 */
export async function populateConsultations(app: FastifyInstance) {
  const people = await populate(app);
  const add = async (role: 'member' | 'observer', affiliation: { countryId?: string; organizationId?: string }, displayName: string) => {
    const added = await addPerson(app, people.admin.cookie, role, affiliation, { displayName });
    return { id: added.id, cookie: added.cookie } as Participant;
  };
  const focal = await add('member', { countryId: 'cl' }, 'Fernanda Focal');
  const alternate = await add('member', { countryId: 'cl' }, 'Alberto Alterno');
  const paho = await add('observer', { organizationId: 'paho-who' }, 'Paula PAHO');
  const delegation = await request(app, { method: 'PUT', url: `/api/people/${focal.id}/delegation`, cookie: people.admin.cookie, payload: { delegationRole: 'focal_point' } });
  if (delegation.statusCode !== 200) throw new Error(`delegation: ${delegation.statusCode} ${delegation.body}`);
  const alt = await request(app, { method: 'PUT', url: `/api/people/${alternate.id}/delegation`, cookie: people.admin.cookie, payload: { delegationRole: 'alternate' } });
  if (alt.statusCode !== 200) throw new Error(`delegation: ${alt.statusCode} ${alt.body}`);
  return { ...people, focal, alternate, paho };
}
export type ConsultationPeople = Awaited<ReturnType<typeof populateConsultations>>;

export const call = (app: FastifyInstance, who: Participant | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  request(app, { method, url: `/api${url}`, ...(who ? { cookie: who.cookie } : {}), ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

/** A consultation of the ficha técnica addressed to Chile, Mexico and UNICEF, opened; deadline 30 June 2026 23:59 in Santiago. */
export async function openFicha(app: FastifyInstance, organizer: Participant, overrides: Record<string, unknown> = {}) {
  const created = await call(app, organizer, 'POST', '/consultations', {
    title: { es: 'Ficha técnica 2026', en: 'Technical questionnaire 2026' },
    purpose: { es: 'Inventario de **operaciones** estadísticas.', en: 'Inventory of statistical operations.' },
    deadline: { date: '2026-06-30', time: '23:59', zone: 'America/Santiago' },
    targets: ['cl', 'mx', 'unicef'],
    questionnaire: fichaTecnica(),
    ...overrides,
  });
  if (created.statusCode !== 201) throw new Error(`create: ${created.statusCode} ${created.body}`);
  const id = created.json().consultation.id as string;
  const opened = await call(app, organizer, 'POST', `/consultations/${id}/open`);
  if (opened.statusCode !== 200) throw new Error(`open: ${opened.statusCode} ${opened.body}`);
  return id;
}
