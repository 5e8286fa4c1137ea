import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request, type TestApp } from '../../helper.js';
import { expectError } from '../support.js';
import { HOUR, MINUTE, meetingAt } from './room-support.js';
import { api, buildMeetingsApp, createMeeting, getMeeting, notificationsOf, populateMeetings, TestClock, type MeetingDetail, type MeetingPeople, type Participant } from './support.js';

/** Minutes: autosave with stale-revision refusal, publishing and its notices, exports, action items across a series. */

const BASE = Date.parse('2026-05-11T15:00:00.000Z');
const clock = new TestClock(BASE);
let t: TestApp;
let people: MeetingPeople;

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  people = await populateMeetings(t.app);
});
afterEach(() => clock.set(BASE));
afterAll(async () => t.close());

interface Minutes {
  status: string;
  mayWrite: boolean;
  draft: { revision: number; content: { introduction: string; sections: Array<{ key: string; agendaItemId: string | null; title: string; summary: string; decisions: string; actionItems: Array<{ id: string; text: string }> }> }; hasUnpublishedChanges: boolean; updatedBy: { id: string } | null } | null;
  published: { revision: number; introductionHtml: string; sections: Array<{ key: string; title: string; summaryHtml: string; decisionsHtml: string; actionItems: Array<{ id: string; status: string; text: string }> }> } | null;
}

const save = (who: Participant, meetingId: string, body: Record<string, unknown>) => api(t.app, who, 'PATCH', `/meetings/${meetingId}/minutes`, { occurrenceId: 'single', ...body });
const minutesOf = async (who: Participant, meetingId: string, query = '') => {
  const response = await api(t.app, who, 'GET', `/meetings/${meetingId}/minutes${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().minutes as Minutes;
};
const saved = async (who: Participant, meetingId: string, body: Record<string, unknown>) => {
  const response = await save(who, meetingId, body);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().minutes as Minutes;
};

/** A meeting that started half an hour ago (its minutes may be written). */
async function heldMeeting(overrides: Record<string, unknown> = {}): Promise<MeetingDetail> {
  const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 5 * MINUTE, overrides);
  clock.advance(35 * MINUTE);
  return meeting;
}

const actionItem = (text: string, responsible: { country?: string; person?: string }, dueDate: string | null = null) => ({
  id: crypto.randomUUID(),
  text,
  responsibleCountryId: responsible.country ?? null,
  responsiblePersonId: responsible.person ?? null,
  dueDate,
});

describe('the draft, saved continuously', () => {
  it('refuses a stale overwrite with 409 and loses nothing; merges saves of different parts', async () => {
    const early = await meetingAt(t.app, people.coordinator, clock.ms, 3 * HOUR);
    expectError(await save(people.coordinator, early.id, { revision: 0, introduction: 'Demasiado pronto' }), 409, 'meeting_not_started');

    const meeting = await heldMeeting();
    const [opening, report] = meeting.agenda.map((item) => item.id);
    const fresh = await minutesOf(people.coordinator, meeting.id);
    expect(fresh.status).toBe('none');
    expect(fresh.draft!.revision).toBe(0);
    expect(fresh.draft!.content.sections.map((section) => [section.key, section.title])).toEqual(meeting.agenda.map((item) => [item.id, item.title]));
    // Members read no draft, and may not write one.
    const asMember = await minutesOf(people.member, meeting.id);
    expect(asMember).toMatchObject({ status: 'none', draft: null, published: null, mayWrite: false });
    expectError(await save(people.member, meeting.id, { revision: 0, introduction: 'x' }), 403, 'forbidden');

    // Tab A (the coordinator) and the secretariat both start from revision 0, on different parts.
    expect((await saved(people.coordinator, meeting.id, { revision: 0, introduction: 'Se abrió la sesión a las 10:05.' })).draft!.revision).toBe(1);
    const merged = await saved(people.secretariat, meeting.id, { revision: 0, sections: [{ key: report, summary: 'CEPAL presentó las diferencias.' }] });
    expect(merged.draft!.revision).toBe(2);
    expect(merged.draft!.content.introduction).toBe('Se abrió la sesión a las 10:05.');

    // Tab A, still on revision 1, now writes the same summary: refused, with the current text to compare.
    const stale = expectError(await save(people.coordinator, meeting.id, { revision: 1, sections: [{ key: report, summary: 'Otro resumen.' }] }), 409, 'stale_revision');
    const details = stale.details as { revision: number; conflicts: string[]; minutes: Minutes };
    expect(details.revision).toBe(2);
    expect(details.conflicts).toEqual([`sections.${report}.summary`]);
    expect(details.minutes.draft!.content.sections.find((section) => section.key === report)!.summary).toBe('CEPAL presentó las diferencias.');
    expect((await minutesOf(people.coordinator, meeting.id)).draft!.content.sections.find((section) => section.key === report)!.summary).toBe('CEPAL presentó las diferencias.');

    // Based on the current revision it goes through; the same save repeated (its answer lost) changes nothing.
    expect((await saved(people.coordinator, meeting.id, { revision: 2, sections: [{ key: report, summary: 'Otro resumen.' }] })).draft!.revision).toBe(3);
    expect((await saved(people.coordinator, meeting.id, { revision: 2, sections: [{ key: report, summary: 'Otro resumen.' }] })).draft!.revision).toBe(3);

    // A session that ended meanwhile: 401, then the same save after signing in again.
    const session = await t.app.sessions.create(people.coordinator.id);
    const tab = { id: people.coordinator.id, cookie: `concilia_session=${session.token}` };
    expect((await request(t.app, { method: 'POST', url: '/api/auth/logout', cookie: tab.cookie, payload: {} })).statusCode).toBeLessThan(300);
    const unsaved = { revision: 3, sections: [{ key: opening, decisions: 'Se aprueba el acta anterior.' }] };
    expectError(await save(tab, meeting.id, unsaved), 401, 'unauthenticated');
    const again = await t.app.sessions.create(people.coordinator.id);
    const after = await saved({ id: people.coordinator.id, cookie: `concilia_session=${again.token}` }, meeting.id, unsaved);
    expect(after.draft!.revision).toBe(4);
    expect(after.draft!.content.sections[0]!.decisions).toBe('Se aprueba el acta anterior.');

    // Sections: an extra one, a new order, one removed; a removal based on old text is stale.
    const extra = await saved(people.secretariat, meeting.id, { revision: 4, sections: [{ key: 'varios-1', title: 'Asuntos varios', summary: 'Ninguno.' }] });
    expect(extra.draft!.content.sections.map((section) => section.key)).toEqual([...meeting.agenda.map((item) => item.id), 'varios-1']);
    const keys = extra.draft!.content.sections.map((section) => section.key);
    const reordered = await saved(people.secretariat, meeting.id, { revision: 5, order: [keys[3], keys[0], keys[1], keys[2]] });
    expect(reordered.draft!.content.sections[0]!.key).toBe('varios-1');
    expectError(await save(people.coordinator, meeting.id, { revision: 6, order: [keys[0]] }), 400, 'invalid_order');
    expectError(await save(people.coordinator, meeting.id, { revision: 6, sections: [{ key: 'nadie', summary: 'x' }] }), 400, 'unknown_section');
    expectError(await save(people.coordinator, meeting.id, { revision: 3, sections: [{ key: 'varios-1', removed: true }] }), 409, 'stale_revision');
    const removed = await saved(people.coordinator, meeting.id, { revision: 6, sections: [{ key: 'varios-1', removed: true }] });
    expect(removed.draft!.content.sections.map((section) => section.key)).toEqual(meeting.agenda.map((item) => item.id));

    // Who and when are checked: countries and people of the group, real dates.
    expectError(await save(people.coordinator, meeting.id, { revision: 7, sections: [{ key: opening, actionItems: [actionItem('x', { country: 'zz' })] }] }), 400, 'unknown_responsible');
    expectError(await save(people.coordinator, meeting.id, { revision: 7, sections: [{ key: opening, actionItems: [actionItem('x', { person: 'nobody' })] }] }), 400, 'unknown_responsible');
    expectError(await save(people.coordinator, meeting.id, { revision: 7, sections: [{ key: opening, actionItems: [actionItem('x', { country: 'cl' }, '2026-02-30')] }] }), 400, 'invalid_due_date');

    // Other writers' tabs hear of each save; the event is for writers only.
    const events = (await t.app.liveHub.replay([`meeting:${meeting.id}`], 0, 100)).filter((event) => event.type === 'minutes.draft');
    expect(events.map((event) => (event.payload as { revision: number }).revision)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.every((event) => JSON.stringify(event.audience) === JSON.stringify({ roles: ['admin', 'coordinator', 'secretariat'] }))).toBe(true);
  });
});

describe('two writers at the same moment', () => {
  it('keeps both of two saves of different parts sent at once, the first save of the draft too', async () => {
    const meeting = await heldMeeting();
    const [opening, report] = meeting.agenda.map((item) => item.id);
    for (let round = 0; round < 4; round++) {
      const base = (await minutesOf(people.coordinator, meeting.id)).draft?.revision ?? 0;
      const answers = await Promise.all([
        save(people.coordinator, meeting.id, { revision: base, sections: [{ key: opening, summary: `Apertura ${round}` }] }),
        save(people.secretariat, meeting.id, { revision: base, sections: [{ key: report, summary: `Informe ${round}` }] }),
      ]);
      expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
      const draft = (await minutesOf(people.coordinator, meeting.id)).draft!;
      expect(draft.revision).toBe(base + 2);
      expect(draft.content.sections.slice(0, 2).map((section) => section.summary)).toEqual([`Apertura ${round}`, `Informe ${round}`]);
    }
  });
});

describe('publishing', () => {
  it('publishes exactly the revision seen, needs complete action items, and tells the invitees once', async () => {
    const meeting = await heldMeeting({ title: 'Coordinación Chile–México', invitees: { everyone: false, countryIds: ['cl', 'mx'] } });
    const [opening, report] = meeting.agenda.map((item) => item.id);
    const draft = await saved(people.coordinator, meeting.id, {
      revision: 0,
      introduction: 'Reunión de **seguimiento** del informe regional. <script>alert(1)</script>',
      sections: [
        { key: opening, decisions: 'Se aprueba la agenda.' },
        { key: report, summary: 'Se revisaron las series.', actionItems: [actionItem('Enviar cifras de pobreza', { country: 'cl' }, '2026-06-30'), actionItem('', { country: 'mx' })] },
      ],
    });
    expectError(await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/minutes/publish`, { occurrenceId: 'single', revision: 1 }), 403, 'forbidden');
    expectError(await api(t.app, people.secretariat, 'POST', `/meetings/${meeting.id}/minutes/publish`, { occurrenceId: 'single', revision: 0 }), 409, 'stale_revision');
    const incomplete = expectError(await api(t.app, people.secretariat, 'POST', `/meetings/${meeting.id}/minutes/publish`, { occurrenceId: 'single', revision: 1 }), 400, 'incomplete_action_items');
    expect(incomplete.details).toEqual([{ field: `sections.${report}.actionItems.1`, message: 'has no text' }]);
    const items = draft.draft!.content.sections[1]!.actionItems;
    const completed = [items[0], { ...items[1], text: 'Revisar metadatos', responsibleCountryId: 'mx' }];
    await saved(people.coordinator, meeting.id, { revision: 1, sections: [{ key: report, actionItems: completed }] });
    // The same action items saved again (an autosave repeated) are no change, however the stored ones come back.
    expect((await saved(people.coordinator, meeting.id, { revision: 2, sections: [{ key: report, actionItems: completed }] })).draft!.revision).toBe(2);

    const published = await api(t.app, people.secretariat, 'POST', `/meetings/${meeting.id}/minutes/publish`, { occurrenceId: 'single', revision: 2 });
    expect(published.statusCode, published.body).toBe(200);
    const minutes = published.json().minutes as Minutes;
    expect(minutes.status).toBe('published');
    expect(minutes.published!.introductionHtml).toContain('<strong>seguimiento</strong>');
    expect(minutes.published!.introductionHtml).not.toContain('<script');
    expect(minutes.published!.sections[1]!.actionItems.map((item) => [item.text, item.status])).toEqual([['Enviar cifras de pobreza', 'open'], ['Revisar metadatos', 'open']]);

    await t.app.notifications.settled();
    const told = async (who: Participant) => (await notificationsOf(t.app, who)).filter((notice) => notice.subject.id === meeting.id && notice.kind === 'meeting_minutes');
    for (const invited of [people.member, people.otherMember, people.coordinator]) {
      const notices = await told(invited);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ subject: { kind: 'meeting', id: meeting.id, title: 'Coordinación Chile–México' }, details: { occurrenceId: 'single', startsAt: meeting.startsAt } });
      expect(notices[0]!.excerpt).toBe('Reunión de seguimiento del informe regional. <script>alert(1)</script>');
    }
    // The writer who published is not told; nor is anyone not invited.
    expect(await told(people.secretariat)).toEqual([]);
    expect(await told(people.argentina)).toEqual([]);

    // Everyone invited reads them; nobody else does.
    const asMember = await minutesOf(people.otherMember, meeting.id);
    expect(asMember).toMatchObject({ status: 'published', draft: null, mayWrite: false });
    expect(asMember.published!.sections.map((section) => section.title)).toEqual(meeting.agenda.map((item) => item.title));
    expectError(await api(t.app, people.argentina, 'GET', `/meetings/${meeting.id}/minutes`), 404, 'not_found');

    // A correction after publishing: the draft moves on, readers keep the published text until it is published again, without a second notice.
    await saved(people.coordinator, meeting.id, { revision: 2, sections: [{ key: opening, decisions: 'Se aprueba la agenda con un cambio.' }] });
    expect((await minutesOf(people.coordinator, meeting.id)).draft!.hasUnpublishedChanges).toBe(true);
    expect((await minutesOf(people.member, meeting.id)).published!.sections[0]!.decisionsHtml).toContain('Se aprueba la agenda.');
    expect((await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/minutes/publish`, { occurrenceId: 'single', revision: 3 })).statusCode).toBe(200);
    expect((await minutesOf(people.member, meeting.id)).published!.sections[0]!.decisionsHtml).toContain('con un cambio');
    await t.app.notifications.settled();
    expect(await told(people.member)).toHaveLength(1);
    const events = (await t.app.liveHub.replay([`meeting:${meeting.id}`], 0, 100)).filter((event) => event.type === 'minutes.published');
    expect(events.map((event) => (event.payload as { firstPublication: boolean }).firstPublication)).toEqual([true, false]);

    // The past list says which occurrences have minutes.
    clock.advance(2 * HOUR);
    const past = await api(t.app, people.member, 'GET', '/meetings?view=past&limit=100');
    const item = past.json().items.find((candidate: { id: string }) => candidate.id === meeting.id);
    expect(item.hasMinutes).toBe(true);
  });
});

describe('exports', () => {
  it('gives Markdown and a printable, sanitized HTML page of the published minutes', async () => {
    const meeting = await heldMeeting({ title: 'Taller <b>ODM</b> & series' });
    const [opening] = meeting.agenda.map((item) => item.id);
    expect((await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/join`, {})).statusCode).toBe(200);
    expect((await api(t.app, people.trinidad, 'POST', `/meetings/${meeting.id}/room/join`, {})).statusCode).toBe(200);
    expectError(await api(t.app, people.member, 'GET', `/meetings/${meeting.id}/minutes.md`), 404, 'not_found');
    await saved(people.coordinator, meeting.id, {
      revision: 0,
      introduction: 'Acta **oficial**. <img src=x onerror=alert(1)>',
      sections: [{ key: opening, summary: 'Se presentó | el plan.', decisions: '- Aprobar el plan\n- Publicar en junio', actionItems: [actionItem('Enviar cifras | revisadas', { country: 'cl' }, '2026-06-30')] }],
    });
    expectError(await api(t.app, people.member, 'GET', `/meetings/${meeting.id}/minutes.md?version=draft`), 403, 'forbidden');
    const draft = await api(t.app, people.coordinator, 'GET', `/meetings/${meeting.id}/minutes.html?version=draft`);
    expect(draft.statusCode).toBe(200);
    expect(draft.body).toContain('BORRADOR');
    expect((await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/minutes/publish`, { occurrenceId: 'single', revision: 1 })).statusCode).toBe(200);

    const markdown = await api(t.app, people.member, 'GET', `/meetings/${meeting.id}/minutes.md`);
    expect(markdown.statusCode).toBe(200);
    expect(markdown.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(markdown.headers['content-disposition']).toBe(`attachment; filename="minutes-${meeting.id}-2026-05-11.md"`);
    const md = markdown.body;
    expect(md.startsWith('# Acta: Taller <b>ODM</b> & series\n')).toBe(true);
    expect(md).toContain('Acta **oficial**.');
    expect(md).toContain('## Asistencia');
    expect(md).toContain('- **Chile**: Mara Member');
    expect(md).toContain('- **Trinidad y Tabago**: Terry Trinidad');
    expect(md).toContain('## 1. Apertura');
    expect(md).toContain('### Decisiones\n\n- Aprobar el plan\n- Publicar en junio');
    expect(md).toContain('| Enviar cifras \\| revisadas | Chile | 2026-06-30 | pendiente |');
    expect(md).not.toContain('BORRADOR');
    const english = await api(t.app, people.member, 'GET', `/meetings/${meeting.id}/minutes.md?lang=en`);
    expect(english.body).toContain('## Attendance');
    expect(english.body).toContain('| Enviar cifras \\| revisadas | Chile | 2026-06-30 | open |');

    const page = await api(t.app, people.trinidad, 'GET', `/meetings/${meeting.id}/minutes.html`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = page.body;
    // In the reader's content language (Trinidad and Tobago's delegate reads English).
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<h2>Attendance</h2>');
    expect(html).toContain('<h1>Taller &lt;b&gt;ODM&lt;/b&gt; &amp; series</h1>');
    expect(html).toContain('<strong>oficial</strong>');
    // Raw HTML in the minutes is shown as text, never as a tag.
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<img|<script|<[^>]*onerror/i);
    expect(html).toContain('<li>Aprobar el plan</li>');
    expect(html).toContain('<td>Enviar cifras | revisadas</td><td>Chile</td><td>2026-06-30</td><td>open</td>');
    // The print stylesheet is the page's only style, allowed by its hash; nothing else may load or run.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(style).toContain('@page');
    expect(style).toContain('@media print');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
  });
});

describe('action items', () => {
  it('live on across the meetings of a series, are closed by those responsible, and are pulled into the next agenda', async () => {
    const series = await meetingAt(t.app, people.coordinator, clock.ms, 5 * MINUTE, { title: 'Coordinación semanal', recurrence: { frequency: 'weekly', count: 3 } }, HOUR);
    const [first, second] = series.occurrences;
    const publishFor = async (occurrenceId: string, items: ReturnType<typeof actionItem>[]) => {
      const key = series.agenda[1]!.id;
      const draft = await api(t.app, people.secretariat, 'PATCH', `/meetings/${series.id}/minutes`, { occurrenceId, revision: 0, sections: [{ key, actionItems: items }] });
      expect(draft.statusCode, draft.body).toBe(200);
      const published = await api(t.app, people.secretariat, 'POST', `/meetings/${series.id}/minutes/publish`, { occurrenceId, revision: 1 });
      expect(published.statusCode, published.body).toBe(200);
    };
    const chileItem = actionItem('Enviar cifras de pobreza 2024', { country: 'cl' }, '2026-05-15');
    const mexicoItem = actionItem('Revisar metadatos de empleo', { person: people.otherMember.id }, '2026-06-01');
    clock.set(Date.parse(first!.startsAt) + 30 * MINUTE);
    // The second occurrence has not started: no minutes yet.
    expectError(await api(t.app, people.secretariat, 'PATCH', `/meetings/${series.id}/minutes`, { occurrenceId: second!.id, revision: 0, introduction: 'x' }), 409, 'meeting_not_started');
    await publishFor(first!.id, [chileItem, mexicoItem]);
    clock.set(Date.parse(second!.startsAt) + 30 * MINUTE);
    const argentinaItem = actionItem('Actualizar la serie de mortalidad', { country: 'ar' });
    await publishFor(second!.id, [argentinaItem]);

    const list = async (who: Participant, query = '') => {
      const response = await api(t.app, who, 'GET', `/action-items${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { items: Array<{ id: string; text: string; status: string; overdue: boolean; responsibleCountryId: string | null; responsiblePerson: { id: string } | null; source: { meetingId: string; occurrenceId: string; meetingTitle: string; startsAt: string }; pulledInto: Array<{ meetingId: string; agendaItemId: string }>; mayChangeStatus: boolean }>; total: number };
    };
    const open = await list(people.member, `?meetingId=${series.id}`);
    // By country: Argentina, Chile, then México (the person's country).
    expect(open.items.map((item) => item.id)).toEqual([argentinaItem.id, chileItem.id, mexicoItem.id]);
    expect(open.total).toBe(3);
    expect(open.items.map((item) => item.source.occurrenceId)).toEqual([second!.id, first!.id, first!.id]);
    expect(open.items[1]!.source).toMatchObject({ meetingId: series.id, meetingTitle: 'Coordinación semanal', startsAt: first!.startsAt });
    // Due 15 May, and it is now the 18th: overdue.
    expect(open.items[1]!.overdue).toBe(true);
    expect(open.items.map((item) => item.mayChangeStatus)).toEqual([false, true, false]);
    expect((await list(people.member, `?meetingId=${series.id}&countryId=mx`)).items.map((item) => item.id)).toEqual([mexicoItem.id]);
    expect((await list(people.member, `?meetingId=${series.id}&overdue=true`)).items.map((item) => item.id)).toEqual([chileItem.id]);
    const paged = await list(people.member, `?meetingId=${series.id}&limit=2&offset=2`);
    expect(paged).toMatchObject({ total: 3 });
    expect(paged.items.map((item) => item.id)).toEqual([mexicoItem.id]);

    // Closed by the country responsible; not by another country's delegate.
    expectError(await api(t.app, people.otherMember, 'PUT', `/action-items/${chileItem.id}/status`, { status: 'done' }), 403, 'forbidden');
    const done = await api(t.app, people.member, 'PUT', `/action-items/${chileItem.id}/status`, { status: 'done' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().actionItem).toMatchObject({ status: 'done', doneBy: { id: people.member.id }, overdue: false });
    expect((await list(people.member, `?meetingId=${series.id}`)).items.map((item) => item.id)).toEqual([argentinaItem.id, mexicoItem.id]);
    expect((await list(people.member, `?meetingId=${series.id}&status=done`)).items.map((item) => item.id)).toEqual([chileItem.id]);
    const updated = (await t.app.liveHub.replay([`meeting:${series.id}`], 0, 500)).filter((event) => event.type === 'action_item.updated');
    expect(updated.map((event) => (event.payload as { actionItem: { id: string; status: string } }).actionItem)).toMatchObject([{ id: chileItem.id, status: 'done' }]);

    // The next workshop takes up what is still open.
    const next = await createMeeting(t.app, people.coordinator, { title: 'Taller de seguimiento', startsAt: '2026-06-15T14:00:00.000Z', endsAt: '2026-06-15T16:00:00.000Z' });
    expectError(await api(t.app, people.member, 'POST', `/meetings/${next.id}/agenda/action-items`, { actionItemIds: [argentinaItem.id] }), 403, 'forbidden');
    expectError(await api(t.app, people.coordinator, 'POST', `/meetings/${next.id}/agenda/action-items`, { actionItemIds: [chileItem.id] }), 400, 'unknown_action_item');
    const pulled = await api(t.app, people.coordinator, 'POST', `/meetings/${next.id}/agenda/action-items`, { actionItemIds: [argentinaItem.id, mexicoItem.id] });
    expect(pulled.statusCode, pulled.body).toBe(200);
    const { agenda, added } = pulled.json() as { agenda: Array<{ id: string; title: string; presenter: string }>; added: Array<{ actionItemId: string; agendaItemId: string }> };
    expect(agenda.map((item) => item.title)).toEqual(['Apertura', 'Informe de conciliación', 'Actualizar la serie de mortalidad', 'Revisar metadatos de empleo']);
    expect(agenda.slice(2).map((item) => item.presenter)).toEqual(['Argentina', 'Óscar Pérez']);
    expect(added).toEqual([
      { actionItemId: argentinaItem.id, agendaItemId: agenda[2]!.id },
      { actionItemId: mexicoItem.id, agendaItemId: agenda[3]!.id },
    ]);
    // Pulling them again adds nothing; the meeting's calendar entry and history show the change.
    const again = await api(t.app, people.coordinator, 'POST', `/meetings/${next.id}/agenda/action-items`, { actionItemIds: [argentinaItem.id] });
    expect(again.json().added).toEqual([]);
    expect(again.json().agenda).toHaveLength(4);
    const detail = await getMeeting(t.app, people.member, next.id);
    expect(detail.sequence).toBe(next.sequence + 1);
    expect(detail.agenda.map((item) => item.id)).toEqual(agenda.map((item) => item.id));
    const history = (await api(t.app, people.member, 'GET', `/meetings/${next.id}/history`)).json().items;
    expect(history[0]).toMatchObject({ action: 'updated', changes: [{ field: 'agenda' }] });
    const after = await list(people.member, `?meetingId=${series.id}`);
    expect(after.items.find((item) => item.id === argentinaItem.id)!.pulledInto).toEqual([{ meetingId: next.id, meetingTitle: 'Taller de seguimiento', agendaItemId: agenda[2]!.id }]);
    // Still open until someone marks them done.
    expect(after.items.map((item) => item.status)).toEqual(['open', 'open']);

    // Republishing the first minutes without the Mexican item: it leaves the list; Chile's stays done.
    const key = series.agenda[1]!.id;
    const current = await api(t.app, people.secretariat, 'GET', `/meetings/${series.id}/minutes?occurrenceId=${encodeURIComponent(first!.id)}`);
    const revision = current.json().minutes.draft.revision as number;
    expect((await api(t.app, people.secretariat, 'PATCH', `/meetings/${series.id}/minutes`, { occurrenceId: first!.id, revision, sections: [{ key, actionItems: [chileItem] }] })).statusCode).toBe(200);
    expect((await api(t.app, people.secretariat, 'POST', `/meetings/${series.id}/minutes/publish`, { occurrenceId: first!.id, revision: revision + 1 })).statusCode).toBe(200);
    expect((await list(people.member, `?meetingId=${series.id}&status=all`)).items.map((item) => [item.id, item.status])).toEqual([
      [argentinaItem.id, 'open'],
      [chileItem.id, 'done'],
    ]);
    expectError(await api(t.app, people.otherMember, 'PUT', `/action-items/${mexicoItem.id}/status`, { status: 'done' }), 404, 'not_found');
  });

  it('given to a person, are closed by that person and the minutes\' writers only, whatever the others\' country', async () => {
    const meeting = await heldMeeting({ title: 'Tarea personal' });
    const item = actionItem('Preparar el anexo estadístico', { person: people.trinidad.id });
    await saved(people.coordinator, meeting.id, { revision: 0, sections: [{ key: meeting.agenda[0]!.id, actionItems: [item] }] });
    expect((await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/minutes/publish`, { occurrenceId: 'single', revision: 1 })).statusCode).toBe(200);
    const mayChange = async (who: Participant) =>
      ((await api(t.app, who, 'GET', `/action-items?meetingId=${meeting.id}&status=all`)).json().items as Array<{ mayChangeStatus: boolean }>)[0]!.mayChangeStatus;
    // The observer and the member of Mexico have no say: neither a person nor a country matches (the observer has no country, nor has the item).
    for (const who of [people.observer, people.otherMember]) {
      expect(await mayChange(who)).toBe(false);
      expectError(await api(t.app, who, 'PUT', `/action-items/${item.id}/status`, { status: 'done' }), 403, 'forbidden');
    }
    expect(await mayChange(people.trinidad)).toBe(true);
    const done = await api(t.app, people.trinidad, 'PUT', `/action-items/${item.id}/status`, { status: 'done' });
    expect(done.json().actionItem).toMatchObject({ status: 'done', doneBy: { id: people.trinidad.id } });
    for (const who of [people.secretariat, people.admin]) expect(await mayChange(who)).toBe(true);
    const reopened = await api(t.app, people.secretariat, 'PUT', `/action-items/${item.id}/status`, { status: 'open' });
    expect(reopened.json().actionItem).toMatchObject({ status: 'open' });
  });

  it('lists only the items of meetings the reader may see', async () => {
    const meeting = await heldMeeting({ title: 'Solo Chile', invitees: { everyone: false, countryIds: ['cl'] } });
    const item = actionItem('Tarea reservada', { country: 'cl' });
    await saved(people.coordinator, meeting.id, { revision: 0, sections: [{ key: meeting.agenda[0]!.id, actionItems: [item] }] });
    // Not on any list until the minutes are published.
    expect((await api(t.app, people.member, 'GET', `/action-items?meetingId=${meeting.id}`)).json().total).toBe(0);
    expect((await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/minutes/publish`, { occurrenceId: 'single', revision: 1 })).statusCode).toBe(200);
    expect((await api(t.app, people.member, 'GET', `/action-items?meetingId=${meeting.id}`)).json().total).toBe(1);
    expect((await api(t.app, people.otherMember, 'GET', `/action-items?meetingId=${meeting.id}`)).json().total).toBe(0);
    expectError(await api(t.app, people.otherMember, 'PUT', `/action-items/${item.id}/status`, { status: 'done' }), 404, 'not_found');
  });
});
