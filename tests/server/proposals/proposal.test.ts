import { describe, expect, it } from 'vitest';
import {
  POSITIONS,
  changeClosingTime,
  closeEarly,
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
