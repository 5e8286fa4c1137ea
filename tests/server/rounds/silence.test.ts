import { describe, expect, it } from 'vitest';
import type { Delegation } from '../../../server/features/rounds/domain/participants.js';
import { breakSilence, cancelSilence, settleSilence, silenceDeadlineJob, silenceOutcome, startSilence, type SilenceState } from '../../../server/features/rounds/domain/silence.js';
import { clock, hours, ok, people } from './support.js';

const PERU: Delegation = { focalPointId: 'pe-focal', designatedId: null };
const MEXICO: Delegation = { focalPointId: 'mx-focal', designatedId: null };

function started(c = clock(), deadlineHours = 72): SilenceState {
  return ok(startSilence({ id: 's1', documentId: 'd1', versionId: 'v3', countryIds: ['pe', 'mx', 'br'], deadline: hours(c.now(), deadlineHours) }, people.secretariat, c.now()));
}

describe('the silence procedure', () => {
  it('starts on a final version with a deadline, by an organizer', () => {
    const c = clock();
    const state = started(c);
    expect(state).toMatchObject({ id: 's1', versionId: 'v3', status: 'running', startedBy: 'sec', deadline: hours(c.now(), 72).toISOString(), breaks: [], outcome: null });
    expect(silenceOutcome(state, c.now())).toBe('running');
    expect(startSilence({ id: 's', documentId: 'd', versionId: 'v', countryIds: ['pe'], deadline: hours(c.now(), 72) }, people.peFocal, c.now())).toMatchObject({ ok: false, error: { status: 403 } });
    expect(startSilence({ id: 's', documentId: 'd', versionId: 'v', countryIds: [], deadline: hours(c.now(), 72) }, people.secretariat, c.now())).toMatchObject({ ok: false, error: { code: 'nobody_consulted', status: 400 } });
    expect(startSilence({ id: 's', documentId: 'd', versionId: 'v', countryIds: ['pe'], deadline: hours(c.now(), 0.2) }, people.secretariat, c.now())).toMatchObject({ ok: false, error: { code: 'deadline_too_soon', status: 400 } });
  });

  it('adopts the text when nobody breaks silence by the deadline', () => {
    const c = clock();
    const state = started(c, 72);
    c.advance(71.99);
    expect(silenceOutcome(state, c.now())).toBe('running');
    expect(settleSilence(state, c.now())).toMatchObject({ ok: false, error: { code: 'deadline_not_reached', status: 409 } });
    c.advance(0.01);
    expect(silenceOutcome(state, c.now())).toBe('adopted');
    const settled = ok(settleSilence(state, c.now()));
    expect(settled).toMatchObject({ status: 'settled', outcome: 'adopted', settledAt: c.now().toISOString() });
    expect(settleSilence(settled, c.now())).toMatchObject({ ok: false, error: { code: 'procedure_over', status: 409 } });
  });

  it('is broken at once by a country’s focal point, with a reason; other breaks are listed until the deadline', () => {
    const c = clock();
    let state = started(c, 72);
    c.advance(5);
    expect(breakSilence(state, people.peFocal, PERU, '   ', c.now())).toMatchObject({ ok: false, error: { code: 'reason_required', status: 400 } });
    state = ok(breakSilence(state, people.peFocal, PERU, 'El párrafo 3.2 no refleja el acuerdo.', c.now()));
    expect(state.breaks).toEqual([{ party: { kind: 'country', id: 'pe' }, by: 'pe-focal', reason: 'El párrafo 3.2 no refleja el acuerdo.', at: c.now().toISOString() }]);
    expect(silenceOutcome(state, c.now())).toBe('broken');
    c.advance(1);
    state = ok(breakSilence(state, people.mxFocal, MEXICO, 'Tampoco estamos de acuerdo.', c.now()));
    expect(state.breaks.map((b) => b.party.id)).toEqual(['pe', 'mx']);
    expect(breakSilence(state, people.peFocal, PERU, 'Otra vez.', c.now())).toMatchObject({ ok: false, error: { code: 'already_broken', status: 409 } });
    c.advance(66);
    expect(ok(settleSilence(state, c.now()))).toMatchObject({ status: 'settled', outcome: 'broken' });
  });

  it('is broken only by a country under silence, through its focal point or named alternate', () => {
    const c = clock();
    const state = started(c);
    expect(breakSilence(state, people.peAlternate, PERU, 'x', c.now())).toMatchObject({ ok: false, error: { code: 'not_submitter', status: 403 } });
    expect(ok(breakSilence(state, people.peAlternate, { ...PERU, designatedId: 'pe-alt' }, 'x', c.now())).breaks).toHaveLength(1);
    expect(breakSilence(state, people.ttMember, { focalPointId: null, designatedId: null }, 'x', c.now())).toMatchObject({ ok: false, error: { code: 'not_under_silence', status: 403 } });
    expect(breakSilence(state, people.unicef, { focalPointId: null, designatedId: null }, 'x', c.now())).toMatchObject({ ok: false, error: { code: 'not_under_silence', status: 403 } });
    expect(breakSilence(state, people.secretariat, PERU, 'x', c.now())).toMatchObject({ ok: false, error: { code: 'not_under_silence' } });
  });

  it('takes no break once the deadline has passed: the text is adopted', () => {
    const c = clock();
    const state = started(c, 72);
    c.advance(72);
    expect(breakSilence(state, people.peFocal, PERU, 'Tarde.', c.now())).toMatchObject({ ok: false, error: { code: 'deadline_passed', status: 409 } });
    expect(silenceOutcome(state, c.now())).toBe('adopted');
  });

  it('can be cancelled by an organizer before the deadline', () => {
    const c = clock();
    const state = started(c, 72);
    expect(cancelSilence(state, people.peFocal, c.now())).toMatchObject({ ok: false, error: { status: 403 } });
    const cancelled = ok(cancelSilence(state, people.coordinator, c.now()));
    expect(silenceOutcome(cancelled, c.now())).toBe('cancelled');
    expect(breakSilence(cancelled, people.peFocal, PERU, 'x', c.now())).toMatchObject({ ok: false, error: { code: 'procedure_over' } });
    c.advance(72);
    expect(cancelSilence(state, people.coordinator, c.now())).toMatchObject({ ok: false, error: { code: 'deadline_passed' } });
  });

  it('plans its settlement at the deadline', () => {
    const c = clock();
    const state = started(c, 72);
    expect(silenceDeadlineJob(state)).toEqual({ key: `silence-deadline:s1:${hours(c.now(), 72).getTime()}`, runAt: hours(c.now(), 72) });
    c.advance(72);
    expect(silenceDeadlineJob(ok(settleSilence(state, c.now())))).toBeNull();
  });
});
