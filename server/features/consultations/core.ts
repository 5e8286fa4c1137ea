import type { FastifyInstance } from 'fastify';
import type { PendingCommit } from '../../plugins/group-commit.js';
import type { SessionUser } from '../../plugins/sessions/index.js';
import { AppError, forbidden, notFound } from '../../shared/errors.js';
import { emptyAnswerSet, type AnswerSet } from './domain/answers.js';
import { deadlineInstant, inZone, newRespondent, respondentStatus, writableUntil, type Consultation, type Refusal, type RespondentState } from './domain/lifecycle.js';
import { awaitingRespondent, newReview, replyToQuery, reviewStatus, type AnswerReview, type ReviewOutcome, type ReviewRefusal, type ReviewSide } from './domain/review.js';
import { newId } from '../../shared/ids.js';
import * as may from './permissions.js';
import type { ConsultationRow, ConsultationsRepository, RespondentRow } from './repository.js';
import { notifyWithin } from './subjects.js';
import { roundRows, type RoundRows } from './validation-rounds.js';

/** What every route file of the feature shares: loading with permissions, views, live events. */

export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : iso(ms));

/** A domain refusal as the API's error. */
export const refusal = (error: Refusal | ReviewRefusal) => new AppError(error.status, error.code, error.message, 'details' in error ? error.details : undefined);

export const toConsultation = (row: Pick<ConsultationRow, 'status' | 'deadlineDate' | 'deadlineTime' | 'deadlineZone' | 'openedAt' | 'closedAt' | 'targets'>): Consultation => ({
  status: row.status,
  deadline: { date: row.deadlineDate, time: row.deadlineTime, zone: row.deadlineZone },
  openedAt: row.openedAt,
  closedAt: row.closedAt,
  targets: row.targets,
});

export const questionCount = (row: ConsultationRow) => row.questionnaire.sections.reduce((sum, section) => sum + section.questions.length, 0);

/** The live topic the organizers follow (the matrix), and the one a delegation's draft lives on. */
export const matrixTopic = (id: string) => `consultation:${id}`;
export const draftTopic = (id: string, respondent: string) => `consultation-draft:${id}.${respondent}`;

export interface RespondentRef {
  id: string;
  kind: 'country' | 'organization';
  name: { es: string; en: string };
  code: string;
}

export interface Core {
  repository: ConsultationsRepository;
  /** A data validation round's generated rows per respondent. */
  rounds: RoundRows;
  now(): number;
  loadReadable(user: SessionUser, id: string): Promise<ConsultationRow>;
  loadManaged(user: SessionUser, id: string): Promise<ConsultationRow>;
  /** The consultation and the caller's respondent in it; 403 when the caller answers for none. */
  loadAnswering(user: SessionUser, id: string): Promise<{ row: ConsultationRow; respondent: string }>;
  respondentRef(id: string): Promise<RespondentRef>;
  respondentRefs(): Promise<Map<string, RespondentRef>>;
  stateOf(row: RespondentRow | undefined, respondent: string): { state: RespondentState; draft: AnswerSet; submitterId: string | null };
  maySubmit(user: SessionUser, respondent: string, submitterId: string | null): Promise<boolean>;
  summaryView(user: SessionUser, row: ConsultationRow, mine: RespondentRow | undefined | null): Promise<SummaryView>;
  positionView(user: SessionUser, row: ConsultationRow, respondent: string, stored: RespondentRow | undefined): Promise<PositionView>;
  /** The matrix changed for this respondent: the organizers' page and the delegation's own pages update. */
  announceStatus(commit: PendingCommit, row: ConsultationRow, respondent: string, state: RespondentState): Promise<void>;
  displayNames(groupId: string, ids: Iterable<string | null>): Promise<Map<string, string>>;
  /**
   * Changes one answer's review in one commit, from what is stored then (a refusal becomes its
   * 4xx); `notify` tells people in the same commit; the organizers' matrix and the delegation's
   * pages hear of it.
   */
  changeReview(user: SessionUser, row: ConsultationRow, respondent: string, question: string, change: (review: AnswerReview, now: number) => ReviewOutcome, notify?: (commit: PendingCommit, review: AnswerReview, now: number) => Promise<void>): Promise<AnswerReview>;
  /** A message in a query's thread, from the organizers or the delegation (the page's, or a reply by mail); the other side is told. */
  replyInQuery(user: SessionUser, row: ConsultationRow, respondent: string, question: string, queryId: string, side: ReviewSide, text: string): Promise<AnswerReview>;
}

export type SummaryView = Awaited<ReturnType<typeof buildSummary>>;
export type PositionView = {
  respondent: RespondentRef;
  status: ReturnType<typeof respondentStatus>;
  writableUntil: string;
  maySubmit: boolean;
  submissions: number;
  reopened: boolean;
  declinedReason: string | null;
  openQueries: number;
};

async function buildSummary(row: ConsultationRow, timeZone: string, mine: PositionView | null) {
  const at = deadlineInstant(toConsultation(row).deadline);
  return {
    id: row.id,
    title: { es: row.titleEs, en: row.titleEn },
    status: row.status,
    deadline: { date: row.deadlineDate, time: row.deadlineTime, zone: row.deadlineZone },
    deadlineAt: iso(at),
    deadlineForReader: inZone(at, timeZone),
    openedAt: isoOrNull(row.openedAt),
    closedAt: isoOrNull(row.closedAt),
    questionCount: questionCount(row),
    targetCount: row.targets.length,
    mine,
  };
}

export function makeCore(fastify: FastifyInstance, repository: ConsultationsRepository, now: () => number): Core {
  const load = async (user: SessionUser, id: string) => {
    const row = await repository.find(id);
    if (!row || !may.mayRead(user, row)) throw notFound('Consultation');
    return row;
  };

  let refs: Map<string, RespondentRef> | null = null;
  const respondentRefs = async () => {
    if (refs) return refs;
    const map = new Map<string, RespondentRef>();
    for (const country of await fastify.reference.listCountries()) map.set(country.id, { id: country.id, kind: 'country', name: { es: country.nameEs, en: country.nameEn }, code: country.iso3 });
    for (const organization of await fastify.reference.listOrganizations()) map.set(organization.id, { id: organization.id, kind: 'organization', name: { es: organization.nameEs, en: organization.nameEn }, code: organization.acronymEn });
    refs = map;
    return map;
  };
  const respondentRef = async (id: string) => (await respondentRefs()).get(id) ?? { id, kind: 'country' as const, name: { es: id, en: id }, code: id.toUpperCase() };

  const stateOf: Core['stateOf'] = (row, respondent) => ({ state: row?.state ?? newRespondent(respondent), draft: row?.draft ?? emptyAnswerSet(), submitterId: row?.submitterId ?? null });

  const maySubmit: Core['maySubmit'] = async (user, respondent, submitterId) => {
    const ref = await respondentRef(respondent);
    if (ref.kind !== 'country') return true;
    const focalPointIds = (await repository.delegatesNow(user.groupId, respondent)).filter((person) => person.delegationRole === 'focal_point').map((person) => person.id);
    return may.maySubmit(user, { country: true, focalPointIds }, submitterId);
  };

  const positionView: Core['positionView'] = async (user, row, respondent, stored) => {
    const { state, submitterId } = stateOf(stored, respondent);
    const consultation = toConsultation(row);
    const openQueries = (await repository.reviews(row.id, respondent)).reduce((sum, review) => sum + awaitingRespondent(review.review), 0);
    return {
      respondent: await respondentRef(respondent),
      status: respondentStatus(consultation, state, now()),
      writableUntil: iso(writableUntil(consultation, state)),
      maySubmit: await maySubmit(user, respondent, submitterId),
      submissions: state.submissions.length,
      reopened: state.reopenedAt !== null,
      declinedReason: state.declined?.reason ?? null,
      openQueries,
    };
  };

  const changeReview: Core['changeReview'] = async (user, row, respondent, question, change, notify) => {
    let saved: AnswerReview = newReview();
    await fastify.unitOfWork.run(async (commit) => {
      const at = now();
      const outcome = change((await repository.reviewForWrite(row.id, respondent, question)) ?? newReview(), at);
      if (!outcome.ok) throw refusal(outcome.error);
      saved = outcome.state;
      await repository.saveReview(row.id, respondent, question, saved, at);
      await notify?.(commit, saved, at);
      const payload = { consultationId: row.id, respondent, question, status: reviewStatus(saved), by: { id: user.id, displayName: user.displayName } };
      await fastify.liveHub.publishWithin(commit, [
        { topic: matrixTopic(row.id), type: 'consultation.review', payload, audience: { roles: may.ORGANIZER_ROLES } },
        { topic: draftTopic(row.id, respondent), type: 'consultation.review', payload },
      ]);
    });
    return saved;
  };

  return {
    repository,
    rounds: roundRows(fastify, repository, respondentRef, now),
    now,
    loadReadable: load,
    async loadManaged(user, id) {
      const row = await load(user, id);
      if (!may.mayManage(user, row)) throw forbidden('Only the coordinator, the secretariat and admins manage consultations.');
      return row;
    },
    async loadAnswering(user, id) {
      const row = await load(user, id);
      const respondent = may.respondentOf(user, row.targets);
      if (!respondent) throw forbidden('This consultation is not addressed to your delegation.');
      return { row, respondent };
    },
    respondentRef,
    respondentRefs,
    stateOf,
    maySubmit,
    positionView,
    async summaryView(user, row, mine) {
      const respondent = row.status === 'draft' ? null : may.respondentOf(user, row.targets);
      const position = respondent ? await positionView(user, row, respondent, mine ?? (await repository.respondent(row.id, respondent))) : null;
      return buildSummary(row, user.timeZone, position);
    },
    async announceStatus(commit, row, respondent, state) {
      const status = respondentStatus(toConsultation(row), state, now());
      const payload = { consultationId: row.id, respondent, status, submissions: state.submissions.length };
      await fastify.liveHub.publishWithin(commit, [
        { topic: matrixTopic(row.id), type: 'consultation.respondent', payload, audience: { roles: may.ORGANIZER_ROLES } },
        { topic: draftTopic(row.id, respondent), type: 'consultation.status', payload },
      ]);
    },
    changeReview,
    replyInQuery: (user, row, respondent, question, queryId, side, text) =>
      changeReview(
        user,
        row,
        respondent,
        question,
        (review, at) => replyToQuery(review, queryId, { id: user.id, side }, text, at, newId()),
        async (commit, review, at) => {
          // The delegation's reply goes to whoever asked; the organizers' to the delegation.
          const asker = review.queries.find((query) => query.id === queryId)?.openedBy ?? null;
          const people = side === 'respondent' ? (asker ? [{ id: asker }] : []) : await repository.delegatesNow(row.groupId, respondent);
          await notifyWithin(fastify, commit, people, row, user, side === 'respondent' ? 'consultation_reply' : 'consultation_query', { respondent, question }, text, new Date(at));
        },
      ),
    async displayNames(groupId, ids) {
      const wanted = new Set([...ids].filter((id): id is string => id !== null));
      const names = new Map<string, string>();
      for (const id of wanted) {
        const person = await fastify.people.find(groupId, id);
        if (person) names.set(id, person.displayName);
      }
      return names;
    },
  };
}
