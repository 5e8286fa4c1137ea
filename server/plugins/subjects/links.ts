import type { Database } from '../database.js';
import type { SessionUser } from '../sessions/index.js';
import { contentLocaleOf, refKey, type SubjectRef, type SubjectRegistry, type SubjectSummary } from './registry.js';

/** The thing links go from: a subject of a group. */
export interface LinkSource extends SubjectRef {
  groupId: string;
}

interface LinkRow {
  kind: string;
  id: string;
  relation: string;
}

/**
 * `fastify.links`: links between subjects, stored in subject_links. Writes run inside the caller's
 * unit of work, which awaits them; reads for a person go through the registry's describe, so a
 * link never reveals what its reader may not see.
 */
export class LinkService {
  private readonly statements;

  constructor(
    database: Database,
    private readonly subjects: SubjectRegistry,
  ) {
    this.statements = {
      targets: database.statement<[string, string, string], LinkRow>(
        'select to_kind as kind, to_id as id, relation from subject_links where from_kind = ? and from_id = ? and relation = ? order by position, to_kind, to_id',
      ),
      allTargets: database.statement<[string, string], LinkRow>(
        'select to_kind as kind, to_id as id, relation from subject_links where from_kind = ? and from_id = ? order by relation, position, to_kind, to_id',
      ),
      sources: database.statement<[string, string], LinkRow>(
        'select from_kind as kind, from_id as id, relation from subject_links where to_kind = ? and to_id = ? order by created_at, from_kind, from_id',
      ),
      remove: database.statement<[string, string, string, string]>('delete from subject_links where from_kind = ? and from_id = ? and relation = ? and to_kind = ?'),
      upsert: database.statement<[string, string, string, string, string, string, number, string | null, number]>(
        `insert into subject_links (group_id, from_kind, from_id, relation, to_kind, to_id, position, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (from_kind, from_id, relation, to_kind, to_id) do update set position = excluded.position`,
      ),
      keep: database.statement<[string, string, string, string, string]>({
        sqlite: 'delete from subject_links where from_kind = ? and from_id = ? and relation = ? and to_kind = ? and to_id not in (select value from json_each(?))',
        postgres: 'delete from subject_links where from_kind = $1 and from_id = $2 and relation = $3 and to_kind = $4 and to_id not in (select jsonb_array_elements_text($5::jsonb))',
      }),
    };
  }

  /**
   * Makes `from`'s links of this relation to subjects of `toKind` exactly `toIds`, in that order
   * (links kept keep who made them and when). Runs in the caller's write.
   */
  async set(from: LinkSource, relation: string, toKind: string, toIds: readonly string[], by: string | null, now: Date): Promise<void> {
    this.subjects.assertKnown(from.kind);
    this.subjects.assertKnown(toKind);
    const ids = [...new Set(toIds)];
    if (ids.length === 0) {
      await this.statements.remove.run(from.kind, from.id, relation, toKind);
      return;
    }
    await this.statements.keep.run(from.kind, from.id, relation, toKind, JSON.stringify(ids));
    for (const [position, toId] of ids.entries()) await this.statements.upsert.run(from.groupId, from.kind, from.id, relation, toKind, toId, position, by, now.getTime());
  }

  /** `from`'s links of this relation, unfiltered, in order: for a feature that checks its readers itself. */
  async targets(from: SubjectRef, relation: string): Promise<SubjectRef[]> {
    return (await this.statements.targets.all(from.kind, from.id, relation)).map(({ kind, id }) => ({ kind, id }));
  }

  /** What `from` links to (of one relation, or all), as `user` may see it: the others left out. */
  async list(user: SessionUser, from: SubjectRef, relation?: string): Promise<Array<SubjectSummary & { relation: string }>> {
    const rows = relation === undefined ? await this.statements.allTargets.all(from.kind, from.id) : await this.statements.targets.all(from.kind, from.id, relation);
    return this.readable(user, rows);
  }

  /** Backlinks: what links to `to` (of one relation, or all), as `user` may see it. */
  async listTo(user: SessionUser, to: SubjectRef, relation?: string): Promise<Array<SubjectSummary & { relation: string }>> {
    const rows = (await this.statements.sources.all(to.kind, to.id)).filter((row) => relation === undefined || row.relation === relation);
    return this.readable(user, rows);
  }

  private async readable(user: SessionUser, rows: LinkRow[]): Promise<Array<SubjectSummary & { relation: string }>> {
    const known = rows.filter((row) => this.subjects.has(row.kind));
    const found = await this.subjects.describe(user, known, contentLocaleOf(user.locale));
    return known.flatMap((row) => {
      const summary = found.get(refKey(row));
      return summary ? [{ ...summary, relation: row.relation }] : [];
    });
  }
}
