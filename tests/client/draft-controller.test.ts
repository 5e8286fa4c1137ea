import type { ReactiveController } from 'lit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DraftController } from '../../client/controllers/draft-controller.js';

/**
 * A form kept on the device while it is filled in (client/controllers/draft-controller.ts), over a
 * real Storage-like map standing in for the browser's localStorage: nothing typed may be lost, and
 * nothing may land under another form's key.
 */

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

function setUp(delayMs = 400) {
  const storage = memoryStorage();
  vi.stubGlobal('window', { localStorage: storage });
  const host = { record: 'meeting-a', controllers: [] as ReactiveController[], addController(c: ReactiveController) { this.controllers.push(c); } };
  const draft = new DraftController<{ title: string }>(host as never, { key: () => `draft:${host.record}`, delayMs });
  return { storage, host, draft };
}

describe('a form kept on this device', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('writes once typing pauses, the last state only', () => {
    const { storage, draft } = setUp();
    draft.keep({ title: 'A' });
    vi.advanceTimersByTime(200);
    draft.keep({ title: 'Ag' });
    vi.advanceTimersByTime(399);
    expect(storage.items.size).toBe(0);
    vi.advanceTimersByTime(1);
    expect(JSON.parse(storage.items.get('draft:meeting-a')!)).toEqual({ title: 'Ag' });
    expect(JSON.parse(draft.read())).toEqual({ title: 'Ag' });
  });

  it('writes at once when the page is left, before the pause is over', () => {
    const { storage, host, draft } = setUp();
    draft.keep({ title: 'Agenda' });
    for (const controller of host.controllers) controller.hostDisconnected?.();
    expect(JSON.parse(storage.items.get('draft:meeting-a')!)).toEqual({ title: 'Agenda' });
  });

  it('keeps nothing once the form is sent: a change still waiting is dropped with the stored draft', () => {
    const { storage, draft } = setUp();
    draft.keep({ title: 'First' });
    vi.advanceTimersByTime(400);
    draft.keep({ title: 'Second' });
    draft.clear();
    vi.advanceTimersByTime(1000);
    expect(storage.items.size).toBe(0);
    expect(draft.read()).toBe('');
  });

  it('keeps a change under the form it was typed in, even when the page moves to another record before it is written', () => {
    const { storage, host, draft } = setUp();
    draft.keep({ title: 'Text typed for meeting A' });
    // The same element now edits meeting B (the router reuses it); the pending write fires after.
    host.record = 'meeting-b';
    vi.advanceTimersByTime(400);
    expect(storage.items.get('draft:meeting-b')).toBeUndefined();
    expect(JSON.parse(storage.items.get('draft:meeting-a')!)).toEqual({ title: 'Text typed for meeting A' });
  });
});
