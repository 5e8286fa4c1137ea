import type { FastifyInstance } from 'fastify';
import { notFound } from '../../shared/errors.js';
import { toMeView } from './views.js';

/** The MeSchema answer for a user of the instance's group: after sign-in, set-up, acceptance, or GET /api/me. */
export async function loadMeView(fastify: FastifyInstance, userId: string) {
  const group = await fastify.groups.findDefault();
  const person = group && (await fastify.people.find(group.id, userId));
  if (!group || !person) throw notFound('User');
  return toMeView(person, group);
}
