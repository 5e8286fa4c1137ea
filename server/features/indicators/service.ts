import { badRequest } from '../../shared/errors.js';
import { Catalogue, idOf, refOf } from './catalogue.js';
import type { IndicatorsService } from './public.js';
import type { IndicatorsRepository } from './repository.js';

/**
 * The catalogue in memory, read again when its revision (counts and latest change times of its
 * tables, one small query) moves: another process's admin change is seen at the next request.
 */
export class CatalogueHolder {
  private current: { key: string; catalogue: Catalogue } | null = null;

  constructor(private readonly repository: IndicatorsRepository) {}

  async get(): Promise<Catalogue> {
    const key = await this.repository.revision();
    if (this.current?.key !== key) this.current = { key, catalogue: new Catalogue(await this.repository.readCatalogue()) };
    return this.current.catalogue;
  }
}

/** `fastify.indicators`: tags through the join table, references resolved against the catalogue. */
export function indicatorsService(repository: IndicatorsRepository, holder: CatalogueHolder): IndicatorsService {
  const toRefs = (tags: Map<string, string[]>) => new Map([...tags].map(([id, ids]) => [id, ids.map(refOf)]));
  return {
    async resolveCodes(codes, field = 'indicatorCodes') {
      const catalogue = await holder.get();
      const refs = [...new Set((codes ?? []).map((code) => refOf(idOf(code.trim()))))];
      const unknown = refs.filter((ref) => !catalogue.indicators.has(idOf(ref)));
      if (unknown.length > 0) {
        throw badRequest('unknown_indicator', `Not an indicator of the catalogue: ${unknown.join(', ')}.`, unknown.map((code) => ({ field, message: `${code} is not in the catalogue` })));
      }
      return refs;
    },
    setTagsWithin: (subject, codes, by, at) => repository.setTagsWithin(subject, codes.map(idOf), by, at),
    tagWithin: (subject, code, by, at) => repository.tagWithin(subject, idOf(code), by, at),
    untagWithin: (subject, code) => repository.untagWithin(subject, idOf(code)),
    tagsOf: async (kind, ids) => toRefs(await repository.tagsOf(kind, ids)),
    subjectsTagged: (groupId, kind, code) => repository.subjectsTagged(groupId, kind, idOf(code)),
  };
}
