/** The home page's live events (see server/plugins/live/events.ts). */
declare module '../../plugins/live/events.js' {
  interface LiveEventMap {
    /** Internal, on `user:<id>`: the person looked at the home page (other processes forget their remembered visit). */
    'home.visited': { userId: string };
  }
}

export {};
