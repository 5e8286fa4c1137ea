import { describe, expect, it } from 'vitest';
import { pollToProposal, type QuickPollInput } from '../../../server/features/proposals/domain/quick-poll.js';
import { clock, hours, ok, people } from './support.js';

const MEETING = { meetingTitle: 'Reunión virtual de mayo', occurrenceStartsAt: Date.parse('2026-05-04T14:00:00.000Z') };

function yesNo(overrides: Partial<QuickPollInput> = {}): QuickPollInput {
  return {
    id: 'qp1', question: '¿Adoptamos el método B?', kind: 'yes_no_abstain', scope: 'country',
    options: [{ id: 'yes', label: null }, { id: 'no', label: null }, { id: 'abstain', label: null }],
    answers: [
      { voter: 'c:pe', userId: 'pe-focal', countryId: 'pe', optionId: 'yes', updatedAt: Date.parse('2026-05-04T14:30:00.000Z') },
      { voter: 'c:mx', userId: 'mx-focal', countryId: 'mx', optionId: 'no', updatedAt: Date.parse('2026-05-04T14:31:00.000Z') },
      { voter: 'c:br', userId: 'br-focal', countryId: 'br', optionId: 'abstain', updatedAt: Date.parse('2026-05-04T14:32:00.000Z') },
    ],
    closedAt: Date.parse('2026-05-04T14:40:00.000Z'),
    ...MEETING,
    ...overrides,
  };
}

describe('pollToProposal (a meeting’s quick poll, after the meeting)', () => {
  it('turns a per-country yes / no / abstain poll into a one-position-per-country proposal, carrying the answers', () => {
    const c = clock('2026-05-05T12:00:00.000Z');
    const { proposal, positions } = ok(pollToProposal(yesNo(), { id: 'p1', threadId: 't1', closesAt: hours(c.now(), 72), language: 'es' }, people.proposer, c.now()));
    expect(proposal).toMatchObject({ id: 'p1', threadId: 't1', eligibility: 'one_per_country', proposerId: 'prop', closesAt: hours(c.now(), 72).toISOString() });
    expect(proposal.statement).toContain('¿Adoptamos el método B?');
    expect(proposal.statement).toContain('Reunión virtual de mayo');
    expect(proposal.statement).toMatch(/sí: 1 · no: 1 · abstención: 1/i);
    expect(positions).toEqual([
      { proposalId: 'p1', voterKey: 'c:pe', countryId: 'pe', position: 'agree', reason: null, by: 'pe-focal', at: '2026-05-04T14:30:00.000Z', revision: 1, fromPoll: true },
      { proposalId: 'p1', voterKey: 'c:mx', countryId: 'mx', position: 'disagree', reason: null, by: 'mx-focal', at: '2026-05-04T14:31:00.000Z', revision: 1, fromPoll: true },
      { proposalId: 'p1', voterKey: 'c:br', countryId: 'br', position: 'abstain', reason: null, by: 'br-focal', at: '2026-05-04T14:32:00.000Z', revision: 1, fromPoll: true },
    ]);
  });

  it('turns a per-person poll into a participants proposal', () => {
    const c = clock('2026-05-05T12:00:00.000Z');
    const poll = yesNo({ scope: 'person', answers: [{ voter: 'p:unicef-obs', userId: 'unicef-obs', countryId: null, optionId: 'yes', updatedAt: Date.parse('2026-05-04T14:30:00.000Z') }] });
    const { proposal, positions } = ok(pollToProposal(poll, { id: 'p1', threadId: 't1', closesAt: hours(c.now(), 72), language: 'en' }, people.proposer, c.now()));
    expect(proposal.eligibility).toBe('participants');
    expect(proposal.statement).toMatch(/yes: 1 · no: 0 · abstain: 0/i);
    expect(positions.map((p) => [p.voterKey, p.position])).toEqual([['p:unicef-obs', 'agree']]);
  });

  it('carries an options poll’s answers only through a mapping the proposer gives, and takes the statement given', () => {
    const c = clock('2026-05-05T12:00:00.000Z');
    const poll = yesNo({
      kind: 'options', question: '¿Qué fecha para el taller?',
      options: [{ id: 'o1', label: '10 de junio' }, { id: 'o2', label: '17 de junio' }],
      answers: [
        { voter: 'c:pe', userId: 'pe-focal', countryId: 'pe', optionId: 'o1', updatedAt: 1 },
        { voter: 'c:mx', userId: 'mx-focal', countryId: 'mx', optionId: 'o2', updatedAt: 2 },
      ],
    });
    const plain = ok(pollToProposal(poll, { id: 'p1', threadId: 't1', closesAt: hours(c.now(), 72), language: 'es' }, people.proposer, c.now()));
    expect(plain.positions).toEqual([]);
    expect(plain.proposal.statement).toContain('10 de junio: 1 · 17 de junio: 1');
    const mapped = ok(pollToProposal(poll, { id: 'p1', threadId: 't1', closesAt: hours(c.now(), 72), language: 'es', statement: 'Realizar el taller el 10 de junio.', optionPositions: { o1: 'agree', o2: null } }, people.proposer, c.now()));
    expect(mapped.proposal.statement).toBe('Realizar el taller el 10 de junio.');
    expect(mapped.positions.map((p) => [p.voterKey, p.position])).toEqual([['c:pe', 'agree']]);
  });

  it('refuses a poll still open, an unknown option in the mapping, an unknown position, and someone who may not post', () => {
    const c = clock('2026-05-05T12:00:00.000Z');
    const target = { id: 'p1', threadId: 't1', closesAt: hours(c.now(), 72), language: 'es' as const };
    expect(pollToProposal(yesNo({ closedAt: null }), target, people.proposer, c.now())).toMatchObject({ ok: false, error: { code: 'poll_open', status: 409 } });
    expect(pollToProposal(yesNo(), { ...target, optionPositions: { maybe: 'agree' } }, people.proposer, c.now())).toMatchObject({ ok: false, error: { code: 'unknown_option', status: 400 } });
    expect(pollToProposal(yesNo(), { ...target, optionPositions: { yes: 'veto' as never } }, people.proposer, c.now())).toMatchObject({ ok: false, error: { code: 'unknown_position', status: 400 } });
    expect(pollToProposal(yesNo(), target, people.reader, c.now())).toMatchObject({ ok: false, error: { code: 'may_not_post', status: 403 } });
    expect(pollToProposal(yesNo(), { ...target, closesAt: hours(c.now(), 0.1) }, people.proposer, c.now())).toMatchObject({ ok: false, error: { code: 'closes_too_soon' } });
  });

  it('drops answers to options that no longer exist, and keeps the latest answer of a voter', () => {
    const c = clock('2026-05-05T12:00:00.000Z');
    const poll = yesNo({
      answers: [
        { voter: 'c:pe', userId: 'pe-focal', countryId: 'pe', optionId: 'gone', updatedAt: 1 },
        { voter: 'c:mx', userId: 'mx-focal', countryId: 'mx', optionId: 'yes', updatedAt: 1 },
        { voter: 'c:mx', userId: 'mx-alt', countryId: 'mx', optionId: 'no', updatedAt: 5 },
      ],
    });
    const { positions } = ok(pollToProposal(poll, { id: 'p1', threadId: 't1', closesAt: hours(c.now(), 72), language: 'es' }, people.proposer, c.now()));
    expect(positions.map((p) => [p.voterKey, p.position, p.by])).toEqual([['c:mx', 'disagree', 'mx-alt']]);
  });
});
