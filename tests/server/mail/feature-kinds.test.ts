import ICAL from 'ical.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addPerson, buildTestApp, request, setUpGroup, type TestApp } from '../../helper.js';
import { SmtpSink, type CapturedMail } from '../../support/smtp-sink.js';
import { chileAnswers, fichaTecnica } from '../consultations/fixtures.js';
import { changesFor } from '../consultations/support.js';
import { api, categoryId, startThread, type Participant } from '../debates/support.js';
import { caseOf, importFile, nationalCsv, nationalRow, unsdCsv, unsdRow } from '../discrepancies/support.js';
import { TestClock, wallClock } from '../meetings/support.js';
import { myId } from '../support.js';
import { drainOutbox, FAST_WORKER, MAIL_FROM, sleep } from './support.js';

/**
 * The kinds of notification mail the issue names that no other test sent through a real SMTP
 * server: a meeting's change and reminder, a date poll, its reminder, its deadline and the date it
 * set, a consultation's query
 * and the delegation's reply, its reminder before the deadline (mailed by the consultations
 * themselves), a discrepancy case's change of status, and a mention sent at once. Each is caused
 * through the feature's own routes (or the scheduler's job, on a clock the test moves), received
 * by the test's SMTP server, parsed by mailparser, and checked: once (also after another tick of
 * the mail workers), in the recipient's language (Ana reads Spanish, Tom and Carol English), about
 * the thing, with the one-click unsubscribe of its kind.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// The app's clock (scheduler jobs, deadlines) starts at the real time: the outbox runs on it.
const clock = new TestClock(Math.ceil(Date.now() / 60_000) * 60_000);
let sink: SmtpSink;
let t: TestApp;
type Person = Participant & { email: string };
let admin: Participant;
let carol: Person; // coordinator, English
let sergio: Person; // secretariat, Spanish
let ana: Person; // Chile, Spanish
let tom: Person; // Trinidad and Tobago, English

async function person(role: 'member' | 'coordinator' | 'secretariat', affiliation: { countryId?: string; organizationId?: string }, displayName: string, locale: 'es' | 'en'): Promise<Person> {
  const added = await addPerson(t.app, admin.cookie, role, affiliation, { displayName, locale });
  return { id: added.id, cookie: added.cookie, email: added.email };
}

const setPreferences = async (who: Participant, kinds: Record<string, string>) => {
  const response = await request(t.app, { method: 'PUT', url: '/api/mail/preferences', cookie: who.cookie, payload: { kinds } });
  expect(response.statusCode, response.body).toBe(200);
};

/** What the notification mail would do once its minute's wait has passed, on both clocks. */
const tick = (after = 2 * MINUTE) => t.app.noticeMail.runDue(new Date(Math.max(Date.now(), clock.ms) + after));

/** The mails with this subject that reached `who`. */
const mailsTo = (who: Person, subject: string) => sink.to(who.email).filter((mail) => mail.parsed.subject === subject);

/**
 * Waits for the one mail with this subject to reach `who`, then runs every worker again (the
 * notification mail, the scheduler, the outbox) and checks that no second copy follows.
 */
async function deliveredOnce(who: Person, subject: string): Promise<CapturedMail> {
  await tick();
  await sink.waitFor(1, { filter: (mail) => mail.rcptTo.includes(who.email) && mail.parsed.subject === subject }).catch((error: Error) => {
    throw new Error(`${error.message}; ${who.email} got: ${JSON.stringify(sink.to(who.email).map((mail) => mail.parsed.subject))}`);
  });
  await tick(3 * MINUTE);
  await t.app.scheduler.runDue();
  await sleep(250);
  const mails = mailsTo(who, subject);
  expect(mails, `${subject} to ${who.email}`).toHaveLength(1);
  return mails[0]!;
}

/**
 * The unsubscribe headers (RFC 2369 and 8058); the link's page (a GET, which changes nothing)
 * names what it stops: this kind, labelled in the recipient's language.
 */
async function expectOneClick(mail: CapturedMail, label: string): Promise<void> {
  // The header block, its folded lines unfolded (RFC 5322).
  const raw = mail.raw.toString('utf8').split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  const link = /^List-Unsubscribe: <([^>]+)>\r?$/m.exec(raw)?.[1];
  expect(link, 'List-Unsubscribe').toMatch(/^https?:\/\/[^/]+\/api\/mail\/unsubscribe\/\S+$/);
  const page = await t.app.inject({ url: new URL(link!).pathname, headers: { accept: 'text/html' } });
  expect(page.statusCode, page.body).toBe(200);
  expect(page.body).toContain(label);
}

beforeAll(async () => {
  sink = await SmtpSink.start();
  t = await buildTestApp({ MAIL_FROM, SMTP_URL: sink.url }, { mailWorker: FAST_WORKER, now: clock.now });
  const adminCookie = await setUpGroup(t.app);
  admin = { id: await myId(t.app, adminCookie), cookie: adminCookie };
  carol = await person('coordinator', {}, 'Carol Coordinator', 'en');
  sergio = await person('secretariat', { organizationId: 'eclac' }, 'Sergio Secretaría', 'es');
  ana = await person('member', { countryId: 'cl' }, 'Ana Gómez', 'es');
  tom = await person('member', { countryId: 'tt' }, 'Tom Baker', 'en');
  // Ana keeps the zone she accepted her invitation in (Mexico City); Tom lives in Port of Spain.
  const zoned = await request(t.app, { method: 'PATCH', url: '/api/me', cookie: tom.cookie, payload: { timeZone: 'America/Port_of_Spain' } });
  expect(zoned.statusCode, zoned.body).toBe(200);
  // Nothing but what each test causes: the group's news (new threads, posts, documents) never.
  for (const who of [carol, sergio, ana, tom]) await setPreferences(who, { new_thread: 'never', new_post: 'never', document: 'never' });
  await drainOutbox(t, sink);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

beforeEach(async () => {
  clock.set(Math.max(Math.ceil(Date.now() / MINUTE) * MINUTE, clock.ms));
  // What earlier tests left due (a digest, a reminder) goes out now and is forgotten.
  await t.app.scheduler.runDue();
  await tick(2 * DAY);
  await drainOutbox(t, sink);
});

/** A date as the consultations take a deadline: `days` from the clock, 23:59 in Santiago. */
const dateIn = (days: number) => new Date(clock.ms + days * DAY).toISOString().slice(0, 10);

describe('meetings: a change, a date poll, its reminder and its deadline', () => {
  it('mails a change of a meeting to each invitee once, in their language, with the calendar part of the new time', async () => {
    const created = await api(t.app, carol, 'POST', '/meetings', {
      title: 'Reunión de metadatos',
      kind: 'virtual_meeting',
      timeZone: 'America/Santiago',
      startsAt: new Date(clock.ms + 10 * DAY).toISOString(),
      endsAt: new Date(clock.ms + 10 * DAY + HOUR).toISOString(),
      invitees: { everyone: false, countryIds: ['cl', 'tt'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const meeting = created.json().meeting as { id: string; sequence: number };
    await deliveredOnce(ana, 'Invitación: Reunión de metadatos');
    await deliveredOnce(tom, 'Invitation: Reunión de metadatos');
    sink.clear();

    const movedTo = new Date(clock.ms + 11 * DAY);
    const changed = await api(t.app, carol, 'PATCH', `/meetings/${meeting.id}`, { startsAt: movedTo.toISOString(), endsAt: new Date(movedTo.getTime() + HOUR).toISOString() });
    expect(changed.statusCode, changed.body).toBe(200);
    const toAna = await deliveredOnce(ana, 'Actualizada: Reunión de metadatos');
    expect(toAna.parsed.text).toContain('Hola, Ana Gómez:');
    expect(toAna.parsed.text).toContain('Carol Coordinator cambió «Reunión de metadatos».');
    const toTom = await deliveredOnce(tom, 'Updated: Reunión de metadatos');
    expect(toTom.parsed.text).toContain('Hello Tom Baker,');
    expect(toTom.parsed.text).toContain('Carol Coordinator changed “Reunión de metadatos”.');
    await expectOneClick(toAna, 'Invitaciones, cambios y cancelaciones de reuniones');
    await expectOneClick(toTom, 'Meeting invitations, changes and cancellations');
    for (const mail of [toAna, toTom]) {
      const part = mail.parsed.attachments.find((attachment) => attachment.contentType === 'text/calendar')!;
      const event = new ICAL.Component(ICAL.parse(part.content.toString('utf8'))).getFirstSubcomponent('vevent')!;
      expect((event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().getTime()).toBe(movedTo.getTime());
      expect(Number(event.getFirstPropertyValue('sequence'))).toBeGreaterThan(meeting.sequence);
    }
    // The organizer, who made the change, is not told of it.
    expect(sink.to(carol.email)).toHaveLength(0);

    // A day before, each invitee is reminded, once.
    sink.clear();
    clock.set(movedTo.getTime() - DAY + MINUTE);
    await t.app.scheduler.runDue();
    const remindAna = await deliveredOnce(ana, 'Recordatorios antes de una reunión: Reunión de metadatos');
    expect(remindAna.parsed.text).toContain('Hola, Ana Gómez:');
    await expectOneClick(remindAna, 'Recordatorios antes de una reunión');
    const remindTom = await deliveredOnce(tom, 'Reminders before a meeting: Reunión de metadatos');
    expect(remindTom.parsed.text).toContain(`/meetings/${meeting.id}`);
    await expectOneClick(remindTom, 'Reminders before a meeting');
  });

  it('mails a date poll to the invitees, a reminder to who has not answered a day before its deadline, and the deadline to the organizer', async () => {
    const deadline = new Date(clock.ms + 3 * DAY);
    const slot = (days: number) => ({ startsAt: new Date(clock.ms + days * DAY).toISOString(), endsAt: new Date(clock.ms + days * DAY + HOUR).toISOString() });
    const created = await api(t.app, carol, 'POST', '/meetings', {
      title: 'Taller de conciliación',
      kind: 'virtual_workshop',
      timeZone: 'America/Santiago',
      invitees: { everyone: false, countryIds: ['cl', 'tt'] },
      poll: { slots: [slot(5), slot(6)], deadline: deadline.toISOString() },
    });
    expect(created.statusCode, created.body).toBe(201);
    const meetingId = created.json().meeting.id as string;

    // The poll: each invitee, once, in their language.
    const pollToAna = await deliveredOnce(ana, 'Encuestas de fecha de reuniones: Taller de conciliación');
    expect(pollToAna.parsed.text).toContain('Carol Coordinator · Encuestas de fecha de reuniones');
    expect(pollToAna.parsed.text).toContain(`/meetings/${meetingId}`);
    const pollToTom = await deliveredOnce(tom, 'Date polls for meetings: Taller de conciliación');
    expect(pollToTom.parsed.text).toContain('Carol Coordinator · Date polls for meetings');
    await expectOneClick(pollToAna, 'Encuestas de fecha de reuniones');
    await expectOneClick(pollToTom, 'Date polls for meetings');
    expect(sink.to(carol.email)).toHaveLength(0);

    // Ana answers; a day before the deadline, Tom (who has not) is reminded, and only he.
    const poll = (await api(t.app, ana, 'GET', `/meetings/${meetingId}/poll`)).json().poll as { slots: Array<{ id: string }> };
    const answered = await api(t.app, ana, 'PUT', `/meetings/${meetingId}/poll/answers`, { answers: [{ slotId: poll.slots[0]!.id, answer: 'yes' }] });
    expect(answered.statusCode, answered.body).toBe(200);
    sink.clear();
    clock.set(deadline.getTime() - DAY + MINUTE);
    await t.app.scheduler.runDue();
    await tick();
    const reminder = await deliveredOnce(tom, 'Reminders to answer a date poll: Taller de conciliación');
    expect(reminder.parsed.text).toContain('Hello Tom Baker,');
    await expectOneClick(reminder, 'Reminders to answer a date poll');
    expect(sink.to(ana.email)).toHaveLength(0);

    // The deadline passes: the organizer is told, once, in English.
    clock.set(deadline.getTime() + MINUTE);
    await t.app.scheduler.runDue();
    await tick();
    const closed = await deliveredOnce(carol, 'Date polls that closed: Taller de conciliación');
    expect(closed.parsed.text).toContain('Hello Carol Coordinator,');
    expect(closed.parsed.text).toContain(`/meetings/${meetingId}`);
    await expectOneClick(closed, 'Date polls that closed');
    expect(sink.to(ana.email)).toHaveLength(0);

    // She picks the first slot: the invitees get the invitation with its date, once.
    const picked = await api(t.app, carol, 'POST', `/meetings/${meetingId}/poll/close`, { slotId: poll.slots[0]!.id });
    expect(picked.statusCode, picked.body).toBe(200);
    const scheduledAna = await deliveredOnce(ana, 'Invitación: Taller de conciliación');
    expect(scheduledAna.parsed.text).toContain('Ya hay fecha para «Taller de conciliación».');
    const scheduledTom = await deliveredOnce(tom, 'Invitation: Taller de conciliación');
    expect(scheduledTom.parsed.text).toContain('The date of “Taller de conciliación” is set.');
    await expectOneClick(scheduledTom, 'Meeting invitations, changes and cancellations');
  });
});

describe('consultations: a query and its reply, and the reminder before the deadline', () => {
  it('mails a query on the country\u2019s answer to its delegation (Spanish), and the delegation\u2019s reply to the organizer who asked (English)', async () => {
    await setPreferences(ana, { consultation_query: 'immediately', consultation_opened: 'never' });
    await setPreferences(carol, { consultation_reply: 'immediately' });
    const created = await api(t.app, carol, 'POST', '/consultations', {
      title: { es: 'Inventario de operaciones 2027', en: 'Inventory of operations 2027' },
      deadline: { date: dateIn(20), time: '23:59', zone: 'America/Santiago' },
      targets: ['cl'],
      questionnaire: fichaTecnica(),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().consultation.id as string;
    expect((await api(t.app, carol, 'POST', `/consultations/${id}/open`)).statusCode).toBe(200);
    const draft = (await api(t.app, ana, 'GET', `/consultations/${id}/draft`)).json().draft as { revision: number };
    const saved = await api(t.app, ana, 'PATCH', `/consultations/${id}/draft`, { base: draft.revision, changes: changesFor(chileAnswers()) });
    expect(saved.statusCode, saved.body).toBe(200);
    const submitted = await api(t.app, ana, 'POST', `/consultations/${id}/submit`, { revision: saved.json().draft.revision });
    expect(submitted.statusCode, submitted.body).toBe(200);
    await tick();
    await drainOutbox(t, sink);

    const queried = await api(t.app, carol, 'POST', `/consultations/${id}/respondents/cl/queries`, { question: 'plan_year', text: '¿El plan de 2018 sigue vigente?' });
    expect(queried.statusCode, queried.body).toBe(201);
    const queryId = queried.json().review.queries[0].id as string;
    await tick();
    const query = await deliveredOnce(ana, 'Re: Inventario de operaciones 2027');
    expect(query.parsed.text).toContain('Hola, Ana Gómez:');
    expect(query.parsed.text).toContain('Carol Coordinator · Consultas sobre las respuestas de mi país');
    expect(query.parsed.text).toContain('¿El plan de 2018 sigue vigente?');
    expect(query.parsed.text).toContain(`/consultations/${id}`);
    await expectOneClick(query, 'Consultas sobre las respuestas de mi país');
    // Trinidad's delegation was not asked: nothing for Tom.
    expect(sink.to(tom.email)).toHaveLength(0);

    const replied = await api(t.app, ana, 'POST', `/consultations/${id}/respondents/cl/queries/${queryId}/messages`, { text: 'Sí, hasta 2030.' });
    expect(replied.statusCode, replied.body).toBe(201);
    await tick();
    const reply = await deliveredOnce(carol, 'Re: Inventory of operations 2027');
    expect(reply.parsed.text).toContain('Hello Carol Coordinator,');
    expect(reply.parsed.text).toContain('Ana Gómez · Replies to my queries on answers');
    expect(reply.parsed.text).toContain('Sí, hasta 2030.');
    await expectOneClick(reply, 'Replies to my queries on answers');
  });

  it('mails the reminder seven days before the deadline to each delegate that has not answered, once, with the deadline in their own zone', async () => {
    await setPreferences(ana, { consultation_opened: 'never' });
    await setPreferences(tom, { consultation_opened: 'never' });
    const created = await api(t.app, carol, 'POST', '/consultations', {
      title: { es: 'Cuestionario de censos', en: 'Census questionnaire' },
      deadline: { date: dateIn(10), time: '23:59', zone: 'America/Santiago' },
      targets: ['cl', 'tt'],
      questionnaire: fichaTecnica(),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().consultation.id as string;
    expect((await api(t.app, carol, 'POST', `/consultations/${id}/open`)).statusCode).toBe(200);
    const deadlineAt = Date.parse((await api(t.app, carol, 'GET', `/consultations/${id}`)).json().consultation.deadlineAt as string);
    await tick();
    await drainOutbox(t, sink);

    clock.set(deadlineAt - 7 * DAY + HOUR);
    await t.app.scheduler.runDue();
    const toAna = await deliveredOnce(ana, 'Recordatorio: Cuestionario de censos');
    expect(toAna.parsed.text).toContain('Hola, Ana Gómez:');
    const [anaDate, anaTime] = wallClock(new Date(deadlineAt).toISOString(), 'America/Mexico_City').split(' ');
    expect(toAna.parsed.text).toContain(`Su delegación aún no ha enviado su respuesta. El plazo vence el ${anaDate} a las ${anaTime} (su hora).`);
    const toTom = await deliveredOnce(tom, 'Reminder: Census questionnaire');
    expect(toTom.parsed.text).toContain('Hello Tom Baker,');
    const [tomDate, tomTime] = wallClock(new Date(deadlineAt).toISOString(), 'America/Port_of_Spain').split(' ');
    expect(tomTime).not.toBe(anaTime);
    expect(toTom.parsed.text).toContain(`Your delegation has not yet submitted its answer. The deadline is ${tomDate} at ${tomTime} (your time).`);
    for (const mail of [toAna, toTom]) expect(mail.parsed.text).toContain(`/consultations/${id}`);
    await expectOneClick(toAna, 'Recordatorios de consultas');
    await expectOneClick(toTom, 'Consultation reminders');
  });
});

describe('discrepancies: a case changes status', () => {
  it('mails the country\u2019s delegation (Spanish) and the staff (English) once, never the one who moved it nor another country', async () => {
    await setPreferences(ana, { discrepancy_status: 'immediately' });
    await setPreferences(carol, { discrepancy_status: 'immediately' });
    await setPreferences(tom, { discrepancy_status: 'immediately' });
    const imports = [
      await importFile(t.app, sergio.cookie, unsdCsv([unsdRow('152', 'Chile', 2010, '8.5')]), { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title: 'SDG Global Database 2026.Q2' }),
      await importFile(t.app, ana.cookie, nationalCsv([nationalRow('CHL', 2010, '7.4')]), { side: 'national', format: 'national_csv', title: 'Estadísticas vitales' }),
    ];
    for (const answer of imports) expect(answer.statusCode, answer.body).toBe(201);
    await tick();
    await drainOutbox(t, sink);
    const found = await caseOf(t.app, sergio.cookie, '4.1', 'cl', 2010);

    const moved = await request(t.app, { method: 'POST', url: `/api/discrepancies/cases/${found.id}/status`, cookie: sergio.cookie, payload: { to: 'under_review', note: 'Revisamos la serie de UNICEF.' } });
    expect(moved.statusCode, moved.body).toBe(200);
    await tick();
    const toAna = await deliveredOnce(ana, 'Cambios de estado de los casos de discrepancia: Indicador 4.1 · CHL · 2010');
    expect(toAna.parsed.text).toContain('Hola, Ana Gómez:');
    expect(toAna.parsed.text).toContain('Sergio Secretaría · Cambios de estado de los casos de discrepancia');
    expect(toAna.parsed.text).toContain('Revisamos la serie de UNICEF.');
    const toCarol = await deliveredOnce(carol, 'Status changes of discrepancy cases: Indicator 4.1 · CHL · 2010');
    expect(toCarol.parsed.text).toContain('Hello Carol Coordinator,');
    for (const mail of [toAna, toCarol]) expect(mail.parsed.text).toContain(`/discrepancies/cases/${found.id}`);
    await expectOneClick(toAna, 'Cambios de estado de los casos de discrepancia');
    await expectOneClick(toCarol, 'Status changes of discrepancy cases');
    // Sergio moved it; Tom's country has nothing to do with it.
    expect(sink.to(sergio.email)).toHaveLength(0);
    expect(sink.to(tom.email)).toHaveLength(0);
  });
});

describe('debates: a mention, at once', () => {
  it('mails a mention of me once, in my language, not in a digest', async () => {
    const general = await categoryId(t.app, admin, 'general');
    const mentionable = (await api(t.app, ana, 'GET', '/mentionable?q=tom')).json().people as Array<{ id: string; handle: string }>;
    const handle = mentionable.find((entry) => entry.id === tom.id)!.handle;
    const thread = await startThread(t.app, ana, { categoryId: general, title: 'Series de mortalidad', body: `¿Puedes revisar las cifras, @${handle}?` });
    await tick();
    const mention = await deliveredOnce(tom, 'Re: Series de mortalidad');
    expect(mention.parsed.text).toContain('Hello Tom Baker,');
    expect(mention.parsed.text).toContain('Ana Gómez · Mentions of me');
    expect(mention.parsed.text).toContain(`/debates/t/${thread.thread.id}`);
    await expectOneClick(mention, 'Mentions of me');
  });
});
