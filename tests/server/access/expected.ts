import { randomUUID } from 'node:crypto';
import { minimalPdf } from '../../fixtures/documents.js';
import { metadata } from '../documents/support.js';
import type { AccessWorld, Caller, FixtureName, Target } from './world.js';

/**
 * Who may call what: every /api route × every kind of caller, written out. The access matrix
 * (tests/server/access-matrix.test.ts) calls each route as each caller on real objects owned by
 * someone else and compares the answer with this table; a route missing from it fails the suite.
 *
 * A row has one cell per caller, in this order:
 *
 *   member   a member of the country concerned (Chile: the meeting invites Chile; not the owner)
 *   foreign  a member of another country (Mexico: not invited)
 *   observer an observer (UNICEF: not invited)
 *   secret.  the secretariat
 *   coord.   the coordinator
 *   admin    an administrator
 *   deact.   a deactivated account (its session from before the deactivation)
 *   anon.    no session
 *
 * and each cell is `ok` (let through: 2xx, or a 4xx that is no refusal, such as 409 for a state the
 * matrix did not set up) or the exact refusal: 401 no session, 403 a role or person that may not do
 * this, 404 something the caller may not know exists (a meeting they are not invited to, a draft).
 * Other exact statuses (410) are written as numbers too.
 *
 * The objects (the `target` of a case, see FIXTURES in world.ts) belong to Olivia, a member of Chile
 * who is never the caller, or to the coordinator and the secretariat who made them.
 */

export interface MatrixCase {
  /** Fills the path parameters (and whatever the body needs). */
  target?: FixtureName;
  /**
   * Calls other than GET get a fresh target, replaced after each success, so no caller meets what
   * another changed. `shared` uses the one shared instance instead: for calls whose effect belongs
   * to the caller (an agreement, an answer), so fresh objects would only cost time.
   */
  shared?: boolean;
  query?: Record<string, string>;
  /** The JSON body; the default is the smallest body the route's schema accepts. */
  body?: (context: { target: Target; world: AccessWorld; caller: Caller }) => unknown;
  /** The body's media type when it is not JSON (a CSV file sent as it is). */
  contentType?: string;
  /** A multipart body instead of JSON (uploads). */
  multipart?: () => { fields: Record<string, string>; file?: { name: string; bytes: Buffer } };
  expect: string;
  /** Judge the canaries as this caller sees them: for a capability (a feed token) whose holder sees its owner's view. */
  canariesAs?: Caller;
}

//                    member foreign observer secret. coord. admin deact. anon.
const PUBLIC =        'ok    ok      ok       ok      ok     ok    ok     ok';
const SIGNED_IN =     'ok    ok      ok       ok      ok     ok    401    401';
const ADMIN =         '403   403     403      403     403    ok    401    401';
const MODERATORS =    '403   403     403      403     ok     ok    401    401';
const PUBLISHERS =    '403   403     403      ok      ok     ok    401    401';
const NOBODY =        '403   403     403      403     403    403   401    401';
/** Who sees a meeting inviting Chile: its invitees and the staff; everyone else is told it does not exist. */
const SEES_MEETING =  'ok    404     404      ok      ok     ok    401    401';
/** The secretariat and the coordinator run comment rounds; admins have no say in them. */
const ORGANIZERS =    '403   403     403      ok      ok     403   401    401';
/** Who sees an open round: the whole group. */
const SEES_ROUND =    'ok    ok      ok       ok      ok     ok    401    401';
/** Invitees and managers answer; the secretariat sees the meeting but is not invited to it. */
const ANSWERS_MEETING = 'ok  404     404      403     ok     ok    401    401';
/**
 * Who sees an unpublished discrepancy case on Chile whose international value UNICEF published: the
 * country's delegation, the agency's observers and the staff. Everyone else, administrators
 * included, is told it does not exist.
 */
const SEES_CASE =     'ok    404     ok       ok      ok     404   401    401';
/** Who moves a case: the country's delegation and the staff; the agency's observers discuss but do not move it. */
/** The coordinator and the secretariat (not administrators: they run the platform, not the group's work). */
const STAFF =         '403   403     403      ok      ok     403   401    401';
/** Who keeps the indicator catalogue: administrators and the secretariat (ECLAC's statistics division). */
const CURATORS =      '403   403     403      ok      403    ok    401    401';
const MOVES_CASE =    'ok    404     403      ok      ok     404   401    401';

/** A consultation to Chile and Mexico: their delegates answer it; nobody else has a draft in it. */
const ANSWERS_CONSULTATION = 'ok  ok      403      403     403    403   401    401';
/** Chile's submitting is Olivia's (its focal point), not the member's; Mexico, without a focal point, submits through any delegate. */
const SUBMITS_CONSULTATION = '403 ok      403      403     403    403   401    401';
/** Chile's answers and the queries on them: Chile's delegation and the organizers. */
const CHILE_AND_ORGANIZERS = 'ok 403     403      ok      ok     ok    401    401';

const pdf = (name: string) => ({ name, bytes: minimalPdf(`${name} ${Math.random()}`) });
const meetingBody = (kind: string) => () => ({
  title: 'Nueva reunión de la matriz',
  kind,
  timeZone: 'America/Santiago',
  startsAt: '2030-06-09T14:00:00.000Z',
  endsAt: '2030-06-09T15:30:00.000Z',
  invitees: { everyone: false, countryIds: ['cl'] },
});
let unique = 0;
const next = () => (unique += 1);

const unsdRelease = () =>
  `Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,Source,FootNote,[Nature],[Reporting Type],[Sex],[Age],[Location],[Units]\n` +
  `3,3.2,3.2.1,SH_MATRIX_${next()},Matrix,152,Chile,2010,8.5,2010,UN IGME,,E,G,_T,<5Y,ALLAREA,PER_1000_LIVE_BIRTHS\n`;

export const EXPECTED: Record<string, MatrixCase | MatrixCase[]> = {
  'GET /api/health': { expect: PUBLIC },
  'GET /api/openapi.json': { expect: PUBLIC },
  'GET /api/setup': { expect: PUBLIC },
  // Already set up: 409 for everyone, never a second group.
  'POST /api/setup': { expect: PUBLIC },

  'POST /api/auth/login': [
    { body: ({ world }) => ({ email: world.people.member.email, password: world.people.member.password }), expect: PUBLIC },
    // A deactivated account cannot sign in again, whoever tries.
    { body: ({ world }) => ({ email: world.people.deactivated.email, password: world.people.deactivated.password }), expect: '401 401 401 401 401 401 401 401' },
  ],
  'POST /api/auth/logout': { expect: PUBLIC },
  // The caller's own password, set again: a real change (200) that leaves the persona usable.
  'POST /api/auth/password': { body: ({ world, caller }) => ({ currentPassword: world.passwordOf(caller), newPassword: world.passwordOf(caller) }), expect: SIGNED_IN },
  'POST /api/admin/users/{id}/password-reset': { target: 'owner', shared: true, expect: ADMIN },
  'GET /api/auth/password-resets/{token}': [
    { target: 'resetToken', expect: PUBLIC },
    // Deactivating someone retires their outstanding links.
    { target: 'deactivatedReset', expect: '410 410 410 410 410 410 410 410' },
  ],
  'POST /api/auth/password-resets/{token}': [
    { target: 'resetToken', body: () => ({ password: 'a-new-password-2026' }), expect: PUBLIC },
    { target: 'deactivatedReset', shared: true, body: () => ({ password: 'a-new-password-2026' }), expect: '410 410 410 410 410 410 410 410' },
  ],
  // The same answer whether the address has an account or not (no enumeration); 202 for everyone.
  'POST /api/auth/password-resets': { body: () => ({ email: `nadie${next()}@example.org` }), expect: PUBLIC },
  'POST /api/auth/email': { body: ({ world, caller }) => ({ email: `cambio${next()}@example.org`, currentPassword: world.passwordOf(caller) }), expect: SIGNED_IN },
  // The link's token is its key (it is mailed to the new address): one nobody was given is gone for everyone alike.
  'GET /api/auth/email-changes/{token}': { target: 'unknownMailToken', expect: '410 410 410 410 410 410 410 410' },
  'POST /api/auth/email-changes/{token}': { target: 'unknownMailToken', expect: '410 410 410 410 410 410 410 410' },

  'POST /api/invitations': { body: () => ({ email: `matriz${next()}@example.org`, role: 'member', countryId: 'cl' }), expect: MODERATORS },
  'GET /api/invitations': { expect: MODERATORS },
  'POST /api/invitations/{id}/revoke': { target: 'invitation', expect: MODERATORS },
  'GET /api/invitations/{token}': { target: 'invitation', expect: PUBLIC },
  'POST /api/invitations/{token}/accept': {
    target: 'invitation',
    body: () => ({ displayName: `Invitada ${next()}`, password: 'matrix-password-2026', locale: 'es', timeZone: 'America/Santiago' }),
    expect: PUBLIC,
  },
  // Joining with one's account: the invitation names another address than any caller's.
  'POST /api/invitations/{token}/join': { target: 'invitation', expect: '403   403     403      403     403    403   401    401' },

  /** Who is signed in, for the shell: never an error status, so a signed-out page load logs nothing. */
  'GET /api/session': { expect: PUBLIC },
  'GET /api/me': { expect: SIGNED_IN },
  'GET /api/home': { expect: SIGNED_IN },
  'GET /api/mail/preferences': { expect: SIGNED_IN },
  'PUT /api/mail/preferences': { body: () => ({}), expect: SIGNED_IN },
  // The link's token is its key, with no session (mail providers post the one click themselves).
  'GET /api/mail/unsubscribe/{token}': { target: 'unknownMailToken', expect: '404 404 404 404 404 404 404 404' },
  'POST /api/mail/unsubscribe/{token}': { target: 'unknownMailToken', multipart: () => ({ fields: { 'List-Unsubscribe': 'One-Click' } }), expect: '404 404 404 404 404 404 404 404' },
  'GET /api/admin/mail/outbox': { expect: ADMIN },
  'GET /api/admin/mail/outbox/{id}': { target: 'unknownOutboxMessage', expect: '403 403 403 403 403 404 401 401' },
  'POST /api/admin/mail/outbox/{id}/retry': { target: 'unknownOutboxMessage', expect: '403 403 403 403 403 404 401 401' },
  'POST /api/admin/mail/outbox/retry-failed': { expect: ADMIN },
  // The instance's administrators: in this one-group world, the group's administrator.
  'GET /api/instance/groups': { expect: ADMIN },
  'POST /api/instance/groups': { body: () => ({ slug: `matrix-${randomUUID().slice(0, 8)}`, name: 'Grupo de la matriz' }), expect: ADMIN },
  'PATCH /api/me': { body: () => ({ jobTitle: 'Estadística' }), expect: SIGNED_IN },
  'GET /api/people/{id}': [
    { target: 'owner', expect: SIGNED_IN },
    // A deactivated person's profile is gone for everyone (admins manage them under /api/admin/users).
    { target: 'deactivatedPerson', expect: '404 404 404 404 404 404 401 401' },
  ],
  'GET /api/directory': { expect: SIGNED_IN },
  'PUT /api/people/{id}/delegation': { target: 'owner', shared: true, body: () => ({ delegationRole: 'focal_point' }), expect: MODERATORS },
  'GET /api/admin/users': { expect: ADMIN },
  'PUT /api/admin/users/{id}/role': { target: 'person', body: () => ({ role: 'member', countryId: 'ar' }), expect: ADMIN },
  'POST /api/admin/users/{id}/deactivate': { target: 'person', expect: ADMIN },
  'POST /api/admin/users/{id}/reactivate': { target: 'deactivatedPerson', expect: ADMIN },
  'GET /api/admin/audit': { expect: ADMIN },
  'GET /api/admin/audit.csv': { expect: ADMIN },
  'GET /api/countries': { expect: PUBLIC },

  // The discrepancy register (docs/discrepancies-api.md). The case is Chile's; its international value is UNICEF's.
  'POST /api/discrepancies/releases': {
    query: { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title: 'SDG Global Database' },
    contentType: 'text/csv',
    body: unsdRelease,
    expect: '403   403     ok       ok      ok     403   401    401',
  },
  'GET /api/discrepancies/releases': { expect: SIGNED_IN },
  'GET /api/discrepancies/template': { expect: SIGNED_IN },
  'PUT /api/discrepancies/tolerances/{series}': { target: 'toleranceSeries', shared: true, body: () => ({ kind: 'relative', value: 0.05 }), expect: STAFF },
  'GET /api/discrepancies/cases': { expect: SIGNED_IN },
  'GET /api/discrepancies/matrix': { expect: SIGNED_IN },
  'GET /api/discrepancies/cases/{id}': [
    { target: 'discrepancyCase', expect: SEES_CASE },
    { target: 'publishedCase', expect: '   ok    ok      ok       ok      ok     ok    401    401' },
  ],
  'POST /api/discrepancies/cases/{id}/status': { target: 'discrepancyCase', body: () => ({ to: 'under_review' }), expect: MOVES_CASE },
  'PUT /api/discrepancies/cases/{id}/causes': { target: 'discrepancyCase', body: () => ({ primary: 'agency_estimate', secondary: [] }), expect: SEES_CASE },
  'PUT /api/discrepancies/cases/{id}/explanation': { target: 'discrepancyCase', body: () => ({ text: 'Different sources.' }), expect: SEES_CASE },
  // No explanation yet: 409 for those who may agree; the coordinator never agrees for a side.
  'POST /api/discrepancies/cases/{id}/agreement': { target: 'discrepancyCase', shared: true, expect: 'ok    404     ok       ok      403    404   401    401' },
  // Not concluded yet: 409 for those who may publish.
  'POST /api/discrepancies/cases/{id}/publish': { target: 'discrepancyCase', shared: true, expect: MOVES_CASE },
  'POST /api/discrepancies/cases/{id}/comments': { target: 'discrepancyCase', body: () => ({ body: 'Un comentario.' }), expect: SEES_CASE },
  // Exports hold what the caller may see; the note is the case's, seen as the case is.
  'GET /api/discrepancies/exports/cases': { query: { format: 'csv' }, expect: SIGNED_IN },
  'GET /api/discrepancies/exports/matrix': { query: { format: 'xlsx' }, expect: SIGNED_IN },
  'GET /api/discrepancies/cases/{id}/note': [
    { target: 'discrepancyCase', expect: SEES_CASE },
    { target: 'publishedCase', expect: '   ok    ok      ok       ok      ok     ok    401    401' },
  ],
  'GET /api/organizations': { expect: PUBLIC },

  // The indicator catalogue (docs/indicators-api.md). The hub of MDG 4.1 lists what is tagged with it,
  // the draft document among them: the canaries show that only those who may read a thing see it there.
  'GET /api/indicators/frameworks': { expect: SIGNED_IN },
  'GET /api/indicators/versions/{versionId}': { target: 'indicatorVersion', query: { q: 'mortalidad' }, expect: SIGNED_IN },
  'GET /api/indicators/versions/{versionId}/indicators/{code}': { target: 'indicator', expect: SIGNED_IN },
  'POST /api/indicators/suggest': { body: () => ({ text: 'La tasa de mortalidad infantil (indicador 4.2) de Chile' }), expect: SIGNED_IN },
  'GET /api/indicators/crosswalk': { expect: SIGNED_IN },
  'POST /api/indicators/frameworks': { body: () => ({ id: `REG${next()}`, kind: 'regional', title: { en: 'Regional list', es: 'Lista regional' } }), expect: CURATORS },
  'POST /api/indicators/frameworks/{frameworkId}/versions': { target: 'indicatorFramework', body: () => ({ version: `m${next()}`, title: { en: 'A version', es: 'Una versión' } }), expect: CURATORS },
  'POST /api/indicators/versions/{versionId}/indicators': {
    target: 'indicatorVersion',
    body: () => ({ code: `9.1.${next()}`, goal: '9', target: '9.1', title: { en: 'Undernourished children', es: 'Niños desnutridos' } }),
    expect: CURATORS,
  },
  'POST /api/indicators/frameworks/{frameworkId}/import': {
    target: 'indicatorFramework',
    query: { version: `matrix-${next()}`, titleEn: 'SDG list', titleEs: 'Lista ODS' },
    contentType: 'text/csv',
    body: () => `goal,target,code,title_en,title_es\n3,3.2,3.2.${next()},Under-five mortality rate,Tasa de mortalidad de menores de 5 años\n`,
    expect: CURATORS,
  },
  // Between two indicators of one framework: 400 for the curators, refused before that for the rest.
  'PUT /api/indicators/crosswalk': { body: () => ({ from: { family: 'MDG', code: '4.1' }, to: { family: 'MDG', code: '4.2' }, relation: 'related' }), expect: CURATORS },
  // Each curator removes one of the shipped MDG-SDG links (nobody else gets that far).
  'DELETE /api/indicators/crosswalk': {
    body: ({ caller }) => (caller === 'admin' ? { from: { family: 'MDG', code: '1.9' }, to: { family: 'SDG', code: '2.1.1' } } : { from: { family: 'SDG', code: '3.1.1' }, to: { family: 'MDG', code: '5.1' } }),
    expect: CURATORS,
  },

  'GET /api/categories': { expect: SIGNED_IN },
  'POST /api/categories': { body: () => ({ slug: `nueva-${next()}`, nameEs: 'Nueva', nameEn: 'New' }), expect: ADMIN },
  'PATCH /api/categories/{id}': { target: 'category', body: () => ({ nameEs: 'Renombrada' }), expect: ADMIN },
  'PUT /api/categories/{id}/watch': { target: 'generalCategory', shared: true, body: () => ({ level: 'normal' }), expect: SIGNED_IN },
  'GET /api/threads': { expect: SIGNED_IN },
  'POST /api/threads': [
    { body: ({ world }) => ({ categoryId: world.categoryId, title: 'Un tema nuevo', body: 'Texto.' }), expect: SIGNED_IN },
    // Announcements are started by the coordinator and the secretariat (and admins anywhere).
    { body: ({ world }) => ({ categoryId: world.announcementsId, title: 'Un anuncio', body: 'Texto.' }), expect: PUBLISHERS },
  ],
  'GET /api/threads/{id}': [
    { target: 'thread', expect: SIGNED_IN },
    // A discrepancy case's thread is read as the case is: its participants until published, then the group.
    { target: 'caseThread', expect: SEES_CASE },
    { target: 'publishedCaseThread', expect: SIGNED_IN },
  ],
  // Title, tags and indicators: the thread's author (Olivia) or a moderator.
  'PATCH /api/threads/{id}': { target: 'thread', body: () => ({ title: 'Otro título' }), expect: MODERATORS },
  'POST /api/threads/{id}/pin': { target: 'thread', expect: MODERATORS },
  'POST /api/threads/{id}/unpin': { target: 'thread', expect: MODERATORS },
  'POST /api/threads/{id}/lock': { target: 'thread', expect: MODERATORS },
  'POST /api/threads/{id}/unlock': { target: 'thread', expect: MODERATORS },
  'POST /api/threads/{id}/move': { target: 'thread', body: ({ world }) => ({ categoryId: world.announcementsId }), expect: MODERATORS },
  'PUT /api/threads/{id}/watch': [
    { target: 'thread', shared: true, body: () => ({ level: 'normal' }), expect: SIGNED_IN },
    { target: 'caseThread', shared: true, body: () => ({ level: 'normal' }), expect: SEES_CASE },
  ],
  'PUT /api/threads/{id}/read': { target: 'thread', shared: true, body: () => ({ seq: 1 }), expect: SIGNED_IN },
  'POST /api/threads/read-all': { body: () => ({}), expect: SIGNED_IN },
  'GET /api/threads/{id}/posts': [
    { target: 'thread', query: { view: 'tree' }, expect: SIGNED_IN },
    { target: 'thread', query: { view: 'chronological' }, expect: SIGNED_IN },
    { target: 'caseThread', query: { view: 'tree' }, expect: SEES_CASE },
    { target: 'publishedCaseThread', query: { view: 'chronological' }, expect: SIGNED_IN },
  ],
  'POST /api/threads/{id}/posts': [
    { target: 'thread', body: () => ({ body: 'Una respuesta.' }), expect: SIGNED_IN },
    { target: 'caseThread', body: () => ({ body: 'Una respuesta.' }), expect: SEES_CASE },
  ],

  // The Markdown source: author or moderator, and never once withdrawn.
  'GET /api/posts/{id}/source': [
    { target: 'post', expect: MODERATORS },
    { target: 'hiddenPost', expect: MODERATORS },
    { target: 'withdrawnPost', expect: NOBODY },
  ],
  // Only the author edits and withdraws: no caller is Olivia.
  'PATCH /api/posts/{id}': { target: 'post', body: () => ({ body: 'Texto cambiado.' }), expect: NOBODY },
  'GET /api/posts/{id}/revisions': [
    { target: 'post', expect: SIGNED_IN },
    { target: 'hiddenPost', expect: MODERATORS },
    { target: 'withdrawnPost', expect: NOBODY },
  ],
  'POST /api/posts/{id}/withdraw': { target: 'post', body: () => ({}), expect: NOBODY },
  'POST /api/posts/{id}/hide': { target: 'post', body: () => ({ reason: 'Fuera de tema' }), expect: MODERATORS },
  'POST /api/posts/{id}/unhide': { target: 'hiddenPost', body: () => ({}), expect: MODERATORS },
  // A +1 on a hidden or withdrawn post is 409 post_not_visible for everyone: no refusal, nothing to learn.
  'PUT /api/posts/{id}/agreement': [
    { target: 'post', shared: true, body: () => ({}), expect: SIGNED_IN },
    { target: 'hiddenPost', shared: true, body: () => ({}), expect: SIGNED_IN },
    { target: 'withdrawnPost', shared: true, body: () => ({}), expect: SIGNED_IN },
  ],
  'DELETE /api/posts/{id}/agreement': { target: 'post', shared: true, expect: SIGNED_IN },
  'GET /api/posts/{id}/agreements': { target: 'post', expect: SIGNED_IN },
  'POST /api/posts/{id}/attachments': { target: 'post', multipart: () => ({ fields: {}, file: pdf('anexo.pdf') }), expect: NOBODY },
  // A file follows its post's text: none for a withdrawn post, a hidden one's for moderators (and its author).
  'GET /api/attachments/{id}/download': [
    { target: 'attachment', expect: SIGNED_IN },
    { target: 'hiddenAttachment', expect: '404 404 404 404 ok ok 401 401' },
    { target: 'withdrawnAttachment', expect: '404 404 404 404 404 404 401 401' },
  ],
  'DELETE /api/attachments/{id}': [
    { target: 'attachment', expect: MODERATORS },
    { target: 'hiddenAttachment', expect: '404 404 404 404 ok ok 401 401' },
  ],
  'POST /api/markdown/preview': { body: () => ({ body: '**Hola** @mara.member' }), expect: SIGNED_IN },
  'GET /api/indicators': { expect: SIGNED_IN },
  'GET /api/mentionable': { query: { q: 'ol' }, expect: SIGNED_IN },
  // Search for a unique word of each thing only some may see: the canaries tell who found it.
  'GET /api/search': [
    { query: { q: 'mortalidad' }, expect: SIGNED_IN },
    { query: { q: 'qxhiddenpost' }, expect: SIGNED_IN },
    { query: { q: 'qxwithdrawnpost' }, expect: SIGNED_IN },
    { query: { q: 'qxhiddenreason' }, expect: SIGNED_IN },
    { query: { q: 'qxmeetingsecret' }, expect: SIGNED_IN },
  ],
  'GET /api/notifications': { expect: SIGNED_IN },
  'GET /api/notifications/unread-count': { expect: SIGNED_IN },
  // Naming another person's notification marks nothing of theirs (checked after the matrix).
  'POST /api/notifications/read': { target: 'notification', shared: true, body: ({ target }) => ({ ids: [target.id] }), expect: SIGNED_IN },
  // Without an upgrade: 426 for a session, 401 without.
  'GET /api/live': { expect: SIGNED_IN },

  'GET /api/documents': [
    { expect: SIGNED_IN },
    { query: { q: 'qxdraftdocument' }, expect: SIGNED_IN },
    { query: { q: 'qxtrasheddocument' }, expect: SIGNED_IN },
    { query: { sort: 'updated', limit: '50' }, expect: SIGNED_IN },
  ],
  'POST /api/documents': { multipart: () => ({ fields: { metadata: JSON.stringify(metadata()) }, file: pdf('nuevo.pdf') }), expect: PUBLISHERS },
  'GET /api/documents/trash': { expect: ADMIN },
  'GET /api/documents/limits': { expect: SIGNED_IN },
  // A document one may not see is 404 (a draft's existence is not disclosed); a public one needs no session.
  'GET /api/documents/{id}': [
    { target: 'groupDocument', expect: 'ok ok ok ok ok ok 404 404' },
    { target: 'draftDocument', expect: '404 404 404 ok ok ok 404 404' },
    { target: 'publicDocument', expect: PUBLIC },
    { target: 'trashedDocument', expect: '404 404 404 404 404 ok 404 404' },
  ],
  'PATCH /api/documents/{id}': [
    { target: 'groupDocument', body: () => ({ tags: ['cambiado'] }), expect: PUBLISHERS },
    { target: 'draftDocument', body: () => ({ tags: ['cambiado'] }), expect: PUBLISHERS },
    // In the trash: nobody edits it; the admin, who sees it, is refused, the others are told it does not exist.
    { target: 'trashedDocument', body: () => ({ tags: ['cambiado'] }), expect: '403 403 403 404 404 403 401 401' },
  ],
  'POST /api/documents/{id}/versions': [
    { target: 'groupDocument', multipart: () => ({ fields: { changeNote: 'v2' }, file: pdf('v2.pdf') }), expect: PUBLISHERS },
    { target: 'draftDocument', multipart: () => ({ fields: { changeNote: 'v2' }, file: pdf('v2.pdf') }), expect: PUBLISHERS },
  ],
  'GET /api/documents/{id}/download': [
    { target: 'groupDocument', expect: 'ok ok ok ok ok ok 404 404' },
    { target: 'draftDocument', expect: '404 404 404 ok ok ok 404 404' },
    { target: 'publicDocument', expect: PUBLIC },
    { target: 'trashedDocument', expect: '404 404 404 404 404 ok 404 404' },
  ],
  'DELETE /api/documents/{id}': [
    { target: 'groupDocument', expect: PUBLISHERS },
    { target: 'draftDocument', expect: PUBLISHERS },
  ],
  'POST /api/documents/{id}/restore': { target: 'trashedDocument', body: () => ({}), expect: ADMIN },
  'GET /api/documents/{id}/audit': [
    { target: 'groupDocument', expect: PUBLISHERS },
    { target: 'draftDocument', expect: PUBLISHERS },
  ],

  // Consultations: organizers manage; the addressed delegations answer (Chile: the member is not
  // its focal point, Olivia is; Mexico answers for itself); UNICEF is not addressed.
  'GET /api/consultations': { expect: SIGNED_IN },
  'POST /api/consultations': { body: () => ({ title: { es: 'Nueva consulta', en: '' }, deadline: { date: '2030-05-01', time: '12:00', zone: 'America/Santiago' } }), expect: PUBLISHERS },
  'GET /api/consultations/{id}': [
    { target: 'consultation', expect: SIGNED_IN },
    { target: 'draftConsultation', expect: '404   404     404      ok      ok     ok    401    401' },
  ],
  'PATCH /api/consultations/{id}': { target: 'draftConsultation', body: () => ({ version: 1, purpose: { es: 'Otro propósito', en: '' } }), expect: PUBLISHERS },
  'POST /api/consultations/{id}/open': { target: 'draftConsultation', expect: PUBLISHERS },
  'POST /api/consultations/{id}/close': { target: 'consultation', expect: PUBLISHERS },
  'PUT /api/consultations/{id}/summary': { target: 'consultation', shared: true, body: () => ({ text: { es: 'Resumen', en: '' } }), expect: PUBLISHERS },
  'GET /api/consultations/{id}/draft': { target: 'consultation', expect: ANSWERS_CONSULTATION },
  'POST /api/consultations/{id}/files': { target: 'consultation', shared: true, multipart: () => ({ fields: { question: 'annex' }, file: pdf('anexo.pdf') }), expect: ANSWERS_CONSULTATION },
  'PATCH /api/consultations/{id}/draft': { target: 'consultation', shared: true, body: () => ({ base: 0, changes: [{ question: 'comments', value: { type: 'long_text', text: 'Nota' } }] }), expect: ANSWERS_CONSULTATION },
  'GET /api/consultations/{id}/draft/history': { target: 'consultation', expect: ANSWERS_CONSULTATION },
  'POST /api/consultations/{id}/submit': { target: 'consultation', shared: true, body: () => ({ revision: 0 }), expect: SUBMITS_CONSULTATION },
  'POST /api/consultations/{id}/reopen': { target: 'consultation', shared: true, expect: SUBMITS_CONSULTATION },
  'POST /api/consultations/{id}/decline': { target: 'consultation', shared: true, body: () => ({ reason: 'No aplica' }), expect: SUBMITS_CONSULTATION },
  'DELETE /api/consultations/{id}/decline': { target: 'consultation', shared: true, expect: SUBMITS_CONSULTATION },
  // Only a focal point names who else submits: Olivia is Chile's, and no caller; Mexico has none.
  'PUT /api/consultations/{id}/submitter': { target: 'consultation', shared: true, body: () => ({ userId: null }), expect: NOBODY },
  'GET /api/consultations/{id}/matrix': { target: 'consultation', expect: PUBLISHERS },
  'GET /api/consultations/{id}/side-by-side': { target: 'consultation', expect: PUBLISHERS },
  'GET /api/consultations/{id}/export.xlsx': { target: 'consultation', expect: PUBLISHERS },
  'GET /api/consultations/{id}/report.html': { target: 'consultation', expect: PUBLISHERS },
  'GET /api/consultations/{id}/export.csv': { target: 'consultation', expect: PUBLISHERS },
  'GET /api/consultations/{id}/respondents/{respondent}': { target: 'consultation', expect: CHILE_AND_ORGANIZERS },
  'PUT /api/consultations/{id}/respondents/{respondent}/extension': { target: 'consultation', shared: true, body: () => ({ until: '2031-01-01T00:00:00.000Z' }), expect: PUBLISHERS },
  'DELETE /api/consultations/{id}/respondents/{respondent}/extension': { target: 'consultation', shared: true, expect: PUBLISHERS },
  'POST /api/consultations/{id}/respondents/{respondent}/queries': { target: 'consultation', shared: true, body: () => ({ question: 'institution', text: '¿Cuál?' }), expect: PUBLISHERS },
  'POST /api/consultations/{id}/respondents/{respondent}/queries/{queryId}/messages': { target: 'consultation', shared: true, body: () => ({ text: 'Respuesta' }), expect: CHILE_AND_ORGANIZERS },
  'POST /api/consultations/{id}/respondents/{respondent}/queries/{queryId}/resolve': { target: 'consultation', shared: true, expect: PUBLISHERS },
  'PUT /api/consultations/{id}/respondents/{respondent}/answers/{question}/acceptance': { target: 'consultation', shared: true, expect: PUBLISHERS },
  'DELETE /api/consultations/{id}/respondents/{respondent}/answers/{question}/acceptance': { target: 'consultation', shared: true, expect: PUBLISHERS },
  // Proposals: anyone who may post in the thread puts one; one position per country (delegates only); the proposer (Olivia) or a moderator closes it and writes the outcome.
  'GET /api/threads/{threadId}/proposals': [
    { target: 'proposal', expect: SIGNED_IN },
    // A discrepancy case's thread: its proposals are seen as the case is.
    { target: 'caseThread', expect: SEES_CASE },
  ],
  'POST /api/threads/{threadId}/proposals': {
    target: 'proposal',
    shared: true,
    body: () => ({ statement: 'Otra propuesta.', closesAt: new Date(Date.now() + 2 * 86_400_000).toISOString(), eligibility: 'participants' }),
    expect: SIGNED_IN,
  },
  'GET /api/proposals/{id}': { target: 'proposal', expect: SIGNED_IN },
  'GET /api/threads/{threadId}/proposals/poll-choices': { target: 'closedPoll', expect: SIGNED_IN },
  'POST /api/threads/{threadId}/proposals/from-poll': {
    target: 'closedPoll',
    body: ({ target }) => ({ pollId: target.pollId, closesAt: new Date(Date.now() + 2 * 86_400_000).toISOString() }),
    expect: SIGNED_IN,
  },
  'PUT /api/proposals/{id}/position': { target: 'proposal', shared: true, body: () => ({ position: 'agree' }), expect: 'ok ok 403 403 403 403 401 401' },
  'POST /api/proposals/{id}/close': { target: 'proposal', expect: MODERATORS },
  'PUT /api/proposals/{id}/closing': { target: 'proposal', body: () => ({ closesAt: new Date(Date.now() + 5 * 86_400_000).toISOString() }), expect: MODERATORS },
  'PUT /api/proposals/{id}/outcome': { target: 'closedProposal', body: () => ({ markdown: 'Se adopta.' }), expect: MODERATORS },
  'GET /api/rounds': [{ expect: SIGNED_IN }, { target: 'draftRound', query: { limit: '100' }, expect: SIGNED_IN }],
  'POST /api/rounds': {
    target: 'groupDocument',
    shared: true,
    body: ({ target }) => ({ documentId: target.id, version: 1, consulted: { countryIds: ['cl'], organizationIds: [] }, deadline: new Date(Date.now() + 3 * 86_400_000).toISOString() }),
    expect: ORGANIZERS,
  },
  // A prepared round does not exist for anyone but the organizers.
  'GET /api/rounds/{id}': [
    { target: 'round', expect: SEES_ROUND },
    { target: 'submittedRound', expect: SEES_ROUND },
    { target: 'draftRound', expect: '404 404 404 ok ok 404 401 401' },
  ],
  // The comments after the draft's first paragraph (none: an empty window), for whoever sees the round.
  'GET /api/rounds/{id}/comments': [
    { target: 'round', query: { after: 'p1' }, expect: SEES_ROUND },
    { target: 'draftRound', query: { after: 'p1' }, expect: '404 404 404 ok ok 404 401 401' },
  ],
  'POST /api/rounds/{id}/open': { target: 'draftRound', expect: ORGANIZERS },
  // Before the deadline, with Chile's position pending: 409 for the organizers, refused for the rest.
  'POST /api/rounds/{id}/close': { target: 'round', expect: ORGANIZERS },
  'POST /api/rounds/{id}/publish': { target: 'round', body: () => ({ replyDeadline: new Date(Date.now() + 9 * 86_400_000).toISOString() }), expect: ORGANIZERS },
  'POST /api/rounds/{id}/conclude': { target: 'round', expect: ORGANIZERS },
  'POST /api/rounds/{id}/cancel': { target: 'round', expect: ORGANIZERS },
  'POST /api/rounds/{id}/next-version': { target: 'round', body: () => ({ version: 1 }), expect: ORGANIZERS },
  // No next version yet: 400 for everyone who sees the round.
  'GET /api/rounds/{id}/comparison': { target: 'round', expect: SEES_ROUND },
  // Consulted: Chile and UNICEF. Mexico and the organizers (who have no country here) do not comment.
  'POST /api/rounds/{id}/comments': { target: 'round', shared: true, body: () => ({ type: 'general', text: 'Un comentario.', anchor: { kind: 'document' } }), expect: 'ok 403 ok 403 403 403 401 401' },
  // Olivia's draft: another Chilean may not change it (only its author or the focal point); for UNICEF it does not exist.
  'PATCH /api/rounds/{id}/comments/{commentId}': { target: 'round', body: () => ({ text: 'Cambiado.' }), expect: '403 403 404 403 403 403 401 401' },
  'DELETE /api/rounds/{id}/comments/{commentId}': { target: 'round', expect: '403 403 404 403 403 403 401 401' },
  // Chile submits through its focal point (Olivia, never a caller); UNICEF's observers submit for it.
  'POST /api/rounds/{id}/submission': { target: 'round', expect: '403 403 ok 403 403 403 401 401' },
  'DELETE /api/rounds/{id}/submission': { target: 'submittedRound', expect: '403 403 ok 403 403 403 401 401' },
  // Before the deadline: 409 round_not_closed for the organizers.
  'PUT /api/rounds/{id}/comments/{commentId}/disposition': { target: 'submittedRound', body: () => ({ kind: 'noted' }), expect: ORGANIZERS },
  'PUT /api/rounds/{id}/comments/{commentId}/applied-in': { target: 'submittedRound', body: () => ({ blockId: null }), expect: ORGANIZERS },
  // Chile's own comment: its people get 409 (nothing published); others may not answer for Chile.
  'PUT /api/rounds/{id}/comments/{commentId}/reply': { target: 'submittedRound', body: () => ({ kind: 'satisfied' }), expect: 'ok 403 403 403 403 403 401 401' },
  'GET /api/rounds/{id}/matrix': [
    { target: 'round', expect: SEES_ROUND },
    { target: 'submittedRound', expect: SEES_ROUND },
  ],
  'GET /api/rounds/{id}/matrix.xlsx': { target: 'submittedRound', expect: SEES_ROUND },
  'GET /api/rounds/{id}/matrix.html': [
    { target: 'round', expect: SEES_ROUND },
    { target: 'submittedRound', expect: SEES_ROUND },
  ],
  'POST /api/rounds/{id}/silence': { target: 'round', body: () => ({ deadline: new Date(Date.now() + 3 * 86_400_000).toISOString() }), expect: ORGANIZERS },
  // Countries break silence (members and the coordinator); none runs here: 409.
  'POST /api/rounds/{id}/silence/break': { target: 'round', shared: true, body: () => ({ reason: 'No estamos de acuerdo.' }), expect: 'ok ok 403 403 ok 403 401 401' },
  'POST /api/rounds/{id}/silence/settle': { target: 'round', expect: ORGANIZERS },
  'POST /api/rounds/{id}/silence/cancel': { target: 'round', expect: ORGANIZERS },

  'GET /api/meetings/preferences': { expect: SIGNED_IN },
  'PUT /api/meetings/preferences': { body: () => ({ reminders: true }), expect: SIGNED_IN },
  'GET /api/calendar/feed': { expect: SIGNED_IN },
  'POST /api/calendar/feed': { body: () => ({}), expect: SIGNED_IN },
  'DELETE /api/calendar/feed': { expect: SIGNED_IN },
  // The token is the key: whoever holds it reads its owner's feed (judged as a Chilean member would see it).
  'GET /api/calendar/{token}/meetings.ics': [
    { target: 'ownerFeed', expect: PUBLIC, canariesAs: 'member' },
    { target: 'deactivatedFeed', expect: '404 404 404 404 404 404 404 404' },
  ],
  'GET /api/meetings': [
    { expect: SIGNED_IN },
    { query: { view: 'mine' }, expect: SIGNED_IN },
    { query: { view: 'past' }, expect: SIGNED_IN },
    { query: { view: 'polls' }, expect: SIGNED_IN },
    // The month calendar's range, around now (the shared meeting's room is open).
    { query: { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 30 * 86_400_000).toISOString() }, expect: SIGNED_IN },
  ],
  'POST /api/meetings': [
    { body: meetingBody('virtual_meeting'), expect: MODERATORS },
    // The secretariat organizes workshops only.
    { body: meetingBody('virtual_workshop'), expect: PUBLISHERS },
  ],
  'GET /api/meetings/{id}': { target: 'meeting', expect: SEES_MEETING },
  // Managers: admin and coordinator, and the secretariat for workshops.
  'PATCH /api/meetings/{id}': [
    { target: 'meeting', body: () => ({ title: 'Título nuevo' }), expect: MODERATORS },
    { target: 'workshop', body: () => ({ title: 'Título nuevo' }), expect: PUBLISHERS },
  ],
  'POST /api/meetings/{id}/cancel': [
    { target: 'meeting', body: () => ({}), expect: MODERATORS },
    { target: 'workshop', body: () => ({}), expect: PUBLISHERS },
  ],
  'PATCH /api/meetings/{id}/occurrences/{occurrenceId}': { target: 'series', body: () => ({ state: 'cancelled' }), expect: MODERATORS },
  'GET /api/meetings/{id}/history': { target: 'meeting', expect: SEES_MEETING },
  'GET /api/meetings/{id}/calendar.ics': { target: 'meeting', expect: SEES_MEETING },
  'GET /api/meetings/{id}/poll': { target: 'pollingMeeting', expect: SEES_MEETING },
  'PATCH /api/meetings/{id}/poll': { target: 'pollingMeeting', body: () => ({ deadline: null }), expect: MODERATORS },
  'PUT /api/meetings/{id}/poll/answers': { target: 'pollingMeeting', shared: true, body: ({ target }) => ({ answers: [{ slotId: target.slotId, answer: 'yes' }] }), expect: ANSWERS_MEETING },
  'POST /api/meetings/{id}/poll/close': { target: 'pollingMeeting', body: ({ target }) => ({ slotId: target.slotId }), expect: MODERATORS },
  'GET /api/meetings/{id}/invitees': { target: 'meeting', expect: SEES_MEETING },
  'GET /api/meetings/{id}/attendance': { target: 'meeting', expect: SEES_MEETING },
  'PUT /api/meetings/{id}/attendance': { target: 'meeting', shared: true, body: () => ({ answer: 'maybe' }), expect: ANSWERS_MEETING },

  'GET /api/meetings/{id}/room': { target: 'meeting', expect: SEES_MEETING },
  'POST /api/meetings/{id}/room/join': { target: 'meeting', shared: true, body: () => ({}), expect: SEES_MEETING },
  'PUT /api/meetings/{id}/room/agenda': [
    { target: 'meeting', body: ({ target }) => ({ agendaItemId: target.agendaItemId }), expect: MODERATORS },
    { target: 'workshop', body: ({ target }) => ({ agendaItemId: target.agendaItemId }), expect: PUBLISHERS },
  ],
  'GET /api/meetings/{id}/room/messages': { target: 'meeting', expect: SEES_MEETING },
  'POST /api/meetings/{id}/room/messages': { target: 'meeting', shared: true, body: () => ({ body: 'Hola a todos' }), expect: SEES_MEETING },
  'POST /api/meetings/{id}/room/polls': [
    { target: 'meeting', body: () => ({ question: '¿De acuerdo?', kind: 'yes_no_abstain', scope: 'person' }), expect: MODERATORS },
    { target: 'workshop', body: () => ({ question: '¿De acuerdo?', kind: 'yes_no_abstain', scope: 'person' }), expect: PUBLISHERS },
  ],
  'PUT /api/meetings/{id}/room/polls/{pollId}/answer': { target: 'meeting', shared: true, body: () => ({ optionId: 'yes' }), expect: SEES_MEETING },
  'POST /api/meetings/{id}/room/polls/{pollId}/close': { target: 'meeting', body: () => ({}), expect: MODERATORS },
  'GET /api/meetings/{id}/room/attendance': { target: 'meeting', expect: SEES_MEETING },
  'PUT /api/meetings/{id}/room/attendance/{userId}': { target: 'meeting', body: () => ({ occurrenceId: 'single', present: true }), expect: MODERATORS },
  'GET /api/meetings/{id}/room/attendance.csv': { target: 'meeting', expect: SEES_MEETING },

  // Minutes: written by admin, coordinator and secretariat; a draft read by them only, published ones by all who see the meeting.
  'GET /api/meetings/{id}/minutes': { target: 'meeting', expect: SEES_MEETING },
  'PATCH /api/meetings/{id}/minutes': { target: 'meetingWithDraft', body: ({ target }) => ({ occurrenceId: 'single', revision: target.revision, introduction: 'Acta corregida.' }), expect: PUBLISHERS },
  'POST /api/meetings/{id}/minutes/publish': { target: 'meetingWithDraft', body: ({ target }) => ({ occurrenceId: 'single', revision: target.revision }), expect: PUBLISHERS },
  'GET /api/meetings/{id}/minutes.md': [
    { target: 'meeting', expect: SEES_MEETING },
    { target: 'meeting', query: { version: 'draft' }, expect: '403 404 404 ok ok ok 401 401' },
  ],
  'GET /api/meetings/{id}/minutes.html': [
    { target: 'meeting', expect: SEES_MEETING },
    { target: 'meeting', query: { version: 'draft' }, expect: '403 404 404 ok ok ok 401 401' },
  ],
  'GET /api/action-items': [
    { expect: SIGNED_IN },
    { query: { status: 'all', countryId: 'cl' }, expect: SIGNED_IN },
  ],
  // Writers, the responsible person, and people of the responsible country (Chile); others do not see the minutes.
  'PUT /api/action-items/{id}/status': { target: 'actionItem', body: () => ({ status: 'done' }), expect: 'ok 404 404 ok ok ok 401 401' },
  'POST /api/meetings/{id}/agenda/action-items': {
    target: 'meeting',
    body: ({ world }) => ({ actionItemIds: [world.sharedActionItemId] }),
    expect: MODERATORS,
  },
};

/**
 * Leaks the matrix finds today and that are reported rather than fixed here (the fix is not local):
 * each must still be found, so a fix makes the suite say to remove its entry, and any other leak fails.
 */
export const KNOWN_LEAKS: Array<{ route: string; canary: string; why: string }> = [];
