import type { SessionUser } from '../../plugins/sessions/index.js';
import { mayChangeActionItem } from './minutes-permissions.js';
import type { ActionItemRow, PullRow } from './minutes-repository.js';
import type { MeetingState } from './views.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** Today's date in UTC, "YYYY-MM-DD": an item due before it is overdue. */
export const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** What action items' views are built from besides the items (actionItemRows in view-rows.ts reads it). */
export interface ActionItemRows {
  /** The meetings the items and their pulls refer to (null: gone). */
  states: ReadonlyMap<string, MeetingState | null>;
  /** Where the items were pulled into other meetings' agendas (none for the neutral form). */
  pulls: PullRow[];
  /** Now, in ms. */
  now: number;
}

/**
 * ActionItem views for one viewer (or, with null, the neutral form of live events, which names
 * no other meetings). Pure: `maySee` is the meetings' visibility rule.
 */
export function actionItemViews(rows: ActionItemRow[], loaded: ActionItemRows, viewer: SessionUser | null, maySee: (viewer: SessionUser, state: MeetingState) => boolean) {
  const stateOf = (meetingId: string) => loaded.states.get(meetingId) ?? null;
  const { pulls } = loaded;
  const today = utcDate(loaded.now);
  return rows.map((row) => {
    const source = stateOf(row.meetingId);
    const occurrence = source?.occurrences.find((candidate) => candidate.id === row.occurrenceId);
    return {
      id: row.id,
      text: row.text,
      responsibleCountryId: row.responsibleCountryId,
      responsiblePerson:
        row.responsiblePersonId === null
          ? null
          : { id: row.responsiblePersonId, displayName: row.responsiblePersonName ?? '', countryId: row.responsiblePersonCountryId, organizationId: row.responsiblePersonOrganizationId },
      dueDate: row.dueDate,
      overdue: row.status === 'open' && row.dueDate !== null && row.dueDate < today,
      status: row.status,
      doneAt: isoOrNull(row.doneAt),
      doneBy: row.doneBy === null ? null : { id: row.doneBy, displayName: row.doneByName ?? '' },
      source: {
        meetingId: row.meetingId,
        meetingTitle: source?.meeting.title ?? '',
        occurrenceId: row.occurrenceId,
        startsAt: occurrence ? iso(occurrence.startsAt) : null,
        sectionTitle: row.sectionTitle,
      },
      pulledInto: pulls
        .filter((pull) => pull.actionItemId === row.id)
        .flatMap((pull) => {
          const target = stateOf(pull.meetingId);
          return target && viewer && maySee(viewer, target) ? [{ meetingId: pull.meetingId, meetingTitle: target.meeting.title, agendaItemId: pull.agendaItemId }] : [];
        }),
      mayChangeStatus: viewer !== null && mayChangeActionItem(viewer, row),
    };
  });
}
export type ActionItemView = ReturnType<typeof actionItemViews>[number];
