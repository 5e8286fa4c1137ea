import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isApiError } from '../../../app/api.js';
import type { Minutes, MinutesContent, MinutesSave } from '../models.js';
import { copyOf, dropPaths, isDirty, pendingSave, rebase, type WorkingCopy } from './minutes-model.js';

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'offline' | 'signed-out' | 'conflict' | 'error';

/** Someone else's newer text over a field this writer changed too: both are shown, the writer chooses. */
export interface Conflict {
  revision: number;
  paths: string[];
  theirs: MinutesContent;
  by: string;
}

/** Timers as the autosave uses them: the page's by default, fake ones in tests. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Where unsaved text waits on this device (app/drafts.ts in the page). */
export interface DraftStore {
  read(key: string): string;
  write(key: string, value: string): void;
  clear(key: string): void;
}

export interface AutosaveOptions {
  /** PATCH the fields that changed; answers the minutes as the server now has them. */
  save: (body: MinutesSave) => Promise<Minutes>;
  store: DraftStore;
  /** The device's key for an occurrence's unsaved text. */
  storageKey: (occurrenceId: string) => string;
  /** Something changed that the page shows (the copy, the state, a conflict). */
  changed: () => void;
  /** A failure the state alone does not explain (a refused value): said in a toast. */
  problem: (error: unknown) => void;
  /** Who "someone" is, in the reader's language, when the other writer is not named. */
  someone: () => string;
  timers?: Timers;
  /** Quiet time after a change before it is saved. */
  delayMs?: number;
  /** How long to wait before trying again when the server cannot be reached (twice that after the session ended). */
  retryMs?: number;
}

const globalTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The minutes draft as one writer edits it: every change is kept on this device at once and sent
 * to the server a second after typing pauses, field by field (minutes-model.ts), one save at a time
 * (a change made during a save goes with the next one). When the server cannot be reached, or the
 * session has ended, the text waits here and is sent again on its own. A save over a field someone
 * else changed meanwhile is refused by the server (409 stale_revision): nothing is overwritten,
 * nothing is sent any more, and both texts are shown until the writer keeps theirs or takes the
 * other one.
 */
export class MinutesAutosave {
  minutes: Minutes | null = null;
  copy: WorkingCopy | null = null;
  state: SaveState = 'saved';
  savedAt: string | null = null;
  conflict: Conflict | null = null;
  /** Unsaved text from an earlier visit on this device was brought back. */
  restored = false;
  private saving: Promise<void> | null = null;
  private timer: unknown;
  private readonly timers: Timers;

  constructor(private readonly options: AutosaveOptions) {
    this.timers = options.timers ?? globalTimers;
  }

  get dirty(): boolean {
    return this.copy !== null && isDirty(this.copy);
  }

  /** Takes the server's minutes; on first load, brings back unsaved text kept on this device. */
  adopt(minutes: Minutes, first: boolean): void {
    this.minutes = minutes;
    const draft = minutes.draft;
    if (!minutes.mayWrite || !draft) {
      this.copy = null;
    } else if (first) {
      const stored = this.readStored(minutes.occurrenceId);
      if (stored && isDirty(stored)) {
        // Keep the revision the text was based on, so the server can tell a conflicting change.
        this.copy = { ...rebase(stored, draft.revision, draft.content), baseRevision: stored.baseRevision };
        this.restored = true;
        this.schedule(0);
      } else {
        this.copy = copyOf(draft.revision, draft.content);
        this.savedAt = draft.updatedAt;
      }
    } else {
      this.copy = this.copy ? rebase(this.copy, draft.revision, draft.content) : copyOf(draft.revision, draft.content);
    }
    this.options.changed();
  }

  /** The writer changed something: kept here now, sent once typing pauses (not while a conflict waits for a choice). */
  change(copy: WorkingCopy): void {
    this.copy = copy;
    this.keep();
    if (this.state !== 'conflict') {
      if (this.state !== 'offline' && this.state !== 'signed-out') this.state = 'unsaved';
      this.schedule(this.options.delayMs ?? 1_000);
    }
    this.options.changed();
  }

  /** The connection or the tab is back: text that could not be sent goes now. */
  retryNow(): void {
    if (this.dirty && (this.state === 'offline' || this.state === 'signed-out' || this.state === 'error')) this.schedule(0);
  }

  /** Sends what changed; one save at a time, the next one with whatever changed meanwhile. */
  async save(): Promise<void> {
    if (this.saving) {
      await this.saving;
      if (this.dirty) return this.save();
      return;
    }
    const { copy, minutes } = this;
    if (!copy || !minutes) return;
    const pending = pendingSave(copy, minutes.occurrenceId);
    if (!pending) {
      this.setState('saved');
      return;
    }
    this.setState('saving');
    const run = (async () => {
      try {
        const saved = await this.options.save(pending.save);
        this.minutes = saved;
        if (saved.draft && this.copy) {
          this.copy = rebase(this.copy, saved.draft.revision, saved.draft.content, pending.sent);
          this.savedAt = saved.draft.updatedAt;
        }
        this.keep();
        this.setState(this.dirty ? 'unsaved' : 'saved');
        if (this.dirty) this.schedule(this.options.delayMs ?? 1_000);
      } catch (error) {
        this.failed(error);
      }
    })();
    this.saving = run;
    try {
      await run;
    } finally {
      this.saving = null;
    }
  }

  /** Keep my text: save it over theirs, now based on their revision. */
  keepMine(): void {
    const conflict = this.conflict;
    if (!conflict || !this.copy) return;
    this.copy = rebase(this.copy, conflict.revision, conflict.theirs);
    this.conflict = null;
    this.state = 'unsaved';
    this.keep();
    this.schedule(0);
    this.options.changed();
  }

  /** Take their text for the conflicting fields; my other changes are saved. */
  takeTheirs(): void {
    const conflict = this.conflict;
    if (!conflict || !this.copy) return;
    this.copy = rebase(dropPaths(this.copy, conflict.paths), conflict.revision, conflict.theirs);
    this.conflict = null;
    this.keep();
    this.state = this.dirty ? 'unsaved' : 'saved';
    if (this.dirty) this.schedule(0);
    this.options.changed();
  }

  /** Another writer (or tab) saved or published: take their fields, keep my unsaved ones. */
  async refresh(load: (occurrenceId: string) => Promise<Minutes>): Promise<void> {
    if (!this.minutes || this.saving) return;
    try {
      const minutes = await load(this.minutes.occurrenceId);
      const base = this.copy?.baseRevision;
      const dirty = this.dirty;
      this.adopt(minutes, false);
      // Unsaved text stays based on what its writer saw, so a conflicting change is still caught.
      if (dirty && this.copy && base !== undefined) this.copy = { ...this.copy, baseRevision: base };
    } catch {
      // The next save or event brings it.
    }
  }

  /** Before publishing: everything sent now; false if some text is still not on the server. */
  async settle(): Promise<boolean> {
    this.timers.clear(this.timer);
    await this.save();
    return !this.dirty;
  }

  /** The page is left: unsaved text stays on this device (kept on every change) and is sent once more now. */
  leave(): void {
    this.timers.clear(this.timer);
    if (this.dirty && this.state !== 'conflict') void this.save();
  }

  private setState(state: SaveState) {
    this.state = state;
    this.options.changed();
  }

  private schedule(delay: number) {
    this.timers.clear(this.timer);
    this.timer = this.timers.set(() => void this.save(), delay);
  }

  private failed(error: unknown) {
    const retry = this.options.retryMs ?? 5_000;
    if (!isApiError(error)) {
      this.setState('error');
    } else if (error.code === 'network_error') {
      this.setState('offline');
      this.schedule(retry);
    } else if (error.status === 401) {
      this.setState('signed-out');
      this.schedule(retry * 2);
    } else if (error.code === 'stale_revision' && this.conflictFrom(error.details)) {
      this.setState('conflict');
    } else {
      this.setState('error');
      this.options.problem(error);
    }
  }

  private conflictFrom(details: unknown): boolean {
    const { revision, conflicts, minutes } = (details ?? {}) as { revision?: number; conflicts?: string[]; minutes?: Minutes };
    const theirs = minutes?.draft;
    if (typeof revision !== 'number' || !theirs) return false;
    this.conflict = { revision, paths: conflicts ?? [], theirs: theirs.content, by: theirs.updatedBy?.displayName ?? this.options.someone() };
    return true;
  }

  private readStored(occurrenceId: string): WorkingCopy | null {
    const raw = this.options.store.read(this.options.storageKey(occurrenceId));
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as WorkingCopy;
      return parsed && typeof parsed.baseRevision === 'number' && parsed.content && parsed.dirty ? parsed : null;
    } catch {
      return null;
    }
  }

  /** Writes the unsaved text to this device (or forgets it once the server has everything). */
  private keep() {
    if (!this.copy || !this.minutes) return;
    const key = this.options.storageKey(this.minutes.occurrenceId);
    if (isDirty(this.copy)) this.options.store.write(key, JSON.stringify(this.copy));
    else this.options.store.clear(key);
  }
}

/** Ties an autosave to its page: sends again when the connection or the tab comes back, and once more when the page is left. */
export class AutosaveController implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    readonly autosave: MinutesAutosave,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('online', this.retry);
    window.addEventListener('focus', this.retry);
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.retry);
    window.removeEventListener('focus', this.retry);
    this.autosave.leave();
  }

  private retry = () => this.autosave.retryNow();
}
