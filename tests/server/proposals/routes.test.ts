import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helper.js';
import { expectError, personOfAnotherGroup } from '../support.js';
import { api, buildProposalsWorld, newThread, type ProposalsWorld, type Who } from './world.js';

/**
 * Proposals over HTTP, on a controllable clock: put to a thread, one position per country under
 * concurrent answers from two delegates (the second is a 409 with the stored position: no answer
 * is overwritten unseen), positions changeable until the close and refused from it on, live
 * results on the thread's topic, reminders once, the outcome pinned on the thread and its
 * notification.
 */

const HOUR = 3_600_000;
let now = new Date('2026-05-04T15:00:00.000Z');
const advance = (ms: number) => (now = new Date(now.getTime() + ms));
const inFuture = (ms: number) => new Date(now.getTime() + ms).toISOString();

let t: TestApp;
let w: ProposalsWorld;

beforeAll(async () => {
  t = await buildTestApp({}, { now: () => now });
  w = await buildProposalsWorld(t.app);
});
afterAll(async () => t.close());

const propose = async (who: Who, eligibility: 'participants' | 'one_per_country', closesIn = 72 * HOUR, threadId = w.threadId) => {
  const response = await api(t.app, who, 'POST', `/threads/${threadId}/proposals`, { statement: 'Adoptar el **método B** para conciliar la mortalidad infantil.', closesAt: inFuture(closesIn), eligibility });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().proposal as Proposal;
};

interface Proposal {
  id: string;
  open: boolean;
  statementHtml: string;
  results: { counts: Record<string, number>; eligible: number; grid: Array<{ countryId: string; name: string; position: string | null; by: string | null }> | null; pending: string[] };
  positions: Array<{ voterKey: string; position: string; by: string; revision: number }>;
  mine: { mayTakePosition: boolean; voterKey: string | null; position: { position: string; revision: number } | null; mayManage: boolean };
  outcome: { markdown: string } | null;
  outcomeHtml: string | null;
  names: Record<string, string>;
}

const take = (who: Who, id: string, body: Record<string, unknown>) => api(t.app, who, 'PUT', `/proposals/${id}/position`, body);
const get = async (who: Who, id: string) => (await api(t.app, who, 'GET', `/proposals/${id}`)).json().proposal as Proposal;

const notificationsOf = async (who: Who, kind: string) => {
  await t.app.notifications.settled();
  const items = (await api(t.app, who, 'GET', '/notifications?limit=50')).json().items as Array<{ kind: string; subject: { kind: string; id: string }; details: Record<string, unknown> }>;
  return items.filter((item) => item.kind === kind);
};

describe('putting a proposal to a thread', () => {
  it('is open to anyone who may post in it, and shows the rendered statement', async () => {
    const proposal = await propose(w.mxMember, 'participants');
    expect(proposal.open).toBe(true);
    expect(proposal.statementHtml).toContain('<strong>método B</strong>');
    expect(proposal.mine).toMatchObject({ mayTakePosition: true, voterKey: `p:${w.mxMember.id}`, position: null, mayManage: true });
    const listed = (await api(t.app, w.observer, 'GET', `/threads/${w.threadId}/proposals`)).json();
    expect(listed.mayPropose).toBe(true);
    expect(listed.items.map((item: Proposal) => item.id)).toContain(proposal.id);
  });

  it('refuses a closing time within the hour, an unknown eligibility, and a locked thread to non-moderators', async () => {
    expectError(await api(t.app, w.peFocal, 'POST', `/threads/${w.threadId}/proposals`, { statement: 'X', closesAt: inFuture(HOUR / 2), eligibility: 'participants' }), 400, 'closes_too_soon');
    const unknown = await api(t.app, w.peFocal, 'POST', `/threads/${w.threadId}/proposals`, { statement: 'X', closesAt: inFuture(48 * HOUR), eligibility: 'everyone' });
    expect(unknown.statusCode).toBe(400);
    const locked = await newThread(t.app, w.peFocal, w.categoryId, 'Hilo cerrado');
    expect((await api(t.app, w.coordinator, 'POST', `/threads/${locked}/lock`, {})).statusCode).toBe(200);
    expectError(await api(t.app, w.peFocal, 'POST', `/threads/${locked}/proposals`, { statement: 'X', closesAt: inFuture(48 * HOUR), eligibility: 'participants' }), 403, 'may_not_post');
    expect((await api(t.app, w.coordinator, 'POST', `/threads/${locked}/proposals`, { statement: 'X', closesAt: inFuture(48 * HOUR), eligibility: 'participants' })).statusCode).toBe(201);
  });

  it('is a 404 for a thread that does not exist', async () => {
    expectError(await api(t.app, w.peFocal, 'POST', '/threads/nope/proposals', { statement: 'X', closesAt: inFuture(48 * HOUR), eligibility: 'participants' }), 404, 'not_found');
    expectError(await api(t.app, w.peFocal, 'GET', '/proposals/nope'), 404, 'not_found');
  });
});

describe('one position per country delegation', () => {
  let proposal: Proposal;
  beforeAll(async () => {
    proposal = await propose(w.clFocal, 'one_per_country');
  });

  it('takes one answer when two delegates of a country answer at once; the other is a 409 with the stored position', async () => {
    const [a, b] = await Promise.all([take(w.peFocal, proposal.id, { position: 'agree' }), take(w.peAlternate, proposal.id, { position: 'disagree', reason: 'Preferimos el método A.' })]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const refused = a.statusCode === 409 ? a : b;
    const stored = (a.statusCode === 200 ? a : b).json().proposal as Proposal;
    expect(refused.json().error.code).toBe('position_changed');
    expect(refused.json().error.details.position).toMatchObject({ voterKey: 'c:pe', revision: 1, position: stored.mine.position!.position });
    const seen = await get(w.clFocal, proposal.id);
    expect(seen.positions.filter((position) => position.voterKey === 'c:pe')).toHaveLength(1);
    expect(seen.results.grid!.find((row) => row.countryId === 'pe')!.position).toBe(stored.mine.position!.position);
  });

  it('lets the other delegate replace it only naming the revision seen', async () => {
    const current = (await get(w.peAlternate, proposal.id)).mine.position!;
    const other = current.position === 'agree' ? 'abstain' : 'agree';
    const replaced = await take(w.peAlternate, proposal.id, { position: other, replaces: current.revision });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().proposal.mine.position).toMatchObject({ position: other, revision: current.revision + 1 });
    expectError(await take(w.peFocal, proposal.id, { position: 'disagree', replaces: current.revision }), 409, 'position_changed');
  });

  it('refuses people who do not speak for a country, and a block without a reason', async () => {
    expectError(await take(w.observer, proposal.id, { position: 'agree' }), 403, 'not_eligible');
    expectError(await take(w.secretariat, proposal.id, { position: 'agree' }), 403, 'not_eligible');
    expectError(await take(w.mxMember, proposal.id, { position: 'block' }), 400, 'reason_required');
  });

  it('shows the country grid with who has not taken a position, and tells the thread live', async () => {
    const seen = await get(w.observer, proposal.id);
    expect(seen.results.grid!.map((row) => row.countryId).sort()).toEqual(['cl', 'mx', 'pe']);
    expect(seen.results.pending.sort()).toEqual(['cl', 'mx']);
    expect(seen.results.counts.none).toBe(2);
    expect(seen.mine.mayTakePosition).toBe(false);
    const events = await t.app.database.statement<[string], { payload: string }>("select type, payload from live_events where topic = ? and type = 'proposal.changed'").all(`thread:${w.threadId}`);
    expect(events.map((event) => JSON.parse(event.payload)).filter((payload) => payload.proposalId === proposal.id && payload.what === 'position').length).toBeGreaterThanOrEqual(2);
  });
});

describe('the close, on the clock', () => {
  it('keeps positions changeable until the closing instant and refuses them from it on', async () => {
    const proposal = await propose(w.clFocal, 'participants', 2 * HOUR);
    expect((await take(w.observer, proposal.id, { position: 'agree' })).statusCode).toBe(200);
    advance(2 * HOUR - 1);
    const changed = await take(w.observer, proposal.id, { position: 'disagree', reason: 'Lo pensé mejor.' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().proposal.mine.position).toMatchObject({ position: 'disagree', revision: 2 });
    advance(1);
    expectError(await take(w.observer, proposal.id, { position: 'agree' }), 409, 'proposal_closed');
    expect((await get(w.observer, proposal.id)).open).toBe(false);
  });

  it('is the proposer’s or a moderator’s to bring forward', async () => {
    const proposal = await propose(w.clFocal, 'participants');
    expectError(await api(t.app, w.peFocal, 'POST', `/proposals/${proposal.id}/close`), 403, 'proposer_or_moderator');
    const closed = await api(t.app, w.coordinator, 'POST', `/proposals/${proposal.id}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().proposal.open).toBe(false);
    expectError(await take(w.peFocal, proposal.id, { position: 'agree' }), 409, 'proposal_closed');
  });
});

describe('the outcome', () => {
  it('is written after the close by the proposer, pinned on the thread and its list, and tells the participants once', async () => {
    const threadId = await newThread(t.app, w.mxMember, w.categoryId, 'Plan de trabajo 2027');
    const proposal = await propose(w.clFocal, 'one_per_country', 24 * HOUR, threadId);
    expect((await take(w.peFocal, proposal.id, { position: 'agree' })).statusCode).toBe(200);
    expectError(await api(t.app, w.clFocal, 'PUT', `/proposals/${proposal.id}/outcome`, { markdown: 'Aprobado.' }), 409, 'proposal_open');
    advance(24 * HOUR);
    expectError(await api(t.app, w.peFocal, 'PUT', `/proposals/${proposal.id}/outcome`, { markdown: 'Aprobado.' }), 403, 'proposer_or_moderator');
    const written = await api(t.app, w.clFocal, 'PUT', `/proposals/${proposal.id}/outcome`, { markdown: 'Se adopta el **método B**.', concludeThread: true });
    expect(written.statusCode, written.body).toBe(200);
    expect(written.json().proposal.outcomeHtml).toContain('<strong>método B</strong>');

    const list = (await api(t.app, w.observer, 'GET', '/threads?limit=50')).json().items as Array<{ id: string; outcome: { excerpt: string } | null; concluded: boolean }>;
    expect(list.find((thread) => thread.id === threadId)).toMatchObject({ outcome: { excerpt: 'Se adopta el método B.' }, concluded: true });
    const detail = (await api(t.app, w.observer, 'GET', `/threads/${threadId}`)).json();
    expect(detail.thread ?? detail).toMatchObject({ concluded: true });

    // The thread's author (a post) and Peru's focal point (a position) are told; the writer is not.
    expect(await notificationsOf(w.mxMember, 'proposal_outcome')).toMatchObject([{ subject: { kind: 'thread', id: threadId }, details: { proposalId: proposal.id } }]);
    expect(await notificationsOf(w.peFocal, 'proposal_outcome')).toHaveLength(1);
    expect(await notificationsOf(w.clFocal, 'proposal_outcome')).toHaveLength(0);
    expect(await notificationsOf(w.observer, 'proposal_outcome')).toHaveLength(0);

    const edited = await api(t.app, w.coordinator, 'PUT', `/proposals/${proposal.id}/outcome`, { markdown: 'Se adopta el método B, con revisión en 2027.' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().proposal.outcome).toMatchObject({ by: w.clFocal.id, markdown: 'Se adopta el método B, con revisión en 2027.' });
    expect(await notificationsOf(w.mxMember, 'proposal_outcome')).toHaveLength(1);
  });
});

describe("the outcome on the indicator's hub", () => {
  it('shows the outcome’s excerpt and the conclusion on the entry of a tagged thread, to its readers only', async () => {
    const created = await api(t.app, w.mxMember, 'POST', '/threads', { categoryId: w.categoryId, title: 'Mortalidad infantil: el método', body: 'Propongo el método B.', indicatorCodes: ['4.1'] });
    expect(created.statusCode, created.body).toBe(201);
    const threadId = created.json().thread.id as string;
    type Hub = { tagged: Array<{ kind: string; items: Array<{ id: string; summary?: string; badge?: string }> }> };
    const entry = async (who: Who) => {
      const hub = (await api(t.app, who, 'GET', '/indicators/versions/mdg-2008/indicators/4.1')).json() as Hub;
      return hub.tagged.find((group) => group.kind === 'thread')?.items.find((item) => item.id === threadId);
    };
    const before = await entry(w.observer);
    expect(before).toBeDefined();
    expect(before!.summary).toBeUndefined();
    expect(before!.badge).toBeUndefined();

    const proposal = await propose(w.mxMember, 'participants', 2 * HOUR, threadId);
    advance(2 * HOUR);
    const written = await api(t.app, w.mxMember, 'PUT', `/proposals/${proposal.id}/outcome`, { markdown: 'Se adopta el **método B** para 2027.', concludeThread: true });
    expect(written.statusCode, written.body).toBe(200);
    expect(await entry(w.observer)).toMatchObject({ summary: 'Se adopta el método B para 2027.', badge: 'concluded' });

    const outsider = await personOfAnotherGroup(t, 'coordinator', { countryId: 'mx' });
    const theirs = await api(t.app, outsider, 'GET', '/indicators/versions/mdg-2008/indicators/4.1');
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain(threadId);
    expect(theirs.body).not.toContain('método B para 2027');
  });
});

describe('reminders', () => {
  it('go once, a day before the close, only to the delegates of countries without a position', async () => {
    const threadId = await newThread(t.app, w.peFocal, w.categoryId, 'Recordatorios');
    const proposal = await propose(w.coordinator, 'one_per_country', 72 * HOUR, threadId);
    expect((await take(w.peAlternate, proposal.id, { position: 'agree' })).statusCode).toBe(200);
    advance(47 * HOUR);
    await t.app.scheduler.runDue();
    expect(await notificationsOf(w.clFocal, 'proposal_reminder')).toHaveLength(0);
    advance(HOUR);
    await t.app.scheduler.runDue();
    await t.app.scheduler.runDue();
    const forProposal = async (who: Who) => (await notificationsOf(who, 'proposal_reminder')).filter((item) => item.details.proposalId === proposal.id);
    expect(await forProposal(w.clFocal)).toHaveLength(1);
    expect(await forProposal(w.mxMember)).toHaveLength(1);
    expect(await forProposal(w.peFocal)).toHaveLength(0);
    expect(await forProposal(w.peAlternate)).toHaveLength(0);
    expect(await forProposal(w.observer)).toHaveLength(0);
    expect(await forProposal(w.secretariat)).toHaveLength(0);
  });
});

describe('a meeting’s quick poll turned into a proposal after the meeting', () => {
  it('carries the countries’ answers over as positions, once per poll', async () => {
    const MINUTE = 60_000;
    const start = now.getTime() - 5 * MINUTE;
    const created = await api(t.app, w.coordinator, 'POST', '/meetings', {
      title: 'Reunión virtual de mayo',
      kind: 'virtual_meeting',
      agenda: [{ title: 'Método', presenter: 'Coordinación', minutes: 30 }],
      timeZone: 'America/Santiago',
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + 60 * MINUTE).toISOString(),
      invitees: { everyone: true },
    });
    expect(created.statusCode, created.body).toBe(201);
    const meetingId = created.json().meeting.id as string;
    const opened = await api(t.app, w.coordinator, 'POST', `/meetings/${meetingId}/room/polls`, { question: '¿Adoptamos el método B?', kind: 'yes_no_abstain', scope: 'country' });
    expect(opened.statusCode, opened.body).toBe(201);
    const pollId = opened.json().poll.id as string;
    for (const [who, optionId] of [[w.peFocal, 'yes'], [w.mxMember, 'no'], [w.clFocal, 'abstain']] as const) {
      const answered = await api(t.app, who, 'PUT', `/meetings/${meetingId}/room/polls/${pollId}/answer`, { optionId });
      expect(answered.statusCode, answered.body).toBe(200);
    }
    const fromPoll = (body: Record<string, unknown>) => api(t.app, w.peFocal, 'POST', `/threads/${w.threadId}/proposals/from-poll`, { pollId, closesAt: inFuture(72 * HOUR), ...body });
    const choices = async (who: Who) => {
      const answer = await api(t.app, who, 'GET', `/threads/${w.threadId}/proposals/poll-choices`);
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json().items as Array<{ id: string; question: string; meetingTitle: string; scope: string; answerCount: number }>;
    };
    expectError(await fromPoll({}), 409, 'poll_open');
    expect((await choices(w.peFocal)).map((poll) => poll.id)).not.toContain(pollId);
    expect((await api(t.app, w.coordinator, 'POST', `/meetings/${meetingId}/room/polls/${pollId}/close`, {})).statusCode).toBe(200);
    // Closed, it is offered to whoever may put a proposal to the thread; never to someone of another group.
    expect((await choices(w.peFocal)).find((poll) => poll.id === pollId)).toMatchObject({ question: '¿Adoptamos el método B?', meetingTitle: 'Reunión virtual de mayo', scope: 'country', answerCount: 3 });
    const outsider = await personOfAnotherGroup(t, 'coordinator');
    expect((await api(t.app, outsider, 'GET', `/threads/${w.threadId}/proposals/poll-choices`)).statusCode).toBe(404);
    expectError(await api(t.app, w.peFocal, 'POST', `/threads/${w.threadId}/proposals/from-poll`, { pollId: 'nope', closesAt: inFuture(72 * HOUR) }), 404, 'not_found');

    const turned = await fromPoll({});
    expect(turned.statusCode, turned.body).toBe(201);
    const proposal = turned.json().proposal as Proposal & { eligibility: string; statement: string; fromPollId: string };
    expect(proposal).toMatchObject({ eligibility: 'one_per_country', fromPollId: pollId, open: true });
    expect(proposal.statement).toContain('¿Adoptamos el método B?');
    expect(proposal.statement).toContain('Reunión virtual de mayo');
    const byCountry = Object.fromEntries(proposal.results.grid!.map((row) => [row.countryId, row.position]));
    expect(byCountry).toEqual({ cl: 'abstain', mx: 'disagree', pe: 'agree' });
    expect(proposal.positions.every((position) => (position as unknown as { fromPoll: boolean }).fromPoll)).toBe(true);
    // Changeable like any other: Mexico's delegate changes the country's position.
    const changed = await take(w.mxMember, proposal.id, { position: 'agree' });
    expect(changed.statusCode, changed.body).toBe(200);
    expectError(await fromPoll({}), 409, 'poll_taken');
    expect((await choices(w.peFocal)).map((poll) => poll.id)).not.toContain(pollId);
  });
});
