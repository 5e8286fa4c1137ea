/**
 * Where the reader's unsent text waits (composers, forms, the minutes' unsaved fields): this
 * browser's localStorage, by key. Storage may be blocked or full, which only loses the draft.
 */
export const drafts = {
  read(key: string): string {
    try {
      return window.localStorage.getItem(key) ?? '';
    } catch {
      return '';
    }
  },
  write(key: string, value: string): void {
    try {
      if (value.trim()) window.localStorage.setItem(key, value);
      else window.localStorage.removeItem(key);
    } catch {
      // Not keeping a draft is harmless.
    }
  },
  clear(key: string): void {
    try {
      window.localStorage.removeItem(key);
    } catch {
      // see write
    }
  },
};
