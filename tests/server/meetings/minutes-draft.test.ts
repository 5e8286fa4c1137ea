import { describe, expect, it } from 'vitest';
import { applySave, emptyDraft, type DraftState } from '../../../server/features/meetings/minutes-draft.js';

/** The autosave rules on their own: which saves merge, which are stale, which change nothing. */

const agenda = [
  { id: 'a1', title: 'Apertura' },
  { id: 'a2', title: 'Informe' },
];
const titles = new Map(agenda.map((item) => [item.id, item.title]));
let counter = 0;
const newId = () => `generated-${++counter}`;
const start = (): DraftState => ({ content: emptyDraft(agenda), revision: 0, fieldRevisions: {} });

function saved(state: DraftState, base: number, patch: Parameters<typeof applySave>[2]): DraftState {
  const outcome = applySave(state, base, patch, titles, newId);
  if (outcome.kind !== 'saved') throw new Error(`expected a save, got ${JSON.stringify(outcome)}`);
  return outcome.state;
}

describe('applySave', () => {
  it('records per field the revision that last changed it', () => {
    const one = saved(start(), 0, { introduction: 'Hola', sections: [{ key: 'a1', summary: 'Resumen' }] });
    expect(one.revision).toBe(1);
    expect(one.fieldRevisions).toEqual({ introduction: 1, 'sections.a1.summary': 1 });
    const two = saved(one, 0, { sections: [{ key: 'a2', decisions: 'Decidido' }] });
    expect(two.fieldRevisions).toEqual({ introduction: 1, 'sections.a1.summary': 1, 'sections.a2.decisions': 2 });
    expect(two.content.introduction).toBe('Hola');
  });

  it('refuses a save whose fields changed after its base, naming them, and changes nothing', () => {
    const one = saved(start(), 0, { introduction: 'Hola', sections: [{ key: 'a1', summary: 'Resumen' }] });
    const outcome = applySave(one, 0, { introduction: 'Adiós', sections: [{ key: 'a1', summary: 'Otro' }, { key: 'a2', summary: 'Libre' }] }, titles, newId);
    expect(outcome).toEqual({ kind: 'conflict', conflicts: ['introduction', 'sections.a1.summary'] });
    expect(one.content.introduction).toBe('Hola');
  });

  it('treats a value already stored as no change, and a base from the future as stale', () => {
    const one = saved(start(), 0, { introduction: 'Hola' });
    expect(applySave(one, 0, { introduction: 'Hola' }, titles, newId)).toEqual({ kind: 'unchanged' });
    expect(applySave(one, 5, { introduction: 'Otra' }, titles, newId)).toEqual({ kind: 'conflict', conflicts: ['introduction'] });
  });

  it('does not bring back a section removed meanwhile, nor remove one edited meanwhile', () => {
    const withExtra = saved(start(), 0, { sections: [{ key: 'extra', title: 'Varios' }] });
    const edited = saved(withExtra, 1, { sections: [{ key: 'extra', summary: 'Nuevo texto' }] });
    expect(applySave(edited, 1, { sections: [{ key: 'extra', removed: true }] }, titles, newId)).toEqual({ kind: 'conflict', conflicts: ['sections.extra.summary'] });
    const removed = saved(edited, 2, { sections: [{ key: 'extra', removed: true }] });
    expect(applySave(removed, 2, { sections: [{ key: 'extra', title: 'Varios', summary: 'Sigo escribiendo' }] }, titles, newId)).toEqual({ kind: 'conflict', conflicts: ['sections.extra'] });
  });

  it('adds sections by agenda item or title, keeps action item ids and gives one to those without', () => {
    const state = saved(start(), 0, {
      sections: [
        { key: 'a2', removed: true },
        { key: 'again', agendaItemId: 'a2' },
        { key: 'a1', actionItems: [{ id: 'kept', text: 'Uno', responsibleCountryId: 'cl', responsiblePersonId: null, dueDate: null }, { text: 'Dos', responsibleCountryId: 'mx', responsiblePersonId: null, dueDate: null }] },
      ],
    });
    expect(state.content.sections.map((section) => [section.key, section.title])).toEqual([['a1', 'Apertura'], ['again', 'Informe']]);
    expect(state.content.sections[0]!.actionItems.map((item) => item.id)).toEqual(['kept', expect.stringMatching(/^generated-/)]);
    expect(() => applySave(state, 1, { sections: [{ key: 'nope', summary: 'x' }] }, titles, newId)).toThrow(/no section/);
    expect(() => applySave(state, 1, { sections: [{ key: 'x', agendaItemId: 'not-on-agenda' }] }, titles, newId)).toThrow(/not on this meeting's agenda/);
    expect(() => applySave(state, 1, { order: ['a1'] }, titles, newId)).toThrow(/every section/);
    const reordered = saved(state, 1, { order: ['again', 'a1'] });
    expect(reordered.content.sections.map((section) => section.key)).toEqual(['again', 'a1']);
    expect(reordered.fieldRevisions.order).toBe(2);
  });
});
