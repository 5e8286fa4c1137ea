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
const MENTIONS = 'server/features/debates/mentions.ts';
const DOCUMENTS = 'server/features/documents/permissions.ts';
const MEETINGS = 'server/features/meetings/permissions.ts';
const NOTIFICATIONS = 'server/plugins/notifications/index.ts';
const CASE_STATUSES = 'server/features/discrepancies/domain/statuses.ts';
const LIFECYCLE = 'server/features/consultations/domain/lifecycle.ts';
/** deadlineInstant's memory of computed instants only saves Intl lookups: a miss computes the same instant again. */
const INSTANT_CACHE = "deadlineInstant: the memory of computed instants (bounded at 1,000, then cleared) only saves the zone's offset lookups; remembering less, or clearing it at another size, computes the same instant again.";
const CHANNELS = 'server/plugins/notifications/channels.ts';
const NOTIFICATIONS_REPOSITORY = 'server/plugins/notifications/repository.ts';
/** The service always gives the repository its own test of kinds told once while unread. */
const NO_DEFAULT_ONCE = 'the repository default for kinds told once while unread is never used: the notification service, its only maker, always passes its own.';
const UNREAD_SHORTCUT = 'unreadOfKinds: the early answer for no kinds or no unread notice at all only saves two queries, which answer a count of 0 and no rows (SQLite takes `kind in ()`).';
const HOLDERS_CLEARED = 'forgetting every remembered holder of a notice, rather than those of one kind and subject, only costs reads: the holders are read again from the table when next asked.';
/** markRead's `+user_id` only steers SQLite's choice of index; both forms select the same rows. */
const INDEX_HINT = "markRead: the unary + in `+user_id = ?` only steers SQLite's choice of index (the primary key rather than the person's index); both forms select the same rows.";
/** markRead returns early for an empty list; going on updates nothing. */
const EMPTY_MARK = 'markRead: the early return for an empty list of ids saves a query; going on, the update matches no row (inArray of nothing is false).';

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
    // Survives or times out from one run to the next (the tests' own timing): listed for the runs it survives.
    {
      file: SESSIONS,
      mutator: 'StringLiteral',
      code: "'sessionId'",
      replacement: '""',
      why: 'an undecorated request.sessionId is undefined instead of null, and every reader of it only tests it for truth.',
    },
    // A remembered session answered through validate() instead of synchronously: the same user and
    // session, one turn later. What the fast path saves is time, which the bench shows, not behaviour.
    {
      file: SESSIONS,
      mutator: 'ConditionalExpression',
      code: 'remembered',
      replacement: 'false',
      why: 'the synchronous answer for a remembered session only saves a promise and a turn: without it validate() answers the same session (it is remembered there too), not due for renewal, so nothing a request sees changes.',
    },
    {
      file: SESSIONS,
      mutator: 'ConditionalExpression',
      code: "'group' in query",
      replacement: 'true',
      why: 'deleting a parameter the query does not have changes nothing a route sees; the check only spares the query object a change of shape.',
    },
    {
      file: SESSIONS,
      mutator: 'StringLiteral',
      code: "'memberships'",
      replacement: '""',
      why: 'an undecorated request.memberships is undefined instead of null, and every reader of it falls back with `??` alike.',
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
    {
      file: 'server/plugins/sessions/session-store.ts',
      mutator: 'ConditionalExpression',
      code: 'row',
      replacement: 'true',
      why: "lru-cache's set() with an undefined value deletes the key, so remembering a session that was not found remembers nothing, as the check does.",
    },
  ],
  'discrepancies-statuses': [
    {
      file: CASE_STATUSES,
      mutator: 'ConditionalExpression',
      code: 'person.organizationId !== null',
      replacement: 'true',
      why: "caseRelations: the case's agency ids are strings, so agencyIds.includes(null) is false anyway; the null check only states the intent.",
    },
  ],
  'consultations-lifecycle': [
    {
      file: LIFECYCLE,
      mutator: 'EqualityOperator',
      code: 'respondent.extension.until > deadline',
      replacement: 'respondent.extension.until >= deadline',
      why: 'writableUntil: an extension until the deadline itself gives the same instant whichever of the two equal numbers is returned.',
    },
    { file: LIFECYCLE, mutator: 'ConditionalExpression', code: 'known !== undefined', replacement: 'false', why: INSTANT_CACHE },
    { file: LIFECYCLE, mutator: 'ConditionalExpression', code: 'INSTANTS.size >= 1_000', replacement: 'true', why: INSTANT_CACHE },
    {
      file: LIFECYCLE,
      mutator: 'ConditionalExpression',
      code: 'INSTANTS.size >= 1_000',
      replacement: 'false',
      why: 'deadlineInstant: never clearing the memory of computed instants gives the same answers; the clearing only bounds the memory a long-running server spends on it, which no answer shows.',
    },
    { file: LIFECYCLE, mutator: 'EqualityOperator', code: 'INSTANTS.size >= 1_000', replacement: 'INSTANTS.size > 1_000', why: INSTANT_CACHE },
    { file: LIFECYCLE, mutator: 'EqualityOperator', code: 'INSTANTS.size >= 1_000', replacement: 'INSTANTS.size < 1_000', why: INSTANT_CACHE },
    {
      file: LIFECYCLE,
      mutator: 'ConditionalExpression',
      code: 'respondent.reopenedAt !== null',
      line: "if (open && now < deadlineInstant(consultation.deadline)) return respondent.firstWriteAt !== null || respondent.reopenedAt !== null ? 'draft' : 'not_started';",
      replacement: 'false',
      why: 'respondentStatus: only a submitted answer can be reopened, and submit() sets firstWriteAt, so a reopened respondent always has a first write.',
    },
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
  notifications: [
    {
      file: NOTIFICATIONS,
      mutator: 'ArrayDeclaration',
      code: '[]',
      line: "await repository.markRead(user.id, request.body.all ? 'all' : (request.body.ids ?? []), new Date());",
      replacement: '["Stryker was here"]',
      why: 'a request with neither ids nor all marks nothing; a made-up id instead of none matches no notification either.',
    },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'OptionalChaining', code: 'this.unreadCountQuery.get({ userId })?.n', replacement: 'this.unreadCountQuery.get({\n  userId\n}).n', why: 'count(*) always returns a row.' },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'ConditionalExpression', code: 'items.length === 0', line: 'if (items.length === 0) return [];', replacement: 'false', why: 'insertWithin: going on with no items stores nothing and returns no rows.' },
    {
      file: NOTIFICATIONS_REPOSITORY,
      mutator: 'ArrayDeclaration',
      code: '[]',
      line: 'if (items.length === 0) return [];',
      replacement: '["Stryker was here"]',
      why: 'insertWithin is never given an empty list: notify and notifyWithin return first when nobody is to be told.',
    },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'ConditionalExpression', code: "ids !== 'all' && ids.length === 0", replacement: 'false', why: EMPTY_MARK },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'ConditionalExpression', code: "ids !== 'all'", replacement: 'true', why: EMPTY_MARK },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'EqualityOperator', code: "ids !== 'all'", replacement: "ids === 'all'", why: EMPTY_MARK },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'StringLiteral', code: "'all'", line: "if (ids !== 'all' && ids.length === 0) return;", replacement: '""', why: EMPTY_MARK },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'ConditionalExpression', code: "ids === 'all'", line: "const owner = ids === 'all' ? eq(notifications.userId, userId) : sql`+${notifications.userId} = ${userId}`;", replacement: 'true', why: INDEX_HINT },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'ConditionalExpression', code: "ids === 'all'", line: "const owner = ids === 'all' ? eq(notifications.userId, userId) : sql`+${notifications.userId} = ${userId}`;", replacement: 'false', why: INDEX_HINT },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'EqualityOperator', code: "ids === 'all'", line: "const owner = ids === 'all' ? eq(notifications.userId, userId) : sql`+${notifications.userId} = ${userId}`;", replacement: "ids !== 'all'", why: INDEX_HINT },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'StringLiteral', code: "'all'", line: "const owner = ids === 'all' ? eq(notifications.userId, userId) : sql`+${notifications.userId} = ${userId}`;", replacement: '""', why: INDEX_HINT },
    { file: CHANNELS, mutator: 'ConditionalExpression', code: 'rows.length === 0', replacement: 'false', why: 'publishing no events stores and sends nothing (publishWithin returns at once for an empty list).' },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'ArrowFunction', code: '() => false', replacement: '() => undefined', why: NO_DEFAULT_ONCE },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'BooleanLiteral', code: 'false', line: 'private readonly onceWhileUnread: OnceWhileUnread = () => false,', replacement: 'true', why: NO_DEFAULT_ONCE },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'ConditionalExpression', code: 'kinds.length === 0 || this.unreadCountNow(userId) === 0', replacement: 'false', why: UNREAD_SHORTCUT },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'ConditionalExpression', code: 'kinds.length === 0', replacement: 'false', why: UNREAD_SHORTCUT },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'LogicalOperator', code: 'kinds.length === 0 || this.unreadCountNow(userId) === 0', replacement: 'kinds.length === 0 && this.unreadCountNow(userId) === 0', why: UNREAD_SHORTCUT },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'ConditionalExpression', code: 'this.unreadCountNow(userId) === 0', replacement: 'false', why: UNREAD_SHORTCUT },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'ConditionalExpression', code: 'count === 0', replacement: 'false', why: 'unreadOfKinds: with no unread notice of these kinds, the list query finds no row either; the test only saves the query.' },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'ConditionalExpression', code: '!queries', replacement: 'true', why: 'unreadOfKinds: preparing the statements again on every call gives the same statements; remembering them only saves the preparing.' },
    { file: NOTIFICATIONS_REPOSITORY, mutator: 'ConditionalExpression', code: "notice === 'any'", replacement: 'true', why: HOLDERS_CLEARED },
    { file: NOTIFICATIONS, mutator: 'ConditionalExpression', code: "event.type === 'notifications.read'", replacement: 'true', why: HOLDERS_CLEARED },
    {
      file: NOTIFICATIONS,
      mutator: 'OptionalChaining',
      code: 'this.kinds.get(kind)?.onceWhileUnread',
      replacement: 'this.kinds.get(kind).onceWhileUnread',
      why: 'the repository asks only about kinds of notifications being stored, and check() has refused every undefined kind before anything is stored.',
    },
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
