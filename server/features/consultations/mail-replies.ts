import type { FastifyInstance } from 'fastify';
import { defineTexts, type InboundReply, type LocalizedText, type ReplyOutcome } from '../../plugins/mail/index.js';
import type { SessionUser } from '../../plugins/sessions/index.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { draftTopic, type Core } from './core.js';
import { contentLanguage, indexQuestionnaire, textIn } from './domain/questionnaire.js';
import { MESSAGE_MAX_LENGTH, type ReviewSide } from './domain/review.js';
import * as may from './permissions.js';
import type { ConsultationRow } from './repository.js';

/** The mail that tells the sender where their reply went. */
export const MAIL_REPLY_CONFIRMATION = 'consultation.mail_reply';

const texts = defineTexts({
  en: {
    subject: (title: string) => `Re: ${title}`,
    inQuery: (question: string) => `Your reply was added to the query on “${question}”; the other side has been told.`,
    asNote: 'Your reply was kept as a note beside your delegation’s draft answer. It is not one of the answers and nothing was submitted; only your delegation sees it.',
    yourText: 'What you wrote:',
    open: 'Open the consultation',
  },
  es: {
    subject: (title: string) => `Re: ${title}`,
    inQuery: (question: string) => `Su respuesta se agregó a la consulta sobre «${question}»; la otra parte ya está avisada.`,
    asNote: 'Su respuesta se guardó como nota junto al borrador de su delegación. No forma parte de las respuestas y no se envió nada; solo su delegación la ve.',
    yourText: 'Lo que escribió:',
    open: 'Abrir la consulta',
  },
  pt: {
    subject: (title: string) => `Re: ${title}`,
    inQuery: (question: string) => `Sua resposta foi adicionada ao questionamento sobre “${question}”; a outra parte já foi avisada.`,
    asNote: 'Sua resposta foi guardada como nota junto ao rascunho da sua delegação. Não faz parte das respostas e nada foi enviado; só a sua delegação a vê.',
    yourText: 'O que você escreveu:',
    open: 'Abrir a consulta',
  },
  fr: {
    subject: (title: string) => `Re : ${title}`,
    inQuery: (question: string) => `Votre réponse a été ajoutée à la question sur « ${question} » ; l’autre partie en est informée.`,
    asNote: 'Votre réponse a été gardée comme note à côté du brouillon de votre délégation. Elle ne fait pas partie des réponses et rien n’a été envoyé ; seule votre délégation la voit.',
    yourText: 'Ce que vous avez écrit :',
    open: 'Ouvrir la consultation',
  },
});

const tooLong: LocalizedText = {
  en: `A reply has at most ${MESSAGE_MAX_LENGTH} characters.`,
  es: `Una respuesta tiene como máximo ${MESSAGE_MAX_LENGTH} caracteres.`,
  pt: `Uma resposta tem no máximo ${MESSAGE_MAX_LENGTH} caracteres.`,
  fr: `Une réponse compte au plus ${MESSAGE_MAX_LENGTH} caractères.`,
};

const whichQuery: LocalizedText = {
  en: 'No reply from a delegation is waiting for you, or several are and this one quotes none of them: answer on the consultation’s page.',
  es: 'No hay ninguna respuesta de una delegación esperándole, o hay varias y este correo no cita ninguna: conteste en la página de la consulta.',
  pt: 'Nenhuma resposta de delegação aguarda você, ou há várias e este e-mail não cita nenhuma: responda na página da consulta.',
  fr: 'Aucune réponse d’une délégation ne vous attend, ou il y en a plusieurs et ce message n’en cite aucune : répondez sur la page de la consultation.',
};

/** An open query whose last word is the other side's: one a reply by mail may answer. */
interface Waiting {
  respondent: string;
  question: string;
  queryId: string;
  /** The other side's last message, which a reply quotes. */
  lastText: string;
  lastAt: number;
}

/** Whitespace and quote marks ("> ") folded, so that a quoted message is found in the reply's full text. */
const folded = (text: string) => text.replace(/^[ \t]*(>[ \t]?)+/gm, '').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Replies by mail to a consultation's notices (it is open, a reminder, a query, a reply to a query).
 * The mail plugin has checked the sender and removed the quoted history. A delegate's reply
 * answers the query waiting for the delegation (the one the mail quotes, or the only one); else
 * it is kept as a note beside the delegation's draft, never an answer, never submitted. An
 * organizer's reply answers the delegation's reply it quotes (or the only one waiting); otherwise
 * it is refused with a bounce that says why. Either way the sender is told by mail where it went.
 */
export function takeRepliesByMail(fastify: FastifyInstance, core: Core, publicUrl: string): void {
  const { repository } = core;
  fastify.mail.defineKind(MAIL_REPLY_CONFIRMATION, { transactional: true });

  /** The open queries waiting for this side's word, the most recent first; of one respondent for a delegate, of every one for the organizers. */
  const waitingFor = async (row: ConsultationRow, side: ReviewSide, respondent: string | null): Promise<Waiting[]> => {
    const waiting: Waiting[] = [];
    for (const review of await repository.reviews(row.id, respondent ?? undefined)) {
      for (const query of review.review.queries) {
        const last = query.messages.at(-1);
        if (query.resolved === null && last && last.side !== side) waiting.push({ respondent: review.respondent, question: review.question, queryId: query.id, lastText: last.text, lastAt: last.at });
      }
    }
    return waiting.sort((a, b) => b.lastAt - a.lastAt);
  };

  /** The query the reply answers: the one whose last message it quotes, else the only one waiting. */
  const answered = (waiting: Waiting[], reply: InboundReply): Waiting | null => {
    const full = folded(reply.fullText);
    // A few words at least: a one-word question ("¿Vigente?") could be found in any reply.
    const quoted = waiting.filter((entry) => {
      const words = folded(entry.lastText).slice(0, 120);
      return words.length >= 12 && full.includes(words);
    });
    if (quoted.length >= 1) return quoted[0]!;
    return waiting.length === 1 ? waiting[0]! : null;
  };

  const confirm = async (user: SessionUser, row: ConsultationRow, reply: InboundReply, what: (t: ReturnType<typeof texts>) => string) => {
    const url = `${publicUrl}${await fastify.groups.pathNow(row.groupId)}/consultations/${encodeURIComponent(row.id)}`;
    await fastify.mail.enqueue({
      kind: MAIL_REPLY_CONFIRMATION,
      to: { userId: user.id },
      about: { kind: 'consultation', id: row.id },
      ...(reply.messageId ? { inReplyTo: reply.messageId } : {}),
      content: (recipient) => {
        const t = texts(recipient.locale);
        const title = textIn({ es: row.titleEs, en: row.titleEn }, contentLanguage(recipient.locale));
        return { subject: t.subject(title), blocks: [{ text: what(t) }, { text: t.yourText }, { text: reply.text }, { action: { label: t.open, url } }] };
      },
    });
  };

  /** False when the query refused it meanwhile (resolved since): not worth the sending server's retry (a 451), which would be refused again. */
  const answerQuery = async (user: SessionUser, row: ConsultationRow, query: Waiting, side: ReviewSide, text: string): Promise<boolean> => {
    try {
      await core.replyInQuery(user, row, query.respondent, query.question, query.queryId, side, text);
      return true;
    } catch (error) {
      if (error instanceof AppError && error.statusCode < 500) return false;
      throw error;
    }
  };

  fastify.mail.onReply('consultation', async (reply): Promise<ReplyOutcome> => {
    const memberships = await fastify.sessions.membershipsOfPerson(reply.person.userId);
    if (memberships.length === 0) return { accepted: false, reason: 'not_allowed' };
    const row = await repository.find(reply.about.id);
    // The person as they are in the consultation's group (they may belong to several).
    const user = row && memberships.find((membership) => membership.groupId === row.groupId);
    if (!row || !user || !may.mayRead(user, row)) return { accepted: false, reason: 'gone' };
    if (reply.text.trim().length > MESSAGE_MAX_LENGTH) return { accepted: false, reason: 'too_large', message: tooLong };
    const respondent = may.respondentOf(user, row.targets);
    const side: ReviewSide | null = respondent ? 'respondent' : may.mayManage(user, row) ? 'organizer' : null;
    if (!side) return { accepted: false, reason: 'not_allowed' };

    const waiting = await waitingFor(row, side, respondent);
    const query = answered(waiting, reply);
    if (query && (await answerQuery(user, row, query, side, reply.text))) {
      const label = indexQuestionnaire(row.questionnaire).byId.get(query.question)?.question.label;
      await confirm(user, row, reply, (t) => t.inQuery(label ? textIn(label, contentLanguage(user.locale)) : query.question));
      return { accepted: true };
    }
    if (side === 'organizer') return { accepted: false, reason: 'not_accepted', message: whichQuery };

    // No query it answers (none waiting, or several and none quoted): a note beside the draft, for the delegation alone.
    const note = { id: newId(), consultationId: row.id, respondent: respondent!, authorId: user.id, text: reply.text.trim(), messageId: reply.messageId, createdAt: core.now() };
    const kept = await fastify.unitOfWork.run(async (commit) => {
      if (!(await repository.addMailNote(note))) return false;
      await fastify.liveHub.publishWithin(commit, [{ topic: draftTopic(row.id, note.respondent), type: 'consultation.note', payload: { consultationId: row.id, note: { id: note.id, by: { id: user.id, displayName: user.displayName }, at: new Date(note.createdAt).toISOString(), text: note.text } } }]);
      return true;
    });
    // The same mail handed over again: kept once, confirmed once.
    if (kept) await confirm(user, row, reply, (t) => t.asNote);
    return { accepted: true };
  });
}
