import type IcalModule from 'ical.js';
import type { InboundCalendarReply } from './service.js';

type Ical = typeof IcalModule;
// Loaded with the first calendar part received, as the meetings feature does: most processes never need it.
let icalModule: Promise<Ical> | undefined;
const loadIcal = () => (icalModule ??= import('ical.js').then((module) => module.default));

export type ParsedCalendarReply = Omit<InboundCalendarReply, 'person' | 'about'>;

/**
 * An iTIP REPLY (RFC 5546) as calendar programs send it when someone answers an invitation:
 * METHOD:REPLY, one VEVENT with the invitation's UID (and RECURRENCE-ID for one occurrence), and
 * the answering ATTENDEE with its PARTSTAT. Null for any other method, or text ical.js cannot read.
 */
export async function parseCalendarReply(ics: string): Promise<ParsedCalendarReply | null> {
  const ICAL = await loadIcal();
  let calendar: InstanceType<Ical['Component']>;
  try {
    calendar = new ICAL.Component(ICAL.parse(ics));
  } catch {
    return null;
  }
  if (String(calendar.getFirstPropertyValue('method') ?? '').toUpperCase() !== 'REPLY') return null;
  const event = calendar.getFirstSubcomponent('vevent');
  const uid = event?.getFirstPropertyValue('uid');
  if (!event || typeof uid !== 'string' || uid === '') return null;
  const recurrence = event.getFirstPropertyValue('recurrence-id');
  const sequence = Number(event.getFirstPropertyValue('sequence') ?? 0);
  const comment = event.getFirstPropertyValue('comment');
  return {
    uid,
    recurrenceId: recurrence && typeof recurrence === 'object' && 'toJSDate' in recurrence ? (recurrence as InstanceType<Ical['Time']>).toJSDate().toISOString() : null,
    sequence: Number.isFinite(sequence) ? sequence : 0,
    attendees: event.getAllProperties('attendee').map((property) => {
      const value = String(property.getFirstValue() ?? '');
      const name = property.getParameter('cn');
      return {
        address: value.replace(/^mailto:/i, '').toLowerCase(),
        name: typeof name === 'string' ? name : null,
        partstat: String(property.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase(),
      };
    }),
    comment: typeof comment === 'string' ? comment : null,
  };
}
