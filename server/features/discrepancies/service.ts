import type { FastifyInstance } from 'fastify';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import { newId } from '../../shared/ids.js';
import { observationKey, type Observation } from './domain/observations.js';
import { comparePair } from './domain/pairing.js';
import { CONCLUDED, caseRelations, setCauses, setExplanation, transition, type CaseState, type CaseStatus, type Outcome } from './domain/statuses.js';
import { stateOf, type CasesCore } from './core.js';
import { DEFAULT_TOLERANCE, planImport } from './planning.js';
import type { CountryWordInput, CountryWordResult, DiscrepanciesService, ValuesQuery } from './public.js';
import type { CaseRow, DiscrepanciesRepository } from './repository.js';
import type { DiscrepancyImportsRepository } from './import-repository.js';

/** The relation a case keeps to what a country's word on it came from (a consultation's answer). */
export const RAISED_IN = 'raised_in';

/**
 * `fastify.discrepancies`: what other features may ask of the register. Today a consultation's data
 * validation round: the international values to put before each country, and what the country said
 * of each (confirmed, a national value, a cause and an explanation) recorded on the matching case.
 */
export function discrepanciesService(fastify: FastifyInstance, repository: DiscrepanciesRepository, imports: DiscrepancyImportsRepository, core: CasesCore): DiscrepanciesService {
  return {
    internationalValues(groupId: string, query: ValuesQuery) {
      return repository.internationalValues(groupId, query.countries, query.years, query.series ?? [], query.indicators ?? []);
    },

    async recordCountryWordWithin(commit: PendingCommit, input: CountryWordInput): Promise<CountryWordResult[]> {
      const { groupId, countryId, iso3, actor, source } = input;
      const now = input.now;
      const tolerances = await repository.tolerances(groupId);
      const toleranceOf = (series: string) => tolerances.get(series) ?? DEFAULT_TOLERANCE;
      const words = input.words.map((word) => ({ word, key: observationKey(word.international) }));
      const keys = [...new Set(words.map(({ key }) => key))];
      const before = await repository.casesByKey(groupId, keys);

      // Corrections: the national values, stored and paired as a national file of the country would be.
      const corrections = words.filter(({ word }) => word.international.country === iso3 && word.national);
      if (corrections.length > 0) {
        const nationals: Observation[] = corrections.map(({ word }) => ({ ...word.national!, side: 'national', country: iso3 }));
        const releaseId = newId();
        await imports.storeImport(
          {
            id: releaseId,
            groupId,
            side: 'national',
            format: 'consultation',
            agencyId: null,
            country: iso3,
            title: source.title.slice(0, 200),
            releaseDate: null,
            link: null,
            fileName: 'consultation',
            rowCount: nationals.length,
            createdBy: actor.id,
            createdAt: new Date(now),
          },
          { observations: nationals },
          0,
          (context) => planImport({ side: 'national', releaseId, groupId, now: new Date(now), tolerance: toleranceOf, countryIdOf: (code) => (code === iso3 ? countryId : null) }, context),
        );
      }
      const after = await repository.casesByKey(groupId, keys);

      const changed = new Map<string, CaseRow>();
      const outcomeOf = async ({ word, key }: (typeof words)[number]): Promise<CountryWordResult> => {
        if (word.international.country !== iso3 || word.international.side !== 'international') return { key, caseId: null, outcome: 'other_country' };
        const existing = after.get(key);
        if (word.national) {
          if (existing && CONCLUDED.has(existing.status as CaseStatus)) return { key, caseId: existing.id, outcome: 'concluded' };
          if (existing) {
            const was = before.get(key);
            if (!was || was.version !== existing.version) changed.set(existing.id, existing);
            return { key, caseId: existing.id, outcome: was ? 'updated' : 'opened' };
          }
          const compared = comparePair({ ...word.national, side: 'national', country: iso3 }, word.international, toleranceOf(word.international.series));
          return { key, caseId: null, outcome: compared.kind === 'paired' ? 'within_tolerance' : 'not_comparable' };
        }
        if (word.explanation) {
          if (!existing) return { key, caseId: null, outcome: (await repository.nationalValue(groupId, key)) ? 'within_tolerance' : 'no_national_value' };
          if (CONCLUDED.has(existing.status as CaseStatus) || existing.publishedAt) return { key, caseId: existing.id, outcome: 'concluded' };
          const explained = explain(stateOf(existing), existing, word.explanation.cause, word.explanation.text, actor, source.title, new Date(now));
          if (!explained.ok) return { key, caseId: existing.id, outcome: 'refused' };
          const state = explained.state;
          const set = {
            status: state.status,
            primaryCause: state.primaryCause,
            secondaryCauses: state.secondaryCauses,
            explanation: state.explanation,
            history: state.history,
            updatedAt: new Date(now),
          };
          if (await repository.updateCase(existing.id, existing.version, set)) changed.set(existing.id, { ...existing, ...set, version: existing.version + 1 });
          return { key, caseId: existing.id, outcome: 'explained' };
        }
        return { key, caseId: existing?.id ?? null, outcome: 'confirmed' };
      };
      // In order, one after the other: a piece's statements are awaited one at a time.
      const results: CountryWordResult[] = [];
      for (const word of words) results.push(await outcomeOf(word));

      // Each case the word opened or changed links back to where it was said (kept alongside earlier rounds').
      for (const result of results) {
        if (!result.caseId || !['opened', 'updated', 'explained'].includes(result.outcome)) continue;
        const from = { kind: 'discrepancy_case', id: result.caseId, groupId };
        const kept = (await fastify.links.targets(from, RAISED_IN)).filter((ref) => ref.kind === source.kind).map((ref) => ref.id);
        await fastify.links.set(from, RAISED_IN, source.kind, [...kept.filter((id) => id !== source.id), source.id], actor.id, new Date(now));
      }
      commit.afterCommit(() => {
        // The matrix is counted from the cases and values just written: its remembered answers go.
        core.casesChanged(groupId);
        for (const row of changed.values()) {
          core.announce(row, 'case.changed', { id: row.id, version: row.version, status: row.status }, false).catch((error: unknown) => fastify.log.error({ err: error }, 'announcing a case changed by a consultation'));
        }
      });
      return results;
    },
  };
}

/**
 * A country's explanation on a case: its cause as the primary one, the text as the explanation,
 * and the case moved on to "explained" when it was still waiting (through "under review", as the
 * case page would), all as the delegate who submitted.
 */
function explain(state: CaseState, row: CaseRow, cause: string, text: string, actor: CountryWordInput['actor'], sourceTitle: string, now: Date): Outcome {
  const relations = caseRelations({ role: actor.role, countryId: actor.countryId, organizationId: actor.organizationId }, { countryId: row.countryId, agencyIds: row.agencyIds });
  const who = { id: actor.id, relations };
  let outcome = setCauses(state, cause as never, state.secondaryCauses.filter((c) => c !== cause), who, now);
  if (!outcome.ok) return outcome;
  outcome = setExplanation(outcome.state, text, who, now);
  if (!outcome.ok) return outcome;
  const note = `${sourceTitle}`.slice(0, 500);
  if (outcome.state.status === 'identified') {
    const moved = transition(outcome.state, 'under_review', who, now, note);
    if (!moved.ok) return moved;
    outcome = moved;
  }
  if (outcome.state.status === 'under_review') {
    const moved = transition(outcome.state, 'explained', who, now, note);
    if (moved.ok) outcome = moved;
  }
  return outcome;
}
