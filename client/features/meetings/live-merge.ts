import type { LiveEventMessage } from '../../app/live-connection.js';
import type { MeetingDetail, Poll } from './models.js';

/**
 * What the meeting page shows, updated from its live events without asking the server: the events
 * are built for a neutral reader and carry only what is the same for everyone. Pure.
 */

/** A live event's meeting is rendered for a neutral viewer: keep this viewer's own fields. */
export function withOwnFields(neutral: MeetingDetail, mine: MeetingDetail): MeetingDetail {
  return {
    ...neutral,
    myAttendance: mine.myAttendance,
    poll: neutral.poll && mine.poll ? { ...neutral.poll, answeredByMe: mine.poll.answeredByMe } : neutral.poll,
    description: mine.description,
    mayManage: mine.mayManage,
    mayAnswer: mine.mayAnswer,
  };
}

/** The poll shown, with the counts of a `poll.updated` event (the page fetches the rest after a burst). */
export function withPollCounts(poll: Poll, counts: LiveEventMessage<'poll.updated'>['payload']): Poll {
  const bySlot = new Map(counts.slots.map((slot) => [slot.id, slot]));
  const slots = poll.slots.map((slot) => {
    const now = bySlot.get(slot.id);
    return now ? { ...slot, yes: now.yes, ifNeedBe: now.ifNeedBe, no: now.no } : slot;
  });
  return { ...poll, deadline: counts.deadline, closedAt: counts.closedAt, chosenSlotId: counts.chosenSlotId, respondents: counts.respondents, slots };
}
