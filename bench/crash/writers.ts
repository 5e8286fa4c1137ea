import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { minimalPdf } from '../../tests/fixtures/documents.js';
import type { Response, WriteContext } from './durability.js';
import { CONSULTATION_WRITERS } from './consultation-writers.js';
import { REGISTER_WRITERS } from './register-writers.js';

/**
 * The writes the crash-durability run keeps sending while it kills the server. Each writer sends one
 * write over HTTP and, when the server acknowledges it (2xx), records in the ledger how to find it
 * again after the crash; or, for a value writes replace, goes through `context.overwrite`.
 *
 * Adding a feature's writes is adding an entry here (or in a file of its own, spread in below, as
 * the consultations' and the register's are): a name, a weight (how often it is picked), `run`,
 * and what must hold after every restart (`afterRestart`) if anything.
 */
export interface Writer {
  name: string;
  weight: number;
  run(context: WriteContext): Promise<Response | null | 'skipped'>;
  /** What must hold after every restart whatever was cut (no import's staged rows left...): the problems found. */
  afterRestart?(db: Database.Database): string[];
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A post's text as first written: the post's own until it is edited, then its revision 1 (edits are checked by the edit writer). */
const firstText = (db: Database.Database, postId: string): string | undefined =>
  (db.prepare('select coalesce((select r.source from post_revisions r where r.post_id = p.id and r.number = 1), p.source) from posts p where p.id = ?').pluck().get(postId) as string | undefined);

export const WRITERS: Writer[] = [
  {
    name: 'new thread',
    weight: 2,
    async run(context) {
      const author = context.pick(context.state.actors);
      const title = context.unique('Tema');
      const body = context.unique('Apertura');
      const response = await context.send(author, 'POST', '/api/threads', { categoryId: context.state.categoryId, title, body });
      if (response?.status === 201) {
        const { thread, post } = response.body as { thread: { id: string }; post: { id: string } };
        context.state.threads.push(thread.id);
        context.state.posts.push({ id: post.id, threadId: thread.id, author, attachments: 0 });
        context.acknowledged('new thread', (db) => {
          const row = db.prepare('select t.title, p.id as postId from threads t join posts p on p.thread_id = t.id and p.seq = 1 where t.id = ?').get(thread.id) as { title: string; postId: string } | undefined;
          return row?.title === title && row.postId === post.id && firstText(db, post.id) === body ? null : `thread ${thread.id} "${title}": ${JSON.stringify(row)}, first text ${JSON.stringify(firstText(db, post.id))}`;
        });
      }
      return response;
    },
  },
  {
    name: 'reply',
    weight: 6,
    async run(context) {
      if (context.state.threads.length === 0) return 'skipped';
      const threadId = context.pick(context.state.threads);
      const author = context.pick(context.state.actors);
      const body = context.unique('Respuesta');
      const parent = context.random() < 0.5 ? context.state.posts.filter((post) => post.threadId === threadId) : [];
      const parentId = parent.length > 0 ? context.pick(parent).id : undefined;
      const response = await context.send(author, 'POST', `/api/threads/${threadId}/posts`, { body, ...(parentId ? { parentId } : {}) });
      if (response?.status === 201) {
        const postId = (response.body as { post: { id: string } }).post.id;
        context.state.posts.push({ id: postId, threadId, author, attachments: 0 });
        context.acknowledged(
          'reply',
          (db) => {
            const row = db.prepare('select thread_id as threadId, parent_id as parentId from posts where id = ?').get(postId) as { threadId: string; parentId: string | null } | undefined;
            return row?.threadId === threadId && firstText(db, postId) === body && (!parentId || row.parentId === parentId) ? null : `reply ${postId} "${body}": ${JSON.stringify(row)}, first text ${JSON.stringify(firstText(db, postId))}`;
          },
          { threadId, postId },
        );
      }
      return response;
    },
  },
  {
    name: 'edit',
    weight: 3,
    async run(context) {
      if (context.state.posts.length === 0) return 'skipped';
      const post = context.pick(context.state.posts);
      const body = context.unique('Editado');
      return context.overwrite(
        `edit:${post.id}`,
        body,
        () => context.send(post.author, 'PATCH', `/api/posts/${post.id}`, { body }),
        // Before any acknowledged edit the post keeps its text as written: the entry starts from null and that text is checked by its own write.
        (db) => {
          const row = db.prepare('select source, revision_count as revisions from posts where id = ?').get(post.id) as { source: string; revisions: number } | undefined;
          return row && row.revisions > 0 ? row.source : null;
        },
      );
    },
  },
  {
    name: 'poll answer',
    weight: 2,
    async run(context) {
      const person = context.pick(context.state.actors);
      const { id, slotIds } = context.state.polling;
      const answers = slotIds.map((slotId) => ({ slotId, answer: context.pick(['yes', 'if_need_be', 'no'] as const) }));
      const value = answers.map((answer) => `${answer.slotId}=${answer.answer}`).join(',');
      return context.overwrite(
        `poll answer:${person.id}`,
        value,
        () => context.send(person, 'PUT', `/api/meetings/${id}/poll/answers`, { answers }),
        (db) => {
          const rows = db.prepare('select slot_id as slotId, answer from meeting_poll_answers where meeting_id = ? and user_id = ?').all(id, person.id) as Array<{ slotId: string; answer: string }>;
          if (rows.length === 0) return null;
          const bySlot = new Map(rows.map((row) => [row.slotId, row.answer]));
          return slotIds.map((slotId) => `${slotId}=${bySlot.get(slotId) ?? 'none'}`).join(',');
        },
      );
    },
  },
  {
    name: 'attendance answer',
    weight: 2,
    async run(context) {
      const person = context.pick(context.state.actors);
      const answer = context.pick(['going', 'maybe', 'not_going'] as const);
      const note = context.unique('Nota');
      return context.overwrite(
        `attendance answer:${person.id}`,
        `${answer} ${note}`,
        () => context.send(person, 'PUT', `/api/meetings/${context.state.meeting.id}/attendance`, { answer, note }),
        (db) => {
          const row = db.prepare('select answer, note from meeting_attendance_answers where meeting_id = ? and user_id = ?').get(context.state.meeting.id, person.id) as { answer: string; note: string } | undefined;
          return row ? `${row.answer} ${row.note}` : null;
        },
      );
    },
  },
  {
    name: 'document upload',
    weight: 1,
    async run(context) {
      const publisher = context.pick(context.state.publishers);
      const title = context.unique('Informe');
      const bytes = minimalPdf(`${title} ${'cifras '.repeat(Math.floor(context.random() * 2_000))}`);
      const metadata = { title: { es: title, en: '' }, type: 'report', languages: ['es'], publicationDate: '2026-10-01', visibility: 'group' };
      const response = await context.upload(publisher, '/api/documents', { metadata: JSON.stringify(metadata) }, { name: `${title}.pdf`, bytes });
      if (response?.status === 201) {
        const id = (response.body as { document: { id: string } }).document.id;
        context.state.documents.push(id);
        const hash = sha256(bytes);
        context.acknowledged('document upload', (db) => {
          const row = db.prepare('select d.title_es as title, v.sha256 from documents d join document_versions v on v.document_id = d.id and v.number = 1 where d.id = ?').get(id) as { title: string; sha256: string } | undefined;
          return row?.title === title && row.sha256 === hash ? null : `document ${id} "${title}" (${hash}): ${JSON.stringify(row)}`;
        });
      }
      return response;
    },
  },
  {
    name: 'document version',
    weight: 1,
    async run(context) {
      if (context.state.documents.length === 0) return 'skipped';
      const id = context.pick(context.state.documents);
      const note = context.unique('Versión');
      const bytes = minimalPdf(`${note} ${'revisado '.repeat(Math.floor(context.random() * 2_000))}`);
      const response = await context.upload(context.pick(context.state.publishers), `/api/documents/${id}/versions`, { changeNote: note }, { name: `${note}.pdf`, bytes });
      if (response?.status === 201) {
        const hash = sha256(bytes);
        context.acknowledged('document version', (db) => {
          const row = db.prepare('select number from document_versions where document_id = ? and sha256 = ? and change_note = ?').get(id, hash, note);
          return row ? null : `version "${note}" (${hash}) of document ${id} is missing`;
        });
      }
      return response;
    },
  },
  {
    name: 'attachment',
    weight: 1,
    async run(context) {
      const posts = context.state.posts.filter((post) => post.attachments < 8);
      if (posts.length === 0) return 'skipped';
      const post = context.pick(posts);
      post.attachments += 1; // counted before the answer: a cut upload may have been kept
      const name = context.unique('Anexo');
      const bytes = minimalPdf(name);
      const response = await context.upload(post.author, `/api/posts/${post.id}/attachments`, {}, { name: `${name}.pdf`, bytes });
      if (response?.status === 201) {
        const attachmentId = (response.body as { attachment: { id: string } }).attachment.id;
        const hash = sha256(bytes);
        context.acknowledged('attachment', (db) => {
          const row = db.prepare('select subject_id as subjectId, sha256 from attachments where id = ? and removed_at is null').get(attachmentId) as { subjectId: string; sha256: string } | undefined;
          return row?.subjectId === post.id && row.sha256 === hash ? null : `attachment ${attachmentId} of post ${post.id}: ${JSON.stringify(row)}`;
        });
      }
      return response;
    },
  },
  ...CONSULTATION_WRITERS,
  ...REGISTER_WRITERS,
];
