/**
 * Equivalent mutants: surviving mutants that no test can kill, because the change they make
 * cannot be observed (a check repeated further on, a library default, a value no input can take).
 * Each is named exactly as Stryker reports it: the file, the mutator, the original code at the
 * mutant's place and its replacement, with the reason. `npm run mutate` leaves them out of the
 * score, and says when one of them no longer survives (then it is not equivalent: remove it).
 */
export interface Equivalent {
  file: string;
  mutator: string;
  /** The original code the mutant replaces. */
  code: string;
  /** The whole source line the mutant starts on, trimmed: where `code` alone could be several mutants. */
  line?: string;
  replacement: string;
  why: string;
}

const AUTHORIZATION = 'server/plugins/authorization.ts';
const SESSIONS = 'server/plugins/sessions/index.ts';
const SESSION_STORE = 'server/plugins/sessions/session-store.ts';
/** The store's memory of validated sessions only saves database reads: this process is the only writer, and forgets what changes. */
const CACHE_ONLY = 'the memory of validated sessions (an LRU cache) only saves database reads; remembering less, or forgetting more, answers the same from the database.';
const MENTIONS = 'server/features/debates/mentions.ts';
const DOCUMENTS = 'server/features/documents/permissions.ts';
const MEETINGS = 'server/features/meetings/permissions.ts';

/** Offers are made most specific first (reply, mention, country mention, then watchers): the first offer always has the lowest rank. */
const OFFERS_IN_RANK_ORDER = 'computeRecipients offers reply, mention, country_mention, then new_thread/new_post, in that order, so the first kind offered to a person is always the lowest-ranked: comparing ranks never changes the choice.';
/** Ids of people (UUIDs), countries (ISO codes) and organizations (short names) never coincide. */
const DISJOINT_IDS = "an invitee's refId is a person's UUID, a country code or an organization id according to its kind; these never coincide, so the refId comparison alone already tells the kinds apart.";
/** Every caller has loaded the meeting with maySee, which checks the group first. */
const GROUP_CHECKED_BY_MAYSEE = 'every caller (loadVisible, loadManaged, the detail, attendance and room views) asks maySee first, which refuses another group: this repeated group check never decides anything.';

export const EQUIVALENT: Record<string, Equivalent[]> = {
  authorization: [
    {
      file: AUTHORIZATION,
      mutator: 'StringLiteral',
      code: "'authorization'",
      replacement: '""',
      why: 'fastify-plugin names an unnamed plugin after its function, and no plugin declares a dependency on "authorization".',
    },
  ],
  sessions: [
    {
      file: SESSIONS,
      mutator: 'ObjectLiteral',
      code: "{ path: '/' }",
      replacement: '{}',
      why: "@fastify/cookie clears a cookie with Path=/ when no path is given (fastifyCookieClearCookie); tests/server/sessions.test.ts checks the Path=/ of every cleared cookie, so a change of that default would fail there.",
    },
    {
      file: SESSIONS,
      mutator: 'StringLiteral',
      code: "'sessionId'",
      replacement: '""',
      why: 'an undecorated request.sessionId is undefined instead of null, and every reader of it only tests it for truth.',
    },
    {
      file: SESSIONS,
      mutator: 'ConditionalExpression',
      code: 'request.sessionId',
      replacement: 'true',
      why: 'invalidating no session (null) deletes no row and announces nothing.',
    },
  ],
  'session-store': [
    { file: SESSION_STORE, mutator: 'ConditionalExpression', code: 'row', line: 'if (row) return row;', replacement: 'false', why: `lookUp: ${CACHE_ONLY}` },
    { file: SESSION_STORE, mutator: 'ConditionalExpression', code: 'row', line: 'if (row) this.remembered.set(sessionId, row);', replacement: 'false', why: `lookUp: ${CACHE_ONLY}` },
    {
      file: SESSION_STORE,
      mutator: 'ConditionalExpression',
      code: 'row',
      line: 'if (row) this.remembered.set(sessionId, row);',
      replacement: 'true',
      why: 'lookUp: remembering an unknown session stores undefined, which lru-cache treats as forgetting it.',
    },
    {
      file: SESSION_STORE,
      mutator: 'MethodExpression',
      code: '[...this.remembered.entries()].filter(([, row]) => row.id === userId)',
      replacement: '[...this.remembered.entries()]',
      why: `forgetUser: ${CACHE_ONLY}`,
    },
    { file: SESSION_STORE, mutator: 'ConditionalExpression', code: 'row.id === userId', replacement: 'true', why: `forgetUser: ${CACHE_ONLY}` },
  ],
  'documents-permissions': [
    {
      file: DOCUMENTS,
      mutator: 'ConditionalExpression',
      code: "reader.role === 'admin'",
      replacement: 'true',
      why: "mayRestore's only caller, POST /documents/:id/restore, is declared for admins only (config.access): no other role reaches it.",
    },
  ],
  'meetings-permissions': [
    { file: MEETINGS, mutator: 'ConditionalExpression', code: "invitee.kind === 'person'", replacement: 'true', why: DISJOINT_IDS },
    { file: MEETINGS, mutator: 'ConditionalExpression', code: "invitee.kind === 'country'", replacement: 'true', why: DISJOINT_IDS },
    { file: MEETINGS, mutator: 'ConditionalExpression', code: "invitee.kind === 'organization'", replacement: 'true', why: DISJOINT_IDS },
    { file: MEETINGS, mutator: 'ConditionalExpression', code: 'viewer.groupId === meeting.groupId', replacement: 'true', why: `mayManage and mayAnswer: ${GROUP_CHECKED_BY_MAYSEE}` },
  ],
  mentions: [
    { file: MENTIONS, mutator: 'ObjectLiteral', code: '{ reply: 0, mention: 1, country_mention: 2, new_thread: 3, new_post: 3 }', replacement: '{}', why: OFFERS_IN_RANK_ORDER },
    { file: MENTIONS, mutator: 'ConditionalExpression', code: 'RANK[kind] < RANK[current]', replacement: 'false', why: OFFERS_IN_RANK_ORDER },
    { file: MENTIONS, mutator: 'EqualityOperator', code: 'RANK[kind] < RANK[current]', replacement: 'RANK[kind] <= RANK[current]', why: OFFERS_IN_RANK_ORDER },
    {
      file: MENTIONS,
      mutator: 'StringLiteral',
      code: "'normal'",
      replacement: '""',
      why: 'the default level is only ever compared with "muted" and "watching": any other value behaves as normal.',
    },
    {
      file: MENTIONS,
      mutator: 'ConditionalExpression',
      code: 'event.parentAuthorId',
      replacement: 'true',
      why: 'a null author offered a reply is dropped with everyone who is not an active participant (activeAmong).',
    },
    {
      file: MENTIONS,
      mutator: 'ConditionalExpression',
      code: 'id',
      replacement: 'true',
      why: 'an unknown handle gives no id; offered anyway, it is dropped with everyone who is not an active participant (activeAmong).',
    },
    {
      file: MENTIONS,
      mutator: 'ConditionalExpression',
      code: "level === 'watching'",
      replacement: 'true',
      why: "a candidate watcher is kept only if levelOf (the thread's level, else the category's) is watching, checked again just below.",
    },
    {
      file: MENTIONS,
      mutator: 'ConditionalExpression',
      code: '!holdsNewPostNotice.has(userId)',
      replacement: 'true',
      why: 'an early cut only: the notifications repository drops a second unread "new posts" notice of a thread when storing (withoutRepeatedNewPosts).',
    },
  ],
};
