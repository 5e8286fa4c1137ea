import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BurstController } from '../../client/controllers/burst-controller.js';

/** The refresh a page runs after live events (client/controllers/burst-controller.ts), on its own. */
function setUp() {
  let runs = 0;
  const controllers: Array<{ hostDisconnected?: () => void }> = [];
  const host = { addController: (controller: { hostDisconnected?: () => void }) => void controllers.push(controller), requestUpdate: () => undefined };
  const burst = new BurstController(host as never, () => (runs += 1), 800, 5_000);
  return { burst, runs: () => runs, leave: () => controllers.forEach((controller) => controller.hostDisconnected?.()) };
}

describe('a refresh per burst of live events', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once, a quiet moment after the last event of a burst', () => {
    const { burst, runs } = setUp();
    for (let i = 0; i < 5; i += 1) {
      burst.poke();
      vi.advanceTimersByTime(300);
    }
    expect(runs()).toBe(0);
    vi.advanceTimersByTime(500);
    expect(runs()).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(runs()).toBe(1);
  });

  it('still runs during a steady stream, at most the longest wait after its first event', () => {
    const { burst, runs } = setUp();
    for (let i = 0; i < 60; i += 1) {
      burst.poke();
      vi.advanceTimersByTime(500);
    }
    // 30 s of an event every half second: a plain debounce would never have run.
    expect(runs()).toBeGreaterThanOrEqual(5);
    expect(runs()).toBeLessThanOrEqual(7);
  });

  it('runs nothing once cancelled, or once the page is left', () => {
    const first = setUp();
    first.burst.poke();
    first.burst.cancel();
    const second = setUp();
    second.burst.poke();
    second.leave();
    vi.advanceTimersByTime(10_000);
    expect(first.runs() + second.runs()).toBe(0);
  });
});
