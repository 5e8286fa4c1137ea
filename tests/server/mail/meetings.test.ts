import ICAL from 'ical.js';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request, setUpGroup, type TestApp } from '../../helper.js';
import { freePort } from '../../support/free-port.js';
import { SmtpSink, type CapturedMail } from '../../support/smtp-sink.js';
import { meetingInput } from '../meetings/support.js';
import { addMailPerson, buildMailApp, drainOutbox, sleep } from './support.js';

const REPLY_DOMAIN = 'reply.concilia.example.org';

let sink: SmtpSink;
let t: TestApp;
let inboundPort: number;
let adminCookie: string;
let joana: Awaited<ReturnType<typeof addMailPerson>>;
let mateo: Awaited<ReturnType<typeof addMailPerson>>;

beforeAll(async () => {
  sink = await SmtpSink.start();
  inboundPort = await freePort();
  t = await buildMailApp({ SMTP_URL: sink.url, INBOUND_SMTP_PORT: String(inboundPort), MAIL_REPLY_DOMAIN: REPLY_DOMAIN });
  adminCookie = await setUpGroup(t.app);
  joana = await addMailPerson(t, sink, adminCookie, 'member', { countryId: 'cl' }, { displayName: 'Joana Silva' });
  const changed = await request(t.app, { method: 'PATCH', url: '/api/me', cookie: joana.cookie, payload: { locale: 'pt', timeZone: 'America/Sao_Paulo' } });
  expect(changed.statusCode).toBe(200);
  mateo = await addMailPerson(t, sink, adminCookie, 'member', { countryId: 'mx' }, { displayName: 'Mateo México' });
});

afterAll(async () => {
  await t.close();
  await sink.close();
});

beforeEach(() => sink.clear());

function calendarOf(mail: CapturedMail) {
  const part = mail.parsed.attachments.find((attachment) => attachment.contentType === 'text/calendar');
  if (!part) throw new Error(`no calendar part in ${mail.parsed.subject}`);
  const calendar = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
  return { calendar, event: calendar.getFirstSubcomponent('vevent')! };
}

async function createMeeting(overrides: Record<string, unknown> = {}) {
  const response = await request(t.app, { method: 'POST', url: '/api/meetings', cookie: adminCookie, payload: meetingInput({ startsAt: '2030-06-09T14:00:00.000Z', endsAt: '2030-06-09T15:30:00.000Z', invitees: { everyone: false, countryIds: ['cl'] }, ...overrides }) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().meeting as { id: string; sequence: number };
}

async function fileEvent(id: string) {
  const file = await request(t.app, { url: `/api/meetings/${id}/calendar.ics`, cookie: adminCookie });
  expect(file.statusCode).toBe(200);
  return new ICAL.Component(ICAL.parse(file.body)).getFirstSubcomponent('vevent')!;
}

describe('meeting invitations by mail', () => {
  it('mails the invitees (only them) an invitation in their language with an iTIP REQUEST carrying the .ics file\u2019s UID and SEQUENCE', async () => {
    const meeting = await createMeeting();
    const [mail] = await sink.waitFor(1);
    await sleep(300);
    expect(sink.messages).toHaveLength(1);
    expect(mail!.rcptTo).toEqual([joana.email]);
    expect(mail!.parsed.subject).toBe('Convite: Reunión mensual de coordinación');
    expect(mail!.parsed.text).toContain('Ana Admin convida você para “Reunión mensual de coordinación”.');
    // In her zone (São Paulo: 11:00 on 9 June 2030).
    expect(mail!.parsed.text).toMatch(/Quando: .*9 de junho de 2030.*11:00/);
    expect(mail!.raw.toString('utf8')).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);

    const { calendar, event } = calendarOf(mail!);
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    const file = await fileEvent(meeting.id);
    expect(event.getFirstPropertyValue('uid')).toBe(file.getFirstPropertyValue('uid'));
    expect(event.getFirstPropertyValue('sequence')).toBe(file.getFirstPropertyValue('sequence'));
    expect(event.getFirstPropertyValue('dtstart')!.toString()).toBe(file.getFirstPropertyValue('dtstart')!.toString());
    const attendee = event.getFirstProperty('attendee')!;
    expect(attendee.getFirstValue()).toBe(`mailto:${joana.email}`);
    expect(attendee.getParameter('rsvp')).toBe('TRUE');
    expect(attendee.getParameter('partstat')).toBe('NEEDS-ACTION');
    // The organizer is Joana's reply address for this meeting: her calendar's answer comes back.
    const organizer = String(event.getFirstPropertyValue('organizer'));
    expect(organizer).toMatch(new RegExp(`^mailto:reply\\+[a-z2-7]{32}@${REPLY_DOMAIN.replaceAll('.', '\\.')}$`));
  });

  it('sets the attendance from the calendar program\u2019s METHOD:REPLY, and refuses one from another sender', async () => {
    const meeting = await createMeeting({ title: 'Taller de metadatos' });
    const [mail] = await sink.waitFor(1);
    const { event } = calendarOf(mail!);
    const organizer = String(event.getFirstPropertyValue('organizer')).replace(/^mailto:/, '');
    const reply = (partstat: string) =>
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
        'METHOD:REPLY',
        'BEGIN:VEVENT',
        `UID:${event.getFirstPropertyValue('uid')}`,
        `SEQUENCE:${event.getFirstPropertyValue('sequence')}`,
        'DTSTAMP:20300601T101500Z',
        `ORGANIZER:mailto:${organizer}`,
        `ATTENDEE;CN=Joana Silva;PARTSTAT=${partstat}:mailto:${joana.email}`,
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
    const send = async (from: string, partstat: string) => {
      const client = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true, logger: false });
      try {
        return await client.sendMail({ from, to: organizer, subject: 'Aceito: Taller de metadatos', text: 'Joana aceitou.', icalEvent: { method: 'REPLY', content: reply(partstat) } });
      } finally {
        client.close();
      }
    };
    const attendance = async () => (await request(t.app, { url: `/api/meetings/${meeting.id}/attendance`, cookie: joana.cookie })).json().attendance;

    await drainOutbox(t, sink);
    // Mateo (not invited, another address) cannot answer for her: refused with an explanation.
    await send(mateo.email, 'DECLINED');
    const [bounce] = await sink.waitFor(1);
    expect(bounce!.rcptTo).toEqual([mateo.email]);
    expect((await attendance()).mine?.answer ?? null).toBeNull();

    await send(joana.email, 'ACCEPTED');
    expect((await attendance()).mine).toMatchObject({ answer: 'going' });
    await send(joana.email, 'TENTATIVE');
    expect((await attendance()).mine).toMatchObject({ answer: 'maybe' });
  });

  it('mails an iTIP CANCEL with a higher SEQUENCE when the meeting is cancelled', async () => {
    const meeting = await createMeeting({ title: 'Reunión que se cancela' });
    const [invitation] = await sink.waitFor(1);
    const invited = calendarOf(invitation!).event;
    sink.clear();
    const cancelled = await request(t.app, { method: 'POST', url: `/api/meetings/${meeting.id}/cancel`, cookie: adminCookie, payload: { reason: 'Se cruza con la Conferencia' } });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const [mail] = await sink.waitFor(1);
    expect(mail!.parsed.subject).toBe('Cancelada: Reunión que se cancela');
    expect(mail!.parsed.text).toContain('Motivo: Se cruza con la Conferencia');
    const { calendar, event } = calendarOf(mail!);
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.getFirstPropertyValue('uid')).toBe(invited.getFirstPropertyValue('uid'));
    expect(Number(event.getFirstPropertyValue('sequence'))).toBeGreaterThan(Number(invited.getFirstPropertyValue('sequence')));
  });

  it('sends nothing to someone who chose never for meeting mail', async () => {
    const stopped = await request(t.app, { method: 'PUT', url: '/api/mail/preferences', cookie: joana.cookie, payload: { kinds: { meeting_invitation: 'never' } } });
    expect(stopped.statusCode, stopped.body).toBe(200);
    await createMeeting({ title: 'Sin correo' });
    await sleep(500);
    expect(sink.messages).toHaveLength(0);
    await request(t.app, { method: 'PUT', url: '/api/mail/preferences', cookie: joana.cookie, payload: { kinds: { meeting_invitation: 'immediately' } } });
  });
});
