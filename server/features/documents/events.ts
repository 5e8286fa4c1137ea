/**
 * The library's live events, on `library:<groupId>` (see server/plugins/live/events.ts): the
 * document's id only, as readers ask for what they may see. A draft's go to publishers only.
 */
declare module '../../plugins/live/events.js' {
  interface LiveEventMap {
    'document.published': DocumentChanged;
    'document.version_added': DocumentChanged;
    'document.changed': DocumentChanged;
    'document.removed': DocumentChanged;
  }
}

export interface DocumentChanged {
  documentId: string;
}
