import { Type } from 'typebox';
import { IdSchema, OptionalWithDefault, PageLimit, PageOffset, Timestamp } from '../../shared/schemas.js';
import { OccurrenceIdSchema, OccurrenceSchema, PersonRefSchema } from './schemas.js';

/** Minutes' and action items' request and response shapes (docs/meetings-api.md, "Minutes and action items"). */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Actor = Type.Object({ id: Type.String(), displayName: Type.String() });
const Markdown = Type.String({ maxLength: 20_000 });
export const SectionKey = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const DueDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const ActionItemDraftSchema = Type.Object({
  id: Type.String(),
  text: Type.String(),
  responsibleCountryId: Nullable(Type.String()),
  responsiblePersonId: Nullable(Type.String()),
  dueDate: Nullable(Type.String()),
});

const ActionItemDraftInput = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' })),
    text: Type.String({ maxLength: 1_000 }),
    responsibleCountryId: Type.Optional(Nullable(IdSchema)),
    responsiblePersonId: Type.Optional(Nullable(IdSchema)),
    dueDate: Type.Optional(Nullable(DueDate)),
  },
  { additionalProperties: false },
);

export const MinutesSaveBody = Type.Object(
  {
    occurrenceId: OccurrenceIdSchema,
    revision: Type.Integer({ minimum: 0 }),
    introduction: Type.Optional(Markdown),
    order: Type.Optional(Type.Array(SectionKey, { maxItems: 60 })),
    sections: Type.Optional(
      Type.Array(
        Type.Object(
          {
            key: SectionKey,
            agendaItemId: Type.Optional(Nullable(IdSchema)),
            title: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
            summary: Type.Optional(Markdown),
            decisions: Type.Optional(Markdown),
            actionItems: Type.Optional(Type.Array(ActionItemDraftInput, { maxItems: 50 })),
            removed: Type.Optional(Type.Literal(true)),
          },
          { additionalProperties: false },
        ),
        { maxItems: 60 },
      ),
    ),
  },
  { additionalProperties: false },
);

export const PublishBody = Type.Object({ occurrenceId: OccurrenceIdSchema, revision: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });

export const MinutesQuery = Type.Object({ occurrenceId: Type.Optional(OccurrenceIdSchema) }, { additionalProperties: false });
export const ExportQuery = Type.Object(
  { occurrenceId: Type.Optional(OccurrenceIdSchema), version: OptionalWithDefault(Type.Enum(['published', 'draft'], { default: 'published' })), lang: Type.Optional(Type.Enum(['es', 'en'])) },
  { additionalProperties: false },
);

export const ActionItemSchema = Type.Object({
  id: Type.String(),
  text: Type.String(),
  responsibleCountryId: Nullable(Type.String()),
  responsiblePerson: Nullable(PersonRefSchema),
  dueDate: Nullable(Type.String()),
  overdue: Type.Boolean(),
  status: Type.Enum(['open', 'done']),
  doneAt: Nullable(Timestamp),
  doneBy: Nullable(Actor),
  source: Type.Object({ meetingId: Type.String(), meetingTitle: Type.String(), occurrenceId: Type.String(), startsAt: Nullable(Timestamp), sectionTitle: Type.String() }),
  pulledInto: Type.Array(Type.Object({ meetingId: Type.String(), meetingTitle: Type.String(), agendaItemId: Type.String() })),
  mayChangeStatus: Type.Boolean(),
});

export const MinutesSchema = Type.Object({
  meetingId: Type.String(),
  occurrenceId: Type.String(),
  occurrence: OccurrenceSchema,
  status: Type.Enum(['none', 'draft', 'published']),
  mayWrite: Type.Boolean(),
  draft: Nullable(
    Type.Object({
      revision: Type.Integer(),
      content: Type.Object({
        introduction: Type.String(),
        sections: Type.Array(
          Type.Object({
            key: Type.String(),
            agendaItemId: Nullable(Type.String()),
            title: Type.String(),
            summary: Type.String(),
            decisions: Type.String(),
            actionItems: Type.Array(ActionItemDraftSchema),
          }),
        ),
      }),
      updatedAt: Nullable(Timestamp),
      updatedBy: Nullable(Actor),
      hasUnpublishedChanges: Type.Boolean(),
    }),
  ),
  published: Nullable(
    Type.Object({
      revision: Type.Integer(),
      publishedAt: Timestamp,
      publishedBy: Actor,
      firstPublishedAt: Timestamp,
      introductionHtml: Type.String(),
      sections: Type.Array(
        Type.Object({
          key: Type.String(),
          agendaItemId: Nullable(Type.String()),
          title: Type.String(),
          summaryHtml: Type.String(),
          decisionsHtml: Type.String(),
          actionItems: Type.Array(ActionItemSchema),
        }),
      ),
    }),
  ),
});

export const ActionItemListQuery = Type.Object(
  {
    status: OptionalWithDefault(Type.Enum(['open', 'done', 'all'], { default: 'open' })),
    countryId: Type.Optional(IdSchema),
    personId: Type.Optional(IdSchema),
    meetingId: Type.Optional(IdSchema),
    overdue: Type.Optional(Type.Boolean()),
    offset: PageOffset(),
    limit: PageLimit(100, 25),
  },
  { additionalProperties: false },
);

export const ActionItemParams = Type.Object({ id: IdSchema });
export const StatusBody = Type.Object({ status: Type.Enum(['open', 'done']) }, { additionalProperties: false });
export const PullBody = Type.Object({ actionItemIds: Type.Array(IdSchema, { minItems: 1, maxItems: 50, uniqueItems: true }) }, { additionalProperties: false });
export const PullAnswer = Type.Object({
  agenda: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), presenter: Type.String(), minutes: Type.Integer() })),
  added: Type.Array(Type.Object({ actionItemId: Type.String(), agendaItemId: Type.String() })),
});
