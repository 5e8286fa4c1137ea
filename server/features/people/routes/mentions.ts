import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import { errorResponses } from '../../../shared/errors.js';
import { OptionalWithDefault } from '../../../shared/schemas.js';
import type { PeopleRepository } from '../repository.js';
import { MentionableSchema } from '../schemas.js';

/**
 * Writing aids of every editor (posts, minutes, chat): who and which countries may be @mentioned,
 * and a preview rendered exactly as what is written will be, mentions resolved as people.ts does.
 */
export const mentionRoutes: FastifyPluginAsyncTypebox<{ repository: PeopleRepository }> = async (fastify, { repository }) => {
  const { markdown, people, reference } = fastify;

  fastify.post(
    '/markdown/preview',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['people'], summary: 'Render Markdown exactly as a post would be', body: Type.Object({ body: Type.String({ maxLength: 50_000 }) }, { additionalProperties: false }), response: { 200: Type.Object({ html: Type.String() }), ...errorResponses } },
    },
    async (request) => ({ html: markdown.render(request.body.body, await people.mentionResolver(requireUser(request).groupId, request.body.body)).html }),
  );

  fastify.get(
    '/mentionable',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['people'],
        summary: 'People and countries to @mention, by prefix',
        querystring: Type.Object({ q: OptionalWithDefault(Type.String({ maxLength: 40, default: '' })) }, { additionalProperties: false }),
        response: {
          200: MentionableSchema,
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const q = request.query.q.replace(/^@/, '').trim();
      const fold = (text: string) => text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
      const countries = (await reference.listCountries())
        .filter((country) => q === '' || country.iso2.toLowerCase().startsWith(q.toLowerCase()) || fold(country.nameEs).startsWith(fold(q)) || fold(country.nameEn).startsWith(fold(q)))
        .slice(0, 10)
        .map((country) => ({ code: country.iso2.toUpperCase(), nameEs: country.nameEs, nameEn: country.nameEn }));
      return { people: await repository.mentionable(user.groupId, q, 10), countries };
    },
  );
};
