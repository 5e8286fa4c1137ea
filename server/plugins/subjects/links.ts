import type { Db } from '../db.js';
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
 * `fastify.links`: links between subjects, stored in subject_links. Writes are synchronous, to run
 * inside the caller's write (a group-commit piece or a repository transaction) on the one
 * connection; reads for a person go through the registry's describe, so a link never reveals what
 * its reader may not see.
 */
export class LinkService {
  private readonly statements;

  constructor(
    db: Db,
    private readonly subjects: SubjectRegistry,
  ) {
    const s = db.$client;
    this.statements = {
      targets: s.prepare<[string, string, string], LinkRow>(
        'select to_kind as kind, to_id as id, relation from subject_links where from_kind = ? and from_id = ? and relation = ? order by position, to_kind, to_id',
      ),
      allTargets: s.prepare<[string, string], LinkRow>('select to_kind as kind, to_id as id, relation from subject_links where from_kind = ? and from_id = ? order by relation, position, to_kind, to_id'),
      sources: s.prepare<[string, string], LinkRow>('select from_kind as kind, from_id as id, relation from subject_links where to_kind = ? and to_id = ? order by created_at, from_kind, from_id'),
      remove: s.prepare<[string, string, string, string]>('delete from subject_links where from_kind = ? and from_id = ? and relation = ? and to_kind = ?'),
      upsert: s.prepare<[string, string, string, string, string, string, number, string | null, number]>(
        `insert into subject_links (group_id, from_kind, from_id, relation, to_kind, to_id, position, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (from_kind, from_id, relation, to_kind, to_id) do update set position = excluded.position`,
      ),
      keep: s.prepare<[string, string, string, string, string]>(
        'delete from subject_links where from_kind = ? and from_id = ? and relation = ? and to_kind = ? and to_id not in (select value from json_each(?))',
      ),
    };
  }

  /**
   * Makes `from`'s links of this relation to subjects of `toKind` exactly `toIds`, in that order
   * (links kept keep who made them and when). Runs in the caller's write.
   */
  set(from: LinkSource, relation: string, toKind: string, toIds: readonly string[], by: string | null, now: Date): void {
    this.subjects.assertKnown(from.kind);
    this.subjects.assertKnown(toKind);
    const ids = [...new Set(toIds)];
    if (ids.length === 0) {
      this.statements.remove.run(from.kind, from.id, relation, toKind);
      return;
    }
    this.statements.keep.run(from.kind, from.id, relation, toKind, JSON.stringify(ids));
    ids.forEach((toId, position) => this.statements.upsert.run(from.groupId, from.kind, from.id, relation, toKind, toId, position, by, now.getTime()));
  }

  /** `from`'s links of this relation, unfiltered, in order: for a feature that checks its readers itself. */
  targets(from: SubjectRef, relation: string): SubjectRef[] {
    return this.statements.targets.all(from.kind, from.id, relation).map(({ kind, id }) => ({ kind, id }));
  }

  /** What `from` links to (of one relation, or all), as `user` may see it: the others left out. */
  async list(user: SessionUser, from: SubjectRef, relation?: string): Promise<Array<SubjectSummary & { relation: string }>> {
    const rows = relation === undefined ? this.statements.allTargets.all(from.kind, from.id) : this.statements.targets.all(from.kind, from.id, relation);
    return this.readable(user, rows);
  }

  /** Backlinks: what links to `to` (of one relation, or all), as `user` may see it. */
  async listTo(user: SessionUser, to: SubjectRef, relation?: string): Promise<Array<SubjectSummary & { relation: string }>> {
    const rows = this.statements.sources.all(to.kind, to.id).filter((row) => relation === undefined || row.relation === relation);
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
