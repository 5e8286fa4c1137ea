/** The comment rounds' live events, on `round:<id>` (see server/plugins/live/events.ts). */
declare module '../../plugins/live/events.js' {
  interface LiveEventMap {
    /** Something of the round changed (`what`: which part); its pages fetch what their reader may see. */
    'round.changed': { roundId: string; what: string };
    /** Internal (never sent to a browser): a delegation's drafts changed, so other processes drop their remembered round pages. */
    'round.drafts-changed': { roundId: string };
  }
}

export {};
