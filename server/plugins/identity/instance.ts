/**
 * The instance's first group (the one set-up created): the oldest. Its administrators are the
 * instance's administrators (SessionUser.instanceAdmin): they create groups and read what belongs
 * to no group, such as the mail outbox of every group. The session store's validation query
 * embeds this statement, so the rule is written once.
 */
export const FIRST_GROUP_SQL = 'select id from groups order by created_at asc, id asc limit 1';
