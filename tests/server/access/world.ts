import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { minimalPdf } from '../../fixtures/documents.js';
import { addPerson, request, setUpGroup, type TestApp } from '../../helper.js';
import { metadata, multipart } from '../documents/support.js';
import { myId } from '../support.js';

/**
 * A working group with real objects owned by someone who is never the caller, for the tests that
 * call every route as every kind of person (the access matrix, the fuzzer).
 *
 * The owner, Olivia, is a member of Chile: she writes the thread, the hidden and the withdrawn
 * post, answers the meeting with a note, holds a calendar feed and gets notifications. The meeting
 * invites Chile only, so "member" (another Chilean) is of the country concerned and "foreignMember"
 * (Mexico) and the observer (UNICEF) are not invited.
 */

export const CALLERS = ['member', 'foreignMember', 'observer', 'secretariat', 'coordinator', 'admin', 'deactivated', 'anonymous'] as const;
export type Caller = (typeof CALLERS)[number];
export type Persona = Exclude<Caller, 'anonymous'> | 'owner';

export interface Person {
  id: string;
  email: string;
  password: string;
}

/** Values a route's path parameters and body are filled from: `{id}` takes `id`, `{pollId}` takes `pollId`... */
export type Target = Record<string, string | number>;

/**
 * Unique words put into objects that only some callers may see. Every answer the matrix gets is
 * searched for each of them: one found in the answer of a caller not in `seenBy` is a leak.
 */
export const CANARIES = {
  meeting: { word: 'qxmeetingsecret', seenBy: ['member', 'secretariat', 'coordinator', 'admin'] },
  pollingMeeting: { word: 'qxpollingmeeting', seenBy: ['member', 'secretariat', 'coordinator', 'admin'] },
  chat: { word: 'qxroomchat', seenBy: ['member', 'secretariat', 'coordinator', 'admin'] },
  publishedMinutes: { word: 'qxpublishedminutes', seenBy: ['member', 'secretariat', 'coordinator', 'admin'] },
  actionItem: { word: 'qxactionitem', seenBy: ['member', 'secretariat', 'coordinator', 'admin'] },
  minutesDraft: { word: 'qxminutesdraft', seenBy: ['secretariat', 'coordinator', 'admin'] },
  // "note is shown to managers and to the person who wrote it": managers of a virtual meeting are admin and coordinator.
  attendanceNote: { word: 'qxattendancenote', seenBy: ['coordinator', 'admin'] },
  draftDocument: { word: 'qxdraftdocument', seenBy: ['secretariat', 'coordinator', 'admin'] },
  trashedDocument: { word: 'qxtrasheddocument', seenBy: ['admin'] },
  hiddenPost: { word: 'qxhiddenpost', seenBy: ['coordinator', 'admin'] },
  hiddenReason: { word: 'qxhiddenreason', seenBy: ['coordinator', 'admin'] },
  hiddenAttachment: { word: 'qxhiddenattachment', seenBy: ['coordinator', 'admin'] },
  withdrawnPost: { word: 'qxwithdrawnpost', seenBy: [] },
  withdrawnAttachment: { word: 'qxwithdrawnattachment', seenBy: [] },
  // A deactivated person leaves the directory, mentions and invitee lists; admins still manage them.
  deactivatedPerson: { word: 'qxdeactivatedperson', seenBy: ['admin'] },
  // Chile's submitted answer to a consultation: its delegation and the organizers; an unopened consultation: the organizers.
  consultationAnswer: { word: 'qxconsultationanswer', seenBy: ['member', 'secretariat', 'coordinator', 'admin'] },
  draftConsultation: { word: 'qxdraftconsultation', seenBy: ['secretariat', 'coordinator', 'admin'] },
  // An unpublished discrepancy case on Chile, UNICEF's value: its delegation, UNICEF's observers and the staff.
  discrepancyCase: { word: 'qxdiscrepancycase', seenBy: ['member', 'observer', 'secretariat', 'coordinator'] },
  // A delegation's draft comment is its own until its focal point submits it; a prepared round is the organizers'.
  roundDraftComment: { word: 'qxrounddraft', seenBy: ['member'] },
  draftRound: { word: 'qxdraftround', seenBy: ['secretariat', 'coordinator'] },
} as const satisfies Record<string, { word: string; seenBy: readonly Caller[] }>;

export type CanaryName = keyof typeof CANARIES;

const PASSWORD = 'matrix-password-2026';
const MINUTE = 60_000;

export class AccessWorld {
  readonly people = {} as Record<Persona, Person>;
  /** The deactivated person's session cookie from before the deactivation. */
  deactivatedCookie = '';
  /** Secrets nobody but their owner may ever be shown: tokens and another person's notification ids. */
  readonly secrets: string[] = [];
  readonly shared = new Map<string, Promise<Target>>();
  private serial = 0;
  categoryId = '';
  /** An action item of the shared meeting's published minutes, for bodies that name one. */
  sharedActionItemId = '';
  announcementsId = '';

  constructor(readonly t: TestApp) {}

  /** The password a persona signs in with (every persona but the admin has the matrix's one). */
  passwordOf(caller: Caller | 'owner'): string {
    return caller === 'anonymous' ? PASSWORD : this.people[caller].password;
  }

  get app() {
    return this.t.app;
  }

  /** A session opened straight in the store for each call: a route that ends sessions (logout, password change) cannot sign a persona out for the next call. */
  async cookieOf(persona: Persona): Promise<string> {
    const { token } = await this.app.sessions.create(this.people[persona].id);
    return `concilia_session=${token}`;
  }

  async callAs(caller: Caller | 'owner', options: InjectOptions): Promise<LightMyRequestResponse> {
    if (caller === 'anonymous') return request(this.app, options);
    const cookie = caller === 'deactivated' ? this.deactivatedCookie : await this.cookieOf(caller);
    return request(this.app, { ...options, cookie });
  }

  /** A call made while building the world: anything but the expected status stops the test with the answer. */
  async must(persona: Caller | 'owner', status: number, options: InjectOptions): Promise<any> {
    const response = await this.callAs(persona, options);
    if (response.statusCode !== status) throw new Error(`${options.method ?? 'GET'} ${options.url} as ${persona}: ${response.statusCode} ${response.body.slice(0, 500)}`);
    return response.body ? response.json() : null;
  }

  next(): number {
    this.serial += 1;
    return this.serial;
  }

  async build(): Promise<void> {
    const adminCookie = await setUpGroup(this.app);
    this.people.admin = { id: await myId(this.app, adminCookie), email: 'admin@cepal.org', password: 'admin-password-1' };
    const add = async (role: 'coordinator' | 'secretariat' | 'member' | 'observer', affiliation: { countryId?: string; organizationId?: string }, displayName: string) => {
      const added = await addPerson(this.app, adminCookie, role, affiliation, { displayName, password: PASSWORD });
      return { id: added.id, email: added.email, password: PASSWORD };
    };
    this.people.coordinator = await add('coordinator', {}, 'Carla Coordinadora');
    this.people.secretariat = await add('secretariat', { organizationId: 'eclac' }, 'Sergio Secretaría');
    this.people.owner = await add('member', { countryId: 'cl' }, 'Olivia Owner');
    this.people.member = await add('member', { countryId: 'cl' }, 'Mara Member');
    this.people.foreignMember = await add('member', { countryId: 'mx' }, 'Óscar Pérez');
    this.people.observer = await add('observer', { organizationId: 'unicef' }, 'Olga Observer');
    this.people.deactivated = await add('member', { countryId: 'cl' }, `Diego ${CANARIES.deactivatedPerson.word}`);
    await this.must('admin', 200, { method: 'PUT', url: `/api/people/${this.people.owner.id}/delegation`, payload: { delegationRole: 'focal_point' } });

    const categories = (await this.must('admin', 200, { url: '/api/categories' })).items as Array<{ id: string; slug: string }>;
    this.categoryId = categories.find((category) => category.slug === 'general')!.id;
    this.announcementsId = categories.find((category) => category.slug === 'announcements')!.id;

    // The deactivated person held a session, a calendar feed and a reset link before an admin deactivated them.
    this.deactivatedCookie = await this.cookieOf('deactivated');
    const deactivatedFeed = await this.must('deactivated', 201, { method: 'POST', url: '/api/calendar/feed', payload: {} });
    const deactivatedReset = await this.must('admin', 201, { method: 'POST', url: `/api/admin/users/${this.people.deactivated.id}/password-reset` });
    await this.must('admin', 200, { method: 'POST', url: `/api/admin/users/${this.people.deactivated.id}/deactivate` });
    this.shared.set('deactivatedPerson', Promise.resolve({ id: this.people.deactivated.id }));
    this.shared.set('deactivatedFeed', Promise.resolve({ token: tokenOfUrl(deactivatedFeed.feed.url, -2) }));
    this.shared.set('deactivatedReset', Promise.resolve({ token: tokenOfUrl(deactivatedReset.url) }));
    this.secrets.push(tokenOfUrl(deactivatedFeed.feed.url, -2), tokenOfUrl(deactivatedReset.url));

    await this.buildSharedObjects();
  }

  /** The shared instance of a fixture (made once), for calls that change nothing. */
  sharedTarget(name: FixtureName): Promise<Target> {
    const known = this.shared.get(name);
    if (known) return known;
    const made = FIXTURES[name](this);
    this.shared.set(name, made);
    return made;
  }

  fresh(name: FixtureName): Promise<Target> {
    return FIXTURES[name](this);
  }

  /** The objects whose content carries canaries, linked to one another as people would link them. */
  private async buildSharedObjects(): Promise<void> {
    const thread = await this.sharedTarget('thread');
    // A reply by the member to Olivia's thread: she is notified. Her notification is another person's for every caller.
    await this.must('member', 201, { method: 'POST', url: `/api/threads/${thread.id}/posts`, payload: { body: 'Una respuesta a Olivia.' } });
    const notifications = await this.must('owner', 200, { url: '/api/notifications?limit=50' });
    const notification = (notifications.items as Array<{ id: string; kind: string }>).find((item) => item.kind === 'reply');
    if (!notification) throw new Error(`Olivia has no reply notification: ${JSON.stringify(notifications)}`);
    this.shared.set('notification', Promise.resolve({ id: notification.id }));
    this.secrets.push(notification.id);

    await this.sharedTarget('hiddenAttachment');
    await this.sharedTarget('withdrawnAttachment');
    const draft = await this.sharedTarget('draftDocument');
    const group = await this.sharedTarget('groupDocument');
    await this.sharedTarget('trashedDocument');

    const meeting = await makeMeeting(this, {
      title: `Reunión de Chile ${CANARIES.meeting.word}`,
      description: `Preparación ${CANARIES.meeting.word}`,
      threadIds: [thread.id],
      documentIds: [draft.id, group.id],
    });
    await this.must('owner', 201, { method: 'POST', url: `/api/meetings/${meeting.id}/room/messages`, payload: { body: `Buenos días ${CANARIES.chat.word}` } });
    await this.must('owner', 200, { method: 'PUT', url: `/api/meetings/${meeting.id}/attendance`, payload: { answer: 'going', note: `Llego tarde ${CANARIES.attendanceNote.word}` } });
    await this.must('owner', 200, { method: 'POST', url: `/api/meetings/${meeting.id}/room/join`, payload: {} });
    // Minutes published with an action item for Chile, then a newer draft nobody but the writers may read.
    const minutes = await this.must('coordinator', 200, { url: `/api/meetings/${meeting.id}/minutes` });
    const section = minutes.minutes.draft.content.sections[0].key as string;
    const actionItemId = crypto.randomUUID();
    await this.must('coordinator', 200, {
      method: 'PATCH',
      url: `/api/meetings/${meeting.id}/minutes`,
      payload: {
        occurrenceId: 'single',
        revision: 0,
        introduction: `Acta ${CANARIES.publishedMinutes.word}`,
        sections: [{ key: section, actionItems: [{ id: actionItemId, text: `Revisar cifras ${CANARIES.actionItem.word}`, responsibleCountryId: 'cl', responsiblePersonId: null, dueDate: '2026-12-01' }] }],
      },
    });
    await this.must('coordinator', 200, { method: 'POST', url: `/api/meetings/${meeting.id}/minutes/publish`, payload: { occurrenceId: 'single', revision: 1 } });
    await this.must('coordinator', 200, { method: 'PATCH', url: `/api/meetings/${meeting.id}/minutes`, payload: { occurrenceId: 'single', revision: 1, introduction: `Borrador ${CANARIES.minutesDraft.word}` } });
    this.shared.set('meeting', Promise.resolve({ ...meeting, revision: 2 }));
    this.shared.set('actionItem', Promise.resolve({ id: actionItemId, meetingId: meeting.id as string }));
    this.sharedActionItemId = actionItemId;

    await this.sharedTarget('pollingMeeting');
    const feed = await this.must('owner', 201, { method: 'POST', url: '/api/calendar/feed', payload: {} });
    this.shared.set('ownerFeed', Promise.resolve({ token: tokenOfUrl(feed.feed.url, -2) }));
    this.secrets.push(tokenOfUrl(feed.feed.url, -2));
    const invitation = await this.sharedTarget('invitation');
    this.secrets.push(String(invitation.token));
    const reset = await this.sharedTarget('resetToken');
    this.secrets.push(String(reset.token));
  }
}

/** The last path segment of a link (or the one `from` segments from the end). */
function tokenOfUrl(url: string, from = -1): string {
  const segments = new URL(url).pathname.split('/');
  return segments[segments.length + from]!;
}

async function uploadDocument(world: AccessWorld, visibility: 'draft' | 'group' | 'public', title: string): Promise<string> {
  const n = world.next();
  const body = await multipart({ metadata: JSON.stringify(metadata({ title: { es: title, en: '' }, visibility, tags: [`matriz-${n}`] })) }, { name: `matriz-${n}.pdf`, bytes: minimalPdf(`${title} ${n}`) });
  const created = await world.must('secretariat', 201, { method: 'POST', url: '/api/documents', payload: body.payload, headers: { 'content-type': body.contentType } });
  return created.document.id as string;
}

/**
 * A comment round on a group document consulting Chile and UNICEF (not Mexico), by the secretariat;
 * Olivia (Chile's focal point) writes a comment, kept as her delegation's draft or submitted.
 */
async function makeRound(world: AccessWorld, kind: 'open' | 'submitted' | 'draft'): Promise<Target> {
  const documentId = await uploadDocument(world, 'group', 'Borrador para comentarios');
  const created = await world.must(kind === 'draft' ? 'coordinator' : 'secretariat', 201, {
    method: 'POST',
    url: '/api/rounds',
    payload: {
      documentId,
      version: 1,
      consulted: { countryIds: ['cl'], organizationIds: ['unicef'] },
      deadline: new Date(Date.now() + 7 * 24 * 60 * MINUTE).toISOString(),
      instructions: kind === 'draft' ? `Preparación ${CANARIES.draftRound.word}` : 'Comenten el borrador.',
      open: kind !== 'draft',
    },
  });
  const id = created.round.id as string;
  if (kind === 'draft') return { id, commentId: 'none' };
  const text = kind === 'open' ? `Nuestro borrador ${CANARIES.roundDraftComment.word}` : 'Comentario enviado por Chile.';
  const comment = await world.must('owner', 201, { method: 'POST', url: `/api/rounds/${id}/comments`, payload: { type: 'general', text, anchor: { kind: 'document' } } });
  if (kind === 'submitted') await world.must('owner', 201, { method: 'POST', url: `/api/rounds/${id}/submission` });
  return { id, commentId: comment.comment.id };
}

async function makeThread(world: AccessWorld, title = 'Diferencias en mortalidad infantil'): Promise<Target> {
  const created = await world.must('owner', 201, { method: 'POST', url: '/api/threads', payload: { categoryId: world.categoryId, title, body: 'Texto de apertura.' } });
  return { id: created.thread.id, postId: created.post.id };
}

/** A one-position-per-country proposal Olivia put to a thread of hers (closed early by her, for the outcome). */
async function makeProposal(world: AccessWorld, closed = false): Promise<Target> {
  const thread = await makeThread(world, 'Propuesta de método');
  const created = await world.must('owner', 201, {
    method: 'POST',
    url: `/api/threads/${thread.id}/proposals`,
    payload: { statement: 'Adoptar el método B.', closesAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), eligibility: 'one_per_country' },
  });
  const id = created.proposal.id as string;
  if (closed) await world.must('owner', 200, { method: 'POST', url: `/api/proposals/${id}/close` });
  return { id, threadId: thread.id! };
}

/** A closed quick poll of a meeting inviting everyone, and a thread of Olivia's to turn it into a proposal in. */
async function makeClosedPoll(world: AccessWorld): Promise<Target> {
  const meeting = await makeMeeting(world, { invitees: { everyone: true } });
  await world.must('coordinator', 200, { method: 'POST', url: `/api/meetings/${meeting.id}/room/polls/${meeting.pollId}/close`, payload: {} });
  const thread = await makeThread(world, 'Propuesta desde la reunión');
  return { threadId: thread.id!, pollId: meeting.pollId! };
}

async function makePost(world: AccessWorld, text: string, attachmentName?: string): Promise<Target> {
  const thread = world.shared.has('thread') ? await world.sharedTarget('thread') : await makeThread(world);
  const created = await world.must('owner', 201, { method: 'POST', url: `/api/threads/${thread.id}/posts`, payload: { body: text } });
  const target: Target = { id: created.post.id, threadId: thread.id! };
  if (attachmentName) {
    const body = await multipart({}, { name: attachmentName, bytes: minimalPdf(`${attachmentName} ${world.next()}`) });
    const attached = await world.must('owner', 201, { method: 'POST', url: `/api/posts/${created.post.id}/attachments`, payload: body.payload, headers: { 'content-type': body.contentType } });
    target.attachmentId = attached.attachment.id;
  }
  return target;
}

async function hide(world: AccessWorld, target: Target): Promise<Target> {
  await world.must('coordinator', 200, { method: 'POST', url: `/api/posts/${target.id}/hide`, payload: { reason: `Fuera de tema ${CANARIES.hiddenReason.word}` } });
  return target;
}

async function withdraw(world: AccessWorld, target: Target): Promise<Target> {
  await world.must('owner', 200, { method: 'POST', url: `/api/posts/${target.id}/withdraw`, payload: {} });
  return target;
}

/** A meeting inviting Chile, whose room opened five minutes ago, with an open quick poll. */
async function makeMeeting(world: AccessWorld, overrides: Record<string, unknown> = {}): Promise<Target> {
  const start = Date.now() - 5 * MINUTE;
  const created = await world.must('coordinator', 201, {
    method: 'POST',
    url: '/api/meetings',
    payload: {
      title: 'Reunión de coordinación',
      kind: 'virtual_meeting',
      agenda: [
        { title: 'Apertura', presenter: 'Coordinación', minutes: 10 },
        { title: 'Informe', presenter: 'CEPAL', minutes: 40 },
      ],
      timeZone: 'America/Santiago',
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + 120 * MINUTE).toISOString(),
      invitees: { everyone: false, countryIds: ['cl'] },
      ...overrides,
    },
  });
  const meeting = created.meeting as { id: string; agenda: Array<{ id: string }> };
  const poll = await world.must('coordinator', 201, { method: 'POST', url: `/api/meetings/${meeting.id}/room/polls`, payload: { question: '¿Aprobamos el informe?', kind: 'yes_no_abstain', scope: 'person' } });
  return { id: meeting.id, pollId: poll.poll.id, agendaItemId: meeting.agenda[1]!.id, occurrenceId: 'single', userId: world.people.owner.id, revision: 0 };
}

async function makePerson(world: AccessWorld): Promise<Target> {
  const n = world.next();
  const invited = await world.must('admin', 201, { method: 'POST', url: '/api/invitations', payload: { email: `persona${n}@example.org`, role: 'member', countryId: 'cl' } });
  const token = tokenOfUrl(invited.acceptUrl);
  const accepted = await world.must('anonymous', 201, { method: 'POST', url: `/api/invitations/${token}/accept`, payload: { displayName: `Persona ${n}`, password: PASSWORD, locale: 'es', timeZone: 'America/Santiago' } });
  return { id: accepted.user.id };
}

/**
 * Every kind of object the matrix fills path parameters with. A GET uses the shared instance; a
 * call that may change its object gets a fresh one (and another after each success), so no call
 * changes what the next caller meets.
 */
const madeByBuild = (name: string) => async (): Promise<Target> => {
  throw new Error(`the ${name} fixture is made once by AccessWorld.build(): give its case \`shared: true\``);
};

export type FixtureName =
  | 'owner' | 'person' | 'deactivatedPerson' | 'invitation' | 'resetToken' | 'deactivatedReset' | 'ownerFeed' | 'deactivatedFeed' | 'notification'
  | 'category' | 'generalCategory' | 'thread' | 'post' | 'hiddenPost' | 'withdrawnPost' | 'attachment' | 'hiddenAttachment' | 'withdrawnAttachment'
  | 'groupDocument' | 'publicDocument' | 'draftDocument' | 'trashedDocument'
  | 'meeting' | 'workshop' | 'meetingWithDraft' | 'pollingMeeting' | 'series' | 'actionItem'
  | 'unknownMailToken' | 'unknownOutboxMessage'
  | 'consultation' | 'draftConsultation' | 'toleranceSeries' | 'discrepancyCase' | 'publishedCase' | 'caseThread' | 'publishedCaseThread' | 'round' | 'submittedRound' | 'draftRound'
  | 'indicator' | 'indicatorVersion' | 'indicatorFramework'
  | 'proposal' | 'closedProposal' | 'closedPoll';

/** A small questionnaire Olivia (Chile's focal point) can answer whole. */
const consultationQuestionnaire = () => ({
  sections: [
    {
      id: 'general',
      title: { es: 'General', en: 'General' },
      questions: [
        { id: 'institution', type: 'short_text', label: { es: 'Institución', en: 'Institution' }, required: true },
        { id: 'comments', type: 'long_text', label: { es: 'Comentarios', en: 'Comments' }, required: false },
        { id: 'annex', type: 'file', label: { es: 'Anexo', en: 'Annex' }, required: false },
      ],
    },
  ],
});

async function makeDraftConsultation(world: AccessWorld, title = `Consulta sin abrir ${CANARIES.draftConsultation.word}`): Promise<Target> {
  const created = await world.must('coordinator', 201, {
    method: 'POST',
    url: '/api/consultations',
    payload: { title: { es: title, en: '' }, deadline: { date: '2030-06-30', time: '23:59', zone: 'America/Santiago' }, targets: ['cl', 'mx'], questionnaire: consultationQuestionnaire() },
  });
  return { id: created.consultation.id };
}

/** An open consultation to Chile and Mexico: Olivia submitted Chile's answer, the coordinator sent a query on it. */
async function makeConsultation(world: AccessWorld): Promise<Target> {
  const { id } = await makeDraftConsultation(world, 'Ficha técnica de la matriz');
  await world.must('coordinator', 200, { method: 'POST', url: `/api/consultations/${id}/open` });
  const saved = await world.must('owner', 200, {
    method: 'PATCH',
    url: `/api/consultations/${id}/draft`,
    payload: { base: 0, changes: [{ question: 'institution', value: { type: 'short_text', text: 'INE' } }, { question: 'comments', value: { type: 'long_text', text: `Respuesta ${CANARIES.consultationAnswer.word}` } }] },
  });
  await world.must('owner', 200, { method: 'POST', url: `/api/consultations/${id}/submit`, payload: { revision: saved.draft.revision } });
  const query = await world.must('coordinator', 201, { method: 'POST', url: `/api/consultations/${id}/respondents/cl/queries`, payload: { question: 'comments', text: '¿Fuente?' } });
  return { id: id!, respondent: 'cl', queryId: query.review.queries[0].id, question: 'institution' };
}


/**
 * A discrepancy case on Chile: UNICEF's value (imported by the secretariat) against Olivia's national
 * one, in a series of its own so each fixture opens exactly one case; commented with the canary.
 */
async function makeCase(world: AccessWorld, publishIt = false): Promise<Target> {
  const n = world.next();
  const series = `SH_CASE_${n}`;
  const query = (q: Record<string, string>) => new URLSearchParams(q).toString();
  await world.must('secretariat', 201, {
    method: 'POST',
    url: `/api/discrepancies/releases?${query({ side: 'international', format: 'unsd_csv', agencyId: 'unicef', title: `Release ${n}` })}`,
    headers: { 'content-type': 'text/csv' },
    payload: `Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,Source,FootNote,[Nature],[Reporting Type],[Sex],[Age],[Location],[Units]\n3,3.2,9.${n},${series},Matrix,152,Chile,2010,8.5,2010,UN IGME,,E,G,_T,<5Y,ALLAREA,PER_1000_LIVE_BIRTHS\n`,
  });
  await world.must('owner', 201, {
    method: 'POST',
    url: `/api/discrepancies/releases?${query({ side: 'national', format: 'national_csv', title: `Nacional ${n}` })}`,
    headers: { 'content-type': 'text/csv' },
    payload: `indicator,series,country,year,value,unit,age\n9.${n},${series},CHL,2010,7.4,PER_1000_LIVE_BIRTHS,Y_LT5\n`,
  });
  const found = await world.must('owner', 200, { url: `/api/discrepancies/cases?indicator=9.${n}` });
  const id = found.items[0].id as string;
  if (!publishIt) {
    await world.must('owner', 201, { method: 'POST', url: `/api/discrepancies/cases/${id}/comments`, payload: { body: `Cifras ${CANARIES.discrepancyCase.word}` } });
    return { id };
  }
  const step = (who: 'owner' | 'observer', path: string, payload: Record<string, unknown>, method: 'POST' | 'PUT' = 'POST') => world.must(who, 200, { method, url: `/api/discrepancies/cases/${id}/${path}`, payload });
  await step('owner', 'status', { to: 'under_review' });
  await step('owner', 'causes', { primary: 'agency_estimate', secondary: [] }, 'PUT');
  await step('owner', 'status', { to: 'explained' });
  await step('observer', 'explanation', { text: 'UN IGME estimates; Chile registers.' }, 'PUT');
  await step('owner', 'agreement', {});
  await step('observer', 'agreement', {});
  await step('owner', 'status', { to: 'documented' });
  await step('owner', 'publish', {});
  return { id };
}

/** The case's thread (opened by a first comment if it has none yet), as the targets of the debates' routes. */
async function caseThreadOf(world: AccessWorld, { id }: Target): Promise<Target> {
  const page = await world.must('owner', 200, { url: `/api/discrepancies/cases/${id}` });
  if (page.discussion.thread) return { id: page.discussion.thread.id, threadId: page.discussion.thread.id };
  const posted = await world.must('owner', 201, { method: 'POST', url: `/api/discrepancies/cases/${id}/comments`, payload: { body: 'Publicado.' } });
  return { id: posted.thread.id, threadId: posted.thread.id };
}

export const FIXTURES: Record<FixtureName, (world: AccessWorld) => Promise<Target>> = {
  consultation: makeConsultation,
  draftConsultation: (world: AccessWorld) => makeDraftConsultation(world),
  toleranceSeries: async () => ({ series: 'SH_DYN_MORT' }),
  // The catalogue ships with the MDG list of 2008 (and the SDG family, without a version yet).
  indicator: async () => ({ versionId: 'mdg-2008', code: '4.1' }),
  indicatorVersion: async () => ({ versionId: 'mdg-2008' }),
  indicatorFramework: async () => ({ frameworkId: 'SDG' }),
  discrepancyCase: (world: AccessWorld) => makeCase(world),
  publishedCase: (world: AccessWorld) => makeCase(world, true),
  // A case's discussion: a debates thread read by exactly who may see the case (the canary is its first post).
  caseThread: async (world: AccessWorld) => caseThreadOf(world, await makeCase(world)),
  publishedCaseThread: async (world: AccessWorld) => caseThreadOf(world, await makeCase(world, true)),
  owner: async (world: AccessWorld) => ({ id: world.people.owner.id }),
  person: makePerson,
  deactivatedPerson: async (world: AccessWorld) => {
    const person = await makePerson(world);
    await world.must('admin', 200, { method: 'POST', url: `/api/admin/users/${person.id}/deactivate` });
    return person;
  },
  invitation: async (world: AccessWorld) => {
    const invited = await world.must('admin', 201, { method: 'POST', url: '/api/invitations', payload: { email: `invitada${world.next()}@example.org`, role: 'member', countryId: 'cl' } });
    return { id: invited.invitation.id, token: tokenOfUrl(invited.acceptUrl) };
  },
  // No feature sends mail yet: the mail routes are called on a token and a message nobody has, which
  // must be refused alike for everyone (once features send mail, real ones replace these).
  unknownMailToken: async () => ({ token: 'm'.repeat(32) }),
  unknownOutboxMessage: async () => ({ id: '0'.repeat(26) }),
  resetToken: async (world: AccessWorld) => {
    const person = await makePerson(world);
    const reset = await world.must('admin', 201, { method: 'POST', url: `/api/admin/users/${person.id}/password-reset` });
    return { token: tokenOfUrl(reset.url) };
  },
  // Made once by build() (they need the person before the deactivation, or Olivia's own session): use them with `shared`.
  deactivatedReset: madeByBuild('deactivatedReset'),
  ownerFeed: madeByBuild('ownerFeed'),
  deactivatedFeed: madeByBuild('deactivatedFeed'),
  notification: madeByBuild('notification'),
  category: async (world: AccessWorld) => {
    const n = world.next();
    const created = await world.must('admin', 201, { method: 'POST', url: '/api/categories', payload: { slug: `matriz-${n}`, nameEs: `Matriz ${n}`, nameEn: `Matrix ${n}` } });
    return { id: created.category.id };
  },
  generalCategory: async (world: AccessWorld) => ({ id: world.categoryId }),
  thread: (world: AccessWorld) => makeThread(world),
  post: (world: AccessWorld) => makePost(world, 'Una respuesta visible de Olivia.'),
  hiddenPost: async (world: AccessWorld) => hide(world, await makePost(world, `Texto ocultado ${CANARIES.hiddenPost.word}`)),
  withdrawnPost: async (world: AccessWorld) => withdraw(world, await makePost(world, `Texto retirado ${CANARIES.withdrawnPost.word}`)),
  attachment: async (world: AccessWorld) => {
    const post = await makePost(world, 'Con un anexo.', 'anexo.pdf');
    return { id: post.attachmentId!, postId: post.id! };
  },
  hiddenAttachment: async (world: AccessWorld) => {
    const post = await hide(world, await makePost(world, `Anexo ocultado ${CANARIES.hiddenPost.word}`, `${CANARIES.hiddenAttachment.word}.pdf`));
    return { id: post.attachmentId!, postId: post.id! };
  },
  withdrawnAttachment: async (world: AccessWorld) => {
    const post = await withdraw(world, await makePost(world, `Anexo retirado ${CANARIES.withdrawnPost.word}`, `${CANARIES.withdrawnAttachment.word}.pdf`));
    return { id: post.attachmentId!, postId: post.id! };
  },
  groupDocument: async (world: AccessWorld) => ({ id: await uploadDocument(world, 'group', 'Informe del grupo') }),
  publicDocument: async (world: AccessWorld) => ({ id: await uploadDocument(world, 'public', 'Informe público') }),
  draftDocument: async (world: AccessWorld) => ({ id: await uploadDocument(world, 'draft', `Borrador ${CANARIES.draftDocument.word}`) }),
  trashedDocument: async (world: AccessWorld) => {
    const id = await uploadDocument(world, 'group', `Borrado ${CANARIES.trashedDocument.word}`);
    await world.must('admin', 204, { method: 'DELETE', url: `/api/documents/${id}` });
    return { id };
  },
  meeting: (world: AccessWorld) => makeMeeting(world, { title: `Reunión de Chile ${CANARIES.meeting.word}` }),
  workshop: (world: AccessWorld) => makeMeeting(world, { kind: 'virtual_workshop', title: `Taller ${CANARIES.meeting.word}` }),
  /** A meeting with a saved minutes draft (revision 1), ready to publish. */
  meetingWithDraft: async (world: AccessWorld) => {
    const meeting = await makeMeeting(world, { title: `Reunión con acta ${CANARIES.meeting.word}` });
    await world.must('coordinator', 200, { method: 'PATCH', url: `/api/meetings/${meeting.id}/minutes`, payload: { occurrenceId: 'single', revision: 0, introduction: `Borrador ${CANARIES.minutesDraft.word}` } });
    return { ...meeting, revision: 1 };
  },
  pollingMeeting: async (world: AccessWorld) => {
    const created = await world.must('coordinator', 201, {
      method: 'POST',
      url: '/api/meetings',
      payload: {
        title: `Encuesta ${CANARIES.pollingMeeting.word}`,
        kind: 'virtual_meeting',
        timeZone: 'America/Santiago',
        invitees: { everyone: false, countryIds: ['cl'] },
        poll: { slots: [{ startsAt: '2030-04-01T14:00:00.000Z', endsAt: '2030-04-01T15:00:00.000Z' }, { startsAt: '2030-04-02T14:00:00.000Z', endsAt: '2030-04-02T15:00:00.000Z' }] },
      },
    });
    const poll = await world.must('coordinator', 200, { url: `/api/meetings/${created.meeting.id}/poll` });
    return { id: created.meeting.id, slotId: poll.poll.slots[0].id };
  },
  series: async (world: AccessWorld) => {
    const created = await world.must('coordinator', 201, {
      method: 'POST',
      url: '/api/meetings',
      payload: {
        title: `Serie ${CANARIES.meeting.word}`,
        kind: 'virtual_meeting',
        timeZone: 'America/Santiago',
        startsAt: '2030-03-05T14:00:00.000Z',
        endsAt: '2030-03-05T15:00:00.000Z',
        recurrence: { frequency: 'weekly', count: 4 },
        invitees: { everyone: false, countryIds: ['cl'] },
      },
    });
    return { id: created.meeting.id, occurrenceId: created.meeting.occurrences[1].id };
  },
  proposal: (world: AccessWorld) => makeProposal(world),
  closedProposal: (world: AccessWorld) => makeProposal(world, true),
  closedPoll: makeClosedPoll,
  round: (world: AccessWorld) => makeRound(world, 'open'),
  submittedRound: (world: AccessWorld) => makeRound(world, 'submitted'),
  draftRound: (world: AccessWorld) => makeRound(world, 'draft'),
  actionItem: async (world: AccessWorld) => {
    const meeting = await makeMeeting(world, { title: `Reunión con tareas ${CANARIES.meeting.word}` });
    const minutes = await world.must('coordinator', 200, { url: `/api/meetings/${meeting.id}/minutes` });
    const id = crypto.randomUUID();
    await world.must('coordinator', 200, {
      method: 'PATCH',
      url: `/api/meetings/${meeting.id}/minutes`,
      payload: { occurrenceId: 'single', revision: 0, sections: [{ key: minutes.minutes.draft.content.sections[0].key, actionItems: [{ id, text: `Tarea ${CANARIES.actionItem.word}`, responsibleCountryId: 'cl', responsiblePersonId: null, dueDate: null }] }] },
    });
    await world.must('coordinator', 200, { method: 'POST', url: `/api/meetings/${meeting.id}/minutes/publish`, payload: { occurrenceId: 'single', revision: 1 } });
    return { id, meetingId: meeting.id! };
  },
};
