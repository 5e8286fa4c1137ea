import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  RESPONDENT_STATUSES,
  checkDeadline,
  closeConsultation,
  deadlineInstant,
  decline,
  grantExtension,
  inZone,
  mayWrite,
  openConsultation,
  phase,
  recordWrite,
  reopen,
  respondentStatus,
  revokeExtension,
  setDeadline,
  submit,
  withdrawDecline,
  type Outcome,
  type RespondentState,
} from '../../../server/features/consultations/domain/lifecycle.js';
import { DAY, DEADLINE, HOUR, consultation, respondent } from './fixtures.js';

function ok<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`refused: ${outcome.error.code}`);
  return outcome.state;
}
/** An outcome as "ok" or "<status> <code>"; a refusal must also say in words what went wrong. */
const code = (outcome: Outcome<unknown>) => {
  if (outcome.ok) return 'ok';
  expect(outcome.error.message.length, outcome.error.code).toBeGreaterThan(15);
  return `${outcome.error.status} ${outcome.error.code}`;
};
const BEFORE = DEADLINE - 2 * DAY;
const AFTER = DEADLINE + HOUR;
const request = (over: Partial<Parameters<typeof submit>[2]> = {}) => ({ by: 'focal-cl', baseRevision: 4, draftRevision: 4, problems: [], ...over });

describe('the deadline in the organizer’s zone', () => {
  it('falls at the local time in the zone’s offset of that day', () => {
    expect(deadlineInstant({ date: '2026-04-30', time: '23:59', zone: 'America/Santiago' })).toBe(DEADLINE);
    // Same wall time in summer (UTC-3).
    expect(new Date(deadlineInstant({ date: '2026-01-15', time: '23:59', zone: 'America/Santiago' })).toISOString()).toBe('2026-01-16T02:59:00.000Z');
    expect(new Date(deadlineInstant({ date: '2026-04-30', time: '18:00', zone: 'America/Mexico_City' })).toISOString()).toBe('2026-05-01T00:00:00.000Z');
  });

  it('falls at the first passing of a time the clocks pass twice (Chile, Cuba)', () => {
    // Chile goes back from 00:00 (UTC-3) to 23:00 (UTC-4) on 5 April 2026: 23:30 on the 4th happens twice.
    expect(new Date(deadlineInstant({ date: '2026-04-04', time: '23:30', zone: 'America/Santiago' })).toISOString()).toBe('2026-04-05T02:30:00.000Z');
    // Cuba goes back from 01:00 to 00:00 on 1 November 2026; luxon alone would give the second passing (05:30Z).
    expect(new Date(deadlineInstant({ date: '2026-11-01', time: '00:30', zone: 'America/Havana' })).toISOString()).toBe('2026-11-01T04:30:00.000Z');
    expect(DateTime.fromISO('2026-11-01T00:30', { zone: 'America/Havana' }).toUTC().toISO()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('falls at the jump for a time the clocks skip', () => {
    // Chile jumps from 00:00 to 01:00 on 6 September 2026 (04:00Z): 00:30 never shows; the deadline is the jump.
    expect(new Date(deadlineInstant({ date: '2026-09-06', time: '00:30', zone: 'America/Santiago' })).toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(new Date(deadlineInstant({ date: '2026-03-08', time: '00:30', zone: 'America/Havana' })).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    // The very millisecond, a whole number: toISOString drops a fraction, and a deadline a fraction
    // of a millisecond after the jump would let an answer sent at the jump itself through.
    expect(deadlineInstant({ date: '2026-09-06', time: '00:15', zone: 'America/Santiago' })).toBe(Date.parse('2026-09-06T04:00:00.000Z'));
    expect(deadlineInstant({ date: '2026-03-08', time: '00:15', zone: 'America/Havana' })).toBe(Date.parse('2026-03-08T05:00:00.000Z'));
    // East of Greenwich too (Spain, a member state of ECLAC): Madrid jumps from 02:00 to 03:00 on 29 March 2026 (01:00Z).
    expect(deadlineInstant({ date: '2026-03-29', time: '02:30', zone: 'Europe/Madrid' })).toBe(Date.parse('2026-03-29T01:00:00.000Z'));
  });

  it('is shown in each reader’s zone', () => {
    expect(inZone(DEADLINE, 'America/Mexico_City')).toEqual({ date: '2026-04-30', time: '21:59', zone: 'America/Mexico_City', offset: '-06:00' });
    expect(inZone(DEADLINE, 'America/Port_of_Spain')).toEqual({ date: '2026-04-30', time: '23:59', zone: 'America/Port_of_Spain', offset: '-04:00' });
    expect(inZone(DEADLINE, 'America/Sao_Paulo')).toEqual({ date: '2026-05-01', time: '00:59', zone: 'America/Sao_Paulo', offset: '-03:00' });
  });

  it('refuses malformed deadlines and unknown zones', () => {
    expect(() => deadlineInstant({ date: '2026-02-30', time: '10:00', zone: 'America/Lima' })).toThrow(RangeError);
    expect(code(setDeadline(consultation(), { date: '2026-05-02', time: '24:00', zone: 'America/Lima' }, BEFORE))).toBe('400 bad_deadline');
    expect(code(setDeadline(consultation(), { date: '2026-05-02', time: '10:00', zone: 'America/Atlantis' }, BEFORE))).toBe('400 invalid_time_zone');
  });
});

describe('the consultation: draft → open → closed', () => {
  it('opens a draft with targets, a valid questionnaire and a future deadline', () => {
    const draft = consultation({ status: 'draft', openedAt: null });
    expect(phase(draft, BEFORE)).toBe('draft');
    expect(code(openConsultation({ ...draft, targets: [] }, [], BEFORE))).toBe('400 no_targets');
    const invalid = openConsultation(draft, [{ code: 'no_questions' }], BEFORE);
    expect(!invalid.ok && invalid.error).toMatchObject({ code: 'questionnaire_invalid', status: 400, details: [{ code: 'no_questions' }] });
    expect(code(openConsultation(draft, [], AFTER))).toBe('400 deadline_in_past');
    const open = ok(openConsultation(draft, [], BEFORE));
    expect(open).toMatchObject({ status: 'open', openedAt: BEFORE });
    expect(code(openConsultation(open, [], BEFORE))).toBe('409 already_open');
  });

  it('closes itself at the deadline, with or without a job', () => {
    const c = consultation();
    expect(phase(c, DEADLINE - 1)).toBe('open');
    expect(phase(c, DEADLINE)).toBe('closed');
  });

  it('may be closed early, or for good after the deadline', () => {
    const closed = ok(closeConsultation(consultation(), BEFORE));
    expect(phase(closed, BEFORE)).toBe('closed');
    expect(code(closeConsultation(closed, BEFORE))).toBe('409 consultation_closed');
    expect(code(closeConsultation(consultation({ status: 'draft' }), BEFORE))).toBe('409 not_open');
  });

  it('moves its deadline while open, never into the past', () => {
    const later = ok(setDeadline(consultation(), { date: '2026-05-15', time: '12:00', zone: 'America/Santiago' }, BEFORE));
    expect(deadlineInstant(later.deadline)).toBe(Date.parse('2026-05-15T16:00:00Z'));
    expect(code(setDeadline(consultation(), { date: '2026-04-01', time: '12:00', zone: 'America/Santiago' }, BEFORE))).toBe('400 deadline_in_past');
    expect(code(setDeadline(ok(closeConsultation(consultation(), BEFORE)), { date: '2026-06-01', time: '12:00', zone: 'America/Santiago' }, BEFORE))).toBe('409 consultation_closed');
  });
});

describe('mayWrite(consultation, respondent, now)', () => {
  const cl = respondent('cl');

  it('lets a target write before the deadline, to the minute', () => {
    expect(mayWrite(consultation(), cl, DEADLINE - 1)).toEqual({ ok: true, state: { until: DEADLINE, extended: false } });
    expect(code(mayWrite(consultation(), cl, DEADLINE))).toBe('409 deadline_passed');
  });

  it('refuses drafts, closed consultations, non-targets, declined and submitted respondents', () => {
    expect(code(mayWrite(consultation({ status: 'draft' }), cl, BEFORE))).toBe('409 not_open');
    expect(code(mayWrite(ok(closeConsultation(consultation(), BEFORE - DAY)), cl, BEFORE))).toBe('409 consultation_closed');
    expect(code(mayWrite(consultation(), respondent('ar'), BEFORE))).toBe('403 not_a_target');
    expect(code(mayWrite(consultation(), ok(decline(consultation(), cl, 'x', 'No data', BEFORE)), BEFORE))).toBe('409 declined');
    expect(code(mayWrite(consultation(), ok(submit(consultation(), cl, request(), BEFORE)), BEFORE))).toBe('409 already_submitted');
  });

  it('lets an extended respondent write after the deadline until its extension ends, and no one else', () => {
    const extended = ok(grantExtension(consultation(), cl, DEADLINE + 3 * DAY, 'coord', 'Census data due', AFTER));
    expect(mayWrite(consultation(), extended, AFTER)).toEqual({ ok: true, state: { until: DEADLINE + 3 * DAY, extended: true } });
    expect(code(mayWrite(consultation(), extended, DEADLINE + 3 * DAY))).toBe('409 deadline_passed');
    expect(code(mayWrite(consultation(), respondent('mx'), AFTER))).toBe('409 deadline_passed');
    // An explicit close ends extensions too.
    expect(code(mayWrite(ok(closeConsultation(consultation(), AFTER)), extended, AFTER + HOUR))).toBe('409 consultation_closed');
  });

  it('records first and last writes only when allowed', () => {
    const once = ok(recordWrite(consultation(), cl, BEFORE));
    const twice = ok(recordWrite(consultation(), once, BEFORE + HOUR));
    expect(twice).toMatchObject({ firstWriteAt: BEFORE, lastWriteAt: BEFORE + HOUR });
    expect(code(recordWrite(consultation(), cl, AFTER))).toBe('409 deadline_passed');
  });
});

describe('submitting, reopening, declining', () => {
  const c = consultation();
  const cl = respondent('cl', { firstWriteAt: BEFORE - DAY });

  it('submits a valid, current draft once; a second racing submission is refused', () => {
    const first = ok(submit(c, cl, request(), BEFORE));
    expect(first.submissions).toEqual([{ number: 1, at: BEFORE, by: 'focal-cl', late: false }]);
    expect(respondentStatus(c, first, BEFORE)).toBe('submitted');
    // The alternate pressed "submit" on the same draft a moment later: the first one won.
    expect(code(submit(c, first, request({ by: 'alt-cl' }), BEFORE + 1))).toBe('409 already_submitted');
  });

  it('refuses a submission made on an older view of the draft, or with problems (kept as details)', () => {
    expect(code(submit(c, cl, request({ baseRevision: 3 }), BEFORE))).toBe('409 draft_changed');
    const invalid = submit(c, cl, request({ problems: [{ field: 'answers.q', code: 'required', message: 'm', question: 'q' }] }), BEFORE);
    expect(!invalid.ok && invalid.error).toMatchObject({ status: 400, code: 'answers_invalid', details: [{ code: 'required', question: 'q' }] });
    expect(code(submit(c, cl, request(), DEADLINE))).toBe('409 deadline_passed');
  });

  it('reopens and resubmits before the deadline, keeping every submission', () => {
    const first = ok(submit(c, cl, request(), BEFORE));
    const reopened = ok(reopen(c, first, BEFORE + HOUR));
    expect(respondentStatus(c, reopened, BEFORE + HOUR)).toBe('draft');
    expect(mayWrite(c, reopened, BEFORE + HOUR).ok).toBe(true);
    expect(code(reopen(c, reopened, BEFORE + HOUR))).toBe('409 already_reopened');
    const second = ok(submit(c, reopened, request({ by: 'alt-cl' }), BEFORE + 2 * HOUR));
    expect(second.submissions.map((s) => [s.number, s.by])).toEqual([
      [1, 'focal-cl'],
      [2, 'alt-cl'],
    ]);
    expect(second.reopenedAt).toBeNull();
    expect(code(reopen(c, respondent('mx'), BEFORE))).toBe('409 not_submitted');
    expect(code(reopen(c, first, AFTER))).toBe('409 deadline_passed');
  });

  it('keeps the last submission standing when a reopened answer is not resubmitted by the deadline', () => {
    const reopened = ok(reopen(c, ok(submit(c, cl, request(), BEFORE)), BEFORE + HOUR));
    expect(respondentStatus(c, reopened, AFTER)).toBe('submitted');
  });

  it('declines with a reason, and may withdraw it before the deadline', () => {
    expect(code(decline(c, cl, 'x', '  ', BEFORE))).toBe('400 reason_required');
    expect(code(decline(c, cl, 'x', 'y'.repeat(2001), BEFORE))).toBe('400 reason_too_long');
    const declined = ok(decline(c, cl, 'focal-cl', ' No producimos este indicador. ', BEFORE));
    expect(declined.declined).toEqual({ at: BEFORE, by: 'focal-cl', reason: 'No producimos este indicador.' });
    expect(respondentStatus(c, declined, AFTER)).toBe('declined');
    expect(code(decline(c, declined, 'x', 'again', BEFORE))).toBe('409 already_declined');
    expect(code(decline(c, ok(submit(c, cl, request(), BEFORE)), 'x', 'late change of heart', BEFORE))).toBe('409 already_submitted');
    const back = ok(withdrawDecline(c, declined, BEFORE + HOUR));
    expect(respondentStatus(c, back, BEFORE + HOUR)).toBe('draft');
    expect(code(withdrawDecline(c, back, BEFORE))).toBe('409 not_declined');
    expect(code(withdrawDecline(c, declined, AFTER))).toBe('409 deadline_passed');
  });
});

describe('extensions', () => {
  const c = consultation();
  const cl = respondent('cl');

  it('are granted for after the deadline, in the future, to a target, while the consultation is open', () => {
    expect(code(grantExtension(c, cl, DEADLINE, 'coord', null, BEFORE))).toBe('400 extension_before_deadline');
    expect(code(grantExtension(c, cl, DEADLINE + DAY, 'coord', null, DEADLINE + 2 * DAY))).toBe('400 extension_in_past');
    expect(code(grantExtension(c, respondent('ar'), DEADLINE + DAY, 'coord', null, AFTER))).toBe('400 not_a_target');
    expect(code(grantExtension(ok(closeConsultation(c, AFTER)), cl, DEADLINE + DAY, 'coord', null, AFTER))).toBe('409 consultation_closed');
    expect(code(grantExtension(consultation({ status: 'draft' }), cl, DEADLINE + DAY, 'coord', null, BEFORE))).toBe('409 not_open');
  });

  it('turn a late respondent into an extended one, who submits late', () => {
    expect(respondentStatus(c, cl, AFTER)).toBe('late');
    const extended = ok(grantExtension(c, cl, DEADLINE + 2 * DAY, 'coord', 'Waiting for census results', AFTER));
    expect(extended.extension).toEqual({ until: DEADLINE + 2 * DAY, grantedAt: AFTER, grantedBy: 'coord', reason: 'Waiting for census results' });
    expect(respondentStatus(c, extended, AFTER)).toBe('extended');
    const sent = ok(submit(c, extended, request(), AFTER + DAY));
    expect(sent.submissions[0]).toMatchObject({ late: true });
    expect(respondentStatus(c, sent, AFTER + DAY)).toBe('submitted');
    expect(respondentStatus(c, extended, DEADLINE + 2 * DAY)).toBe('late');
    expect(respondentStatus(c, ok(revokeExtension(extended)), AFTER)).toBe('late');
    expect(code(revokeExtension(cl))).toBe('409 no_extension');
  });

  it('let a submitted respondent reopen after the deadline', () => {
    const submitted = ok(submit(c, cl, request(), BEFORE));
    expect(code(reopen(c, submitted, AFTER))).toBe('409 deadline_passed');
    const extended = ok(grantExtension(c, submitted, DEADLINE + DAY, 'coord', null, AFTER));
    expect(reopen(c, extended, AFTER).ok).toBe(true);
  });
});

describe('respondent status', () => {
  const c = consultation();
  it('is not started, then draft, before the deadline; late after it', () => {
    const none: RespondentState = respondent('mx');
    expect(respondentStatus(c, none, BEFORE)).toBe('not_started');
    expect(respondentStatus(consultation({ status: 'draft' }), none, BEFORE)).toBe('not_started');
    const writing = ok(recordWrite(c, none, BEFORE));
    expect(respondentStatus(c, writing, BEFORE)).toBe('draft');
    expect(respondentStatus(c, writing, AFTER)).toBe('late');
    expect(respondentStatus(ok(closeConsultation(c, BEFORE)), writing, BEFORE)).toBe('late');
  });
});

// Found by mutation testing (npm run mutate): edges of the rules no test above looked at.
describe('the edges of the rules', () => {
  const c = consultation();
  const cl = respondent('cl');

  it('places a deadline on the days next to a change of the clocks by that day’s own offset', () => {
    // Santiago goes back from UTC-3 to UTC-4 at midnight on 2026-04-05, and forward at midnight on 2026-09-06.
    expect(new Date(deadlineInstant({ date: '2026-04-05', time: '10:00', zone: 'America/Santiago' })).toISOString()).toBe('2026-04-05T14:00:00.000Z');
    expect(new Date(deadlineInstant({ date: '2026-04-04', time: '10:00', zone: 'America/Santiago' })).toISOString()).toBe('2026-04-04T13:00:00.000Z');
    expect(new Date(deadlineInstant({ date: '2026-09-05', time: '20:00', zone: 'America/Santiago' })).toISOString()).toBe('2026-09-06T00:00:00.000Z');
    expect(new Date(deadlineInstant({ date: '2026-09-06', time: '10:00', zone: 'America/Santiago' })).toISOString()).toBe('2026-09-06T13:00:00.000Z');
  });

  it('names what is wrong with a deadline, and takes a time only as HH:mm', () => {
    expect(checkDeadline({ date: '2026-02-30', time: '10:00', zone: 'America/Lima' })).toEqual({ code: 'bad_deadline', message: '"2026-02-30" is not a date (YYYY-MM-DD).', status: 400 });
    expect(checkDeadline({ date: '2026-03-01', time: '1:00', zone: 'America/Lima' })).toEqual({ code: 'bad_deadline', message: '"1:00" is not a time (HH:mm).', status: 400 });
    expect(checkDeadline({ date: '2026-03-01', time: 'x10:00', zone: 'America/Lima' })?.code).toBe('bad_deadline');
    expect(checkDeadline({ date: '2026-03-01', time: '10:00x', zone: 'America/Lima' })?.code).toBe('bad_deadline');
    expect(checkDeadline({ date: '2026-03-01', time: '10:00', zone: 'Mars/Olympus' })).toEqual({ code: 'invalid_time_zone', message: '"Mars/Olympus" is not a known time zone.', status: 400 });
    expect(checkDeadline({ date: '2026-03-01', time: '23:59', zone: 'America/Lima' })).toBeNull();
  });

  it('gives a refusal details only when it has some', () => {
    const refused = mayWrite(consultation({ status: 'draft' }), cl, BEFORE);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? null : refused.error).not.toHaveProperty('details');
  });

  it('lets a respondent write until the deadline when it was moved past an extension granted before', () => {
    const extended = ok(grantExtension(c, cl, DEADLINE + DAY, 'coord', null, AFTER));
    expect(ok(mayWrite(c, extended, BEFORE)).until).toBe(DEADLINE + DAY);
    const later = ok(setDeadline(c, { date: '2026-05-10', time: '23:59', zone: 'America/Santiago' }, AFTER));
    expect(ok(mayWrite(later, extended, BEFORE)).until).toBe(deadlineInstant(later.deadline));
    expect(ok(mayWrite(c, cl, BEFORE)).until).toBe(DEADLINE);
    expect(ok(mayWrite(c, { ...extended, extension: { ...extended.extension!, until: DEADLINE } }, BEFORE)).until).toBe(DEADLINE);
  });

  it('answers a closed consultation first, whatever the respondent did', () => {
    const declined = ok(decline(c, cl, 'focal-cl', 'No data', BEFORE));
    const closed = ok(closeConsultation(c, BEFORE + HOUR));
    expect(code(mayWrite(closed, declined, BEFORE + 2 * HOUR))).toBe('409 consultation_closed');
    expect(code(decline(closed, cl, 'focal-cl', '', BEFORE + 2 * HOUR))).toBe('409 consultation_closed');
  });

  it('marks a submission made at the very deadline, under an extension, late; and keeps the first write time', () => {
    const extended = ok(grantExtension(c, cl, DEADLINE + DAY, 'coord', null, BEFORE));
    expect(ok(submit(c, extended, request(), DEADLINE)).submissions[0]!.late).toBe(true);
    expect(ok(submit(c, cl, request(), BEFORE)).firstWriteAt).toBe(BEFORE);
    const written = ok(recordWrite(c, cl, BEFORE - DAY));
    expect(ok(submit(c, written, request(), BEFORE)).firstWriteAt).toBe(BEFORE - DAY);
  });

  it('takes reasons of exactly the longest length, trimmed, and refuses longer ones', () => {
    expect(ok(decline(c, cl, 'focal-cl', `  ${'x'.repeat(2_000)}  `, BEFORE)).declined?.reason).toHaveLength(2_000);
    expect(code(decline(c, cl, 'focal-cl', 'x'.repeat(2_001), BEFORE))).toBe('400 reason_too_long');
    expect(ok(grantExtension(c, cl, DEADLINE + DAY, 'coord', '  Censo  ', AFTER)).extension?.reason).toBe('Censo');
    expect(ok(grantExtension(c, cl, DEADLINE + DAY, 'coord', '   ', AFTER)).extension?.reason).toBeNull();
    expect(ok(grantExtension(c, cl, DEADLINE + DAY, 'coord', 'x'.repeat(2_000), AFTER)).extension?.reason).toHaveLength(2_000);
    expect(code(grantExtension(c, cl, DEADLINE + DAY, 'coord', 'x'.repeat(2_001), AFTER))).toBe('400 reason_too_long');
  });

  it('refuses an extension ending now, opening or moving to a deadline that is now; a draft may take any deadline', () => {
    expect(code(grantExtension(c, cl, DEADLINE + DAY, 'coord', null, DEADLINE + DAY))).toBe('400 extension_in_past');
    expect(code(openConsultation(consultation({ status: 'draft' }), [], DEADLINE))).toBe('400 deadline_in_past');
    expect(code(setDeadline(c, { date: '2026-04-30', time: '23:59', zone: 'America/Santiago' }, DEADLINE))).toBe('400 deadline_in_past');
    expect(code(setDeadline(consultation({ status: 'draft' }), { date: '2026-01-01', time: '10:00', zone: 'America/Santiago' }, DEADLINE))).toBe('ok');
  });

  it('shows a respondent late, not draft, from the deadline’s very instant; and lists every status', () => {
    const writing = ok(recordWrite(c, cl, BEFORE));
    expect(respondentStatus(c, writing, DEADLINE - 1)).toBe('draft');
    expect(respondentStatus(c, writing, DEADLINE)).toBe('late');
    expect(RESPONDENT_STATUSES).toEqual(['not_started', 'draft', 'submitted', 'declined', 'late', 'extended']);
  });

  it('explains every refusal', () => {
    const submitted = ok(submit(c, cl, request(), BEFORE));
    const declined = ok(decline(c, cl, 'focal-cl', 'No data', BEFORE));
    const draft = consultation({ status: 'draft' });
    const closed = ok(closeConsultation(c, BEFORE));
    const outcomes = [
      mayWrite(draft, cl, BEFORE), mayWrite(closed, cl, BEFORE), mayWrite(c, respondent('ar'), BEFORE), mayWrite(c, cl, AFTER),
      mayWrite(c, declined, BEFORE), mayWrite(c, submitted, BEFORE),
      submit(c, cl, request({ baseRevision: 1 }), BEFORE), submit(c, cl, request({ problems: [{ field: 'answers.q', code: 'required', message: 'm', question: 'q' }] }), BEFORE),
      reopen(c, cl, BEFORE), reopen(c, ok(reopen(c, submitted, BEFORE)), BEFORE),
      decline(c, cl, 'x', ' ', BEFORE), decline(c, cl, 'x', 'x'.repeat(2_001), BEFORE), decline(c, declined, 'x', 'Again', BEFORE), decline(c, submitted, 'x', 'Late', BEFORE),
      withdrawDecline(c, cl, BEFORE),
      grantExtension(draft, cl, DEADLINE + DAY, 'c', null, BEFORE), grantExtension(closed, cl, DEADLINE + DAY, 'c', null, BEFORE),
      grantExtension(c, respondent('ar'), DEADLINE + DAY, 'c', null, BEFORE), grantExtension(c, cl, DEADLINE, 'c', null, BEFORE),
      grantExtension(c, cl, DEADLINE + DAY, 'c', null, DEADLINE + DAY), grantExtension(c, cl, DEADLINE + DAY, 'c', 'x'.repeat(2_001), AFTER),
      revokeExtension(cl),
      openConsultation(c, [], BEFORE), openConsultation(consultation({ status: 'draft', targets: [] }), [], BEFORE),
      openConsultation(draft, ['a problem'], BEFORE), openConsultation(draft, [], AFTER),
      closeConsultation(draft, BEFORE), closeConsultation(closed, BEFORE),
      setDeadline(closed, c.deadline, BEFORE), setDeadline(c, { date: '2026-01-01', time: '10:00', zone: 'America/Santiago' }, BEFORE),
    ];
    const codes = outcomes.map(code);
    expect(codes.filter((value) => value === 'ok')).toEqual([]);
    expect(new Set(codes.map((value) => value.split(' ')[1])).size).toBeGreaterThanOrEqual(20);
  });
});
