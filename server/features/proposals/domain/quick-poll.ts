import { newProposal, POSITIONS, type Participant, type Position, type PositionKind, type ProposalState } from './proposal.js';
import { accept, refuse, type Result } from '../../../shared/result.js';

/**
 * A meeting's quick poll turned into a proposal after the meeting, so that those who were not in the
 * room can take a position too. Defined over a plain shape of the poll (the meetings feature's
 * public service hands it over), not over its tables.
 *
 * - The poll must be closed. A per-country poll becomes a one-position-per-country proposal, a
 *   per-person poll a participants proposal; voter keys are the same ("c:pe", "p:<userId>").
 * - Answers become positions (marked fromPoll, changeable like any other) through a mapping of
 *   options to positions: yes → agree, no → disagree, abstain → abstain for a yes / no / abstain
 *   poll, unless the proposer gives another; an options poll carries answers only through a mapping
 *   the proposer gives (an option maps to a position or to null: not carried). A voter's latest
 *   answer counts; answers to options no longer in the poll are dropped.
 * - The statement is the proposer's, or by default the question followed by where it was asked and
 *   the poll's tally.
 */

export interface QuickPollInput {
  id: string;
  question: string;
  kind: 'options' | 'yes_no_abstain';
  scope: 'person' | 'country';
  /** Labels are null for yes / no / abstain (ids "yes", "no", "abstain"). */
  options: ReadonlyArray<{ id: string; label: string | null }>;
  answers: ReadonlyArray<{ voter: string; userId: string; countryId: string | null; optionId: string; updatedAt: number }>;
  closedAt: number | null;
  meetingTitle: string;
  occurrenceStartsAt: number;
  /** The meeting's zone, for the date in the default statement. */
  timeZone?: string;
}

export interface PollTarget {
  id: string;
  threadId: string;
  closesAt: Date;
  language: 'en' | 'es' | 'pt' | 'fr';
  statement?: string;
  optionPositions?: Readonly<Record<string, PositionKind | null>>;
}

const DEFAULT_MAPPING: Readonly<Record<string, PositionKind>> = { yes: 'agree', no: 'disagree', abstain: 'abstain' };

const WORDS = {
  en: { from: 'From the quick poll of', yes: 'Yes', no: 'No', abstain: 'Abstain' },
  es: { from: 'De la votación rápida de', yes: 'Sí', no: 'No', abstain: 'Abstención' },
  pt: { from: 'Da votação rápida de', yes: 'Sim', no: 'Não', abstain: 'Abstenção' },
  fr: { from: 'Du vote rapide de', yes: 'Oui', no: 'Non', abstain: 'Abstention' },
} as const;

function defaultStatement(poll: QuickPollInput, latest: ReadonlyArray<{ optionId: string }>, language: PollTarget['language']): string {
  const words = WORDS[language];
  const label = (option: { id: string; label: string | null }) => option.label ?? (words[option.id as 'yes' | 'no' | 'abstain'] ?? option.id);
  const tally = poll.options.map((option) => `${label(option)}: ${latest.filter((answer) => answer.optionId === option.id).length}`).join(' · ');
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: poll.timeZone ?? 'UTC' }).format(new Date(poll.occurrenceStartsAt));
  return `${poll.question.trim()}\n\n_${words.from} «${poll.meetingTitle.trim()}», ${date}: ${tally}._`;
}

export function pollToProposal(poll: QuickPollInput, target: PollTarget, actor: Participant, now: Date): Result<{ proposal: ProposalState; positions: Position[] }> {
  if (!actor.mayPost) return refuse(403, 'may_not_post', 'Only people who may post in the thread put a proposal to it.');
  if (poll.closedAt === null) return refuse(409, 'poll_open', 'Close the poll first.');
  const optionIds = new Set(poll.options.map((option) => option.id));
  const mapping = target.optionPositions ?? (poll.kind === 'yes_no_abstain' ? DEFAULT_MAPPING : {});
  for (const [optionId, position] of Object.entries(mapping)) {
    if (!optionIds.has(optionId)) return refuse(400, 'unknown_option', `The poll has no option "${optionId}".`);
    if (position !== null && !(POSITIONS as readonly string[]).includes(position)) return refuse(400, 'unknown_position', `A position is ${POSITIONS.join(', ')}.`);
  }
  const latestByVoter = new Map<string, QuickPollInput['answers'][number]>();
  for (const answer of poll.answers) {
    if (!optionIds.has(answer.optionId)) continue;
    const seen = latestByVoter.get(answer.voter);
    if (!seen || answer.updatedAt >= seen.updatedAt) latestByVoter.set(answer.voter, answer);
  }
  const latest = [...latestByVoter.values()];
  const created = newProposal(
    { id: target.id, threadId: target.threadId, statement: target.statement ?? defaultStatement(poll, latest, target.language), closesAt: target.closesAt, eligibility: poll.scope === 'country' ? 'one_per_country' : 'participants' },
    actor,
    now,
  );
  if (!created.ok) return created;
  const positions = latest.flatMap((answer): Position[] => {
    const position = mapping[answer.optionId];
    if (!position) return [];
    return [{ proposalId: target.id, voterKey: answer.voter, countryId: answer.countryId, position, reason: null, by: answer.userId, at: new Date(answer.updatedAt).toISOString(), revision: 1, fromPoll: true }];
  });
  return accept({ proposal: created.value, positions });
}
