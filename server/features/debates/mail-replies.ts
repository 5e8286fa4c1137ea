import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { AcceptedFile, FileRefusal } from '../../plugins/files/index.js';
import type { InboundReply, LocalizedText } from '../../plugins/mail/index.js';
import { MAX_ATTACHMENTS_PER_POST, type DebatesCore } from './core.js';
import * as may from './permissions.js';

/** The longest post a reply by mail may make (as the API's Body). */
const MAX_BODY = 50_000;

/**
 * Replies by mail to a thread's notification become a post in the thread as their author (the
 * mail plugin has checked the sender and removed the quoted text and signature): an answer to the
 * opening post, published, notified and sent live as one written in the forum, through the same
 * step as the posts route. Its attachments go through the checks of an upload (name, size, type
 * by extension and content) and are attached to the post; one refused refuses the whole reply,
 * with a bounce that names it, rather than posting the text without what it refers to.
 */
export function takeRepliesByMail(fastify: FastifyInstance, core: DebatesCore): void {
  const { repository, render, appendReplyWithin } = core;
  const { store } = fastify.files;
  fastify.mail.onReply('thread', async (reply) => {
    const memberships = fastify.sessions.membershipsOfPerson(reply.person.userId);
    if (memberships.length === 0) return { accepted: false, reason: 'not_allowed' };
    const thread = await repository.findThread(reply.about.id);
    // The person as they are in the thread's group (they may belong to several).
    const user = thread && memberships.find((membership) => membership.groupId === thread.groupId);
    if (!thread || !user || !core.owners.mayRead(user, thread)) return { accepted: false, reason: 'gone' };
    if (!may.mayReply(user, thread)) return { accepted: false, reason: 'locked' };
    if (reply.text.length > MAX_BODY) return { accepted: false, reason: 'too_large' };
    const parent = await repository.openingPost(thread.id);
    if (!parent) return { accepted: false, reason: 'gone' };
    if (reply.attachments.length > MAX_ATTACHMENTS_PER_POST) return { accepted: false, reason: 'attachment_refused', message: tooMany(reply.attachments.length) };

    const files: AcceptedFile[] = [];
    const discardAll = () => Promise.all(files.map((file) => store.discard(file)));
    for (const attachment of reply.attachments) {
      const checked = await fastify.files.check(attachment.filename, Readable.from([attachment.content]));
      if (!checked.ok) {
        await discardAll();
        return { accepted: false, reason: 'attachment_refused', message: refusalOf(attachment, checked, fastify.files.maxUploadBytes) };
      }
      files.push(checked.file);
    }
    const rendered = render(user.groupId, reply.text);
    const now = new Date();
    try {
      for (const file of files) {
        await fastify.files.claim(file, now);
        await store.keep(file);
      }
      await fastify.unitOfWork.run((commit) => appendReplyWithin(commit, { user, thread, parent, source: reply.text, rendered, now, files }));
    } catch (error) {
      await discardAll();
      throw error;
    }
    return { accepted: true };
  });
}

const tooMany = (count: number): LocalizedText => ({
  en: `The reply has ${count} attachments; a post holds at most ${MAX_ATTACHMENTS_PER_POST}.`,
  es: `La respuesta trae ${count} adjuntos; una intervención admite como máximo ${MAX_ATTACHMENTS_PER_POST}.`,
  pt: `A resposta tem ${count} anexos; uma mensagem aceita no máximo ${MAX_ATTACHMENTS_PER_POST}.`,
  fr: `La réponse compte ${count} pièces jointes ; une contribution en accepte au plus ${MAX_ATTACHMENTS_PER_POST}.`,
});

const ACCEPTED = 'PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument (.odt, .ods, .odp), ZIP, CSV, TXT, PNG, JPEG';

/** The bounce's words for a refused attachment, naming it. */
function refusalOf(attachment: InboundReply['attachments'][number], refusal: FileRefusal, maxUploadBytes: number): LocalizedText {
  const name = attachment.filename;
  const mb = Math.round(maxUploadBytes / (1024 * 1024));
  switch (refusal.code) {
    case 'file_too_large':
      return {
        en: `“${name}” is larger than the limit of ${mb} MB.`,
        es: `«${name}» supera el límite de ${mb} MB.`,
        pt: `“${name}” é maior que o limite de ${mb} MB.`,
        fr: `« ${name} » dépasse la limite de ${mb} Mo.`,
      };
    case 'unsupported_type':
      return {
        en: `“${name}”: files of this type are not accepted. Accepted: ${ACCEPTED}.`,
        es: `«${name}»: no se aceptan archivos de este tipo. Se aceptan: ${ACCEPTED}.`,
        pt: `“${name}”: arquivos deste tipo não são aceitos. São aceitos: ${ACCEPTED}.`,
        fr: `« ${name} » : les fichiers de ce type ne sont pas acceptés. Sont acceptés : ${ACCEPTED}.`,
      };
    case 'type_mismatch':
      return {
        en: `“${name}”: its content is not what its extension says.`,
        es: `«${name}»: su contenido no corresponde a su extensión.`,
        pt: `“${name}”: o conteúdo não corresponde à extensão.`,
        fr: `« ${name} » : son contenu ne correspond pas à son extension.`,
      };
    case 'invalid_file_name':
      return {
        en: `“${name}”: the file name cannot be used (it holds a folder or an invisible character); rename the file.`,
        es: `«${name}»: el nombre del archivo no se puede usar (incluye una carpeta o un carácter invisible); cambie el nombre del archivo.`,
        pt: `“${name}”: o nome do arquivo não pode ser usado (inclui uma pasta ou um caractere invisível); renomeie o arquivo.`,
        fr: `« ${name} » : le nom du fichier n’est pas utilisable (il contient un dossier ou un caractère invisible) ; renommez le fichier.`,
      };
  }
}
