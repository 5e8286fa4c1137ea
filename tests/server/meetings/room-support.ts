import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { api, createMeeting, type MeetingDetail, type Participant } from './support.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A meeting starting `startsIn` ms after the clock's now, lasting `lasting` ms (an agenda of three items). */
export async function meetingAt(app: FastifyInstance, who: Participant, now: number, startsIn: number, overrides: Record<string, unknown> = {}, lasting = 90 * MINUTE): Promise<MeetingDetail> {
  return createMeeting(app, who, {
    startsAt: new Date(now + startsIn).toISOString(),
    endsAt: new Date(now + startsIn + lasting).toISOString(),
    agenda: [
      { title: 'Apertura', presenter: 'Coordinación', minutes: 10 },
      { title: 'Informe de conciliación', presenter: 'CEPAL', minutes: 40 },
      { title: 'Varios', presenter: '', minutes: 10 },
    ],
    ...overrides,
  });
}

export interface QuickPoll {
  id: string;
  kind: string;
  scope: string;
  options: Array<{ id: string; label: string | null; count: number }>;
  total: number;
  countries: Array<{ countryId: string; optionId: string }>;
  myAnswer: string | null;
  answeredBy: { id: string; displayName: string } | null;
  open: boolean;
  closedAt: string | null;
}

export const counts = (poll: QuickPoll) => Object.fromEntries(poll.options.map((option) => [option.label ?? option.id, option.count]));

export async function room(app: FastifyInstance, who: Participant, meetingId: string, query = '') {
  const response = await api(app, who, 'GET', `/meetings/${meetingId}/room${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().room as { occurrenceId: string; open: boolean; opensAt: string; closesAt: string; currentAgendaItemId: string | null; polls: QuickPoll[]; attendeeCount: number; joinedByMe: boolean; mayManage: boolean };
}
