import { compareCodes, type Bilingual, type Framework, type Indicator, type Target } from './model.js';

/**
 * The official MDG list (effective 15 January 2008) as a framework. The JSON lists an indicator
 * that serves several targets once, under its first target, with a `targets` array; targets that
 * share their indicators with an earlier one have an empty list (`indicatorsListedUnder`).
 * The JSON (server/features/reference/mdg-indicators.json) is handed in by the caller, so that this
 * module reads no other feature's files.
 */

interface JsonIndicator {
  id: string;
  title: Bilingual;
  targets?: string[];
  group?: Bilingual;
}
interface JsonTarget {
  id: string;
  title: Bilingual;
  indicators: JsonIndicator[];
}
interface JsonGoal {
  id: string;
  title: Bilingual;
  targets: JsonTarget[];
}
export interface MdgJson {
  effectiveDate: string;
  goals: JsonGoal[];
}

export const MDG_FRAMEWORK_ID = 'mdg-2008';

export function loadMdgFramework(json: MdgJson): Framework {
  const targets: Target[] = [];
  const indicators: Indicator[] = [];
  for (const goal of json.goals) {
    for (const target of goal.targets) {
      targets.push({ code: target.id, goal: goal.id, title: target.title });
      for (const indicator of target.indicators) {
        indicators.push({
          code: indicator.id,
          goal: goal.id,
          targets: indicator.targets ?? [target.id],
          title: indicator.title,
          tier: null,
          custodians: [],
          unit: null,
          seriesCodes: [],
          ...(indicator.group ? { group: indicator.group } : {}),
        });
      }
    }
  }
  return {
    id: MDG_FRAMEWORK_ID,
    family: 'MDG',
    version: '2008',
    title: { en: 'Millennium Development Goals (official list of 2008)', es: 'Objetivos de Desarrollo del Milenio (lista oficial de 2008)' },
    effectiveDate: json.effectiveDate,
    goals: json.goals.map((goal) => ({ code: goal.id, title: goal.title })),
    targets: targets.sort((a, b) => compareCodes(a.code, b.code)),
    indicators: indicators.sort((a, b) => compareCodes(a.code, b.code)),
  };
}
