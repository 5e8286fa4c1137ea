/** The comment rounds' live events, on `round:<id>` (see server/plugins/live/events.ts). */
declare module '../../plugins/live/events.js' {
  interface LiveEventMap {
    /** Something of the round changed (`what`: which part); its pages fetch what their reader may see. */
    'round.changed': { roundId: string; what: string };
  }
}

export {};
