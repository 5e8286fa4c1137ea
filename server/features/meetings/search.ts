import type { Database } from '../../plugins/database.js';
import { stemText, type FullTextQuery } from '../../shared/full-text.js';
import { mayWriteMinutes } from './minutes-permissions.js';
import type { MinutesContent } from './minutes-tables.js';
import { SINGLE_OCCURRENCE } from './occurrences.js';
import * as may from './permissions.js';
import type { InviteeRow } from './repository.js';
import type { MeetingKind, MeetingStatus } from './tables.js';

/** A meeting found by its title, description or agenda, or by the text of one occurrence's minutes. */
export interface MeetingSearchHit {
  kind: 'meeting' | 'minutes';
  meetingId: string;
  title: string;
  meetingKind: MeetingKind;
  status: MeetingStatus;
  /** The meeting's first start (null while its date is being polled); for minutes, the occurrence's. */
  startsAt: number | null;
  /** Minutes only: the occurrence they record. */
  occurrenceId: string | null;
  /** Minutes only: true when the words are only in the unpublished draft (found by its writers alone). */
  draft: boolean;
  snippetHtml: string;
}

/** What a minutes' full text is made of: the introduction, and each section's title, summary, decisions and action items. */
export function minutesText(content: MinutesContent | null): string {
  if (!content) return '';
  return [content.introduction, ...content.sections.flatMap((section) => [section.title, section.summary, section.decisions, ...section.actionItems.map((item) => item.text)])]
    .filter((text) => text !== '')
    .join('\n');
}

/** At most this many matches are read before permissions are checked: meetings are few, and the best come first. */
const CANDIDATES = 500;

interface MeetingCandidate {
  id: string;
  groupId: string;
  title: string;
  kind: MeetingKind;
  status: MeetingStatus;
  startsAt: number | null;
  organizerId: string;
  inviteEveryone: number;
  rank: number;
}

/**
 * The meetings' full-text indexes (migrations/0012_search_word_forms.sql): `meetings_search`, one row
 * per meeting (its rowid), and `minutes_search`, one per occurrence's minutes, with the published
 * text and the draft in columns of their own so that only the minutes' writers find words of a draft.
 * Kept in step by the repositories in the caller's transaction; searched with the meeting rules of
 * permissions.ts applied to every candidate. On PostgreSQL the indexes are full_text.meetings and
 * full_text.minutes (migrations/pg/0004_full_text_search.sql), keyed by the meeting's and the
 * minutes' own keys, their columns under weights that rank as bm25's column weights do here.
 */
export class MeetingsSearch {
  private readonly statements;

  constructor(private readonly database: Database) {
    const s = database.statement.bind(database);
    this.statements = {
      meetingText: s<[string], { title: string; description: string }>('select title, description_text as description from meetings where id = ?'),
      agendaText: s<[string], { agenda: string | null }>({
        sqlite: "select group_concat(title || ' ' || presenter, char(10)) as agenda from (select title, presenter from meeting_agenda_items where meeting_id = ? and removed_at is null order by position)",
        postgres: "select string_agg(title || ' ' || presenter, chr(10) order by position) as agenda from meeting_agenda_items where meeting_id = $1 and removed_at is null",
      }),
      unindexMeeting: s<[meetingId: string]>({
        sqlite: 'delete from meetings_search where rowid = (select rowid from meetings where id = ?)',
        postgres: 'delete from full_text.meetings where meeting_id = $1',
      }),
      indexMeeting: s<[title: string, description: string, agenda: string, stems: string, meetingId: string]>({
        sqlite: 'insert into meetings_search (rowid, title, description, agenda, stems) select rowid, ?, ?, ?, ? from meetings where id = ?',
        postgres: `insert into full_text.meetings (meeting_id, title, description, agenda, stems, terms)
          select id, $1::text, $2::text, $3::text, $4::text, full_text.terms(array[$1, $3, $2, $4], '{A,B,C,D}') from meetings where id = $5
          on conflict (meeting_id) do update set title = excluded.title, description = excluded.description, agenda = excluded.agenda, stems = excluded.stems, terms = excluded.terms`,
      }),
      minutesRow: s<[string, string], { draft: string; published: string | null }>('select draft, published from meeting_minutes where meeting_id = ? and occurrence_id = ?'),
      unindexMinutes: s<[meetingId: string, occurrenceId: string]>({
        sqlite: 'delete from minutes_search where rowid = (select rowid from meeting_minutes where meeting_id = ? and occurrence_id = ?)',
        postgres: 'delete from full_text.minutes where meeting_id = $1 and occurrence_id = $2',
      }),
      indexMinutes: s<[published: string, draft: string, stems: string, draftStems: string, meetingId: string, occurrenceId: string]>({
        sqlite: 'insert into minutes_search (rowid, published, draft, stems, draft_stems) select rowid, ?, ?, ?, ? from meeting_minutes where meeting_id = ? and occurrence_id = ?',
        postgres: `insert into full_text.minutes (meeting_id, occurrence_id, published, draft, stems, draft_stems, terms)
          select meeting_id, occurrence_id, $1::text, $2::text, $3::text, $4::text, full_text.terms(array[$1, $2, $3, $4], '{A,B,C,D}') from meeting_minutes where meeting_id = $5 and occurrence_id = $6
          on conflict (meeting_id, occurrence_id) do update set published = excluded.published, draft = excluded.draft, stems = excluded.stems, draft_stems = excluded.draft_stems, terms = excluded.terms`,
      }),
      // rank: lower is better on both engines (bm25; PostgreSQL's ts_rank negated, $1 the match's).
      meetings: s<[match: string, groupId: string, limit: number], MeetingCandidate & { description: string; agenda: string }>({
        sqlite: `select m.id, m.group_id as "groupId", m.title, m.kind, m.status, m.starts_at as "startsAt", m.organizer_id as "organizerId", m.invite_everyone as "inviteEveryone",
            s.description, s.agenda, bm25(meetings_search, 8.0, 2.0, 4.0, 1.0) as rank
           from meetings_search s join meetings m on m.rowid = s.rowid
          where meetings_search match ? and m.group_id = ? order by rank limit ?`,
        postgres: `select m.id, m.group_id as "groupId", m.title, m.kind, m.status, m.starts_at as "startsAt", m.organizer_id as "organizerId", m.invite_everyone as "inviteEveryone",
            s.description, s.agenda, -ts_rank('{0.125,0.25,0.5,1}', s.terms, $1::tsquery) as rank
           from full_text.meetings s join meetings m on m.id = s.meeting_id
          where s.terms @@ $1::tsquery and m.group_id = $2 order by rank, m.id limit $3`,
      }),
      minutes: s<[match: string, groupId: string, limit: number], MeetingCandidate & { occurrenceId: string; isPublished: number; published: string; draft: string }>({
        sqlite: `select m.id, m.group_id as "groupId", m.title, m.kind, m.status, m.starts_at as "startsAt", m.organizer_id as "organizerId", m.invite_everyone as "inviteEveryone",
            n.occurrence_id as "occurrenceId", n.published is not null as "isPublished", s.published, s.draft, bm25(minutes_search, 2.0, 2.0, 1.0, 1.0) as rank
           from minutes_search s join meeting_minutes n on n.rowid = s.rowid join meetings m on m.id = n.meeting_id
          where minutes_search match ? and m.group_id = ? order by rank limit ?`,
        postgres: `select m.id, m.group_id as "groupId", m.title, m.kind, m.status, m.starts_at as "startsAt", m.organizer_id as "organizerId", m.invite_everyone as "inviteEveryone",
            n.occurrence_id as "occurrenceId", n.published is not null as "isPublished", s.published, s.draft, -ts_rank('{0.5,0.5,1,1}', s.terms, $1::tsquery) as rank
           from full_text.minutes s join meeting_minutes n on n.meeting_id = s.meeting_id and n.occurrence_id = s.occurrence_id join meetings m on m.id = n.meeting_id
          where s.terms @@ $1::tsquery and m.group_id = $2 order by rank, m.id, n.occurrence_id limit $3`,
      }),
      invitees: s<[string], InviteeRow>('select meeting_id as "meetingId", kind, ref_id as "refId" from meeting_invitees where meeting_id = ?'),
    };
  }

  /** Rewrites the meeting's row from what the meeting and its agenda hold now. */
  async indexMeeting(meetingId: string): Promise<void> {
    const meeting = await this.statements.meetingText.get(meetingId);
    if (!meeting) return;
    const agenda = (await this.statements.agendaText.get(meetingId))?.agenda ?? '';
    await this.statements.unindexMeeting.run(meetingId);
    await this.statements.indexMeeting.run(meeting.title, meeting.description, agenda, stemText(meeting.title, meeting.description, agenda), meetingId);
  }

  /** Rewrites the row of one occurrence's minutes from their draft and published text. */
  async indexMinutes(meetingId: string, occurrenceId: string): Promise<void> {
    const row = await this.statements.minutesRow.get(meetingId, occurrenceId);
    if (!row) return;
    const draft = minutesText(JSON.parse(row.draft) as MinutesContent);
    const published = row.published === null ? '' : minutesText((JSON.parse(row.published) as { content: MinutesContent }).content);
    await this.statements.unindexMinutes.run(meetingId, occurrenceId);
    await this.statements.indexMinutes.run(published, draft, stemText(published), stemText(draft), meetingId, occurrenceId);
  }

  /**
   * The meetings and minutes this person may see that match the words, best first: staff see
   * every meeting, others those they are invited to (permissions.ts); drafts of minutes only
   * their writers. Returns the first `limit` and how many there are.
   */
  async search(viewer: may.Viewer, query: FullTextQuery, limit: number): Promise<{ items: MeetingSearchHit[]; total: number }> {
    const invitees = new Map<string, InviteeRow[]>();
    const visible = async (candidate: MeetingCandidate) => {
      if (!invitees.has(candidate.id)) invitees.set(candidate.id, await this.statements.invitees.all(candidate.id));
      return may.maySee(viewer, { ...candidate, organizerId: candidate.organizerId, inviteEveryone: candidate.inviteEveryone === 1 }, invitees.get(candidate.id)!);
    };
    const found: Array<MeetingSearchHit & { rank: number }> = [];
    for (const row of await this.statements.meetings.all(query.on(this.database.kind), viewer.groupId, CANDIDATES)) {
      if (!(await visible(row))) continue;
      found.push({ ...hitOf(row, 'meeting', null, false), rank: row.rank, snippetHtml: query.snippet([row.agenda, row.description, row.title]).html });
    }
    const writer = mayWriteMinutes(viewer);
    // Everyone else matches the published text only (and its stems): FTS5's columns, PostgreSQL's weights A and C.
    const minutesMatch = this.database.kind === 'postgres' ? query.tsquery(writer ? '' : 'AC') : writer ? query.match : `{published stems} : (${query.match})`;
    for (const row of await this.statements.minutes.all(minutesMatch, viewer.groupId, CANDIDATES)) {
      if (!(await visible(row))) continue;
      const published = query.snippet([row.published]);
      const draft = writer ? query.snippet([row.draft]) : { html: '', score: 0 };
      const fromDraft = draft.score > published.score;
      if (!fromDraft && row.isPublished !== 1) continue;
      const startsAt = row.occurrenceId === SINGLE_OCCURRENCE ? row.startsAt : Date.parse(row.occurrenceId);
      found.push({ ...hitOf({ ...row, startsAt: Number.isNaN(startsAt) ? row.startsAt : startsAt }, 'minutes', row.occurrenceId, fromDraft), rank: row.rank, snippetHtml: fromDraft ? draft.html : published.html });
    }
    // bm25 scores of the two tables are of the same kind (lower is better): one list, best first.
    found.sort((a, b) => a.rank - b.rank);
    return { items: found.slice(0, limit).map(({ rank: _rank, ...hit }) => hit), total: found.length };
  }
}

const hitOf = (row: MeetingCandidate, kind: MeetingSearchHit['kind'], occurrenceId: string | null, draft: boolean): Omit<MeetingSearchHit, 'snippetHtml'> => ({
  kind,
  meetingId: row.id,
  title: row.title,
  meetingKind: row.kind,
  status: row.status,
  startsAt: row.startsAt,
  occurrenceId,
  draft,
});
