/*
 * Over 500 lines on purpose: one class holds both the async reads routes await and their
 * synchronous ...Now twins a unit of work runs inside its transaction (see the class comment);
 * splitting them would separate each query from its twin.
 */
import type Database from 'better-sqlite3';
import type { Db } from '../../plugins/db.js';
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

const MEETING_COLUMNS = `m.id, m.group_id as groupId, m.title, m.kind, m.status, m.description_source as descriptionSource,
  m.description_html as descriptionHtml, m.description_text as descriptionText, m.starts_at as startsAt, m.ends_at as endsAt,
  m.time_zone as timeZone, m.recurrence, m.online_url as onlineUrl, m.access_notes as accessNotes, m.invite_everyone as inviteEveryone,
  m.sequence, m.organizer_id as organizerId, u.display_name as organizerName, o.country_id as organizerCountryId,
  o.organization_id as organizerOrganizationId, m.created_at as createdAt, m.updated_at as updatedAt, m.cancelled_at as cancelledAt,
  m.cancel_reason as cancelReason, m.poll_opened_at as pollOpenedAt, m.poll_deadline as pollDeadline, m.poll_closed_at as pollClosedAt,
  m.chosen_slot_id as chosenSlotId`;
const MEETING_FROM = 'meetings m join users u on u.id = m.organizer_id left join memberships o on o.user_id = m.organizer_id and o.group_id = m.group_id';

type RawMeeting = Omit<MeetingRow, 'recurrence' | 'inviteEveryone'> & { recurrence: string | null; inviteEveryone: number };
const toMeeting = (raw: RawMeeting): MeetingRow => ({
  ...raw,
  recurrence: raw.recurrence === null ? null : (JSON.parse(raw.recurrence) as Recurrence),
  inviteEveryone: raw.inviteEveryone === 1,
});

const fieldParams = (fields: MeetingFields) => ({
  ...fields,
  recurrence: fields.recurrence === null ? null : JSON.stringify(fields.recurrence),
  inviteEveryone: fields.inviteEveryone ? 1 : 0,
});

/**
 * The meetings' storage, async at its boundary: routes read a meeting, the lists, the home
 * sections and the calendar feeds through the Promise-returning functions. The `...Now` functions
 * are synchronous because a unit of work runs them inside its one transaction: the writes (they
 * open no transaction of their own, and commit with the live events, notifications and scheduled
 * reminders they cause), and the reads a piece makes of what it is writing (the live event's view
 * of the meeting after the change, the people a notice goes to, a reminder job's participants).
 * An engine with an asynchronous driver awaits twins of those. Not yet so: the meeting page's
 * views (core.detail, core.poll, core.attendance through view-rows.ts) still read with the
 * `...Now` functions outside a piece too, since the same views feed the live events inside one.
 * Plain SQL through prepared statements: the meeting page and the lists read several per request.
 */
export class MeetingsRepository {
  private readonly statements;
  /** The meetings' and minutes' full-text index, kept in step with every write of a meeting's title, description or agenda here. */
  readonly fullText: MeetingsSearch;

  constructor(db: Db) {
    this.fullText = new MeetingsSearch(db);
    const s: Database.Database = db.$client;
    this.statements = {
      byId: s.prepare<[string], RawMeeting>(`select ${MEETING_COLUMNS} from ${MEETING_FROM} where m.id = ?`),
      ofGroup: s.prepare<[string], RawMeeting>(`select ${MEETING_COLUMNS} from ${MEETING_FROM} where m.group_id = ? order by m.created_at desc`),
      insert: s.prepare(`insert into meetings (id, group_id, title, kind, status, description_source, description_html, description_text, starts_at, ends_at,
          time_zone, recurrence, online_url, access_notes, invite_everyone, sequence, organizer_id, created_at, updated_at, cancelled_at, cancel_reason,
          poll_opened_at, poll_deadline, poll_closed_at, chosen_slot_id)
        values (@id, @groupId, @title, @kind, @status, @descriptionSource, @descriptionHtml, @descriptionText, @startsAt, @endsAt, @timeZone, @recurrence,
          @onlineUrl, @accessNotes, @inviteEveryone, @sequence, @organizerId, @createdAt, @updatedAt, @cancelledAt, @cancelReason, @pollOpenedAt,
          @pollDeadline, @pollClosedAt, @chosenSlotId)`),
      update: s.prepare(`update meetings set title = @title, kind = @kind, status = @status, description_source = @descriptionSource,
          description_html = @descriptionHtml, description_text = @descriptionText, starts_at = @startsAt, ends_at = @endsAt, time_zone = @timeZone,
          recurrence = @recurrence, online_url = @onlineUrl, access_notes = @accessNotes, invite_everyone = @inviteEveryone, sequence = @sequence,
          updated_at = @updatedAt, cancelled_at = @cancelledAt, cancel_reason = @cancelReason, poll_opened_at = @pollOpenedAt,
          poll_deadline = @pollDeadline, poll_closed_at = @pollClosedAt, chosen_slot_id = @chosenSlotId
        where id = @id`),
      agenda: s.prepare<[string], AgendaItemRow>(
        'select id, position, title, presenter, minutes from meeting_agenda_items where meeting_id = ? and removed_at is null order by position',
      ),
      agendaIds: s.prepare<[string], string>('select id from meeting_agenda_items where meeting_id = ? and removed_at is null').pluck(),
      insertAgendaItem: s.prepare('insert into meeting_agenda_items (id, meeting_id, position, title, presenter, minutes) values (?, ?, ?, ?, ?, ?)'),
      updateAgendaItem: s.prepare('update meeting_agenda_items set position = ?, title = ?, presenter = ?, minutes = ? where id = ? and meeting_id = ?'),
      removeAgendaItem: s.prepare('update meeting_agenda_items set removed_at = ? where id = ? and meeting_id = ?'),
      invitees: s.prepare<[string], InviteeRow>('select meeting_id as meetingId, kind, ref_id as refId from meeting_invitees where meeting_id = ? order by kind, ref_id'),
      inviteesOfGroup: s.prepare<[string], InviteeRow>(
        'select i.meeting_id as meetingId, i.kind, i.ref_id as refId from meeting_invitees i join meetings m on m.id = i.meeting_id where m.group_id = ?',
      ),
      deleteInvitees: s.prepare('delete from meeting_invitees where meeting_id = ?'),
      insertInvitee: s.prepare('insert or ignore into meeting_invitees (meeting_id, kind, ref_id) values (?, ?, ?)'),
      overrides: s.prepare<[string], OverrideRow>(
        'select original_starts_at as originalStartsAt, state, starts_at as startsAt, ends_at as endsAt from meeting_occurrence_overrides where meeting_id = ?',
      ),
      overridesOfGroup: s.prepare<[string], OverrideRow & { meetingId: string }>(
        `select o.meeting_id as meetingId, o.original_starts_at as originalStartsAt, o.state, o.starts_at as startsAt, o.ends_at as endsAt
           from meeting_occurrence_overrides o join meetings m on m.id = o.meeting_id where m.group_id = ?`,
      ),
      setOverride: s.prepare(`insert into meeting_occurrence_overrides (meeting_id, original_starts_at, state, starts_at, ends_at, updated_at) values (?, ?, ?, ?, ?, ?)
        on conflict (meeting_id, original_starts_at) do update set state = excluded.state, starts_at = excluded.starts_at, ends_at = excluded.ends_at, updated_at = excluded.updated_at`),
      deleteOverride: s.prepare('delete from meeting_occurrence_overrides where meeting_id = ? and original_starts_at = ?'),
      deleteOverrides: s.prepare('delete from meeting_occurrence_overrides where meeting_id = ?'),
      slots: s.prepare<[string], SlotRow>('select id, meeting_id as meetingId, position, starts_at as startsAt, ends_at as endsAt from meeting_poll_slots where meeting_id = ? order by position'),
      insertSlot: s.prepare('insert into meeting_poll_slots (id, meeting_id, position, starts_at, ends_at) values (?, ?, ?, ?, ?)'),
      moveSlot: s.prepare('update meeting_poll_slots set position = ? where id = ?'),
      deleteSlot: s.prepare('delete from meeting_poll_slots where id = ?'),
      pollAnswers: s.prepare<[string], PollAnswerRow>('select slot_id as slotId, user_id as userId, answer, updated_at as updatedAt from meeting_poll_answers where meeting_id = ?'),
      respondents: s.prepare<[string], string>('select distinct user_id from meeting_poll_answers where meeting_id = ?').pluck(),
      deleteMyAnswers: s.prepare('delete from meeting_poll_answers where meeting_id = ? and user_id = ?'),
      insertAnswer: s.prepare('insert into meeting_poll_answers (slot_id, meeting_id, user_id, answer, updated_at) values (?, ?, ?, ?, ?)'),
      attendance: s.prepare<[string, string], AttendanceRow>(
        'select user_id as userId, answer, note, updated_at as updatedAt from meeting_attendance_answers where meeting_id = ? and occurrence_id = ?',
      ),
      myAttendance: s.prepare<[string], { meetingId: string; occurrenceId: string; answer: AttendanceAnswer }>(
        'select meeting_id as meetingId, occurrence_id as occurrenceId, answer from meeting_attendance_answers where user_id = ?',
      ),
      setAttendance: s.prepare(`insert into meeting_attendance_answers (meeting_id, occurrence_id, user_id, answer, note, updated_at) values (?, ?, ?, ?, ?, ?)
        on conflict (meeting_id, occurrence_id, user_id) do update set answer = excluded.answer, note = excluded.note, updated_at = excluded.updated_at`),
      notGoing: s.prepare<[string, string], string>(
        "select user_id from meeting_attendance_answers where meeting_id = ? and occurrence_id = ? and answer = 'not_going'",
      ).pluck(),
      addChange: s.prepare('insert into meeting_changes (meeting_id, at, actor_id, action, occurrence_id, changes) values (?, ?, ?, ?, ?, ?)'),
      changes: s.prepare<[string], Omit<ChangeRow, 'changes'> & { changes: string }>(
        `select c.id, c.at, c.actor_id as actorId, u.display_name as actorName, c.action, c.occurrence_id as occurrenceId, c.changes
           from meeting_changes c left join users u on u.id = c.actor_id where c.meeting_id = ? order by c.id desc limit 500`,
      ),
      participants: s.prepare<[string], Participant>(
        `select u.id, u.display_name as displayName, u.locale, m.role, m.country_id as countryId, m.organization_id as organizationId
           from memberships m join users u on u.id = m.user_id where m.group_id = ? and u.deactivated_at is null order by u.display_name collate nocase`,
      ),
      remindersOff: s.prepare<[], string>('select user_id from meeting_preferences where reminders = 0').pluck(),
      reminders: s.prepare<[string], number>('select reminders from meeting_preferences where user_id = ?').pluck(),
      setReminders: s.prepare(`insert into meeting_preferences (user_id, reminders, updated_at) values (?, ?, ?)
        on conflict (user_id) do update set reminders = excluded.reminders, updated_at = excluded.updated_at`),
      feedOf: s.prepare<[string], { createdAt: number; lastUsedAt: number | null }>('select created_at as createdAt, last_used_at as lastUsedAt from calendar_feeds where user_id = ?'),
      feedByHash: s.prepare<[string], FeedOwner>(
        `select f.user_id as id, m.group_id as groupId, m.role, m.country_id as countryId, m.organization_id as organizationId
           from calendar_feeds f join users u on u.id = f.user_id join memberships m on m.user_id = u.id
          where f.token_hash = ? and u.deactivated_at is null order by m.joined_at, m.group_id`,
      ),
      setFeed: s.prepare(`insert into calendar_feeds (user_id, token_hash, created_at, last_used_at) values (?, ?, ?, null)
        on conflict (user_id) do update set token_hash = excluded.token_hash, created_at = excluded.created_at, last_used_at = null`),
      touchFeed: s.prepare('update calendar_feeds set last_used_at = ? where user_id = ?'),
      deleteFeed: s.prepare('delete from calendar_feeds where user_id = ?'),
    };
  }

  // ---------------------------------------------------------------- meetings

  async find(id: string): Promise<MeetingRow | undefined> {
    return this.findNow(id);
  }

  findNow(id: string): MeetingRow | undefined {
    const raw = this.statements.byId.get(id);
    return raw && toMeeting(raw);
  }

  async ofGroup(groupId: string): Promise<MeetingRow[]> {
    return this.ofGroupNow(groupId);
  }

  ofGroupNow(groupId: string): MeetingRow[] {
    return this.statements.ofGroup.all(groupId).map(toMeeting);
  }

  insertNow(meeting: MeetingFields & { id: string; groupId: string; organizerId: string; createdAt: number }): void {
    this.statements.insert.run({ ...fieldParams(meeting), id: meeting.id, groupId: meeting.groupId, organizerId: meeting.organizerId, createdAt: meeting.createdAt });
    this.fullText.indexMeeting(meeting.id);
  }

  updateNow(id: string, fields: MeetingFields): void {
    this.statements.update.run({ ...fieldParams(fields), id });
    this.fullText.indexMeeting(id);
  }

  async agenda(meetingId: string): Promise<AgendaItemRow[]> {
    return this.agendaNow(meetingId);
  }

  agendaNow(meetingId: string): AgendaItemRow[] {
    return this.statements.agenda.all(meetingId);
  }

  /** Sets the agenda in this order: items with a known id keep it, others get a new one; items left out are marked removed. */
  replaceAgendaNow(meetingId: string, items: Array<{ id?: string; title: string; presenter: string; minutes: number }>, now: number): void {
    const existing = new Set(this.statements.agendaIds.all(meetingId));
    const kept = new Set<string>();
    items.forEach((item, position) => {
      if (item.id && existing.has(item.id) && !kept.has(item.id)) {
        this.statements.updateAgendaItem.run(position, item.title, item.presenter, item.minutes, item.id, meetingId);
        kept.add(item.id);
      } else {
        this.statements.insertAgendaItem.run(newId(), meetingId, position, item.title, item.presenter, item.minutes);
      }
    });
    for (const id of existing) if (!kept.has(id)) this.statements.removeAgendaItem.run(now, id, meetingId);
    this.fullText.indexMeeting(meetingId);
  }

  async invitees(meetingId: string): Promise<InviteeRow[]> {
    return this.inviteesNow(meetingId);
  }

  inviteesNow(meetingId: string): InviteeRow[] {
    return this.statements.invitees.all(meetingId);
  }

  async inviteesOfGroup(groupId: string): Promise<Map<string, InviteeRow[]>> {
    return this.inviteesOfGroupNow(groupId);
  }

  inviteesOfGroupNow(groupId: string): Map<string, InviteeRow[]> {
    const byMeeting = new Map<string, InviteeRow[]>();
    for (const row of this.statements.inviteesOfGroup.all(groupId)) {
      const list = byMeeting.get(row.meetingId) ?? [];
      list.push(row);
      byMeeting.set(row.meetingId, list);
    }
    return byMeeting;
  }

  replaceInviteesNow(meetingId: string, invitees: Array<{ kind: InviteeKind; refId: string }>): void {
    this.statements.deleteInvitees.run(meetingId);
    for (const invitee of invitees) this.statements.insertInvitee.run(meetingId, invitee.kind, invitee.refId);
  }

  // ---------------------------------------------------------------- occurrences

  async overrides(meetingId: string): Promise<OverrideRow[]> {
    return this.overridesNow(meetingId);
  }

  overridesNow(meetingId: string): OverrideRow[] {
    return this.statements.overrides.all(meetingId);
  }

  async overridesOfGroup(groupId: string): Promise<Map<string, OverrideRow[]>> {
    return this.overridesOfGroupNow(groupId);
  }

  overridesOfGroupNow(groupId: string): Map<string, OverrideRow[]> {
    const byMeeting = new Map<string, OverrideRow[]>();
    for (const { meetingId, ...row } of this.statements.overridesOfGroup.all(groupId)) {
      const list = byMeeting.get(meetingId) ?? [];
      list.push(row);
      byMeeting.set(meetingId, list);
    }
    return byMeeting;
  }

  setOverrideNow(meetingId: string, originalStartsAt: number, state: OverrideState, startsAt: number, endsAt: number, now: number): void {
    this.statements.setOverride.run(meetingId, originalStartsAt, state, startsAt, endsAt, now);
  }

  deleteOverrideNow(meetingId: string, originalStartsAt: number): void {
    this.statements.deleteOverride.run(meetingId, originalStartsAt);
  }

  deleteOverridesNow(meetingId: string): void {
    this.statements.deleteOverrides.run(meetingId);
  }

  // ---------------------------------------------------------------- polls

  async slots(meetingId: string): Promise<SlotRow[]> {
    return this.slotsNow(meetingId);
  }

  slotsNow(meetingId: string): SlotRow[] {
    return this.statements.slots.all(meetingId);
  }

  /** Sets the poll's slots in this order; a slot with the same times as an existing one keeps its id (and answers); the others' answers go with them. */
  replaceSlotsNow(meetingId: string, slots: Array<{ startsAt: number; endsAt: number }>): void {
    const existing = this.slotsNow(meetingId);
    const kept = new Set<string>();
    slots.forEach((slot, position) => {
      const same = existing.find((row) => row.startsAt === slot.startsAt && row.endsAt === slot.endsAt && !kept.has(row.id));
      if (same) {
        this.statements.moveSlot.run(position, same.id);
        kept.add(same.id);
      } else {
        this.statements.insertSlot.run(newId(), meetingId, position, slot.startsAt, slot.endsAt);
      }
    });
    for (const row of existing) if (!kept.has(row.id)) this.statements.deleteSlot.run(row.id);
  }

  async pollAnswers(meetingId: string): Promise<PollAnswerRow[]> {
    return this.pollAnswersNow(meetingId);
  }

  pollAnswersNow(meetingId: string): PollAnswerRow[] {
    return this.statements.pollAnswers.all(meetingId);
  }

  async respondents(meetingId: string): Promise<Set<string>> {
    return this.respondentsNow(meetingId);
  }

  respondentsNow(meetingId: string): Set<string> {
    return new Set(this.statements.respondents.all(meetingId));
  }

  setPollAnswersNow(meetingId: string, userId: string, answers: Array<{ slotId: string; answer: PollAnswer }>, now: number): void {
    this.statements.deleteMyAnswers.run(meetingId, userId);
    for (const { slotId, answer } of answers) this.statements.insertAnswer.run(slotId, meetingId, userId, answer, now);
  }

  // ---------------------------------------------------------------- attendance

  async attendance(meetingId: string, occurrenceId: string): Promise<AttendanceRow[]> {
    return this.attendanceNow(meetingId, occurrenceId);
  }

  attendanceNow(meetingId: string, occurrenceId: string): AttendanceRow[] {
    return this.statements.attendance.all(meetingId, occurrenceId);
  }

  /** A person's answers, by "<meetingId> <occurrenceId>". */
  async attendanceOf(userId: string): Promise<Map<string, AttendanceAnswer>> {
    return this.attendanceOfNow(userId);
  }

  attendanceOfNow(userId: string): Map<string, AttendanceAnswer> {
    return new Map(this.statements.myAttendance.all(userId).map((row) => [`${row.meetingId} ${row.occurrenceId}`, row.answer]));
  }

  setAttendanceNow(meetingId: string, occurrenceId: string, userId: string, answer: AttendanceAnswer, note: string, now: number): void {
    this.statements.setAttendance.run(meetingId, occurrenceId, userId, answer, note, now);
  }

  async notGoing(meetingId: string, occurrenceId: string): Promise<Set<string>> {
    return this.notGoingNow(meetingId, occurrenceId);
  }

  notGoingNow(meetingId: string, occurrenceId: string): Set<string> {
    return new Set(this.statements.notGoing.all(meetingId, occurrenceId));
  }

  // ---------------------------------------------------------------- history

  addChangeNow(meetingId: string, change: { at: number; actorId: string | null; action: ChangeAction; occurrenceId?: string | null; changes: ChangeRow['changes'] }): void {
    this.statements.addChange.run(meetingId, change.at, change.actorId, change.action, change.occurrenceId ?? null, JSON.stringify(change.changes));
  }

  async changes(meetingId: string): Promise<ChangeRow[]> {
    return this.changesNow(meetingId);
  }

  changesNow(meetingId: string): ChangeRow[] {
    return this.statements.changes.all(meetingId).map((row) => ({ ...row, changes: JSON.parse(row.changes) as ChangeRow['changes'] }));
  }

  // ---------------------------------------------------------------- people

  /**
   * Active participants of the group. Synchronous (unlike the people repository's directory), as
   * reminders work out their recipients inside the job's own transaction.
   */
  async participants(groupId: string): Promise<Participant[]> {
    return this.participantsNow(groupId);
  }

  participantsNow(groupId: string): Participant[] {
    return this.statements.participants.all(groupId);
  }

  async remindersOff(): Promise<Set<string>> {
    return this.remindersOffNow();
  }

  remindersOffNow(): Set<string> {
    return new Set(this.statements.remindersOff.all());
  }

  async remindersOn(userId: string): Promise<boolean> {
    return this.remindersOnNow(userId);
  }

  remindersOnNow(userId: string): boolean {
    return (this.statements.reminders.get(userId) ?? 1) === 1;
  }

  setRemindersNow(userId: string, on: boolean, now: number): void {
    this.statements.setReminders.run(userId, on ? 1 : 0, now);
  }

  // ---------------------------------------------------------------- calendar feeds

  async feedOf(userId: string): Promise<{ createdAt: number; lastUsedAt: number | null } | undefined> {
    return this.feedOfNow(userId);
  }

  feedOfNow(userId: string): { createdAt: number; lastUsedAt: number | null } | undefined {
    return this.statements.feedOf.get(userId);
  }

  /**
   * The active person whose feed token has this hash, as they are in each of their groups (what
   * decides which meetings they see there); empty for no such token or person.
   */
  async feedOwners(tokenHash: string): Promise<FeedOwner[]> {
    return this.statements.feedByHash.all(tokenHash);
  }

  setFeedNow(userId: string, tokenHash: string, now: number): void {
    this.statements.setFeed.run(userId, tokenHash, now);
  }

  touchFeedNow(userId: string, now: number): void {
    this.statements.touchFeed.run(now, userId);
  }

  deleteFeedNow(userId: string): boolean {
    return this.statements.deleteFeed.run(userId).changes > 0;
  }
}
