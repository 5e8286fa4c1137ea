import catalogue from './mdg-indicators.json' with { type: 'json' };
import { badRequest } from '../../shared/errors.js';

/**
 * The official MDG indicator list (8 goals, 21 targets, 60 indicators), copied from the shared
 * reference data so the running product reads nothing outside the project. Indicators that serve
 * several targets are listed once, under their first target.
 */
interface Titled {
  id: string;
  title: { en: string; es: string };
}
interface Target extends Titled {
  indicators: Titled[];
}
interface Goal extends Titled {
  targets: Target[];
}

const goals = (catalogue as unknown as { goals: Goal[] }).goals;

export const INDICATOR_CODES: ReadonlySet<string> = new Set(goals.flatMap((goal) => goal.targets.flatMap((target) => target.indicators.map((indicator) => indicator.id))));

export const indicatorCatalogue = {
  goals: goals.map((goal) => ({
    code: goal.id,
    title: goal.title,
    targets: goal.targets.map((target) => ({
      code: target.id,
      title: target.title,
      indicators: target.indicators.map((indicator) => ({ code: indicator.id, title: indicator.title })),
    })),
  })),
};

/** The codes without repeats; a 400 `unknown_indicator` naming each code not in the catalogue. */
export function knownIndicatorCodes(codes: string[] | undefined): string[] {
  const unknown = (codes ?? []).filter((code) => !INDICATOR_CODES.has(code));
  if (unknown.length > 0) {
    throw badRequest('unknown_indicator', `Not an MDG indicator: ${unknown.join(', ')}.`, unknown.map((code) => ({ field: 'indicatorCodes', message: `${code} is not in the official list` })));
  }
  return [...new Set(codes ?? [])];
}
