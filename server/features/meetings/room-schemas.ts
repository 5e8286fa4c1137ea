import { Type } from 'typebox';
import { IdSchema, OptionalWithDefault, PageLimit, Timestamp } from '../../shared/schemas.js';
import { OccurrenceIdSchema, OccurrenceSchema, PersonRefSchema } from './schemas.js';
import { QUICK_POLL_KINDS, QUICK_POLL_SCOPES } from './room-tables.js';

/** The live room's request and response shapes (docs/meetings-api.md, "Live room" to "Attendance records"). */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Actor = Type.Object({ id: Type.String(), displayName: Type.String() });

export const RoomParams = Type.Object({ id: IdSchema });
export const PollParams = Type.Object({ id: IdSchema, pollId: IdSchema });
export const PersonParams = Type.Object({ id: IdSchema, userId: IdSchema });
export const OccurrenceQuery = Type.Object({ occurrenceId: Type.Optional(OccurrenceIdSchema) }, { additionalProperties: false });
export const EmptyBody = Type.Object({}, { additionalProperties: false });

export const QuickPollSchema = Type.Object({
  id: Type.String(),
  occurrenceId: Type.String(),
  question: Type.String(),
  kind: Type.Enum([...QUICK_POLL_KINDS]),
  scope: Type.Enum([...QUICK_POLL_SCOPES]),
  options: Type.Array(Type.Object({ id: Type.String(), label: Nullable(Type.String()), count: Type.Integer() })),
  total: Type.Integer(),
  countries: Type.Array(Type.Object({ countryId: Type.String(), optionId: Type.String() })),
  myAnswer: Nullable(Type.String()),
  answeredBy: Nullable(Actor),
  open: Type.Boolean(),
  createdAt: Timestamp,
  createdBy: Actor,
  closedAt: Nullable(Timestamp),
});

export const RoomSchema = Type.Object({
  meetingId: Type.String(),
  occurrenceId: Type.String(),
  occurrence: OccurrenceSchema,
  opensAt: Timestamp,
  closesAt: Timestamp,
  open: Type.Boolean(),
  currentAgendaItemId: Nullable(Type.String()),
  agendaChangedAt: Nullable(Timestamp),
  agendaChangedBy: Nullable(Actor),
  polls: Type.Array(QuickPollSchema),
  attendeeCount: Type.Integer(),
  joinedByMe: Type.Boolean(),
  mayManage: Type.Boolean(),
});

export const AttendeeSchema = Type.Object({
  person: PersonRefSchema,
  joinedAt: Nullable(Timestamp),
  markedAt: Nullable(Timestamp),
  markedBy: Nullable(Actor),
});

export const RoomAttendanceSchema = Type.Object({
  occurrenceId: Type.String(),
  attendees: Type.Array(AttendeeSchema),
  countriesPresent: Type.Array(Type.String()),
  countriesAbsent: Type.Array(Type.String()),
  count: Type.Integer(),
});

export const ChatMessageSchema = Type.Object({
  id: Type.String(),
  occurrenceId: Type.String(),
  author: PersonRefSchema,
  html: Type.String(),
  createdAt: Timestamp,
});

export const AgendaBody = Type.Object({ agendaItemId: Nullable(IdSchema) }, { additionalProperties: false });

export const NewQuickPoll = Type.Object(
  {
    question: Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' }),
    kind: Type.Enum([...QUICK_POLL_KINDS]),
    scope: Type.Enum([...QUICK_POLL_SCOPES]),
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }), { maxItems: 10 })),
  },
  { additionalProperties: false },
);

export const PollAnswerBody = Type.Object({ optionId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const MessagesQuery = Type.Object(
  {
    occurrenceId: Type.Optional(OccurrenceIdSchema),
    before: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    limit: PageLimit(100, 50),
  },
  { additionalProperties: false },
);

export const NewMessage = Type.Object({ body: Type.String({ minLength: 1, maxLength: 4_000, pattern: '\\S' }) }, { additionalProperties: false });

export const MarkAttendanceBody = Type.Object({ occurrenceId: OccurrenceIdSchema, present: Type.Boolean() }, { additionalProperties: false });

export const CsvQuery = Type.Object(
  {
    occurrenceId: Type.Optional(OccurrenceIdSchema),
    lang: Type.Optional(Type.Enum(['es', 'en'])),
    separator: OptionalWithDefault(Type.Enum(['comma', 'semicolon'], { default: 'comma' })),
  },
  { additionalProperties: false },
);
