import { closingInstant, isOpen, mayTakePosition, POSITIONS, voterKey, type Participant, type Position, type PositionKind, type ProposalState } from './proposal.js';

/**
 * A proposal's results, live: counts by position, and for a one-position-per-country proposal the
 * country grid with who has not taken a position; and the reminder a day before the close, once,
 * only to those who have not taken a position.
 */

export interface GridRow {
  countryId: string;
  name: string;
  position: PositionKind | null;
  reason: string | null;
  by: string | null;
  at: string | null;
}

export interface Results {
  counts: Record<PositionKind | 'none', number>;
  /** Countries (one per country) or people (participants) who may take a position. */
  eligible: number;
  /** One row per eligible country in the order given; null for a participants proposal. */
  grid: GridRow[] | null;
  /** Country ids, or person ids, without a position, in the order given. */
  pending: string[];
}

/**
 * `eligible`: the group's countries with delegates (in display order) and the people who may take a
 * position in the thread; positions outside them (a country that left the group) are not counted.
 */
export function results(proposal: ProposalState, positions: readonly Position[], eligible: { countries: ReadonlyArray<{ id: string; name: string }>; people: ReadonlyArray<{ id: string }> }): Results {
  const byKey = new Map(positions.filter((p) => p.proposalId === proposal.id).map((p) => [p.voterKey, p]));
  const counts = Object.fromEntries([...POSITIONS, 'none'].map((k) => [k, 0])) as Results['counts'];
  if (proposal.eligibility === 'one_per_country') {
    const grid = eligible.countries.map((country): GridRow => {
      const position = byKey.get(`c:${country.id}`);
      counts[position?.position ?? 'none'] += 1;
      return { countryId: country.id, name: country.name, position: position?.position ?? null, reason: position?.reason ?? null, by: position?.by ?? null, at: position?.at ?? null };
    });
    return { counts, eligible: grid.length, grid, pending: grid.filter((row) => row.position === null).map((row) => row.countryId) };
  }
  const pending: string[] = [];
  for (const person of eligible.people) {
    const position = byKey.get(`p:${person.id}`);
    counts[position?.position ?? 'none'] += 1;
    if (!position) pending.push(person.id);
  }
  return { counts, eligible: eligible.people.length, grid: null, pending };
}

export const REMINDER_JOB = 'proposal-reminder';
export const REMINDER_LEAD_MS = 24 * 3_600_000;

/** The job a day before the close; its key names the closing time, so a moved close plans anew. None with less than a day left. */
export function proposalReminderJob(proposal: ProposalState, now: Date): { key: string; runAt: Date } | null {
  if (!isOpen(proposal, now)) return null;
  const closes = new Date(closingInstant(proposal)).getTime();
  const runAt = closes - REMINDER_LEAD_MS;
  if (runAt <= now.getTime()) return null;
  return { key: `${REMINDER_JOB}:${proposal.id}:${closes}`, runAt: new Date(runAt) };
}

/**
 * When the job runs: each person to remind (every delegate of a country without a position, or each
 * participant without one), with the key the route records as sent in the same commit as the
 * notification; keys already sent are skipped, so a rerun after a restart reminds nobody twice.
 */
export function reminderRecipients(proposal: ProposalState, positions: readonly Position[], people: readonly Participant[], sent: ReadonlySet<string>, now: Date): Array<{ personId: string; key: string }> {
  if (!isOpen(proposal, now)) return [];
  const taken = new Set(positions.filter((p) => p.proposalId === proposal.id).map((p) => p.voterKey));
  const closes = new Date(closingInstant(proposal)).getTime();
  return people
    .filter((person) => mayTakePosition(proposal, person) && !taken.has(voterKey(proposal, person)!))
    .map((person) => ({ personId: person.id, key: `${REMINDER_JOB}:${proposal.id}:${closes}:${person.id}` }))
    .filter((entry) => !sent.has(entry.key));
}
