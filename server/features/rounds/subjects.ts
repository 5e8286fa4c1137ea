import type { FastifyInstance } from 'fastify';
import type { SubjectSummary } from '../../plugins/subjects/index.js';
import type { RoundsCore } from './core.js';
import { mayViewRound } from './domain/comments.js';
import { affiliation, consultedParties, isOrganizer, partyKey, type Party } from './domain/participants.js';
import type { RoundState } from './domain/round.js';

/** The rounds' notification kinds, each about a round. */
export const ROUND_NOTIFICATION_KINDS = ['round_opened', 'round_submitted', 'round_dispositions', 'silence_broken'] as const;
export type RoundNotificationKind = (typeof ROUND_NOTIFICATION_KINDS)[number];

/**
 * What the comment rounds register of the shared registries: the subject kind 'round' (titled by
 * its document; a prepared round only for organizers) and their notification kinds.
 */
export function defineRoundSubjects(fastify: FastifyInstance, core: RoundsCore): void {
  fastify.subjects.define({
    kind: 'round',
    describe: async (user, ids, locale) => {
      const found = new Map<string, SubjectSummary>();
      const viewer = await core.person(user);
      for (const id of ids) {
        const row = await core.repository.round(id);
        if (!row || row.groupId !== user.groupId || !mayViewRound(row.state, viewer)) continue;
        const files = await fastify.documents.versionFiles(user, row.documentId);
        if (!files) continue;
        const title = locale === 'es' ? files.title.es || files.title.en : files.title.en || files.title.es;
        found.set(id, { kind: 'round', id, title, href: `/rounds/${encodeURIComponent(id)}`, groupId: row.groupId });
      }
      return found;
    },
  });
  for (const kind of ROUND_NOTIFICATION_KINDS) fastify.notifications.defineKind(kind, { subjects: ['round'] });
  const labels: Record<RoundNotificationKind, [en: string, es: string, pt: string, fr: string]> = {
    round_opened: ['Comment rounds my delegation is consulted in', 'Rondas de comentarios en que se consulta a mi delegación', 'Rodadas de comentários em que minha delegação é consultada', 'Cycles de commentaires où ma délégation est consultée'],
    round_submitted: ['Comments submitted in rounds I organize', 'Comentarios enviados en las rondas que organizo', 'Comentários enviados nas rodadas que organizo', 'Commentaires envoyés dans les cycles que j’organise'],
    round_dispositions: ['Dispositions of comments published', 'Disposiciones de los comentarios publicadas', 'Disposições dos comentários publicadas', 'Suites données aux commentaires publiées'],
    silence_broken: ['Silence broken in a silence procedure', 'Silencio roto en un procedimiento de silencio', 'Silêncio rompido em um procedimento de silêncio', 'Silence rompu dans une procédure d’approbation tacite'],
  };
  for (const [kind, [en, es, pt, fr]] of Object.entries(labels)) fastify.noticeMail.describe(kind, { label: { en, es, pt, fr } });
}

/**
 * Tells people about a round: the members of the consulted parties ('consulted'), only those of
 * some parties ('parties'), or the organizers. Titles in each recipient's content language.
 */
export async function notifyRound(
  fastify: FastifyInstance,
  round: RoundState,
  groupId: string,
  kind: RoundNotificationKind,
  to: { consulted: true } | { parties: readonly Party[] } | { organizers: true },
  actor: { id: string; displayName: string } | null,
  excerpt = '',
): Promise<void> {
  const directory = await fastify.people.listDirectory(groupId);
  const keys = new Set(('consulted' in to ? consultedParties(round.consulted) : 'parties' in to ? to.parties : []).map(partyKey));
  const recipients = directory.filter((person) => {
    if (person.id === actor?.id || person.deactivatedAt !== null) return false;
    const shape = { id: person.id, role: person.role, countryId: person.countryId, organizationId: person.organizationId, delegationRole: person.delegationRole };
    if ('organizers' in to) return isOrganizer(shape);
    const party = affiliation(shape);
    return party !== null && keys.has(partyKey(party));
  });
  if (recipients.length === 0) return;
  const document = await fastify.documents.versionFiles({ role: 'secretariat', groupId }, round.documentId);
  const title = (locale: string) => (document ? (locale === 'es' || locale === 'pt' ? document.title.es || document.title.en : document.title.en || document.title.es) : '');
  await fastify.notifications.notify(
    recipients.map((person) => ({
      userId: person.id,
      kind,
      actorId: actor?.id ?? null,
      actorName: actor?.displayName ?? null,
      subject: { kind: 'round', id: round.id, title: title(person.locale) },
      excerpt: excerpt.slice(0, 160),
    })),
  );
}
