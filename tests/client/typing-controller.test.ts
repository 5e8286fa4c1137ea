import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TypingController } from '../../client/controllers/typing-controller.js';

/**
 * "… is typing" (client/controllers/typing-controller.ts), on its own: the host renders `names`
 * when asked to update, so what the reader sees is `names` at each requested update.
 */

function setUp() {
  const host = { shown: [] as string[][], addController() {}, requestUpdate: () => undefined as void };
  const typing = new TypingController(host as never);
  // What the page shows: the names as they are at each update it is asked for.
  host.requestUpdate = () => void host.shown.push(typing.names);
  return { host, typing, shown: () => host.shown.at(-1) ?? [] };
}

describe('who else is typing', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows each name, in the order they started, for a few seconds after their last notice', () => {
    const { typing, shown } = setUp();
    typing.typed('u1', 'Ana');
    typing.typed('u2', 'Bruno');
    typing.typed('u1', 'Ana');
    expect(shown()).toEqual(['Ana', 'Bruno']);
    vi.advanceTimersByTime(6_200);
    expect(shown()).toEqual([]);
  });

  it('takes a name away at once when their message arrives', () => {
    const { typing, shown } = setUp();
    typing.typed('u1', 'Ana');
    typing.typed('u2', 'Bruno');
    typing.done('u1');
    expect(shown()).toEqual(['Bruno']);
  });

  it('takes each name away when its own time is up, not when the last person’s is', () => {
    const { typing, shown } = setUp();
    typing.typed('u1', 'Ana');
    vi.advanceTimersByTime(3_000);
    typing.typed('u2', 'Bruno');
    // Ana's last notice was 6 s ago: the page must be told, though Bruno is still typing.
    vi.advanceTimersByTime(3_200);
    expect(shown()).toEqual(['Bruno']);
    vi.advanceTimersByTime(3_000);
    expect(shown()).toEqual([]);
  });

  it('asks for no update once nobody is typing, and none after its host has gone', () => {
    const { host, typing } = setUp();
    typing.typed('u1', 'Ana');
    typing.hostDisconnected();
    const updates = host.shown.length;
    vi.advanceTimersByTime(60_000);
    expect(host.shown.length).toBe(updates);
  });
});
