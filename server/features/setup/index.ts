import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { conflict, errorResponses } from '../../shared/errors.js';
import { hashPassword } from '../../shared/passwords.js';
import { DisplayNameSchema, EmailSchema, assertTimeZone, LocaleSchema, PasswordSchema, TimeZoneSchema } from '../../shared/schemas.js';
import { MeSchema } from '../people/public.js';
import { SetupRepository } from './repository.js';

const SetupBody = Type.Object(
  {
    groupName: Type.String({ minLength: 3, maxLength: 160, pattern: '\\S' }),
    displayName: DisplayNameSchema,
    email: EmailSchema,
    password: PasswordSchema,
    locale: LocaleSchema,
    timeZone: TimeZoneSchema,
    organizationId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
    countryId: Type.Optional(Type.Union([Type.String({ minLength: 2, maxLength: 2 }), Type.Null()])),
  },
  { additionalProperties: false },
);

const slugify = (name: string) =>
  name.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'group';

/** First run: an empty database offers a form that creates the group and its first administrator. */
const setupRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const repository = new SetupRepository(fastify.database, fastify.people.insertWithin);

  fastify.get(
    '/setup',
    {
      config: { access: 'public' },
      schema: { tags: ['setup'], summary: 'Whether the forum still needs its first set-up', response: { 200: Type.Object({ needed: Type.Boolean() }), ...errorResponses } },
    },
    async () => ({ needed: !(await repository.isSetUp()) }),
  );

  fastify.post(
    '/setup',
    {
      config: { access: 'public' },
      schema: {
        tags: ['setup'],
        summary: 'Create the working group and its first administrator; refused once anyone exists',
        body: SetupBody,
        response: { 201: MeSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const alreadyDone = () => conflict('already_set_up', 'Concilia is already set up. Sign in instead.');
      if (await repository.isSetUp()) throw alreadyDone();
      const body = request.body;
      assertTimeZone(body.timeZone);
      const affiliation = await fastify.people.checkAffiliation('admin', body);
      const admin = {
        email: body.email,
        displayName: body.displayName.trim(),
        passwordHash: await hashPassword(body.password),
        locale: body.locale,
        timeZone: body.timeZone,
        ...affiliation,
      };
      const created = await fastify.unitOfWork.run((commit) => repository.createGroupWithAdminWithin(commit, { name: body.groupName.trim(), slug: slugify(body.groupName) }, admin));
      if (!created) throw alreadyDone();
      const { memberships } = await fastify.startSession(reply, created.userId);
      reply.status(201);
      return fastify.people.meView(memberships[0]!, memberships);
    },
  );
};

export default setupRoutes;
