import type { CasePostView } from './schemas.js';
import type { RELEASE_SIDES } from './tables.js';

/**
 * The discrepancy register's live events (see server/plugins/live/events.ts): on
 * `discrepancies:<groupId>` (the register's pages) and `discrepancy-case:<id>` (a case's page).
 */
declare module '../../plugins/live/events.js' {
  interface LiveEventMap {
    'release.imported': { id: string; side: (typeof RELEASE_SIDES)[number] };
    /** On the case: its new version and status; on the register: where it sits in the matrix. */
    'case.changed': { id: string; version: number; status: string } | { id: string; indicator: string; countryId: string; status: string };
    /** A comment from the case page, in the case's thread (whose own topic, `thread:<id>`, carries every post). */
    'comment.created': CasePostView;
  }
}

export {};
