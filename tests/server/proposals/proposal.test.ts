import { describe, expect, it } from 'vitest';
import {
  POSITIONS,
  changeClosingTime,
  closeEarly,
  closingInstant,
  isOpen,
  mayTakePosition,
  newProposal,
  setOutcome,
  takePosition,
  voterKey,
  type Participant,
  type Position,
  type ProposalState,
} from '../../../server/features/proposals/domain/proposal.js';
import { clock, hours, ok, people } from './support.js';

function proposal(c = clock(), eligibility: ProposalState['eligibility'] = 'one_per_country', closeHours = 72): ProposalState {
  return ok(newProposal({ id: 'p1', threadId: 't1', statement: 'Adoptar el **método de conciliación** B.', closesAt: hours(c.now(), closeHours), eligibility }, people.proposer, c.now()));
}

describe('newProposal', () => {
  it('puts a statement to a thread with a closing time and who may take a position', () => {
    const c = clock();
    expect(proposal(c)).toEqual({
      id: 'p1', threadId: 't1', proposerId: 'prop', statement: 'Adoptar el **método de conciliación** B.', eligibility: 'one_per_country',
      closesAt: hours(c.now(), 72).toISOString(), createdAt: c.now().toISOString(), closedAt: null, closedBy: null, outcome: null,
    });
    expect(isOpen(proposal(c), c.now())).toBe(true);
  });

  it.each([
    ['someone who may not post in the thread', { by: people.reader }, 'may_not_post', 403],
    ['an empty statement', { statement: '  ' }, 'statement_required', 400],
    ['a statement over 20,000 characters', { statement: 'x'.repeat(20_001) }, 'statement_too_long', 400],
    ['a closing time within the hour', { closes: 0.5 }, 'closes_too_soon', 400],
    ['a closing time over a year away', { closes: 24 * 367 }, 'closes_too_far', 400],
    ['an unknown eligibility', { eligibility: 'everyone' }, 'unknown_eligibility', 400],
  ] as const)('refuses %s', (_what, change, code, status) => {
    const c = clock();
    const result = newProposal(
      { id: 'p', threadId: 't', statement: 'statement' in change ? change.statement : 'Texto.', closesAt: hours(c.now(), 'closes' in change ? change.closes : 48), eligibility: ('eligibility' in change ? change.eligibility : 'participants') as ProposalState['eligibility'] },
      'by' in change ? change.by : people.proposer,
      c.now(),
    );
    expect(result).toMatchObject({ ok: false, error: { code, status } });
  });
});

describe('who takes a position, under which key', () => {
  it('is every participant who may post, one position each, in a participants proposal', () => {
    const p = proposal(clock(), 'participants');
    expect([people.peFocal, people.unicef, people.moderator, people.reader].map((x) => mayTakePosition(p, x))).toEqual([true, true, true, false]);
    expect(voterKey(p, people.unicef)).toBe('p:unicef-obs');
    expect(voterKey(p, people.reader)).toBeNull();
  });

  it('is one position per country delegation: any delegate answers for the country, under the country’s key', () => {
    const p = proposal();
    expect([people.peFocal, people.peAlternate, people.coordinator, people.unicef, people.moderator, people.reader].map((x) => mayTakePosition(p, x))).toEqual([true, true, true, false, false, false]);
    expect(voterKey(p, people.peFocal)).toBe('c:pe');
    expect(voterKey(p, people.peAlternate)).toBe('c:pe');
  });
});

describe('takePosition', () => {
  it('records agree, abstain, disagree or block with an optional reason; block needs one', () => {
    const c = clock();
    const p = proposal(c, 'participants');
    expect(POSITIONS).toEqual(['agree', 'abstain', 'disagree', 'block']);
    const agreed = ok(takePosition(null, p, people.mxFocal, { position: 'agree' }, c.now()));
    expect(agreed).toEqual({ proposalId: 'p1', voterKey: 'p:mx-focal', countryId: 'mx', position: 'agree', reason: null, by: 'mx-focal', at: c.now().toISOString(), revision: 1, fromPoll: false });
    expect(takePosition(null, p, people.mxFocal, { position: 'block' }, c.now())).toMatchObject({ ok: false, error: { code: 'reason_required', status: 400 } });
    expect(ok(takePosition(null, p, people.mxFocal, { position: 'block', reason: '  Contradice la resolución 12.  ' }, c.now())).reason).toBe('Contradice la resolución 12.');
    expect(takePosition(null, p, people.mxFocal, { position: 'veto' }, c.now())).toMatchObject({ ok: false, error: { code: 'unknown_position', status: 400 } });
    expect(takePosition(null, p, people.mxFocal, { position: 'disagree', reason: 'x'.repeat(2_001) }, c.now())).toMatchObject({ ok: false, error: { code: 'reason_too_long', status: 400 } });
    expect(takePosition(null, p, people.reader, { position: 'agree' }, c.now())).toMatchObject({ ok: false, error: { code: 'not_eligible', status: 403 } });
  });

  it('is changeable until the close and refused from the closing instant on', () => {
    const c = clock();
    const p = proposal(c, 'participants', 72);
    const first = ok(takePosition(null, p, people.brFocal, { position: 'disagree' }, c.now()));
    c.advance(71.99);
    const changed = ok(takePosition(first, p, people.brFocal, { position: 'agree', reason: 'Convencidos.' }, c.now()));
    expect(changed).toMatchObject({ position: 'agree', revision: 2, at: c.now().toISOString() });
    c.advance(0.01);
    expect(isOpen(p, c.now())).toBe(false);
    expect(takePosition(changed, p, people.brFocal, { position: 'block', reason: 'tarde' }, c.now())).toMatchObject({ ok: false, error: { code: 'proposal_closed', status: 409 } });
  });

  it('keeps one position per country when two delegates answer at once: the second must see the first', () => {
    const c = clock();
    const p = proposal(c);
    // Both delegates loaded the page when Peru had no position, and answer at the same moment.
    const focal = ok(takePosition(null, p, people.peFocal, { position: 'agree', replaces: null }, c.now()));
    const alternate = ok(takePosition(null, p, people.peAlternate, { position: 'disagree', replaces: null }, c.now()));
    // Same key, same revision: the repository's unique key (proposal, voter key) takes one of them.
    expect([focal.voterKey, focal.revision]).toEqual([alternate.voterKey, alternate.revision]);
    // The loser, answering again against the stored position it had not seen, is refused ...
    expect(takePosition(focal, p, people.peAlternate, { position: 'disagree', replaces: null }, c.now())).toMatchObject({ ok: false, error: { code: 'position_changed', status: 409 } });
    expect(takePosition(focal, p, people.peAlternate, { position: 'disagree' }, c.now())).toMatchObject({ ok: false, error: { code: 'position_changed' } });
    // ... until it replaces it knowingly.
    expect(ok(takePosition(focal, p, people.peAlternate, { position: 'disagree', replaces: focal.revision }, c.now()))).toMatchObject({ position: 'disagree', by: 'pe-alt', revision: 2 });
  });

  it('lets a person change their own position without naming the revision', () => {
    const c = clock();
    const p = proposal(c);
    const mine = ok(takePosition(null, p, people.peFocal, { position: 'agree' }, c.now()));
    expect(ok(takePosition(mine, p, people.peFocal, { position: 'abstain' }, c.now())).revision).toBe(2);
    expect(takePosition(mine, p, people.peFocal, { position: 'abstain', replaces: 7 }, c.now())).toMatchObject({ ok: false, error: { code: 'position_changed' } });
  });

  it('refuses a stored position of another voter key (a caller’s mistake)', () => {
    const c = clock();
    const p = proposal(c);
    const mexico: Position = ok(takePosition(null, p, people.mxFocal, { position: 'agree' }, c.now()));
    expect(takePosition(mexico, p, people.peFocal, { position: 'agree' }, c.now())).toMatchObject({ ok: false, error: { code: 'wrong_position', status: 400 } });
  });
});

describe('closing', () => {
  it('closes early by the proposer or a moderator, not by others', () => {
    const c = clock();
    const p = proposal(c);
    expect(closeEarly(p, people.peFocal, c.now())).toMatchObject({ ok: false, error: { code: 'proposer_or_moderator', status: 403 } });
    const closed = ok(closeEarly(p, people.moderator, c.now()));
    expect(closed).toMatchObject({ closedAt: c.now().toISOString(), closedBy: 'mod' });
    expect(isOpen(closed, c.now())).toBe(false);
    expect(closeEarly(closed, people.proposer, c.now())).toMatchObject({ ok: false, error: { code: 'proposal_closed', status: 409 } });
  });

  it('moves the closing time while open, never into the past', () => {
    const c = clock();
    const p = proposal(c, 'participants', 48);
    expect(ok(changeClosingTime(p, people.proposer, hours(c.now(), 96), c.now())).closesAt).toBe(hours(c.now(), 96).toISOString());
    expect(changeClosingTime(p, people.proposer, hours(c.now(), 0.5), c.now())).toMatchObject({ ok: false, error: { code: 'closes_too_soon' } });
    expect(changeClosingTime(p, people.mxFocal, hours(c.now(), 96), c.now())).toMatchObject({ ok: false, error: { status: 403 } });
    c.advance(48);
    expect(changeClosingTime(p, people.proposer, hours(c.now(), 96), c.now())).toMatchObject({ ok: false, error: { code: 'proposal_closed' } });
  });
});

describe('setOutcome', () => {
  it('is written after the close by the proposer or a moderator, notifies the first time, and may be edited', () => {
    const c = clock();
    const p = proposal(c, 'participants', 48);
    expect(setOutcome(p, people.proposer, { markdown: 'Adoptado.' }, c.now())).toMatchObject({ ok: false, error: { code: 'proposal_open', status: 409 } });
    c.advance(48);
    expect(setOutcome(p, people.peFocal, { markdown: 'Adoptado.' }, c.now())).toMatchObject({ ok: false, error: { code: 'proposer_or_moderator', status: 403 } });
    expect(setOutcome(p, people.proposer, { markdown: ' ' }, c.now())).toMatchObject({ ok: false, error: { code: 'outcome_required', status: 400 } });
    expect(setOutcome(p, people.proposer, { markdown: 'x'.repeat(5_001) }, c.now())).toMatchObject({ ok: false, error: { code: 'outcome_too_long', status: 400 } });
    const first = ok(setOutcome(p, people.proposer, { markdown: 'Se adopta el **método B** por consenso.', concludeThread: true }, c.now()));
    expect(first).toEqual({
      proposal: { ...p, outcome: { markdown: 'Se adopta el **método B** por consenso.', by: 'prop', at: c.now().toISOString(), editedAt: null } },
      notify: true,
      concludeThread: true,
    });
    c.advance(1);
    const edited = ok(setOutcome(first.proposal, people.moderator, { markdown: 'Se adopta el método B.' }, c.now()));
    expect(edited.notify).toBe(false);
    expect(edited.concludeThread).toBe(false);
    expect(edited.proposal.outcome).toEqual({ markdown: 'Se adopta el método B.', by: 'prop', at: first.proposal.outcome!.at, editedAt: c.now().toISOString() });
  });

  it('is allowed right after an early close', () => {
    const c = clock();
    const closed = ok(closeEarly(proposal(c), people.proposer, c.now()));
    expect(setOutcome(closed, people.proposer, { markdown: 'Retirada.' }, c.now()).ok).toBe(true);
  });
});

const _typecheck: Participant = people.peFocal;
void _typecheck;

// Found by mutation testing (npm run mutate): exact limits, who counts as a delegation, and the words of every refusal.
describe('proposals: the edges', () => {
  type Refusable = { ok: true } | { ok: false; error: { code: string; message: string; status: number } };
  const refusal = (result: Refusable) => {
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error.message.length, result.error.code).toBeGreaterThan(10);
    return `${result.error.status} ${result.error.code}`;
  };
  const position = (p: ProposalState, by: Participant, over: Partial<Position> = {}): Position => ({
    proposalId: p.id, voterKey: voterKey(p, by)!, countryId: by.countryId, position: 'agree', reason: null, by: by.id, at: p.createdAt, revision: 1, fromPoll: false, ...over,
  });

  it('takes the exact limits: an hour and 366 days ahead, 20,000, 2,000 and 5,000 characters', () => {
    const c = clock();
    const base = { id: 'p', threadId: 't', statement: 'S', eligibility: 'participants' as const };
    expect(newProposal({ ...base, closesAt: hours(c.now(), 1) }, people.proposer, c.now()).ok).toBe(true);
    expect(newProposal({ ...base, closesAt: hours(c.now(), 366 * 24) }, people.proposer, c.now()).ok).toBe(true);
    expect(newProposal({ ...base, statement: 'x'.repeat(20_000), closesAt: hours(c.now(), 2) }, people.proposer, c.now()).ok).toBe(true);
    const p = proposal(c, 'participants');
    expect(ok(takePosition(null, p, people.mxFocal, { position: 'block', reason: 'x'.repeat(2_000) }, c.now())).reason).toHaveLength(2_000);
    expect(refusal(takePosition(null, p, people.mxFocal, { position: 'block', reason: 'x'.repeat(2_001) }, c.now()))).toBe('400 reason_too_long');
    const closed = ok(closeEarly(p, people.proposer, c.now()));
    expect(ok(setOutcome(closed, people.proposer, { markdown: 'x'.repeat(5_000) }, c.now())).proposal.outcome?.markdown).toHaveLength(5_000);
    expect(refusal(setOutcome(closed, people.proposer, { markdown: 'x'.repeat(5_001) }, c.now()))).toBe('400 outcome_too_long');
  });

  it('counts as a delegation only a member or the coordinator with a country', () => {
    const p = proposal();
    expect(mayTakePosition(p, { ...people.moderator, countryId: 'cl' })).toBe(false);
    expect(mayTakePosition(p, { ...people.peFocal, countryId: null })).toBe(false);
    expect(mayTakePosition(p, { ...people.unicef, countryId: 'cl' })).toBe(false);
    expect(mayTakePosition(p, people.coordinator)).toBe(true);
  });

  it('says who may take a position, by the kind of proposal', () => {
    const c = clock();
    const byCountry = takePosition(null, proposal(c), people.unicef, { position: 'agree' }, c.now());
    expect(byCountry.ok ? null : byCountry.error.message).toBe('Only country delegations take a position on this proposal.');
    const byParticipant = takePosition(null, proposal(c, 'participants'), people.reader, { position: 'agree' }, c.now());
    expect(byParticipant.ok ? null : byParticipant.error.message).toBe('Only participants of the thread take a position.');
    const unknown = takePosition(null, proposal(c), people.peFocal, { position: 'maybe' }, c.now());
    expect(unknown.ok ? null : unknown.error.message).toBe('A position is agree, abstain, disagree, block.');
  });

  it('refuses a stored position of the same voter on another proposal', () => {
    const c = clock();
    const p = proposal(c);
    expect(refusal(takePosition(position({ ...p, id: 'p2' }, people.peFocal), p, people.peFocal, { position: 'agree', replaces: 1 }, c.now()))).toBe('400 wrong_position');
  });

  it('closes at the time set, or at the early close', () => {
    const c = clock();
    const p = proposal(c);
    expect(closingInstant(p)).toBe(p.closesAt);
    expect(closingInstant(ok(closeEarly(p, people.proposer, c.now())))).toBe(c.now().toISOString());
  });

  it('explains every refusal', () => {
    const c = clock();
    const p = proposal(c);
    const closed = ok(closeEarly(p, people.proposer, c.now()));
    const base = { id: 'p', threadId: 't', statement: 'S', eligibility: 'participants' as const, closesAt: hours(c.now(), 2) };
    expect([
      refusal(newProposal(base, people.reader, c.now())),
      refusal(newProposal({ ...base, statement: ' ' }, people.proposer, c.now())),
      refusal(newProposal({ ...base, statement: 'x'.repeat(20_001) }, people.proposer, c.now())),
      refusal(newProposal({ ...base, eligibility: 'everyone' as never }, people.proposer, c.now())),
      refusal(newProposal({ ...base, closesAt: hours(c.now(), 0.5) }, people.proposer, c.now())),
      refusal(newProposal({ ...base, closesAt: hours(c.now(), 367 * 24) }, people.proposer, c.now())),
      refusal(takePosition(null, closed, people.peFocal, { position: 'agree' }, c.now())),
      refusal(takePosition(null, p, people.peFocal, { position: 'block' }, c.now())),
      refusal(takePosition(position(p, people.peFocal), p, people.peAlternate, { position: 'agree' }, c.now())),
      refusal(closeEarly(p, people.peFocal, c.now())),
      refusal(closeEarly(closed, people.proposer, c.now())),
      refusal(changeClosingTime(p, people.peFocal, hours(c.now(), 5), c.now())),
      refusal(changeClosingTime(closed, people.proposer, hours(c.now(), 5), c.now())),
      refusal(setOutcome(closed, people.peFocal, { markdown: 'M' }, c.now())),
      refusal(setOutcome(p, people.proposer, { markdown: 'M' }, c.now())),
      refusal(setOutcome(closed, people.proposer, { markdown: ' ' }, c.now())),
    ]).toEqual([
      '403 may_not_post', '400 statement_required', '400 statement_too_long', '400 unknown_eligibility', '400 closes_too_soon', '400 closes_too_far',
      '409 proposal_closed', '400 reason_required', '409 position_changed',
      '403 proposer_or_moderator', '409 proposal_closed', '403 proposer_or_moderator', '409 proposal_closed',
      '403 proposer_or_moderator', '409 proposal_open', '400 outcome_required',
    ]);
  });
});
