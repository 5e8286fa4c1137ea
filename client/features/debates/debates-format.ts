import { msg, str } from '@lit/localize';
import { formatNumber } from '../../app/format.js';
import { plural } from '../../app/plural.js';
import type { AppServices } from '../../app/contexts.js';
import { affiliationLabel, formatDateTime, intlLocale, roleLabel } from '../../app/format.js';
import { pickContent } from '../../app/i18n.js';
import type { Author, Category, IndicatorGoal, Localized, WatchLevel } from './models.js';

/** Categories and indicator titles are written in Spanish and English: see pickContent for which one a reader gets. */
export const categoryName = (category: Category | undefined | null) => (category ? pickContent(category.nameEs, category.nameEn) : '');
export const categoryDescription = (category: Category) => pickContent(category.descriptionEs, category.descriptionEn);
export const localized = (text: Localized) => pickContent(text.es, text.en);

/** "Ana Gómez · Member · Mexico". */
export function authorDetails(author: Author, services: AppServices): string {
  return [roleLabel(author.role), affiliationLabel(author, services.countries, services.organizations)].filter(Boolean).join(' · ');
}

/** Country names for ISO ids ("mx" → "Mexico"), in the interface language. */
export function countryNames(ids: readonly string[], services: AppServices): string[] {
  return ids.map((id) => affiliationLabel({ countryId: id, organizationId: null }, services.countries, services.organizations) || id.toUpperCase());
}

/** "3 minutes ago" for recent times, else the date and time in the reader's zone. */
export function formatWhen(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  if (Number.isNaN(seconds)) return iso;
  const rtf = new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(0, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return formatDateTime(iso, timeZone);
}

export function watchLabel(level: WatchLevel): string {
  switch (level) {
    case 'watching':
      return msg('Watching: notify me of every new post');
    case 'normal':
      return msg('Normal: notify me of replies and mentions');
    case 'muted':
      return msg('Muted: never notify me');
  }
}

export const repliesLabel = (count: number) => plural(count, { one: msg(str`${formatNumber(count)} reply`, { id: 'replies.one' }), other: msg(str`${formatNumber(count)} replies`, { id: 'replies.other' }) });
export const unreadLabel = (count: number) => plural(count, { one: msg(str`${formatNumber(count)} unread`, { id: 'unread-posts.one' }), other: msg(str`${formatNumber(count)} unread`, { id: 'unread-posts.other' }) });

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

/** Where the reader's drafts live; storage may be blocked, which only loses the draft. */
export const drafts = {
  read(key: string): string {
    try {
      return window.localStorage.getItem(key) ?? '';
    } catch {
      return '';
    }
  },
  write(key: string, value: string): void {
    try {
      if (value.trim()) window.localStorage.setItem(key, value);
      else window.localStorage.removeItem(key);
    } catch {
      // Not keeping a draft is harmless.
    }
  },
  clear(key: string): void {
    try {
      window.localStorage.removeItem(key);
    } catch {
      // see write
    }
  },
};
