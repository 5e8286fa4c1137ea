import type { SessionsEnded } from './session-store.js';

/**
 * Live events about a person, on their own topic `user:<id>` (see ../live/events.ts): signals the
 * live channel acts on and that make remembered sessions stale in every process.
 */
declare module '../live/events.js' {
  interface LiveEventMap {
    /** Internal: the person's profile, role, affiliation or state changed. */
    'user.changed': { userId: string };
    /** Internal: some of the person's sessions ended (sign-out, deactivation, a password changed). */
    'user.sessions-ended': SessionsEnded;
    /** The person's role or affiliation changed: their sockets reconnect and are checked afresh. */
    'user.rights-changed': { userId: string };
  }
}
