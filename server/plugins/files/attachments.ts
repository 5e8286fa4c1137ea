import type Database from 'better-sqlite3';
import type { Db } from '../db.js';
import { newTimeOrderedId } from '../../shared/ids.js';

export interface AttachmentRow {
  id: string;
  ownerKind: string;
  ownerId: string;
  sha256: string;
  fileName: string;
  mime: string;
  size: number;
  uploadedBy: string;
  createdAt: number;
  removedAt: number | null;
}

const COLUMNS = `id, owner_kind as ownerKind, owner_id as ownerId, sha256, file_name as fileName, mime, size, uploaded_by as uploadedBy,
  created_at as createdAt, removed_at as removedAt`;

/**
 * Files attached to things people write (debate posts; later minutes, consultation answers): the
 * rows; the bytes are in the FileStore. Each feature declares the kinds of things it lets people
 * attach files to, once; the rows name their owner by kind and id, and the owner's feature decides
 * who may read, add or remove them (the files plugin knows no feature).
 */
export class AttachmentsRepository {
  private readonly statements;
  private readonly ownerKinds = new Set<string>();

  constructor(db: Db) {
    const s: Database.Database = db.$client;
    this.statements = {
      insert: s.prepare('insert into attachments (id, owner_kind, owner_id, sha256, file_name, mime, size, uploaded_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      byId: s.prepare<[string], AttachmentRow>(`select ${COLUMNS} from attachments where id = ?`),
      ofOwners: s.prepare<[string, string], AttachmentRow>(
        `select ${COLUMNS} from attachments where owner_kind = ? and owner_id in (select value from json_each(?)) and removed_at is null order by created_at, id`,
      ),
      countOf: s.prepare<[string, string], number>('select count(*) from attachments where owner_kind = ? and owner_id = ? and removed_at is null').pluck(),
      remove: s.prepare('update attachments set removed_at = ? where id = ? and removed_at is null'),
    };
  }

  /** Declares a kind of owner ('post'): done once by the feature that owns such things. */
  defineOwnerKind(kind: string): void {
    if (this.ownerKinds.has(kind)) throw new Error(`Attachment owner kind "${kind}" is already defined`);
    this.ownerKinds.add(kind);
  }

  add(input: { ownerKind: string; ownerId: string; file: { sha256: string; fileName: string; mime: string; size: number }; uploadedBy: string; now: Date }): AttachmentRow {
    if (!this.ownerKinds.has(input.ownerKind)) throw new Error(`Attachment owner kind "${input.ownerKind}" is not defined`);
    const id = newTimeOrderedId(input.now.getTime());
    const { file } = input;
    this.statements.insert.run(id, input.ownerKind, input.ownerId, file.sha256, file.fileName, file.mime, file.size, input.uploadedBy, input.now.getTime());
    return this.find(id)!;
  }

  find(id: string): AttachmentRow | undefined {
    return this.statements.byId.get(id);
  }

  /** The current attachments of each owner, oldest first; owners without any are absent. */
  of(ownerKind: string, ownerIds: string[]): Map<string, AttachmentRow[]> {
    const byOwner = new Map<string, AttachmentRow[]>();
    if (ownerIds.length === 0) return byOwner;
    for (const row of this.statements.ofOwners.all(ownerKind, JSON.stringify(ownerIds))) {
      const list = byOwner.get(row.ownerId);
      if (list) list.push(row);
      else byOwner.set(row.ownerId, [row]);
    }
    return byOwner;
  }

  count(ownerKind: string, ownerId: string): number {
    return this.statements.countOf.get(ownerKind, ownerId) ?? 0;
  }

  remove(id: string, now: Date): boolean {
    return this.statements.remove.run(now.getTime(), id).changes > 0;
  }
}
