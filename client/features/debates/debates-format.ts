import { msg, str } from '@lit/localize';
import { formatNumber } from '../../app/format.js';
import { pickContent } from '../../app/i18n.js';
import { plural } from '../../app/plural.js';
import type { Category, WatchLevel } from './models.js';

/** Categories are written in Spanish and English: see pickContent for which one a reader gets. */
export const categoryName = (category: Category | undefined | null) => (category ? pickContent(category.nameEs, category.nameEn) : '');
export const categoryDescription = (category: Category) => pickContent(category.descriptionEs, category.descriptionEn);

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

