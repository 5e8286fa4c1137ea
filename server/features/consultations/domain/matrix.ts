import { RESPONDENT_STATUSES, newRespondent, respondentStatus, writableUntil, type Consultation, type RespondentState, type RespondentStatus } from './lifecycle.js';

/**
 * The organizer's response matrix: one row per target (country, or agency invited to answer) with
 * its status and the facts behind it, and the count per status. Pure, from the stored states and
 * now; respondents the consultation is not addressed to are left out, and a target nobody has
 * touched yet is `not_started`.
 */

export interface MatrixRow {
  respondent: string;
  status: RespondentStatus;
  submissions: number;
  lastSubmittedAt: number | null;
  /** The last submission came after the deadline, under an extension. */
  submittedLate: boolean;
  /** Reopened and not submitted again: its last submission stands meanwhile. */
  reopened: boolean;
  lastWriteAt: number | null;
  declinedReason: string | null;
  extensionUntil: number | null;
  writableUntil: number;
  /** Queries on its answers awaiting its reply. */
  openQueries: number;
}

export interface Matrix {
  rows: MatrixRow[];
  counts: Record<RespondentStatus, number>;
  total: number;
}

export function responseMatrix(consultation: Consultation, states: readonly RespondentState[], now: number, options: { openQueries?: ReadonlyMap<string, number>; order?: (a: string, b: string) => number } = {}): Matrix {
  const byId = new Map(states.map((state) => [state.respondent, state]));
  const counts = Object.fromEntries(RESPONDENT_STATUSES.map((status) => [status, 0])) as Record<RespondentStatus, number>;
  const targets = [...new Set(consultation.targets)].sort(options.order ?? ((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  const rows = targets.map((id): MatrixRow => {
    const state = byId.get(id) ?? newRespondent(id);
    const status = respondentStatus(consultation, state, now);
    counts[status] += 1;
    const last = state.submissions.at(-1) ?? null;
    return {
      respondent: id,
      status,
      submissions: state.submissions.length,
      lastSubmittedAt: last?.at ?? null,
      submittedLate: last?.late ?? false,
      reopened: state.reopenedAt !== null,
      lastWriteAt: state.lastWriteAt,
      declinedReason: state.declined?.reason ?? null,
      extensionUntil: state.extension?.until ?? null,
      writableUntil: writableUntil(consultation, state),
      openQueries: options.openQueries?.get(id) ?? 0,
    };
  });
  return { rows, counts, total: rows.length };
}
