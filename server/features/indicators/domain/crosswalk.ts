import type { Framework, Problem } from './model.js';

/**
 * Links between indicators of different frameworks, both ways: MDG 4.1 (under-five mortality rate)
 * is the same measure as SDG 3.2.1, so a discrepancy discussed under one is found under the other.
 * A link is `equivalent` when both measure the same thing, `related` when they measure it
 * differently (another poverty line, a new definition of drinking water): comparable with care.
 * Links name a framework family and a code, so they hold across versions of a list.
 */

export type Relation = 'equivalent' | 'related';
export interface IndicatorKey {
  family: string;
  code: string;
}
export interface CrosswalkLink {
  from: IndicatorKey;
  to: IndicatorKey;
  relation: Relation;
}

const link = (mdg: string, sdg: string, relation: Relation): CrosswalkLink => ({ from: { family: 'MDG', code: mdg }, to: { family: 'SDG', code: sdg }, relation });

/**
 * The MDG indicators whose SDG successor is clear. Equivalent: same measure and definition.
 * Related: the SDG indicator measures the same aim with another definition (poverty line, "safely
 * managed" rather than "improved" services, all vaccines rather than measles, local government
 * seats added to parliament).
 */
export const MDG_SDG_CROSSWALK: readonly CrosswalkLink[] = [
  link('1.1', '1.1.1', 'related'),
  link('1.9', '2.1.1', 'equivalent'),
  link('3.3', '5.5.1', 'related'),
  link('4.1', '3.2.1', 'equivalent'),
  link('5.1', '3.1.1', 'equivalent'),
  link('5.2', '3.1.2', 'equivalent'),
  link('7.8', '6.1.1', 'related'),
];

const id = (key: IndicatorKey) => `${key.family} ${key.code}`;

export class Crosswalk {
  private readonly byIndicator = new Map<string, Array<IndicatorKey & { relation: Relation }>>();

  constructor(readonly links: readonly CrosswalkLink[]) {
    const pairs = new Set<string>();
    for (const l of links) {
      if (l.relation !== 'equivalent' && l.relation !== 'related') throw new Error(`Unknown crosswalk relation "${String(l.relation)}".`);
      if (id(l.from) === id(l.to)) throw new Error(`${id(l.from)} is linked to itself.`);
      const pair = [id(l.from), id(l.to)].sort().join(' ↔ ');
      if (pairs.has(pair)) throw new Error(`${pair} is linked twice.`);
      pairs.add(pair);
      this.add(l.from, l.to, l.relation);
      this.add(l.to, l.from, l.relation);
    }
  }

  private add(from: IndicatorKey, to: IndicatorKey, relation: Relation) {
    const list = this.byIndicator.get(id(from)) ?? [];
    list.push({ family: to.family, code: to.code, relation });
    this.byIndicator.set(id(from), list);
  }

  /** The indicators of other frameworks linked to this one, equivalent ones first. */
  linked(family: string, code: string): Array<IndicatorKey & { relation: Relation }> {
    return [...(this.byIndicator.get(id({ family, code })) ?? [])].sort((a, b) => (a.relation === b.relation ? 0 : a.relation === 'equivalent' ? -1 : 1));
  }

  /** Links naming an indicator that none of these frameworks of its family has. */
  check(frameworks: readonly Framework[]): Problem[] {
    const known = new Set(frameworks.flatMap((f) => f.indicators.map((i) => id({ family: f.family, code: i.code }))));
    const problems: Problem[] = [];
    for (const key of new Set(this.links.flatMap((l) => [id(l.from), id(l.to)]))) {
      if (!known.has(key)) problems.push({ code: 'unknown_indicator', message: `The crosswalk names ${key}, which no framework lists.` });
    }
    return problems;
  }
}
