import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { closeEarly, newProposal, setOutcome, takePosition } from '../../../server/features/proposals/domain/proposal.js';
import { results } from '../../../server/features/proposals/domain/results.js';
import { NewProposalSchema, OutcomeInputSchema, PositionInputSchema, PositionSchema, ProposalSchema, ResultsSchema } from '../../../server/features/proposals/domain/schemas.js';
import { clock, hours, ok, people } from './support.js';

const ajv = addFormats.default(new Ajv());

describe('proposals schemas', () => {
  it('describe proposals, positions and results as the domain makes them', () => {
    const c = clock();
    const input = { statement: 'Adoptar el plan.', closesAt: hours(c.now(), 48).toISOString(), eligibility: 'one_per_country' as const };
    expect(ajv.validate(NewProposalSchema, input), JSON.stringify(ajv.errors)).toBe(true);
    const proposal = ok(newProposal({ id: 'p1', threadId: 't1', ...input, closesAt: new Date(input.closesAt) }, people.proposer, c.now()));
    expect(ajv.validate(ProposalSchema, proposal), JSON.stringify(ajv.errors)).toBe(true);
    const body = { position: 'block', reason: 'Falta consulta.', replaces: null };
    expect(ajv.validate(PositionInputSchema, body), JSON.stringify(ajv.errors)).toBe(true);
    const position = ok(takePosition(null, proposal, people.peFocal, body, c.now()));
    expect(ajv.validate(PositionSchema, position), JSON.stringify(ajv.errors)).toBe(true);
    const r = results(proposal, [position], { countries: [{ id: 'pe', name: 'Perú' }, { id: 'mx', name: 'México' }], people: [] });
    expect(ajv.validate(ResultsSchema, r), JSON.stringify(ajv.errors)).toBe(true);
    const closed = ok(closeEarly(proposal, people.proposer, c.now()));
    const outcome = ok(setOutcome(closed, people.proposer, { markdown: 'Bloqueada.' }, c.now()));
    expect(ajv.validate(ProposalSchema, outcome.proposal), JSON.stringify(ajv.errors)).toBe(true);
    expect(ajv.validate(OutcomeInputSchema, { markdown: 'x', concludeThread: true })).toBe(true);
    expect(ajv.validate(PositionInputSchema, { position: 'veto' })).toBe(false);
  });
});
