import type { ActionItemDraft, MinutesContent, MinutesSave, MinutesSection } from '../models.js';

/**
 * The minutes editor's working copy: the content as the writer sees it, the revision it is
 * based on, and which fields changed since (by the server's field paths: `introduction`,
 * `order`, `sections.<key>` for a section added or removed, `sections.<key>.title|summary|
 * decisions|actionItems`). Saves send only those fields, so two writers on different agenda
 * items never overwrite each other, and the server refuses a save over a field someone else
 * changed meanwhile (409 stale_revision) instead of losing either text.
 */
export interface WorkingCopy {
  baseRevision: number;
  content: MinutesContent;
  /** Field path → change generation (a change during a save keeps its field dirty). */
  dirty: Record<string, number>;
  /** Sections added here and not yet saved, and sections removed here. */
  added: string[];
  removed: string[];
}

export type SectionField = 'title' | 'summary' | 'decisions' | 'actionItems';

let generation = 0;

export function copyOf(revision: number, content: MinutesContent): WorkingCopy {
  return { baseRevision: revision, content: structuredClone(content), dirty: {}, added: [], removed: [] };
}

export const isDirty = (copy: WorkingCopy) => Object.keys(copy.dirty).length > 0;

function touch(copy: WorkingCopy, path: string): WorkingCopy {
  return { ...copy, dirty: { ...copy.dirty, [path]: ++generation } };
}

export function setIntroduction(copy: WorkingCopy, text: string): WorkingCopy {
  return touch({ ...copy, content: { ...copy.content, introduction: text } }, 'introduction');
}

export function setSectionField<F extends SectionField>(copy: WorkingCopy, key: string, field: F, value: MinutesSection[F]): WorkingCopy {
  const sections = copy.content.sections.map((section) => (section.key === key ? { ...section, [field]: value } : section));
  return touch({ ...copy, content: { ...copy.content, sections } }, `sections.${key}.${field}`);
}

export function addSection(copy: WorkingCopy, title: string): { copy: WorkingCopy; key: string } {
  const key = `extra-${crypto.randomUUID().slice(0, 8)}`;
  const section: MinutesSection = { key, agendaItemId: null, title, summary: '', decisions: '', actionItems: [] };
  const next = touch({ ...copy, content: { ...copy.content, sections: [...copy.content.sections, section] }, added: [...copy.added, key] }, `sections.${key}`);
  return { copy: touch(next, 'order'), key };
}

export function removeSection(copy: WorkingCopy, key: string): WorkingCopy {
  const wasAdded = copy.added.includes(key);
  const sections = copy.content.sections.filter((section) => section.key !== key);
  const dirty = Object.fromEntries(Object.entries(copy.dirty).filter(([path]) => !path.startsWith(`sections.${key}.`) && path !== `sections.${key}`));
  let next: WorkingCopy = {
    ...copy,
    content: { ...copy.content, sections },
    dirty,
    added: copy.added.filter((k) => k !== key),
    removed: wasAdded ? copy.removed : [...copy.removed, key],
  };
  if (!wasAdded) next = touch(next, `sections.${key}`);
  return touch(next, 'order');
}

export function moveSection(copy: WorkingCopy, key: string, step: -1 | 1): WorkingCopy {
  const sections = [...copy.content.sections];
  const index = sections.findIndex((section) => section.key === key);
  const target = index + step;
  if (index < 0 || target < 0 || target >= sections.length) return copy;
  const [section] = sections.splice(index, 1);
  sections.splice(target, 0, section!);
  return touch({ ...copy, content: { ...copy.content, sections } }, 'order');
}

export function newActionItem(): ActionItemDraft {
  return { id: crypto.randomUUID(), text: '', responsibleCountryId: null, responsiblePersonId: null, dueDate: null };
}

export interface PendingSave {
  save: MinutesSave;
  /** The generations sent, to tell which fields changed again during the save. */
  sent: Record<string, number>;
}

/** The partial save of every dirty field, based on the copy's revision. */
export function pendingSave(copy: WorkingCopy, occurrenceId: string): PendingSave | null {
  if (!isDirty(copy)) return null;
  const save: MinutesSave = { occurrenceId, revision: copy.baseRevision };
  const paths = Object.keys(copy.dirty);
  if (paths.includes('introduction')) save.introduction = copy.content.introduction;
  if (paths.includes('order')) save.order = copy.content.sections.map((section) => section.key);
  const sections: NonNullable<MinutesSave['sections']> = [];
  for (const key of copy.removed) if (paths.includes(`sections.${key}`)) sections.push({ key, removed: true });
  for (const section of copy.content.sections) {
    const added = copy.added.includes(section.key);
    const fields = (['title', 'summary', 'decisions', 'actionItems'] as const).filter((field) => paths.includes(`sections.${section.key}.${field}`));
    if (!added && fields.length === 0) continue;
    const entry: NonNullable<MinutesSave['sections']>[number] = { key: section.key };
    if (added) {
      entry.agendaItemId = null;
      entry.title = section.title;
      entry.summary = section.summary;
      entry.decisions = section.decisions;
      entry.actionItems = section.actionItems;
    } else {
      for (const field of fields) (entry as Record<string, unknown>)[field] = section[field];
    }
    sections.push(entry);
  }
  if (sections.length > 0) save.sections = sections;
  // A new section is created by its entry; its own field paths ride along with it.
  return { save, sent: { ...copy.dirty } };
}

/**
 * The copy after the server took a save (or another writer's save was fetched): the server's
 * content and revision, with this copy's fields that are still dirty (changed again during the
 * save, or not sent) laid over it.
 */
export function rebase(copy: WorkingCopy, revision: number, server: MinutesContent, sent: Record<string, number> = {}): WorkingCopy {
  const dirty = Object.fromEntries(Object.entries(copy.dirty).filter(([path, gen]) => sent[path] !== gen));
  const onServer = (key: string) => server.sections.some((section) => section.key === key);
  const added = copy.added.filter((key) => !onServer(key));
  const removed = copy.removed.filter((key) => onServer(key));
  return { baseRevision: revision, content: overlay(server, copy.content, dirty, added, removed), dirty, added, removed };
}

/** Server content with the local values of the dirty fields. */
export function overlay(server: MinutesContent, local: MinutesContent, dirty: Record<string, number>, added: string[], removed: string[]): MinutesContent {
  const has = (path: string) => dirty[path] !== undefined;
  const localByKey = new Map(local.sections.map((section) => [section.key, section]));
  let sections: MinutesSection[] = server.sections
    .filter((section) => !removed.includes(section.key))
    .map((section) => {
      const mine = localByKey.get(section.key);
      if (!mine) return section;
      const merged = { ...section };
      for (const field of ['title', 'summary', 'decisions', 'actionItems'] as const) if (has(`sections.${section.key}.${field}`)) (merged as Record<string, unknown>)[field] = mine[field];
      return merged;
    });
  for (const key of added) {
    const mine = localByKey.get(key);
    if (mine && !sections.some((s) => s.key === key)) sections.push(mine);
  }
  if (has('order')) {
    const order = local.sections.map((section) => section.key);
    sections = [...sections].sort((a, b) => rank(order, a.key) - rank(order, b.key));
  }
  return { introduction: has('introduction') ? local.introduction : server.introduction, sections };
}

function rank(order: string[], key: string): number {
  const index = order.indexOf(key);
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

/** The value of one field path in some content, for showing both sides of a conflict. */
export function valueAt(content: MinutesContent, path: string): unknown {
  if (path === 'introduction') return content.introduction;
  if (path === 'order') return content.sections.map((section) => section.title);
  const match = /^sections\.([^.]+)(?:\.(title|summary|decisions|actionItems))?$/.exec(path);
  if (!match) return undefined;
  const section = content.sections.find((s) => s.key === match[1]);
  if (!match[2]) return section ? section.title : null;
  return section ? section[match[2] as SectionField] : null;
}

/** Drops local changes of some fields (the writer took the other version). */
export function dropPaths(copy: WorkingCopy, paths: string[]): WorkingCopy {
  const dirty = Object.fromEntries(Object.entries(copy.dirty).filter(([path]) => !paths.includes(path)));
  return { ...copy, dirty };
}
