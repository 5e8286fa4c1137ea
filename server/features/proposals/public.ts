/**
 * What other features may use of the proposals: nothing but the live event the thread page's
 * proposal block listens to. Proposals are reached through their own routes (docs/proposals-api.md).
 */

/** Published on topic `thread:<threadId>` after every change to one of its proposals; the page fetches it again. */
export interface ProposalChangedEvent {
  proposalId: string;
  threadId: string;
  what: 'created' | 'position' | 'closed' | 'closing' | 'outcome';
}

/** Its live event, declared into LiveEventMap (server/plugins/live/events.ts). */
export type * from './events.js';
