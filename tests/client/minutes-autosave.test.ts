import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../client/app/api.js';
import { MinutesAutosave, type AutosaveOptions } from '../../client/features/meetings/minutes/autosave.js';
import { setIntroduction, setSectionField } from '../../client/features/meetings/minutes/minutes-model.js';
import type { Minutes, MinutesContent, MinutesSave } from '../../client/features/meetings/models.js';

const content = (introduction = '', summary = ''): MinutesContent => ({
  introduction,
  sections: [{ key: 'item-1', agendaItemId: 'a1', title: 'Census round', summary, decisions: '', actionItems: [] }],
});

function minutes(revision: number, body: MinutesContent, by = 'Ana'): Minutes {
  return {
    meetingId: 'm1',
    occurrenceId: 'single',
    occurrence: { id: 'single', startsAt: '2026-03-02T14:00:00Z', endsAt: '2026-03-02T15:00:00Z', originalStartsAt: '2026-03-02T14:00:00Z', state: 'scheduled' },
    status: 'draft',
    mayWrite: true,
    draft: { revision, content: body, updatedAt: `2026-03-02T14:${String(revision).padStart(2, '0')}:00Z`, updatedBy: { id: by, displayName: by }, hasUnpublishedChanges: true },
    published: null,
  };
}

/**
 * A server that holds the draft and refuses a save based on an old revision over a field
 * changed since (as the real one does, 409 stale_revision), and a device's storage.
 */
function harness(options: Partial<AutosaveOptions> = {}) {
  let server = minutes(1, content());
  const saves: MinutesSave[] = [];
  const stored = new Map<string, string>();
  const problems: unknown[] = [];
  let offline = false;
  /** Fields another writer changed at each revision. */
  const changedAt = new Map<number, string[]>();
  const save = vi.fn(async (body: MinutesSave): Promise<Minutes> => {
    saves.push(structuredClone(body));
    if (offline) throw new ApiError(0, 'network_error', 'The server could not be reached.');
    const touched = [...(body.introduction !== undefined ? ['introduction'] : []), ...(body.sections ?? []).flatMap((s) => (s.summary !== undefined ? [`sections.${s.key}.summary`] : []))];
    const newer = [...changedAt].filter(([revision]) => revision > body.revision).flatMap(([, paths]) => paths);
    const conflicts = touched.filter((path) => newer.includes(path));
    if (conflicts.length > 0) throw new ApiError(409, 'stale_revision', 'Changed meanwhile.', {}, null, { revision: server.draft!.revision, conflicts, minutes: server });
    const next = structuredClone(server.draft!.content);
    if (body.introduction !== undefined) next.introduction = body.introduction;
    for (const section of body.sections ?? []) {
      const target = next.sections.find((s) => s.key === section.key);
      if (target && section.summary !== undefined) target.summary = section.summary;
    }
    server = minutes(server.draft!.revision + 1, next, 'me');
    return server;
  });
  const autosave = new MinutesAutosave({
    save,
    store: { read: (key) => stored.get(key) ?? '', write: (key, value) => void stored.set(key, value), clear: (key) => void stored.delete(key) },
    storageKey: (occurrenceId) => `concilia.minutes.m1.${occurrenceId}`,
    changed: () => undefined,
    problem: (error) => problems.push(error),
    someone: () => 'Someone',
    ...options,
  });
  return {
    autosave,
    save,
    saves,
    stored,
    problems,
    get server() {
      return server;
    },
    /** Another writer saves a field. */
    theyChange(path: 'introduction' | 'summary', text: string) {
      const next = structuredClone(server.draft!.content);
      if (path === 'introduction') next.introduction = text;
      else next.sections[0]!.summary = text;
      server = minutes(server.draft!.revision + 1, next, 'Bruno');
      changedAt.set(server.draft!.revision, [path === 'introduction' ? 'introduction' : 'sections.item-1.summary']);
    },
    setOffline(value: boolean) {
      offline = value;
    },
  };
}

describe('the minutes draft saved as it is written', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps each change on the device at once and sends it a second after typing pauses, field by field', async () => {
    const h = harness();
    h.autosave.adopt(h.server, true);
    h.autosave.change(setIntroduction(h.autosave.copy!, 'Chaired by Chile.'));
    expect(h.autosave.state).toBe('unsaved');
    expect(JSON.parse(h.stored.get('concilia.minutes.m1.single')!).content.introduction).toBe('Chaired by Chile.');
    await vi.advanceTimersByTimeAsync(500);
    h.autosave.change(setIntroduction(h.autosave.copy!, 'Chaired by Chile. Quorum reached.'));
    await vi.advanceTimersByTimeAsync(999);
    expect(h.saves).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.saves).toEqual([{ occurrenceId: 'single', revision: 1, introduction: 'Chaired by Chile. Quorum reached.' }]);
    expect(h.autosave.state).toBe('saved');
    expect(h.stored.has('concilia.minutes.m1.single')).toBe(false);
  });

  it('sends a change made while a save is under way with the next save, not lost and not twice', async () => {
    const h = harness();
    h.autosave.adopt(h.server, true);
    h.autosave.change(setIntroduction(h.autosave.copy!, 'First.'));
    await vi.advanceTimersByTimeAsync(1_000);
    // The server answers later than this change.
    h.save.mockImplementationOnce(async (body) => {
      h.autosave.change(setSectionField(h.autosave.copy!, 'item-1', 'summary', 'Typed during the save.'));
      return h.save.getMockImplementation()!(body);
    });
    h.autosave.change(setIntroduction(h.autosave.copy!, 'Second.'));
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.saves.map((s) => Object.keys(s).filter((k) => k !== 'occurrenceId' && k !== 'revision'))).toEqual([['introduction'], ['introduction'], ['sections']]);
    expect(h.server.draft!.content).toMatchObject({ introduction: 'Second.', sections: [{ summary: 'Typed during the save.' }] });
    expect(h.autosave.state).toBe('saved');
  });

  it('refuses to overwrite a field someone else changed meanwhile: shows both texts and sends nothing more until the writer chooses', async () => {
    const h = harness();
    h.autosave.adopt(h.server, true);
    h.theyChange('summary', 'Their summary.');
    h.autosave.change(setSectionField(h.autosave.copy!, 'item-1', 'summary', 'My summary.'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.autosave.state).toBe('conflict');
    expect(h.autosave.conflict).toMatchObject({ revision: 2, paths: ['sections.item-1.summary'], by: 'Bruno' });
    expect(h.autosave.conflict!.theirs.sections[0]!.summary).toBe('Their summary.');
    expect(h.server.draft!.content.sections[0]!.summary).toBe('Their summary.');
    // More typing is kept on the device, but nothing is sent over their text.
    h.autosave.change(setSectionField(h.autosave.copy!, 'item-1', 'summary', 'My summary, longer.'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.saves).toHaveLength(1);
    expect(h.autosave.state).toBe('conflict');
    expect(JSON.parse(h.stored.get('concilia.minutes.m1.single')!).content.sections[0].summary).toBe('My summary, longer.');
    expect(h.problems).toEqual([]);
  });

  it('saves my text over theirs, based on their revision, when I keep mine', async () => {
    const h = harness();
    h.autosave.adopt(h.server, true);
    h.theyChange('summary', 'Their summary.');
    h.autosave.change(setSectionField(h.autosave.copy!, 'item-1', 'summary', 'My summary.'));
    await vi.advanceTimersByTimeAsync(1_000);
    h.autosave.keepMine();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.saves.at(-1)).toMatchObject({ revision: 2, sections: [{ key: 'item-1', summary: 'My summary.' }] });
    expect(h.server.draft!.content.sections[0]!.summary).toBe('My summary.');
    expect(h.autosave.state).toBe('saved');
    expect(h.autosave.conflict).toBeNull();
  });

  it('takes their text for the conflicting field and still saves my other changes', async () => {
    const h = harness();
    h.autosave.adopt(h.server, true);
    h.theyChange('summary', 'Their summary.');
    let copy = setSectionField(h.autosave.copy!, 'item-1', 'summary', 'My summary.');
    copy = setIntroduction(copy, 'My introduction.');
    h.autosave.change(copy);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.autosave.state).toBe('conflict');
    h.autosave.takeTheirs();
    expect(h.autosave.copy!.content.sections[0]!.summary).toBe('Their summary.');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.saves.at(-1)).toEqual({ occurrenceId: 'single', revision: 2, introduction: 'My introduction.' });
    expect(h.server.draft!.content).toMatchObject({ introduction: 'My introduction.', sections: [{ summary: 'Their summary.' }] });
    expect(h.autosave.state).toBe('saved');
  });

  it('keeps the text while the server cannot be reached, tries again on its own, and at once when the connection is back', async () => {
    const h = harness({ retryMs: 5_000 });
    h.autosave.adopt(h.server, true);
    h.setOffline(true);
    h.autosave.change(setIntroduction(h.autosave.copy!, 'Written offline.'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.autosave.state).toBe('offline');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(h.saves).toHaveLength(2);
    expect(h.autosave.state).toBe('offline');
    h.setOffline(false);
    h.autosave.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.saves).toHaveLength(3);
    expect(h.autosave.state).toBe('saved');
    expect(h.server.draft!.content.introduction).toBe('Written offline.');
  });

  it('brings back text left unsaved on this device by an earlier visit, based on the revision it was written over', async () => {
    const first = harness();
    first.autosave.adopt(first.server, true);
    first.setOffline(true);
    first.autosave.change(setIntroduction(first.autosave.copy!, 'Kept across a closed tab.'));
    await vi.advanceTimersByTimeAsync(1_000);
    const kept = first.stored.get('concilia.minutes.m1.single')!;

    const later = harness();
    later.stored.set('concilia.minutes.m1.single', kept);
    later.theyChange('summary', 'Their summary.');
    later.autosave.adopt(later.server, true);
    expect(later.autosave.restored).toBe(true);
    expect(later.autosave.copy).toMatchObject({ baseRevision: 1, content: { introduction: 'Kept across a closed tab.', sections: [{ summary: 'Their summary.' }] } });
    await vi.advanceTimersByTimeAsync(0);
    expect(later.saves).toEqual([{ occurrenceId: 'single', revision: 1, introduction: 'Kept across a closed tab.' }]);
    expect(later.autosave.state).toBe('saved');
  });

  it('says so when a save is refused for another reason, and keeps the text', async () => {
    const h = harness();
    h.autosave.adopt(h.server, true);
    h.save.mockRejectedValueOnce(new ApiError(400, 'invalid_due_date', 'A due date is not valid.'));
    h.autosave.change(setIntroduction(h.autosave.copy!, 'Kept.'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.autosave.state).toBe('error');
    expect(h.problems).toHaveLength(1);
    expect(h.autosave.dirty).toBe(true);
  });
});
