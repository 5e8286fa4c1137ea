import { describe, expect, it } from 'vitest';
import {
  CASE_STATUSES,
  CONCLUDED,
  TRANSITIONS,
  agreeExplanation,
  canView,
  caseRelations,
  newCase,
  publish,
  setCauses,
  setExplanation,
  transition,
  type Actor,
  type CaseRelation,
  type CaseState,
  type CaseStatus,
} from '../../../server/features/discrepancies/domain/statuses.js';

const NOW = new Date('2026-03-10T15:00:00.000Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const actor = (relation: CaseRelation | CaseRelation[], id = `person-${String(relation)}`): Actor => ({ id, relations: Array.isArray(relation) ? relation : [relation] });
const country = actor('country_delegation', 'focal-cl');
const coordinator = actor('coordinator', 'coord');
const secretariat = actor('secretariat', 'sec');
const agency = actor('agency_observer', 'unicef-obs');
const nobody = actor([], 'other-country');

/** Walks a case along statuses with the secretariat, failing loudly if a step is refused. */
function walk(state: CaseState, ...steps: CaseStatus[]): CaseState {
  for (const to of steps) {
    if (to === 'explained' && !state.primaryCause) state = ok(setCauses(state, 'agency_estimate', [], secretariat, NOW));
    if (to === 'documented' && !(state.explanation?.agreedByCountry && state.explanation.agreedByAgency)) state = agreed(state);
    state = ok(transition(state, to, secretariat, NOW));
  }
  return state;
}
function ok<T>(result: { ok: true; state: T } | { ok: false; error: { code: string } }): T {
  if (!result.ok) throw new Error(`refused: ${result.error.code}`);
  return result.state;
}
function agreed(state: CaseState): CaseState {
  state = ok(setExplanation(state, 'UNICEF models the series; INE counts registered deaths.', secretariat, NOW));
  state = ok(agreeExplanation(state, country, NOW));
  return ok(agreeExplanation(state, agency, NOW));
}

describe('the status code list and the transition table', () => {
  it('has the seven statuses of issue 14, starting at identified', () => {
    expect(CASE_STATUSES.codes).toEqual(['identified', 'under_review', 'explained', 'reconciling', 'reconciled', 'documented', 'closed_invalid']);
    expect(newCase().status).toBe('identified');
    for (const item of CASE_STATUSES.items) expect(item.label.es).not.toBe('');
  });

  it('names only known statuses and relations, each pair once', () => {
    const pairs = TRANSITIONS.map((rule) => `${rule.from}>${rule.to}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const rule of TRANSITIONS) {
      expect(CASE_STATUSES.has(rule.from) && CASE_STATUSES.has(rule.to)).toBe(true);
      expect(rule.by.length).toBeGreaterThan(0);
      for (const by of rule.by) expect(['country_delegation', 'coordinator', 'secretariat', 'agency_observer']).toContain(by);
    }
  });

  it('lets only staff close as invalid, from every open status', () => {
    for (const from of ['identified', 'under_review', 'explained', 'reconciling'] as const) {
      const rule = TRANSITIONS.find((r) => r.from === from && r.to === 'closed_invalid');
      expect(rule?.by, from).toEqual(['coordinator', 'secretariat']);
    }
  });

  it('reaches every status from identified', () => {
    const reached = new Set<string>(['identified']);
    for (let i = 0; i < 10; i += 1) for (const rule of TRANSITIONS) if (reached.has(rule.from)) reached.add(rule.to);
    expect([...reached].sort()).toEqual([...CASE_STATUSES.codes].sort());
  });
});

describe('transition(case, to, actor, now)', () => {
  it('moves along the ladder and keeps who, when, from, to and the note', () => {
    const start = newCase();
    const step = transition(start, 'under_review', country, NOW, 'INE revisará la serie de defunciones.');
    expect(step.ok).toBe(true);
    if (!step.ok) return;
    expect(step.state.status).toBe('under_review');
    expect(step.state.history).toEqual([{ from: 'identified', to: 'under_review', at: NOW.toISOString(), by: 'focal-cl', relation: 'country_delegation', note: 'INE revisará la serie de defunciones.', withdrewPublication: false }]);
    expect(start.status).toBe('identified'); // pure: the input is untouched
    expect(start.history).toEqual([]);
  });

  it.each<[CaseStatus, CaseStatus, CaseRelation]>([
    ['identified', 'under_review', 'country_delegation'],
    ['identified', 'under_review', 'coordinator'],
    ['identified', 'under_review', 'secretariat'],
    ['under_review', 'explained', 'country_delegation'],
    ['explained', 'reconciling', 'coordinator'],
    ['reconciling', 'reconciled', 'country_delegation'],
    ['explained', 'under_review', 'secretariat'],
    ['reconciling', 'explained', 'country_delegation'],
    ['identified', 'closed_invalid', 'secretariat'],
    ['reconciling', 'closed_invalid', 'coordinator'],
  ])('allows %s → %s by %s', (from, to, relation) => {
    const state: CaseState = { ...newCase(), status: from, primaryCause: 'different_source' };
    const result = transition(state, to, actor(relation), NOW);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.state.status).toBe(to);
  });

  it.each<[CaseStatus, CaseStatus, CaseRelation, string]>([
    ['identified', 'closed_invalid', 'country_delegation', 'relation_not_allowed'],
    ['under_review', 'closed_invalid', 'country_delegation', 'relation_not_allowed'],
    ['identified', 'under_review', 'agency_observer', 'relation_not_allowed'],
    ['identified', 'explained', 'secretariat', 'transition_not_allowed'],
    ['identified', 'reconciled', 'coordinator', 'transition_not_allowed'],
    ['under_review', 'documented', 'secretariat', 'transition_not_allowed'],
    ['reconciled', 'reconciling', 'secretariat', 'transition_not_allowed'],
    ['closed_invalid', 'explained', 'secretariat', 'transition_not_allowed'],
    ['explained', 'explained', 'secretariat', 'same_status'],
  ])('refuses %s → %s by %s (%s)', (from, to, relation, code) => {
    const state: CaseState = { ...newCase(), status: from, primaryCause: 'other' };
    const result = transition(state, to, actor(relation), NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('refuses anyone without a relation to the case, with a 403', () => {
    const result = transition(newCase(), 'under_review', nobody, NOW);
    expect(result).toMatchObject({ ok: false, error: { code: 'relation_not_allowed', status: 403 } });
  });

  it('refuses an unknown status with a 400 and a move out of the table with a 409', () => {
    expect(transition(newCase(), 'published' as CaseStatus, secretariat, NOW)).toMatchObject({ ok: false, error: { code: 'unknown_status', status: 400 } });
    expect(transition(newCase(), 'reconciled', secretariat, NOW)).toMatchObject({ ok: false, error: { code: 'transition_not_allowed', status: 409 } });
  });

  it('needs a primary cause before a case is explained', () => {
    const reviewing = walk(newCase(), 'under_review');
    expect(transition(reviewing, 'explained', country, NOW)).toMatchObject({ ok: false, error: { code: 'cause_required', status: 409 } });
    const withCause = ok(setCauses(reviewing, 'population_base', ['timeliness'], country, NOW));
    expect(transition(withCause, 'explained', country, NOW).ok).toBe(true);
  });

  it('needs the explanation agreed by both sides before a case is documented', () => {
    let state = walk(newCase(), 'under_review', 'explained');
    expect(transition(state, 'documented', country, NOW)).toMatchObject({ ok: false, error: { code: 'agreement_required' } });
    state = ok(setExplanation(state, 'Different population projections (CELADE 2024 vs WPP 2024).', country, NOW));
    state = ok(agreeExplanation(state, country, NOW));
    expect(transition(state, 'documented', country, NOW)).toMatchObject({ ok: false, error: { code: 'agreement_required' } });
    state = ok(agreeExplanation(state, agency, NOW));
    expect(transition(state, 'documented', country, NOW).ok).toBe(true);
  });

  it('refuses an over-long note', () => {
    expect(transition(newCase(), 'under_review', country, NOW, 'x'.repeat(5_001))).toMatchObject({ ok: false, error: { code: 'note_too_long', status: 400 } });
  });

  it('takes the most capable of an actor’s relations (a coordinator from the case’s country may close)', () => {
    const both = actor(['country_delegation', 'coordinator'], 'coord-cl');
    expect(transition(newCase(), 'closed_invalid', both, NOW)).toMatchObject({ ok: true, state: { history: [{ relation: 'coordinator' }] } });
  });
});

describe('reopening', () => {
  it('reopens a reconciled or documented case to under review, by the country or staff', () => {
    const reconciled = walk(newCase(), 'under_review', 'explained', 'reconciling', 'reconciled');
    expect(transition(reconciled, 'under_review', country, NOW)).toMatchObject({ ok: true, state: { status: 'under_review' } });
    const documented = walk(newCase(), 'under_review', 'explained', 'documented');
    expect(transition(documented, 'under_review', coordinator, NOW)).toMatchObject({ ok: true, state: { status: 'under_review' } });
    expect(transition(documented, 'under_review', agency, NOW)).toMatchObject({ ok: false, error: { code: 'relation_not_allowed' } });
  });

  it('lets only staff reopen a case closed as invalid', () => {
    const closed = walk(newCase(), 'closed_invalid');
    expect(transition(closed, 'under_review', country, NOW)).toMatchObject({ ok: false, error: { code: 'relation_not_allowed' } });
    expect(transition(closed, 'under_review', secretariat, NOW)).toMatchObject({ ok: true, state: { status: 'under_review' } });
  });

  it('withdraws the publication and the agreements when a published case is reopened, and says so in the history', () => {
    let state = walk(newCase(), 'under_review', 'explained', 'documented');
    state = ok(publish(state, secretariat, later(5)));
    expect(state.published).toEqual({ at: later(5).toISOString(), by: 'sec' });
    state = ok(transition(state, 'under_review', country, later(10), 'New vital statistics for 2010.'));
    expect(state.published).toBeNull();
    expect(state.explanation?.agreedByCountry).toBeNull();
    expect(state.explanation?.agreedByAgency).toBeNull();
    expect(state.explanation?.text).toMatch(/UNICEF/); // the text stays, to be agreed again
    expect(state.history.at(-1)).toMatchObject({ from: 'documented', to: 'under_review', withdrewPublication: true });
    // The full path is in the history, oldest first.
    expect(state.history.map((h) => h.to)).toEqual(['under_review', 'explained', 'documented', 'under_review']);
  });
});

describe('publishing: a separate act needing an agreed explanation by both sides', () => {
  it('publishes a documented case once both sides agreed, by the country or staff', () => {
    const documented = walk(newCase(), 'under_review', 'explained', 'documented');
    expect(publish(documented, agency, NOW)).toMatchObject({ ok: false, error: { code: 'relation_not_allowed' } });
    expect(publish(documented, country, NOW)).toMatchObject({ ok: true, state: { published: { by: 'focal-cl' }, status: 'documented' } });
    const published = ok(publish(documented, country, NOW));
    expect(publish(published, secretariat, NOW)).toMatchObject({ ok: false, error: { code: 'already_published' } });
  });

  it('refuses a case that is not reconciled or documented', () => {
    const explained = agreed(walk(newCase(), 'under_review', 'explained'));
    expect(publish(explained, secretariat, NOW)).toMatchObject({ ok: false, error: { code: 'not_concluded', status: 409 } });
    const closed = walk(newCase(), 'closed_invalid');
    expect(publish(closed, secretariat, NOW)).toMatchObject({ ok: false, error: { code: 'not_concluded' } });
  });

  it('refuses a reconciled case whose explanation the agency has not agreed', () => {
    let state = walk(newCase(), 'under_review', 'explained', 'reconciling', 'reconciled');
    expect(publish(state, secretariat, NOW)).toMatchObject({ ok: false, error: { code: 'agreement_required' } });
    state = ok(setExplanation(state, 'The agency adopted the national figure in its 2026 release.', secretariat, NOW));
    state = ok(agreeExplanation(state, country, NOW));
    expect(publish(state, secretariat, NOW)).toMatchObject({ ok: false, error: { code: 'agreement_required' } });
    state = ok(agreeExplanation(state, secretariat, NOW)); // the secretariat records the agency's agreement
    expect(publish(state, secretariat, NOW).ok).toBe(true);
  });
});

describe('explanation and agreements', () => {
  it('takes the country’s agreement only from its delegation, the agency’s from its observer or the secretariat', () => {
    const state = ok(setExplanation(walk(newCase(), 'under_review'), 'Text.', country, NOW));
    expect(agreeExplanation(state, coordinator, NOW)).toMatchObject({ ok: false, error: { code: 'relation_not_allowed' } });
    expect(ok(agreeExplanation(state, country, NOW)).explanation?.agreedByCountry).toEqual({ at: NOW.toISOString(), by: 'focal-cl' });
    expect(ok(agreeExplanation(state, agency, NOW)).explanation?.agreedByAgency).toEqual({ at: NOW.toISOString(), by: 'unicef-obs' });
    expect(ok(agreeExplanation(state, secretariat, NOW)).explanation?.agreedByAgency?.by).toBe('sec');
  });

  it('clears both agreements when the text changes, and keeps them when it is saved unchanged', () => {
    let state = agreed(walk(newCase(), 'under_review'));
    const same = ok(setExplanation(state, state.explanation!.text, agency, later(1)));
    expect(same.explanation?.agreedByCountry).not.toBeNull();
    state = ok(setExplanation(state, 'A different explanation.', agency, later(2)));
    expect(state.explanation).toEqual({ text: 'A different explanation.', agreedByCountry: null, agreedByAgency: null, updatedAt: later(2).toISOString(), updatedBy: 'unicef-obs' });
  });

  it('refuses an empty explanation, agreeing to none, and any change while published', () => {
    const reviewing = walk(newCase(), 'under_review');
    expect(setExplanation(reviewing, '   ', country, NOW)).toMatchObject({ ok: false, error: { code: 'explanation_required', status: 400 } });
    expect(agreeExplanation(reviewing, country, NOW)).toMatchObject({ ok: false, error: { code: 'explanation_required' } });
    const published = ok(publish(walk(newCase(), 'under_review', 'explained', 'documented'), secretariat, NOW));
    expect(setExplanation(published, 'Changed after publication.', secretariat, NOW)).toMatchObject({ ok: false, error: { code: 'published', status: 409 } });
    expect(setCauses(published, 'other', [], secretariat, NOW)).toMatchObject({ ok: false, error: { code: 'published' } });
  });
});

describe('causes', () => {
  it('sets one primary and distinct secondary causes from the code list', () => {
    const state = ok(setCauses(newCase(), 'agency_model', ['population_base', 'timeliness'], agency, NOW));
    expect(state.primaryCause).toBe('agency_model');
    expect(state.secondaryCauses).toEqual(['population_base', 'timeliness']);
    expect(setCauses(newCase(), 'weather' as never, [], country, NOW)).toMatchObject({ ok: false, error: { code: 'unknown_cause' } });
    expect(setCauses(newCase(), 'other', ['other'], country, NOW)).toMatchObject({ ok: false, error: { code: 'bad_secondary_causes' } });
    expect(setCauses(newCase(), 'other', ['units', 'units'], country, NOW)).toMatchObject({ ok: false, error: { code: 'bad_secondary_causes' } });
    expect(setCauses(newCase(), 'other', [], nobody, NOW)).toMatchObject({ ok: false, error: { code: 'relation_not_allowed' } });
  });
});

describe('who relates to a case, and who sees it', () => {
  const subject = { countryId: 'cl', agencyIds: ['unicef'] };

  it.each([
    [{ role: 'member', countryId: 'cl', organizationId: null }, ['country_delegation']],
    [{ role: 'member', countryId: 'br', organizationId: null }, []],
    [{ role: 'coordinator', countryId: 'cl', organizationId: null }, ['country_delegation', 'coordinator']],
    [{ role: 'coordinator', countryId: 'mx', organizationId: null }, ['coordinator']],
    [{ role: 'secretariat', countryId: null, organizationId: 'eclac' }, ['secretariat']],
    [{ role: 'observer', countryId: null, organizationId: 'unicef' }, ['agency_observer']],
    [{ role: 'observer', countryId: null, organizationId: 'paho-who' }, []],
    [{ role: 'admin', countryId: null, organizationId: 'eclac' }, []],
  ] as const)('%j → %j', (person, relations) => {
    expect(caseRelations(person, subject)).toEqual(relations);
  });

  it('shows an unpublished case to its participants only, a published one to every member of the group', () => {
    const draft = newCase();
    expect(canView(draft, ['country_delegation'], true)).toBe(true);
    expect(canView(draft, ['agency_observer'], true)).toBe(true);
    expect(canView(draft, [], true)).toBe(false); // another country, another observer, an admin
    const published = { ...draft, published: { at: NOW.toISOString(), by: 'sec' } };
    expect(canView(published, [], true)).toBe(true);
    expect(canView(published, [], false)).toBe(false); // not signed in / not in the group
  });
});

// Found by mutation testing (npm run mutate): edges of the rules no test above looked at.
describe('the edges of the rules', () => {
  /** The refusal of a result, checked to carry a message a person can read. */
  const refusal = (result: ReturnType<typeof transition>) => {
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error.message.length).toBeGreaterThan(10);
    return result.error;
  };

  it('starts a case with nothing set', () => {
    expect(newCase()).toEqual({ status: 'identified', primaryCause: null, secondaryCauses: [], explanation: null, published: null, history: [] });
  });

  it('labels a status in either language, and an unknown code with null', () => {
    expect(CASE_STATUSES.label('explained', 'es')).toBe('Explicado');
    expect(CASE_STATUSES.label('documented', 'en')).toBe('Documented (side by side)');
    expect(CASE_STATUSES.label('published', 'en')).toBeNull();
  });

  it('explains every refusal in words, naming who may act and what is unknown', () => {
    expect(refusal(transition(newCase(), 'under_review', nobody, NOW)).message).toBe('Only country_delegation, coordinator, secretariat may move a case from identified to under_review.');
    expect(refusal(transition(newCase(), 'published' as CaseStatus, secretariat, NOW)).message).toContain('published');
    expect(refusal(transition(newCase(), 'identified', secretariat, NOW)).message).toContain('identified');
    expect(refusal(transition(newCase(), 'reconciled', secretariat, NOW)).message).toContain('identified to reconciled');
    expect(refusal(transition(newCase(), 'under_review', country, NOW, 'x'.repeat(5_001))).code).toBe('note_too_long');
    const reviewing = walk(newCase(), 'under_review');
    refusal(transition(reviewing, 'explained', country, NOW));
    refusal(transition(walk(newCase(), 'under_review', 'explained'), 'documented', country, NOW));
    const documented = walk(newCase(), 'under_review', 'explained', 'documented');
    refusal(publish(documented, agency, NOW));
    refusal(publish(ok(publish(documented, country, NOW)), country, NOW));
    refusal(publish(walk(newCase(), 'closed_invalid'), secretariat, NOW));
    refusal(publish(walk(newCase(), 'under_review', 'explained', 'reconciling', 'reconciled'), secretariat, NOW));
    refusal(setExplanation(reviewing, ' ', country, NOW));
    refusal(setExplanation(reviewing, 'Text', nobody, NOW));
    refusal(setExplanation(reviewing, 'x'.repeat(20_001), country, NOW));
    refusal(agreeExplanation(reviewing, coordinator, NOW));
    refusal(agreeExplanation(reviewing, country, NOW));
    refusal(setCauses(reviewing, 'other', [], nobody, NOW));
    refusal(setCauses(reviewing, 'other', ['other'], country, NOW));
    const published = ok(publish(documented, country, NOW));
    refusal(setExplanation(published, 'Changed.', country, NOW));
    refusal(setCauses(published, 'other', [], country, NOW));
    refusal(agreeExplanation(published, country, NOW));
    expect(refusal(setCauses(reviewing, 'weather' as never, ['rain' as never], country, NOW)).message).toBe('Not a cause: weather, rain.');
  });

  it('keeps a note trimmed, a blank note as none, and takes a note of exactly the longest length', () => {
    expect(ok(transition(newCase(), 'under_review', country, NOW, '  Revisar la serie.  ')).history[0]!.note).toBe('Revisar la serie.');
    expect(ok(transition(newCase(), 'under_review', country, NOW, '   ')).history[0]!.note).toBeNull();
    expect(ok(transition(newCase(), 'under_review', country, NOW, ` ${'x'.repeat(5_000)} `)).history[0]!.note).toHaveLength(5_000);
  });

  it('says no publication was withdrawn when an unpublished case is reopened', () => {
    const reconciled = walk(newCase(), 'under_review', 'explained', 'reconciling', 'reconciled');
    expect(ok(transition(reconciled, 'under_review', country, NOW)).history.at(-1)).toMatchObject({ withdrewPublication: false });
  });

  it('lets nobody without a relation write the explanation, and takes one of exactly the longest length', () => {
    const reviewing = walk(newCase(), 'under_review');
    expect(setExplanation(reviewing, 'Text.', nobody, NOW)).toMatchObject({ ok: false, error: { code: 'relation_not_allowed', status: 403 } });
    expect(ok(setExplanation(reviewing, 'x'.repeat(20_000), country, NOW)).explanation?.text).toHaveLength(20_000);
    expect(setExplanation(reviewing, 'x'.repeat(20_001), country, NOW)).toMatchObject({ ok: false, error: { code: 'explanation_too_long', status: 400 } });
  });

  it('refuses an agreement to a published case, and keeps the first agreement when a side agrees twice', () => {
    const published = ok(publish(walk(newCase(), 'under_review', 'explained', 'documented'), secretariat, NOW));
    expect(agreeExplanation(published, country, NOW)).toMatchObject({ ok: false, error: { code: 'published', status: 409 } });
    const once = ok(agreeExplanation(ok(setExplanation(walk(newCase(), 'under_review'), 'Text.', country, NOW)), country, NOW));
    const twice = agreeExplanation(once, country, later(30));
    expect(twice).toEqual({ ok: true, state: once });
  });

  it('gives a relation by role as well as by country or agency', () => {
    const subject = { countryId: 'cl', agencyIds: ['unicef'] };
    // An admin or the secretariat from the case's country is not its delegation.
    expect(caseRelations({ role: 'admin', countryId: 'cl', organizationId: null }, subject)).toEqual([]);
    expect(caseRelations({ role: 'secretariat', countryId: 'cl', organizationId: null }, subject)).toEqual(['secretariat']);
    // Only an observer speaks for the agency: a member from another country affiliated with it does not.
    expect(caseRelations({ role: 'member', countryId: 'br', organizationId: 'unicef' }, subject)).toEqual([]);
    expect(caseRelations({ role: 'observer', countryId: null, organizationId: 'paho-who' }, subject)).toEqual([]);
    expect(caseRelations({ role: 'observer', countryId: null, organizationId: null }, subject)).toEqual([]);
    expect(caseRelations({ role: 'observer', countryId: null, organizationId: 'unicef' }, subject)).toEqual(['agency_observer']);
  });

  it('leaves a concluded status only by reopening, and every reopening leaves a concluded status', () => {
    expect([...CONCLUDED].sort()).toEqual(['closed_invalid', 'documented', 'reconciled']);
    for (const rule of TRANSITIONS) expect(Boolean(rule.reopens), `${rule.from} > ${rule.to}`).toBe(CONCLUDED.has(rule.from));
  });

  it('needs both agreements to document a case that was reconciling', () => {
    const reconciling = walk(newCase(), 'under_review', 'explained', 'reconciling');
    expect(transition(reconciling, 'documented', country, NOW)).toMatchObject({ ok: false, error: { code: 'agreement_required', status: 409 } });
    expect(transition(agreed(reconciling), 'documented', country, NOW).ok).toBe(true);
  });
});
