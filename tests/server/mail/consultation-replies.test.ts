import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addPerson, request, setUpGroup, type TestApp } from '../../helper.js';
import { freePort } from '../../support/free-port.js';
import { SmtpSink, type CapturedMail } from '../../support/smtp-sink.js';
import { chileAnswers, fichaTecnica } from '../consultations/fixtures.js';
import { changesFor } from '../consultations/support.js';
import { api, type Participant } from '../debates/support.js';
import { myId } from '../support.js';
import { buildMailApp, drainOutbox, sleep } from './support.js';

/**
 * Answers by e-mail to a consultation's notices (issue 17): a delegate's reply to a query becomes
 * the delegation's message in that query, and the organizer who asked is told; a reply to a notice
 * with no query waiting is kept as a note beside the delegation's draft, never submitted; the
 * sender is told by mail where it went, in their language; a forged sender is refused. All through
 * the real listener (smtp-server, mailparser) and a real SMTP server receiving what the forum sends.
 */

const REPLY_DOMAIN = 'reply.concilia.example.org';
const MINUTE = 60_000;

let sink: SmtpSink;
let t: TestApp;
let inboundPort: number;
type Person = Participant & { email: string };
let admin: Participant;
let carol: Person; // coordinator, English
let ana: Person; // Chile, Spanish
let tom: Person; // Trinidad and Tobago, English

async function person(role: 'member' | 'coordinator', affiliation: { countryId?: string }, displayName: string, locale: 'es' | 'en'): Promise<Person> {
  const added = await addPerson(t.app, admin.cookie, role, affiliation, { displayName, locale });
  return { id: added.id, cookie: added.cookie, email: added.email };
}

/** A reply as the site's mail server hands it to the inbound listener. */
async function deliver(from: string, to: string, text: string, messageId?: string) {
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true, logger: false });
  try {
    return await client.sendMail({ from, to, subject: 'Re: consulta', text, ...(messageId ? { messageId } : {}) });
  } finally {
    client.close();
  }
}

const tick = () => t.app.noticeMail.runDue(new Date(Date.now() + 2 * MINUTE));

/** The one mail with this subject to `who` (waiting for it), and its reply address. */
async function noticeTo(who: Person, subject: string): Promise<{ mail: CapturedMail; replyTo: string }> {
  await tick();
  const [mail] = await sink.waitFor(1, { filter: (m) => m.rcptTo.includes(who.email) && m.parsed.subject === subject });
  const replyTo = mail!.parsed.replyTo?.value[0]?.address ?? '';
  expect(replyTo).toMatch(new RegExp(`^reply\\+[a-z2-7]{32}@${REPLY_DOMAIN.replaceAll('.', '\\.')}$`));
  return { mail: mail!, replyTo };
}

async function openConsultation(title: { es: string; en: string }, targets: string[]) {
  const created = await api(t.app, carol, 'POST', '/consultations', {
    title,
    deadline: { date: new Date(Date.now() + 30 * 24 * 60 * MINUTE).toISOString().slice(0, 10), time: '23:59', zone: 'America/Santiago' },
    targets,
    questionnaire: fichaTecnica(),
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().consultation.id as string;
  const opened = await api(t.app, carol, 'POST', `/consultations/${id}/open`);
  expect(opened.statusCode, opened.body).toBe(200);
  return id;
}

async function submitChile(id: string) {
  const draft = (await api(t.app, ana, 'GET', `/consultations/${id}/draft`)).json().draft as { revision: number };
  const saved = await api(t.app, ana, 'PATCH', `/consultations/${id}/draft`, { base: draft.revision, changes: changesFor(chileAnswers()) });
  expect(saved.statusCode, saved.body).toBe(200);
  const submitted = await api(t.app, ana, 'POST', `/consultations/${id}/submit`, { revision: saved.json().draft.revision });
  expect(submitted.statusCode, submitted.body).toBe(200);
}

const queriesOn = async (id: string, question: string) => {
  const seen = (await api(t.app, carol, 'GET', `/consultations/${id}/respondents/cl`)).json() as { reviews: Array<{ question: string; queries: Array<{ id: string; messages: Array<{ side: string; by: { id: string }; text: string }> }> }> };
  return seen.reviews.find((review) => review.question === question)?.queries ?? [];
};

beforeAll(async () => {
  sink = await SmtpSink.start();
  inboundPort = await freePort();
  t = await buildMailApp({ SMTP_URL: sink.url, INBOUND_SMTP_PORT: String(inboundPort), MAIL_REPLY_DOMAIN: REPLY_DOMAIN });
  const adminCookie = await setUpGroup(t.app);
  admin = { id: await myId(t.app, adminCookie), cookie: adminCookie };
  carol = await person('coordinator', {}, 'Carol Coordinator', 'en');
  ana = await person('member', { countryId: 'cl' }, 'Ana Gómez', 'es');
  tom = await person('member', { countryId: 'tt' }, 'Tom Baker', 'en');
  for (const who of [carol, ana, tom]) {
    const response = await request(t.app, { method: 'PUT', url: '/api/mail/preferences', cookie: who.cookie, payload: { kinds: { consultation_opened: 'immediately', consultation_query: 'immediately', consultation_reply: 'immediately' } } });
    expect(response.statusCode, response.body).toBe(200);
  }
  await drainOutbox(t, sink);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

beforeEach(async () => {
  await tick();
  await drainOutbox(t, sink);
});

describe('answers by e-mail to a consultation', () => {
  it('turns a delegate\u2019s reply to a query into the delegation\u2019s message in it, tells the organizer, and confirms to the sender in Spanish; nothing is submitted', async () => {
    const id = await openConsultation({ es: 'Inventario de operaciones', en: 'Inventory of operations' }, ['cl']);
    await submitChile(id);
    const submissionsBefore = (await api(t.app, ana, 'GET', `/consultations/${id}/draft`)).json().position.submissions as number;
    await tick();
    await drainOutbox(t, sink);
    const asked = await api(t.app, carol, 'POST', `/consultations/${id}/respondents/cl/queries`, { question: 'plan_year', text: '¿El plan de 2018 sigue vigente?' });
    expect(asked.statusCode, asked.body).toBe(201);
    const { replyTo } = await noticeTo(ana, 'Re: Inventario de operaciones');
    sink.clear();

    const sent = await deliver(`Ana Gómez <${ana.email}>`, replyTo, `Sí, sigue vigente hasta 2030.\n\n--\nAna Gómez\nINE Chile\n\nEl lun, 2 mar 2026 a las 10:15, Concilia escribió:\n> ¿El plan de 2018 sigue vigente?`);
    expect(sent.response).toMatch(/^250/);
    const [query] = await queriesOn(id, 'plan_year');
    expect(query!.messages.map((message) => [message.side, message.by.id, message.text])).toEqual([
      ['organizer', carol.id, '¿El plan de 2018 sigue vigente?'],
      ['respondent', ana.id, 'Sí, sigue vigente hasta 2030.'],
    ]);
    // Not a submission, not a change of the answers.
    expect((await api(t.app, ana, 'GET', `/consultations/${id}/draft`)).json().position.submissions).toBe(submissionsBefore);

    // Ana is told where it went, in Spanish, once.
    const [confirmation] = await sink.waitFor(1, { filter: (mail) => mail.rcptTo.includes(ana.email) });
    expect(confirmation!.parsed.subject).toBe('Re: Inventario de operaciones');
    expect(confirmation!.parsed.text).toContain('Hola, Ana Gómez:');
    expect(confirmation!.parsed.text).toMatch(/Su respuesta se agregó a la consulta sobre «[^»]+»/);
    expect(confirmation!.parsed.text).toContain('Sí, sigue vigente hasta 2030.');
    // Carol, who asked, is told of the reply (by mail, in English), and can answer it by mail too.
    const { replyTo: carolReplyTo } = await noticeTo(carol, 'Re: Inventory of operations');
    sink.clear();
    expect((await deliver(carol.email, carolReplyTo, 'Gracias, queda aceptado así.\n\nOn Mon, Mar 2, 2026 at 10:15 AM Concilia wrote:\n> Sí, sigue vigente hasta 2030.')).response).toMatch(/^250/);
    const [after] = await queriesOn(id, 'plan_year');
    expect(after!.messages.at(-1)).toMatchObject({ side: 'organizer', by: { id: carol.id }, text: 'Gracias, queda aceptado así.' });
    const [toCarol] = await sink.waitFor(1, { filter: (mail) => mail.rcptTo.includes(carol.email) });
    expect(toCarol!.parsed.text).toContain('Your reply was added to the query on');
    await sleep(200);
    expect(sink.to(ana.email).filter((mail) => mail.parsed.subject?.startsWith('Re: ') && mail.parsed.text?.includes('Su respuesta'))).toHaveLength(0);
  });

  it('answers the query the reply quotes when two wait for the delegation; an organizer\u2019s reply with no delegation\u2019s message waiting is bounced with the reason', async () => {
    const id = await openConsultation({ es: 'Ficha de fuentes', en: 'Sources sheet' }, ['cl']);
    await submitChile(id);
    await tick();
    await drainOutbox(t, sink);
    for (const [question, text] of [['plan_year', '¿El plan de 2018 sigue vigente?'], ['coverage', '¿La cobertura de 99,5 % incluye las zonas rurales?']] as const) {
      const asked = await api(t.app, carol, 'POST', `/consultations/${id}/respondents/cl/queries`, { question, text });
      expect(asked.statusCode, asked.body).toBe(201);
    }
    const { replyTo } = await noticeTo(ana, 'Re: Ficha de fuentes');
    sink.clear();
    // Her mail program quotes the first query (the plan), though the coverage one came last.
    await deliver(ana.email, replyTo, 'Sí, hasta 2030.\n\nEl lun, 2 mar 2026 a las 10:15, Concilia escribió:\n> Carol Coordinator · Consultas sobre las respuestas de mi país\n> ¿El plan de 2018 sigue\n> vigente?');
    expect((await queriesOn(id, 'plan_year'))[0]!.messages.at(-1)).toMatchObject({ side: 'respondent', text: 'Sí, hasta 2030.' });
    expect((await queriesOn(id, 'coverage'))[0]!.messages).toHaveLength(1);
    await sink.waitFor(1, { filter: (mail) => mail.rcptTo.includes(ana.email) });
    sink.clear();

    // Carol resolves the plan's query; then a reply of hers by mail has no delegation's message to answer: bounced, with why, her text back.
    const planQuery = (await queriesOn(id, 'plan_year'))[0]!;
    expect((await api(t.app, carol, 'POST', `/consultations/${id}/respondents/cl/queries/${planQuery.id}/resolve`)).statusCode).toBe(200);
    const carolAddress = (await t.app.unitOfWork.run((commit) => t.app.mail.replyAddressWithin(commit, carol.id, { kind: 'consultation', id })))!;
    await deliver(carol.email, carolAddress, 'Recordatorio: falta la cobertura.');
    const [bounce] = await sink.waitFor(1, { filter: (mail) => mail.rcptTo.includes(carol.email) });
    expect(bounce!.parsed.text).toContain('No reply from a delegation is waiting for you');
    expect(bounce!.parsed.text).toContain('Recordatorio: falta la cobertura.');
    expect((await queriesOn(id, 'coverage'))[0]!.messages).toHaveLength(1);
  });

  it('keeps a reply to the opening notice as a note beside the delegation\u2019s draft (English), seen by the delegation only, never submitted, once even if handed over twice', async () => {
    const id = await openConsultation({ es: 'Cuestionario de censos', en: 'Census questionnaire' }, ['cl', 'tt']);
    const { replyTo } = await noticeTo(tom, 'Re: Census questionnaire');
    sink.clear();
    const before = (await api(t.app, tom, 'GET', `/consultations/${id}/draft`)).json() as { draft: { revision: number; answers: object }; position: { status: string; submissions: number } };

    const messageId = `<reply-${Date.now()}@cso.gov.tt>`;
    for (let i = 0; i < 2; i++) {
      const sent = await deliver(`Tom Baker <${tom.email}>`, replyTo, 'Our census office will answer by Friday; the 2021 round was postponed.\n\nOn Mon, Mar 2, 2026 at 10:15 AM Concilia wrote:\n> Census questionnaire', messageId);
      expect(sent.response).toMatch(/^250/);
    }
    const after = (await api(t.app, tom, 'GET', `/consultations/${id}/draft`)).json() as typeof before & { mailNotes: Array<{ by: { id: string; displayName: string }; text: string; at: string }> };
    expect(after.mailNotes).toHaveLength(1);
    expect(after.mailNotes[0]).toMatchObject({ by: { id: tom.id, displayName: 'Tom Baker' }, text: 'Our census office will answer by Friday; the 2021 round was postponed.' });
    // A note, not an answer: the draft and the position are as they were.
    expect(after.draft.revision).toBe(before.draft.revision);
    expect(after.draft.answers).toEqual(before.draft.answers);
    expect(after.position).toMatchObject({ status: before.position.status, submissions: 0 });
    // Chile's delegation does not see Trinidad's note; the organizers do not read drafts.
    expect((await api(t.app, ana, 'GET', `/consultations/${id}/draft`)).json().mailNotes).toEqual([]);
    expect((await api(t.app, carol, 'GET', `/consultations/${id}/draft`)).statusCode).toBe(403);

    const [confirmation] = await sink.waitFor(1, { filter: (mail) => mail.rcptTo.includes(tom.email) });
    expect(confirmation!.parsed.subject).toBe('Re: Census questionnaire');
    expect(confirmation!.parsed.text).toContain('Hello Tom Baker,');
    expect(confirmation!.parsed.text).toContain('Your reply was kept as a note beside your delegation’s draft answer. It is not one of the answers and nothing was submitted');
    await sleep(300);
    expect(sink.to(tom.email)).toHaveLength(1);
  });

  it('refuses a reply from another sender than the address\u2019s owner: a bounce to the forger, nothing kept', async () => {
    const id = await openConsultation({ es: 'Consulta de precios', en: 'Price survey' }, ['cl']);
    const { replyTo } = await noticeTo(ana, 'Re: Consulta de precios');
    sink.clear();
    const sent = await deliver(`Tom Baker <${tom.email}>`, replyTo, 'Escrito por otro.');
    expect(sent.response).toMatch(/^250/);
    const [bounce] = await sink.waitFor(1);
    expect(bounce!.rcptTo).toEqual([tom.email]);
    expect(bounce!.parsed.text).toContain('Escrito por otro.');
    expect((await api(t.app, ana, 'GET', `/consultations/${id}/draft`)).json().mailNotes).toEqual([]);
    await sleep(200);
    expect(sink.to(ana.email)).toHaveLength(0);
  });
});
