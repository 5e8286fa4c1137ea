import { describe, expect, it } from 'vitest';
import { closeConsultation, decline, grantExtension, recordWrite, reopen, submit, type Outcome } from '../../../server/features/consultations/domain/lifecycle.js';
import { responseMatrix } from '../../../server/features/consultations/domain/matrix.js';
import { planReminders, type SentReminder } from '../../../server/features/consultations/domain/reminders.js';
import { DAY, DEADLINE, HOUR, consultation, respondent } from './fixtures.js';

function ok<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(outcome.error.code);
  return outcome.state;
}
const c = consultation();
const submitted = (id: string, at: number) => ok(submit(c, respondent(id), { by: 'x', baseRevision: 1, draftRevision: 1, problems: [] }, at));
const sends = (plan: ReturnType<typeof planReminders>) => plan.send.map((s) => `${s.respondent}:${s.kind}`);

describe('the reminders planner', () => {
  const everyone = c.targets.map((id) => respondent(id));

  it('sends nothing until 7 days before the deadline, and says when to look again', () => {
    const plan = planReminders('c1', c, everyone, [], DEADLINE - 8 * DAY);
    expect(plan).toEqual({ send: [], nextCheckAt: DEADLINE - 7 * DAY });
  });

  it('sends the 7-day reminder to every target that has not answered, once', () => {
    const now = DEADLINE - 7 * DAY;
    const states = [submitted('cl', now - DAY), respondent('mx'), ok(decline(c, respondent('br'), 'x', 'Sin datos', now - DAY)), ok(recordWrite(c, respondent('tt'), now - DAY))];
    const plan = planReminders('c1', c, states, [], now);
    expect(sends(plan)).toEqual(['mx:7d', 'tt:7d']);
    expect(plan.send[0]).toEqual({ respondent: 'mx', kind: '7d', deadline: DEADLINE, key: 'consultation-reminder:c1:mx:7d' });
    expect(plan.nextCheckAt).toBe(DEADLINE - DAY);
    // The scheduler stored what it sent; after a restart the planner sends nothing again.
    const sent: SentReminder[] = plan.send.map(({ respondent: r, kind }) => ({ respondent: r, kind }));
    expect(sends(planReminders('c1', c, states, sent, now + HOUR))).toEqual([]);
  });

  it('sends the 1-day reminder once, and never to a respondent that submitted in between', () => {
    const now = DEADLINE - DAY + 1;
    const sent: SentReminder[] = [
      { respondent: 'mx', kind: '7d' },
      { respondent: 'cl', kind: '7d' },
      { respondent: 'br', kind: '7d' },
      { respondent: 'tt', kind: '7d' },
    ];
    const states = [submitted('cl', now - HOUR), respondent('mx'), respondent('br'), respondent('tt')];
    const plan = planReminders('c1', c, states, sent, now);
    expect(sends(plan)).toEqual(['mx:1d', 'br:1d', 'tt:1d']);
    expect(plan.nextCheckAt).toBeNull();
    expect(sends(planReminders('c1', c, states, [...sent, ...plan.send], now + HOUR))).toEqual([]);
  });

  it('still reminds nobody that submitted and then reopened (its answer stands)', () => {
    const reopened = ok(reopen(c, submitted('cl', DEADLINE - 10 * DAY), DEADLINE - 9 * DAY));
    expect(sends(planReminders('c1', c, [reopened], [], DEADLINE - 7 * DAY))).toEqual([]);
  });

  it('does not send both at once when the scheduler wakes inside the last day', () => {
    expect(sends(planReminders('c1', c, [respondent('mx')], [], DEADLINE - 2 * HOUR))).toEqual(['mx:1d']);
    expect(sends(planReminders('c1', c, [respondent('mx')], [{ respondent: 'mx', kind: '1d' }], DEADLINE - HOUR))).toEqual([]);
  });

  it('skips a reminder whose moment passed before the consultation opened', () => {
    const late = consultation({ openedAt: DEADLINE - 5 * DAY });
    expect(planReminders('c1', late, [respondent('mx')], [], DEADLINE - 5 * DAY)).toEqual({ send: [], nextCheckAt: DEADLINE - DAY });
    const lastMinute = consultation({ openedAt: DEADLINE - 12 * HOUR });
    expect(planReminders('c1', lastMinute, [respondent('mx')], [], DEADLINE - 11 * HOUR)).toEqual({ send: [], nextCheckAt: null });
  });

  it('sends nothing after the deadline, once closed, before opening, or to non-targets', () => {
    expect(planReminders('c1', c, [respondent('mx')], [], DEADLINE)).toEqual({ send: [], nextCheckAt: null });
    expect(planReminders('c1', ok(closeConsultation(c, DEADLINE - 3 * DAY)), [respondent('mx')], [], DEADLINE - 2 * DAY)).toEqual({ send: [], nextCheckAt: null });
    expect(planReminders('c1', consultation({ status: 'draft', openedAt: null }), [respondent('mx')], [], DEADLINE - 2 * DAY).send).toEqual([]);
    expect(planReminders('c1', c, [respondent('ar')], [], DEADLINE - 2 * DAY).send).toEqual([]);
  });
});

describe('the response matrix', () => {
  it('has a row per target, in order, with its status and counts, from the stored states', () => {
    const now = DEADLINE + HOUR;
    const cl = submitted('cl', DEADLINE - DAY);
    const br = ok(decline(c, respondent('br'), 'x', 'No producimos el indicador', DEADLINE - DAY));
    const tt = ok(grantExtension(c, ok(recordWrite(c, respondent('tt'), DEADLINE - DAY)), DEADLINE + DAY, 'coord', null, now));
    const stray = respondent('ar');
    const matrix = responseMatrix(c, [cl, br, tt, stray], now, { openQueries: new Map([['cl', 2]]) });
    expect(matrix.rows.map((row) => [row.respondent, row.status])).toEqual([
      ['br', 'declined'],
      ['cl', 'submitted'],
      ['mx', 'late'],
      ['tt', 'extended'],
    ]);
    expect(matrix.counts).toEqual({ not_started: 0, draft: 0, submitted: 1, declined: 1, late: 1, extended: 1 });
    expect(matrix.total).toBe(4);
    expect(matrix.rows[1]).toEqual({
      respondent: 'cl',
      status: 'submitted',
      submissions: 1,
      lastSubmittedAt: DEADLINE - DAY,
      submittedLate: false,
      reopened: false,
      lastWriteAt: null,
      declinedReason: null,
      extensionUntil: null,
      writableUntil: DEADLINE,
      openQueries: 2,
    });
    expect(matrix.rows[0]!.declinedReason).toBe('No producimos el indicador');
    expect(matrix.rows[3]).toMatchObject({ extensionUntil: DEADLINE + DAY, writableUntil: DEADLINE + DAY });
  });

  it('changes as the clock passes the deadline, without any write', () => {
    const states = [ok(recordWrite(c, respondent('mx'), DEADLINE - DAY))];
    expect(responseMatrix(c, states, DEADLINE - 1).counts).toMatchObject({ draft: 1, not_started: 3 });
    expect(responseMatrix(c, states, DEADLINE).counts).toMatchObject({ late: 4 });
  });

  it('orders rows as the caller says (by country name)', () => {
    const names: Record<string, string> = { cl: 'Chile', mx: 'México', br: 'Brasil', tt: 'Trinidad y Tabago' };
    const matrix = responseMatrix(c, [], DEADLINE - DAY, { order: (a, b) => names[a]!.localeCompare(names[b]!, 'es') });
    expect(matrix.rows.map((row) => row.respondent)).toEqual(['br', 'cl', 'mx', 'tt']);
  });
});
