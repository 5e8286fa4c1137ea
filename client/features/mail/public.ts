/** What other features may use of the mail pages: the path of a person's e-mail preferences. */
export const MAIL_PREFERENCES_PATH = '/mail/preferences';
