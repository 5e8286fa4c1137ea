/**
 * The security-critical modules that `npm run mutate` mutates, each with the test files that must
 * kill its mutants (docs/mutation-testing.md). Every mutant of these modules is tried against only
 * these files: they are the module's own tests, and a short list keeps a run within minutes on
 * two cores. tests/server/mutation-modules.test.ts checks that the list is complete: every
 * feature's permission module is here, and every file named exists.
 */
export interface MutationModule {
  /** Source files mutated together (paths from the repository root). */
  files: string[];
  /** Test files run against their mutants. */
  tests: string[];
}

export const MUTATION_MODULES: Record<string, MutationModule> = {
  authorization: {
    files: ['server/plugins/authorization.ts'],
    // The second file: an administrator of another group than the instance's first, for 'instance-admin'.
    tests: ['tests/server/permissions.test.ts', 'tests/server/working-groups.test.ts'],
  },
  sessions: {
    files: ['server/plugins/sessions/index.ts'],
    // working-groups: the group a request names (the header, the live socket's query), and not a member.
    tests: ['tests/server/sessions.test.ts', 'tests/server/auth.test.ts', 'tests/server/people.test.ts', 'tests/server/live-rights.test.ts', 'tests/server/working-groups.test.ts'],
  },
  // The store on its own over a real SQLite file (a second or so a run): the four app-level files
  // above took over an hour for its mutants.
  'session-store': {
    files: ['server/plugins/sessions/session-store.ts'],
    tests: ['tests/server/session-store.test.ts'],
  },
  'consultations-permissions': {
    files: ['server/features/consultations/permissions.ts'],
    // The rules case by case (another group, an organizer from an addressed country, a named
    // submitter), then every route for every kind of person of one group.
    tests: ['tests/server/consultations/permission-rules.test.ts', 'tests/server/consultations/permissions.test.ts'],
  },
  'debates-permissions': {
    files: ['server/features/debates/permissions.ts'],
    tests: ['tests/server/debates/threads.test.ts'],
  },
  mentions: {
    files: ['server/features/debates/mentions.ts'],
    tests: ['tests/server/debates/notifications.test.ts'],
  },
  'documents-permissions': {
    files: ['server/features/documents/permissions.ts'],
    // consultations/files: the restricted documents a consultation's file answer files (their audience).
    tests: ['tests/server/documents/permissions.test.ts', 'tests/server/documents/library.test.ts', 'tests/server/consultations/files.test.ts'],
  },
  'meetings-permissions': {
    files: ['server/features/meetings/permissions.ts'],
    tests: ['tests/server/meetings/permissions.test.ts'],
  },
  'minutes-permissions': {
    files: ['server/features/meetings/minutes-permissions.ts'],
    tests: ['tests/server/meetings/minutes.test.ts'],
  },
  // The new features' rules, pure functions in their domain folders: who moves and publishes a
  // discrepancy case and who sees it; until when a delegation writes its answers; who reviews them.
  'discrepancies-statuses': {
    files: ['server/features/discrepancies/domain/statuses.ts'],
    tests: ['tests/server/discrepancies/statuses.test.ts'],
  },
  'consultations-lifecycle': {
    files: ['server/features/consultations/domain/lifecycle.ts'],
    tests: ['tests/server/consultations/lifecycle.test.ts'],
  },
  'consultations-review': {
    files: ['server/features/consultations/domain/review.ts'],
    tests: ['tests/server/consultations/change-diff-review.test.ts'],
  },
  // Issue 16: who takes part in a comment round and for whom (parties, submitters), and who takes
  // a position on a proposal.
  'rounds-participants': {
    files: ['server/features/rounds/domain/participants.ts'],
    tests: ['tests/server/rounds/lifecycle.test.ts', 'tests/server/rounds/consolidation.test.ts'],
  },
  'proposals-proposal': {
    files: ['server/features/proposals/domain/proposal.ts'],
    tests: ['tests/server/proposals/proposal.test.ts'],
  },
  notifications: {
    files: ['server/plugins/notifications/index.ts', 'server/plugins/notifications/channels.ts', 'server/plugins/notifications/repository.ts'],
    // Its own tests, over kinds the test defines (a subject kind, plain and once-while-unread kinds).
    tests: ['tests/server/notifications.test.ts'],
  },
};

/** Source files that decide who may do what: each must be one of the modules above. */
export const MUST_BE_MUTATED = [
  /^server\/plugins\/authorization\.ts$/,
  // Its tables (their SQLite definitions, generated PostgreSQL twin and engine-bound module) and its declarations of live event types hold no rule.
  /^server\/plugins\/sessions\/(?!tables(?:\.pg|\.sqlite)?\.ts$|events\.ts$)[^/]+\.ts$/,
  /^server\/features\/[^/]+\/(?:[^/]+\/)?(?:[^/]+-)?permissions\.ts$/,
  // The domain modules that hold the new features' rules of who may act (no permissions.ts of their own).
  /^server\/features\/discrepancies\/domain\/statuses\.ts$/,
  /^server\/features\/consultations\/domain\/(?:lifecycle|review)\.ts$/,
  /^server\/features\/rounds\/domain\/participants\.ts$/,
  /^server\/features\/proposals\/domain\/proposal\.ts$/,
];
