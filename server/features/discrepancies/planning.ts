import { newId } from '../../shared/ids.js';
import { observationKey, type Observation } from './domain/observations.js';
import { comparePair, pair, repair, type CaseCandidate, type Difference, type OpenCase, type RepairChange, type Tolerance } from './domain/pairing.js';
import { CONCLUDED, type CaseStatus } from './domain/statuses.js';
import type { CaseRow, NewCaseRow } from './repository.js';
import type { ImportContext, ImportPlan } from './import-repository.js';

/**
 * What an import does to the cases, decided from the values current after it (pure: the
 * repository calls it inside the import's transaction, once per batch of the series it holds). An international release re-pairs the
 * open cases of the series it holds (the domain's repair) and opens cases on new gaps; a national
 * file pairs its values against the current international ones, opening cases beyond tolerance
 * and recording what changed on the open cases it restates.
 */

export const DEFAULT_TOLERANCE: Tolerance = { kind: 'relative', value: 0.05 };

export interface PlanInput {
  side: 'national' | 'international';
  releaseId: string;
  groupId: string;
  now: Date;
  tolerance: (series: string) => Tolerance;
  /** The platform's country id ("cl") of an ISO alpha-3 code, or null outside the group. */
  countryIdOf: (iso3: string) => string | null;
}

const gapOf = (d: Difference) => Math.abs(d.relative ?? d.absolute);

function newCaseRow(input: PlanInput, candidate: CaseCandidate, agencyId: string | null): NewCaseRow | null {
  const countryId = input.countryIdOf(candidate.country);
  if (!countryId) return null;
  return {
    id: newId(),
    groupId: input.groupId,
    obsKey: candidate.key,
    series: candidate.series,
    indicator: candidate.indicator ?? candidate.series,
    country: candidate.country,
    countryId,
    year: candidate.year,
    agencyIds: agencyId ? [agencyId] : [],
    national: candidate.national.observation,
    international: candidate.international.observation,
    unit: candidate.unit,
    unitMult: candidate.unitMult,
    nationalValue: candidate.national.value,
    internationalValue: candidate.international.value,
    difference: candidate.difference,
    gap: gapOf(candidate.difference),
    tolerance: candidate.tolerance,
    status: 'identified',
    primaryCause: null,
    secondaryCauses: [],
    explanation: null,
    publishedAt: null,
    publishedBy: null,
    history: [],
    changes: [],
    version: 0,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/** The new values of a case whose observations changed, and the line its change log gains. */
function restated(input: PlanInput, row: CaseRow, change: RepairChange['change'], national: Observation, international: Observation, side: 'national' | 'international'): Partial<NewCaseRow> {
  const compared = comparePair(national, international, input.tolerance(row.series));
  const before = side === 'international' ? row.international.value : row.national.value;
  const after = side === 'international' ? international.value : national.value;
  const entry = { at: input.now.toISOString(), releaseId: input.releaseId, change, before, after };
  const values =
    compared.kind === 'paired'
      ? {
          unit: compared.paired.unit,
          unitMult: compared.paired.unitMult,
          nationalValue: compared.paired.national.value,
          internationalValue: compared.paired.international.value,
          difference: compared.paired.difference,
          gap: gapOf(compared.paired.difference),
        }
      : {};
  return { ...values, national, international, changes: [...row.changes, entry], updatedAt: input.now };
}

export function planImport(input: PlanInput, context: ImportContext): ImportPlan {
  const newCases: NewCaseRow[] = [];
  const updates: ImportPlan['updates'] = [];
  const counts: Record<string, number> = {};
  const count = (change: string) => (counts[change] = (counts[change] ?? 0) + 1);
  const byKey = new Map(context.cases.map((row) => [row.obsKey, row]));
  const agencyByKey = new Map(context.internationals.map((o) => [observationKey(o.observation), o.agencyId]));
  const nationals = context.nationals.map((o) => o.observation);
  const internationals = context.internationals.map((o) => o.observation);
  // The side imported holds only this import's values (of the series being planned).
  const imported = input.side === 'international' ? internationals : nationals;
  const options = { tolerance: input.tolerance };

  if (input.side === 'international') {
    const open: OpenCase[] = context.cases.filter((row) => !CONCLUDED.has(row.status as CaseStatus)).map((row) => ({ id: row.id, national: row.national, international: row.international }));
    const rows = new Map(context.cases.map((row) => [row.id, row]));
    const result = repair(open, imported, nationals, new Set(byKey.keys()), options);
    for (const change of result.changes) {
      count(change.change);
      const row = rows.get(change.caseId)!;
      if (change.change === 'not_in_release' || change.change === 'unchanged') continue;
      if (change.change === 'observation_removed') {
        const entry = { at: input.now.toISOString(), releaseId: input.releaseId, change: change.change, before: change.before.value, after: null };
        updates.push({ id: row.id, set: { changes: [...row.changes, entry], updatedAt: input.now } });
        continue;
      }
      updates.push({ id: row.id, set: restated(input, row, change.change, row.national, change.after, 'international') });
    }
    for (const gap of result.newGaps) {
      const created = newCaseRow(input, gap, agencyByKey.get(gap.key) ?? null);
      if (created) newCases.push(created);
    }
  } else {
    const result = pair(imported, internationals, options);
    for (const candidate of result.candidates) {
      const existing = byKey.get(candidate.key);
      if (!existing) {
        const created = newCaseRow(input, candidate, agencyByKey.get(candidate.key) ?? null);
        if (created) newCases.push(created);
        continue;
      }
      if (CONCLUDED.has(existing.status as CaseStatus) || existing.national.value === candidate.national.observation.value) continue;
      count('value_changed');
      updates.push({ id: existing.id, set: restated(input, existing, 'value_changed', candidate.national.observation, candidate.international.observation, 'national') });
    }
    for (const within of result.withinTolerance) {
      const existing = byKey.get(within.key);
      if (!existing || CONCLUDED.has(existing.status as CaseStatus)) continue;
      count('now_within_tolerance');
      updates.push({ id: existing.id, set: restated(input, existing, 'now_within_tolerance', within.national.observation, within.international.observation, 'national') });
    }
    for (const refused of result.notComparable) {
      const existing = byKey.get(refused.key);
      if (!existing || CONCLUDED.has(existing.status as CaseStatus)) continue;
      count('not_comparable');
      const entry = { at: input.now.toISOString(), releaseId: input.releaseId, change: 'not_comparable' as const, before: existing.national.value, after: refused.national.value };
      updates.push({ id: existing.id, set: { changes: [...existing.changes, entry], updatedAt: input.now } });
    }
  }
  return { newCases, updates, changes: counts };
}
