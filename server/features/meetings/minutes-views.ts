import type { SessionUser } from '../../plugins/sessions/index.js';
import type { MeetingsCore } from './core.js';
import { mayChangeActionItem } from './minutes-permissions.js';
import type { ActionItemRow, MinutesRepository } from './minutes-repository.js';
import type { MeetingState } from './views.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** Today's date in UTC, "YYYY-MM-DD": an item due before it is overdue. */
export const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Builds ActionItem views for one viewer (or, with null, the neutral form of live events, which
 * names no other meetings). Meetings are read once per batch.
 */
export function actionItemViewer(core: MeetingsCore, minutes: MinutesRepository) {
  return (rows: ActionItemRow[], viewer: SessionUser | null) => {
    const states = new Map<string, MeetingState | null>();
    const stateOf = (meetingId: string) => {
      if (!states.has(meetingId)) {
        const meeting = core.repository.find(meetingId);
        states.set(meetingId, meeting ? core.state(meeting) : null);
      }
      return states.get(meetingId)!;
    };
    const pulls = viewer === null ? [] : minutes.pullsOf(rows.map((row) => row.id));
    const today = utcDate(core.now().getTime());
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
            return target && viewer && core.maySee(viewer, target) ? [{ meetingId: pull.meetingId, meetingTitle: target.meeting.title, agendaItemId: pull.agendaItemId }] : [];
          }),
        mayChangeStatus: viewer !== null && mayChangeActionItem(viewer, row),
      };
    });
  };
}
export type ActionItemView = ReturnType<ReturnType<typeof actionItemViewer>>[number];
