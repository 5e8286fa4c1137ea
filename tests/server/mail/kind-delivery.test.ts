import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addPerson, request, setUpGroup, type TestApp } from '../../helper.js';
import { SmtpSink } from '../../support/smtp-sink.js';
import { openFicha } from '../consultations/support.js';
import { api, categoryId, startThread, type Participant } from '../debates/support.js';
import { upload, uploadVersion } from '../documents/support.js';
import { myId } from '../support.js';
import { buildMailApp, drainOutbox, sleep } from './support.js';

/**
 * The notification kinds the issue names that notifications.test.ts and meetings.test.ts do not
 * already prove, each made through its feature's own routes and mailed through the real SMTP server
 * once, in the recipient's language (one person per language).
 */

let sink: SmtpSink;
let t: TestApp;
let admin: Participant;
type Person = Participant & { email: string };
let ana: Person; // Chile, Spanish
let luis: Person; // Brazil, Portuguese
let fleur: Person; // Haiti, French
let tom: Person; // Trinidad and Tobago, English
let general: string;

const MINUTE = 60_000;

async function person(countryId: string, displayName: string, locale: 'es' | 'en' | 'pt' | 'fr'): Promise<Person> {
  const added = await addPerson(t.app, admin.cookie, 'member', { countryId }, { displayName });
  const changed = await request(t.app, { method: 'PATCH', url: '/api/me', cookie: added.cookie, payload: { locale } });
  expect(changed.statusCode, changed.body).toBe(200);
  return { id: added.id, cookie: added.cookie, email: added.email };
}

const setPreferences = async (who: Participant, kinds: Record<string, string>) => {
  const response = await request(t.app, { method: 'PUT', url: '/api/mail/preferences', cookie: who.cookie, payload: { kinds } });
  expect(response.statusCode, response.body).toBe(200);
};

/** Runs the notification mail as if the minute's wait had passed, and returns what reached `who` (waiting for `count` of them). */
async function mailedTo(who: Person, count = 1) {
  await t.app.noticeMail.runDue(new Date(Date.now() + 2 * MINUTE));
  await sink.waitFor(count, { filter: (mail) => mail.rcptTo.includes(who.email) });
  // A second run sends nothing more: once.
  await t.app.noticeMail.runDue(new Date(Date.now() + 3 * MINUTE));
  await sleep(150);
  return sink.to(who.email);
}

beforeAll(async () => {
  sink = await SmtpSink.start();
  t = await buildMailApp({ SMTP_URL: sink.url });
  const adminCookie = await setUpGroup(t.app);
  admin = { id: await myId(t.app, adminCookie), cookie: adminCookie };
  ana = await person('cl', 'Ana Gómez', 'es');
  luis = await person('br', 'Luis Souza', 'pt');
  fleur = await person('ht', 'Fleur Joseph', 'fr');
  tom = await person('tt', 'Tom Baker', 'en');
  general = await categoryId(t.app, admin, 'general');
  for (const who of [ana, luis, fleur, tom]) {
    await setPreferences(who, { country_mention: 'immediately', new_thread: 'immediately', new_post: 'never', document: 'immediately', consultation_opened: 'immediately', 'consultation.reminder': 'never' });
  }
  await drainOutbox(t, sink);
});

afterAll(async () => {
  await t.close();
  await sink.close();
});

beforeEach(async () => {
  await t.app.noticeMail.runDue(new Date(Date.now() + 24 * 60 * MINUTE));
  await drainOutbox(t, sink);
});

describe('each kind of notification mail, once, in the recipient\u2019s language', () => {
  it('a mention of my country (Portuguese)', async () => {
    await startThread(t.app, tom, { categoryId: general, title: 'Census rounds', body: 'Could @BR share its 2022 census schedule?' });
    const mails = await mailedTo(luis);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.subject).toBe('Re: Census rounds');
    expect(mails[0]!.parsed.text).toContain('Olá, Luis Souza,');
    expect(mails[0]!.parsed.text).toContain('Tom Baker · Menções ao meu país');
    expect(mails[0]!.parsed.text).toContain('Could @BR share its 2022 census schedule?');
    // The others' countries were not named: nothing for them.
    expect(sink.to(ana.email)).toHaveLength(0);
  });

  it('a new discussion in a category I watch (French)', async () => {
    const watched = await api(t.app, fleur, 'PUT', `/categories/${general}/watch`, { level: 'watching' });
    expect(watched.statusCode, watched.body).toBe(200);
    await startThread(t.app, tom, { categoryId: general, title: 'Poverty lines', body: 'Which deflator do you use?' });
    const mails = await mailedTo(fleur);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.text).toContain('Bonjour Fleur Joseph,');
    expect(mails[0]!.parsed.text).toContain('Tom Baker · Nouvelles discussions dans les catégories que je suis');
    expect(mails[0]!.parsed.text).toContain('Ouvrir dans Concilia');
    await api(t.app, fleur, 'PUT', `/categories/${general}/watch`, { level: 'normal' });
  });

  it('a new version of a document in the library (Spanish), with its change note', async () => {
    const created = await upload(t.app, admin, { name: 'informe.csv', bytes: Buffer.from('pais,valor\nCL,3\n') });
    expect(created.statusCode, created.body).toBe(201);
    const documentId = created.json().document.id as string;
    // Publishing it was mailed already; what follows is the new version's mail alone.
    await mailedTo(ana);
    sink.clear();
    const versioned = await uploadVersion(t.app, admin, documentId, { name: 'informe.csv', bytes: Buffer.from('pais,valor\nCL,4\n') }, 'Cifra de Chile corregida.');
    expect(versioned.statusCode, versioned.body).toBe(201);
    const mails = await mailedTo(ana);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.subject).toBe('Nuevos documentos y versiones en la biblioteca: Informe de conciliación de cifras');
    expect(mails[0]!.parsed.text).toContain('Hola, Ana Gómez:');
    expect(mails[0]!.parsed.text).toContain('Cifra de Chile corregida.');
    expect(sink.to(tom.email)).toHaveLength(1);
    expect(sink.to(tom.email)[0]!.parsed.subject).toBe('New documents and versions in the library: Reconciliation report');
  });

  it('a consultation opened to my country (English), and no other country told', async () => {
    await openFicha(t.app, admin, { targets: ['tt'], deadline: { date: '2099-06-30', time: '23:59', zone: 'America/Port_of_Spain' } });
    const mails = await mailedTo(tom);
    expect(mails).toHaveLength(1);
    // Replies by mail come back to the consultation: threaded under its title, the kind said in the text.
    expect(mails[0]!.parsed.subject).toBe('Re: Technical questionnaire 2026');
    expect(mails[0]!.parsed.text).toContain('Consultations opened to my country');
    expect(mails[0]!.parsed.text).toContain('Hello Tom Baker,');
    expect(sink.to(ana.email)).toHaveLength(0);
    expect(sink.to(luis.email)).toHaveLength(0);
  });
});
