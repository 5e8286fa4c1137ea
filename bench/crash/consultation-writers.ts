import type Database from 'better-sqlite3';
import type { Actor, WriteContext } from './durability.js';
import type { Writer } from './writers.js';

/**
 * Consultation answers under the crash run: a delegation's draft saved on the revision it read (the
 * autosave), and a delegation's answer submitted (reopened first when one stands). Each member is
 * the only delegate of their country, so the one who may submit, and each country's writes go
 * through `context.overwrite` (one at a time per country): after the crash the draft holds the
 * last acknowledged save (its revision and both values), and the latest submission and the
 * delegation's status are those of the last acknowledged submission, or of a write the kill cut.
 */

const delegates = (context: WriteContext): Actor[] => context.state.actors.filter((actor) => actor.countryId !== null);

interface DraftView {
  draft: { revision: number; answers: { note?: { text: string } } };
  position: { submissions: number; reopened: boolean };
}

const respondentRow = (db: Database.Database, consultationId: string, respondent: string) =>
  db.prepare('select state, draft from consultation_respondents where consultation_id = ? and respondent = ?').get(consultationId, respondent) as { state: string; draft: string } | undefined;

export const CONSULTATION_WRITERS: Writer[] = [
  {
    name: 'consultation draft',
    weight: 2,
    async run(context) {
      const member = context.pick(delegates(context));
      const id = context.state.consultations.drafts;
      const note = context.unique('Borrador');
      const figure = Math.floor(context.random() * 100_000_000) / 100;
      let base: number | null = null;
      return context.overwrite(
        `consultation draft:${member.countryId}`,
        // The save makes the next revision of the draft it was made on.
        () => `revision ${base === null ? '?' : base + 1}: ${note} / ${figure}`,
        async () => {
          const read = await context.send(member, 'GET', `/api/consultations/${id}/draft`);
          if (read?.status !== 200) return read;
          base = (read.body as DraftView).draft.revision;
          return context.send(member, 'PATCH', `/api/consultations/${id}/draft`, {
            base,
            changes: [
              { question: 'note', value: { type: 'short_text', text: note } },
              { question: 'figure', value: { type: 'number', value: figure } },
            ],
          });
        },
        (db) => {
          const row = respondentRow(db, id, member.countryId!);
          if (!row) return null;
          const draft = JSON.parse(row.draft) as { revision: number; answers: { note?: { text: string }; figure?: { value: number } } };
          // "Who changed what" is written with the draft: its latest entry is the draft's revision.
          const logged = db.prepare('select max(revision) from consultation_changes where consultation_id = ? and respondent = ?').pluck().get(id, member.countryId) as number | null;
          if (logged !== draft.revision) return `the draft is at revision ${draft.revision}, its history at ${logged}`;
          return `revision ${draft.revision}: ${draft.answers.note?.text} / ${draft.answers.figure?.value}`;
        },
      );
    },
  },
  {
    name: 'consultation submit',
    weight: 1,
    async run(context) {
      const member = context.pick(delegates(context));
      const id = context.state.consultations.submissions;
      const note = context.unique('Envío');
      let number: number | null = null;
      let reopening: string | null = null;
      return context.overwrite(
        `consultation submit:${member.countryId}`,
        () => `submitted #${number ?? '?'}: ${note}`,
        async () => {
          const read = await context.send(member, 'GET', `/api/consultations/${id}/draft`);
          if (read?.status !== 200) return read;
          const view = read.body as DraftView;
          number = view.position.submissions + 1;
          let base = view.draft.revision;
          if (view.position.submissions > 0 && !view.position.reopened) {
            // A submission stands: reopen it first. Until the next submission, it is still the answer.
            reopening = `reopened #${view.position.submissions}: ${view.draft.answers.note?.text}`;
            const reopened = await context.send(member, 'POST', `/api/consultations/${id}/reopen`);
            if (reopened?.status !== 200) return reopened;
          }
          const saved = await context.send(member, 'PATCH', `/api/consultations/${id}/draft`, { base, changes: [{ question: 'note', value: { type: 'short_text', text: note } }] });
          if (saved?.status !== 200) return saved;
          base = (saved.body as DraftView).draft.revision;
          return context.send(member, 'POST', `/api/consultations/${id}/submit`, { revision: base });
        },
        // The status and the latest submission; the state's list of submissions must be the table's.
        (db) => {
          const row = respondentRow(db, id, member.countryId!);
          if (!row) return null;
          const state = JSON.parse(row.state) as { submissions: Array<{ number: number }>; reopenedAt: number | null };
          const stored = db.prepare('select number, answers from consultation_submissions where consultation_id = ? and respondent = ? order by number').all(id, member.countryId) as Array<{ number: number; answers: string }>;
          const recorded = state.submissions.map((submission) => submission.number).join(',');
          if (recorded !== stored.map((submission) => submission.number).join(',')) return `the state records submissions [${recorded}], the table holds [${stored.map((submission) => submission.number).join(',')}]`;
          const last = stored.at(-1);
          if (!last) return null;
          return `${state.reopenedAt === null ? 'submitted' : 'reopened'} #${last.number}: ${(JSON.parse(last.answers) as { note?: { text: string } }).note?.text}`;
        },
        () => (reopening ? [reopening] : []),
      );
    },
  },
];
