import type Database from 'better-sqlite3';
import type pg from 'pg';
import { CopyRefused } from './table-digests.js';

/**
 * PostgreSQL's search rows (the `full_text` schema, migrations/pg/0004_full_text_search.sql) built
 * by the copy from the snapshot's FTS5 tables: the same texts and the same stems (computed when the
 * rows were written, so the copy needs no stemming), each row keyed by what its FTS5 rowid stands
 * for. PostgreSQL computes each row's tsvector as the server's own writes do (full_text.terms).
 */
interface FullTextCopy {
  /** SQLite's FTS5 table. */
  from: string;
  /** PostgreSQL's side table. */
  to: string;
  /** The snapshot's rows, as the columns below, in order. */
  select: string;
  columns: Array<{ name: string; type: 'text' | 'bigint' }>;
  /** The text columns of the tsvector and their weights, as the repositories write them. */
  terms: string[];
  weights: string;
}

const COPIES: FullTextCopy[] = [
  {
    from: 'search_index',
    to: 'full_text.posts',
    select: 'select p.id, s.title, s.body, s.stems from search_index s join posts p on p.rowid = s.rowid',
    columns: [
      { name: 'post_id', type: 'text' },
      { name: 'title', type: 'text' },
      { name: 'body', type: 'text' },
      { name: 'stems', type: 'text' },
    ],
    terms: ['title', 'body', 'stems'],
    weights: '{A,A,D}',
  },
  {
    from: 'document_versions_search',
    to: 'full_text.document_versions',
    select: 'select v.document_id, v.number, s.title, s.description, s.content, s.stems from document_versions_search s join document_versions v on v.rowid = s.rowid',
    columns: [
      { name: 'document_id', type: 'text' },
      { name: 'number', type: 'bigint' },
      { name: 'title', type: 'text' },
      { name: 'description', type: 'text' },
      { name: 'content', type: 'text' },
      { name: 'stems', type: 'text' },
    ],
    terms: ['title', 'description', 'content', 'stems'],
    weights: '{A,B,C,D}',
  },
  {
    from: 'meetings_search',
    to: 'full_text.meetings',
    select: 'select m.id, s.title, s.description, s.agenda, s.stems from meetings_search s join meetings m on m.rowid = s.rowid',
    columns: [
      { name: 'meeting_id', type: 'text' },
      { name: 'title', type: 'text' },
      { name: 'description', type: 'text' },
      { name: 'agenda', type: 'text' },
      { name: 'stems', type: 'text' },
    ],
    terms: ['title', 'agenda', 'description', 'stems'],
    weights: '{A,B,C,D}',
  },
  {
    from: 'minutes_search',
    to: 'full_text.minutes',
    select: 'select n.meeting_id, n.occurrence_id, s.published, s.draft, s.stems, s.draft_stems from minutes_search s join meeting_minutes n on n.rowid = s.rowid',
    columns: [
      { name: 'meeting_id', type: 'text' },
      { name: 'occurrence_id', type: 'text' },
      { name: 'published', type: 'text' },
      { name: 'draft', type: 'text' },
      { name: 'stems', type: 'text' },
      { name: 'draft_stems', type: 'text' },
    ],
    terms: ['published', 'draft', 'stems', 'draft_stems'],
    weights: '{A,B,C,D}',
  },
];

/** A batch is sent once it holds this many rows or characters (a document's text may be megabytes). */
const BATCH_ROWS = 500;
const BATCH_CHARS = 16_000_000;

export interface FullTextReport {
  from: string;
  to: string;
  rows: number;
}

/** Fills PostgreSQL's search tables from the snapshot's FTS5 tables, in the caller's transaction. */
export async function copyFullText(sqlite: Database.Database, client: pg.ClientBase): Promise<FullTextReport[]> {
  const reports: FullTextReport[] = [];
  for (const copy of COPIES) {
    const names = copy.columns.map((column) => column.name);
    // One JSON array of rows a statement: no parameter limit, whatever a batch holds.
    const insert = `insert into ${copy.to} (${names.join(', ')}, terms)
      select ${names.join(', ')}, full_text.terms(array[${copy.terms.join(', ')}], '${copy.weights}')
      from jsonb_to_recordset($1::jsonb) as r(${copy.columns.map((column) => `${column.name} ${column.type}`).join(', ')})`;
    let batch: Array<Record<string, unknown>> = [];
    let chars = 0;
    let rows = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      try {
        await client.query(insert, [JSON.stringify(batch)]);
      } catch (error) {
        throw new CopyRefused(`Building ${copy.to} from ${copy.from}: ${(error as Error).message}`);
      }
      rows += batch.length;
      batch = [];
      chars = 0;
    };
    for (const values of sqlite.prepare(copy.select).raw(true).iterate() as Iterable<unknown[]>) {
      batch.push(Object.fromEntries(names.map((name, i) => [name, values[i]])));
      chars += values.reduce<number>((sum, value) => sum + (typeof value === 'string' ? value.length : 8), 0);
      if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush();
    }
    await flush();
    reports.push({ from: copy.from, to: copy.to, rows });
  }
  return reports;
}
