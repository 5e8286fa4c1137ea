import type { FastifyInstance } from 'fastify';
import { addPerson, request, setUpGroup } from '../../helper.js';
import { myId } from '../support.js';

/**
 * A group for the proposals' HTTP tests: the admin, the coordinator (a moderator), the secretariat,
 * Peru's focal point and alternate, Chile's focal point (who opens the thread), a Mexican member, a
 * UNICEF observer; a thread in the general category.
 */
export type Who = { id: string; cookie: string };

export interface ProposalsWorld {
  admin: Who;
  coordinator: Who;
  secretariat: Who;
  peFocal: Who;
  peAlternate: Who;
  clFocal: Who;
  mxMember: Who;
  observer: Who;
  threadId: string;
  categoryId: string;
}

export const api = (app: FastifyInstance, who: Who | null, method: string, url: string, payload?: unknown) =>
  request(app, { method: method as 'GET', url: `/api${url}`, ...(who ? { cookie: who.cookie } : {}), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

export async function buildProposalsWorld(app: FastifyInstance): Promise<ProposalsWorld> {
  const adminCookie = await setUpGroup(app);
  const admin = { id: await myId(app, adminCookie), cookie: adminCookie };
  const add = async (role: 'coordinator' | 'secretariat' | 'member' | 'observer', affiliation: { countryId?: string; organizationId?: string }, displayName: string) => {
    const person = await addPerson(app, adminCookie, role, affiliation, { displayName });
    return { id: person.id, cookie: person.cookie };
  };
  const world = {
    admin,
    coordinator: await add('coordinator', {}, 'Carlos Coordinador'),
    secretariat: await add('secretariat', { organizationId: 'eclac' }, 'Sara Secretaría'),
    peFocal: await add('member', { countryId: 'pe' }, 'Pedro Punto Focal'),
    peAlternate: await add('member', { countryId: 'pe' }, 'Paula Alterna'),
    clFocal: await add('member', { countryId: 'cl' }, 'Claudia Focal'),
    mxMember: await add('member', { countryId: 'mx' }, 'Marta México'),
    observer: await add('observer', { organizationId: 'unicef' }, 'Olga UNICEF'),
    threadId: '',
    categoryId: '',
  };
  for (const [who, role] of [
    [world.peFocal, 'focal_point'],
    [world.peAlternate, 'alternate'],
    [world.clFocal, 'focal_point'],
  ] as const) {
    const set = await api(app, admin, 'PUT', `/people/${who.id}/delegation`, { delegationRole: role });
    if (set.statusCode !== 200) throw new Error(`delegation: ${set.statusCode} ${set.body}`);
  }
  const categories = (await api(app, admin, 'GET', '/categories')).json().items as Array<{ id: string; mayStart: boolean; slug: string }>;
  world.categoryId = categories.find((category) => category.slug !== 'announcements')!.id;
  world.threadId = await newThread(app, world.clFocal, world.categoryId, 'Método de conciliación de la mortalidad infantil');
  return world;
}

export async function newThread(app: FastifyInstance, who: Who, categoryId: string, title: string): Promise<string> {
  const created = await api(app, who, 'POST', '/threads', { categoryId, title, body: 'Propongo que adoptemos el método B.' });
  if (created.statusCode !== 201) throw new Error(`thread: ${created.statusCode} ${created.body}`);
  return created.json().thread.id as string;
}
