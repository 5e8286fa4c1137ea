import type { FastifyInstance } from 'fastify';
import type { SessionUser } from '../../plugins/sessions/index.js';
import type { SubjectSummary } from '../../plugins/subjects/index.js';
import { maySeeHidden } from './permissions.js';
import type { ThreadOwners } from './owners.js';
import type { DebatesRepository } from './repository.js';

const threadPath = (threadId: string) => `/debates/t/${encodeURIComponent(threadId)}`;

/**
 * What the debates register of the shared registries: their subject kinds (a thread, a post: a
 * thread's title, readable by its whole group (a subject's thread: by whom its owner says); a hidden post only by moderators and its author,
 * a withdrawn one by nobody) and their notification kinds. Titles are the thread's, as written.
 */
export function defineDebatesSubjects(fastify: FastifyInstance, repository: DebatesRepository, owners: ThreadOwners): void {
  /** The threads among these the user may read, as lists show them. */
  const readableCards = async (user: SessionUser, ids: readonly string[]) => {
    const readable = [];
    for (const thread of await repository.threadCards(user.groupId, ids)) if (await owners.mayRead(user, { groupId: user.groupId, ...thread })) readable.push(thread);
    return readable;
  };

  fastify.subjects.define({
    kind: 'thread',
    describe: async (user, ids) =>
      new Map(
        // A subject's thread (a discrepancy case's) only to whom its owner lets read it.
        (await readableCards(user, ids)).map((thread): [string, SubjectSummary] => [
          thread.id,
          {
            kind: 'thread',
            id: thread.id,
            title: thread.title,
            href: threadPath(thread.id),
            groupId: user.groupId,
            // What lists show of a thread beside its title: the outcome pinned on it (a proposal's), and its conclusion.
            ...(thread.excerpt ? { summary: thread.excerpt } : {}),
            ...(thread.concluded ? { badge: 'concluded' } : {}),
          },
        ]),
      ),
  });
  fastify.subjects.define({
    kind: 'post',
    describe: async (user, ids) => {
      const posts = [];
      for (const id of ids) {
        const post = await repository.findPost(id);
        if (post && (post.state === 'visible' || (post.state === 'hidden' && maySeeHidden(user, post)))) posts.push(post);
      }
      const titles = new Map((await readableCards(user, [...new Set(posts.map((post) => post.threadId))])).map((thread) => [thread.id, thread.title]));
      const found = new Map<string, SubjectSummary>();
      for (const post of posts) {
        const title = titles.get(post.threadId);
        if (title !== undefined) found.set(post.id, { kind: 'post', id: post.id, title, href: `${threadPath(post.threadId)}#post-${encodeURIComponent(post.id)}`, groupId: user.groupId });
      }
      return found;
    },
  });

  // About a thread, the post in details.postId; "new posts" once while unread (it leads to the first of them).
  for (const kind of ['reply', 'mention', 'country_mention', 'new_thread']) fastify.notifications.defineKind(kind, { subjects: ['thread'] });
  fastify.notifications.defineKind('new_post', { subjects: ['thread'], onceWhileUnread: true });
  // Their mail: labelled in people's mail preferences; defaults per role are the notification mail's own.
  const labels: Record<string, [en: string, es: string, pt: string, fr: string]> = {
    reply: ['Replies to my posts', 'Respuestas a mis mensajes', 'Respostas às minhas mensagens', 'Réponses à mes messages'],
    mention: ['Mentions of me', 'Menciones de mí', 'Menções a mim', 'Mentions de mon nom'],
    country_mention: ['Mentions of my country', 'Menciones de mi país', 'Menções ao meu país', 'Mentions de mon pays'],
    new_thread: ['New discussions in categories I watch', 'Nuevos debates en las categorías que sigo', 'Novos debates nas categorias que acompanho', 'Nouvelles discussions dans les catégories que je suis'],
    new_post: ['New posts in discussions I watch', 'Nuevos mensajes en los debates que sigo', 'Novas mensagens nos debates que acompanho', 'Nouveaux messages dans les discussions que je suis'],
  };
  for (const [kind, [en, es, pt, fr]] of Object.entries(labels)) fastify.noticeMail.describe(kind, { label: { en, es, pt, fr } });
}
