import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addPerson, request, setUpGroup, type TestApp } from '../../helper.js';
import { freePort } from '../../support/free-port.js';
import { SmtpSink } from '../../support/smtp-sink.js';
import { myId } from '../support.js';
import { api, categoryId, reply, startThread, type Participant } from '../debates/support.js';
import { buildMailApp, drainOutbox, sleep } from './support.js';
import { countingLoopTurns } from '../../support/loop-turns.js';

let sink: SmtpSink;
let t: TestApp;
let admin: Participant;
let ana: Participant & { email: string };
let luis: Participant & { email: string };
let category: string;
let inboundPort: number;

/** A reply as the site's mail server hands it to the inbound listener. */
async function deliver(from: string, to: string, text: string, attachments: Array<{ filename: string; content: Buffer | string; contentType: string }> = []) {
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true, logger: false });
  try {
    return await client.sendMail({ from, to, subject: 'Re: Metadatos', text, attachments });
  } finally {
    client.close();
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  sink = await SmtpSink.start();
  inboundPort = await freePort();
  t = await buildMailApp({ SMTP_URL: sink.url, INBOUND_SMTP_PORT: String(inboundPort), MAIL_REPLY_DOMAIN: 'reply.concilia.example.org', MAX_UPLOAD_MB: '1' });
  const adminCookie = await setUpGroup(t.app);
  admin = { id: await myId(t.app, adminCookie), cookie: adminCookie };
  const added = await addPerson(t.app, adminCookie, 'member', { countryId: 'cl' }, { displayName: 'Ana Gómez', locale: 'es' });
  ana = { id: added.id, cookie: added.cookie, email: added.email };
  const other = await addPerson(t.app, adminCookie, 'member', { countryId: 'br' }, { displayName: 'Luis Souza', locale: 'en' });
  luis = { id: other.id, cookie: other.cookie, email: other.email };
  // Ana lives in Santiago (UTC-3 in December).
  await request(t.app, { method: 'PATCH', url: '/api/me', cookie: ana.cookie, payload: { timeZone: 'America/Santiago' } });
  category = await categoryId(t.app, admin, 'general');
  await drainOutbox(t, sink);
});

afterAll(async () => {
  await t.close();
  await sink.close();
});

beforeEach(async () => {
  await t.app.noticeMail.runDue(new Date(Date.now() + 365 * 24 * HOUR));
  await drainOutbox(t, sink);
});

const setPreferences = async (who: Participant, change: Record<string, unknown>) => {
  const response = await request(t.app, { method: 'PUT', url: '/api/mail/preferences', cookie: who.cookie, payload: change });
  expect(response.statusCode, response.body).toBe(200);
};

/** Ana opens a thread; Luis answers her post: she gets a 'reply' notification. */
async function luisRepliesToAna(title: string, text = 'Tenemos las cifras de 2024.') {
  const thread = await startThread(t.app, ana, { categoryId: category, title });
  await reply(t.app, luis, thread.thread.id, text, thread.post.id);
  return thread;
}

describe('notifications by e-mail', () => {
  it('mails a reply once, in the recipient\u2019s language, after a short wait, with a link and a one-click unsubscribe', async () => {
    await setPreferences(ana, { kinds: { reply: 'immediately' } });
    const thread = await luisRepliesToAna('Metadatos de pobreza');
    // Not at once: what she reads in the forum in the next minute is not mailed.
    expect(await t.app.noticeMail.runDue(new Date())).toEqual({ mailed: 0, digests: 0 });
    expect(await t.app.noticeMail.runDue(new Date(Date.now() + 2 * MINUTE))).toMatchObject({ mailed: 1 });
    const [mail] = await sink.waitFor(1);
    expect(mail!.rcptTo).toEqual([ana.email]);
    expect(mail!.parsed.subject).toBe('Re: Metadatos de pobreza');
    expect(mail!.parsed.text).toContain('Hola, Ana Gómez:');
    expect(mail!.parsed.text).toContain('Luis Souza · Respuestas a mis mensajes');
    expect(mail!.parsed.text).toContain('Tenemos las cifras de 2024.');
    expect(mail!.parsed.text).toContain(`/debates/t/${thread.thread.id}`);
    expect(mail!.raw.toString('utf8')).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(String(mail!.parsed.inReplyTo)).toContain(`subject.thread.${thread.thread.id}@`);
    // Taken once: a second run mails nothing more.
    expect(await t.app.noticeMail.runDue(new Date(Date.now() + 3 * MINUTE))).toEqual({ mailed: 0, digests: 0 });
    await sleep(200);
    expect(sink.messages).toHaveLength(1);
  });

  it('gives the event loop a turn between one mail and the next, so a backlog does not hold requests up', async () => {
    // A backlog (a server started after a busy day, a seeded forum) was mailed in one turn: each
    // mail's commit resumed the loop that wrote the next, so no request was read for seconds.
    await setPreferences(ana, { kinds: { reply: 'immediately' } });
    const thread = await startThread(t.app, ana, { categoryId: category, title: 'Serie de pobreza' });
    const replies = 8;
    for (let i = 0; i < replies; i += 1) await reply(t.app, luis, thread.thread.id, `Cifra revisada ${i}.`, thread.post.id);
    const { result, turns } = await countingLoopTurns(() => t.app.noticeMail.runDue(new Date(Date.now() + 2 * MINUTE)));
    expect(result.mailed).toBe(replies);
    // One turn of the loop at least per mail (a request waiting would have been read in each).
    expect(turns).toBeGreaterThanOrEqual(replies);
    await drainOutbox(t, sink);
  });

  it('mails nothing for what the person read in the forum before it was due', async () => {
    await setPreferences(ana, { kinds: { reply: 'immediately' } });
    await luisRepliesToAna('Leído a tiempo');
    const read = await api(t.app, ana, 'POST', '/notifications/read', { all: true });
    expect(read.statusCode).toBe(200);
    expect(await t.app.noticeMail.runDue(new Date(Date.now() + 2 * MINUTE))).toEqual({ mailed: 0, digests: 0 });
    await sleep(300);
    expect(sink.messages).toHaveLength(0);
  });

  it('mails nothing of a kind the person chose never to get', async () => {
    await setPreferences(ana, { kinds: { reply: 'never' } });
    await luisRepliesToAna('Sin correo');
    expect(await t.app.noticeMail.runDue(new Date(Date.now() + 2 * MINUTE))).toEqual({ mailed: 0, digests: 0 });
  });

  it('gathers a day in one digest at the person\u2019s hour in their zone, grouped by kind, once; and skips a day with nothing unread', async () => {
    await setPreferences(ana, { digestHour: 9, kinds: { reply: 'digest', mention: 'digest' } });
    // Tomorrow at 08:30 and 09:30 in Santiago (UTC-3).
    const day = new Date(Date.now() + 24 * HOUR);
    const santiago = (hour: number, minute: number, dayOffset = 0) => {
      const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Santiago', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(day.getTime() + dayOffset * 24 * HOUR));
      return new Date(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00-03:00`);
    };
    await luisRepliesToAna('Cuadro de pobreza');
    await startThread(t.app, luis, { categoryId: category, title: 'Consulta abierta', body: '¿Lo revisas, @ana.gomez?' });
    await luisRepliesToAna('Cuadro de empleo', 'Faltan los datos de Bolivia.');

    expect(await t.app.noticeMail.runDue(santiago(8, 30))).toEqual({ mailed: 0, digests: 0 });
    expect(await t.app.noticeMail.runDue(santiago(9, 30))).toEqual({ mailed: 0, digests: 1 });
    const [digest] = await sink.waitFor(1);
    expect(digest!.rcptTo).toEqual([ana.email]);
    expect(digest!.parsed.subject).toBe('Concilia: 3 notificaciones nuevas hoy');
    const text = digest!.parsed.text!;
    // Grouped by kind (replies, then mentions: the order the debates define them), oldest first.
    const order = ['Respuestas a mis mensajes', 'Cuadro de pobreza (Luis Souza)', 'Cuadro de empleo (Luis Souza)', 'Menciones de mí', 'Consulta abierta (Luis Souza)'].map((part) => text.indexOf(part));
    expect(order.every((index) => index >= 0), text).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    // Once a day.
    await luisRepliesToAna('Después del resumen');
    expect(await t.app.noticeMail.runDue(santiago(15, 0))).toEqual({ mailed: 0, digests: 0 });
    // The next day it goes out with what is still unread; read in the forum meanwhile, nothing at all.
    await api(t.app, ana, 'POST', '/notifications/read', { all: true });
    expect(await t.app.noticeMail.runDue(santiago(9, 30, 1))).toEqual({ mailed: 0, digests: 0 });
    await sleep(300);
    expect(sink.messages).toHaveLength(1);
  });

  it('posts a reply by mail in the thread as its author, without the quoted text; a forged sender is refused', async () => {
    await setPreferences(ana, { kinds: { reply: 'immediately' } });
    const thread = await luisRepliesToAna('Respuesta por correo');
    await t.app.noticeMail.runDue(new Date(Date.now() + 2 * MINUTE));
    const [mail] = await sink.waitFor(1);
    const replyTo = mail!.parsed.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(/^reply\+[a-z2-7]+@reply\.concilia\.example\.org$/);
    sink.clear();

    // Luis cannot post as Ana with her reply address.
    await deliver(luis.email, replyTo, 'Escrito por otro.');
    const [bounce] = await sink.waitFor(1);
    expect(bounce!.rcptTo).toEqual([luis.email]);

    const sent = await deliver(`Ana Gómez <${ana.email}>`, replyTo, `Gracias, las reviso hoy.\n\n--\nAna Gómez\nINE Chile\n\nEl lun, 2 mar 2026 a las 10:15, Concilia escribió:\n> Tenemos las cifras de 2024.`);
    expect(sent.response).toMatch(/^250/);
    const posts = (await api(t.app, admin, 'GET', `/threads/${thread.thread.id}/posts`)).json().items as Array<{ author: { id: string }; html: string }>;
    const last = posts[posts.length - 1]!;
    expect(last.author.id).toBe(ana.id);
    expect(last.html).toBe('<p>Gracias, las reviso hoy.</p>\n');
    expect(posts.some((post) => post.html.includes('Escrito por otro'))).toBe(false);
  });

  it('keeps a reply\u2019s attachments through the upload checks, on the new post; a refused one bounces, named, and posts nothing', async () => {
    await setPreferences(ana, { kinds: { reply: 'immediately' } });
    const thread = await luisRepliesToAna('Cuadros adjuntos');
    await t.app.noticeMail.runDue(new Date(Date.now() + 2 * MINUTE));
    const [mail] = await sink.waitFor(1);
    const replyTo = mail!.parsed.replyTo?.value[0]?.address ?? '';
    sink.clear();
    const postsOf = async () => (await api(t.app, admin, 'GET', `/threads/${thread.thread.id}/posts`)).json().items as Array<{ author: { id: string }; html: string; attachments: Array<{ id: string; fileName: string; mime: string; size: number }> }>;
    const before = (await postsOf()).length;

    // A program renamed to .pdf, an executable, and a file over the upload limit (1 MB here): each refused by name, nothing posted.
    const refusals: Array<[{ filename: string; content: Buffer | string; contentType: string }, string]> = [
      [{ filename: 'informe.pdf', content: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff'.repeat(40), 'latin1'), contentType: 'application/pdf' }, '«informe.pdf»: su contenido no corresponde a su extensión.'],
      [{ filename: 'macro.exe', content: 'not a program', contentType: 'application/octet-stream' }, '«macro.exe»: no se aceptan archivos de este tipo.'],
      [{ filename: 'series-largas.csv', content: 'pais,valor\n'.repeat(110_000), contentType: 'text/csv' }, '«series-largas.csv» supera el límite de 1 MB.'],
    ];
    for (const [attachment, named] of refusals) {
      await deliver(`Ana Gómez <${ana.email}>`, replyTo, 'Adjunto el cuadro.', [{ filename: 'cuadro.csv', content: 'pais,valor\nCL,3\n', contentType: 'text/csv' }, attachment]);
      const [bounce] = await sink.waitFor(1);
      expect(bounce!.rcptTo).toEqual([ana.email]);
      expect(bounce!.parsed.text).toContain('Un adjunto no pudo aceptarse, así que no se publicó nada.');
      expect(bounce!.parsed.text).toContain(named);
      expect(bounce!.parsed.text).toContain('Adjunto el cuadro.');
      sink.clear();
    }
    expect((await postsOf()).length).toBe(before);

    // Accepted ones are kept, on the post, and download as sent.
    const sent = await deliver(`Ana Gómez <${ana.email}>`, replyTo, 'Adjunto el cuadro y la nota.', [
      { filename: 'cuadro.csv', content: 'pais,valor\nCL,3\n', contentType: 'text/csv' },
      { filename: 'nota metodológica.txt', content: 'Fuente: encuesta de hogares 2024.', contentType: 'text/plain' },
    ]);
    expect(sent.response).toMatch(/^250/);
    const posts = await postsOf();
    expect(posts).toHaveLength(before + 1);
    const last = posts[posts.length - 1]!;
    expect(last.author.id).toBe(ana.id);
    expect(last.html).toBe('<p>Adjunto el cuadro y la nota.</p>\n');
    expect(last.attachments.map((file) => [file.fileName, file.mime, file.size])).toEqual([
      ['cuadro.csv', 'text/csv; charset=utf-8', 16],
      ['nota metodológica.txt', 'text/plain; charset=utf-8', 33],
    ]);
    const download = await api(t.app, luis, 'GET', `/attachments/${last.attachments[0]!.id}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('pais,valor\nCL,3\n');
    await sleep(200);
    expect(sink.to(ana.email)).toHaveLength(0);
  });
});

describe('notifications by e-mail, for a person of two groups', () => {
  it('mails what happens in their second group, linked under its address, and takes the reply there', async () => {
    await setPreferences(ana, { kinds: { reply: 'immediately' } });
    // Ana also administers a second group, which the instance's administrator creates for her.
    const created = await request(t.app, { method: 'POST', url: '/api/instance/groups', cookie: admin.cookie, payload: { slug: 'censos', name: 'Grupo de censos', adminEmail: ana.email } });
    expect(created.statusCode, created.body).toBe(201);
    const inCensos = { 'x-concilia-group': 'censos' };
    const censosCategory = (await request(t.app, { url: '/api/categories', cookie: admin.cookie, headers: inCensos })).json().items[0].id as string;
    const opened = await request(t.app, { method: 'POST', url: '/api/threads', cookie: ana.cookie, headers: inCensos, payload: { categoryId: censosCategory, title: 'Boleta censal', body: 'Primera versión.' } });
    expect(opened.statusCode, opened.body).toBe(201);
    const { thread, post } = opened.json() as { thread: { id: string }; post: { id: string } };
    const answered = await request(t.app, { method: 'POST', url: `/api/threads/${thread.id}/posts`, cookie: admin.cookie, headers: inCensos, payload: { body: 'Revisemos la pregunta 4.', parentId: post.id } });
    expect(answered.statusCode, answered.body).toBe(201);

    expect(await t.app.noticeMail.runDue(new Date(Date.now() + 2 * MINUTE))).toMatchObject({ mailed: 1 });
    const [mail] = await sink.waitFor(1);
    expect(mail!.rcptTo).toEqual([ana.email]);
    expect(mail!.parsed.subject).toBe('Re: Boleta censal');
    // Her first group is the other one: the link names this group's address.
    expect(mail!.parsed.text).toContain(`/g/censos/debates/t/${thread.id}`);
    const replyTo = mail!.parsed.replyTo?.value[0]?.address ?? '';
    sink.clear();

    const sent = await deliver(`Ana Gómez <${ana.email}>`, replyTo, 'La ajusto hoy.');
    expect(sent.response).toMatch(/^250/);
    const posts = (await request(t.app, { url: `/api/threads/${thread.id}/posts`, cookie: admin.cookie, headers: inCensos })).json().items as Array<{ author: { id: string }; html: string }>;
    expect(posts.at(-1)).toMatchObject({ author: { id: ana.id }, html: '<p>La ajusto hoy.</p>\n' });
  });
});

describe('notifications by e-mail, when the server stops', () => {
  it('stops a run between two mails and lets the database close, leaving what is left for the next start', async () => {
    // Mailed one per turn, a backlog's run outlived the app's close: the next mail found the
    // database closed.
    const own = await buildMailApp({});
    const ownAdmin = await setUpGroup(own.app);
    const author = await addPerson(own.app, ownAdmin, 'member', { countryId: 'cl' }, { displayName: 'Marta Ruiz', locale: 'es' });
    const replier = await addPerson(own.app, ownAdmin, 'member', { countryId: 'mx' }, { displayName: 'Pablo Díaz', locale: 'es' });
    const authorP = { id: author.id, cookie: author.cookie };
    const replierP = { id: replier.id, cookie: replier.cookie };
    await request(own.app, { method: 'PUT', url: '/api/mail/preferences', cookie: author.cookie, payload: { kinds: { reply: 'immediately' } } });
    const thread = await startThread(own.app, authorP, { categoryId: await categoryId(own.app, { id: '', cookie: ownAdmin }, 'general'), title: 'Cierre' });
    for (let i = 0; i < 6; i += 1) await reply(own.app, replierP, thread.thread.id, `Nota ${i}.`, thread.post.id);
    const run = own.app.noticeMail.runDue(new Date(Date.now() + 2 * MINUTE));
    await own.close();
    const result = await run;
    expect(result.mailed).toBeGreaterThan(0);
    expect(result.mailed).toBeLessThan(6);
  });
});
