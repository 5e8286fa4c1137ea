import { Type, type Static } from 'typebox';
import { IdSchema, OptionalWithDefault, PageLimit, PageOffset, Timestamp, TimeZoneSchema } from '../../shared/schemas.js';
import { ATTENDANCE_ANSWERS, CHANGE_ACTIONS, MEETING_KINDS, MEETING_STATUSES, POLL_ANSWERS } from './tables.js';

/** The meetings' request and response shapes (docs/meetings-api.md). */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const KindSchema = Type.Enum([...MEETING_KINDS]);
export const StatusSchema = Type.Enum([...MEETING_STATUSES]);
export const PollAnswerSchema = Type.Enum([...POLL_ANSWERS]);
export const AttendanceAnswerSchema = Type.Enum([...ATTENDANCE_ANSWERS]);

/**
 * What may name an occurrence wherever a request does (query, path or body): `single`, or the
 * occurrence's original start as an RFC 3339 instant. Anything else is refused here, with 400
 * naming the field; findOccurrence (occurrences.ts) resolves what passes.
 */
export const OccurrenceIdSchema = Type.String({
  pattern: '^(single|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2}))$',
  maxLength: 40,
  description: '"single", or the occurrence\'s original start as an ISO 8601 instant, e.g. 2026-05-05T14:00:00.000Z',
});
const Title = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const IdList = Type.Array(IdSchema, { maxItems: 200, uniqueItems: true });

export const RecurrenceInput = Type.Object(
  {
    frequency: Type.Enum(['weekly', 'monthly']),
    interval: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
    count: Type.Integer({ minimum: 2, maximum: 100 }),
    monthlyWeek: Type.Optional(Nullable(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4), Type.Literal(-1)]))),
  },
  { additionalProperties: false },
);
export type RecurrenceInput = Static<typeof RecurrenceInput>;

export const InviteesInput = Type.Object(
  {
    everyone: Type.Boolean(),
    countryIds: Type.Optional(IdList),
    organizationIds: Type.Optional(IdList),
    personIds: Type.Optional(IdList),
  },
  { additionalProperties: false },
);
export type InviteesInput = Static<typeof InviteesInput>;

const AgendaItemInput = Type.Object(
  {
    id: Type.Optional(IdSchema),
    title: Title,
    presenter: Type.Optional(Type.String({ maxLength: 200 })),
    minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
  },
  { additionalProperties: false },
);

export const SlotInput = Type.Object({ startsAt: Timestamp, endsAt: Timestamp }, { additionalProperties: false });

export const PollInput = Type.Object(
  { slots: Type.Array(SlotInput, { minItems: 2, maxItems: 30 }), deadline: Type.Optional(Nullable(Timestamp)) },
  { additionalProperties: false },
);

const meetingFields = {
  title: Title,
  kind: KindSchema,
  description: Type.Optional(Type.String({ maxLength: 20_000 })),
  agenda: Type.Optional(Type.Array(AgendaItemInput, { maxItems: 50 })),
  timeZone: TimeZoneSchema,
  startsAt: Type.Optional(Timestamp),
  endsAt: Type.Optional(Timestamp),
  recurrence: Type.Optional(Nullable(RecurrenceInput)),
  onlineUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  accessNotes: Type.Optional(Type.String({ maxLength: 2000 })),
  invitees: InviteesInput,
  threadIds: Type.Optional(Type.Array(IdSchema, { maxItems: 20, uniqueItems: true })),
  documentIds: Type.Optional(Type.Array(IdSchema, { maxItems: 20, uniqueItems: true })),
};

export const NewMeeting = Type.Object({ ...meetingFields, poll: Type.Optional(PollInput) }, { additionalProperties: false });
export type NewMeeting = Static<typeof NewMeeting>;

export const MeetingChanges = Type.Partial(Type.Object(meetingFields, { additionalProperties: false }), { additionalProperties: false, minProperties: 1 });
export type MeetingChanges = Static<typeof MeetingChanges>;

export const CancelBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

export const OccurrenceChange = Type.Union([
  Type.Object({ startsAt: Timestamp, endsAt: Timestamp }, { additionalProperties: false }),
  Type.Object({ state: Type.Enum(['cancelled', 'scheduled']) }, { additionalProperties: false }),
]);
export type OccurrenceChange = Static<typeof OccurrenceChange>;

export const ListQuery = Type.Object(
  {
    view: OptionalWithDefault(Type.Enum(['upcoming', 'past', 'mine', 'polls'], { default: 'upcoming' })),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    kind: Type.Optional(KindSchema),
    offset: PageOffset(),
    limit: PageLimit(100, 25),
  },
  { additionalProperties: false },
);

export const PollAnswersBody = Type.Object(
  { answers: Type.Array(Type.Object({ slotId: IdSchema, answer: PollAnswerSchema }, { additionalProperties: false }), { maxItems: 30 }) },
  { additionalProperties: false },
);

export const PollChanges = Type.Object(
  { slots: Type.Optional(Type.Array(SlotInput, { minItems: 2, maxItems: 30 })), deadline: Type.Optional(Nullable(Timestamp)) },
  { additionalProperties: false, minProperties: 1 },
);

export const CloseBody = Type.Object({ slotId: IdSchema }, { additionalProperties: false });

export const AttendanceBody = Type.Object(
  { answer: AttendanceAnswerSchema, note: Type.Optional(Type.String({ maxLength: 500 })), occurrenceId: Type.Optional(OccurrenceIdSchema) },
  { additionalProperties: false },
);
export const AttendanceQuery = Type.Object({ occurrenceId: Type.Optional(OccurrenceIdSchema) }, { additionalProperties: false });

export const PreferencesBody = Type.Object({ reminders: Type.Boolean() }, { additionalProperties: false });

// ------------------------------------------------------------------ answers

export const PersonRefSchema = Type.Object({ id: Type.String(), displayName: Type.String(), countryId: Nullable(Type.String()), organizationId: Nullable(Type.String()) });

export const RecurrenceSchema = Type.Object({
  frequency: Type.Enum(['weekly', 'monthly']),
  interval: Type.Integer(),
  count: Type.Integer(),
  monthlyWeek: Nullable(Type.Integer()),
});

export const OccurrenceSchema = Type.Object({
  id: Type.String(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  originalStartsAt: Timestamp,
  state: Type.Enum(['scheduled', 'moved', 'cancelled']),
});

const summaryFields = {
  id: Type.String(),
  title: Type.String(),
  kind: KindSchema,
  status: StatusSchema,
  startsAt: Nullable(Timestamp),
  endsAt: Nullable(Timestamp),
  timeZone: Type.String(),
  recurrence: Nullable(RecurrenceSchema),
  organizer: PersonRefSchema,
  invitees: Type.Object({ everyone: Type.Boolean(), countryIds: Type.Array(Type.String()), organizationIds: Type.Array(Type.String()), personIds: Type.Array(Type.String()) }),
  sequence: Type.Integer(),
  myAttendance: Nullable(AttendanceAnswerSchema),
  poll: Nullable(Type.Object({ deadline: Nullable(Timestamp), closed: Type.Boolean(), answeredByMe: Type.Boolean() })),
  cancelledAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

/** `hasMinutes`: that occurrence's minutes are published (minutes-routes.ts). */
export const MeetingListItemSchema = Type.Object({ ...summaryFields, occurrence: Nullable(OccurrenceSchema), hasMinutes: Type.Boolean() });

export const InvitedCountrySchema = Type.Object({
  id: Type.String(),
  iso2: Type.String(),
  nameEs: Type.String(),
  nameEn: Type.String(),
  capitalEs: Type.String(),
  capitalEn: Type.String(),
  timeZone: Type.String(),
});

export const MeetingDetailSchema = Type.Object({
  ...summaryFields,
  descriptionHtml: Type.String(),
  description: Nullable(Type.String()),
  agenda: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), presenter: Type.String(), minutes: Type.Integer() })),
  onlineUrl: Nullable(Type.String()),
  accessNotes: Type.String(),
  cancelReason: Nullable(Type.String()),
  people: Type.Array(PersonRefSchema),
  invitedCountries: Type.Array(InvitedCountrySchema),
  invitedOrganizations: Type.Array(Type.Object({ id: Type.String(), acronymEs: Type.String(), acronymEn: Type.String(), nameEs: Type.String(), nameEn: Type.String() })),
  threads: Type.Array(Type.Object({ id: Type.String(), title: Type.String() })),
  documents: Type.Array(Type.Object({ id: Type.String(), title: Type.Object({ es: Type.String(), en: Type.String() }) })),
  occurrences: Type.Array(OccurrenceSchema),
  nextOccurrence: Nullable(OccurrenceSchema),
  pageUrl: Type.String(),
  icsUrl: Type.String(),
  calendarLinks: Nullable(Type.Object({ google: Type.String(), outlook: Type.String(), outlookLive: Type.String() })),
  mayManage: Type.Boolean(),
  mayAnswer: Type.Boolean(),
});

export const ChangeSchema = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  actor: Nullable(Type.Object({ id: Type.String(), displayName: Type.String() })),
  action: Type.Enum([...CHANGE_ACTIONS]),
  occurrenceId: Nullable(Type.String()),
  changes: Type.Array(Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() })),
});

export const SlotResultSchema = Type.Object({
  id: Type.String(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  position: Type.Integer(),
  yes: Type.Integer(),
  ifNeedBe: Type.Integer(),
  no: Type.Integer(),
  countriesCovered: Type.Array(Type.String()),
  outsideLocalHours: Type.Array(Type.Object({ countryId: Type.String(), localStart: Type.String(), localEnd: Type.String() })),
});

export const PollSchema = Type.Object({
  meetingId: Type.String(),
  deadline: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
  chosenSlotId: Nullable(Type.String()),
  respondents: Type.Integer(),
  invitedCount: Type.Integer(),
  slots: Type.Array(SlotResultSchema),
  myAnswers: Type.Record(Type.String(), PollAnswerSchema),
  answers: Type.Array(Type.Object({ person: PersonRefSchema, answers: Type.Record(Type.String(), PollAnswerSchema), updatedAt: Timestamp })),
});

export const AttendanceSchema = Type.Object({
  occurrenceId: Type.String(),
  counts: Type.Object({ going: Type.Integer(), maybe: Type.Integer(), notGoing: Type.Integer(), unanswered: Type.Integer() }),
  mine: Nullable(Type.Object({ answer: AttendanceAnswerSchema, note: Type.String() })),
  byCountry: Type.Array(
    Type.Object({
      countryId: Nullable(Type.String()),
      people: Type.Array(Type.Object({ person: PersonRefSchema, answer: AttendanceAnswerSchema, note: Nullable(Type.String()), updatedAt: Timestamp })),
      /** The invited of this country who have not answered: for managers; empty for everyone else. */
      unanswered: Type.Array(PersonRefSchema),
    }),
  ),
  countriesWithNobodyGoing: Type.Array(Type.String()),
});

export const FeedStateSchema = Type.Object({ feed: Nullable(Type.Object({ createdAt: Timestamp, lastUsedAt: Nullable(Timestamp) })) });
export const NewFeedSchema = Type.Object({ feed: Type.Object({ url: Type.String(), webcalUrl: Type.String(), createdAt: Timestamp }) });
export const PreferencesSchema = Type.Object({ preferences: Type.Object({ reminders: Type.Boolean() }) });

/** A meeting or minutes found by the search (GET /api/search, section `meetings`). */
export const MeetingHitSchema = Type.Object({
  kind: Type.Union([Type.Literal('meeting'), Type.Literal('minutes')], { description: 'Found by its title, description or agenda, or by the minutes of one occurrence' }),
  meetingId: Type.String(),
  title: Type.String(),
  meetingKind: Type.String(),
  status: Type.String(),
  startsAt: Type.Union([Timestamp, Type.Null()]),
  occurrenceId: Type.Union([Type.String(), Type.Null()]),
  draft: Type.Boolean({ description: 'Minutes whose unpublished draft holds the words (their writers only)' }),
  snippetHtml: Type.String(),
});
