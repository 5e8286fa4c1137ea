import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import { receiveUpload, uploadRoutes } from '../../../plugins/files/index.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { badRequest, uploadErrorResponses } from '../../../shared/errors.js';
import { mayWrite } from '../domain/lifecycle.js';
import { indexQuestionnaire } from '../domain/questionnaire.js';
import type { AnswerChange, AnswerMap } from '../domain/schemas.js';
import { type Core, refusal, toConsultation } from '../core.js';
import { AnswerFileResponse } from '../schemas.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** The library documents answers to file questions name. */
export function documentIdsIn(answers: Iterable<AnswerMap>): string[] {
  const ids = new Set<string>();
  for (const map of answers) for (const value of Object.values(map)) if (value.type === 'file') for (const id of value.documentIds) ids.add(id);
  return [...ids];
}

/** Of these documents, the ones the reader may see, by id, with their titles: what an answer's file shows. */
export async function documentsFor(fastify: FastifyInstance, reader: SessionUser, ids: readonly string[]) {
  return Object.fromEntries([...(await fastify.documents.readable(reader, ids))].map(([id, document]) => [id, { title: document.title }]));
}

/**
 * A file answer names only documents its writer may read (in practice, the files its delegation
 * uploaded through the route below): otherwise a delegate could put any document id in an answer.
 */
export async function assertReadableFiles(fastify: FastifyInstance, user: SessionUser, changes: readonly AnswerChange[]): Promise<void> {
  const ids = [...new Set(changes.flatMap((change) => ('value' in change && change.value?.type === 'file' ? change.value.documentIds : [])))];
  if (ids.length === 0) return;
  const readable = await fastify.documents.readable(user, ids);
  const unknown = ids.filter((id) => !readable.has(id));
  if (unknown.length > 0) throw badRequest('unknown_document', 'A file answer names a document that does not exist or that you may not read; upload the file first.', unknown.map((id) => ({ field: 'documentIds', message: `unknown document ${id}` })));
}

/**
 * A file question's upload: the file goes to the library (fastify.documents.fileRestricted), readable
 * by the answering delegation and the organizers only; the client then saves its id in the draft
 * like any other answer, so autosave, stale-save refusal, history and submission treat it alike.
 */
export const answerFileRoutes: FastifyPluginAsyncTypebox<{ core: Core }> = async (fastify, { core }) => {
  const { repository } = core;
  await uploadRoutes(fastify, fastify.files.maxUploadBytes, (uploads) => {
    uploads.post(
      '/consultations/:id/files',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['consultations: answering'],
          summary: 'Upload a file for a file question: multipart with the "question" field before the "file" part; filed in the library for my delegation and the organizers',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: { 201: AnswerFileResponse, ...uploadErrorResponses },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const { row, respondent } = await core.loadAnswering(user, request.params.id);
        const { file } = await receiveUpload(request, fastify.files.store, fastify.files.maxUploadBytes, async (fields) => {
          const question = fields.get('question') ?? '';
          if (indexQuestionnaire(row.questionnaire).byId.get(question)?.question.type !== 'file') {
            throw badRequest('unknown_question', `The questionnaire has no file question "${question}".`, [{ field: 'question', message: 'is not a file question' }]);
          }
          // The deadline holds for files as for every other write; checked before a byte is stored.
          const stored = await repository.respondent(row.id, respondent);
          const allowed = mayWrite(toConsultation((await repository.find(row.id))!), core.stateOf(stored, respondent).state, core.now());
          if (!allowed.ok) throw refusal(allowed.error);
        });
        const document = await fastify.documents.fileRestricted({ groupId: user.groupId, actorId: user.id, ip: request.ip, file, audience: [respondent], now: new Date(core.now()) });
        reply.status(201);
        return { document };
      },
    );
  });
};
