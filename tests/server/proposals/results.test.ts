import { describe, expect, it } from 'vitest';
import { newProposal, takePosition, type Position, type ProposalState } from '../../../server/features/proposals/domain/proposal.js';
import { proposalReminderJob, reminderRecipients, results } from '../../../server/features/proposals/domain/results.js';
import { clock, hours, ok, people } from './support.js';

const COUNTRIES = [
  { id: 'br', name: 'Brasil' },
  { id: 'cl', name: 'Chile' },
  { id: 'mx', name: 'México' },
  { id: 'pe', name: 'Perú' },
];

function setup(eligibility: ProposalState['eligibility'] = 'one_per_country', closeHours = 24 * 7) {
  const c = clock();
  const p = ok(newProposal({ id: 'p1', threadId: 't1', statement: 'Adoptar el plan.', closesAt: hours(c.now(), closeHours), eligibility }, people.proposer, c.now()));
  return { c, p };
}

describe('results', () => {
  it('counts positions and lays out the country grid with who has not taken one', () => {
    const { c, p } = setup();
    const positions: Position[] = [
      ok(takePosition(null, p, people.peAlternate, { position: 'agree' }, c.now())),
      ok(takePosition(null, p, people.mxFocal, { position: 'block', reason: 'Falta consulta.' }, c.now())),
      ok(takePosition(null, p, people.brFocal, { position: 'agree' }, c.now())),
    ];
    const r = results(p, positions, { countries: COUNTRIES, people: [] });
    expect(r.counts).toEqual({ agree: 2, abstain: 0, disagree: 0, block: 1, none: 1 });
    expect(r.eligible).toBe(4);
    expect(r.grid).toEqual([
      { countryId: 'br', name: 'Brasil', position: 'agree', reason: null, by: 'br-focal', at: c.now().toISOString() },
      { countryId: 'cl', name: 'Chile', position: null, reason: null, by: null, at: null },
      { countryId: 'mx', name: 'México', position: 'block', reason: 'Falta consulta.', by: 'mx-focal', at: c.now().toISOString() },
      { countryId: 'pe', name: 'Perú', position: 'agree', reason: null, by: 'pe-alt', at: c.now().toISOString() },
    ]);
    expect(r.pending).toEqual(['cl']);
  });

  it('counts each person in a participants proposal, lists who has not answered, and has no grid', () => {
    const { c, p } = setup('participants');
    const positions = [ok(takePosition(null, p, people.unicef, { position: 'abstain' }, c.now())), ok(takePosition(null, p, people.peFocal, { position: 'disagree' }, c.now()))];
    const r = results(p, positions, { countries: COUNTRIES, people: [{ id: 'unicef-obs' }, { id: 'pe-focal' }, { id: 'pe-alt' }, { id: 'mod' }] });
    expect(r.counts).toEqual({ agree: 0, abstain: 1, disagree: 1, block: 0, none: 2 });
    expect(r.grid).toBeNull();
    expect(r.pending).toEqual(['pe-alt', 'mod']);
  });

  it('ignores positions of countries or people no longer eligible', () => {
    const { c, p } = setup();
    const uruguay = { ...ok(takePosition(null, p, people.peFocal, { position: 'agree' }, c.now())), voterKey: 'c:uy', countryId: 'uy' };
    expect(results(p, [uruguay], { countries: COUNTRIES, people: [] }).counts.agree).toBe(0);
  });
});

describe('reminders, once, a day before the close, only to those who have not taken a position', () => {
  it('plans one job keyed by the closing time', () => {
    const { c, p } = setup();
    expect(proposalReminderJob(p, c.now())).toEqual({ key: `proposal-reminder:p1:${hours(c.now(), 24 * 7).getTime()}`, runAt: hours(c.now(), 24 * 6) });
    expect(proposalReminderJob(setup('participants', 20).p, c.now())).toBeNull();
    c.advance(24 * 6 + 1);
    expect(proposalReminderJob(p, c.now())).toBeNull();
  });

  it('reminds every delegate of a country without a position, nobody of a country with one, each once across restarts', () => {
    const { c, p } = setup();
    const positions = [ok(takePosition(null, p, people.peFocal, { position: 'agree' }, c.now()))];
    c.advance(24 * 6);
    const everyone = [people.peFocal, people.peAlternate, people.mxFocal, people.brFocal, people.unicef, people.moderator, people.reader];
    const first = reminderRecipients(p, positions, everyone, new Set(), c.now());
    expect(first.map((r) => r.personId)).toEqual(['mx-focal', 'br-focal']);
    expect(first[0]!.key).toBe(`proposal-reminder:p1:${new Date(p.closesAt).getTime()}:mx-focal`);
    expect(reminderRecipients(p, positions, everyone, new Set([first[0]!.key]), c.now()).map((r) => r.personId)).toEqual(['br-focal']);
    expect(reminderRecipients(p, positions, everyone, new Set(first.map((r) => r.key)), c.now())).toEqual([]);
  });

  it('reminds each eligible person without a position in a participants proposal, and nobody once closed', () => {
    const { c, p } = setup('participants');
    const positions = [ok(takePosition(null, p, people.unicef, { position: 'agree' }, c.now()))];
    const everyone = [people.peFocal, people.unicef, people.reader];
    expect(reminderRecipients(p, positions, everyone, new Set(), c.now()).map((r) => r.personId)).toEqual(['pe-focal']);
    c.advance(24 * 7);
    expect(reminderRecipients(p, positions, everyone, new Set(), c.now())).toEqual([]);
  });
});
