import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../../plugins/authorization.js';
import { conflict, errorResponses, notFound } from '../../../shared/errors.js';
import { IdParams, type DebatesCore } from '../core.js';
import { internalEvent } from '../../../plugins/live/hub.js';
import { WATCH_CHANGED } from '../internal-events.js';
import { CategorySchema, CreateCategorySchema, UpdateCategorySchema, WatchLevelSchema } from '../schemas.js';

/** Categories: the list with my watch level, and their administration. */
export const categoryRoutes: FastifyPluginAsyncTypebox<{ core: DebatesCore }> = async (fastify, { core }) => {
  const { repository, categoryView, findCategoryView } = core;

  fastify.get(
    '/categories',
    { config: { access: 'signed-in' }, schema: { tags: ['debates'], summary: 'Categories of my group, in order', response: { 200: Type.Object({ items: Type.Array(CategorySchema) }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      return { items: (await repository.listCategories(user.groupId, user.id)).map((category) => categoryView(user, category)) };
    },
  );

  fastify.post(
    '/categories',
    {
      config: { access: onlyRoles('admin') },
      schema: { tags: ['debates'], summary: 'Create a category', body: CreateCategorySchema, response: { 201: Type.Object({ category: CategorySchema }), ...errorResponses } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body;
      await repository.ensureDefaultCategories(user.groupId);
      if (await repository.slugTaken(user.groupId, body.slug)) throw conflict('slug_taken', 'Another category has this slug.');
      const id = await repository.createCategory(user.groupId, {
        slug: body.slug,
        nameEs: body.nameEs.trim(),
        nameEn: body.nameEn.trim(),
        descriptionEs: body.descriptionEs ?? '',
        descriptionEn: body.descriptionEn ?? '',
        position: body.position ?? 1000,
        startRoles: body.startRoles ?? null,
      });
      reply.status(201);
      return { category: await findCategoryView(user, id) };
    },
  );

  fastify.patch(
    '/categories/:id',
    {
      config: { access: onlyRoles('admin') },
      schema: { tags: ['debates'], summary: 'Change a category', params: IdParams, body: UpdateCategorySchema, response: { 200: Type.Object({ category: CategorySchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const category = await repository.findCategory(user.groupId, request.params.id);
      if (!category) throw notFound('Category');
      if (request.body.slug && (await repository.slugTaken(user.groupId, request.body.slug, category.id))) throw conflict('slug_taken', 'Another category has this slug.');
      await repository.updateCategory(category.id, request.body);
      return { category: await findCategoryView(user, category.id) };
    },
  );

  fastify.put(
    '/categories/:id/watch',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: 'How closely I follow a category',
        params: IdParams,
        body: Type.Object({ level: WatchLevelSchema }, { additionalProperties: false }),
        response: { 200: Type.Object({ category: CategorySchema }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const category = await repository.findCategory(user.groupId, request.params.id);
      if (!category) throw notFound('Category');
      await fastify.unitOfWork.run(async (tx) => {
        await repository.setCategoryWatchWithin(tx, category.id, user.id, request.body.level);
        await fastify.liveHub.publishWithin(tx, [internalEvent(`user:${user.id}`, WATCH_CHANGED, { userId: user.id, threadId: null, categoryId: category.id })]);
      });
      return { category: await findCategoryView(user, category.id) };
    },
  );
};
