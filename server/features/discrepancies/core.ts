import type { FastifyInstance } from 'fastify';
import { accessChanged, type LiveEventInput, type LiveEventMap, type LiveEventOf } from '../../plugins/live/hub.js';
import type { SessionUser } from '../../plugins/sessions/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import {
  agreeExplanation,
  canView,
  caseRelations,
  publish,
  setCauses,
  setExplanation,
  transition,
  CASE_STATUSES,
  type Actor,
  type CaseRelation,
  type CaseState,
  type CaseStatus,
  type Outcome,
} from './domain/statuses.js';
import type { Cause } from './domain/codes.js';
import { STATUS_RANK, type CaseFilter, type CaseRow, type DiscrepanciesRepository, type Viewer } from './repository.js';
import type { CaseDetail, CaseDiscussion, CasePostView, CaseSummary, Matrix } from './schemas.js';
import type { SubjectPost, SubjectThread } from '../debates/public.js';
import { buildCaseSeries } from './domain/case-series.js';
import { seriesKey } from './domain/observations.js';
import type { CaseSeries } from './domain/schemas.js';
import { contentLocaleOf } from '../../plugins/subjects/index.js';

/**
 * What the discrepancy routes share: who a person is to a case, the case's views, and the acts on
 * a case (each a domain function applied to the stored state, written back only if nobody changed
 * the case meanwhile, then announced on the live channel).
 */

export const isStaff = (user: Pick<SessionUser, 'role'>) => user.role === 'coordinator' || user.role === 'secretariat';

export function viewerOf(user: SessionUser): Viewer {
  return {
    staff: isStaff(user),
    countryId: user.role === 'member' || user.role === 'coordinator' ? user.countryId : null,
    agencyId: user.role === 'observer' ? user.organizationId : null,
  };
}

export const relationsOf = (user: Pick<SessionUser, 'role' | 'countryId' | 'organizationId'>, row: Pick<CaseRow, 'countryId' | 'agencyIds'>): CaseRelation[] =>
  caseRelations({ role: user.role, countryId: user.countryId, organizationId: user.organizationId }, { countryId: row.countryId, agencyIds: row.agencyIds });

export function stateOf(row: CaseRow): CaseState {
  return {
    status: row.status as CaseStatus,
    primaryCause: row.primaryCause as Cause | null,
    secondaryCauses: row.secondaryCauses as Cause[],
    explanation: row.explanation ?? null,
    published: row.publishedAt ? { at: row.publishedAt, by: row.publishedBy } : null,
    history: row.history,
  };
}

const stateColumns = (state: CaseState, now: Date) => ({
  status: state.status,
  primaryCause: state.primaryCause,
  secondaryCauses: state.secondaryCauses,
  explanation: state.explanation,
  publishedAt: state.published?.at ?? null,
  publishedBy: state.published?.by ?? null,
  history: state.history,
  updatedAt: now,
});

export function toSummary(row: CaseRow): CaseSummary {
  return {
    id: row.id,
    series: row.series,
    indicator: row.indicator,
    country: row.country,
    countryId: row.countryId,
    year: row.year,
    disaggregation: { ...row.national.disaggregation, other: { ...row.national.disaggregation.other } },
    unit: row.unit,
    unitMult: row.unitMult,
    nationalValue: row.nationalValue,
    internationalValue: row.internationalValue,
    nature: row.international.nature,
    difference: row.difference,
    status: row.status as CaseStatus,
    primaryCause: row.primaryCause as Cause | null,
    published: row.publishedAt !== null,
    agencyIds: row.agencyIds,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the caller may do now: each act tried on the current state. */
function allowedActs(state: CaseState, actor: Actor, canComment: boolean): CaseDetail['allowed'] {
  const now = new Date();
  const ok = (outcome: Outcome) => outcome.ok;
  return {
    transitions: CASE_STATUSES.codes.filter((to) => to !== state.status && ok(transition(state, to, actor, now))),
    causes: ok(setCauses(state, 'other', [], actor, now)),
    explanation: ok(setExplanation(state, 'x', actor, now)),
    agree: state.explanation !== null && ok(agreeExplanation(state, actor, now)),
    publish: ok(publish(state, actor, now)),
    comment: canComment,
  };
}

export function toDetail(row: CaseRow, user: SessionUser, names: Map<string, string>): CaseDetail {
  const relations = relationsOf(user, row);
  const state = stateOf(row);
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
  const observation = (o: CaseRow['national']) => ({ value: o.value, unit: o.unit, unitMult: o.unitMult, nature: o.nature, source: o.source, footnote: o.footnote, sourceType: o.sourceType });
  const explanation = state.explanation;
  return {
    ...toSummary(row),
    version: row.version,
    tolerance: row.tolerance,
    national: observation(row.national),
    international: observation(row.international),
    secondaryCauses: state.secondaryCauses,
    explanation: explanation && {
      text: explanation.text,
      agreedByCountry: explanation.agreedByCountry && { at: explanation.agreedByCountry.at, by: person(explanation.agreedByCountry.by) },
      agreedByAgency: explanation.agreedByAgency && { at: explanation.agreedByAgency.at, by: person(explanation.agreedByAgency.by) },
      updatedAt: explanation.updatedAt,
      updatedBy: person(explanation.updatedBy),
    },
    publishedAt: row.publishedAt,
    history: state.history.map((change) => ({ ...change, by: person(change.by) })),
    changes: row.changes,
    relations,
    allowed: allowedActs(state, { id: user.id, relations }, true),
  };
}

/** The people a detail names (history, explanation), for one lookup of their names. */
export function namedPeople(row: CaseRow): string[] {
  const ids = new Set<string>();
  for (const change of row.history) if (change.by) ids.add(change.by);
  const e = row.explanation;
  for (const id of [e?.updatedBy, e?.agreedByCountry?.by, e?.agreedByAgency?.by]) if (id) ids.add(id);
  return [...ids];
}

/** A case's title in a content language: "Indicator 4.1 · CHL · 2010". */
export const caseTitle = (row: Pick<CaseRow, 'indicator' | 'country' | 'year'>, locale: 'es' | 'en') =>
  `${locale === 'es' ? 'Indicador' : 'Indicator'} ${row.indicator} · ${row.country} · ${row.year}`;

/** 4.2 before 4.10, 3.2.1 before 3.2.2. */
const naturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** The matrix the viewer may see: indicator × country, or for one indicator year × country. */
export async function buildMatrix(repository: DiscrepanciesRepository, groupId: string, viewer: Viewer, filter: CaseFilter): Promise<Matrix> {
  const by = filter.indicator ? 'year' : 'indicator';
  const cells = await repository.matrixCells(groupId, viewer, filter, by);
  const rows = [...new Set(cells.map((cell) => String(cell.row)))].sort(by === 'year' ? (a, b) => Number(a) - Number(b) : naturalOrder);
  const countries = [...new Set(cells.map((cell) => cell.countryId))].sort();
  return {
    by,
    rows,
    countries,
    cells: cells.map((cell) => ({ row: String(cell.row), countryId: cell.countryId, cases: cell.cases, status: STATUS_RANK[cell.rank] ?? 'identified', gap: cell.gap, published: cell.published })),
  };
}

/** Both sides of a case's series over the years (its chart, its note). */
export async function caseSeriesOf(repository: DiscrepanciesRepository, row: CaseRow): Promise<CaseSeries> {
  const observations = await repository.seriesObservations(row.groupId, seriesKey(row.national));
  return buildCaseSeries({ series: row.series, country: row.country, disaggregation: row.national.disaggregation, indicator: row.indicator }, observations, {
    caseYear: row.year,
    unit: { unit: row.national.unit, unitMult: row.national.unitMult },
  });
}

export const caseTopic = (id: string) => `discrepancy-case:${id}`;
/** The case as a subject reference (server/plugins/subjects): its thread's owner. */
export const caseSubject = (id: string) => ({ kind: 'discrepancy_case', id });
/** How many of its thread's latest posts a case page shows (the thread's page has them all). */
export const DISCUSSION_POSTS = 50;

const threadView = (thread: SubjectThread) => ({ id: thread.id, href: thread.href, postCount: thread.postCount });
const postView = (threadId: string, post: SubjectPost): CasePostView => ({
  id: post.id,
  threadId,
  seq: post.seq,
  author: post.author,
  html: post.html,
  hidden: post.hidden,
  createdAt: post.createdAt.toISOString(),
});
export const registerTopic = (groupId: string) => `discrepancies:${groupId}`;

export class CasesCore {
  constructor(
    private readonly fastify: FastifyInstance,
    readonly repository: DiscrepanciesRepository,
    /** Told right after a write to a case commits (the matrix's answers are counted from the cases). */
    readonly casesChanged: (groupId: string) => void = () => {},
  ) {}

  /** The case if the user may see it; a 404 otherwise, so an unpublished case's existence stays private. */
  async visibleCase(user: SessionUser, id: string): Promise<CaseRow> {
    const row = await this.repository.findCase(user.groupId, id);
    if (!row || !canView(stateOf(row), relationsOf(user, row), true)) throw notFound('Case');
    return row;
  }

  async detail(user: SessionUser, row: CaseRow): Promise<CaseDetail> {
    return toDetail(row, user, await this.repository.userNames(namedPeople(row)));
  }

  /** Applies a domain act to the stored case and writes it back; a refusal becomes its 4xx. */
  async act(user: SessionUser, id: string, apply: (state: CaseState, actor: Actor, now: Date) => Outcome, expectedVersion?: number): Promise<CaseRow> {
    const row = await this.visibleCase(user, id);
    if (expectedVersion !== undefined && expectedVersion !== row.version) throw new AppError(409, 'case_changed', 'Someone changed the case meanwhile; reload it and try again.');
    const now = new Date();
    const outcome = apply(stateOf(row), { id: user.id, relations: relationsOf(user, row) }, now);
    if (!outcome.ok) throw new AppError(outcome.error.status, outcome.error.code, outcome.error.message);
    if (outcome.state === stateOf(row) || JSON.stringify(outcome.state) === JSON.stringify(stateOf(row))) return row;
    const columns = stateColumns(outcome.state, now);
    if (!(await this.repository.updateCase(row.id, row.version, columns))) throw new AppError(409, 'case_changed', 'Someone changed the case meanwhile; reload it and try again.');
    this.casesChanged(row.groupId);
    const updated = { ...row, ...columns, version: row.version + 1 };
    await this.announce(updated, 'case.changed', { id: updated.id, version: updated.version, status: updated.status }, row.publishedAt !== updated.publishedAt);
    const moved = updated.history.length > row.history.length ? updated.history[updated.history.length - 1] : undefined;
    if (moved) await this.notify(updated, user, 'discrepancy_status', { from: moved.from, to: moved.to }, moved.note ?? '');
    return updated;
  }

  /** The case's discussion: its debates thread (none before the first comment) and its latest posts. */
  async discussion(row: CaseRow, limit = DISCUSSION_POSTS): Promise<CaseDiscussion> {
    const thread = await this.fastify.debates.subjectThread(caseSubject(row.id));
    if (!thread) return { thread: null, posts: [] };
    const posts = await this.fastify.debates.latestPosts(thread.id, limit);
    return { thread: threadView(thread), posts: posts.map((post) => postView(thread.id, post)) };
  }

  /**
   * A comment in the case's discussion: a post in its debates thread, which this first comment
   * opens (titled as the case, filed under statistical reconciliation), read by exactly the case's
   * audience (the owner defined in index.ts). The case's page hears of it live; its people are
   * told by the debates, as of any post in its thread (the owner's followers: new_post).
   */
  async comment(user: SessionUser, id: string, body: string): Promise<{ post: CasePostView; thread: CaseDiscussion['thread'] & object }> {
    const row = await this.visibleCase(user, id);
    const now = new Date();
    const source = body.trim();
    const { threadId, postId } = await this.fastify.unitOfWork.run(async (commit) => {
      // The first comment opens the thread, after finding none: two at once on PostgreSQL would
      // both open one (the second refused by the one-thread-per-subject key, a 500). One at a time.
      await this.repository.holdCase(row.id);
      return this.fastify.debates.postInSubjectThreadWithin(commit, {
        subject: caseSubject(row.id),
        groupId: row.groupId,
        title: caseTitle(row, 'es'),
        categorySlug: 'statistical-reconciliation',
        author: { id: user.id, displayName: user.displayName, countryId: user.countryId },
        source,
        now,
      });
    });
    const thread = (await this.fastify.debates.subjectThread(caseSubject(row.id)))!;
    const post = (await this.fastify.debates.latestPosts(threadId, 1)).find((p) => p.id === postId);
    const view: CasePostView = post ? postView(threadId, post) : { id: postId, threadId, seq: 0, author: { id: user.id, name: user.displayName }, html: null, hidden: false, createdAt: now.toISOString() };
    await this.announce(row, 'comment.created', view, false);
    return { post: view, thread: threadView(thread) };
  }

  /**
   * Tells the case's page and the register's pages (matrix, lists) what changed. The register's
   * event reaches only who may see the case: everyone once published; until then the staff, the
   * country's delegation and the agency's observers.
   */
  async announce<K extends 'case.changed' | 'comment.created'>(row: CaseRow, type: K, payload: LiveEventMap[K], visibilityChanged: boolean): Promise<void> {
    const events: LiveEventInput[] = [];
    // Who may read the case is who may read its thread: both topics' readers are checked again.
    if (visibilityChanged) events.push(accessChanged(caseTopic(row.id)), ...(await this.fastify.debates.subjectAccessChangedNow(caseSubject(row.id))));
    events.push({ topic: caseTopic(row.id), type, payload } as LiveEventOf<K> as LiveEventInput);
    events.push({ topic: registerTopic(row.groupId), type: 'case.changed', payload: { id: row.id, indicator: row.indicator, countryId: row.countryId, status: row.status }, audience: await this.audienceOf(row) });
    await this.fastify.liveHub.publishMany(events);
  }

  /** Tells the case's people (its country's delegation, the agency's observers, the staff) what someone else did. */
  private async notify(row: CaseRow, actor: SessionUser, kind: 'discrepancy_status', details: Record<string, string>, excerpt: string): Promise<void> {
    const people = await this.people(row);
    await this.fastify.notifications.notify(
      people
        .filter((person) => person.id !== actor.id)
        .map((person) => ({
          userId: person.id,
          kind,
          actorId: actor.id,
          actorName: actor.displayName,
          subject: { kind: 'discrepancy_case', id: row.id, title: caseTitle(row, contentLocaleOf(person.locale)) },
          details,
          excerpt: excerpt.slice(0, 160),
        })),
    );
  }

  /** The case's participants among the group's active people. */
  private async people(row: CaseRow) {
    const people = await this.fastify.people.listDirectory(row.groupId);
    return people.filter(
      (p) =>
        p.role === 'coordinator' ||
        p.role === 'secretariat' ||
        (p.role === 'member' && p.countryId === row.countryId) ||
        (p.role === 'observer' && p.organizationId !== null && row.agencyIds.includes(p.organizationId)),
    );
  }

  async audienceOf(row: CaseRow): Promise<LiveEventInput['audience']> {
    if (row.publishedAt) return undefined;
    const people = await this.fastify.people.listDirectory(row.groupId);
    const userIds = people
      .filter((p) => ((p.role === 'member' || p.role === 'coordinator') && p.countryId === row.countryId) || (p.role === 'observer' && p.organizationId !== null && row.agencyIds.includes(p.organizationId)))
      .map((p) => p.id);
    return { roles: ['coordinator', 'secretariat'], userIds };
  }
}
