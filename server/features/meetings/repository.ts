import type { Database } from '../../plugins/database.js';
import type { Role } from '../../shared/roles.js';
import { newId } from '../../shared/ids.js';
import type { OverrideRow } from './occurrences.js';
import { MeetingsSearch } from './search.js';
import type {
  AttendanceAnswer,
  ChangeAction,
  InviteeKind,
  MeetingKind,
  MeetingStatus,
  OverrideState,
  PollAnswer,
  Recurrence,
} from './tables.js';

export interface MeetingRow {
  id: string;
  groupId: string;
  title: string;
  kind: MeetingKind;
  status: MeetingStatus;
  descriptionSource: string;
  descriptionHtml: string;
  descriptionText: string;
  startsAt: number | null;
  endsAt: number | null;
  timeZone: string;
  recurrence: Recurrence | null;
  onlineUrl: string | null;
  accessNotes: string;
  inviteEveryone: boolean;
  sequence: number;
  organizerId: string;
  organizerName: string;
  organizerCountryId: string | null;
  organizerOrganizationId: string | null;
  createdAt: number;
  updatedAt: number;
  cancelledAt: number | null;
  cancelReason: string | null;
  pollOpenedAt: number | null;
  pollDeadline: number | null;
  pollClosedAt: number | null;
  chosenSlotId: string | null;
}

/** The columns of `meetings` a write sets (everything but the id, group, organizer and creation). */
export type MeetingFields = Pick<
  MeetingRow,
  | 'title' | 'kind' | 'status' | 'descriptionSource' | 'descriptionHtml' | 'descriptionText' | 'startsAt' | 'endsAt' | 'timeZone' | 'recurrence'
  | 'onlineUrl' | 'accessNotes' | 'inviteEveryone' | 'sequence' | 'updatedAt' | 'cancelledAt' | 'cancelReason' | 'pollOpenedAt' | 'pollDeadline'
  | 'pollClosedAt' | 'chosenSlotId'
>;

export interface AgendaItemRow {
  id: string;
  position: number;
  title: string;
  presenter: string;
  minutes: number;
}

export interface InviteeRow {
  meetingId: string;
  kind: InviteeKind;
  refId: string;
}

export interface SlotRow {
  id: string;
  meetingId: string;
  position: number;
  startsAt: number;
  endsAt: number;
}

export interface PollAnswerRow {
  slotId: string;
  userId: string;
  answer: PollAnswer;
  updatedAt: number;
}

export interface AttendanceRow {
  userId: string;
  answer: AttendanceAnswer;
  note: string;
  updatedAt: number;
}

export interface ChangeRow {
  id: number;
  at: number;
  actorId: string | null;
  actorName: string | null;
  action: ChangeAction;
  occurrenceId: string | null;
  changes: Array<{ field: string; from: unknown; to: unknown }>;
}

/** An active participant of the group, as invitations are resolved against. */
export interface Participant {
  id: string;
  displayName: string;
  locale: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
}

export interface FeedOwner {
  id: string;
  groupId: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
}

const MEETING_COLUMNS = `m.id, m.group_id as "groupId", m.title, m.kind, m.status, m.description_source as "descriptionSource",
  m.description_html as "descriptionHtml", m.description_text as "descriptionText", m.starts_at as "startsAt", m.ends_at as "endsAt",
  m.time_zone as "timeZone", m.recurrence, m.online_url as "onlineUrl", m.access_notes as "accessNotes", m.invite_everyone as "inviteEveryone",
  m.sequence, m.organizer_id as "organizerId", u.display_name as "organizerName", o.country_id as "organizerCountryId",
  o.organization_id as "organizerOrganizationId", m.created_at as "createdAt", m.updated_at as "updatedAt", m.cancelled_at as "cancelledAt",
  m.cancel_reason as "cancelReason", m.poll_opened_at as "pollOpenedAt", m.poll_deadline as "pollDeadline", m.poll_closed_at as "pollClosedAt",
  m.chosen_slot_id as "chosenSlotId"`;
const MEETING_FROM = 'meetings m join users u on u.id = m.organizer_id left join memberships o on o.user_id = m.organizer_id and o.group_id = m.group_id';

export type RawMeeting = Omit<MeetingRow, 'recurrence' | 'inviteEveryone'> & { recurrence: string | null; inviteEveryone: number };
export const toMeeting = (raw: RawMeeting): MeetingRow => ({
  ...raw,
  recurrence: raw.recurrence === null ? null : (JSON.parse(raw.recurrence) as Recurrence),
  inviteEveryone: raw.inviteEveryone === 1,
});

/** The columns a write sets, in the order of the insert's and the update's placeholders. */
const fieldValues = (fields: MeetingFields) => [
  fields.title, fields.kind, fields.status, fields.descriptionSource, fields.descriptionHtml, fields.descriptionText, fields.startsAt, fields.endsAt,
  fields.timeZone, fields.recurrence === null ? null : JSON.stringify(fields.recurrence), fields.onlineUrl, fields.accessNotes, fields.inviteEveryone ? 1 : 0,
  fields.sequence, fields.updatedAt, fields.cancelledAt, fields.cancelReason, fields.pollOpenedAt, fields.pollDeadline, fields.pollClosedAt, fields.chosenSlotId,
];
const FIELD_COLUMNS = `title, kind, status, description_source, description_html, description_text, starts_at, ends_at, time_zone, recurrence, online_url,
  access_notes, invite_everyone, sequence, updated_at, cancelled_at, cancel_reason, poll_opened_at, poll_deadline, poll_closed_at, chosen_slot_id`;
const FIELD_COUNT = FIELD_COLUMNS.split(',').length;

/** Groups rows by their meeting. */
function byMeeting<R extends { meetingId: string }, V>(rows: R[], value: (row: R) => V): Map<string, V[]> {
  const grouped = new Map<string, V[]>();
  for (const row of rows) {
    const list = grouped.get(row.meetingId) ?? [];
    list.push(value(row));
    grouped.set(row.meetingId, list);
  }
  return grouped;
}

/**
 * The meetings' storage, on either engine. Every function is asynchronous; a unit of work's piece
 * awaits the writes (they open no transaction of their own, and commit with the live events,
 * notifications and scheduled reminders they cause) and the reads it makes of what it is writing.
 * Plain SQL through statements prepared once: the meeting page and the lists read several per request.
 */
export class MeetingsRepository {
  private readonly statements;
  /** The meetings' and minutes' full-text index, kept in step with every write of a meeting's title, description or agenda here. */
  readonly fullText: MeetingsSearch;

  constructor(database: Database) {
    this.fullText = new MeetingsSearch(database);
    const s = database.statement.bind(database);
    this.statements = {
      byId: s<[string], RawMeeting>(`select ${MEETING_COLUMNS} from ${MEETING_FROM} where m.id = ?`),
      ofGroup: s<[string], RawMeeting>(`select ${MEETING_COLUMNS} from ${MEETING_FROM} where m.group_id = ? order by m.created_at desc`),
      insert: s<unknown[]>(`insert into meetings (id, group_id, organizer_id, created_at, ${FIELD_COLUMNS})
        values (?, ?, ?, ?, ${Array.from({ length: FIELD_COUNT }, () => '?').join(', ')})`),
      update: s<unknown[]>(`update meetings set ${FIELD_COLUMNS.split(',').map((column) => `${column.trim()} = ?`).join(', ')} where id = ?`),
      agenda: s<[string], AgendaItemRow>(
        'select id, position, title, presenter, minutes from meeting_agenda_items where meeting_id = ? and removed_at is null order by position',
      ),
      agendaIds: s<[string], { id: string }>('select id from meeting_agenda_items where meeting_id = ? and removed_at is null'),
      insertAgendaItem: s<[string, string, number, string, string, number]>('insert into meeting_agenda_items (id, meeting_id, position, title, presenter, minutes) values (?, ?, ?, ?, ?, ?)'),
      updateAgendaItem: s<[number, string, string, number, string, string]>('update meeting_agenda_items set position = ?, title = ?, presenter = ?, minutes = ? where id = ? and meeting_id = ?'),
      removeAgendaItem: s<[number, string, string]>('update meeting_agenda_items set removed_at = ? where id = ? and meeting_id = ?'),
      invitees: s<[string], InviteeRow>('select meeting_id as "meetingId", kind, ref_id as "refId" from meeting_invitees where meeting_id = ? order by kind, ref_id'),
      inviteesOfGroup: s<[string], InviteeRow>(
        'select i.meeting_id as "meetingId", i.kind, i.ref_id as "refId" from meeting_invitees i join meetings m on m.id = i.meeting_id where m.group_id = ?',
      ),
      deleteInvitees: s<[string]>('delete from meeting_invitees where meeting_id = ?'),
      insertInvitee: s<[string, string, string]>('insert into meeting_invitees (meeting_id, kind, ref_id) values (?, ?, ?) on conflict do nothing'),
      overrides: s<[string], OverrideRow>(
        'select original_starts_at as "originalStartsAt", state, starts_at as "startsAt", ends_at as "endsAt" from meeting_occurrence_overrides where meeting_id = ?',
      ),
      overridesOfGroup: s<[string], OverrideRow & { meetingId: string }>(
        `select o.meeting_id as "meetingId", o.original_starts_at as "originalStartsAt", o.state, o.starts_at as "startsAt", o.ends_at as "endsAt"
           from meeting_occurrence_overrides o join meetings m on m.id = o.meeting_id where m.group_id = ?`,
      ),
      setOverride: s<[string, number, string, number, number, number]>(`insert into meeting_occurrence_overrides (meeting_id, original_starts_at, state, starts_at, ends_at, updated_at) values (?, ?, ?, ?, ?, ?)
        on conflict (meeting_id, original_starts_at) do update set state = excluded.state, starts_at = excluded.starts_at, ends_at = excluded.ends_at, updated_at = excluded.updated_at`),
      deleteOverride: s<[string, number]>('delete from meeting_occurrence_overrides where meeting_id = ? and original_starts_at = ?'),
      deleteOverrides: s<[string]>('delete from meeting_occurrence_overrides where meeting_id = ?'),
      slots: s<[string], SlotRow>('select id, meeting_id as "meetingId", position, starts_at as "startsAt", ends_at as "endsAt" from meeting_poll_slots where meeting_id = ? order by position'),
      insertSlot: s<[string, string, number, number, number]>('insert into meeting_poll_slots (id, meeting_id, position, starts_at, ends_at) values (?, ?, ?, ?, ?)'),
      moveSlot: s<[number, string]>('update meeting_poll_slots set position = ? where id = ?'),
      deleteSlot: s<[string]>('delete from meeting_poll_slots where id = ?'),
      pollAnswers: s<[string], PollAnswerRow>('select slot_id as "slotId", user_id as "userId", answer, updated_at as "updatedAt" from meeting_poll_answers where meeting_id = ?'),
      respondents: s<[string], { userId: string }>('select distinct user_id as "userId" from meeting_poll_answers where meeting_id = ?'),
      deleteMyAnswers: s<[string, string]>('delete from meeting_poll_answers where meeting_id = ? and user_id = ?'),
      // Over a row the person's other answer stored meanwhile (PostgreSQL: two saves of theirs side by side, each deleting what it could see first).
      insertAnswer: s<[string, string, string, string, number]>(`insert into meeting_poll_answers (slot_id, meeting_id, user_id, answer, updated_at) values (?, ?, ?, ?, ?)
        on conflict (slot_id, user_id) do update set answer = excluded.answer, updated_at = excluded.updated_at`),
      attendance: s<[string, string], AttendanceRow>(
        'select user_id as "userId", answer, note, updated_at as "updatedAt" from meeting_attendance_answers where meeting_id = ? and occurrence_id = ?',
      ),
      myAttendance: s<[string], { meetingId: string; occurrenceId: string; answer: AttendanceAnswer }>(
        'select meeting_id as "meetingId", occurrence_id as "occurrenceId", answer from meeting_attendance_answers where user_id = ?',
      ),
      setAttendance: s<[string, string, string, string, string, number]>(`insert into meeting_attendance_answers (meeting_id, occurrence_id, user_id, answer, note, updated_at) values (?, ?, ?, ?, ?, ?)
        on conflict (meeting_id, occurrence_id, user_id) do update set answer = excluded.answer, note = excluded.note, updated_at = excluded.updated_at`),
      notGoing: s<[string, string], { userId: string }>(
        "select user_id as \"userId\" from meeting_attendance_answers where meeting_id = ? and occurrence_id = ? and answer = 'not_going'",
      ),
      addChange: s<[string, number, string | null, string, string | null, string]>('insert into meeting_changes (meeting_id, at, actor_id, action, occurrence_id, changes) values (?, ?, ?, ?, ?, ?)'),
      changes: s<[string], Omit<ChangeRow, 'changes'> & { changes: string }>(
        `select c.id, c.at, c.actor_id as "actorId", u.display_name as "actorName", c.action, c.occurrence_id as "occurrenceId", c.changes
           from meeting_changes c left join users u on u.id = c.actor_id where c.meeting_id = ? order by c.id desc limit 500`,
      ),
      // By name, case aside: SQLite's nocase folds ASCII letters only, as its lower() does; PostgreSQL's lower() folds every letter.
      participants: s<[string], Participant>({
        sqlite: `select u.id, u.display_name as "displayName", u.locale, m.role, m.country_id as "countryId", m.organization_id as "organizationId"
           from memberships m join users u on u.id = m.user_id where m.group_id = ? and u.deactivated_at is null order by u.display_name collate nocase`,
        postgres: `select u.id, u.display_name as "displayName", u.locale, m.role, m.country_id as "countryId", m.organization_id as "organizationId"
           from memberships m join users u on u.id = m.user_id where m.group_id = $1 and u.deactivated_at is null order by lower(u.display_name)`,
      }),
      remindersOff: s<[], { userId: string }>('select user_id as "userId" from meeting_preferences where reminders = false'),
      reminders: s<[string], { reminders: number }>('select reminders from meeting_preferences where user_id = ?'),
      setReminders: s<[string, number, number]>(`insert into meeting_preferences (user_id, reminders, updated_at) values (?, ?, ?)
        on conflict (user_id) do update set reminders = excluded.reminders, updated_at = excluded.updated_at`),
      feedOf: s<[string], { createdAt: number; lastUsedAt: number | null }>('select created_at as "createdAt", last_used_at as "lastUsedAt" from calendar_feeds where user_id = ?'),
      feedByHash: s<[string], FeedOwner>(
        `select f.user_id as id, m.group_id as "groupId", m.role, m.country_id as "countryId", m.organization_id as "organizationId"
           from calendar_feeds f join users u on u.id = f.user_id join memberships m on m.user_id = u.id
          where f.token_hash = ? and u.deactivated_at is null order by m.joined_at, m.group_id`,
      ),
      setFeed: s<[string, string, number]>(`insert into calendar_feeds (user_id, token_hash, created_at, last_used_at) values (?, ?, ?, null)
        on conflict (user_id) do update set token_hash = excluded.token_hash, created_at = excluded.created_at, last_used_at = null`),
      touchFeed: s<[number, string]>('update calendar_feeds set last_used_at = ? where user_id = ?'),
      deleteFeed: s<[string]>('delete from calendar_feeds where user_id = ?'),
    };
  }

  // ---------------------------------------------------------------- meetings

  async find(id: string): Promise<MeetingRow | undefined> {
    const raw = await this.statements.byId.get(id);
    return raw && toMeeting(raw);
  }

  async ofGroup(groupId: string): Promise<MeetingRow[]> {
    return (await this.statements.ofGroup.all(groupId)).map(toMeeting);
  }

  async insertNow(meeting: MeetingFields & { id: string; groupId: string; organizerId: string; createdAt: number }): Promise<void> {
    await this.statements.insert.run(meeting.id, meeting.groupId, meeting.organizerId, meeting.createdAt, ...fieldValues(meeting));
    await this.fullText.indexMeeting(meeting.id);
  }

  async updateNow(id: string, fields: MeetingFields): Promise<void> {
    await this.statements.update.run(...fieldValues(fields), id);
    await this.fullText.indexMeeting(id);
  }

  async agenda(meetingId: string): Promise<AgendaItemRow[]> {
    return this.statements.agenda.all(meetingId);
  }

  /** Sets the agenda in this order: items with a known id keep it, others get a new one; items left out are marked removed. */
  async replaceAgendaNow(meetingId: string, items: Array<{ id?: string; title: string; presenter: string; minutes: number }>, now: number): Promise<void> {
    const existing = new Set((await this.statements.agendaIds.all(meetingId)).map((row) => row.id));
    const kept = new Set<string>();
    for (const [position, item] of items.entries()) {
      if (item.id && existing.has(item.id) && !kept.has(item.id)) {
        await this.statements.updateAgendaItem.run(position, item.title, item.presenter, item.minutes, item.id, meetingId);
        kept.add(item.id);
      } else {
        await this.statements.insertAgendaItem.run(newId(), meetingId, position, item.title, item.presenter, item.minutes);
      }
    }
    for (const id of existing) if (!kept.has(id)) await this.statements.removeAgendaItem.run(now, id, meetingId);
    await this.fullText.indexMeeting(meetingId);
  }

  async invitees(meetingId: string): Promise<InviteeRow[]> {
    return this.statements.invitees.all(meetingId);
  }

  async inviteesOfGroup(groupId: string): Promise<Map<string, InviteeRow[]>> {
    return byMeeting(await this.statements.inviteesOfGroup.all(groupId), (row) => row);
  }

  async replaceInviteesNow(meetingId: string, invitees: Array<{ kind: InviteeKind; refId: string }>): Promise<void> {
    await this.statements.deleteInvitees.run(meetingId);
    for (const invitee of invitees) await this.statements.insertInvitee.run(meetingId, invitee.kind, invitee.refId);
  }

  // ---------------------------------------------------------------- occurrences

  async overrides(meetingId: string): Promise<OverrideRow[]> {
    return this.statements.overrides.all(meetingId);
  }

  async overridesOfGroup(groupId: string): Promise<Map<string, OverrideRow[]>> {
    return byMeeting(await this.statements.overridesOfGroup.all(groupId), ({ meetingId: _meetingId, ...row }) => row);
  }

  async setOverrideNow(meetingId: string, originalStartsAt: number, state: OverrideState, startsAt: number, endsAt: number, now: number): Promise<void> {
    await this.statements.setOverride.run(meetingId, originalStartsAt, state, startsAt, endsAt, now);
  }

  async deleteOverrideNow(meetingId: string, originalStartsAt: number): Promise<void> {
    await this.statements.deleteOverride.run(meetingId, originalStartsAt);
  }

  async deleteOverridesNow(meetingId: string): Promise<void> {
    await this.statements.deleteOverrides.run(meetingId);
  }

  // ---------------------------------------------------------------- polls

  async slots(meetingId: string): Promise<SlotRow[]> {
    return this.statements.slots.all(meetingId);
  }

  /** Sets the poll's slots in this order; a slot with the same times as an existing one keeps its id (and answers); the others' answers go with them. */
  async replaceSlotsNow(meetingId: string, slots: Array<{ startsAt: number; endsAt: number }>): Promise<void> {
    const existing = await this.slots(meetingId);
    const kept = new Set<string>();
    for (const [position, slot] of slots.entries()) {
      const same = existing.find((row) => row.startsAt === slot.startsAt && row.endsAt === slot.endsAt && !kept.has(row.id));
      if (same) {
        await this.statements.moveSlot.run(position, same.id);
        kept.add(same.id);
      } else {
        await this.statements.insertSlot.run(newId(), meetingId, position, slot.startsAt, slot.endsAt);
      }
    }
    for (const row of existing) if (!kept.has(row.id)) await this.statements.deleteSlot.run(row.id);
  }

  async pollAnswers(meetingId: string): Promise<PollAnswerRow[]> {
    return this.statements.pollAnswers.all(meetingId);
  }

  async respondents(meetingId: string): Promise<Set<string>> {
    return new Set((await this.statements.respondents.all(meetingId)).map((row) => row.userId));
  }

  async setPollAnswersNow(meetingId: string, userId: string, answers: Array<{ slotId: string; answer: PollAnswer }>, now: number): Promise<void> {
    await this.statements.deleteMyAnswers.run(meetingId, userId);
    for (const { slotId, answer } of answers) await this.statements.insertAnswer.run(slotId, meetingId, userId, answer, now);
  }

  // ---------------------------------------------------------------- attendance

  async attendance(meetingId: string, occurrenceId: string): Promise<AttendanceRow[]> {
    return this.statements.attendance.all(meetingId, occurrenceId);
  }

  /** A person's answers, by "<meetingId> <occurrenceId>". */
  async attendanceOf(userId: string): Promise<Map<string, AttendanceAnswer>> {
    return new Map((await this.statements.myAttendance.all(userId)).map((row) => [`${row.meetingId} ${row.occurrenceId}`, row.answer]));
  }

  async setAttendanceNow(meetingId: string, occurrenceId: string, userId: string, answer: AttendanceAnswer, note: string, now: number): Promise<void> {
    await this.statements.setAttendance.run(meetingId, occurrenceId, userId, answer, note, now);
  }

  async notGoing(meetingId: string, occurrenceId: string): Promise<Set<string>> {
    return new Set((await this.statements.notGoing.all(meetingId, occurrenceId)).map((row) => row.userId));
  }

  // ---------------------------------------------------------------- history

  async addChangeNow(meetingId: string, change: { at: number; actorId: string | null; action: ChangeAction; occurrenceId?: string | null; changes: ChangeRow['changes'] }): Promise<void> {
    await this.statements.addChange.run(meetingId, change.at, change.actorId, change.action, change.occurrenceId ?? null, JSON.stringify(change.changes));
  }

  async changes(meetingId: string): Promise<ChangeRow[]> {
    return (await this.statements.changes.all(meetingId)).map((row) => ({ ...row, changes: JSON.parse(row.changes) as ChangeRow['changes'] }));
  }

  // ---------------------------------------------------------------- people

  /** Active participants of the group, by name: whom invitations resolve to. */
  async participants(groupId: string): Promise<Participant[]> {
    return this.statements.participants.all(groupId);
  }

  async remindersOff(): Promise<Set<string>> {
    return new Set((await this.statements.remindersOff.all()).map((row) => row.userId));
  }

  async remindersOn(userId: string): Promise<boolean> {
    return ((await this.statements.reminders.get(userId))?.reminders ?? 1) === 1;
  }

  async setRemindersNow(userId: string, on: boolean, now: number): Promise<void> {
    await this.statements.setReminders.run(userId, on ? 1 : 0, now);
  }

  // ---------------------------------------------------------------- calendar feeds

  async feedOf(userId: string): Promise<{ createdAt: number; lastUsedAt: number | null } | undefined> {
    return this.statements.feedOf.get(userId);
  }

  /**
   * The active person whose feed token has this hash, as they are in each of their groups (what
   * decides which meetings they see there); empty for no such token or person.
   */
  async feedOwners(tokenHash: string): Promise<FeedOwner[]> {
    return this.statements.feedByHash.all(tokenHash);
  }

  async setFeedNow(userId: string, tokenHash: string, now: number): Promise<void> {
    await this.statements.setFeed.run(userId, tokenHash, now);
  }

  async touchFeedNow(userId: string, now: number): Promise<void> {
    await this.statements.touchFeed.run(now, userId);
  }

  async deleteFeedNow(userId: string): Promise<boolean> {
    return (await this.statements.deleteFeed.run(userId)) > 0;
  }
}
