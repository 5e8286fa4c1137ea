import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/shared/paths.js';

/**
 * The translators' files (client/i18n/*.xlf) are merged by hand from several branches, and the
 * built locales are generated from them: a file that is no longer well-formed XML still ships the
 * last generated locale, but `npm run i18n:extract` refuses it, so the next new string cannot be
 * translated. Each must parse, and translate every message exactly once.
 */
const LOCALES = ['es', 'pt', 'fr'];

interface Reading {
  /** What the XML parser refused (errors, not warnings). */
  problems: string[];
  /** Ids seen twice, and units that hold another unit (one left unclosed). */
  misplaced: string[];
  units: Map<string, { target: boolean }>;
}

function read(locale: string): Reading {
  const text = readFileSync(path.join(projectRoot, 'client', 'i18n', `${locale}.xlf`), 'utf8');
  const problems: string[] = [];
  const document = new DOMParser({ errorHandler: { error: (message: string) => void problems.push(message), fatalError: (message: string) => void problems.push(message) } }).parseFromString(text, 'text/xml');
  const misplaced: string[] = [];
  const units = new Map<string, { target: boolean }>();
  const list = document.getElementsByTagName('trans-unit');
  for (let i = 0; i < list.length; i += 1) {
    const unit = list.item(i)!;
    const id = unit.getAttribute('id') ?? '';
    if (units.has(id)) misplaced.push(`${id} repeated`);
    const parent = unit.parentNode as Element | null;
    if (parent?.nodeName === 'trans-unit') misplaced.push(`${id} inside ${parent.getAttribute('id')}`);
    units.set(id, { target: unit.getElementsByTagName('target').length > 0 });
  }
  return { problems, misplaced, units };
}

describe('the translation files', () => {
  const all = Object.fromEntries(LOCALES.map((locale) => [locale, read(locale)]));

  it.each(LOCALES)('%s.xlf is well-formed and translates every message it lists', (locale) => {
    const { problems, misplaced, units } = all[locale]!;
    expect(problems).toEqual([]);
    expect(misplaced).toEqual([]);
    expect([...units].filter(([, unit]) => !unit.target).map(([id]) => id)).toEqual([]);
    expect(units.size).toBeGreaterThan(1_000);
  });

  it('lists the same messages in every language', () => {
    const ids = (locale: string) => [...all[locale]!.units.keys()].sort();
    for (const locale of LOCALES.slice(1)) expect(ids(locale)).toEqual(ids(LOCALES[0]!));
  });
});
