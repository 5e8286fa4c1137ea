import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { receiveUpload, sendStoredFile, uploadRoutes } from '../../../plugins/files/index.js';
import { conflict, errorResponses, forbidden, notFound, uploadErrorResponses } from '../../../shared/errors.js';
import { fileDownloadResponses } from '../../../shared/responses.js';
import { IdParams, MAX_ATTACHMENTS_PER_POST, type DebatesCore } from '../core.js';
import { AttachmentSchema, PostSchema } from '../schemas.js';
import { toAttachment } from '../views.js';
import * as may from '../permissions.js';

/** Files attached to posts (kept by the files plugin, as owner kind 'post'): upload, download, removal. */
export const attachmentRoutes: FastifyPluginAsyncTypebox<{ core: DebatesCore }> = async (fastify, { core }) => {
  const { repository, loadPost, postForViewer, publishUpdatedPostWithin } = core;

  const { attachments, store, maxUploadBytes } = fastify.files;

  const loadAttachment = async (user: SessionUser, id: string) => {
    const attachment = await attachments.find(id);
    if (!attachment || attachment.removedAt !== null || attachment.subjectKind !== 'post') throw notFound('Attachment');
    const { post, thread } = await loadPost(user, attachment.subjectId).catch(() => {
      throw notFound('Attachment');
    });
    // Files follow their post's text: none for a withdrawn post, a hidden one's for moderators and its author.
    if (post.state === 'withdrawn' || (post.state === 'hidden' && !may.maySeeHidden(user, post))) throw notFound('Attachment');
    return { attachment, post, thread };
  };


  await uploadRoutes(fastify, maxUploadBytes, (uploads) => {
    uploads.post(
      '/posts/:id/attachments',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['debates'],
          summary: 'Attach a file to my post (multipart, the part named "file")',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: { 201: Type.Object({ attachment: AttachmentSchema, post: PostSchema }), ...uploadErrorResponses },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const { post, thread } = await loadPost(user, request.params.id);
        if (!may.mayEditPost(user, post)) throw forbidden('Only the author attaches files to a post, and not once it is withdrawn.');
        if (!may.mayReply(user, thread)) throw conflict('thread_locked', 'This thread is locked.');
        if ((await attachments.count('post', post.id)) >= MAX_ATTACHMENTS_PER_POST) throw conflict('too_many_attachments', `A post holds at most ${MAX_ATTACHMENTS_PER_POST} files.`);
        const { file } = await receiveUpload(request, store, maxUploadBytes);
        const now = new Date();
        let attachment, updated;
        try {
          await fastify.files.claim(file, now);
          await store.keep(file);
          ({ attachment, updated } = await fastify.unitOfWork.run(async (commit) => {
            const added = await attachments.add({ subject: { kind: 'post', id: post.id }, file, uploadedBy: user.id, now });
            await repository.touchThread(commit, thread.id);
            return { attachment: added, updated: await publishUpdatedPostWithin(commit, post.id) };
          }));
        } catch (error) {
          await store.discard(file);
          throw error;
        }
        reply.status(201);
        return { attachment: toAttachment(attachment), post: await postForViewer(user, updated) };
      },
    );
  });

  fastify.get(
    '/attachments/:id/download',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: 'A post attachment\'s file; Range and If-None-Match supported',
        params: IdParams,
        querystring: Type.Object({ disposition: Type.Optional(Type.Enum(['attachment', 'inline'])) }, { additionalProperties: false }),
        response: fileDownloadResponses,
      },
    },
    async (request, reply) => {
      const { attachment } = await loadAttachment(requireUser(request), request.params.id);
      return sendStoredFile(request, reply, store, { ...attachment, lastModified: attachment.createdAt }, { disposition: request.query.disposition, publicCache: false });
    },
  );

  fastify.delete(
    '/attachments/:id',
    { config: { access: 'signed-in' }, schema: { tags: ['debates'], summary: 'Remove a file from a post (its author or a moderator)', params: IdParams, response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      const user = requireUser(request);
      const { attachment, post, thread } = await loadAttachment(user, request.params.id);
      if (post.authorId !== user.id && !may.isModerator(user)) throw forbidden('Only the post\'s author or a moderator removes its files.');
      await fastify.unitOfWork.run(async (commit) => {
        if (!(await attachments.remove(attachment.id, new Date()))) return;
        await repository.touchThread(commit, thread.id);
        await publishUpdatedPostWithin(commit, post.id);
      });
      reply.status(204);
      return null;
    },
  );
};
