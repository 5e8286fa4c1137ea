import type { Static } from 'typebox';
import { api } from '../../app/api.js';
import type { CatalogueSchema, FrameworkListSchema, HubSchema } from '../../../server/features/indicators/schemas.js';

export type FrameworkList = Static<typeof FrameworkListSchema>;
export type Catalogue = Static<typeof CatalogueSchema>;
export type Hub = Static<typeof HubSchema>;
export type CatalogueGoal = Catalogue['goals'][number];
export type CatalogueIndicator = CatalogueGoal['targets'][number]['indicators'][number];

/** The client path of an indicator's hub. */
export const hubPath = (versionId: string, code: string) => `/indicators/${encodeURIComponent(versionId)}/${encodeURIComponent(code)}`;

/** The hub's path for a tag as threads and documents write it ("4.1" for the MDG list of 2008, "sdg-2025:3.2.1" otherwise). */
export function hubPathOfRef(ref: string): string {
  const at = ref.indexOf(':');
  return at < 0 ? hubPath('mdg-2008', ref) : hubPath(ref.slice(0, at), ref.slice(at + 1));
}

export const indicatorsApi = {
  frameworks: (signal?: AbortSignal) => api.get<FrameworkList>('/indicators/frameworks', { signal }),
  catalogue: (versionId: string, q: string, signal?: AbortSignal) => api.get<Catalogue>(`/indicators/versions/${encodeURIComponent(versionId)}`, { query: q ? { q } : {}, signal }),
  hub: (versionId: string, code: string, signal?: AbortSignal) => api.get<Hub>(`/indicators/versions/${encodeURIComponent(versionId)}/indicators/${encodeURIComponent(code)}`, { signal }),
};
