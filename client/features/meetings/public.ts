/**
 * The meetings as other features may use them: the only module of this folder another feature
 * imports (tests/client/boundaries.test.ts). Kept to what they use: everything exported here
 * travels with each borrower (the notification bell, loaded by every signed-in page, borrows a
 * label), and nothing here is loaded for its effect, so no borrower fetches the meetings' pages or
 * luxon.
 */
export { fieldLabel } from './change-labels.js';
export { kindLabel as meetingKindLabel } from './kind-label.js';

/**
 * Defines <cn-calendar-settings> (the personal calendar feed's settings, which the profile page
 * embeds). Its code, with luxon, is a chunk of its own, fetched on the first call.
 */
export const loadCalendarSettings = (): Promise<void> => import('./widgets.js').then(() => undefined);
