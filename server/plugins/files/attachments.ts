import type { Database } from '../database.js';
import type { SubjectRegistry } from '../subjects/index.js';
import { newTimeOrderedId } from '../../shared/ids.js';

export interface AttachmentRow {
  id: string;
  subjectKind: string;
  subjectId: string;
  sha256: string;
  fileName: string;
  mime: string;
  size: number;
  uploadedBy: string;
  createdAt: number;
  removedAt: number | null;
}

const COLUMNS = `id, subject_kind as "subjectKind", subject_id as "subjectId", sha256, file_name as "fileName", mime, size, uploaded_by as "uploadedBy",
  created_at as "createdAt", removed_at as "removedAt"`;

/**
 * Files attached to things people write (debate posts; later minutes, consultation answers): the
 * rows; the bytes are in the FileStore. Each feature allows attachments on kinds of its subjects
 * (server/plugins/subjects), once; the rows name their subject by kind and id, and the subject's
 * feature decides who may read, add or remove them (the files plugin knows no feature).
 */
export class AttachmentsRepository {
  private readonly statements;
  private readonly allowed = new Set<string>();

  constructor(
    database: Database,
    private readonly subjects: SubjectRegistry,
  ) {
    this.statements = {
      insert: database.statement<[string, string, string, string, string, string, number, string, number]>(
        'insert into attachments (id, subject_kind, subject_id, sha256, file_name, mime, size, uploaded_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      byId: database.statement<[string], AttachmentRow>(`select ${COLUMNS} from attachments where id = ?`),
      // The ids as one JSON array parameter: one statement, prepared once, for any number of them.
      ofSubjects: database.statement<[string, string], AttachmentRow>({
        sqlite: `select ${COLUMNS} from attachments where subject_kind = ? and subject_id in (select value from json_each(?)) and removed_at is null order by created_at, id`,
        postgres: `select ${COLUMNS} from attachments where subject_kind = $1 and subject_id in (select jsonb_array_elements_text($2::jsonb)) and removed_at is null order by created_at, id`,
      }),
      countOf: database.statement<[string, string]>('select count(*) from attachments where subject_kind = ? and subject_id = ? and removed_at is null'),
      remove: database.statement<[number, string]>('update attachments set removed_at = ? where id = ? and removed_at is null'),
    };
  }

  /** Allows attachments on a subject kind ('post'): done once by the feature that owns such things. */
  allowOn(kind: string): void {
    if (this.allowed.has(kind)) throw new Error(`Attachments on "${kind}" are already allowed`);
    this.allowed.add(kind);
  }

  async add(input: { subject: { kind: string; id: string }; file: { sha256: string; fileName: string; mime: string; size: number }; uploadedBy: string; now: Date }): Promise<AttachmentRow> {
    this.subjects.assertKnown(input.subject.kind);
    if (!this.allowed.has(input.subject.kind)) throw new Error(`Attachments on "${input.subject.kind}" are not allowed (fastify.files.attachments.allowOn)`);
    const id = newTimeOrderedId(input.now.getTime());
    const { file } = input;
    await this.statements.insert.run(id, input.subject.kind, input.subject.id, file.sha256, file.fileName, file.mime, file.size, input.uploadedBy, input.now.getTime());
    return (await this.find(id))!;
  }

  async find(id: string): Promise<AttachmentRow | undefined> {
    return this.statements.byId.get(id);
  }

  /** The current attachments of each subject of this kind, oldest first; subjects without any are absent. */
  async of(subjectKind: string, subjectIds: string[]): Promise<Map<string, AttachmentRow[]>> {
    const bySubject = new Map<string, AttachmentRow[]>();
    if (subjectIds.length === 0) return bySubject;
    for (const row of await this.statements.ofSubjects.all(subjectKind, JSON.stringify(subjectIds))) {
      const list = bySubject.get(row.subjectId);
      if (list) list.push(row);
      else bySubject.set(row.subjectId, [row]);
    }
    return bySubject;
  }

  async count(subjectKind: string, subjectId: string): Promise<number> {
    return (await this.statements.countOf.value<number>(subjectKind, subjectId)) ?? 0;
  }

  async remove(id: string, now: Date): Promise<boolean> {
    return (await this.statements.remove.run(now.getTime(), id)) > 0;
  }
}
