import type { Database } from '../../plugins/database.js';
import type { ActionItemStatus, MinutesContent, PublishedMinutesSnapshot } from './minutes-tables.js';
import { MeetingsSearch } from './search.js';

export interface MinutesRow {
  meetingId: string;
  occurrenceId: string;
  revision: number;
  draft: MinutesContent;
  fieldRevisions: Record<string, number>;
  updatedAt: number;
  updatedBy: string;
  updatedByName: string;
  publishedRevision: number | null;
  published: PublishedMinutesSnapshot | null;
  publishedAt: number | null;
  publishedBy: string | null;
  publishedByName: string | null;
  firstPublishedAt: number | null;
}

export interface ActionItemRow {
  id: string;
  groupId: string;
  meetingId: string;
  occurrenceId: string;
  sectionKey: string;
  sectionTitle: string;
  position: number;
  text: string;
  responsibleCountryId: string | null;
  responsiblePersonId: string | null;
  responsiblePersonName: string | null;
  responsiblePersonCountryId: string | null;
  responsiblePersonOrganizationId: string | null;
  dueDate: string | null;
  status: ActionItemStatus;
  doneAt: number | null;
  doneBy: string | null;
  doneByName: string | null;
  createdAt: number;
  removedAt: number | null;
}

export interface PullRow {
  actionItemId: string;
  meetingId: string;
  agendaItemId: string;
}

type RawMinutes = Omit<MinutesRow, 'draft' | 'fieldRevisions' | 'published'> & { draft: string; fieldRevisions: string; published: string | null };
const toMinutes = (raw: RawMinutes): MinutesRow => ({
  ...raw,
  draft: JSON.parse(raw.draft) as MinutesContent,
  fieldRevisions: JSON.parse(raw.fieldRevisions) as Record<string, number>,
  published: raw.published === null ? null : (JSON.parse(raw.published) as PublishedMinutesSnapshot),
});

const ITEM_COLUMNS = `a.id, a.group_id as "groupId", a.meeting_id as "meetingId", a.occurrence_id as "occurrenceId", a.section_key as "sectionKey",
  a.section_title as "sectionTitle", a.position, a.text, a.responsible_country_id as "responsibleCountryId", a.responsible_person_id as "responsiblePersonId",
  p.display_name as "responsiblePersonName", pm.country_id as "responsiblePersonCountryId", pm.organization_id as "responsiblePersonOrganizationId",
  a.due_date as "dueDate", a.status, a.done_at as "doneAt", a.done_by as "doneBy", d.display_name as "doneByName", a.created_at as "createdAt", a.removed_at as "removedAt"`;
const ITEM_FROM = `meeting_action_items a
  left join users p on p.id = a.responsible_person_id
  left join memberships pm on pm.user_id = a.responsible_person_id and pm.group_id = a.group_id
  left join users d on d.id = a.done_by`;

/** An `in` over a JSON array of ids: SQLite's json_each, PostgreSQL's jsonb_array_elements_text. */
const inIds = (column: string) => ({
  sqlite: `${column} in (select value from json_each(?))`,
  postgres: `${column} in (select jsonb_array_elements_text($1::jsonb))`,
});

/**
 * Minutes (draft and published snapshot per occurrence), their action items and the agendas
 * those were pulled into, on either engine. Every function is asynchronous; a unit of work's
 * piece awaits the writes and what it reads of them (the draft read again before a save or
 * publication, the item and its pulls read for the live event's view) in the same transaction.
 */
export class MinutesRepository {
  private readonly statements;
  /** Every save and publication rewrites the minutes' row in the full-text index. */
  private readonly fullText: MeetingsSearch;

  constructor(database: Database) {
    this.fullText = new MeetingsSearch(database);
    const s = database.statement.bind(database);
    const minutesColumns = `n.meeting_id as "meetingId", n.occurrence_id as "occurrenceId", n.revision, n.draft, n.field_revisions as "fieldRevisions",
      n.updated_at as "updatedAt", n.updated_by as "updatedBy", u.display_name as "updatedByName", n.published_revision as "publishedRevision", n.published,
      n.published_at as "publishedAt", n.published_by as "publishedBy", pb.display_name as "publishedByName", n.first_published_at as "firstPublishedAt"`;
    const published = inIds('meeting_id');
    const pulls = inIds('action_item_id');
    this.statements = {
      minutes: s<[string, string], RawMinutes>(
        `select ${minutesColumns} from meeting_minutes n join users u on u.id = n.updated_by left join users pb on pb.id = n.published_by
          where n.meeting_id = ? and n.occurrence_id = ?`,
      ),
      // Only over the revision the save was worked out from: on PostgreSQL another save may have
      // committed since it was read (or stored the first revision meanwhile).
      saveDraft: s<[string, string, number, string, string, number, string, number]>(`insert into meeting_minutes (meeting_id, occurrence_id, revision, draft, field_revisions, updated_at, updated_by) values (?, ?, ?, ?, ?, ?, ?)
        on conflict (meeting_id, occurrence_id) do update set revision = excluded.revision, draft = excluded.draft, field_revisions = excluded.field_revisions,
          updated_at = excluded.updated_at, updated_by = excluded.updated_by where meeting_minutes.revision = ?`),
      publish: s<[number, string, number, string, number, string, string]>(`update meeting_minutes set published_revision = ?, published = ?, published_at = ?, published_by = ?,
          first_published_at = coalesce(first_published_at, ?) where meeting_id = ? and occurrence_id = ?`),
      publishedOf: s<[meetingIds: string], { meetingId: string; occurrenceId: string }>({
        sqlite: `select meeting_id as "meetingId", occurrence_id as "occurrenceId" from meeting_minutes where published_at is not null and ${published.sqlite}`,
        postgres: `select meeting_id as "meetingId", occurrence_id as "occurrenceId" from meeting_minutes where published_at is not null and ${published.postgres}`,
      }),

      itemsOf: s<[string, string], ActionItemRow>(`select ${ITEM_COLUMNS} from ${ITEM_FROM} where a.meeting_id = ? and a.occurrence_id = ? and a.removed_at is null order by a.position`),
      item: s<[string], ActionItemRow>(`select ${ITEM_COLUMNS} from ${ITEM_FROM} where a.id = ?`),
      itemsOfGroup: s<[string, string, string], ActionItemRow>(
        `select ${ITEM_COLUMNS} from ${ITEM_FROM} where a.group_id = ? and a.removed_at is null and (cast(? as text) = 'all' or a.status = ?)`,
      ),
      upsertItem: s<[string, string, string, string, string, string, number, string, string | null, string | null, string | null, number, number]>(`insert into meeting_action_items (id, group_id, meeting_id, occurrence_id, section_key, section_title, position, text,
          responsible_country_id, responsible_person_id, due_date, status, created_at, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
        on conflict (id) do update set section_key = excluded.section_key, section_title = excluded.section_title, position = excluded.position,
          text = excluded.text, responsible_country_id = excluded.responsible_country_id, responsible_person_id = excluded.responsible_person_id,
          due_date = excluded.due_date, updated_at = excluded.updated_at, removed_at = null
        where meeting_action_items.meeting_id = excluded.meeting_id and meeting_action_items.occurrence_id = excluded.occurrence_id`),
      itemIdsOf: s<[string, string], { id: string }>('select id from meeting_action_items where meeting_id = ? and occurrence_id = ? and removed_at is null'),
      itemOwner: s<[string], { meetingId: string; occurrenceId: string }>('select meeting_id as "meetingId", occurrence_id as "occurrenceId" from meeting_action_items where id = ?'),
      removeItem: s<[number, number, string]>('update meeting_action_items set removed_at = ?, updated_at = ? where id = ?'),
      setStatus: s<[string, number | null, string | null, number, string]>('update meeting_action_items set status = ?, done_at = ?, done_by = ?, updated_at = ? where id = ?'),

      pullsOf: s<[actionItemIds: string], PullRow>({
        sqlite: `select action_item_id as "actionItemId", meeting_id as "meetingId", agenda_item_id as "agendaItemId" from meeting_action_item_pulls
          where ${pulls.sqlite} order by pulled_at`,
        postgres: `select action_item_id as "actionItemId", meeting_id as "meetingId", agenda_item_id as "agendaItemId" from meeting_action_item_pulls
          where ${pulls.postgres} order by pulled_at`,
      }),
      insertPull: s<[string, string, string, number, string]>(
        'insert into meeting_action_item_pulls (action_item_id, meeting_id, agenda_item_id, pulled_at, pulled_by) values (?, ?, ?, ?, ?) on conflict do nothing',
      ),
    };
  }

  // ---------------------------------------------------------------- minutes

  async find(meetingId: string, occurrenceId: string): Promise<MinutesRow | undefined> {
    const raw = await this.statements.minutes.get(meetingId, occurrenceId);
    return raw && toMinutes(raw);
  }

  /**
   * Stores the draft's next revision over the one it was worked out from (`revision - 1`; none
   * stored yet is 0). False, with nothing written, when the stored draft is no longer that one:
   * another save committed since it was read (PostgreSQL runs writes side by side).
   */
  async saveDraftNow(meetingId: string, occurrenceId: string, revision: number, draft: MinutesContent, fieldRevisions: Record<string, number>, by: string, at: number): Promise<boolean> {
    if ((await this.statements.saveDraft.run(meetingId, occurrenceId, revision, JSON.stringify(draft), JSON.stringify(fieldRevisions), at, by, revision - 1)) === 0) return false;
    await this.fullText.indexMinutes(meetingId, occurrenceId);
    return true;
  }

  async publishNow(meetingId: string, occurrenceId: string, revision: number, snapshot: PublishedMinutesSnapshot, by: string, at: number): Promise<void> {
    await this.statements.publish.run(revision, JSON.stringify(snapshot), at, by, at, meetingId, occurrenceId);
    await this.fullText.indexMinutes(meetingId, occurrenceId);
  }

  /** "meetingId occurrenceId" of every published minutes among these meetings. */
  async publishedOf(meetingIds: string[]): Promise<Set<string>> {
    if (meetingIds.length === 0) return new Set();
    return new Set((await this.statements.publishedOf.all(JSON.stringify(meetingIds))).map((row) => `${row.meetingId} ${row.occurrenceId}`));
  }

  // ---------------------------------------------------------------- action items

  async itemsOf(meetingId: string, occurrenceId: string): Promise<ActionItemRow[]> {
    return this.statements.itemsOf.all(meetingId, occurrenceId);
  }

  async item(id: string): Promise<ActionItemRow | undefined> {
    return this.statements.item.get(id);
  }

  async itemsOfGroup(groupId: string, status: ActionItemStatus | 'all'): Promise<ActionItemRow[]> {
    return this.statements.itemsOfGroup.all(groupId, status, status);
  }

  /** An id already used by an item of other minutes: a client sent another meeting's id. */
  async itemBelongsElsewhere(id: string, meetingId: string, occurrenceId: string): Promise<boolean> {
    const owner = await this.statements.itemOwner.get(id);
    return owner !== undefined && (owner.meetingId !== meetingId || owner.occurrenceId !== occurrenceId);
  }

  /**
   * The action items of published minutes, as published: new ones are open, known ones keep
   * their status, those no longer in the minutes are marked removed.
   */
  async syncItemsNow(
    groupId: string,
    meetingId: string,
    occurrenceId: string,
    items: Array<{ id: string; sectionKey: string; sectionTitle: string; text: string; responsibleCountryId: string | null; responsiblePersonId: string | null; dueDate: string | null }>,
    now: number,
  ): Promise<void> {
    const kept = new Set(items.map((item) => item.id));
    for (const { id } of await this.statements.itemIdsOf.all(meetingId, occurrenceId)) if (!kept.has(id)) await this.statements.removeItem.run(now, now, id);
    for (const [position, item] of items.entries()) {
      await this.statements.upsertItem.run(
        item.id, groupId, meetingId, occurrenceId, item.sectionKey, item.sectionTitle, position, item.text, item.responsibleCountryId, item.responsiblePersonId, item.dueDate, now, now,
      );
    }
  }

  async setStatusNow(id: string, status: ActionItemStatus, by: string, at: number): Promise<void> {
    await this.statements.setStatus.run(status, status === 'done' ? at : null, status === 'done' ? by : null, at, id);
  }

  async pullsOf(actionItemIds: string[]): Promise<PullRow[]> {
    if (actionItemIds.length === 0) return [];
    return this.statements.pullsOf.all(JSON.stringify(actionItemIds));
  }

  async addPullNow(actionItemId: string, meetingId: string, agendaItemId: string, by: string, at: number): Promise<void> {
    await this.statements.insertPull.run(actionItemId, meetingId, agendaItemId, at, by);
  }
}
