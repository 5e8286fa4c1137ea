import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helper.js';
import { MINUTE, meetingAt } from './room-support.js';
import { api, buildMeetingsApp, createMeeting, populateMeetings, TestClock, type MeetingPeople, type Participant } from './support.js';

/** GET /api/search finds meetings by their title, description and agenda, and minutes, as each person may see them. */

const BASE = Date.parse('2026-05-11T15:00:00.000Z');
const clock = new TestClock(BASE);
let t: TestApp;
let people: MeetingPeople;

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  people = await populateMeetings(t.app);
});
afterAll(async () => t.close());

interface MeetingHit {
  kind: 'meeting' | 'minutes';
  meetingId: string;
  title: string;
  occurrenceId: string | null;
  draft: boolean;
  snippetHtml: string;
  startsAt: string | null;
}

const meetingsFound = async (who: Participant, q: string) => {
  const response = await api(t.app, who, 'GET', `/search?q=${encodeURIComponent(q)}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().meetings as { items: MeetingHit[]; total: number };
};
const found = async (who: Participant, q: string) => (await meetingsFound(who, q)).items.map((hit) => [hit.kind, hit.meetingId]);

describe('meetings in search', () => {
  let forMexico: string;

  beforeAll(async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      title: 'Taller de armonización',
      description: 'Preparación del **informe** anual.',
      agenda: [
        { title: 'Revisión de las cuentas satélite', presenter: 'INEGI', minutes: 30 },
        { title: 'Propuestas de calendario', presenter: 'CEPAL', minutes: 20 },
      ],
      invitees: { everyone: false, countryIds: ['mx'] },
    });
    forMexico = meeting.id;
  });

  it('finds a meeting by a word of its agenda, in any form, for an invitee and staff but not for others', async () => {
    for (const who of [people.otherMember, people.coordinator, people.secretariat, people.admin]) {
      expect(await found(who, 'cuenta satelite'), who.id).toEqual([['meeting', forMexico]]);
    }
    for (const who of [people.member, people.observer, people.argentina]) {
      expect(await meetingsFound(who, 'cuenta satelite'), who.id).toEqual({ items: [], total: 0 });
    }
    const [hit] = (await meetingsFound(people.otherMember, 'cuenta satelite')).items;
    expect(hit!.snippetHtml).toContain('<mark>cuentas</mark> <mark>satélite</mark>');
    expect(hit).toMatchObject({ title: 'Taller de armonización', occurrenceId: null, draft: false });
  });

  it('finds it by title and description too, and follows edits', async () => {
    expect(await found(people.otherMember, 'armonizacion')).toEqual([['meeting', forMexico]]);
    expect(await found(people.otherMember, 'informes')).toEqual([['meeting', forMexico]]);
    const edited = await api(t.app, people.coordinator, 'PATCH', `/meetings/${forMexico}`, {
      agenda: [{ title: 'Balance de pagos', presenter: 'INEGI', minutes: 30 }],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await found(people.otherMember, 'cuenta satelite')).toEqual([]);
    expect(await found(people.otherMember, 'pago')).toEqual([['meeting', forMexico]]);
    // Invited later: found from then on.
    expect(await found(people.argentina, 'pago')).toEqual([]);
    const invited = await api(t.app, people.coordinator, 'PATCH', `/meetings/${forMexico}`, { invitees: { everyone: false, countryIds: ['mx', 'ar'] } });
    expect(invited.statusCode, invited.body).toBe(200);
    expect(await found(people.argentina, 'pago')).toEqual([['meeting', forMexico]]);
  });

  it('finds published minutes for those who see the meeting, and a draft only for its writers', async () => {
    const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 5 * MINUTE, { title: 'Seguimiento trimestral', invitees: { everyone: true } });
    clock.advance(35 * MINUTE);
    const save = async (revision: number, introduction: string) => {
      const response = await api(t.app, people.secretariat, 'PATCH', `/meetings/${meeting.id}/minutes`, { occurrenceId: 'single', revision, introduction });
      expect(response.statusCode, response.body).toBe(200);
    };
    await save(0, 'Se acordaron las tasas de mortalidad revisadas.');
    // Unpublished: only the minutes' writers find it, as a draft.
    for (const who of [people.member, people.observer, people.otherMember]) expect(await found(who, 'tasa mortalidad'), who.id).toEqual([]);
    for (const who of [people.coordinator, people.secretariat, people.admin]) {
      const hits = (await meetingsFound(who, 'tasa mortalidad')).items;
      expect(hits.map((hit) => [hit.kind, hit.meetingId, hit.occurrenceId, hit.draft]), who.id).toEqual([['minutes', meeting.id, 'single', true]]);
    }
    const published = await api(t.app, people.secretariat, 'POST', `/meetings/${meeting.id}/minutes/publish`, { occurrenceId: 'single', revision: 1 });
    expect(published.statusCode, published.body).toBe(200);
    for (const who of [people.member, people.observer, people.coordinator]) {
      const hits = (await meetingsFound(who, 'tasa mortalidad')).items;
      expect(hits.map((hit) => [hit.kind, hit.meetingId, hit.occurrenceId, hit.draft]), who.id).toEqual([['minutes', meeting.id, 'single', false]]);
      expect(hits[0]!.snippetHtml).toContain('<mark>tasas</mark> de <mark>mortalidad</mark>');
      expect(hits[0]!.startsAt).toBe(new Date(BASE + 5 * MINUTE).toISOString());
    }
    // A later draft's words stay the writers' until published again.
    await save(1, 'Se acordaron las tasas de mortalidad revisadas y el glosario.');
    expect(await found(people.member, 'glosario')).toEqual([]);
    expect(await found(people.coordinator, 'glosario')).toEqual([['minutes', meeting.id]]);
  });

  it('answers with no meetings when nothing is searchable, and treats syntax as words', async () => {
    expect(await meetingsFound(people.member, '***')).toEqual({ items: [], total: 0 });
    expect((await meetingsFound(people.member, 'published: NEAR(x')).total).toBe(0);
  });
});
