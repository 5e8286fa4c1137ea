import { describe, expect, it } from 'vitest';
import { classifyChange, decideChange, definitionChanges, type AnswerHolder } from '../../../server/features/consultations/domain/change-control.js';
import { diffAnswers, summarizeDiff } from '../../../server/features/consultations/domain/diff.js';
import { REVIEW_STATUSES, accept, answerChanged, awaitingRespondent, newReview, openQuery, replyToQuery, resolveQuery, reviewStatus, unaccept, type AnswerReview, type ReviewOutcome } from '../../../server/features/consultations/domain/review.js';
import type { Questionnaire, TableQuestion } from '../../../server/features/consultations/domain/schemas.js';
import { chileAnswers, fichaTecnica, questionOf, t } from './fixtures.js';

const submitted: AnswerHolder = { respondent: 'cl', answers: chileAnswers(), submitted: true };
const draft: AnswerHolder = { respondent: 'mx', answers: { institution: { type: 'short_text', text: 'INEGI' }, census_round: { type: 'single_choice', option: 'r2010', other: null } }, submitted: false };
const proposed = (change: (q: Questionnaire) => void) => {
  const q = fichaTecnica();
  change(q);
  return q;
};
const classify = (change: (q: Questionnaire) => void, holders: AnswerHolder[] = [submitted, draft]) => classifyChange(fichaTecnica(), proposed(change), holders);
const invalid = (report: ReturnType<typeof classifyChange>) => report.invalidated.map((i) => `${i.code}@${i.respondent}:${[i.question, i.row, i.column].filter(Boolean).join('.')}`);

describe('change control', () => {
  it('finds an identical questionnaire identical', () => {
    expect(classify(() => {})).toEqual({ kind: 'identical', changes: [], invalidated: [] });
  });

  it('applies rewording, new options, new optional questions, wider ranges and moves as harmless', () => {
    const report = classify((q) => {
      questionOf(q, 'institution').label = t('Answering institution', 'Institución que responde');
      (questionOf(q, 'funding') as any).options.push({ id: 'idb', label: t('IDB', 'BID') });
      q.sections[0]!.questions.push({ id: 'website', type: 'short_text', label: t('Website', 'Sitio web'), required: false });
      Object.assign(questionOf(q, 'plan_year'), { min: 1980 });
      const [first, second] = q.sections[0]!.questions;
      q.sections[0]!.questions.splice(0, 2, second!, first!);
    });
    expect(report.kind).toBe('harmless');
    expect(report.invalidated).toEqual([]);
    expect(report.changes).toEqual(
      expect.arrayContaining([
        { code: 'text_changed', question: 'institution' },
        { code: 'option_added', question: 'funding', part: 'idb' },
        { code: 'question_added', question: 'website' },
        { code: 'settings_changed', question: 'plan_year' },
        { code: 'question_moved', question: 'institution' },
      ]),
    );
    expect(decideChange(report)).toEqual({ ok: true });
  });

  it('refuses removing an answered question, with who would lose what', () => {
    const report = classify((q) => (q.sections[0]!.questions = q.sections[0]!.questions.filter((x) => x.id !== 'institution')));
    expect(report.kind).toBe('invalidating');
    expect(invalid(report)).toEqual(['answer_removed@cl:institution', 'answer_removed@mx:institution']);
    const decision = decideChange(report);
    expect(!decision.ok && decision.error).toMatchObject({ status: 409, code: 'change_invalidates_answers', details: [{ respondent: 'cl' }, { respondent: 'mx' }] });
    // Nobody answered it: harmless.
    expect(classify((q) => (q.sections[0]!.questions = q.sections[0]!.questions.filter((x) => x.id !== 'plan_document'))).kind).toBe('harmless');
  });

  it('refuses removing a chosen option, even from a draft; an unchosen one may go', () => {
    expect(invalid(classify((q) => ((questionOf(q, 'census_round') as any).options = [{ id: 'r2020', label: t('2020') }])))).toEqual(['unknown_option@mx:census_round']);
    const unchosen = classify((q) => {
      (questionOf(q, 'funding') as any).options = (questionOf(q, 'funding') as any).options.filter((o: any) => o.id !== 'donors');
    });
    expect(unchosen.kind).toBe('harmless');
    expect(unchosen.changes).toContainEqual({ code: 'option_removed', question: 'funding', part: 'donors' });
    expect(invalid(classify((q) => ((questionOf(q, 'funding') as any).other = false)))).toEqual(['other_not_allowed@cl:funding']);
  });

  it('refuses changing the type or the unit of an answered question', () => {
    const typed = classify((q) => {
      const section = q.sections[0]!;
      section.questions[section.questions.findIndex((x) => x.id === 'coverage')] = { id: 'coverage', type: 'short_text', label: t('Coverage'), required: false };
    });
    expect(invalid(typed)).toEqual(['answer_wrong_type@cl:coverage']);
    expect(typed.changes).toContainEqual({ code: 'type_changed', question: 'coverage' });
    expect(invalid(classify((q) => Object.assign(questionOf(q, 'coverage'), { unit: 'PER_1000_POP' })))).toEqual(['unit_changed@cl:coverage']);
  });

  it('refuses tightening a range that an answer falls outside, not one every answer fits', () => {
    expect(invalid(classify((q) => Object.assign(questionOf(q, 'plan_year'), { min: 2020 })))).toEqual(['below_min@cl:plan_year']);
    expect(classify((q) => Object.assign(questionOf(q, 'plan_year'), { min: 2000 })).kind).toBe('harmless');
    expect(invalid(classify((q) => Object.assign(questionOf(q, 'coverage'), { decimals: 0 })))).toEqual(['too_many_decimals@cl:coverage']);
    // A draft's out-of-range number is the respondent's to fix before submitting: not counted.
    const draftNumber: AnswerHolder = { respondent: 'br', answers: { coverage: { type: 'number', value: 99.5 } }, submitted: false };
    expect(classify((q) => Object.assign(questionOf(q, 'coverage'), { max: 90 }), [draftNumber]).kind).toBe('harmless');
  });

  it('refuses table changes that lose cells: a column or fixed row removed, a column retyped', () => {
    const table = (q: Questionnaire) => questionOf(q, 'sources') as TableQuestion;
    expect(invalid(classify((q) => table(q).columns.splice(4, 1)))).toEqual(['unknown_column@cl:sources.4.1.2.notes']);
    expect(invalid(classify((q) => (table(q).rows as any).rows.splice(0, 1)))).toEqual(['unknown_row@cl:sources.3.2.1']);
    expect(invalid(classify((q) => (table(q).columns[2] = { id: 'latest_value', type: 'text', label: t('Value'), required: false })))).toEqual(['wrong_type@cl:sources.3.2.1.latest_value']);
    // A date read as text is still what it was: harmless.
    expect(classify((q) => (table(q).columns[3] = { id: 'latest_date', type: 'text', label: t('Date'), required: false })).kind).toBe('harmless');
    expect(invalid(classify((q) => ((questionOf(q, 'surveys') as any).rows.maxRows = 0 + 1), [{ ...submitted, answers: { ...chileAnswers(), surveys: { type: 'table', rows: [{ id: 'a', cells: { name: 'x' } }, { id: 'b', cells: { name: 'y' } }] } } }]))).toEqual([
      'too_many_rows@cl:surveys',
    ]);
  });

  it('refuses making a question required, or adding a required one, that a submission leaves empty', () => {
    expect(invalid(classify((q) => (questionOf(q, 'plan_document').required = true)))).toEqual(['required_unanswered@cl:plan_document']);
    expect(invalid(classify((q) => q.sections[0]!.questions.push({ id: 'staff', type: 'number', label: t('Staff'), required: true })))).toEqual(['required_unanswered@cl:staff']);
    // Drafts will be asked at submission: harmless for them.
    expect(classify((q) => (questionOf(q, 'plan_document').required = true), [draft]).kind).toBe('harmless');
    // A newly required cell: Chile's survey row has its sample size, its 3.2.1 row no notes.
    expect(invalid(classify((q) => ((questionOf(q, 'surveys') as TableQuestion).columns[1]!.required = true)))).toEqual([]);
    expect(invalid(classify((q) => ((questionOf(q, 'sources') as TableQuestion).columns[4]!.required = true)))).toEqual(['required@cl:sources.3.2.1.notes']);
  });

  it('refuses a condition that would hide an answer', () => {
    const report = classify((q) => (questionOf(q, 'coverage').condition = { question: 'has_plan', op: 'yes_no', value: false }));
    expect(invalid(report)).toEqual(['answer_hidden@cl:coverage']);
    expect(report.changes).toContainEqual({ code: 'condition_changed', question: 'coverage' });
    expect(classify((q) => (questionOf(q, 'plan_document').condition = { question: 'has_plan', op: 'yes_no', value: false })).kind).toBe('harmless');
  });

  it('lists section changes', () => {
    const changes = definitionChanges(
      fichaTecnica(),
      proposed((q) => {
        q.sections[1]!.title = t('Operations');
        q.sections.push({ id: 'extra', title: t('Extra'), questions: [{ id: 'x', type: 'yes_no', label: t('X'), required: false }] });
      }),
    );
    expect(changes).toEqual([
      { code: 'text_changed', section: 'operations' },
      { code: 'section_added', section: 'extra' },
      { code: 'question_added', question: 'x' },
    ]);
  });
});

describe('diff between submissions', () => {
  const q = fichaTecnica();
  const first = chileAnswers();
  const second = chileAnswers();
  second.plan_year = { type: 'number', value: 2019 };
  second.funding = { type: 'multiple_choice', options: ['national'], other: null };
  delete second.comments;
  second.coverage = { type: 'number', value: 99.5 }; // unchanged
  (second.sources as any).rows[0].cells.latest_value = 7.2;
  (second.sources as any).rows[1].cells.notes = null;
  (second.surveys as any).rows.push({ id: 's2', cells: { name: 'Encuesta Nacional de Empleo', sample: 36000 } });
  second.plan_document = { type: 'file', documentIds: ['doc-9'] };

  it('lists each changed question, and each changed cell of a table, in the questionnaire’s order', () => {
    const diff = diffAnswers(q, first, second);
    expect(diff.map((d) => `${d.kind}:${[d.path.question, d.path.row, d.path.column].filter(Boolean).join('.')}`)).toEqual([
      'changed:plan_year',
      'changed:funding',
      'removed:comments',
      'added:plan_document',
      'changed:sources.3.2.1.latest_value',
      'removed:sources.4.1.2.notes',
      'added:surveys.s2',
    ]);
    expect(diff[0]).toEqual({ path: { question: 'plan_year' }, kind: 'changed', before: { type: 'number', value: 2018 }, after: { type: 'number', value: 2019 } });
    expect(diff[4]).toMatchObject({ before: 7.4, after: 7.2 });
    expect(diffAnswers(q, first, first)).toEqual([]);
  });

  it('says what changed in a sentence per change, in the reader’s language', () => {
    const diff = diffAnswers(q, first, second);
    expect(summarizeDiff(q, diff, 'es')).toEqual([
      '«Año de adopción del plan»: 2018 → 2019',
      '«¿Cómo se financian las reuniones del grupo?»: Presupuesto nacional; CEPAL; Otra: Cooperación española → Presupuesto nacional',
      '«Comentarios»: Año de referencia: 2024; información según la DEIS. → (vacío)',
      '«El plan (documento)»: (vacío) → doc-9',
      '«Fuente de cada indicador», fila «3.2.1 Tasa de mortalidad de menores de 5 años», columna «Último valor»: 7,4 → 7,2',
      '«Fuente de cada indicador», fila «4.1.2 Tasa de finalización», columna «Notas»: Sin datos desde 2017 → (vacío)',
      '«Encuestas de hogares», fila agregada «s2» (Nombre: Encuesta Nacional de Empleo; Tamaño de la muestra: 36000)',
    ]);
    expect(summarizeDiff(q, diff.slice(0, 1), 'en')).toEqual(['“Year the plan was adopted”: 2018 → 2019']);
  });
});

function ok(outcome: ReviewOutcome): AnswerReview {
  if (!outcome.ok) throw new Error(outcome.error.code);
  return outcome.state;
}

describe('review of an answer', () => {
  const coord = { id: 'coord', side: 'organizer' as const };
  const focal = { id: 'focal-cl', side: 'respondent' as const };
  const stranger = { id: 'focal-mx', side: null };
  const ids = { query: 'q1', message: 'm1' };

  it('derives the status from the stored facts: an open query outranks an acceptance', () => {
    const query = { id: 'q', openedBy: 'coord', openedAt: 1, resolved: null, messages: [] };
    expect(reviewStatus({ accepted: { at: 1, by: 'coord' }, queries: [query] })).toBe('query_open');
    expect(reviewStatus({ accepted: { at: 1, by: 'coord' }, queries: [{ ...query, resolved: { at: 2, by: 'coord' } }] })).toBe('accepted');
    expect(reviewStatus({ accepted: null, queries: [{ ...query, resolved: { at: 2, by: 'coord' } }] })).toBe('resolved');
  });

  it('starts pending; an accepted answer is accepted', () => {
    expect(reviewStatus(newReview())).toBe('pending');
    const accepted = ok(accept(newReview(), coord, 1));
    expect(reviewStatus(accepted)).toBe('accepted');
    expect(accept(accepted, coord, 2)).toMatchObject({ ok: false, error: { code: 'already_accepted', status: 409 } });
    expect(reviewStatus(ok(unaccept(accepted, coord)))).toBe('pending');
  });

  it('threads a query between the organizer and the delegation until resolved', () => {
    let review = ok(openQuery(newReview(), coord, ' ¿Por qué bajó la cobertura? ', 10, ids));
    expect(reviewStatus(review)).toBe('query_open');
    expect(awaitingRespondent(review)).toBe(1);
    review = ok(replyToQuery(review, 'q1', focal, 'Cambió la fuente: ahora es el registro civil.', 11, 'm2'));
    expect(awaitingRespondent(review)).toBe(0);
    review = ok(replyToQuery(review, 'q1', coord, 'Gracias.', 12, 'm3'));
    expect(review.queries[0]!.messages.map((m) => [m.id, m.side, m.text])).toEqual([
      ['m1', 'organizer', '¿Por qué bajó la cobertura?'],
      ['m2', 'respondent', 'Cambió la fuente: ahora es el registro civil.'],
      ['m3', 'organizer', 'Gracias.'],
    ]);
    expect(accept(review, coord, 13)).toMatchObject({ ok: false, error: { code: 'query_open' } });
    review = ok(resolveQuery(review, 'q1', coord, 14));
    expect(reviewStatus(review)).toBe('resolved');
    expect(replyToQuery(review, 'q1', focal, 'Una cosa más', 15, 'm4')).toMatchObject({ ok: false, error: { code: 'query_resolved', status: 409 } });
    review = ok(accept(review, coord, 16));
    expect(reviewStatus(review)).toBe('accepted');
  });

  it('reopens review when a new query is sent on an accepted answer, or the answer changes', () => {
    const accepted = ok(accept(newReview(), coord, 1));
    expect(reviewStatus(ok(openQuery(accepted, coord, 'Otra pregunta', 2, ids)))).toBe('query_open');
    expect(reviewStatus(answerChanged(accepted))).toBe('pending');
    const resolved = ok(resolveQuery(ok(openQuery(newReview(), coord, 'x', 1, ids)), 'q1', coord, 2));
    expect(reviewStatus(answerChanged(ok(accept(resolved, coord, 3))))).toBe('resolved');
  });

  it('lets only the organizer query, resolve and accept; only the two sides write in a thread', () => {
    expect(openQuery(newReview(), focal, 'x', 1, ids)).toMatchObject({ ok: false, error: { code: 'role_not_allowed', status: 403 } });
    const review = ok(openQuery(newReview(), coord, 'x', 1, ids));
    expect(replyToQuery(review, 'q1', stranger, 'y', 2, 'm2')).toMatchObject({ ok: false, error: { status: 403 } });
    expect(resolveQuery(review, 'q1', focal, 2)).toMatchObject({ ok: false, error: { status: 403 } });
    expect(accept(review, focal, 2)).toMatchObject({ ok: false, error: { status: 403 } });
    expect(replyToQuery(review, 'nope', focal, 'y', 2, 'm2')).toMatchObject({ ok: false, error: { code: 'unknown_query', status: 404 } });
    expect(replyToQuery(review, 'q1', focal, '   ', 2, 'm2')).toMatchObject({ ok: false, error: { code: 'text_required', status: 400 } });
    expect(openQuery(newReview(), coord, 'x'.repeat(10_001), 1, ids)).toMatchObject({ ok: false, error: { code: 'text_too_long' } });
  });
});

// Found by mutation testing (npm run mutate): edges of the review rules no test above looked at.
describe('review of an answer: the edges', () => {
  const coord = { id: 'coord', side: 'organizer' as const };
  const focal = { id: 'focal-cl', side: 'respondent' as const };
  const twoQueries = () => ok(openQuery(ok(openQuery(newReview(), coord, 'Primera', 1, { query: 'q1', message: 'm1' })), coord, 'Segunda', 2, { query: 'q2', message: 'm2' }));
  const refusal = (outcome: ReviewOutcome) => {
    if (outcome.ok) throw new Error('expected a refusal');
    expect(outcome.error.message.length, outcome.error.code).toBeGreaterThan(15);
    return `${outcome.error.status} ${outcome.error.code}`;
  };

  it('lists its statuses', () => {
    expect(REVIEW_STATUSES).toEqual(['pending', 'accepted', 'query_open', 'resolved']);
  });

  it('writes in and resolves the query named, leaving the others as they were; a reply is trimmed', () => {
    const review = twoQueries();
    const replied = ok(replyToQuery(review, 'q2', focal, '  Respuesta  ', 3, 'm3'));
    expect(replied.queries[0]).toEqual(review.queries[0]);
    expect(replied.queries[1]!.messages.at(-1)).toEqual({ id: 'm3', by: 'focal-cl', side: 'respondent', at: 3, text: 'Respuesta' });
    const resolved = ok(resolveQuery(replied, 'q2', coord, 4));
    expect(resolved.queries.map((query) => query.resolved)).toEqual([null, { at: 4, by: 'coord' }]);
    expect(reviewStatus(resolved)).toBe('query_open');
    expect(ok(accept(ok(resolveQuery(resolved, 'q1', coord, 5)), coord, 6)).accepted).toEqual({ at: 6, by: 'coord' });
  });

  it('counts only open queries whose last word is the organizer’s, and a query without messages as none', () => {
    const review = twoQueries();
    expect(awaitingRespondent(review)).toBe(2);
    expect(awaitingRespondent(ok(resolveQuery(review, 'q1', coord, 3)))).toBe(1);
    expect(awaitingRespondent({ accepted: null, queries: [{ id: 'q', openedBy: 'coord', openedAt: 1, resolved: null, messages: [] }] })).toBe(0);
  });

  it('takes a message of exactly the longest length', () => {
    expect(ok(openQuery(newReview(), coord, 'x'.repeat(10_000), 1, { query: 'q', message: 'm' })).queries[0]!.messages[0]!.text).toHaveLength(10_000);
  });

  it('explains every refusal', () => {
    const review = twoQueries();
    const resolved = ok(resolveQuery(review, 'q1', coord, 3));
    expect([
      refusal(openQuery(newReview(), focal, 'x', 1, { query: 'q', message: 'm' })),
      refusal(openQuery(newReview(), coord, ' ', 1, { query: 'q', message: 'm' })),
      refusal(openQuery(newReview(), coord, 'x'.repeat(10_001), 1, { query: 'q', message: 'm' })),
      refusal(replyToQuery(review, 'q1', { id: 'x', side: null }, 'y', 2, 'm')),
      refusal(replyToQuery(review, 'nope', focal, 'y', 2, 'm')),
      refusal(replyToQuery(resolved, 'q1', focal, 'y', 2, 'm')),
      refusal(resolveQuery(review, 'q1', focal, 2)),
      refusal(resolveQuery(review, 'nope', coord, 2)),
      refusal(resolveQuery(resolved, 'q1', coord, 4)),
      refusal(accept(review, focal, 2)),
      refusal(accept(review, coord, 2)),
      refusal(accept(ok(accept(newReview(), coord, 1)), coord, 2)),
      refusal(unaccept(ok(accept(newReview(), coord, 1)), focal)),
      refusal(unaccept(newReview(), coord)),
    ]).toEqual([
      '403 role_not_allowed', '400 text_required', '400 text_too_long',
      '403 role_not_allowed', '404 unknown_query', '409 query_resolved',
      '403 role_not_allowed', '404 unknown_query', '409 query_resolved',
      '403 role_not_allowed', '409 query_open', '409 already_accepted',
      '403 role_not_allowed', '409 not_accepted',
    ]);
  });
});
