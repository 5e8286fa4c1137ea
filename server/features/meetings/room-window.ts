import { conflict, notFound, AppError } from '../../shared/errors.js';
import { findOccurrence, type Occurrence } from './occurrences.js';

/**
 * When an occurrence is a room (docs/meetings-api.md, "Live room"): from 15 minutes before it
 * starts until it ends. Pure functions of the occurrences and the clock, shared by the room and
 * the minutes.
 */
export const ROOM_OPENS_BEFORE_MS = 15 * 60_000;

export const opensAtOf = (occurrence: Occurrence) => occurrence.startsAt - ROOM_OPENS_BEFORE_MS;

export const isRoomOpen = (occurrence: Occurrence, now: number) =>
  occurrence.state !== 'cancelled' && opensAtOf(occurrence) <= now && now < occurrence.endsAt;

/** Has this occurrence's room opened (it may have closed since)? */
export const hasRoomOpened = (occurrence: Occurrence, now: number) => occurrence.state !== 'cancelled' && opensAtOf(occurrence) <= now;

/** The occurrence whose room is open now, if any. */
export const openOccurrence = (occurrences: Occurrence[], now: number): Occurrence | null => occurrences.find((occurrence) => isRoomOpen(occurrence, now)) ?? null;

/**
 * The occurrence a read means when it names none: the room open now; else the latest whose room
 * has opened (the meeting just held: its transcript, attendance and minutes); else the next one;
 * else (everything cancelled) the first.
 */
export function defaultOccurrence(occurrences: Occurrence[], now: number): Occurrence | null {
  const open = openOccurrence(occurrences, now);
  if (open) return open;
  const held = occurrences.filter((occurrence) => hasRoomOpened(occurrence, now));
  if (held.length > 0) return held[held.length - 1]!;
  return occurrences.find((occurrence) => occurrence.state !== 'cancelled') ?? occurrences[0] ?? null;
}

/** The occurrence named by `id`, or the default one; 404 for an id that is not one of the meeting's, 409 while there is none yet. */
export function chooseOccurrence(occurrences: Occurrence[], id: string | undefined, now: number): Occurrence {
  if (occurrences.length === 0) throw conflict('not_scheduled', 'This meeting has no date yet: its availability poll is still open.');
  if (id === undefined) return defaultOccurrence(occurrences, now)!;
  const found = findOccurrence(occurrences, id);
  if (!found) throw notFound('Occurrence');
  return found;
}

/** The next room to open (for the refusal's details), or null when none is left. */
export function nextRoom(occurrences: Occurrence[], now: number): Occurrence | null {
  return occurrences.find((occurrence) => occurrence.state !== 'cancelled' && opensAtOf(occurrence) > now) ?? null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** 409 room_closed, saying when the next room opens. */
export function roomClosed(occurrences: Occurrence[], now: number): AppError {
  const next = nextRoom(occurrences, now);
  const details = { opensAt: next ? iso(opensAtOf(next)) : null, closesAt: next ? iso(next.endsAt) : null };
  const message = next
    ? `The meeting room is not open now. It opens 15 minutes before the meeting starts, at ${details.opensAt}.`
    : 'The meeting room is closed: the meeting has ended.';
  return new AppError(409, 'room_closed', message, details);
}

/** The occurrence whose room is open now, or 409 room_closed. */
export function requireOpenRoom(occurrences: Occurrence[], now: number): Occurrence {
  if (occurrences.length === 0) throw conflict('not_scheduled', 'This meeting has no date yet: its availability poll is still open.');
  const open = openOccurrence(occurrences, now);
  if (!open) throw roomClosed(occurrences, now);
  return open;
}
