import type { Static } from 'typebox';
import type { IndicatorCatalogueSchema } from '../../server/features/reference/schemas.js';
import { api } from './api.js';
import { pickContent } from './i18n.js';

/** The indicator framework: goals, their targets, and the targets' indicators (GET /indicators). */
export type IndicatorGoal = Static<typeof IndicatorCatalogueSchema>['goals'][number];

/** A text the server keeps in Spanish and English (indicator titles). */
export type Localized = IndicatorGoal['title'];

/** Indicator titles are written in Spanish and English: see pickContent for which one a reader gets. */
export const localized = (text: Localized) => pickContent(text.es, text.en);

let goalsCache: Promise<IndicatorGoal[]> | null = null;

/** The framework, fetched once per page load (it changes with a release, not in a session); a failure is asked again next time. */
export function loadIndicators(signal?: AbortSignal): Promise<IndicatorGoal[]> {
  goalsCache ??= api
    .get<{ goals: IndicatorGoal[] }>('/indicators', { signal })
    .then((r) => r.goals)
    .catch((error: unknown) => {
      goalsCache = null;
      throw error;
    });
  return goalsCache;
}

export interface IndicatorEntry {
  code: string;
  title: string;
  goal: string;
  target: string;
}

/** Every indicator with its goal and target, for searching and labelling. */
export function flattenIndicators(goals: readonly IndicatorGoal[]): IndicatorEntry[] {
  return goals.flatMap((goal) =>
    goal.targets.flatMap((target) => target.indicators.map((indicator) => ({ code: indicator.code, title: localized(indicator.title), goal: goal.code, target: target.code }))),
  );
}
