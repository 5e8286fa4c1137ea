import type { ProposalChangedEvent } from './public.js';

/** The proposals' live event (see server/plugins/live/events.ts), on the thread's topic `thread:<id>`. */
declare module '../../plugins/live/events.js' {
  interface LiveEventMap {
    'proposal.changed': ProposalChangedEvent;
  }
}
