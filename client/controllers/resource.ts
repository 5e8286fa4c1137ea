import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { msg } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import { describeError } from '../app/errors.js';

type Host = ReactiveControllerHost & HTMLElement;

export interface ResourceOptions<T, A extends readonly unknown[]> {
  /** What the data depends on, read on every host update: a change loads again (an id, the address's filters). */
  args: () => A;
  /** Loads the data; aborted (and its answer ignored) when the arguments change before it answers. */
  load: (args: A, signal: AbortSignal) => Promise<T>;
  argsEqual?: (a: A, b: A) => boolean;
  /** Whether a loaded value has nothing to show: `empty` renders instead of `complete`. */
  isEmpty?: (value: T) => boolean;
  /**
   * While new arguments load, whether the previous value stays shown (a list whose filters
   * changed: the page marks it aria-busy) or the loading state replaces it (another debate).
   */
  keepWhileLoading?: boolean;
  /**
   * A load again (run()) that fails leaves the value shown, under the failure, which says it may be
   * out of date (a page refreshed in the background). Otherwise the failure replaces it.
   */
  staleOnFailure?: boolean;
  /** After each successful load, before the host renders it (a title, events that came meanwhile). */
  loaded?: (value: T) => void;
  /** False: nothing loads until run() (a dialog's content, asked for when it opens). */
  autoRun?: boolean;
}

/** How a failure reads, when the server's explanation (describeError) is not the best one. */
export interface FailureView {
  message: unknown;
  /** False when trying again cannot help (a page that does not exist): no "Try again" button. */
  retry?: boolean;
  /** What the reader can do instead (a link elsewhere), after the message. */
  next?: unknown;
}

export interface ResourceViews<T> {
  /** What the loading state says ("Loading the debates…"). */
  loading: string;
  /** The loaded value; `reloading` while newer arguments load (with keepWhileLoading). */
  complete: (value: T, reloading: boolean) => unknown;
  /** The empty state's words, shown in `.empty` (listStyles) when isEmpty(value). */
  empty?: () => unknown;
  /**
   * How a failure reads, when the server's explanation is not the best one; `stale` when the load
   * refreshed a value still shown (it stays shown, under the failure).
   */
  failure?: (error: unknown, stale: boolean) => FailureView | null | undefined;
  /**
   * The page says the state in a live region of its own (a results count that also says
   * "Loading…" and "nothing found"): the loading and empty states are then not a second status.
   */
  announced?: boolean;
  /** A smaller loading and failure state, inside a part of a page or a dialog (a <p> rather than a block). */
  inline?: boolean;
}

let counter = 0;

/**
 * A value shown, under a failure or not: one template for both, so that Lit keeps the value's DOM
 * when a refresh fails or succeeds again (a form in it keeps what was typed, and its focus).
 */
const shown = (failure: unknown, value: unknown) => html`${failure}${value}`;

/**
 * The one way a view loads data: a @lit/task with one rendering of its states, so every page
 * says "loading", "failed" and "nothing here" alike and accessibly.
 *
 * - Loading: a status message (role=status) with a spinner.
 * - Failure: an alert (role=alert) with what went wrong and a "Try again" button; trying again
 *   keeps the keyboard where it was: focus moves to the loading message, then to the new
 *   "Try again" if it fails again, or to the page's heading once the data is there.
 * - Empty: the page's words for "nothing here".
 *
 * The value can be changed in place (live events, the reader's own changes) through `value`,
 * and loaded again with run() (after missed live events, or "Try again").
 */
export class Resource<T, A extends readonly unknown[] = readonly unknown[]> implements ReactiveController {
  private readonly task: Task<A, T>;
  private current: T | undefined;
  private explicitRun = false;
  /** The load under way (or the last one) refreshes a value still shown: a failure then leaves it shown, marked out of date. */
  private refreshing = false;
  private focusAfter: 'loading' | 'settled' | null = null;
  private readonly id = `resource-${++counter}`;

  constructor(
    private readonly host: Host,
    private readonly options: ResourceOptions<T, A>,
  ) {
    this.task = new Task<A, T>(host, {
      args: options.args,
      argsEqual: options.argsEqual,
      autoRun: options.autoRun ?? true,
      task: (args, { signal }) => {
        // New arguments (not "load again"): unless told to keep it, the old value is not theirs.
        if (!this.explicitRun && !options.keepWhileLoading) this.current = undefined;
        this.refreshing = this.explicitRun && this.current !== undefined && Boolean(options.staleOnFailure);
        return options.load(args, signal);
      },
      onComplete: (value) => {
        this.current = value;
        options.loaded?.(value);
      },
    });
    host.addController(this);
  }

  /** The loaded value, with the changes made to it since; undefined before the first load. */
  get value(): T | undefined {
    return this.current;
  }

  /** Replaces the value shown (a live event, the reader's own change), without loading. */
  set value(value: T | undefined) {
    this.current = value;
    this.host.requestUpdate();
  }

  /** A load is under way. */
  get loading(): boolean {
    return this.task.status === TaskStatus.PENDING;
  }

  /** The last load failed: why (else undefined). */
  get error(): unknown {
    return this.task.status === TaskStatus.ERROR ? this.task.error : undefined;
  }

  get failed(): boolean {
    return this.task.status === TaskStatus.ERROR;
  }

  /** Loads again with the current arguments, keeping the value shown meanwhile. */
  async run(): Promise<void> {
    this.explicitRun = true;
    const done = this.task.run();
    this.explicitRun = false;
    await done;
  }

  /** The loaded value, once every load under way has answered (for tests and follow-up work). */
  get settled(): Promise<T> {
    return this.task.taskComplete;
  }

  private retry = () => {
    this.focusAfter = 'loading';
    void this.run();
  };

  hostUpdated(): void {
    if (!this.focusAfter) return;
    const root = (this.host as { renderRoot?: ParentNode }).renderRoot ?? this.host;
    if (this.loading) {
      if (this.focusAfter === 'loading') root.querySelector<HTMLElement>(`[data-resource="${this.id}"]`)?.focus({ preventScroll: true });
      this.focusAfter = 'settled';
      return;
    }
    this.focusAfter = null;
    const target = this.failed
      ? root.querySelector<HTMLElement>(`[data-resource="${this.id}"] button`)
      : (root.querySelector<HTMLElement>('h1') ?? root.querySelector<HTMLElement>('h2, h3, [tabindex="-1"]'));
    target?.focus({ preventScroll: true });
  }

  /** Renders whichever state the data is in. */
  render(views: ResourceViews<T>): unknown {
    const value = this.current;
    if (this.failed) {
      const stale = this.refreshing && value !== undefined;
      const failure = this.renderFailure(views.failure?.(this.error, stale) ?? (stale ? { message: `${msg('What is shown may be out of date:')} ${describeError(this.error)}` } : undefined), views.inline);
      return stale ? shown(failure, views.complete(value, false)) : failure;
    }
    if (value !== undefined) {
      if (views.empty && this.options.isEmpty?.(value)) return this.renderEmpty(views.empty(), views);
      return shown(nothing, views.complete(value, this.loading));
    }
    if (this.task.status === TaskStatus.INITIAL && this.options.autoRun === false) return nothing;
    return this.renderLoading(views.loading, views);
  }

  /** The loading state alone, for a page that lays its states out itself. */
  renderLoading(text: string, options: { announced?: boolean; inline?: boolean } = {}) {
    const role = options.announced ? nothing : 'status';
    const content = html`<span class="spinner" aria-hidden="true"></span>${text}`;
    return options.inline
      ? html`<p class="status" role=${role} tabindex="-1" data-resource=${this.id}>${content}</p>`
      : html`<div class="status" role=${role} tabindex="-1" data-resource=${this.id}>${content}</div>`;
  }

  /** The failure alone: the message (by default the server's explanation) and, unless told otherwise, "Try again". */
  renderFailure(view: FailureView | undefined = undefined, inline = false) {
    const { message, retry, next } = view ?? { message: describeError(this.error), retry: true };
    const again = retry === false ? nothing : html`<div><cn-button><button type="button" @click=${this.retry}>${msg('Try again')}</button></cn-button></div>`;
    return inline && retry === false && next === undefined
      ? html`<p class="alert alert-error" role="alert" data-resource=${this.id}>${message}</p>`
      : html`<div class="alert alert-error stack" role="alert" data-resource=${this.id}><p>${message}</p>${next ?? nothing}${again}</div>`;
  }

  /**
   * The empty state: said as a status (a search or a filter that found nothing), unless the page
   * says it itself; inline, a quiet line rather than a framed block (listStyles' `.empty`).
   */
  renderEmpty(content: unknown, options: { announced?: boolean; inline?: boolean } = {}) {
    return html`<p class=${options.inline ? 'muted' : 'empty'} role=${options.announced ? nothing : 'status'}>${content}</p>`;
  }
}
