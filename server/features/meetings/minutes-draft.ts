import { badRequest } from '../../shared/errors.js';
import { staleFields } from '../../shared/field-revisions.js';
import type { ActionItemDraft, MinutesContent, MinutesSection } from './minutes-tables.js';

/**
 * Applying an autosave to a minutes draft (docs/meetings-api.md, "Autosave"): pure, so the rules
 * are tested on their own and the route only stores the outcome.
 *
 * Every accepted save raises the draft's revision and records, per field it changed, that new
 * revision. A save carries the revision its text was based on; it is refused as a whole if a field
 * it would change was changed by a later save (a stale overwrite). Sending a field with the value
 * already stored changes nothing and never conflicts, so a save repeated after a lost answer, or a
 * client that sends a whole section, is harmless.
 */

export interface SectionPatch {
  key: string;
  agendaItemId?: string | null;
  title?: string;
  summary?: string;
  decisions?: string;
  actionItems?: Array<Omit<ActionItemDraft, 'id'> & { id?: string }>;
  removed?: true;
}

export interface MinutesPatch {
  introduction?: string;
  order?: string[];
  sections?: SectionPatch[];
}

export interface DraftState {
  content: MinutesContent;
  revision: number;
  fieldRevisions: Record<string, number>;
}

export type SaveOutcome =
  | { kind: 'saved'; state: DraftState; fields: string[] }
  | { kind: 'unchanged' }
  | { kind: 'conflict'; conflicts: string[] };

export const MAX_SECTIONS = 60;
const SECTION_FIELDS = ['title', 'summary', 'decisions', 'actionItems'] as const;

/** A new draft: one empty section per agenda item, in the agenda's order. */
export function emptyDraft(agenda: Array<{ id: string; title: string }>): MinutesContent {
  return {
    introduction: '',
    sections: agenda.map((item) => ({ key: item.id, agendaItemId: item.id, title: item.title, summary: '', decisions: '', actionItems: [] })),
  };
}

/** Equal as JSON, whatever the order of objects' keys: PostgreSQL's jsonb gives a stored draft's keys back in an order of its own. */
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
}

export function applySave(current: DraftState, base: number, patch: MinutesPatch, agendaTitles: Map<string, string>, newId: () => string): SaveOutcome {
  const content: MinutesContent = structuredClone(current.content);
  const changed = new Set<string>();
  /** Fields whose stored value this save depends on not having moved since `base`, though it does not rewrite them. */
  const dependsOn = new Set<string>();

  if (patch.introduction !== undefined && patch.introduction !== content.introduction) {
    content.introduction = patch.introduction;
    changed.add('introduction');
  }

  for (const section of patch.sections ?? []) {
    const path = `sections.${section.key}`;
    const index = content.sections.findIndex((candidate) => candidate.key === section.key);
    if (section.removed) {
      if (index < 0) continue;
      content.sections.splice(index, 1);
      changed.add(path);
      for (const field of SECTION_FIELDS) dependsOn.add(`${path}.${field}`);
      continue;
    }
    let target: MinutesSection;
    const changedBefore = changed.size;
    if (index < 0) {
      // Removed by someone else since this text was loaded: writing into it would bring it back.
      if ((current.fieldRevisions[path] ?? 0) > base) return { kind: 'conflict', conflicts: [path] };
      const agendaItemId = section.agendaItemId ?? null;
      if (agendaItemId !== null && !agendaTitles.has(agendaItemId)) {
        throw badRequest('unknown_section', `Agenda item ${agendaItemId} is not on this meeting's agenda.`, [{ field: `${path}.agendaItemId`, message: 'is not an agenda item' }]);
      }
      const title = section.title ?? (agendaItemId === null ? undefined : agendaTitles.get(agendaItemId));
      if (title === undefined) {
        throw badRequest('unknown_section', `The minutes have no section "${section.key}"; give a title (or an agenda item) to add it.`, [{ field: path, message: 'is not a section' }]);
      }
      target = { key: section.key, agendaItemId, title, summary: '', decisions: '', actionItems: [] };
      content.sections.push(target);
      changed.add(path);
    } else {
      target = content.sections[index]!;
    }
    if (section.title !== undefined && section.title !== target.title) {
      target.title = section.title;
      changed.add(`${path}.title`);
    }
    if (section.summary !== undefined && section.summary !== target.summary) {
      target.summary = section.summary;
      changed.add(`${path}.summary`);
    }
    if (section.decisions !== undefined && section.decisions !== target.decisions) {
      target.decisions = section.decisions;
      changed.add(`${path}.decisions`);
    }
    if (section.actionItems !== undefined) {
      const items: ActionItemDraft[] = section.actionItems.map((item) => ({
        id: item.id ?? newId(),
        text: item.text,
        responsibleCountryId: item.responsibleCountryId,
        responsiblePersonId: item.responsiblePersonId,
        dueDate: item.dueDate,
      }));
      if (!same(items, target.actionItems)) {
        target.actionItems = items;
        changed.add(`${path}.actionItems`);
      }
    }
    // Writing into a section that was removed and added again meanwhile is stale too.
    if (index >= 0 && changed.size > changedBefore) dependsOn.add(path);
  }

  if (content.sections.length > MAX_SECTIONS) throw badRequest('validation_failed', `Minutes have at most ${MAX_SECTIONS} sections.`, [{ field: 'sections', message: 'too many' }]);
  const ids = content.sections.flatMap((section) => section.actionItems.map((item) => item.id));
  if (new Set(ids).size !== ids.length) throw badRequest('validation_failed', 'Two action items have the same id.', [{ field: 'sections.actionItems.id', message: 'is used twice' }]);

  if (patch.order !== undefined) {
    const keys = content.sections.map((section) => section.key);
    if (patch.order.length !== keys.length || !same([...patch.order].sort(), [...keys].sort())) {
      throw badRequest('invalid_order', '`order` must name every section of the minutes exactly once.', [{ field: 'order', message: 'is not a permutation of the sections' }]);
    }
    if (!same(patch.order, keys)) {
      const byKey = new Map(content.sections.map((section) => [section.key, section]));
      content.sections = patch.order.map((key) => byKey.get(key)!);
      changed.add('order');
    }
  }

  if (changed.size === 0) return { kind: 'unchanged' };
  // Removing a section, or writing into one, whose existence changed meanwhile is stale as well.
  const conflicts = staleFields({ revision: current.revision, fieldRevision: (field) => current.fieldRevisions[field] ?? 0 }, base, changed, dependsOn);
  if (conflicts.length > 0) return { kind: 'conflict', conflicts };

  const revision = current.revision + 1;
  const fieldRevisions = { ...current.fieldRevisions };
  for (const field of changed) fieldRevisions[field] = revision;
  return { kind: 'saved', state: { content, revision, fieldRevisions }, fields: [...changed].sort() };
}
