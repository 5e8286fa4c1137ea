import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InboundCalendarReply, InboundReply, ReplyOutcome } from '../../../server/plugins/mail/index.js';
import { REPLY_FIXTURES } from '../../fixtures/mail-replies.js';
import { addPerson, setUpGroup, type TestApp } from '../../helper.js';
import { freePort } from '../../support/free-port.js';
import { SmtpSink } from '../../support/smtp-sink.js';
import { addMailPerson, buildMailApp, defineTestKinds, sleep } from './support.js';

const REPLY_DOMAIN = 'reply.concilia.example.org';

let sink: SmtpSink;
let t: TestApp;
let inboundPort: number;
let ana: Awaited<ReturnType<typeof addPerson>>;
let tom: Awaited<ReturnType<typeof addPerson>>;
const replies: InboundReply[] = [];
const calendarReplies: InboundCalendarReply[] = [];
let decide: (reply: InboundReply) => Promise<ReplyOutcome> = async () => ({ accepted: true });

/** A real SMTP client, as the site's mail server would hand a reply on. */
async function deliver(message: { from: string; to: string; subject?: string; text?: string; html?: string; headers?: Record<string, string>; icalEvent?: { method: string; content: string }; envelopeFrom?: string | null; raw?: string }) {
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true, logger: false });
  try {
    return await client.sendMail({
      ...(message.raw ? { raw: message.raw, envelope: { from: message.envelopeFrom ?? message.from, to: [message.to] } } : {}),
      from: message.from,
      to: message.to,
      subject: message.subject ?? 'Re: Nueva respuesta',
      ...(message.text !== undefined ? { text: message.text } : {}),
      ...(message.html ? { html: message.html } : {}),
      ...(message.headers ? { headers: message.headers } : {}),
      ...(message.icalEvent ? { icalEvent: message.icalEvent } : {}),
      ...(message.envelopeFrom !== undefined && !message.raw ? { envelope: { from: message.envelopeFrom ?? '', to: [message.to] } } : {}),
    });
  } finally {
    client.close();
  }
}

/** The reply address the forum gives this person for this subject (as a notification's Reply-To carries it). */
async function replyAddress(userId: string, about: { kind: string; id: string }): Promise<string> {
  return (await t.app.unitOfWork.run((commit) => t.app.mail.replyAddressWithin(commit, userId, about)))!;
}

beforeAll(async () => {
  sink = await SmtpSink.start();
  inboundPort = await freePort();
  t = await buildMailApp({ SMTP_URL: sink.url, INBOUND_SMTP_PORT: String(inboundPort), MAIL_REPLY_DOMAIN: REPLY_DOMAIN, INBOUND_MAX_MB: '1' });
  defineTestKinds(t);
  t.app.mail.onReply('topic', async (reply) => {
    replies.push(reply);
    return decide(reply);
  });
  t.app.mail.onCalendarReply('event', async (reply) => {
    calendarReplies.push(reply);
    return { accepted: true };
  });
  const admin = await setUpGroup(t.app);
  ana = await addMailPerson(t, sink, admin, 'member', {}, { displayName: 'Ana Gómez', locale: 'es' });
  tom = await addMailPerson(t, sink, admin, 'observer', {}, { displayName: 'Tom Baker', locale: 'en' });
});

afterAll(async () => {
  await t.close();
  await sink.close();
});

beforeEach(() => {
  sink.clear();
  replies.length = 0;
  calendarReplies.length = 0;
  decide = async () => ({ accepted: true });
});

describe('replies by mail', () => {
  it('gives a notification about a subject a reply address of its recipient, which comes back to the handler', async () => {
    await t.app.mail.enqueue({ kind: 'reply', to: { userId: ana.id }, about: { kind: 'topic', id: 't-1' }, replyable: true, content: { subject: 'Nueva respuesta', blocks: [{ text: '¿Tenemos las cifras?' }] } });
    const [notice] = await sink.waitFor(1);
    const address = notice!.parsed.replyTo?.value[0]?.address ?? '';
    expect(address).toMatch(new RegExp(`^reply\\+[a-z2-7]{32}@${REPLY_DOMAIN.replaceAll('.', '\\.')}$`));
    expect(address).toBe(await replyAddress(ana.id, { kind: 'topic', id: 't-1' }));
    expect(notice!.parsed.text).toContain('Puede contestar respondiendo a este correo.');
    // Another subject, another person: other addresses.
    expect(await replyAddress(ana.id, { kind: 'topic', id: 't-2' })).not.toBe(address);
    expect(await replyAddress(tom.id, { kind: 'topic', id: 't-1' })).not.toBe(address);
    sink.clear();

    const sent = await deliver({ from: `Ana Gómez <${ana.email.toUpperCase()}>`, to: address, subject: 'Re: Nueva respuesta', text: `Sí, en el anexo.\n\nEl lun, 2 mar 2026 a las 10:15, Concilia <${address}> escribió:\n> ¿Tenemos las cifras?` });
    expect(sent.response).toMatch(/^250/);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ person: { userId: ana.id, address: ana.email, name: 'Ana Gómez', locale: 'es' }, about: { kind: 'topic', id: 't-1' }, text: 'Sí, en el anexo.', subject: 'Re: Nueva respuesta' });
    expect(replies[0]!.fullText).toContain('¿Tenemos las cifras?');
    await sleep(200);
    expect(sink.messages).toHaveLength(0);
  });

  it.each(REPLY_FIXTURES.filter((fixture) => fixture.language === 'es' || fixture.language === 'en').map((fixture) => [fixture.name, fixture] as const))(
    'removes the quoted history: %s',
    async (_name, fixture) => {
      const address = await replyAddress(ana.id, { kind: 'topic', id: 't-1' });
      await deliver({
        from: ana.email,
        to: address,
        ...(fixture.htmlOnly ? {} : { text: fixture.text(address) }),
        ...(fixture.html ? { html: fixture.html(address) } : {}),
      });
      expect(replies.map((reply) => reply.text)).toEqual([fixture.expected]);
    },
  );

  it('hands over attachments', async () => {
    const address = await replyAddress(ana.id, { kind: 'topic', id: 't-1' });
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true, logger: false });
    await client.sendMail({ from: ana.email, to: address, subject: 'Re: x', text: 'La tabla adjunta.', attachments: [{ filename: 'cuadro.csv', content: 'pais,valor\nCL,3\n', contentType: 'text/csv' }] });
    client.close();
    expect(replies[0]!.attachments).toEqual([{ filename: 'cuadro.csv', contentType: 'text/csv', size: 16, content: Buffer.from('pais,valor\nCL,3\n') }]);
  });

  it('bounces a reply from another address than the token\u2019s owner, in the sender\u2019s language, and places nothing', async () => {
    const address = await replyAddress(ana.id, { kind: 'topic', id: 't-1' });
    await deliver({ from: `Tom Baker <${tom.email}>`, to: address, subject: 'Re: Nueva respuesta', text: 'Forged words.' });
    expect(replies).toHaveLength(0);
    const [bounce] = await sink.waitFor(1);
    expect(bounce!.rcptTo).toEqual([tom.email]);
    expect(bounce!.parsed.subject).toBe('Not delivered: Re: Nueva respuesta');
    expect(bounce!.parsed.text).toContain('Hello Tom Baker,');
    expect(bounce!.parsed.text).toContain('This reply address belongs to another person');
    expect(bounce!.parsed.text).toContain('Forged words.');
    expect(bounce!.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(bounce!.raw.toString('utf8')).not.toMatch(/^List-Unsubscribe:/im);
  });

  it('bounces a reply to an unknown token, and refuses at RCPT an address that is no reply address', async () => {
    const unknown = `reply+${'q'.repeat(32)}@${REPLY_DOMAIN}`;
    await deliver({ from: ana.email, to: unknown, subject: 'Re: algo', text: 'Mi respuesta.' });
    const [bounce] = await sink.waitFor(1);
    expect(bounce!.rcptTo).toEqual([ana.email]);
    expect(bounce!.parsed.subject).toBe('No entregado: Re: algo');
    expect(bounce!.parsed.text).toContain('La dirección a la que escribió no es una que Concilia haya dado');
    expect(bounce!.parsed.text).toContain('Mi respuesta.');

    await expect(deliver({ from: ana.email, to: `someone@${REPLY_DOMAIN}`, text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
    await expect(deliver({ from: ana.email, to: `reply+${'q'.repeat(32)}@elsewhere.example.org`, text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
  });

  it('bounces a reply to a subject no feature takes replies for, and one the handler refuses, with the reason', async () => {
    await deliver({ from: ana.email, to: await replyAddress(ana.id, { kind: 'document', id: 'd-1' }), subject: 'Re: Informe', text: 'Nota.' });
    const [notTaken] = await sink.waitFor(1);
    expect(notTaken!.parsed.text).toContain('Este tipo de mensaje no admite respuestas por correo.');

    sink.clear();
    decide = async (reply) => (reply.about.id === 'locked' ? { accepted: false, reason: 'locked', message: { es: 'La cerró Luis el 1 de marzo.', en: 'Luis closed it on 1 March.', pt: 'Luis a fechou em 1º de março.', fr: 'Luis l’a fermée le 1er mars.' } } : { accepted: true });
    await deliver({ from: tom.email, to: await replyAddress(tom.id, { kind: 'topic', id: 'locked' }), subject: 'Re: Closed', text: 'My late answer.' });
    expect(replies).toHaveLength(1);
    const [locked] = await sink.waitFor(1);
    expect(locked!.rcptTo).toEqual([tom.email]);
    expect(locked!.parsed.text).toContain('The discussion is closed to new posts.');
    expect(locked!.parsed.text).toContain('Luis closed it on 1 March.');
    expect(locked!.parsed.text).toContain('My late answer.');
  });

  it('bounces a reply with no text of its own', async () => {
    await deliver({ from: ana.email, to: await replyAddress(ana.id, { kind: 'topic', id: 't-1' }), text: 'El lun, 2 mar 2026 a las 10:15, Concilia escribió:\n> Hola' });
    expect(replies).toHaveLength(0);
    const [bounce] = await sink.waitFor(1);
    expect(bounce!.parsed.text).toContain('No encontramos texto suyo en la respuesta');
  });

  it('answers automatic mail (out of office, bounces) with nothing', async () => {
    const address = await replyAddress(ana.id, { kind: 'topic', id: 't-1' });
    await deliver({ from: ana.email, to: address, text: 'Estoy fuera de la oficina.', headers: { 'Auto-Submitted': 'auto-replied' } });
    await deliver({ from: 'mailer-daemon@example.org', to: address, text: 'Delivery failed', envelopeFrom: null });
    await sleep(300);
    expect(replies).toHaveLength(0);
    expect(sink.messages).toHaveLength(0);
  });

  it('sends at most five bounces a day to one address', async () => {
    const stranger = `stranger-${randomBytes(3).toString('hex')}@example.org`;
    for (let i = 0; i < 7; i++) await deliver({ from: stranger, to: `reply+${'z'.repeat(32)}@${REPLY_DOMAIN}`, text: `Intento ${i}` });
    await sink.waitFor(5);
    await sleep(300);
    expect(sink.to(stranger)).toHaveLength(5);
  });

  it('refuses a message over INBOUND_MAX_MB at the SMTP level', async () => {
    const address = await replyAddress(ana.id, { kind: 'topic', id: 't-1' });
    await expect(deliver({ from: ana.email, to: address, text: 'x'.repeat(1_200_000) })).rejects.toMatchObject({ responseCode: 552 });
    expect(replies).toHaveLength(0);
  });

  it('answers 451 when a handler fails unexpectedly, so the sending server tries again', async () => {
    const address = await replyAddress(ana.id, { kind: 'topic', id: 't-1' });
    decide = async () => {
      throw new Error('database locked');
    };
    await expect(deliver({ from: ana.email, to: address, text: 'Primer intento.' })).rejects.toMatchObject({ responseCode: 451 });
    decide = async () => ({ accepted: true });
    await deliver({ from: ana.email, to: address, text: 'Primer intento.' });
    expect(replies.map((reply) => reply.text)).toEqual(['Primer intento.', 'Primer intento.']);
    expect(sink.messages).toHaveLength(0);
  });

  it('hands a calendar program\u2019s METHOD:REPLY to the calendar handler', async () => {
    const address = await replyAddress(ana.id, { kind: 'event', id: 'meeting-42' });
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
      'METHOD:REPLY',
      'BEGIN:VEVENT',
      'UID:meeting-42@concilia.example.org',
      'RECURRENCE-ID:20260310T140000Z',
      'SEQUENCE:3',
      'DTSTAMP:20260302T101500Z',
      'DTSTART:20260310T140000Z',
      `ORGANIZER;CN=Concilia:mailto:${address}`,
      `ATTENDEE;CN=Ana Gómez;PARTSTAT=ACCEPTED:mailto:${ana.email}`,
      'COMMENT:Llego 10 minutos tarde',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await deliver({ from: ana.email, to: address, subject: 'Aceptado: Taller de indicadores', text: 'Ana Gómez ha aceptado esta invitación.', icalEvent: { method: 'REPLY', content: ics } });
    expect(replies).toHaveLength(0);
    expect(calendarReplies).toEqual([
      {
        person: { userId: ana.id, address: ana.email, name: 'Ana Gómez', locale: 'es' },
        about: { kind: 'event', id: 'meeting-42' },
        uid: 'meeting-42@concilia.example.org',
        recurrenceId: '2026-03-10T14:00:00.000Z',
        sequence: 3,
        attendees: [{ address: ana.email, name: 'Ana Gómez', partstat: 'ACCEPTED' }],
        comment: 'Llego 10 minutos tarde',
      },
    ]);
  });
});
