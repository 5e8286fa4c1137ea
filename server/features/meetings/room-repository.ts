import type { Database } from '../../plugins/database.js';
import { newTimeOrderedId } from '../../shared/ids.js';
import type { Role } from '../../shared/roles.js';
import type { QuickPollKind, QuickPollOption, QuickPollScope } from './room-tables.js';

export interface RoomStateRow {
  currentAgendaItemId: string | null;
  agendaChangedAt: number;
  agendaChangedBy: string;
  agendaChangedByName: string;
}

export interface PersonRow {
  id: string;
  displayName: string;
  role: Role | null;
  countryId: string | null;
  organizationId: string | null;
}

export interface AttendeeRow extends PersonRow {
  joinedAt: number | null;
  markedAt: number | null;
  markedBy: string | null;
  markedByName: string | null;
}

export interface ChatMessageRow {
  id: string;
  /**
   * Insertion order (SQLite's rowid; on PostgreSQL, the message's place in its room by its
   * time-ordered id): the chat's order and paging cursor, exact even for messages of one millisecond.
   */
  seq: number;
  occurrenceId: string;
  bodyHtml: string;
  createdAt: number;
  authorId: string;
  authorName: string;
  authorCountryId: string | null;
  authorOrganizationId: string | null;
}

export interface QuickPollRow {
  id: string;
  meetingId: string;
  occurrenceId: string;
  question: string;
  kind: QuickPollKind;
  scope: QuickPollScope;
  options: QuickPollOption[];
  createdAt: number;
  createdBy: string;
  createdByName: string;
  closedAt: number | null;
}

export interface QuickPollAnswerRow {
  pollId: string;
  voter: string;
  userId: string;
  userName: string;
  countryId: string | null;
  optionId: string;
}

type RawPoll = Omit<QuickPollRow, 'options'> & { options: string };
const toPoll = (raw: RawPoll): QuickPollRow => ({ ...raw, options: JSON.parse(raw.options) as QuickPollOption[] });

const PERSON = (alias: string, membership: string) =>
  `${alias}.id, ${alias}.display_name as "displayName", ${membership}.role, ${membership}.country_id as "countryId", ${membership}.organization_id as "organizationId"`;
const POLL_COLUMNS = `p.id, p.meeting_id as "meetingId", p.occurrence_id as "occurrenceId", p.question, p.kind, p.scope, p.options, p.created_at as "createdAt",
  p.created_by as "createdBy", u.display_name as "createdByName", p.closed_at as "closedAt"`;
const ATTENDEE = `select ${PERSON('u', 'm')}, a.joined_at as "joinedAt", a.marked_at as "markedAt", a.marked_by as "markedBy", mb.display_name as "markedByName"
   from meeting_room_attendance a join users u on u.id = a.user_id
   left join memberships m on m.user_id = a.user_id and m.group_id = ?
   left join users mb on mb.id = a.marked_by
  where a.meeting_id = ? and a.occurrence_id = ?`;
const MESSAGE_COLUMNS = `c.id, c.occurrence_id as "occurrenceId", c.body_html as "bodyHtml", c.created_at as "createdAt", c.author_id as "authorId",
  u.display_name as "authorName", m.country_id as "authorCountryId", m.organization_id as "authorOrganizationId"`;
const MESSAGE_FROM = `meeting_chat_messages c join users u on u.id = c.author_id left join memberships m on m.user_id = c.author_id and m.group_id = ?`;
/** PostgreSQL has no rowid: a message's place among its room's messages, by its time-ordered id, stands for it. */
const PG_SEQUENCED = `(select c.*, row_number() over (partition by c.meeting_id, c.occurrence_id order by c.id) as seq from meeting_chat_messages c)`;

/**
 * The live room's storage: the current agenda item, attendance records, chat and quick polls of
 * each occurrence, on either engine. Every function is asynchronous; a unit of work's piece awaits
 * the writes and what the live events' views read back (the row written, the attendees, a poll
 * and its answers) in the same transaction.
 */
export class RoomRepository {
  private readonly statements;

  constructor(database: Database) {
    const s = database.statement.bind(database);
    this.statements = {
      state: s<[string, string], RoomStateRow>(
        `select r.current_agenda_item_id as "currentAgendaItemId", r.agenda_changed_at as "agendaChangedAt", r.agenda_changed_by as "agendaChangedBy",
                u.display_name as "agendaChangedByName"
           from meeting_room_states r join users u on u.id = r.agenda_changed_by where r.meeting_id = ? and r.occurrence_id = ?`,
      ),
      setState: s<[string, string, string | null, number, string]>(`insert into meeting_room_states (meeting_id, occurrence_id, current_agenda_item_id, agenda_changed_at, agenda_changed_by) values (?, ?, ?, ?, ?)
        on conflict (meeting_id, occurrence_id) do update set current_agenda_item_id = excluded.current_agenda_item_id,
          agenda_changed_at = excluded.agenda_changed_at, agenda_changed_by = excluded.agenda_changed_by`),
      agendaItemOf: s<[string, string], { id: string }>('select id from meeting_agenda_items where id = ? and meeting_id = ? and removed_at is null'),

      attendees: s<[string, string, string], AttendeeRow>(ATTENDEE),
      attendee: s<[string, string, string, string], AttendeeRow>(`${ATTENDEE} and a.user_id = ?`),
      attendeeCount: s<[string, string], { count: number }>('select count(*) as count from meeting_room_attendance where meeting_id = ? and occurrence_id = ?'),
      joinedAt: s<[string, string, string], { joinedAt: number | null }>(
        'select joined_at as "joinedAt" from meeting_room_attendance where meeting_id = ? and occurrence_id = ? and user_id = ?',
      ),
      join: s<[string, string, string, number]>(`insert into meeting_room_attendance (meeting_id, occurrence_id, user_id, joined_at) values (?, ?, ?, ?)
        on conflict (meeting_id, occurrence_id, user_id) do update set joined_at = coalesce(meeting_room_attendance.joined_at, excluded.joined_at)`),
      mark: s<[string, string, string, number, string]>(`insert into meeting_room_attendance (meeting_id, occurrence_id, user_id, marked_at, marked_by) values (?, ?, ?, ?, ?)
        on conflict (meeting_id, occurrence_id, user_id) do update set marked_at = excluded.marked_at, marked_by = excluded.marked_by`),
      unmark: s<[string, string, string]>('delete from meeting_room_attendance where meeting_id = ? and occurrence_id = ? and user_id = ?'),
      attendanceOfMeeting: s<[string], { occurrenceId: string; userId: string }>(
        'select occurrence_id as "occurrenceId", user_id as "userId" from meeting_room_attendance where meeting_id = ?',
      ),

      latestMessageId: s<[string, string], { id: string }>('select id from meeting_chat_messages where meeting_id = ? and occurrence_id = ? order by id desc limit 1'),
      insertMessage: s<[string, string, string, string, string, string, number]>(
        'insert into meeting_chat_messages (id, meeting_id, occurrence_id, author_id, body_source, body_html, created_at) values (?, ?, ?, ?, ?, ?, ?)',
      ),
      messagesBefore: s<[groupId: string, meetingId: string, occurrenceId: string, beforeSeq: number, limit: number], ChatMessageRow>({
        sqlite: `select ${MESSAGE_COLUMNS}, c.rowid as seq from ${MESSAGE_FROM}
          where c.meeting_id = ? and c.occurrence_id = ? and c.rowid < ? order by c.rowid desc limit ?`,
        postgres: `select ${MESSAGE_COLUMNS}, c.seq from ${PG_SEQUENCED.replace('meeting_chat_messages c)', 'meeting_chat_messages c where c.meeting_id = $2 and c.occurrence_id = $3)')} c
          join users u on u.id = c.author_id left join memberships m on m.user_id = c.author_id and m.group_id = $1
          where c.seq < $4 order by c.seq desc limit $5`,
      }),
      message: s<[groupId: string, id: string], ChatMessageRow>({
        sqlite: `select ${MESSAGE_COLUMNS}, c.rowid as seq from ${MESSAGE_FROM} where c.id = ?`,
        postgres: `select ${MESSAGE_COLUMNS}, (select count(*) from meeting_chat_messages e where e.meeting_id = c.meeting_id and e.occurrence_id = c.occurrence_id and e.id <= c.id) as seq
           from meeting_chat_messages c join users u on u.id = c.author_id left join memberships m on m.user_id = c.author_id and m.group_id = $1 where c.id = $2`,
      }),

      // Latest asked first: SQLite's rowid is the order of insertion; PostgreSQL has none, and goes by the creation time and then the id.
      polls: s<[string, string], RawPoll>({
        sqlite: `select ${POLL_COLUMNS} from meeting_quick_polls p join users u on u.id = p.created_by where p.meeting_id = ? and p.occurrence_id = ? order by p.rowid desc`,
        postgres: `select ${POLL_COLUMNS} from meeting_quick_polls p join users u on u.id = p.created_by where p.meeting_id = $1 and p.occurrence_id = $2 order by p.created_at desc, p.id desc`,
      }),
      closedPollsOfGroup: s<[groupId: string, limit: number], RawPoll>({
        sqlite: `select ${POLL_COLUMNS} from meeting_quick_polls p join users u on u.id = p.created_by join meetings mt on mt.id = p.meeting_id
          where mt.group_id = ? and p.closed_at is not null order by p.closed_at desc, p.rowid desc limit ?`,
        postgres: `select ${POLL_COLUMNS} from meeting_quick_polls p join users u on u.id = p.created_by join meetings mt on mt.id = p.meeting_id
          where mt.group_id = $1 and p.closed_at is not null order by p.closed_at desc, p.created_at desc, p.id desc limit $2`,
      }),
      poll: s<[string], RawPoll>(`select ${POLL_COLUMNS} from meeting_quick_polls p join users u on u.id = p.created_by where p.id = ?`),
      insertPoll: s<[string, string, string, string, string, string, string, string, number]>(`insert into meeting_quick_polls (id, meeting_id, occurrence_id, question, kind, scope, options, created_by, created_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      closePoll: s<[number, string, string]>('update meeting_quick_polls set closed_at = ?, closed_by = ? where id = ? and closed_at is null'),
      answers: s<[pollIds: string], QuickPollAnswerRow>({
        sqlite: `select a.poll_id as "pollId", a.voter, a.user_id as "userId", u.display_name as "userName", a.country_id as "countryId", a.option_id as "optionId"
           from meeting_quick_poll_answers a join users u on u.id = a.user_id where a.poll_id in (select value from json_each(?))`,
        postgres: `select a.poll_id as "pollId", a.voter, a.user_id as "userId", u.display_name as "userName", a.country_id as "countryId", a.option_id as "optionId"
           from meeting_quick_poll_answers a join users u on u.id = a.user_id where a.poll_id in (select jsonb_array_elements_text($1::jsonb))`,
      }),
      answerOf: s<[string, string], { userId: string; userName: string }>(
        'select a.user_id as "userId", u.display_name as "userName" from meeting_quick_poll_answers a join users u on u.id = a.user_id where a.poll_id = ? and a.voter = ?',
      ),
      setAnswer: s<[string, string, string, string | null, string, number]>(`insert into meeting_quick_poll_answers (poll_id, voter, user_id, country_id, option_id, updated_at) values (?, ?, ?, ?, ?, ?)
        on conflict (poll_id, voter) do update set option_id = excluded.option_id, updated_at = excluded.updated_at`),
    };
  }

  // ---------------------------------------------------------------- agenda

  async state(meetingId: string, occurrenceId: string): Promise<RoomStateRow | undefined> {
    return this.statements.state.get(meetingId, occurrenceId);
  }

  async setCurrentAgendaItemNow(meetingId: string, occurrenceId: string, agendaItemId: string | null, by: string, at: number): Promise<void> {
    await this.statements.setState.run(meetingId, occurrenceId, agendaItemId, at, by);
  }

  async isOnAgenda(meetingId: string, agendaItemId: string): Promise<boolean> {
    return (await this.statements.agendaItemOf.get(agendaItemId, meetingId)) !== undefined;
  }

  // ---------------------------------------------------------------- attendance

  async attendees(groupId: string, meetingId: string, occurrenceId: string): Promise<AttendeeRow[]> {
    return this.statements.attendees.all(groupId, meetingId, occurrenceId);
  }

  async attendee(groupId: string, meetingId: string, occurrenceId: string, userId: string): Promise<AttendeeRow | undefined> {
    return this.statements.attendee.get(groupId, meetingId, occurrenceId, userId);
  }

  async attendeeCount(meetingId: string, occurrenceId: string): Promise<number> {
    return (await this.statements.attendeeCount.get(meetingId, occurrenceId))?.count ?? 0;
  }

  async hasJoined(meetingId: string, occurrenceId: string, userId: string): Promise<boolean> {
    const joinedAt = (await this.statements.joinedAt.get(meetingId, occurrenceId, userId))?.joinedAt;
    return joinedAt !== undefined && joinedAt !== null;
  }

  /** Records a join; true when it is the person's first one for this occurrence. */
  async joinNow(meetingId: string, occurrenceId: string, userId: string, at: number): Promise<boolean> {
    const first = !(await this.hasJoined(meetingId, occurrenceId, userId));
    if (first) await this.statements.join.run(meetingId, occurrenceId, userId, at);
    return first;
  }

  async markNow(meetingId: string, occurrenceId: string, userId: string, by: string, at: number): Promise<void> {
    await this.statements.mark.run(meetingId, occurrenceId, userId, at, by);
  }

  /** Forgets the record; true when there was one. */
  async unmarkNow(meetingId: string, occurrenceId: string, userId: string): Promise<boolean> {
    return (await this.statements.unmark.run(meetingId, occurrenceId, userId)) > 0;
  }

  /** Who attended which occurrence of a meeting. */
  async attendanceOfMeeting(meetingId: string): Promise<Array<{ occurrenceId: string; userId: string }>> {
    return this.statements.attendanceOfMeeting.all(meetingId);
  }

  // ---------------------------------------------------------------- chat

  /**
   * Stores a message under an id that sorts after every earlier one of its room, and returns it.
   * PostgreSQL has no rowid: there a message's place is its rank by id, and two ids of one
   * millisecond would sort by their random part. So an id's time is at least one past the room's
   * latest (the message's createdAt stays the true time). Messages written at the same moment in
   * two transactions on PostgreSQL may still take either order; each keeps the place it was given.
   */
  async insertMessageNow(message: { meetingId: string; occurrenceId: string; authorId: string; bodySource: string; bodyHtml: string; createdAt: number }): Promise<string> {
    const latest = (await this.statements.latestMessageId.get(message.meetingId, message.occurrenceId))?.id;
    const id = newTimeOrderedId(latest === undefined ? message.createdAt : Math.max(message.createdAt, timeOfId(latest) + 1));
    await this.statements.insertMessage.run(id, message.meetingId, message.occurrenceId, message.authorId, message.bodySource, message.bodyHtml, message.createdAt);
    return id;
  }

  async message(groupId: string, id: string): Promise<ChatMessageRow | undefined> {
    return this.statements.message.get(groupId, id);
  }

  /** Up to `limit` messages before `beforeSeq` (from the latest, when null), newest first. */
  async messagesBefore(groupId: string, meetingId: string, occurrenceId: string, beforeSeq: number | null, limit: number): Promise<ChatMessageRow[]> {
    return this.statements.messagesBefore.all(groupId, meetingId, occurrenceId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit);
  }

  // ---------------------------------------------------------------- quick polls

  async polls(meetingId: string, occurrenceId: string): Promise<QuickPollRow[]> {
    return (await this.statements.polls.all(meetingId, occurrenceId)).map(toPoll);
  }

  /** The group's closed quick polls, latest closed first (whoever may see their meetings: the caller checks). */
  async closedPollsOfGroup(groupId: string, limit: number): Promise<QuickPollRow[]> {
    return (await this.statements.closedPollsOfGroup.all(groupId, limit)).map(toPoll);
  }

  async poll(id: string): Promise<QuickPollRow | undefined> {
    const raw = await this.statements.poll.get(id);
    return raw && toPoll(raw);
  }

  async insertPollNow(poll: { id: string; meetingId: string; occurrenceId: string; question: string; kind: QuickPollKind; scope: QuickPollScope; options: QuickPollOption[]; createdBy: string; createdAt: number }): Promise<void> {
    await this.statements.insertPoll.run(poll.id, poll.meetingId, poll.occurrenceId, poll.question, poll.kind, poll.scope, JSON.stringify(poll.options), poll.createdBy, poll.createdAt);
  }

  /** False when it was already closed. */
  async closePollNow(id: string, by: string, at: number): Promise<boolean> {
    return (await this.statements.closePoll.run(at, by, id)) > 0;
  }

  async answers(pollIds: string[]): Promise<QuickPollAnswerRow[]> {
    if (pollIds.length === 0) return [];
    return this.statements.answers.all(JSON.stringify(pollIds));
  }

  /** Who holds this voter's answer (a person, or the delegate who answered for a country). */
  async answerOf(pollId: string, voter: string): Promise<{ userId: string; userName: string } | undefined> {
    return this.statements.answerOf.get(pollId, voter);
  }

  async setAnswerNow(pollId: string, voter: string, userId: string, countryId: string | null, optionId: string, at: number): Promise<void> {
    await this.statements.setAnswer.run(pollId, voter, userId, countryId, optionId, at);
  }
}

/** The millisecond a time-ordered id (newTimeOrderedId, version 7) leads with; 0 for an id of another kind, which then sets no floor. */
const timeOfId = (id: string): number => (id[14] === '7' ? Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16) : 0);
