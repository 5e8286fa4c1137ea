import type { ReactiveController } from 'lit';
import { describe, expect, it } from 'vitest';
import { Resource, type ResourceOptions } from '../../client/controllers/resource.js';

/**
 * Resource (client/controllers/resource.ts), the one way a page loads its data, on its own: a host
 * that runs Lit's update cycle for its controllers (hostUpdate, render, hostUpdated) whenever an update
 * is requested, without a DOM. What it checks is what every page relies on: a load whose arguments
 * changed is aborted and its late answer ignored, the value shown while loading again, a refresh
 * that fails over a value still shown, the empty state, and loading only when asked.
 */

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A host that updates like a LitElement: batched in a microtask, controllers around each render. */
class FakeHost {
  controllers: ReactiveController[] = [];
  updates = 0;
  private pending = false;
  renderRoot = { querySelector: () => null };
  addController(controller: ReactiveController) {
    this.controllers.push(controller);
  }
  removeController() {}
  requestUpdate() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.updates++;
      for (const controller of this.controllers) controller.hostUpdate?.();
      for (const controller of this.controllers) controller.hostUpdated?.();
    });
  }
  get updateComplete() {
    return tick().then(() => true);
  }
}

/** A server whose answers the test gives, one per request, in any order. */
function server<T>() {
  const requests: Array<{ args: readonly unknown[]; signal: AbortSignal; resolve: (value: T) => void; reject: (error: unknown) => void }> = [];
  return {
    requests,
    load: (args: readonly unknown[], signal: AbortSignal) => new Promise<T>((resolve, reject) => requests.push({ args, signal, resolve, reject })),
  };
}

function setUp<T>(options: Partial<ResourceOptions<T, readonly [string]>> & { id?: string } = {}) {
  const host = new FakeHost();
  const backend = server<T>();
  const state = { id: options.id ?? 'a' };
  const resource = new Resource<T, readonly [string]>(host as never, {
    args: () => [state.id] as const,
    load: (args, signal) => backend.load(args, signal),
    ...options,
  });
  const views = {
    loading: 'Loading the things…',
    complete: (value: T, reloading: boolean) => `shown ${JSON.stringify(value)}${reloading ? ' (reloading)' : ''}`,
    empty: () => 'nothing here',
  };
  /** What the resource renders now, flattened to text (templates' static parts and values). */
  const rendered = () => flatten(resource.render(views));
  const update = async () => {
    host.requestUpdate();
    await tick();
  };
  return { host, backend, state, resource, rendered, update };
}

function flatten(part: unknown): string {
  if (part === null || part === undefined || typeof part === 'symbol') return '';
  if (typeof part !== 'object') return String(part);
  const template = part as { strings?: readonly string[]; values?: readonly unknown[] };
  if (!template.strings) return '';
  return template.strings.map((text, index) => text + (index < (template.values?.length ?? 0) ? flatten(template.values![index]) : '')).join('');
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('Resource, the one way a page loads', () => {
  it('loads with the host’s arguments on its first update, saying it is loading meanwhile', async () => {
    const { backend, resource, rendered, update } = setUp<{ n: number }>();
    await update();
    expect(backend.requests.map((request) => request.args)).toEqual([['a']]);
    expect(resource.loading).toBe(true);
    expect(text(rendered())).toBe('Loading the things…');
    expect(rendered()).toMatch(/role="?status/);

    backend.requests[0]!.resolve({ n: 1 });
    await tick();
    expect(resource.loading).toBe(false);
    expect(resource.value).toEqual({ n: 1 });
    expect(rendered()).toBe('shown {"n":1}');
  });

  it('aborts a load whose arguments changed, ignores its late answer, and shows the new one', async () => {
    const { backend, state, resource, rendered, update } = setUp<string>();
    await update();
    backend.requests[0]!.resolve('first a');
    await tick();
    state.id = 'b';
    await update();
    state.id = 'c';
    await update();
    expect(backend.requests.map((request) => request.args)).toEqual([['a'], ['b'], ['c']]);
    expect(backend.requests[1]!.signal.aborted).toBe(true);
    expect(backend.requests[2]!.signal.aborted).toBe(false);
    // Another thing: the old value is not its value, so the page says it is loading.
    expect(resource.value).toBeUndefined();
    expect(text(rendered())).toBe('Loading the things…');

    backend.requests[2]!.resolve('for c');
    backend.requests[1]!.resolve('late answer for b');
    await tick();
    expect(resource.value).toBe('for c');
    expect(rendered()).toBe('shown "for c"');
  });

  it('keeps the value shown, marked as reloading, while new arguments load when told to (a list’s filters)', async () => {
    const { backend, state, rendered, update } = setUp<string>({ keepWhileLoading: true });
    await update();
    backend.requests[0]!.resolve('page 1');
    await tick();
    state.id = 'page 2';
    await update();
    expect(rendered()).toBe('shown "page 1" (reloading)');
    backend.requests[1]!.resolve('page 2');
    await tick();
    expect(rendered()).toBe('shown "page 2"');
  });

  it('loads again with run() keeping the value shown; a failure then replaces it, with “Try again”', async () => {
    const { backend, resource, rendered, update } = setUp<string>();
    await update();
    backend.requests[0]!.resolve('v1');
    await tick();
    const again = resource.run();
    await tick();
    expect(backend.requests).toHaveLength(2);
    expect(rendered()).toBe('shown "v1" (reloading)');
    backend.requests[1]!.reject(new Error('The server is not answering'));
    await again;
    await tick();
    expect(resource.failed).toBe(true);
    const failure = rendered();
    expect(failure).toContain('role="alert"');
    expect(text(failure)).toContain('Try again');
    expect(failure).not.toContain('shown');
  });

  it('a run() superseded by a later one (an action’s reload, then a live event’s) is aborted; its late answer never replaces the newer', async () => {
    const { backend, resource, rendered, update } = setUp<string>();
    await update();
    backend.requests[0]!.resolve('v1');
    await tick();
    const actionReload = resource.run();
    const liveReload = resource.run();
    await tick();
    expect(backend.requests).toHaveLength(3);
    expect(backend.requests[1]!.signal.aborted).toBe(true);
    let settled: string | undefined;
    void resource.settled.then((value) => (settled = value));

    // The newer answer first, the older one late (a slow response that the abort did not stop).
    backend.requests[2]!.resolve('v3, after the live event');
    await liveReload;
    backend.requests[1]!.resolve('v2, before it');
    await actionReload;
    await tick();
    expect(resource.value).toBe('v3, after the live event');
    expect(rendered()).toBe('shown "v3, after the live event"');
    expect(settled).toBe('v3, after the live event');
  });

  it('settled waits for the newest run: the one that superseded the caller’s', async () => {
    const { backend, resource, update } = setUp<string>();
    await update();
    backend.requests[0]!.resolve('v1');
    await tick();
    const actionReload = resource.run();
    void resource.run();
    // The superseded request answers (or is cut off) first: its caller's run() is over...
    backend.requests[1]!.reject(new DOMException('aborted', 'AbortError'));
    await actionReload;
    let settled: string | undefined;
    void resource.settled.then((value) => (settled = value));
    await tick();
    // ...while what is shown is still the old value: settled is not, until the newest answers.
    expect(resource.value).toBe('v1');
    expect(settled).toBeUndefined();
    backend.requests[2]!.resolve('v3');
    await tick();
    expect(settled).toBe('v3');
    expect(resource.value).toBe('v3');
  });

  it('with staleOnFailure, a refresh that fails leaves the value shown under a warning that it may be out of date', async () => {
    const { backend, resource, rendered, update } = setUp<string>({ staleOnFailure: true });
    await update();
    backend.requests[0]!.resolve('v1');
    await tick();
    const again = resource.run();
    await tick();
    backend.requests[1]!.reject(new Error('offline'));
    await again;
    await tick();
    const shown = text(rendered());
    expect(shown).toContain('What is shown may be out of date:');
    expect(shown).toContain('shown "v1"');

    // Trying again and succeeding clears the failure.
    const retried = resource.run();
    await tick();
    backend.requests[2]!.resolve('v2');
    await retried;
    await tick();
    expect(resource.failed).toBe(false);
    expect(rendered()).toBe('shown "v2"');
  });

  it('renders a value and the same value under a failed refresh in one template, so Lit keeps its DOM (text typed in it is not lost)', async () => {
    const { backend, resource, update } = setUp<string>({ staleOnFailure: true });
    const views = { loading: 'Loading…', complete: (value: string) => value };
    await update();
    backend.requests[0]!.resolve('v1');
    await tick();
    const before = resource.render(views) as { strings?: readonly string[] };
    const again = resource.run();
    await tick();
    backend.requests[1]!.reject(new Error('offline'));
    await again;
    await tick();
    const after = resource.render(views) as { strings?: readonly string[] };
    expect(text(flatten(after))).toContain('What is shown may be out of date:');
    // Lit reuses a template's DOM only for the very same strings array.
    expect(after.strings).toBeDefined();
    expect(after.strings).toBe(before.strings);
  });

  it('renders the page’s empty state when the value has nothing to show', async () => {
    const { backend, rendered, update } = setUp<string[]>({ isEmpty: (items) => items.length === 0 });
    await update();
    backend.requests[0]!.resolve([]);
    await tick();
    expect(text(rendered())).toBe('nothing here');
    expect(rendered()).toMatch(/role="?status/);
  });

  it('loads nothing until run() when autoRun is false (a dialog’s content), and renders nothing meanwhile', async () => {
    const { backend, resource, rendered, update } = setUp<string>({ autoRun: false });
    await update();
    expect(backend.requests).toHaveLength(0);
    expect(rendered()).toBe('');
    const done = resource.run();
    await tick();
    expect(backend.requests).toHaveLength(1);
    backend.requests[0]!.resolve('opened');
    await done;
    expect(resource.value).toBe('opened');
  });

  it('takes a value changed in place (a live event) and renders it without loading; loaded() sees each answer', async () => {
    const seen: string[] = [];
    const { host, backend, resource, rendered, update } = setUp<string>({ loaded: (value) => seen.push(value) });
    await update();
    backend.requests[0]!.resolve('from the server');
    await tick();
    const updatesBefore = host.updates;
    resource.value = 'changed live';
    await tick();
    expect(host.updates).toBe(updatesBefore + 1);
    expect(backend.requests).toHaveLength(1);
    expect(rendered()).toBe('shown "changed live"');
    expect(seen).toEqual(['from the server']);
  });
});
