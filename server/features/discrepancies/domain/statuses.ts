import { CAUSES, type Bilingual, type Cause, type CodeItem } from './codes.js';

/**
 * A discrepancy case's life: its status and who may move it, its causes, the explanation both sides
 * agree to, and publication. Pure functions over a plain state: each returns the next state or a
 * refusal with a stable code and the HTTP status a route should answer with; none mutates its input.
 *
 * Who acts is described by the actor's relations to the case (not by platform role alone): the
 * delegation of the case's country, the coordinator, the secretariat, and the observers of the
 * agency that published the international value. Everyone else (other countries, other agencies'
 * observers, platform admins) has no say in a case and sees it only once it is published.
 */

export const CASE_STATUS_ITEMS = [
  { code: 'identified', label: { en: 'Identified', es: 'Identificado' } },
  { code: 'under_review', label: { en: 'Under review', es: 'En revisión' } },
  { code: 'explained', label: { en: 'Explained', es: 'Explicado' } },
  { code: 'reconciling', label: { en: 'Reconciling', es: 'En conciliación' } },
  { code: 'reconciled', label: { en: 'Reconciled', es: 'Conciliado' } },
  { code: 'documented', label: { en: 'Documented (side by side)', es: 'Documentado (lado a lado)' } },
  { code: 'closed_invalid', label: { en: 'Closed as invalid', es: 'Cerrado por no válido' } },
] as const satisfies readonly CodeItem<string>[];
export type CaseStatus = (typeof CASE_STATUS_ITEMS)[number]['code'];

const STATUS_CODES: readonly CaseStatus[] = CASE_STATUS_ITEMS.map((item) => item.code);
export const CASE_STATUSES = {
  items: CASE_STATUS_ITEMS,
  codes: STATUS_CODES,
  has: (code: string): code is CaseStatus => (STATUS_CODES as readonly string[]).includes(code),
  label: (code: string, lang: keyof Bilingual) => CASE_STATUS_ITEMS.find((item) => item.code === code)?.label[lang] ?? null,
};

/** Statuses in which the outcome is settled; a case leaves them only by reopening. */
export const CONCLUDED: ReadonlySet<CaseStatus> = new Set<CaseStatus>(['reconciled', 'documented', 'closed_invalid']);

export type CaseRelation = 'country_delegation' | 'coordinator' | 'secretariat' | 'agency_observer';
/** When an actor holds several relations, the one recorded is the first of these it may act as. */
const RELATION_ORDER: readonly CaseRelation[] = ['coordinator', 'secretariat', 'country_delegation', 'agency_observer'];

const STAFF: readonly CaseRelation[] = ['coordinator', 'secretariat'];
const REVIEWERS: readonly CaseRelation[] = ['country_delegation', 'coordinator', 'secretariat'];
/** Who may write the explanation and the causes: the reviewers and the agency concerned. */
const PARTICIPANTS: readonly CaseRelation[] = [...REVIEWERS, 'agency_observer'];

export interface TransitionRule {
  from: CaseStatus;
  to: CaseStatus;
  by: readonly CaseRelation[];
  /** What the case must hold first: a primary cause, or the explanation agreed by both sides. */
  requires?: 'cause' | 'agreement';
  /** Leaves a concluded status: withdraws any publication and asks both sides to agree again. */
  reopens?: true;
}

/**
 * Every allowed move. The country's delegation and the staff move a case through review; only the
 * staff close one as invalid (and only they reopen it), since a country alone must not be able to
 * bury a discrepancy it finds awkward. Observers of the agency discuss, propose the explanation and
 * agree to it, but do not move the case. Publishing is not a status: see publish().
 */
export const TRANSITIONS: readonly TransitionRule[] = [
  { from: 'identified', to: 'under_review', by: REVIEWERS },
  { from: 'identified', to: 'closed_invalid', by: STAFF },
  { from: 'under_review', to: 'explained', by: REVIEWERS, requires: 'cause' },
  { from: 'under_review', to: 'closed_invalid', by: STAFF },
  { from: 'explained', to: 'under_review', by: REVIEWERS },
  { from: 'explained', to: 'reconciling', by: REVIEWERS },
  { from: 'explained', to: 'documented', by: REVIEWERS, requires: 'agreement' },
  { from: 'explained', to: 'closed_invalid', by: STAFF },
  { from: 'reconciling', to: 'explained', by: REVIEWERS },
  { from: 'reconciling', to: 'reconciled', by: REVIEWERS },
  { from: 'reconciling', to: 'documented', by: REVIEWERS, requires: 'agreement' },
  { from: 'reconciling', to: 'closed_invalid', by: STAFF },
  { from: 'reconciled', to: 'under_review', by: REVIEWERS, reopens: true },
  { from: 'documented', to: 'under_review', by: REVIEWERS, reopens: true },
  { from: 'closed_invalid', to: 'under_review', by: STAFF, reopens: true },
];

/** Who may publish, and from which statuses (also needs the explanation agreed by both sides). */
export const PUBLISH_RULE = { by: REVIEWERS, from: ['reconciled', 'documented'] as readonly CaseStatus[] };

export interface Agreement {
  at: string;
  by: string | null;
}
export interface Explanation {
  text: string;
  agreedByCountry: Agreement | null;
  agreedByAgency: Agreement | null;
  updatedAt: string;
  updatedBy: string | null;
}
export interface StatusChange {
  from: CaseStatus;
  to: CaseStatus;
  at: string;
  by: string | null;
  relation: CaseRelation;
  note: string | null;
  withdrewPublication: boolean;
}
export interface CaseState {
  status: CaseStatus;
  primaryCause: Cause | null;
  secondaryCauses: Cause[];
  explanation: Explanation | null;
  published: { at: string; by: string | null } | null;
  /** Oldest first. */
  history: StatusChange[];
}
export interface Actor {
  /** The person's id, kept in the history. */
  id: string | null;
  relations: readonly CaseRelation[];
}
export interface Refusal {
  code: string;
  message: string;
  /** What a route answers: 400 bad input, 403 not this actor's move, 409 not from this state. */
  status: 400 | 403 | 409;
}
export type Outcome<T = CaseState> = { ok: true; state: T } | { ok: false; error: Refusal };

export const NOTE_MAX_LENGTH = 5_000;
export const EXPLANATION_MAX_LENGTH = 20_000;

export const newCase = (): CaseState => ({ status: 'identified', primaryCause: null, secondaryCauses: [], explanation: null, published: null, history: [] });

const refuse = (status: Refusal['status'], code: string, message: string): { ok: false; error: Refusal } => ({ ok: false, error: { code, message, status } });
const acting = (actor: Actor, allowed: readonly CaseRelation[]) => RELATION_ORDER.find((r) => allowed.includes(r) && actor.relations.includes(r)) ?? null;
const agreedByBoth = (state: CaseState) => Boolean(state.explanation?.agreedByCountry && state.explanation.agreedByAgency);

export function transition(state: CaseState, to: CaseStatus, actor: Actor, now: Date, note?: string | null): Outcome {
  if (!CASE_STATUSES.has(to)) return refuse(400, 'unknown_status', `"${String(to)}" is not a case status.`);
  const text = note?.trim() || null;
  if (text && text.length > NOTE_MAX_LENGTH) return refuse(400, 'note_too_long', `A note has at most ${NOTE_MAX_LENGTH} characters.`);
  if (to === state.status) return refuse(409, 'same_status', `The case is already ${to}.`);
  const rule = TRANSITIONS.find((r) => r.from === state.status && r.to === to);
  if (!rule) return refuse(409, 'transition_not_allowed', `A case cannot go from ${state.status} to ${to}.`);
  const relation = acting(actor, rule.by);
  if (!relation) return refuse(403, 'relation_not_allowed', `Only ${rule.by.join(', ')} may move a case from ${state.status} to ${to}.`);
  if (rule.requires === 'cause' && !state.primaryCause) return refuse(409, 'cause_required', 'Set the primary cause before marking the case explained.');
  if (rule.requires === 'agreement' && !agreedByBoth(state)) return refuse(409, 'agreement_required', 'Both the country and the agency must agree to the explanation first.');
  const withdrewPublication = Boolean(rule.reopens && state.published);
  const change: StatusChange = { from: state.status, to, at: now.toISOString(), by: actor.id, relation, note: text, withdrewPublication };
  return {
    ok: true,
    state: {
      ...state,
      status: to,
      ...(rule.reopens
        ? { published: null, explanation: state.explanation && { ...state.explanation, agreedByCountry: null, agreedByAgency: null } }
        : {}),
      history: [...state.history, change],
    },
  };
}

export function publish(state: CaseState, actor: Actor, now: Date): Outcome {
  if (state.published) return refuse(409, 'already_published', 'The case is already published.');
  if (!acting(actor, PUBLISH_RULE.by)) return refuse(403, 'relation_not_allowed', 'Only the country’s delegation, the coordinator or the secretariat may publish a case.');
  if (!PUBLISH_RULE.from.includes(state.status)) return refuse(409, 'not_concluded', 'Only a reconciled or documented case can be published.');
  if (!agreedByBoth(state)) return refuse(409, 'agreement_required', 'Both the country and the agency must agree to the explanation first.');
  return { ok: true, state: { ...state, published: { at: now.toISOString(), by: actor.id } } };
}

export function setExplanation(state: CaseState, text: string, actor: Actor, now: Date): Outcome {
  if (!acting(actor, PARTICIPANTS)) return refuse(403, 'relation_not_allowed', 'Only the case’s participants may write its explanation.');
  if (state.published) return refuse(409, 'published', 'Reopen the case before changing what was published.');
  const trimmed = text.trim();
  if (!trimmed) return refuse(400, 'explanation_required', 'The explanation is empty.');
  if (trimmed.length > EXPLANATION_MAX_LENGTH) return refuse(400, 'explanation_too_long', `An explanation has at most ${EXPLANATION_MAX_LENGTH} characters.`);
  if (state.explanation?.text === trimmed) return { ok: true, state };
  // An agreement is to a wording: a new wording must be agreed again by both sides.
  return { ok: true, state: { ...state, explanation: { text: trimmed, agreedByCountry: null, agreedByAgency: null, updatedAt: now.toISOString(), updatedBy: actor.id } } };
}

/**
 * Records one side's agreement to the current wording. The country agrees only through its own
 * delegation (nobody may consent for a national statistics office); the agency through its observer,
 * or through the secretariat, which records an agreement the agency gave outside the forum (many
 * agencies have no observer here).
 */
export function agreeExplanation(state: CaseState, actor: Actor, now: Date): Outcome {
  const side = actor.relations.includes('country_delegation') ? 'agreedByCountry' : actor.relations.includes('agency_observer') || actor.relations.includes('secretariat') ? 'agreedByAgency' : null;
  if (!side) return refuse(403, 'relation_not_allowed', 'Only the country’s delegation, the agency’s observers or the secretariat may agree to an explanation.');
  if (state.published) return refuse(409, 'published', 'The case is published.');
  if (!state.explanation) return refuse(409, 'explanation_required', 'There is no explanation to agree to yet.');
  if (state.explanation[side]) return { ok: true, state };
  return { ok: true, state: { ...state, explanation: { ...state.explanation, [side]: { at: now.toISOString(), by: actor.id } } } };
}

export function setCauses(state: CaseState, primary: Cause, secondary: readonly Cause[], actor: Actor, _now: Date): Outcome {
  if (!acting(actor, PARTICIPANTS)) return refuse(403, 'relation_not_allowed', 'Only the case’s participants may set its causes.');
  if (state.published) return refuse(409, 'published', 'Reopen the case before changing what was published.');
  const unknown = [primary, ...secondary].filter((cause) => !CAUSES.has(cause));
  if (unknown.length > 0) return refuse(400, 'unknown_cause', `Not a cause: ${unknown.join(', ')}.`);
  if (secondary.includes(primary) || new Set(secondary).size !== secondary.length) return refuse(400, 'bad_secondary_causes', 'Secondary causes must be distinct and differ from the primary cause.');
  return { ok: true, state: { ...state, primaryCause: primary, secondaryCauses: [...secondary] } };
}

export interface PersonAffiliation {
  role: 'admin' | 'coordinator' | 'secretariat' | 'member' | 'observer';
  countryId: string | null;
  organizationId: string | null;
}
/** Whom a case concerns, in the platform's ids (country "cl", organization "unicef"). */
export interface CaseSubject {
  countryId: string;
  agencyIds: readonly string[];
}

/** A person's relations to a case, from their role and affiliation. */
export function caseRelations(person: PersonAffiliation, subject: CaseSubject): CaseRelation[] {
  const relations: CaseRelation[] = [];
  if ((person.role === 'member' || person.role === 'coordinator') && person.countryId === subject.countryId) relations.push('country_delegation');
  if (person.role === 'coordinator') relations.push('coordinator');
  if (person.role === 'secretariat') relations.push('secretariat');
  if (person.role === 'observer' && person.organizationId !== null && subject.agencyIds.includes(person.organizationId)) relations.push('agency_observer');
  return relations;
}

/**
 * Until it is published a case is seen by its participants only, so that no country has its figures
 * contradicted in public before it has had its say; once published, by every member of the group.
 */
export function canView(state: Pick<CaseState, 'published'>, relations: readonly CaseRelation[], isGroupMember: boolean): boolean {
  if (!isGroupMember) return false;
  return state.published !== null || relations.length > 0;
}
