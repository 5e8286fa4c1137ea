import { describe, expect, it } from 'vitest';
import { partyKey, partyOf, isOrganizer, type Person } from '../../../server/features/rounds/domain/participants.js';
import {
  ROUND_TRANSITIONS,
  attachNextVersion,
  cancelRound,
  closeRound,
  concludeRound,
  extendDeadline,
  newRound,
  openRound,
  phase,
  publishDispositions,
  reminderRecipients,
  roundReminderJob,
  type RoundState,
} from '../../../server/features/rounds/domain/round.js';
import { clock, hours, ok, people } from './support.js';

const CONSULTED = { countryIds: ['pe', 'mx', 'br'], organizationIds: ['unicef'] };

function draft(c = clock(), deadlineHours = 24 * 14): RoundState {
  return ok(newRound({ id: 'r1', documentId: 'd1', versionId: 'v1', consulted: CONSULTED, deadline: hours(c.now(), deadlineHours), instructions: 'Comenten la sección 3.' }, people.secretariat, c.now()));
}
function opened(c = clock(), deadlineHours = 24 * 14): RoundState {
  return ok(openRound(draft(c, deadlineHours), people.secretariat, c.now()));
}

describe('participants', () => {
  it('names the party a person comments for: their country or their agency, if consulted', () => {
    expect(partyOf(people.peAlternate, CONSULTED)).toEqual({ kind: 'country', id: 'pe' });
    expect(partyOf(people.unicef, CONSULTED)).toEqual({ kind: 'organization', id: 'unicef' });
    expect(partyOf(people.paho, CONSULTED)).toBeNull();
    expect(partyOf(people.ttMember, CONSULTED)).toBeNull();
    expect(partyOf(people.secretariat, CONSULTED)).toBeNull();
    expect(partyOf(people.admin, CONSULTED)).toBeNull();
    // The coordinator speaks for its own country when that country is consulted.
    expect(partyOf(people.coordinator, { countryIds: ['cl'], organizationIds: [] })).toEqual({ kind: 'country', id: 'cl' });
    expect(partyKey({ kind: 'country', id: 'pe' })).toBe('c:pe');
    expect(partyKey({ kind: 'organization', id: 'unicef' })).toBe('o:unicef');
  });

  it('makes the secretariat and the coordinator the organizers', () => {
    expect([people.secretariat, people.coordinator, people.admin, people.peFocal, people.unicef].map(isOrganizer)).toEqual([true, true, false, false, false]);
  });
});

describe('newRound and openRound', () => {
  it('prepares a round as a draft, then opens it', () => {
    const c = clock();
    const round = draft(c);
    expect(round).toMatchObject({ id: 'r1', status: 'draft', versionId: 'v1', openedAt: null, createdBy: 'sec' });
    expect(phase(round, c.now())).toBe('draft');
    const open = ok(openRound(round, people.coordinator, c.now()));
    expect(open.status).toBe('open');
    expect(open.openedAt).toBe(c.now().toISOString());
    expect(open.history).toEqual([{ from: 'draft', to: 'open', at: c.now().toISOString(), by: 'coord' }]);
    expect(round.status).toBe('draft'); // the input is untouched
  });

  it.each<[string, Person]>([
    ['a member', people.peFocal],
    ['an observer', people.unicef],
    ['a platform admin', people.admin],
  ])('refuses %s as organizer (403)', (_who, person) => {
    const c = clock();
    expect(newRound({ id: 'r', documentId: 'd', versionId: 'v', consulted: CONSULTED, deadline: hours(c.now(), 48), instructions: '' }, person, c.now())).toMatchObject({ ok: false, error: { status: 403, code: 'organizers_only' } });
    expect(openRound(draft(c), person, c.now())).toMatchObject({ ok: false, error: { status: 403 } });
  });

  it.each([
    ['a deadline in the past', { deadline: -1 }, 'deadline_too_soon'],
    ['a deadline within the hour', { deadline: 0.5 }, 'deadline_too_soon'],
    ['a deadline more than a year away', { deadline: 24 * 367 }, 'deadline_too_far'],
    ['nobody consulted', { consulted: { countryIds: [], organizationIds: [] } }, 'nobody_consulted'],
    ['instructions over 20,000 characters', { instructions: 'x'.repeat(20_001) }, 'instructions_too_long'],
  ] as const)('refuses %s (400)', (_what, change, code) => {
    const c = clock();
    const input = {
      id: 'r',
      documentId: 'd',
      versionId: 'v',
      consulted: 'consulted' in change ? change.consulted : CONSULTED,
      deadline: hours(c.now(), 'deadline' in change ? change.deadline : 48),
      instructions: 'instructions' in change ? change.instructions : '',
    };
    expect(newRound(input, people.secretariat, c.now())).toMatchObject({ ok: false, error: { status: 400, code } });
  });

  it('refuses to open a draft whose deadline has come too near meanwhile', () => {
    const c = clock();
    const round = draft(c, 10);
    c.advance(9.5);
    expect(openRound(round, people.secretariat, c.now())).toMatchObject({ ok: false, error: { code: 'deadline_too_soon', status: 409 } });
  });
});

describe('phase on a controllable clock', () => {
  it('is open until the deadline and closed from it on, without anyone acting', () => {
    const c = clock();
    const round = opened(c, 48);
    expect(phase(round, c.now())).toBe('open');
    c.advance(47.99);
    expect(phase(round, c.now())).toBe('open');
    c.advance(0.01);
    expect(phase(round, c.now())).toBe('closed');
  });

  it('is concluded once the reply deadline passes', () => {
    const c = clock();
    let round = opened(c, 48);
    c.advance(48);
    round = ok(closeRound(round, people.secretariat, c.now(), { partiesPending: 1 }));
    round = ok(publishDispositions(round, people.secretariat, hours(c.now(), 72), c.now(), { undisposed: 0 }));
    expect(phase(round, c.now())).toBe('dispositions');
    c.advance(72);
    expect(phase(round, c.now())).toBe('concluded');
  });
});

describe('closeRound', () => {
  it('closes at the deadline, by an organizer or by the clock (actor null)', () => {
    const c = clock();
    const round = opened(c, 48);
    expect(closeRound(round, null, c.now(), { partiesPending: 2 })).toMatchObject({ ok: false, error: { code: 'parties_pending', status: 409 } });
    c.advance(48);
    const closed = ok(closeRound(round, null, c.now(), { partiesPending: 2 }));
    expect(closed).toMatchObject({ status: 'closed', closedAt: c.now().toISOString() });
    expect(closed.history.at(-1)).toEqual({ from: 'open', to: 'closed', at: c.now().toISOString(), by: null });
  });

  it('closes early only when every consulted party has submitted', () => {
    const c = clock();
    const round = opened(c, 48);
    expect(closeRound(round, people.secretariat, c.now(), { partiesPending: 1 })).toMatchObject({ ok: false, error: { code: 'parties_pending' } });
    expect(ok(closeRound(round, people.secretariat, c.now(), { partiesPending: 0 })).status).toBe('closed');
    expect(closeRound(round, people.peFocal, c.now(), { partiesPending: 0 })).toMatchObject({ ok: false, error: { status: 403 } });
  });
});

describe('extendDeadline', () => {
  it('moves the deadline later while the round is open', () => {
    const c = clock();
    const round = opened(c, 48);
    c.advance(40);
    const later = ok(extendDeadline(round, people.secretariat, hours(c.now(), 30), c.now()));
    expect(later.deadline).toBe(hours(c.now(), 30).toISOString());
    c.advance(10);
    expect(phase(later, c.now())).toBe('open');
  });

  it('refuses an earlier deadline, one after the deadline passed, and anyone but organizers', () => {
    const c = clock();
    const round = opened(c, 48);
    expect(extendDeadline(round, people.secretariat, hours(c.now(), 47), c.now())).toMatchObject({ ok: false, error: { code: 'deadline_not_later', status: 400 } });
    expect(extendDeadline(round, people.mxFocal, hours(c.now(), 60), c.now())).toMatchObject({ ok: false, error: { status: 403 } });
    c.advance(48);
    expect(extendDeadline(round, people.secretariat, hours(c.now(), 60), c.now())).toMatchObject({ ok: false, error: { code: 'round_not_open', status: 409 } });
  });
});

describe('publishDispositions and concludeRound', () => {
  function closed(c: ReturnType<typeof clock>) {
    const round = opened(c, 48);
    c.advance(48);
    return ok(closeRound(round, null, c.now(), { partiesPending: 0 }));
  }

  it('publishes only when every submitted comment has a disposition, with a reply deadline ahead', () => {
    const c = clock();
    const round = closed(c);
    expect(publishDispositions(round, people.secretariat, hours(c.now(), 72), c.now(), { undisposed: 3 })).toMatchObject({ ok: false, error: { code: 'dispositions_missing', status: 409 } });
    expect(publishDispositions(round, people.secretariat, hours(c.now(), 0.5), c.now(), { undisposed: 0 })).toMatchObject({ ok: false, error: { code: 'deadline_too_soon', status: 400 } });
    const published = ok(publishDispositions(round, people.secretariat, hours(c.now(), 72), c.now(), { undisposed: 0 }));
    expect(published).toMatchObject({ status: 'dispositions', replyDeadline: hours(c.now(), 72).toISOString(), dispositionsPublishedAt: c.now().toISOString() });
  });

  it('concludes at the reply deadline, or earlier once every disposition has its reply', () => {
    const c = clock();
    const round = ok(publishDispositions(closed(c), people.secretariat, hours(c.now(), 72), c.now(), { undisposed: 0 }));
    expect(concludeRound(round, people.secretariat, c.now(), { unreplied: 2 })).toMatchObject({ ok: false, error: { code: 'replies_pending', status: 409 } });
    expect(ok(concludeRound(round, people.secretariat, c.now(), { unreplied: 0 })).status).toBe('concluded');
    c.advance(72);
    expect(ok(concludeRound(round, null, c.now(), { unreplied: 2 })).concludedAt).toBe(c.now().toISOString());
  });

  it('refuses every move out of order (409)', () => {
    const c = clock();
    const round = draft(c);
    expect(closeRound(round, people.secretariat, c.now(), { partiesPending: 0 })).toMatchObject({ ok: false, error: { code: 'transition_not_allowed', status: 409 } });
    expect(publishDispositions(round, people.secretariat, hours(c.now(), 72), c.now(), { undisposed: 0 })).toMatchObject({ ok: false, error: { code: 'transition_not_allowed' } });
    expect(concludeRound(opened(c), people.secretariat, c.now(), { unreplied: 0 })).toMatchObject({ ok: false, error: { code: 'transition_not_allowed' } });
    expect(openRound(opened(c), people.secretariat, c.now())).toMatchObject({ ok: false, error: { code: 'transition_not_allowed' } });
  });
});

describe('cancelRound', () => {
  it('cancels a draft or an open round, not one whose comments are in', () => {
    const c = clock();
    expect(ok(cancelRound(draft(c), people.secretariat, c.now())).status).toBe('cancelled');
    expect(ok(cancelRound(opened(c), people.coordinator, c.now())).status).toBe('cancelled');
    const round = opened(c, 48);
    c.advance(48);
    const closed = ok(closeRound(round, null, c.now(), { partiesPending: 0 }));
    expect(cancelRound(closed, people.secretariat, c.now())).toMatchObject({ ok: false, error: { code: 'transition_not_allowed' } });
  });
});

describe('attachNextVersion', () => {
  it('links the next version once commenting is over, and refuses the round’s own version', () => {
    const c = clock();
    const round = opened(c, 48);
    expect(attachNextVersion(round, people.secretariat, 'v2', c.now())).toMatchObject({ ok: false, error: { code: 'round_not_closed', status: 409 } });
    c.advance(48);
    const closed = ok(closeRound(round, null, c.now(), { partiesPending: 0 }));
    expect(attachNextVersion(closed, people.secretariat, 'v1', c.now())).toMatchObject({ ok: false, error: { code: 'same_version', status: 400 } });
    expect(attachNextVersion(closed, people.peFocal, 'v2', c.now())).toMatchObject({ ok: false, error: { status: 403 } });
    expect(ok(attachNextVersion(closed, people.secretariat, 'v2', c.now())).nextVersionId).toBe('v2');
  });
});

describe('the transition table', () => {
  it('goes draft → open → closed → dispositions → concluded, with cancel from draft and open', () => {
    expect(ROUND_TRANSITIONS.map((t) => `${t.from}>${t.to}`)).toEqual(['draft>open', 'draft>cancelled', 'open>closed', 'open>cancelled', 'closed>dispositions', 'dispositions>concluded']);
  });
});

describe('reminders to delegations that have not submitted', () => {
  it('plans one reminder a day before the deadline, keyed by the deadline', () => {
    const c = clock();
    const round = opened(c, 24 * 7);
    const job = roundReminderJob(round, c.now());
    expect(job).toEqual({ key: `round-reminder:r1:${hours(c.now(), 24 * 7).getTime()}`, runAt: hours(c.now(), 24 * 6) });
    const extended = ok(extendDeadline(round, people.secretariat, hours(c.now(), 24 * 10), c.now()));
    expect(roundReminderJob(extended, c.now())?.key).not.toBe(job?.key);
    expect(roundReminderJob(extended, c.now())?.runAt).toEqual(hours(c.now(), 24 * 9));
  });

  it('plans none when less than a day is left, and none for a draft or a closed round', () => {
    const c = clock();
    expect(roundReminderJob(opened(c, 20), c.now())).toBeNull();
    expect(roundReminderJob(draft(c), c.now())).toBeNull();
    const round = opened(c, 48);
    c.advance(30);
    expect(roundReminderJob(round, c.now())).toBeNull();
  });

  it('reminds each party that has not submitted, once, even across a restart', () => {
    const c = clock();
    const round = opened(c, 48);
    c.advance(24);
    const parties = [
      { party: { kind: 'country' as const, id: 'pe' }, submitted: false },
      { party: { kind: 'country' as const, id: 'mx' }, submitted: true },
      { party: { kind: 'country' as const, id: 'br' }, submitted: false },
      { party: { kind: 'organization' as const, id: 'unicef' }, submitted: false },
    ];
    const first = reminderRecipients(round, parties, new Set(), c.now());
    expect(first.map((r) => r.party.id)).toEqual(['pe', 'br', 'unicef']);
    const deadline = hours(c.now(), 24).getTime();
    expect(first[0]!.key).toBe(`round-reminder:r1:${deadline}:c:pe`);
    // The process stopped after Peru's reminder was recorded as sent: the rerun sends the others only.
    const afterRestart = reminderRecipients(round, parties, new Set([first[0]!.key]), c.now());
    expect(afterRestart.map((r) => r.party.id)).toEqual(['br', 'unicef']);
    expect(reminderRecipients(round, parties, new Set(first.map((r) => r.key)), c.now())).toEqual([]);
  });

  it('sends nothing once the deadline has passed or the round is not open', () => {
    const c = clock();
    const round = opened(c, 48);
    const parties = [{ party: { kind: 'country' as const, id: 'pe' }, submitted: false }];
    c.advance(48);
    expect(reminderRecipients(round, parties, new Set(), c.now())).toEqual([]);
    expect(reminderRecipients(draft(c), parties, new Set(), c.now())).toEqual([]);
  });
});
