/** How a debate's posts are shown: as a conversation (answers under what they answer) or in order of posting. */
export type ThreadView = 'tree' | 'chronological';

const KEY = 'concilia.thread-view';

/** The reader's choice, kept on this device for every debate; storage may be blocked, and then it lasts for the page. */
export const chosenView = {
  read(): ThreadView {
    try {
      return window.localStorage.getItem(KEY) === 'chronological' ? 'chronological' : 'tree';
    } catch {
      return 'tree';
    }
  },
  write(view: ThreadView): void {
    try {
      window.localStorage.setItem(KEY, view);
    } catch {
      // The choice only lasts for this page.
    }
  },
};
