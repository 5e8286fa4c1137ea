// Over 500 lines (530): the library's statements are kept in one class with the caches they keep
// right, and its search statements are written once per engine (FTS5 and PostgreSQL's full_text
// tables). The search statements are the part to move out next.
import { postgresText, type Database, type Statement } from '../../plugins/database.js';
import type { LinkService } from '../../plugins/subjects/index.js';
import { HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, stemText, type FullTextQuery } from '../../shared/full-text.js';
import { newTimeOrderedId } from '../../shared/ids.js';
import type { AuditService } from '../../plugins/audit/index.js';
import type { AuditAction, DocumentType, Visibility } from './tables.js';
import type { IndicatorsService } from '../indicators/public.js';

/** A piece of a list statement, in each engine's words where they differ. */
type EngineText = string | { sqlite: string; postgres: string };

/** What the library needs of the indicator catalogue: its documents' tags (subject kind 'document'). */
export type DocumentTags = Pick<IndicatorsService, 'tagsOf' | 'subjectsTagged' | 'setTagsWithin'>;

export interface DocumentMetadata {
  titleEs: string;
  titleEn: string;
  descriptionEs: string;
  descriptionEn: string;
  type: DocumentType;
  languages: string[];
  publicationDate: string;
  tags: string[];
  indicatorCodes: string[];
  visibility: Visibility;
  authorCountryId: string | null;
  authorOrganizationId: string | null;
  relatedThreadId: string | null;
  relatedMeetingId: string | null;
}

export interface StoredVersion {
  sha256: string;
  fileName: string;
  mime: string;
  size: number;
  changeNote: string;
}

export interface DocumentRow extends DocumentMetadata {
  /** Who reads a restricted document besides the publishers; null for the others. */
  audience: string[] | null;
  id: string;
  groupId: string;
  latestVersion: number;
  downloadCount: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  deletedBy: string | null;
  deletedByName: string | null;
}

export interface VersionRow extends StoredVersion {
  documentId: string;
  number: number;
  uploadedBy: string;
  uploadedByName: string;
  uploadedAt: number;
}

export interface ListFilters {
  groupId: string;
  includeDrafts: boolean;
  /** Whose restricted documents are listed (when drafts are not). */
  reader?: { countryId: string | null; organizationId: string | null };
  match: FullTextQuery | null;
  type?: string;
  language?: string;
  year?: number;
  tag?: string;
  indicator?: string;
  threadId?: string;
  meetingId?: string;
  sort: 'relevance' | 'published' | 'title' | 'updated' | 'downloads';
  offset: number;
  limit: number;
}

const SORTS: Record<ListFilters['sort'], EngineText> = {
  relevance: 'rank, d.publication_date desc, d.id desc',
  published: 'd.publication_date desc, d.created_at desc, d.id desc',
  // SQLite's nocase folds ASCII letters only; lower() folds every letter.
  title: { sqlite: "coalesce(nullif(d.title_es, ''), d.title_en) collate nocase, d.id", postgres: "lower(coalesce(nullif(d.title_es, ''), d.title_en)), d.id" },
  updated: 'd.updated_at desc, d.id desc',
  downloads: 'd.download_count desc, d.publication_date desc, d.id desc',
};

/** A piece of the list's SQL in each engine's words, with its parameters in order (`?` in both texts). */
interface Fragment {
  sqlite: string;
  postgres: string;
  params: unknown[];
}
const portable = (text: string, ...params: unknown[]): Fragment => ({ sqlite: text, postgres: text, params });
const textOf = (text: EngineText, engine: 'sqlite' | 'postgres') => (typeof text === 'string' ? text : text[engine]);

const DOCUMENT_COLUMNS = `d.id, d.group_id as "groupId", d.title_es as "titleEs", d.title_en as "titleEn",
  d.description_es as "descriptionEs", d.description_en as "descriptionEn", d.type, d.languages, d.publication_date as "publicationDate",
  d.tags, d.visibility, d.audience, d.author_country_id as "authorCountryId",
  d.author_organization_id as "authorOrganizationId", (select l.to_id from subject_links l where l.from_kind = 'document' and l.from_id = d.id and l.relation = 'related' and l.to_kind = 'thread') as "relatedThreadId",
  (select l.to_id from subject_links l where l.from_kind = 'document' and l.from_id = d.id and l.relation = 'related' and l.to_kind = 'meeting') as "relatedMeetingId",
  d.latest_version as "latestVersion", d.download_count as "downloadCount", d.created_by as "createdBy", d.created_at as "createdAt",
  d.updated_at as "updatedAt", d.deleted_at as "deletedAt", d.deleted_by as "deletedBy", (select display_name from users where id = d.deleted_by) as "deletedByName"`;

const VERSION_COLUMNS = `v.document_id as "documentId", v.number, v.sha256, v.file_name as "fileName", v.mime, v.size, v.change_note as "changeNote",
  v.uploaded_by as "uploadedBy", u.display_name as "uploadedByName", v.uploaded_at as "uploadedAt"`;

/** Who may read a document, and its titles: what `readable` reads. */
export type ReadableDocument = Pick<DocumentRow, 'id' | 'groupId' | 'titleEs' | 'titleEn' | 'visibility' | 'audience' | 'deletedAt'>;
type ReadableRaw = Omit<ReadableDocument, 'audience'> & { audience: string | null };

type RawDocument = Omit<DocumentRow, 'languages' | 'tags' | 'indicatorCodes' | 'audience'> & { languages: string; tags: string; audience: string | null };
const toDocumentRow = (raw: RawDocument, indicatorCodes: string[]): DocumentRow => ({
  ...raw,
  languages: JSON.parse(raw.languages) as string[],
  tags: JSON.parse(raw.tags) as string[],
  audience: raw.audience === null ? null : (JSON.parse(raw.audience) as string[]),
  indicatorCodes,
});

/** How the library's entries are named in the audit log: subject "document", actions "document.uploaded" and so on. */
const AUDIT_SUBJECT = 'document';
const ACTION_PREFIX = 'document.';

/** How much of a version's text PostgreSQL hands the snippet (full-text.ts reads no further either). */
const SNIPPET_SCAN_CHARS = 200_000;
/** What the search index holds for a document's metadata, on the row of each version (whose file's text is the `content` column). */
const titleText = (m: DocumentMetadata) => `${m.titleEs} ${m.titleEn}`;
const descriptionText = (m: DocumentMetadata) => [m.descriptionEs, m.descriptionEn, ...m.tags, ...m.indicatorCodes].join(' ');

/**
 * The library's storage: documents, their versions (whose files the files plugin keeps), the search
 * index and the audit trail. Each change writes its index row and audit entry in the caller's unit
 * of work (`fastify.unitOfWork.run`), so they commit or fail together. Plain SQL statements: the
 * list's filters combine freely, and none of this is hot.
 */
export class DocumentsRepository {
  private readonly statements;
  private readonly listStatements = new Map<string, Statement<unknown[], unknown>>();

  /** The audit log (server/plugins/audit): each change's entry is written in the change's transaction. */
  constructor(
    private readonly database: Database,
    private readonly links: LinkService,
    private readonly auditLog: Pick<AuditService, 'record' | 'trail'>,
    private readonly tags: DocumentTags,
  ) {
    const d = database;
    this.statements = {
      readableById: d.statement<[string], ReadableRaw>('select id, group_id as "groupId", title_es as "titleEs", title_en as "titleEn", visibility, audience, deleted_at as "deletedAt" from documents where id = ?'),
      byId: d.statement<[string], RawDocument>(`select ${DOCUMENT_COLUMNS} from documents d where d.id = ?`),
      // One statement for any number of ids (a JSON array): no SQL rebuilt per page size, no bound-variable limit.
      byIds: d.statement<[string], RawDocument>({
        sqlite: `select ${DOCUMENT_COLUMNS} from json_each(?) j join documents d on d.id = j.value`,
        postgres: postgresText(`select ${DOCUMENT_COLUMNS} from jsonb_array_elements_text(?::jsonb) j(value) join documents d on d.id = j.value`),
      }),
      versions: d.statement<[string], VersionRow>(`select ${VERSION_COLUMNS} from document_versions v join users u on u.id = v.uploaded_by where v.document_id = ? order by v.number desc`),
      version: d.statement<[string, number], VersionRow>(`select ${VERSION_COLUMNS} from document_versions v join users u on u.id = v.uploaded_by where v.document_id = ? and v.number = ?`),
      insertDocument: d.statement<
        [id: string, groupId: string, titleEs: string, titleEn: string, descriptionEs: string, descriptionEn: string, type: string, languages: string, publicationDate: string, tags: string,
          visibility: string, audience: string | null, authorCountryId: string | null, authorOrganizationId: string | null, createdBy: string, createdAt: number, updatedAt: number]
      >(`insert into documents (id, group_id, title_es, title_en, description_es, description_en, type, languages, publication_date, tags,
        visibility, audience, author_country_id, author_organization_id, latest_version, created_by, created_at, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`),
      updateDocument: d.statement<
        [titleEs: string, titleEn: string, descriptionEs: string, descriptionEn: string, type: string, languages: string, publicationDate: string, tags: string, visibility: string,
          authorCountryId: string | null, authorOrganizationId: string | null, updatedAt: number, id: string]
      >(`update documents set title_es = ?, title_en = ?, description_es = ?, description_en = ?,
        type = ?, languages = ?, publication_date = ?, tags = ?, visibility = ?,
        author_country_id = ?, author_organization_id = ?, updated_at = ? where id = ?`),
      insertVersion: d.statement<[documentId: string, number: number, sha256: string, fileName: string, mime: string, size: number, changeNote: string, uploadedBy: string, uploadedAt: number]>(
        'insert into document_versions (document_id, number, sha256, file_name, mime, size, change_note, uploaded_by, uploaded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      nextVersion: d.statement<[number, string]>('update documents set latest_version = latest_version + 1, updated_at = ? where id = ? returning latest_version'),
      // The search index: FTS5's document_versions_search on SQLite (its rowid the version's),
      // full_text.document_versions on PostgreSQL (its id standing for the rowid; migrations/pg/0004),
      // title, description, content and stems weighed as bm25 weighs them below.
      indexVersion: d.statement<[title: string, description: string, content: string, stems: string, documentId: string, number: number]>({
        sqlite: 'insert into document_versions_search (rowid, title, description, content, stems) select rowid, ?, ?, ?, ? from document_versions where document_id = ? and number = ?',
        postgres: `insert into full_text.document_versions (document_id, number, title, description, content, stems, terms)
          select document_id, number, $1::text, $2::text, $3::text, $4::text, full_text.terms(array[$1, $2, $3, $4], '{A,B,C,D}') from document_versions where document_id = $5 and number = $6
          on conflict (document_id, number) do update set title = excluded.title, description = excluded.description, content = excluded.content, stems = excluded.stems, terms = excluded.terms`,
      }),
      indexedVersions: d.statement<[string], { rowid: number; content: string }>({
        sqlite: 'select s.rowid, s.content from document_versions_search s where s.rowid in (select rowid from document_versions where document_id = ?)',
        postgres: 'select id as rowid, content from full_text.document_versions where document_id = $1',
      }),
      indexMetadata: d.statement<[title: string, description: string, stems: string, rowid: number]>({
        sqlite: 'update document_versions_search set title = ?, description = ?, stems = ? where rowid = ?',
        postgres: "update full_text.document_versions set title = $1, description = $2, stems = $3, terms = full_text.terms(array[$1::text, $2::text, content, $3::text], '{A,B,C,D}') where id = $4",
      }),
      unindex: d.statement<[string]>({
        sqlite: 'delete from document_versions_search where rowid in (select rowid from document_versions where document_id = ?)',
        postgres: 'delete from full_text.document_versions where document_id = $1',
      }),
      // The cast matters: a JS number is bound as a REAL, and FTS5 ignores a rowid constraint that is
      // not an INTEGER (after telling SQLite it applied it), answering with every matching row.
      // SQLite gives FTS5's passage of the text (`excerpt`); PostgreSQL, whose ts_headline does not fold
      // words as the index does, the text's beginning, from which snippet() cuts the passage.
      snippetOf: d.statement<[match: string, rowid: number], { title: string; description: string; content: string; excerpt: number }>({
        sqlite: `select title, description, snippet(document_versions_search, 2, '${HIGHLIGHT_OPEN}', '${HIGHLIGHT_CLOSE}', '…', 24) as content, 1 as excerpt
           from document_versions_search where document_versions_search match ? and rowid = cast(? as integer)`,
        postgres: `select title, description, left(content, ${SNIPPET_SCAN_CHARS}) as content, 0 as excerpt from full_text.document_versions where terms @@ $1::tsquery and id = $2`,
      }),
      softDelete: d.statement<[number, string, string]>('update documents set deleted_at = ?, deleted_by = ? where id = ? and deleted_at is null'),
      restore: d.statement<[number, string]>('update documents set deleted_at = null, deleted_by = null, updated_at = ? where id = ? and deleted_at is not null'),
      trash: d.statement<[string], RawDocument>(`select ${DOCUMENT_COLUMNS} from documents d where d.group_id = ? and d.deleted_at is not null order by d.deleted_at desc`),
      expired: d.statement<[number], RawDocument>(`select ${DOCUMENT_COLUMNS} from documents d where d.deleted_at is not null and d.deleted_at < ?`),
      stillExpired: d.statement<[string, number]>({
        sqlite: 'select 1 from documents where id = ? and deleted_at is not null and deleted_at < ?',
        postgres: 'select 1 from documents where id = $1 and deleted_at is not null and deleted_at < $2 for update',
      }),
      deleteVersions: d.statement<[string]>('delete from document_versions where document_id = ?'),
      deleteDocument: d.statement<[string]>('delete from documents where id = ?'),
      countDownload: d.statement<[string]>('update documents set download_count = download_count + 1 where id = ?'),
      // The versions others uploaded after `since`, newest first, from the upload-time index (CROSS
      // JOIN keeps versions the outer loop: SQLite would otherwise walk every document of the group;
      // PostgreSQL's planner takes no such order, and a CROSS JOIN there has no ON).
      uploadedSince: d.statement<
        [since: number, reader: string, groupId: string, includeDrafts: number],
        { id: string; titleEs: string; titleEn: string; number: number; at: number; uploadedByName: string | null }
      >({
        sqlite: uploadedSince('cross join'),
        postgres: postgresText(uploadedSince('join')),
      }),
      latestVersions: d.statement<[string], VersionRow>({
        sqlite: `select ${VERSION_COLUMNS} from json_each(?) j join documents d on d.id = j.value join document_versions v on v.document_id = d.id and v.number = d.latest_version join users u on u.id = v.uploaded_by`,
        postgres: postgresText(
          `select ${VERSION_COLUMNS} from jsonb_array_elements_text(?::jsonb) j(value) join documents d on d.id = j.value join document_versions v on v.document_id = d.id and v.number = d.latest_version join users u on u.id = v.uploaded_by`,
        ),
      }),
    };
  }

  async find(id: string): Promise<DocumentRow | undefined> {
    const raw = await this.statements.byId.get(id);
    return raw && (await this.withCodes([raw]))[0];
  }

  /** The documents of these ids that exist, in one query (a page of notifications names up to a hundred). */
  async findMany(ids: readonly string[]): Promise<DocumentRow[]> {
    if (ids.length === 0) return [];
    return this.withCodes(await this.statements.byIds.all(JSON.stringify(ids)));
  }

  /** What `fastify.documents.readable` needs of a document: who may read it, and its titles. */
  async readable(id: string): Promise<ReadableDocument | undefined> {
    const raw = await this.statements.readableById.get(id);
    return raw && { ...raw, audience: raw.audience === null ? null : (JSON.parse(raw.audience) as string[]) };
  }

  async versions(documentId: string): Promise<VersionRow[]> {
    return this.statements.versions.all(documentId);
  }

  async version(documentId: string, number: number): Promise<VersionRow | undefined> {
    return this.statements.version.get(documentId, number);
  }

  /** Inside the caller's unit of work: the document, its tags and links, its first version, its index row and audit entry. */
  async create(input: { groupId: string; actorId: string; metadata: DocumentMetadata; audience?: string[]; version: StoredVersion; text: string; now: Date; ip?: string | null }): Promise<string> {
    const id = newTimeOrderedId(input.now.getTime());
    const { metadata: m, now } = input;
    const c = this.columns(m);
    await this.statements.insertDocument.run(
      id, input.groupId, c.titleEs, c.titleEn, c.descriptionEs, c.descriptionEn, c.type, c.languages, c.publicationDate, c.tags,
      c.visibility, input.audience ? JSON.stringify(input.audience) : null, c.authorCountryId, c.authorOrganizationId, input.actorId, now.getTime(), now.getTime(),
    );
    await this.tags.setTagsWithin({ kind: 'document', id, groupId: input.groupId }, m.indicatorCodes, input.actorId, now);
    await this.setRelated({ id, groupId: input.groupId }, m, input.actorId, now);
    await this.insertVersion(id, 1, input.version, input.actorId, now);
    await this.indexVersion(id, 1, m, input.text);
    await this.audit(input.groupId, id, input.actorId, 'uploaded', { version: 1, fileName: input.version.fileName, sha256: input.version.sha256, visibility: m.visibility }, now, input.ip);
    return id;
  }

  /** Inside the caller's unit of work. */
  async addVersion(document: DocumentRow, input: { actorId: string; version: StoredVersion; text: string; now: Date; ip?: string | null }): Promise<number> {
    // Counted on the document's row, not from the caller's copy: on PostgreSQL two versions added at
    // once would read the same number (a unique violation, a 500); the update waits for the other's
    // row lock and counts on from its commit.
    const number = (await this.statements.nextVersion.value<number>(input.now.getTime(), document.id))!;
    await this.insertVersion(document.id, number, input.version, input.actorId, input.now);
    // Earlier versions keep their rows: their text still finds the document.
    await this.indexVersion(document.id, number, document, input.text);
    await this.audit(document.groupId, document.id, input.actorId, 'version_added', { version: number, fileName: input.version.fileName, sha256: input.version.sha256, changeNote: input.version.changeNote }, input.now, input.ip);
    return number;
  }

  /** Inside the caller's unit of work. */
  async update(document: DocumentRow, metadata: DocumentMetadata, actorId: string, changed: string[], now: Date, ip: string | null = null): Promise<void> {
    const c = this.columns(metadata);
    await this.statements.updateDocument.run(
      c.titleEs, c.titleEn, c.descriptionEs, c.descriptionEn, c.type, c.languages, c.publicationDate, c.tags, c.visibility, c.authorCountryId, c.authorOrganizationId, now.getTime(), document.id,
    );
    await this.tags.setTagsWithin({ kind: 'document', id: document.id, groupId: document.groupId }, metadata.indicatorCodes, actorId, now);
    await this.setRelated(document, metadata, actorId, now);
    for (const row of await this.statements.indexedVersions.all(document.id)) {
      await this.statements.indexMetadata.run(titleText(metadata), descriptionText(metadata), stemText(titleText(metadata), descriptionText(metadata), row.content), row.rowid);
    }
    // A change of who may read it is access-relevant: its entry says from what to what.
    const visibility = document.visibility === metadata.visibility ? {} : { visibility: { from: document.visibility, to: metadata.visibility } };
    await this.audit(document.groupId, document.id, actorId, 'updated', { fields: changed, ...visibility }, now, ip);
  }

  /** Inside the caller's unit of work; false when it was already in the trash. */
  async softDelete(document: DocumentRow, actorId: string, now: Date, ip: string | null = null): Promise<boolean> {
    const changes = await this.statements.softDelete.run(now.getTime(), actorId, document.id);
    if (changes > 0) await this.audit(document.groupId, document.id, actorId, 'deleted', {}, now, ip);
    return changes > 0;
  }

  /** Inside the caller's unit of work; false when it was not in the trash. */
  async restore(document: DocumentRow, actorId: string, now: Date, ip: string | null = null): Promise<boolean> {
    const changes = await this.statements.restore.run(now.getTime(), document.id);
    if (changes > 0) await this.audit(document.groupId, document.id, actorId, 'restored', {}, now, ip);
    return changes > 0;
  }

  async trash(groupId: string): Promise<DocumentRow[]> {
    return this.withCodes(await this.statements.trash.all(groupId));
  }

  /**
   * Removes documents trashed before `deletedBefore` for good, inside the caller's unit of work:
   * their versions and index rows (the audit entries stay). Their files go with the files plugin's
   * purge, once nothing refers to them.
   */
  async purgeTrashed(deletedBefore: Date, now: Date): Promise<number> {
    const expired = await this.statements.expired.all(deletedBefore.getTime());
    let purged = 0;
    for (const document of expired) {
      // Still in the trash, and ours to purge: on PostgreSQL another instance's purge, or a restore,
      // may have committed since the list was read; the row's lock waits for it and the check sees it.
      if ((await this.statements.stillExpired.value(document.id, deletedBefore.getTime())) === undefined) continue;
      purged += 1;
      await this.statements.unindex.run(document.id);
      await this.statements.deleteVersions.run(document.id);
      await this.statements.deleteDocument.run(document.id);
      await this.tags.setTagsWithin({ kind: 'document', id: document.id, groupId: document.groupId }, [], null, now);
      await this.audit(document.groupId, document.id, null, 'purged', { title: document.titleEs || document.titleEn }, now);
    }
    return purged;
  }

  /** The document's entries in the audit log, newest first, under the library's own action names. */
  async auditTrail(documentId: string) {
    return (await this.auditLog.trail(AUDIT_SUBJECT, documentId, 200)).map((row) => ({
      action: row.action.slice(ACTION_PREFIX.length) as AuditAction,
      actorId: row.actorId,
      actorName: row.actorName,
      at: row.createdAt,
      details: row.details,
    }));
  }

  /** The latest version of each document, in one query for a page of the list. */
  async latestVersions(documentIds: string[]): Promise<Map<string, VersionRow>> {
    return new Map((await this.statements.latestVersions.all(JSON.stringify(documentIds))).map((version) => [version.documentId, version]));
  }

  /**
   * Documents with a version someone else uploaded after `since`: how many, and the latest few,
   * each with its newest such version and whether the document itself is new (its version 1 among them).
   */
  async newSince(groupId: string, includeDrafts: boolean, since: number, reader: string, limit: number) {
    const byDocument = new Map<string, { id: string; titleEs: string; titleEn: string; isNew: boolean; latestVersion: number; at: number; uploadedByName: string | null }>();
    // Newest first: a document's first row is its latest new version.
    for (const version of await this.statements.uploadedSince.all(since, reader, groupId, includeDrafts ? 1 : 0)) {
      const known = byDocument.get(version.id);
      if (known) known.isNew ||= version.number === 1;
      else byDocument.set(version.id, { id: version.id, titleEs: version.titleEs, titleEn: version.titleEn, isNew: version.number === 1, latestVersion: version.number, at: version.at, uploadedByName: version.uploadedByName });
    }
    return { count: byDocument.size, items: [...byDocument.values()].slice(0, limit) };
  }

  async countDownload(documentId: string): Promise<void> {
    await this.statements.countDownload.run(documentId);
  }

  async list(filters: ListFilters): Promise<{ items: Array<DocumentRow & { snippet: string | null; matchedVersion: number | null }>; total: number }> {
    // The group's documents, and those other groups share with the whole instance.
    const conditions: Fragment[] = [portable("(d.group_id = ? or d.visibility = 'instance')", filters.groupId), portable('d.deleted_at is null')];
    // A restricted document is listed to its audience (and the publishers, who see drafts too).
    if (!filters.includeDrafts) {
      const audience = [filters.reader?.countryId ?? '', filters.reader?.organizationId ?? ''];
      conditions.push({
        sqlite: "d.visibility <> 'draft' and (d.visibility <> 'restricted' or exists (select 1 from json_each(d.audience) where value in (?, ?)))",
        postgres: "d.visibility <> 'draft' and (d.visibility <> 'restricted' or exists (select 1 from jsonb_array_elements_text(d.audience) a(value) where a.value in (?, ?)))",
        params: audience,
      });
    }
    if (filters.type) conditions.push(portable('d.type = ?', filters.type));
    if (filters.year) conditions.push(portable('substr(d.publication_date, 1, 4) = ?', String(filters.year).padStart(4, '0')));
    if (filters.language) {
      conditions.push({
        sqlite: 'exists (select 1 from json_each(d.languages) where value = ?)',
        postgres: 'exists (select 1 from jsonb_array_elements_text(d.languages) l(value) where l.value = ?)',
        params: [filters.language],
      });
    }
    if (filters.tag) {
      conditions.push({
        sqlite: 'exists (select 1 from json_each(d.tags) where value = ? collate nocase)',
        postgres: 'exists (select 1 from jsonb_array_elements_text(d.tags) t(value) where lower(t.value) = lower(?))',
        params: [filters.tag],
      });
    }
    // The documents tagged with the indicator, from the catalogue's index (fastify.indicators).
    if (filters.indicator) {
      conditions.push({
        sqlite: 'd.id in (select value from json_each(?))',
        postgres: 'd.id in (select jsonb_array_elements_text(?::jsonb))',
        params: [JSON.stringify(await this.tags.subjectsTagged(filters.groupId, 'document', filters.indicator))],
      });
    }
    // Related debate and meeting: links of the subject registry (server/plugins/subjects), found from their target's side.
    if (filters.threadId) conditions.push(portable("d.id in (select l.from_id from subject_links l where l.to_kind = 'thread' and l.to_id = ? and l.relation = 'related' and l.from_kind = 'document')", filters.threadId));
    if (filters.meetingId) conditions.push(portable("d.id in (select l.from_id from subject_links l where l.to_kind = 'meeting' and l.to_id = ? and l.relation = 'related' and l.from_kind = 'document')", filters.meetingId));
    const { match } = filters;
    const params = conditions.flatMap((condition) => condition.params);
    const where = (engine: 'sqlite' | 'postgres') => conditions.map((condition) => condition[engine]).join(' and ');
    const sort = filters.sort === 'relevance' && !match ? 'published' : filters.sort;
    if (!match) {
      const page = (engine: 'sqlite' | 'postgres') => `select ${DOCUMENT_COLUMNS}, 0 as rank from documents d where ${where(engine)} order by ${textOf(SORTS[sort], engine)} limit ? offset ?`;
      const count = (engine: 'sqlite' | 'postgres') => `select count(*) as n from documents d where ${where(engine)}`;
      const rows = (await this.preparedList(page).all(...params, filters.limit, filters.offset)) as RawDocument[];
      const total = ((await this.preparedList(count).get(...params)) as { n: number }).n;
      return { items: (await this.withCodes(rows)).map((row) => ({ ...row, snippet: null, matchedVersion: null })), total };
    }
    // Each version has its row in the index. A document is found once, through its latest version
    // when that matches, otherwise through the newest earlier version that does (which the hit names).
    // (bm25() may not be used where a window function is: the matches are materialized first.)
    // rank: lower is better on both engines; PostgreSQL's ts_rank weighs the columns as bm25 does
    // (title, description, content, stems: weights A to D), its $1 the match's.
    const matched = {
      sqlite: `select v.document_id as documentId, v.number as version, s.rowid as indexRow, bm25(document_versions_search, 10.0, 4.0, 1.0, 0.5) as rank
        from document_versions_search s join document_versions v on v.rowid = s.rowid where document_versions_search match ?`,
      postgres: `select s.document_id as documentId, s.number as version, s.id as indexRow, -ts_rank('{0.05,0.1,0.4,1}', s.terms, $1::tsquery) as rank
        from full_text.document_versions s where s.terms @@ ?::tsquery`,
    };
    const hits = (engine: 'sqlite' | 'postgres') => `with matched as materialized (${matched[engine]}), h as (
        select matched.*, row_number() over (partition by matched.documentId order by matched.version = latest.latest_version desc, matched.version desc) as pick
        from matched join documents latest on latest.id = matched.documentId
      )`;
    const hitWhere = (engine: 'sqlite' | 'postgres') => ['h.pick = 1', where(engine)].join(' and ');
    const rows = (await this.preparedList((engine) =>
      `${hits(engine)} select ${DOCUMENT_COLUMNS}, h.version as version, h.indexRow as "indexRow", h.rank as rank from h join documents d on d.id = h.documentId
        where ${hitWhere(engine)} order by ${textOf(SORTS[sort], engine)} limit ? offset ?`,
    ).all(match.on(this.database.kind), ...params, filters.limit, filters.offset)) as Array<RawDocument & { version: number; indexRow: number }>;
    const codes = await this.tags.tagsOf('document', rows.map((row) => row.id));
    const total = ((await this.preparedList((engine) => `${hits(engine)} select count(*) as n from h join documents d on d.id = h.documentId where ${hitWhere(engine)}`).get(match.on(this.database.kind), ...params)) as { n: number } | undefined)?.n ?? 0;
    const items = [];
    for (const { version, indexRow, ...row } of rows) {
      const document = toDocumentRow(row, codes.get(row.id) ?? []);
      items.push({ ...document, snippet: await this.snippet(match, indexRow), matchedVersion: version === document.latestVersion ? null : version });
    }
    return { total, items };
  }

  /**
   * The passage that best shows why a version matched: from its title and description, or from
   * the passage of its text FTS5 picks (a document's text may be megabytes long), with every form
   * of the query words marked.
   */
  private async snippet(query: FullTextQuery, indexRow: number): Promise<string | null> {
    const row = await this.statements.snippetOf.get(query.on(this.database.kind), indexRow);
    if (!row) return null;
    const metadata = query.snippet([row.description, row.title]);
    const content = row.excerpt === 1 ? query.markForms(row.content) : query.snippet([row.content], 24);
    if (content.score >= metadata.score && row.content !== '') return content.html;
    return metadata.html || null;
  }

  /**
   * The list's statements, prepared once per combination of filters and sort (a few hundred at
   * most: the SQL text is built from fixed fragments, never from input), in each engine's words.
   */
  private preparedList(build: (engine: 'sqlite' | 'postgres') => string): Statement<unknown[], unknown> {
    const sqlite = build('sqlite');
    let statement = this.listStatements.get(sqlite);
    if (!statement) {
      const postgres = build('postgres');
      statement = this.database.statement<unknown[], unknown>(postgres === sqlite ? sqlite : { sqlite, postgres: postgresText(postgres) });
      this.listStatements.set(sqlite, statement);
    }
    return statement;
  }

  /** The version's row in the search index: the document's metadata and this version's text. */
  private async indexVersion(documentId: string, number: number, metadata: DocumentMetadata, text: string): Promise<void> {
    await this.statements.indexVersion.run(titleText(metadata), descriptionText(metadata), text, stemText(titleText(metadata), descriptionText(metadata), text), documentId, number);
  }

  /** Rows with their indicators (tags of the catalogue), read in one lookup for the lot. */
  private async withCodes(raws: RawDocument[]): Promise<DocumentRow[]> {
    const codes = await this.tags.tagsOf('document', raws.map((raw) => raw.id));
    return raws.map((raw) => toDocumentRow(raw, codes.get(raw.id) ?? []));
  }

  private async insertVersion(documentId: string, number: number, version: StoredVersion, actorId: string, now: Date): Promise<void> {
    await this.statements.insertVersion.run(documentId, number, version.sha256, version.fileName, version.mime, version.size, version.changeNote, actorId, now.getTime());
  }

  /** The metadata as the documents row stores it (the lists as JSON text; tags of the catalogue and links are kept elsewhere). */
  private columns(m: DocumentMetadata) {
    return { ...m, languages: JSON.stringify(m.languages), tags: JSON.stringify(m.tags) };
  }

  /** The document's related debate and meeting: links (relation 'related') of the subject registry, in the document's write. */
  private async setRelated(document: { id: string; groupId: string }, m: DocumentMetadata, actorId: string, now: Date): Promise<void> {
    const from = { kind: 'document', id: document.id, groupId: document.groupId };
    await this.links.set(from, 'related', 'thread', m.relatedThreadId ? [m.relatedThreadId] : [], actorId, now);
    await this.links.set(from, 'related', 'meeting', m.relatedMeetingId ? [m.relatedMeetingId] : [], actorId, now);
  }

  private async audit(groupId: string, documentId: string, actorId: string | null, action: AuditAction, details: Record<string, unknown>, now: Date, ip: string | null = null): Promise<void> {
    await this.auditLog.record({ groupId, subjectKind: AUDIT_SUBJECT, subjectId: documentId, actorId, action: `${ACTION_PREFIX}${action}`, details, ip, at: now });
  }
}

/** The versions others uploaded after `since` (see uploadedSince above): the join is each engine's own. */
function uploadedSince(join: 'cross join' | 'join'): string {
  return `select d.id, d.title_es as "titleEs", d.title_en as "titleEn", v.number, v.uploaded_at as at, u.display_name as "uploadedByName"
           from document_versions v ${join} documents d on d.id = v.document_id left join users u on u.id = v.uploaded_by
          where v.uploaded_at > ? and v.uploaded_by <> ? and d.group_id = ? and d.deleted_at is null and (? = 1 or d.visibility not in ('draft', 'restricted'))
          order by v.uploaded_at desc`;
}
