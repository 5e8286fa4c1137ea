import { isGroupSlug } from '../../app/group-address.js';

const MAX = 40;

/**
 * The address a new group's name suggests: lower-case ASCII letters and digits joined by hyphens
 * ("Estadísticas de género" → "estadisticas-de-genero"), cut at 40 characters on a word boundary
 * where there is one. Empty when the name has nothing usable (the person then writes it).
 */
export function suggestSlug(name: string): string {
  const words = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > MAX) {
      if (!slug) slug = word.slice(0, MAX);
      break;
    }
    slug = next;
  }
  return isGroupSlug(slug) ? slug : '';
}
