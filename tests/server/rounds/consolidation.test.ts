import { describe, expect, it } from 'vitest';
import { resolveAnchor, type Anchor } from '../../../server/features/rounds/domain/anchors.js';
import {
  COMMENT_MAX_LENGTH,
  createComment,
  deleteComment,
  designateSubmitter,
  mayRead,
  mayViewRound,
  newDelegation,
  submitPosition,
  updateComment,
  withdrawSubmission,
  type Comment,
  type DelegationState,
} from '../../../server/features/rounds/domain/comments.js';
import { structureFromMarkdown } from '../../../server/features/rounds/domain/markdown.js';
import type { Person } from '../../../server/features/rounds/domain/participants.js';
import { newRound, openRound, type RoundState } from '../../../server/features/rounds/domain/round.js';
import { clock, hours, ok, people } from './support.js';

const DOC = structureFromMarkdown('## Alcance\n\nTexto.\n\n## Métodos\n\n### Fuentes\n\nA.\n\n### Estimación\n\nLa oficina nacional usa el método directo.\n\nOtro párrafo.');
const PASSAGE: Anchor = ok(resolveAnchor(DOC, { kind: 'passage', blockId: 's2.2p1', exact: 'método directo' }));
const CONSULTED = { countryIds: ['pe', 'mx'], organizationIds: ['unicef'] };

function setup(deadlineHours = 48) {
  const c = clock();
  const round = ok(openRound(ok(newRound({ id: 'r1', documentId: 'd1', versionId: 'v1', consulted: CONSULTED, deadline: hours(c.now(), deadlineHours), instructions: '' }, people.secretariat, c.now())), people.secretariat, c.now()));
  const peru = newDelegation({ kind: 'country', id: 'pe' }, 'pe-focal');
  const mexico = newDelegation({ kind: 'country', id: 'mx' }, 'mx-focal');
  const unicef = newDelegation({ kind: 'organization', id: 'unicef' }, null);
  return { c, round, peru, mexico, unicef };
}
let ids = 0;
function draft(round: RoundState, delegation: DelegationState, author: Person, now: Date, text = 'Sugerimos precisar el método.'): Comment {
  return ok(createComment(round, delegation, author, { type: 'technical', text, proposedText: 'el método directo con corrección por subregistro', anchor: PASSAGE }, now, `c${(ids += 1)}`));
}

describe('a delegation’s drafts (national consolidation)', () => {
  it('records the comment for the author’s country, as a draft', () => {
    const { c, round, peru } = setup();
    const comment = draft(round, peru, people.peDelegate, c.now());
    expect(comment).toMatchObject({ roundId: 'r1', party: { kind: 'country', id: 'pe' }, authorId: 'pe-delegate', type: 'technical', state: 'draft', anchor: PASSAGE, submittedAt: null, createdAt: c.now().toISOString() });
  });

  it.each<[string, Person, boolean]>([
    ['the author', people.peDelegate, true],
    ['Peru’s focal point', people.peFocal, true],
    ['Peru’s alternate', people.peAlternate, true],
    ['Mexico’s focal point', people.mxFocal, false],
    ['the secretariat', people.secretariat, false],
    ['the coordinator (Chile)', people.coordinator, false],
    ['a platform admin', people.admin, false],
    ['an observer', people.unicef, false],
  ])('lets %s read a Peruvian draft: %s', (_who, viewer, visible) => {
    const { c, round, peru } = setup();
    expect(mayRead(draft(round, peru, people.peDelegate, c.now()), viewer)).toBe(visible);
  });

  it('lets an agency’s observers read each other’s drafts, and no other agency', () => {
    const { c, round, unicef } = setup();
    const comment = draft(round, unicef, people.unicef, c.now());
    expect(comment.party).toEqual({ kind: 'organization', id: 'unicef' });
    expect([people.unicef2, people.paho, people.peFocal, people.secretariat].map((viewer) => mayRead(comment, viewer))).toEqual([true, false, false, false]);
  });

  it('refuses comments from people who are not consulted, and from organizers as such (403)', () => {
    const { c, round, peru } = setup();
    for (const person of [people.brFocal, people.paho, people.secretariat, people.admin]) {
      expect(createComment(round, peru, person, { type: 'general', text: 'x', anchor: { kind: 'document' } }, c.now(), 'x')).toMatchObject({ ok: false, error: { code: 'not_consulted', status: 403 } });
    }
    // A delegation state of another party is a caller's mistake, not a permission.
    expect(createComment(round, peru, people.mxFocal, { type: 'general', text: 'x', anchor: { kind: 'document' } }, c.now(), 'x')).toMatchObject({ ok: false, error: { code: 'wrong_delegation', status: 400 } });
  });

  it.each([
    [{ type: 'grammar', text: 'x' }, 'unknown_type'],
    [{ type: 'editorial', text: '   ' }, 'text_required'],
    [{ type: 'editorial', text: 'x'.repeat(COMMENT_MAX_LENGTH + 1) }, 'text_too_long'],
    [{ type: 'editorial', text: 'x', proposedText: 'y'.repeat(COMMENT_MAX_LENGTH + 1) }, 'proposed_text_too_long'],
  ])('refuses bad input %# (%s, 400)', (input, code) => {
    const { c, round, peru } = setup();
    expect(createComment(round, peru, people.peFocal, { ...input, anchor: { kind: 'document' } }, c.now(), 'x')).toMatchObject({ ok: false, error: { code, status: 400 } });
  });

  it('trims the texts and keeps an empty proposed text as none', () => {
    const { c, round, peru } = setup();
    const comment = ok(createComment(round, peru, people.peFocal, { type: 'editorial', text: '  Errata.  ', proposedText: '   ', anchor: { kind: 'document' } }, c.now(), 'x'));
    expect([comment.text, comment.proposedText]).toEqual(['Errata.', null]);
  });

  it('lets the author and the party’s submitter edit or delete a draft, nobody else', () => {
    const { c, round, peru } = setup();
    const comment = draft(round, peru, people.peDelegate, c.now());
    c.advance(1);
    const edited = ok(updateComment(comment, peru, people.peDelegate, { text: 'Texto nuevo.' }, round, c.now()));
    expect(edited).toMatchObject({ text: 'Texto nuevo.', updatedAt: c.now().toISOString(), updatedBy: 'pe-delegate', createdAt: comment.createdAt });
    expect(ok(updateComment(comment, peru, people.peFocal, { type: 'editorial', proposedText: null }, round, c.now()))).toMatchObject({ type: 'editorial', proposedText: null, updatedBy: 'pe-focal' });
    expect(updateComment(comment, peru, people.peAlternate, { text: 'x' }, round, c.now())).toMatchObject({ ok: false, error: { code: 'not_yours', status: 403 } });
    expect(updateComment(comment, peru, people.mxFocal, { text: 'x' }, round, c.now())).toMatchObject({ ok: false, error: { status: 403 } });
    expect(deleteComment(comment, peru, people.peAlternate, round, c.now())).toMatchObject({ ok: false, error: { status: 403 } });
    expect(deleteComment(comment, peru, people.peFocal, round, c.now()).ok).toBe(true);
  });

  it('freezes drafts at the deadline', () => {
    const { c, round, peru } = setup(48);
    const comment = draft(round, peru, people.peDelegate, c.now());
    c.advance(48);
    expect(updateComment(comment, peru, people.peDelegate, { text: 'tarde' }, round, c.now())).toMatchObject({ ok: false, error: { code: 'round_not_open', status: 409 } });
    expect(createComment(round, peru, people.peDelegate, { type: 'general', text: 'tarde', anchor: { kind: 'document' } }, c.now(), 'late')).toMatchObject({ ok: false, error: { code: 'round_not_open', status: 409 } });
  });
});

describe('submitting the country’s position', () => {
  it('is the focal point’s act: every draft of the party becomes submitted and readable by all', () => {
    const { c, round, peru } = setup();
    const drafts = [draft(round, peru, people.peDelegate, c.now()), draft(round, peru, people.peAlternate, c.now(), 'Otra observación.')];
    c.advance(2);
    const { delegation, comments } = ok(submitPosition(peru, drafts, people.peFocal, round, c.now()));
    expect(delegation.submission).toEqual({ revision: 1, submittedAt: c.now().toISOString(), submittedBy: 'pe-focal', commentIds: drafts.map((d) => d.id) });
    expect(comments.every((comment) => comment.state === 'submitted' && comment.submittedAt === c.now().toISOString())).toBe(true);
    for (const viewer of [people.mxFocal, people.secretariat, people.unicef, people.admin]) expect(mayRead(comments[0]!, viewer)).toBe(true);
  });

  it('refuses an alternate the focal point has not named, then accepts the one it names', () => {
    const { c, round, peru } = setup();
    const drafts = [draft(round, peru, people.peAlternate, c.now())];
    expect(submitPosition(peru, drafts, people.peAlternate, round, c.now())).toMatchObject({ ok: false, error: { code: 'not_submitter', status: 403 } });
    expect(submitPosition(peru, drafts, people.peDelegate, round, c.now())).toMatchObject({ ok: false, error: { code: 'not_submitter' } });
    expect(designateSubmitter(peru, people.peAlternate, people.peAlternate, round, c.now())).toMatchObject({ ok: false, error: { code: 'focal_point_only', status: 403 } });
    expect(designateSubmitter(peru, people.peFocal, people.peDelegate, round, c.now())).toMatchObject({ ok: false, error: { code: 'designee_not_alternate', status: 400 } });
    expect(designateSubmitter(peru, people.peFocal, people.mxAlternate, round, c.now())).toMatchObject({ ok: false, error: { code: 'designee_not_alternate' } });
    const named = ok(designateSubmitter(peru, people.peFocal, people.peAlternate, round, c.now()));
    expect(named.designatedId).toBe('pe-alt');
    expect(ok(submitPosition(named, drafts, people.peAlternate, round, c.now())).delegation.submission?.submittedBy).toBe('pe-alt');
    // The focal point may take the power back.
    expect(ok(designateSubmitter(named, people.peFocal, null, round, c.now())).designatedId).toBeNull();
  });

  it('lets alternates submit for a country with no focal point on record', () => {
    const { c, round } = setup();
    const orphanPeru = newDelegation({ kind: 'country', id: 'pe' }, null);
    expect(submitPosition(orphanPeru, [], people.peAlternate, round, c.now()).ok).toBe(true);
    expect(submitPosition(orphanPeru, [], people.peDelegate, round, c.now())).toMatchObject({ ok: false, error: { code: 'not_submitter' } });
  });

  it('lets any of an agency’s observers submit for it', () => {
    const { c, round, unicef } = setup();
    expect(ok(submitPosition(unicef, [draft(round, unicef, people.unicef, c.now())], people.unicef2, round, c.now())).delegation.submission?.submittedBy).toBe('unicef-obs2');
    expect(submitPosition(unicef, [], people.paho, round, c.now())).toMatchObject({ ok: false, error: { status: 403 } });
  });

  it('accepts an empty submission: the country has no comments', () => {
    const { c, round, mexico } = setup();
    expect(ok(submitPosition(mexico, [], people.mxFocal, round, c.now())).delegation.submission?.commentIds).toEqual([]);
  });

  it('allows one submission per delegation: a second is refused, and two at once carry the same revision (the repository’s key)', () => {
    const { c, round, peru } = setup();
    const named = ok(designateSubmitter(peru, people.peFocal, people.peAlternate, round, c.now()));
    const first = ok(submitPosition(named, [], people.peFocal, round, c.now()));
    const racing = ok(submitPosition(named, [], people.peAlternate, round, c.now()));
    expect(first.delegation.submission?.revision).toBe(racing.delegation.submission?.revision);
    expect(submitPosition(first.delegation, [], people.peAlternate, round, c.now())).toMatchObject({ ok: false, error: { code: 'already_submitted', status: 409 } });
  });

  it('refuses new drafts once the party has submitted (withdraw to amend)', () => {
    const { c, round, peru } = setup();
    const submitted = ok(submitPosition(peru, [], people.peFocal, round, c.now())).delegation;
    expect(createComment(round, submitted, people.peDelegate, { type: 'general', text: 'x', anchor: { kind: 'document' } }, c.now(), 'x')).toMatchObject({ ok: false, error: { code: 'already_submitted', status: 409 } });
  });

  it('refuses a draft of another party, a comment already submitted, and submitting after the deadline', () => {
    const { c, round, peru, mexico } = setup(48);
    const mexican = draft(round, mexico, people.mxFocal, c.now());
    expect(submitPosition(peru, [mexican], people.peFocal, round, c.now())).toMatchObject({ ok: false, error: { code: 'not_a_draft_of_this_party', status: 400 } });
    const done = ok(submitPosition(mexico, [mexican], people.mxFocal, round, c.now()));
    expect(submitPosition(mexico, done.comments, people.mxFocal, round, c.now())).toMatchObject({ ok: false, error: { code: 'not_a_draft_of_this_party' } });
    expect(submitPosition(done.delegation, [], people.mxFocal, round, c.now())).toMatchObject({ ok: false, error: { code: 'already_submitted' } });
    c.advance(48);
    expect(submitPosition(peru, [], people.peFocal, round, c.now())).toMatchObject({ ok: false, error: { code: 'round_not_open', status: 409 } });
  });

  it('can be withdrawn before the deadline to amend it: comments go back to drafts, then a second revision', () => {
    const { c, round, peru } = setup(48);
    const drafts = [draft(round, peru, people.peDelegate, c.now())];
    const first = ok(submitPosition(peru, drafts, people.peFocal, round, c.now()));
    expect(withdrawSubmission(first.delegation, first.comments, people.peDelegate, round, c.now())).toMatchObject({ ok: false, error: { code: 'not_submitter', status: 403 } });
    const back = ok(withdrawSubmission(first.delegation, first.comments, people.peFocal, round, c.now()));
    expect(back.delegation.submission).toBeNull();
    expect(back.delegation.revisions).toBe(1);
    expect(back.comments.map((comment) => [comment.state, comment.submittedAt])).toEqual([['draft', null]]);
    expect(mayRead(back.comments[0]!, people.mxFocal)).toBe(false);
    const again = ok(submitPosition(back.delegation, [...back.comments, draft(round, back.delegation, people.peFocal, c.now())], people.peFocal, round, c.now()));
    expect(again.delegation.submission?.revision).toBe(2);
    c.advance(48);
    expect(withdrawSubmission(again.delegation, again.comments, people.peFocal, round, c.now())).toMatchObject({ ok: false, error: { code: 'round_not_open', status: 409 } });
  });
});

describe('mayViewRound', () => {
  it('shows a draft round to organizers only, an open one to the group', () => {
    const { c, round } = setup();
    const prepared = { ...round, status: 'draft' as const };
    expect([people.secretariat, people.coordinator, people.peFocal, people.admin].map((p) => mayViewRound(prepared, p))).toEqual([true, true, false, false]);
    expect([people.peFocal, people.admin, people.paho].every((p) => mayViewRound(round, p))).toBe(true);
    void c;
  });
});
