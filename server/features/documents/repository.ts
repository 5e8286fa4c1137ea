import type Database from 'better-sqlite3';
import type { Db } from '../../plugins/db.js';
import type { LinkService } from '../../plugins/subjects/index.js';
import { HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, stemText, type FullTextQuery } from '../../shared/full-text.js';
import { newTimeOrderedId } from '../../shared/ids.js';
import type { AuditService } from '../../plugins/audit/index.js';
import type { AuditAction, DocumentType, Visibility } from './tables.js';
import type { IndicatorsService } from '../indicators/public.js';

/** What the library needs of the indicator catalogue: its documents' tags (subject kind 'document'). */
export type DocumentTags = Pick<IndicatorsService, 'tagsOfNow' | 'subjectsTagged' | 'setTagsWithin'>;

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
  rowid: number;
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

const SORTS: Record<ListFilters['sort'], string> = {
  relevance: 'rank, d.publication_date desc, d.id desc',
  published: 'd.publication_date desc, d.created_at desc, d.id desc',
  title: "coalesce(nullif(d.title_es, ''), d.title_en) collate nocase, d.id",
  updated: 'd.updated_at desc, d.id desc',
  downloads: 'd.download_count desc, d.publication_date desc, d.id desc',
};

const DOCUMENT_COLUMNS = `d.rowid as rowid, d.id, d.group_id as groupId, d.title_es as titleEs, d.title_en as titleEn,
  d.description_es as descriptionEs, d.description_en as descriptionEn, d.type, d.languages, d.publication_date as publicationDate,
  d.tags, d.visibility, d.audience, d.author_country_id as authorCountryId,
  d.author_organization_id as authorOrganizationId, (select l.to_id from subject_links l where l.from_kind = 'document' and l.from_id = d.id and l.relation = 'related' and l.to_kind = 'thread') as relatedThreadId,
  (select l.to_id from subject_links l where l.from_kind = 'document' and l.from_id = d.id and l.relation = 'related' and l.to_kind = 'meeting') as relatedMeetingId,
  d.latest_version as latestVersion, d.download_count as downloadCount, d.created_by as createdBy, d.created_at as createdAt,
  d.updated_at as updatedAt, d.deleted_at as deletedAt, d.deleted_by as deletedBy, (select display_name from users where id = d.deleted_by) as deletedByName`;

const VERSION_COLUMNS = `v.document_id as documentId, v.number, v.sha256, v.file_name as fileName, v.mime, v.size, v.change_note as changeNote,
  v.uploaded_by as uploadedBy, u.display_name as uploadedByName, v.uploaded_at as uploadedAt`;

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

/** What the search index holds for a document's metadata, on the row of each version (whose file's text is the `content` column). */
const titleText = (m: DocumentMetadata) => `${m.titleEs} ${m.titleEn}`;
const descriptionText = (m: DocumentMetadata) => [m.descriptionEs, m.descriptionEn, ...m.tags, ...m.indicatorCodes].join(' ');

/**
 * The library's storage: documents, their versions (whose files the files plugin keeps), the search
 * index and the audit trail, each change in one transaction with its index row and audit entry.
 * Plain SQL through better-sqlite3: the list's filters combine freely, and none of this is hot.
 */
export class DocumentsRepository {
  private readonly sqlite: Database.Database;
  private readonly statements;
  private readonly listStatements = new Map<string, Database.Statement>();

  /** The audit log (server/plugins/audit): each change's entry is written in the change's transaction. */
  constructor(
    db: Db,
    private readonly links: LinkService,
    private readonly auditLog: Pick<AuditService, 'record' | 'trail'>,
    private readonly tags: DocumentTags,
  ) {
    this.sqlite = db.$client;
    const s = this.sqlite;
    this.statements = {
      byId: s.prepare<[string], RawDocument>(`select ${DOCUMENT_COLUMNS} from documents d where d.id = ?`),
      // One statement for any number of ids (a JSON array): no SQL rebuilt per page size, no bound-variable limit.
      byIds: s.prepare<[string], RawDocument>(`select ${DOCUMENT_COLUMNS} from json_each(?) j join documents d on d.id = j.value`),
      versions: s.prepare<[string], VersionRow>(`select ${VERSION_COLUMNS} from document_versions v join users u on u.id = v.uploaded_by where v.document_id = ? order by v.number desc`),
      version: s.prepare<[string, number], VersionRow>(`select ${VERSION_COLUMNS} from document_versions v join users u on u.id = v.uploaded_by where v.document_id = ? and v.number = ?`),
      insertDocument: s.prepare(`insert into documents (id, group_id, title_es, title_en, description_es, description_en, type, languages, publication_date, tags,
        visibility, audience, author_country_id, author_organization_id, latest_version, created_by, created_at, updated_at)
        values (@id, @groupId, @titleEs, @titleEn, @descriptionEs, @descriptionEn, @type, @languages, @publicationDate, @tags, @visibility, @audience,
        @authorCountryId, @authorOrganizationId, 1, @createdBy, @now, @now)`),
      updateDocument: s.prepare(`update documents set title_es = @titleEs, title_en = @titleEn, description_es = @descriptionEs, description_en = @descriptionEn,
        type = @type, languages = @languages, publication_date = @publicationDate, tags = @tags, visibility = @visibility,
        author_country_id = @authorCountryId, author_organization_id = @authorOrganizationId, updated_at = @now where id = @id`),
      insertVersion: s.prepare(
        'insert into document_versions (document_id, number, sha256, file_name, mime, size, change_note, uploaded_by, uploaded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      setLatest: s.prepare('update documents set latest_version = ?, updated_at = ? where id = ?'),
      indexVersion: s.prepare<[title: string, description: string, content: string, stems: string, documentId: string, number: number]>(
        'insert into document_versions_search (rowid, title, description, content, stems) select rowid, ?, ?, ?, ? from document_versions where document_id = ? and number = ?',
      ),
      indexedVersions: s.prepare<[string], { rowid: number; content: string }>(
        'select s.rowid, s.content from document_versions_search s where s.rowid in (select rowid from document_versions where document_id = ?)',
      ),
      indexMetadata: s.prepare<[title: string, description: string, stems: string, rowid: number]>('update document_versions_search set title = ?, description = ?, stems = ? where rowid = ?'),
      unindex: s.prepare<[string]>('delete from document_versions_search where rowid in (select rowid from document_versions where document_id = ?)'),
      // The cast matters: a JS number is bound as a REAL, and FTS5 ignores a rowid constraint that is
      // not an INTEGER (after telling SQLite it applied it), answering with every matching row.
      snippetOf: s.prepare<{ match: string; rowid: number }, { title: string; description: string; content: string }>(
        `select title, description, snippet(document_versions_search, 2, '${HIGHLIGHT_OPEN}', '${HIGHLIGHT_CLOSE}', '…', 24) as content
           from document_versions_search where document_versions_search match @match and rowid = cast(@rowid as integer)`,
      ),
      softDelete: s.prepare('update documents set deleted_at = ?, deleted_by = ? where id = ? and deleted_at is null'),
      restore: s.prepare('update documents set deleted_at = null, deleted_by = null, updated_at = ? where id = ? and deleted_at is not null'),
      trash: s.prepare<[string], RawDocument>(`select ${DOCUMENT_COLUMNS} from documents d where d.group_id = ? and d.deleted_at is not null order by d.deleted_at desc`),
      expired: s.prepare<[number], RawDocument>(`select ${DOCUMENT_COLUMNS} from documents d where d.deleted_at is not null and d.deleted_at < ?`),
      deleteVersions: s.prepare('delete from document_versions where document_id = ?'),
      deleteDocument: s.prepare('delete from documents where id = ?'),
      countDownload: s.prepare('update documents set download_count = download_count + 1 where id = ?'),
      // The versions others uploaded after `since`, newest first, from the upload-time index (CROSS
      // JOIN keeps versions the outer loop: SQLite would otherwise walk every document of the group).
      uploadedSince: s.prepare<
        { groupId: string; includeDrafts: number; since: number; reader: string },
        { id: string; titleEs: string; titleEn: string; number: number; at: number; uploadedByName: string | null }
      >(
        `select d.id, d.title_es as titleEs, d.title_en as titleEn, v.number, v.uploaded_at as at, u.display_name as uploadedByName
           from document_versions v cross join documents d on d.id = v.document_id left join users u on u.id = v.uploaded_by
          where v.uploaded_at > @since and v.uploaded_by <> @reader and d.group_id = @groupId and d.deleted_at is null and (@includeDrafts or d.visibility not in ('draft', 'restricted'))
          order by v.uploaded_at desc`,
      ),
      latestVersions: s.prepare<[string], VersionRow>(
        `select ${VERSION_COLUMNS} from json_each(?) j join documents d on d.id = j.value join document_versions v on v.document_id = d.id and v.number = d.latest_version join users u on u.id = v.uploaded_by`,
      ),
    };
  }

  async find(id: string): Promise<DocumentRow | undefined> {
    return this.findNow(id);
  }

  /** The documents of these ids that exist, in one query (a page of notifications names up to a hundred). */
  async findMany(ids: readonly string[]): Promise<DocumentRow[]> {
    if (ids.length === 0) return [];
    return this.withCodes(this.statements.byIds.all(JSON.stringify(ids)));
  }

  /** find, synchronously: for what is read inside a unit of work (a meeting's linked documents, in its live event's view). */
  findNow(id: string): DocumentRow | undefined {
    const raw = this.statements.byId.get(id);
    return raw && this.withCodes([raw])[0];
  }

  async versions(documentId: string): Promise<VersionRow[]> {
    return this.statements.versions.all(documentId);
  }

  async version(documentId: string, number: number): Promise<VersionRow | undefined> {
    return this.statements.version.get(documentId, number);
  }

  async create(input: { groupId: string; actorId: string; metadata: DocumentMetadata; audience?: string[]; version: StoredVersion; text: string; now: Date; ip?: string | null }): Promise<string> {
    const id = newTimeOrderedId(input.now.getTime());
    const { metadata: m, now } = input;
    this.sqlite.transaction(() => {
      this.statements.insertDocument.run({ id, groupId: input.groupId, createdBy: input.actorId, now: now.getTime(), ...this.metadataParams(m), audience: input.audience ? JSON.stringify(input.audience) : null });
      this.tags.setTagsWithin({ kind: 'document', id, groupId: input.groupId }, m.indicatorCodes, input.actorId, now);
      this.insertVersion(id, 1, input.version, input.actorId, now);
      this.indexVersion(id, 1, m, input.text);
      this.audit(input.groupId, id, input.actorId, 'uploaded', { version: 1, fileName: input.version.fileName, sha256: input.version.sha256, visibility: m.visibility }, now, input.ip);
    })();
    // Links are written through the asynchronous port, which a better-sqlite3 transaction cannot
    // hold open: after it, until this repository writes in its caller's unit of work.
    await this.setRelated({ id, groupId: input.groupId }, m, input.actorId, now);
    return id;
  }

  async addVersion(document: DocumentRow, input: { actorId: string; version: StoredVersion; text: string; now: Date; ip?: string | null }): Promise<number> {
    const number = document.latestVersion + 1;
    this.sqlite.transaction(() => {
      this.insertVersion(document.id, number, input.version, input.actorId, input.now);
      this.statements.setLatest.run(number, input.now.getTime(), document.id);
      // Earlier versions keep their rows: their text still finds the document.
      this.indexVersion(document.id, number, document, input.text);
      this.audit(document.groupId, document.id, input.actorId, 'version_added', { version: number, fileName: input.version.fileName, sha256: input.version.sha256, changeNote: input.version.changeNote }, input.now, input.ip);
    })();
    return number;
  }

  async update(document: DocumentRow, metadata: DocumentMetadata, actorId: string, changed: string[], now: Date, ip: string | null = null): Promise<void> {
    this.sqlite.transaction(() => {
      this.statements.updateDocument.run({ id: document.id, now: now.getTime(), ...this.metadataParams(metadata) });
      this.tags.setTagsWithin({ kind: 'document', id: document.id, groupId: document.groupId }, metadata.indicatorCodes, actorId, now);
      for (const row of this.statements.indexedVersions.all(document.id)) {
        this.statements.indexMetadata.run(titleText(metadata), descriptionText(metadata), stemText(titleText(metadata), descriptionText(metadata), row.content), row.rowid);
      }
      // A change of who may read it is access-relevant: its entry says from what to what.
      const visibility = document.visibility === metadata.visibility ? {} : { visibility: { from: document.visibility, to: metadata.visibility } };
      this.audit(document.groupId, document.id, actorId, 'updated', { fields: changed, ...visibility }, now, ip);
    })();
    // As in create: after the transaction, until this repository writes in its caller's unit of work.
    await this.setRelated(document, metadata, actorId, now);
  }

  async softDelete(document: DocumentRow, actorId: string, now: Date, ip: string | null = null): Promise<boolean> {
    return this.sqlite.transaction(() => {
      const { changes } = this.statements.softDelete.run(now.getTime(), actorId, document.id);
      if (changes > 0) this.audit(document.groupId, document.id, actorId, 'deleted', {}, now, ip);
      return changes > 0;
    })();
  }

  async restore(document: DocumentRow, actorId: string, now: Date, ip: string | null = null): Promise<boolean> {
    return this.sqlite.transaction(() => {
      const { changes } = this.statements.restore.run(now.getTime(), document.id);
      if (changes > 0) this.audit(document.groupId, document.id, actorId, 'restored', {}, now, ip);
      return changes > 0;
    })();
  }

  async trash(groupId: string): Promise<DocumentRow[]> {
    return this.withCodes(this.statements.trash.all(groupId));
  }

  /**
   * Removes documents trashed before `deletedBefore` for good: their versions and index rows (the
   * audit entries stay). Their files go with the files plugin's purge, once nothing refers to them.
   * Synchronous on purpose: the purge removes the documents and then, in the same pass, the files
   * nothing refers to any more (fastify.files.purge, synchronous too).
   */
  purgeTrashedNow(deletedBefore: Date, now: Date): number {
    return this.sqlite.transaction(() => {
      const expired = this.statements.expired.all(deletedBefore.getTime());
      for (const document of expired) {
        this.statements.unindex.run(document.id);
        this.statements.deleteVersions.run(document.id);
        this.statements.deleteDocument.run(document.id);
        this.tags.setTagsWithin({ kind: 'document', id: document.id, groupId: document.groupId }, [], null, now);
        this.audit(document.groupId, document.id, null, 'purged', { title: document.titleEs || document.titleEn }, now);
      }
      return expired.length;
    })();
  }

  /** The document's entries in the audit log, newest first, under the library's own action names. */
  async auditTrail(documentId: string) {
    return this.auditLog.trail(AUDIT_SUBJECT, documentId, 200).map((row) => ({
      action: row.action.slice(ACTION_PREFIX.length) as AuditAction,
      actorId: row.actorId,
      actorName: row.actorName,
      at: row.createdAt,
      details: row.details,
    }));
  }

  /** The latest version of each document, in one query for a page of the list. */
  async latestVersions(documentIds: string[]): Promise<Map<string, VersionRow>> {
    return new Map(this.statements.latestVersions.all(JSON.stringify(documentIds)).map((version) => [version.documentId, version]));
  }

  /**
   * Documents with a version someone else uploaded after `since`: how many, and the latest few,
   * each with its newest such version and whether the document itself is new (its version 1 among them).
   */
  async newSince(groupId: string, includeDrafts: boolean, since: number, reader: string, limit: number) {
    const byDocument = new Map<string, { id: string; titleEs: string; titleEn: string; isNew: boolean; latestVersion: number; at: number; uploadedByName: string | null }>();
    // Newest first: a document's first row is its latest new version.
    for (const version of this.statements.uploadedSince.all({ groupId, includeDrafts: includeDrafts ? 1 : 0, since, reader })) {
      const known = byDocument.get(version.id);
      if (known) known.isNew ||= version.number === 1;
      else byDocument.set(version.id, { id: version.id, titleEs: version.titleEs, titleEn: version.titleEn, isNew: version.number === 1, latestVersion: version.number, at: version.at, uploadedByName: version.uploadedByName });
    }
    return { count: byDocument.size, items: [...byDocument.values()].slice(0, limit) };
  }

  async countDownload(documentId: string): Promise<void> {
    this.statements.countDownload.run(documentId);
  }

  async list(filters: ListFilters): Promise<{ items: Array<DocumentRow & { snippet: string | null; matchedVersion: number | null }>; total: number }> {
    // The group's documents, and those other groups share with the whole instance.
    const conditions = ["(d.group_id = @groupId or d.visibility = 'instance')", 'd.deleted_at is null'];
    // A restricted document is listed to its audience (and the publishers, who see drafts too).
    if (!filters.includeDrafts) conditions.push("d.visibility <> 'draft' and (d.visibility <> 'restricted' or exists (select 1 from json_each(d.audience) where value in (@readerCountry, @readerOrganization)))");
    if (filters.type) conditions.push('d.type = @type');
    if (filters.year) conditions.push('substr(d.publication_date, 1, 4) = @year');
    if (filters.language) conditions.push('exists (select 1 from json_each(d.languages) where value = @language)');
    if (filters.tag) conditions.push('exists (select 1 from json_each(d.tags) where value = @tag collate nocase)');
    // The documents tagged with the indicator, from the catalogue's index (fastify.indicators).
    if (filters.indicator) conditions.push('d.id in (select value from json_each(@tagged))');
    // Related debate and meeting: links of the subject registry (server/plugins/subjects), found from their target's side.
    if (filters.threadId) conditions.push("d.id in (select l.from_id from subject_links l where l.to_kind = 'thread' and l.to_id = @threadId and l.relation = 'related' and l.from_kind = 'document')");
    if (filters.meetingId) conditions.push("d.id in (select l.from_id from subject_links l where l.to_kind = 'meeting' and l.to_id = @meetingId and l.relation = 'related' and l.from_kind = 'document')");
    const { match } = filters;
    const params = {
      groupId: filters.groupId,
      readerCountry: filters.includeDrafts ? undefined : (filters.reader?.countryId ?? ''),
      readerOrganization: filters.includeDrafts ? undefined : (filters.reader?.organizationId ?? ''),
      type: filters.type,
      year: filters.year === undefined ? undefined : String(filters.year).padStart(4, '0'),
      language: filters.language,
      tag: filters.tag,
      tagged: filters.indicator === undefined ? undefined : JSON.stringify(await this.tags.subjectsTagged(filters.groupId, 'document', filters.indicator)),
      threadId: filters.threadId,
      meetingId: filters.meetingId,
      match: match?.match,
      limit: filters.limit,
      offset: filters.offset,
    };
    const defined = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
    const sort = filters.sort === 'relevance' && !match ? 'published' : filters.sort;
    if (!match) {
      const where = conditions.join(' and ');
      const rows = this.preparedList(`select ${DOCUMENT_COLUMNS}, 0 as rank from documents d where ${where} order by ${SORTS[sort]} limit @limit offset @offset`).all(defined) as RawDocument[];
      const total = (this.preparedList(`select count(*) as n from documents d where ${where}`).get(defined) as { n: number }).n;
      return { items: this.withCodes(rows).map((row) => ({ ...row, snippet: null, matchedVersion: null })), total };
    }
    // Each version has its row in the index. A document is found once, through its latest version
    // when that matches, otherwise through the newest earlier version that does (which the hit names).
    // (bm25() may not be used where a window function is: the matches are materialized first.)
    const hits = `with matched as materialized (
        select v.document_id as documentId, v.number as version, s.rowid as indexRow, bm25(document_versions_search, 10.0, 4.0, 1.0, 0.5) as rank
        from document_versions_search s join document_versions v on v.rowid = s.rowid where document_versions_search match @match
      ), h as (
        select matched.*, row_number() over (partition by matched.documentId order by matched.version = latest.latest_version desc, matched.version desc) as pick
        from matched join documents latest on latest.id = matched.documentId
      )`;
    const where = ['h.pick = 1', ...conditions].join(' and ');
    const rows = this.preparedList(
      `${hits} select ${DOCUMENT_COLUMNS}, h.version as version, h.indexRow as indexRow, h.rank as rank from h join documents d on d.id = h.documentId
        where ${where} order by ${SORTS[sort]} limit @limit offset @offset`,
    ).all(defined) as Array<RawDocument & { version: number; indexRow: number }>;
    const codes = this.tags.tagsOfNow('document', rows.map((row) => row.id));
    const total = (this.preparedList(`${hits} select count(*) as n from h join documents d on d.id = h.documentId where ${where}`).get(defined) as { n: number }).n;
    return {
      total,
      items: rows.map(({ version, indexRow, ...row }) => {
        const document = toDocumentRow(row, codes.get(row.id) ?? []);
        return { ...document, snippet: this.snippet(match, indexRow), matchedVersion: version === document.latestVersion ? null : version };
      }),
    };
  }

  /**
   * The passage that best shows why a version matched: from its title and description, or from
   * the passage of its text FTS5 picks (a document's text may be megabytes long), with every form
   * of the query words marked.
   */
  private snippet(query: FullTextQuery, indexRow: number): string | null {
    const row = this.statements.snippetOf.get({ match: query.match, rowid: indexRow });
    if (!row) return null;
    const metadata = query.snippet([row.description, row.title]);
    const content = query.markForms(row.content);
    if (content.score >= metadata.score && row.content !== '') return content.html;
    return metadata.html || null;
  }

  /**
   * The list's statements, prepared once per combination of filters and sort (a few hundred at
   * most: the SQL text is built from fixed fragments, never from input).
   */
  private preparedList(sqlText: string): Database.Statement {
    let statement = this.listStatements.get(sqlText);
    if (!statement) {
      statement = this.sqlite.prepare(sqlText);
      this.listStatements.set(sqlText, statement);
    }
    return statement;
  }

  /** The version's row in the search index: the document's metadata and this version's text. */
  private indexVersion(documentId: string, number: number, metadata: DocumentMetadata, text: string): void {
    this.statements.indexVersion.run(titleText(metadata), descriptionText(metadata), text, stemText(titleText(metadata), descriptionText(metadata), text), documentId, number);
  }

  /** Rows with their indicators (tags of the catalogue), read in one lookup for the lot. */
  private withCodes(raws: RawDocument[]): DocumentRow[] {
    const codes = this.tags.tagsOfNow('document', raws.map((raw) => raw.id));
    return raws.map((raw) => toDocumentRow(raw, codes.get(raw.id) ?? []));
  }

  private insertVersion(documentId: string, number: number, version: StoredVersion, actorId: string, now: Date): void {
    this.statements.insertVersion.run(documentId, number, version.sha256, version.fileName, version.mime, version.size, version.changeNote, actorId, now.getTime());
  }

  private metadataParams(m: DocumentMetadata) {
    const { relatedThreadId: _thread, relatedMeetingId: _meeting, ...columns } = m;
    const { indicatorCodes: _tags, ...stored } = columns;
    return { ...stored, languages: JSON.stringify(m.languages), tags: JSON.stringify(m.tags) };
  }

  /** The document's related debate and meeting: links (relation 'related') of the subject registry, in the document's write. */
  private async setRelated(document: { id: string; groupId: string }, m: DocumentMetadata, actorId: string, now: Date): Promise<void> {
    const from = { kind: 'document', id: document.id, groupId: document.groupId };
    await this.links.set(from, 'related', 'thread', m.relatedThreadId ? [m.relatedThreadId] : [], actorId, now);
    await this.links.set(from, 'related', 'meeting', m.relatedMeetingId ? [m.relatedMeetingId] : [], actorId, now);
  }

  private audit(groupId: string, documentId: string, actorId: string | null, action: AuditAction, details: Record<string, unknown>, now: Date, ip: string | null = null): void {
    this.auditLog.record({ groupId, subjectKind: AUDIT_SUBJECT, subjectId: documentId, actorId, action: `${ACTION_PREFIX}${action}`, details, ip, at: now });
  }
}
