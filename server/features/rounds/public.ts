/**
 * What other features may use of the comment rounds: nothing yet but the live event its pages
 * listen to. The rounds are reached through their own routes (docs/rounds-api.md).
 */

/** Published on topic `round:<id>` after every change others should see; the page fetches what its reader may see. */
export interface RoundChangedEvent {
  roundId: string;
  what: string;
}
