import { describe, expect, it } from 'vitest';
import { resolveAnchor } from '../../../server/features/rounds/domain/anchors.js';
import { createComment, newDelegation, submitPosition, type Comment } from '../../../server/features/rounds/domain/comments.js';
import {
  DISPOSITION_KINDS,
  effectiveReply,
  mayReadDispositions,
  recordDisposition,
  replyToDisposition,
  setAppliedIn,
  suggestAppliedIn,
  type Disposition,
} from '../../../server/features/rounds/domain/dispositions.js';
import { structureFromMarkdown } from '../../../server/features/rounds/domain/markdown.js';
import { reanchor } from '../../../server/features/rounds/domain/reanchor.js';
import { attachNextVersion, closeRound, concludeRound, newRound, openRound, phase, publishDispositions, type RoundState } from '../../../server/features/rounds/domain/round.js';
import { clock, hours, ok, people } from './support.js';

const V1 = structureFromMarkdown('## Métodos\n\n### Estimación\n\nLa oficina nacional usa el método directo.\n\nEl modelo es bayesiano.');
const V2 = structureFromMarkdown('## Métodos\n\n### Estimación\n\nLa oficina nacional usa el método directo con corrección por subregistro.\n\nEl modelo es bayesiano.');

/** A round whose comments are in: Peru submitted one comment, the deadline has passed. */
function closedRound() {
  const c = clock();
  let round: RoundState = ok(newRound({ id: 'r1', documentId: 'd1', versionId: 'v1', consulted: { countryIds: ['pe', 'mx'], organizationIds: [] }, deadline: hours(c.now(), 48), instructions: '' }, people.secretariat, c.now()));
  round = ok(openRound(round, people.secretariat, c.now()));
  const peru = newDelegation({ kind: 'country', id: 'pe' }, 'pe-focal');
  const anchor = ok(resolveAnchor(V1, { kind: 'passage', blockId: 's1.1p1', exact: 'método directo' }));
  const draft = ok(createComment(round, peru, people.peDelegate, { type: 'technical', text: 'Precisar la corrección.', proposedText: 'método directo con corrección por subregistro', anchor }, c.now(), 'c1'));
  const { delegation, comments } = ok(submitPosition(peru, [draft], people.peFocal, round, c.now()));
  c.advance(48);
  round = ok(closeRound(round, null, c.now(), { partiesPending: 1 }));
  return { c, round, peru: delegation, comment: comments[0]! };
}

describe('recordDisposition', () => {
  it('records each kind; a rationale is required for partially accepted, not accepted and deferred', () => {
    const { c, round, comment } = closedRound();
    expect(DISPOSITION_KINDS).toEqual(['accepted', 'partially_accepted', 'not_accepted', 'noted', 'deferred']);
    for (const kind of ['partially_accepted', 'not_accepted', 'deferred']) {
      expect(recordDisposition(null, comment, { kind }, people.secretariat, round, c.now())).toMatchObject({ ok: false, error: { code: 'rationale_required', status: 400 } });
    }
    for (const kind of DISPOSITION_KINDS) {
      const d = ok(recordDisposition(null, comment, { kind, rationale: 'Porque sí.' }, people.secretariat, round, c.now()));
      expect(d).toMatchObject({ commentId: 'c1', kind, rationale: 'Porque sí.', appliedIn: null, revision: 1, decidedBy: 'sec', decidedAt: c.now().toISOString() });
    }
    expect(ok(recordDisposition(null, comment, { kind: 'accepted' }, people.coordinator, round, c.now())).rationale).toBeNull();
  });

  it('refuses an unknown kind, an over-long rationale, a non-organizer, a draft comment, an open round', () => {
    const { c, round, comment } = closedRound();
    expect(recordDisposition(null, comment, { kind: 'rejected' }, people.secretariat, round, c.now())).toMatchObject({ ok: false, error: { code: 'unknown_disposition', status: 400 } });
    expect(recordDisposition(null, comment, { kind: 'noted', rationale: 'x'.repeat(10_001) }, people.secretariat, round, c.now())).toMatchObject({ ok: false, error: { code: 'rationale_too_long', status: 400 } });
    expect(recordDisposition(null, comment, { kind: 'accepted' }, people.peFocal, round, c.now())).toMatchObject({ ok: false, error: { code: 'organizers_only', status: 403 } });
    expect(recordDisposition(null, { ...comment, state: 'draft' }, { kind: 'accepted' }, people.secretariat, round, c.now())).toMatchObject({ ok: false, error: { code: 'comment_not_submitted', status: 409 } });
    expect(recordDisposition(null, comment, { kind: 'accepted' }, people.secretariat, { ...round, status: 'open', deadline: hours(c.now(), 5).toISOString() }, c.now())).toMatchObject({ ok: false, error: { code: 'round_not_closed', status: 409 } });
  });

  it('raises the revision when the decision changes, and keeps it when nothing changed', () => {
    const { c, round, comment } = closedRound();
    const first = ok(recordDisposition(null, comment, { kind: 'noted' }, people.secretariat, round, c.now()));
    expect(ok(recordDisposition(first, comment, { kind: 'noted', rationale: null }, people.secretariat, round, c.now()))).toBe(first);
    expect(ok(recordDisposition(first, comment, { kind: 'partially_accepted', rationale: 'Se incorpora la corrección, no el término.' }, people.secretariat, round, c.now())).revision).toBe(2);
  });
});

describe('replies, and silence as acceptance at the round’s close', () => {
  function published() {
    const base = closedRound();
    const disposition = ok(recordDisposition(null, base.comment, { kind: 'partially_accepted', rationale: 'Se incorpora la corrección.' }, people.secretariat, base.round, base.c.now()));
    const round = ok(publishDispositions(base.round, people.secretariat, hours(base.c.now(), 72), base.c.now(), { undisposed: 0 }));
    return { ...base, round, disposition };
  }

  it('shows dispositions to organizers only until they are published', () => {
    const { c, round } = closedRound();
    expect([people.secretariat, people.coordinator, people.peFocal, people.admin].map((p) => mayReadDispositions(round, p, c.now()))).toEqual([true, true, false, false]);
    const after = published();
    expect([people.peFocal, people.admin].map((p) => mayReadDispositions(after.round, p, after.c.now()))).toEqual([true, true]);
  });

  it('lets the commenting party’s submitter reply satisfied, or object with a reason, until the reply deadline', () => {
    const { c, round, peru, comment, disposition } = published();
    expect(replyToDisposition(null, comment, disposition, { kind: 'objects' }, people.peFocal, peru, round, c.now())).toMatchObject({ ok: false, error: { code: 'reason_required', status: 400 } });
    expect(replyToDisposition(null, comment, disposition, { kind: 'maybe' }, people.peFocal, peru, round, c.now())).toMatchObject({ ok: false, error: { code: 'unknown_reply', status: 400 } });
    expect(replyToDisposition(null, comment, disposition, { kind: 'satisfied' }, people.peDelegate, peru, round, c.now())).toMatchObject({ ok: false, error: { code: 'not_submitter', status: 403 } });
    expect(replyToDisposition(null, comment, disposition, { kind: 'satisfied' }, people.mxFocal, peru, round, c.now())).toMatchObject({ ok: false, error: { status: 403 } });
    const objection = ok(replyToDisposition(null, comment, disposition, { kind: 'objects', text: 'El término es esencial.' }, people.peFocal, peru, round, c.now()));
    expect(objection).toMatchObject({ commentId: 'c1', kind: 'objects', text: 'El término es esencial.', toRevision: 1, by: 'pe-focal' });
    expect(effectiveReply(disposition, objection, round, c.now())).toBe('objects');
    c.advance(10);
    expect(ok(replyToDisposition(objection, comment, disposition, { kind: 'objects', text: 'El término es esencial.' }, people.peFocal, peru, round, c.now()))).toBe(objection);
    const changed = ok(replyToDisposition(objection, comment, disposition, { kind: 'satisfied' }, people.peFocal, peru, round, c.now()));
    expect(changed.at).toBe(c.now().toISOString());
    expect(effectiveReply(disposition, changed, round, c.now())).toBe('satisfied');
    c.advance(62);
    expect(replyToDisposition(changed, comment, disposition, { kind: 'objects', text: 'tarde' }, people.peFocal, peru, round, c.now())).toMatchObject({ ok: false, error: { code: 'replies_closed', status: 409 } });
  });

  it('counts no reply as acceptance once the reply deadline has passed, and as pending before', () => {
    const { c, round, disposition } = published();
    expect(effectiveReply(disposition, null, round, c.now())).toBe('pending');
    c.advance(71.9);
    expect(effectiveReply(disposition, null, round, c.now())).toBe('pending');
    c.advance(0.1);
    expect(phase(round, c.now())).toBe('concluded');
    expect(effectiveReply(disposition, null, round, c.now())).toBe('accepted_by_silence');
    expect(effectiveReply(null, null, round, c.now())).toBe('none');
  });

  it('counts silence as acceptance also when the organizers conclude the round', () => {
    const { c, round, disposition } = published();
    const concluded = ok(concludeRound(round, people.secretariat, c.now(), { unreplied: 0 }));
    expect(effectiveReply(disposition, null, concluded, c.now())).toBe('accepted_by_silence');
  });

  it('refuses replies before dispositions are published', () => {
    const { c, round, peru, comment } = closedRound();
    const disposition = ok(recordDisposition(null, comment, { kind: 'accepted' }, people.secretariat, round, c.now()));
    expect(replyToDisposition(null, comment, disposition, { kind: 'satisfied' }, people.peFocal, peru, round, c.now())).toMatchObject({ ok: false, error: { code: 'dispositions_not_published', status: 409 } });
  });

  it('lets a changed decision void the earlier reply: the commenter must answer the new one', () => {
    const { c, round, peru, comment, disposition } = published();
    const satisfied = ok(replyToDisposition(null, comment, disposition, { kind: 'satisfied' }, people.peFocal, peru, round, c.now()));
    const revised = ok(recordDisposition(disposition, comment, { kind: 'not_accepted', rationale: 'Tras revisión, no procede.' }, people.secretariat, round, c.now()));
    expect(effectiveReply(revised, satisfied, round, c.now())).toBe('pending');
    c.advance(72);
    expect(effectiveReply(revised, satisfied, round, c.now())).toBe('accepted_by_silence');
  });
});

describe('applied in (a paragraph of the next version)', () => {
  function withNext() {
    const base = closedRound();
    const disposition: Disposition = ok(recordDisposition(null, base.comment, { kind: 'partially_accepted', rationale: 'Se incorpora la corrección.' }, people.secretariat, base.round, base.c.now()));
    return { ...base, disposition, comment: base.comment as Comment };
  }

  it('needs the next version attached, a paragraph of it, and a disposition that applies something', () => {
    const { c, round, disposition, comment } = withNext();
    expect(setAppliedIn(disposition, { versionId: 'v2', blockId: 's1.1p1' }, V2, round, people.secretariat)).toMatchObject({ ok: false, error: { code: 'next_version_missing', status: 409 } });
    const next = ok(attachNextVersion(round, people.secretariat, 'v2', c.now()));
    expect(setAppliedIn(disposition, { versionId: 'v3', blockId: 's1.1p1' }, V2, next, people.secretariat)).toMatchObject({ ok: false, error: { code: 'not_the_next_version', status: 400 } });
    expect(setAppliedIn(disposition, { versionId: 'v2', blockId: 's9p9' }, V2, next, people.secretariat)).toMatchObject({ ok: false, error: { code: 'unknown_paragraph', status: 400 } });
    expect(setAppliedIn(disposition, { versionId: 'v2', blockId: 's1.1p1' }, V2, next, people.peFocal)).toMatchObject({ ok: false, error: { status: 403 } });
    const noted = ok(recordDisposition(disposition, comment, { kind: 'noted' }, people.secretariat, next, c.now()));
    expect(setAppliedIn(noted, { versionId: 'v2', blockId: 's1.1p1' }, V2, next, people.secretariat)).toMatchObject({ ok: false, error: { code: 'nothing_applied', status: 409 } });
    const linked = ok(setAppliedIn(disposition, { versionId: 'v2', blockId: 's1.1p1' }, V2, next, people.secretariat));
    expect(linked.appliedIn).toEqual({ versionId: 'v2', blockId: 's1.1p1', label: '1.1 ¶1' });
    expect(linked.revision).toBe(disposition.revision);
    expect(ok(setAppliedIn(disposition, { versionId: 'v2', blockId: null }, V2, next, people.secretariat)).appliedIn).toEqual({ versionId: 'v2', blockId: null, label: null });
    // A decision that no longer applies anything drops its link.
    expect(ok(recordDisposition(linked, comment, { kind: 'deferred', rationale: 'Al próximo bienio.' }, people.secretariat, next, c.now())).appliedIn).toBeNull();
  });

  it('suggests the paragraph the comment re-anchored to', () => {
    const { comment } = withNext();
    const moved = reanchor(comment.anchor, V1, V2);
    expect(moved.status).toBe('kept');
    expect(suggestAppliedIn(moved, 'v2')).toEqual({ versionId: 'v2', blockId: 's1.1p1', label: '1.1 ¶1' });
    expect(suggestAppliedIn({ status: 'orphaned', anchor: null, score: 0, reason: 'paragraph_deleted', from: null }, 'v2')).toBeNull();
  });
});
