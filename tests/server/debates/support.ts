import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { addPerson, request, setUpGroup } from '../../helper.js';
import { myId } from '../support.js';

export interface Participant {
  id: string;
  cookie: string;
}

/**
 * A group with one person per role (and a second member, of another country) to act with.
 * Display names are fixed so handles are predictable: "Mara Member" → @mara.member.
 */
export async function populate(app: FastifyInstance) {
  const adminCookie = await setUpGroup(app);
  const admin: Participant = { id: await myId(app, adminCookie), cookie: adminCookie };
  const person = async (role: Parameters<typeof addPerson>[2], displayName: string, affiliation: Parameters<typeof addPerson>[3] = {}) => {
    const added = await addPerson(app, adminCookie, role, affiliation, { displayName });
    return { id: added.id, cookie: added.cookie };
  };
  const coordinator = await person('coordinator', 'Carla Coordinadora');
  const secretariat = await person('secretariat', 'Sergio Secretaría');
  const member = await person('member', 'Mara Member', { countryId: 'cl' });
  const otherMember = await person('member', 'Óscar Pérez', { countryId: 'mx' });
  const observer = await person('observer', 'Olga Observer');
  return { admin, coordinator, secretariat, member, otherMember, observer };
}

export type People = Awaited<ReturnType<typeof populate>>;

export const api = (app: FastifyInstance, who: Participant, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  request(app, { method, url: `/api${url}`, cookie: who.cookie, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

export async function categoryId(app: FastifyInstance, who: Participant, slug: string): Promise<string> {
  const response = await api(app, who, 'GET', '/categories');
  expect(response.statusCode, response.body).toBe(200);
  const category = (response.json().items as Array<{ id: string; slug: string }>).find((item) => item.slug === slug);
  if (!category) throw new Error(`no category ${slug}`);
  return category.id;
}

export async function startThread(app: FastifyInstance, who: Participant, input: { categoryId: string; title?: string; body?: string; tags?: string[]; indicatorCodes?: string[] }) {
  const response = await api(app, who, 'POST', '/threads', { title: 'A thread about figures', body: 'Opening text.', ...input });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { thread: { id: string; version: number }; post: { id: string; seq: number } };
}

export async function reply(app: FastifyInstance, who: Participant, threadId: string, body: string, parentId?: string) {
  const response = await api(app, who, 'POST', `/threads/${threadId}/posts`, { body, ...(parentId ? { parentId } : {}) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().post as Post;
}

export interface Post {
  id: string;
  seq: number;
  parentId: string | null;
  depth: number;
  state: string;
  html: string | null;
  hiddenReason: string | null;
  agreeCount: number;
  agreedByMe: boolean;
  mayEdit: boolean;
  mayModerate: boolean;
  revisionCount: number;
  inReplyTo: { postId: string; authorName: string } | null;
  author: { id: string; handle: string };
}

export async function allPosts(app: FastifyInstance, who: Participant, threadId: string, view: 'tree' | 'chronological', limit = 100): Promise<Post[]> {
  const items: Post[] = [];
  let cursor: string | null = null;
  do {
    const query = `view=${view}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await api(app, who, 'GET', `/threads/${threadId}/posts?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    items.push(...response.json().items);
    cursor = response.json().nextCursor;
  } while (cursor);
  return items;
}
