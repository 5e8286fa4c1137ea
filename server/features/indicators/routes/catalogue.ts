import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../../../plugins/authorization.js';
import type { SessionUser } from '../../../plugins/sessions/index.js';
import { contentLocaleOf, refKey, type SubjectRef, type SubjectSummary } from '../../../plugins/subjects/index.js';
import { errorResponses, notFound } from '../../../shared/errors.js';
import { fold } from '../../../shared/full-text.js';
import { refOf, type Catalogue, type VersionContent } from '../catalogue.js';
import type { IndicatorRow, IndicatorsRepository, TagRow } from '../repository.js';
import type { CatalogueHolder } from '../service.js';
import { CatalogueQuery, CatalogueSchema, FrameworkListSchema, HubParams, HubSchema, SuggestionListSchema, SuggestSchema, VersionParams, type IndicatorSummary } from '../schemas.js';

/**
 * Reading the catalogue: the frameworks and their versions, one version browsed by goal and target
 * with counts of what is tagged, an indicator's hub (everything tagged with it, by subject kind),
 * and tag suggestions for a text. Counts and the hub hold only what the reader may read: the
 * subject registry describes each tagged thing for them (a draft document, a case's private
 * thread, are left out for those who may not see them).
 */

const bilingual = (en: string | null, es: string | null) => (en || es ? { en: en ?? '', es: es ?? '' } : null);

export const versionSummary = (content: VersionContent) => ({
  id: content.version.id,
  frameworkId: content.version.frameworkId,
  version: content.version.version,
  title: { en: content.version.titleEn, es: content.version.titleEs },
  effectiveDate: content.version.effectiveDate,
  goalCount: content.goals.length,
  targetCount: content.targets.length,
  indicatorCount: content.indicators.length,
});

const frameworkView = (content: VersionContent) => ({ id: content.framework.id, kind: content.framework.kind, title: { en: content.framework.titleEn, es: content.framework.titleEs } });

export const indicatorSummary = (indicator: IndicatorRow, count: number): IndicatorSummary => ({
  id: indicator.id,
  ref: refOf(indicator.id),
  versionId: indicator.versionId,
  code: indicator.code,
  goal: indicator.goalCode,
  targets: indicator.targets,
  title: { en: indicator.titleEn, es: indicator.titleEs },
  tier: indicator.tier,
  custodians: indicator.custodians,
  unit: indicator.unit,
  seriesCodes: indicator.seriesCodes,
  group: bilingual(indicator.groupEn, indicator.groupEs),
  complementary: indicator.complementary,
  count,
});

/** Which of these tagged subjects the reader may read (one describe per subject kind). */
async function readable(fastify: Parameters<FastifyPluginAsyncTypebox>[0], user: SessionUser, refs: readonly SubjectRef[]): Promise<Map<string, SubjectSummary>> {
  const known = refs.filter((ref) => fastify.subjects.has(ref.kind));
  const found = await fastify.subjects.describe(user, known, contentLocaleOf(user.locale));
  // A subject of another group is never counted, even should its kind describe it.
  for (const [key, summary] of found) if (summary.groupId !== user.groupId) found.delete(key);
  return found;
}

function matches(indicator: IndicatorRow, words: string[]): boolean {
  if (words.length === 0) return true;
  const haystack = fold(`${indicator.code} ${indicator.titleEn} ${indicator.titleEs} ${indicator.seriesCodes.join(' ')} ${indicator.custodians.join(' ')}`);
  return words.every((word) => haystack.includes(word));
}

export const catalogueRoutes: FastifyPluginAsyncTypebox<{ repository: IndicatorsRepository; holder: CatalogueHolder }> = async (fastify, { repository, holder }) => {
  const loadVersion = async (versionId: string): Promise<{ catalogue: Catalogue; content: VersionContent }> => {
    const catalogue = await holder.get();
    const content = catalogue.versions.get(versionId);
    if (!content) throw notFound('Framework version');
    return { catalogue, content };
  };

  fastify.get(
    '/indicators/frameworks',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['indicators'], summary: 'The frameworks of the catalogue (MDG, SDG, regional lists) and their versions', response: { 200: FrameworkListSchema, ...errorResponses } },
    },
    async () => {
      const catalogue = await holder.get();
      return {
        items: [...catalogue.frameworks.values()].map((framework) => ({
          id: framework.id,
          kind: framework.kind,
          title: { en: framework.titleEn, es: framework.titleEs },
          versions: [...catalogue.versions.values()].filter((content) => content.framework.id === framework.id).map(versionSummary),
        })),
      };
    },
  );

  fastify.get(
    '/indicators/versions/:versionId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['indicators'],
        summary: 'One version of a framework by goal and target, with counts of what the reader may read tagged with each indicator',
        params: VersionParams,
        querystring: CatalogueQuery,
        response: { 200: CatalogueSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { content } = await loadVersion(request.params.versionId);
      const tags = await repository.taggedInVersion(user.groupId, content.version.id);
      const visible = await readable(fastify, user, uniqueRefs(tags));
      const counted = tags.filter((tag) => visible.has(refKey({ kind: tag.subjectKind, id: tag.subjectId })));
      const byIndicator = new Map<string, Set<string>>();
      for (const tag of counted) {
        const key = refKey({ kind: tag.subjectKind, id: tag.subjectId });
        const set = byIndicator.get(tag.indicatorId) ?? new Set<string>();
        set.add(key);
        byIndicator.set(tag.indicatorId, set);
      }
      const union = (indicators: IndicatorRow[]) => new Set(indicators.flatMap((indicator) => [...(byIndicator.get(indicator.id) ?? [])])).size;
      const words = fold(request.query.q ?? '').split(/\s+/).filter(Boolean);
      const shown = content.indicators.filter((indicator) => matches(indicator, words));
      const goals = content.goals
        .map((goal) => {
          const targets = content.targets
            .filter((target) => target.goalCode === goal.code)
            .map((target) => {
              const serving = shown.filter((indicator) => indicator.targets.includes(target.code));
              return {
                code: target.code,
                title: bilingual(target.titleEn, target.titleEs),
                count: union(serving),
                indicators: serving.map((indicator) => ({
                  ...indicatorSummary(indicator, byIndicator.get(indicator.id)?.size ?? 0),
                  sharedWith: indicator.targets[0] !== target.code ? indicator.targets[0]! : null,
                })),
              };
            })
            .filter((target) => words.length === 0 || target.indicators.length > 0);
          return { code: goal.code, title: bilingual(goal.titleEn, goal.titleEs), count: union(shown.filter((indicator) => indicator.goalCode === goal.code)), targets };
        })
        .filter((goal) => words.length === 0 || goal.targets.length > 0);
      return { version: versionSummary(content), framework: frameworkView(content), goals, shown: shown.length };
    },
  );

  fastify.get(
    '/indicators/versions/:versionId/indicators/:code',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['indicators'],
        summary: 'An indicator’s hub: its description, its links to other frameworks, and everything tagged with it that the reader may read',
        params: HubParams,
        response: { 200: HubSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { catalogue, content } = await loadVersion(request.params.versionId);
      const indicator = content.indicators.find((row) => row.code === request.params.code.toLowerCase() || row.code === request.params.code);
      if (!indicator) throw notFound('Indicator');
      const refs = await repository.taggedWith(user.groupId, indicator.id);
      const visible = await readable(fastify, user, refs);
      const kinds = fastify.subjects.list();
      const tagged = kinds
        .map((kind) => ({
          kind,
          items: refs.flatMap((ref) => {
            const summary = ref.kind === kind ? visible.get(refKey(ref)) : undefined;
            if (!summary) return [];
            const { kind: itemKind, id, title, href, summary: text, badge } = summary;
            return [{ kind: itemKind, id, title, href, ...(text === undefined ? {} : { summary: text }), ...(badge === undefined ? {} : { badge }) }];
          }),
        }))
        .filter((group) => group.items.length > 0);
      const goal = content.goals.find((row) => row.code === indicator.goalCode);
      const family = content.framework.id;
      const crosswalk = catalogue.crosswalk.linked(family, indicator.code).map((link) => ({
        family: link.family,
        code: link.code,
        relation: link.relation,
        indicators: catalogue.inFamily(link.family, link.code).map((row) => ({ id: row.id, ref: refOf(row.id), versionId: row.versionId, title: { en: row.titleEn, es: row.titleEs } })),
      }));
      const count = new Set(tagged.flatMap((group) => group.items.map((item) => refKey(item)))).size;
      return {
        indicator: indicatorSummary(indicator, count),
        version: versionSummary(content),
        framework: frameworkView(content),
        goal: { code: indicator.goalCode, title: goal ? bilingual(goal.titleEn, goal.titleEs) : null },
        targets: indicator.targets.map((code) => {
          const target = content.targets.find((row) => row.code === code);
          return { code, title: target ? bilingual(target.titleEn, target.titleEs) : null };
        }),
        crosswalk,
        tagged,
        discrepancies: { href: `/discrepancies/cases?indicator=${encodeURIComponent(indicator.code)}` },
      };
    },
  );

  fastify.post(
    '/indicators/suggest',
    {
      config: { access: 'signed-in' },
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['indicators'],
        summary: 'Indicators a text (a thread, a document) seems to be about, best first: suggestions only, nothing is tagged',
        body: SuggestSchema,
        response: { 200: SuggestionListSchema, ...errorResponses },
      },
    },
    async (request) => {
      const catalogue = await holder.get();
      const suggestions = catalogue.suggester.suggest(request.body.text, { limit: request.body.limit ?? 8 });
      return {
        items: suggestions.map((s) => ({ ref: refOf(`${s.framework}:${s.code}`), versionId: s.framework, family: s.family, code: s.code, title: s.title, score: s.score, reasons: s.reasons })),
      };
    },
  );
};

function uniqueRefs(tags: readonly TagRow[]): SubjectRef[] {
  const seen = new Map<string, SubjectRef>();
  for (const tag of tags) seen.set(refKey({ kind: tag.subjectKind, id: tag.subjectId }), { kind: tag.subjectKind, id: tag.subjectId });
  return [...seen.values()];
}
