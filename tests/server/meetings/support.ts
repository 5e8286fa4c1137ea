import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { addPerson, buildTestApp, request, type TestApp } from '../../helper.js';
import { api, populate, type Participant } from '../debates/support.js';

export { api };
export type { Participant };

/** A clock the app reads through config.now, moved by the test. */
export class TestClock {
  constructor(private current: number) {}
  now = () => new Date(this.current);
  set(instant: string | number) {
    this.current = typeof instant === 'number' ? instant : Date.parse(instant);
  }
  advance(ms: number) {
    this.current += ms;
  }
  get ms() {
    return this.current;
  }
}

export async function buildMeetingsApp(clock: TestClock, dataDir?: string, databaseUrl?: string): Promise<TestApp> {
  return buildTestApp({ ...(dataDir ? { DATA_DIR: dataDir } : {}), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }, { now: clock.now });
}

/**
 * populate()'s group (admin, coordinator, secretariat, member of Chile, member of Mexico,
 * observer) plus members of Argentina, Trinidad and Tobago and Cuba.
 */
export async function populateMeetings(app: FastifyInstance) {
  const people = await populate(app);
  const member = async (countryId: string, displayName: string, locale: 'es' | 'en' = 'es') => {
    const added = await addPerson(app, people.admin.cookie, 'member', { countryId }, { displayName, locale });
    return { id: added.id, cookie: added.cookie } as Participant;
  };
  return {
    ...people,
    argentina: await member('ar', 'Ana Argentina'),
    trinidad: await member('tt', 'Terry Trinidad', 'en'),
    cuba: await member('cu', 'Carlos Cuba'),
  };
}
export type MeetingPeople = Awaited<ReturnType<typeof populateMeetings>>;

export const meetingInput = (overrides: Record<string, unknown> = {}) => ({
  title: 'Reunión mensual de coordinación',
  kind: 'virtual_meeting',
  description: 'Revisión de **avances** del informe regional.',
  agenda: [
    { title: 'Apertura', presenter: 'Coordinación', minutes: 10 },
    { title: 'Informe de conciliación', presenter: 'CEPAL', minutes: 40 },
  ],
  timeZone: 'America/Santiago',
  startsAt: '2026-06-09T14:00:00.000Z',
  endsAt: '2026-06-09T15:30:00.000Z',
  onlineUrl: 'https://meet.jit.si/concilia-coordinacion',
  accessNotes: 'Código: 4321',
  invitees: { everyone: true },
  ...overrides,
});

export async function createMeeting(app: FastifyInstance, who: Participant, overrides: Record<string, unknown> = {}) {
  const response = await api(app, who, 'POST', '/meetings', meetingInput(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json().meeting as MeetingDetail;
}

export async function getMeeting(app: FastifyInstance, who: Participant, id: string) {
  const response = await api(app, who, 'GET', `/meetings/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().meeting as MeetingDetail;
}

export interface Occurrence {
  id: string;
  startsAt: string;
  endsAt: string;
  originalStartsAt: string;
  state: string;
}

export interface MeetingDetail {
  id: string;
  title: string;
  status: string;
  startsAt: string | null;
  endsAt: string | null;
  timeZone: string;
  sequence: number;
  recurrence: unknown;
  occurrences: Occurrence[];
  nextOccurrence: Occurrence | null;
  invitedCountries: Array<{ id: string; capitalEs: string; capitalEn: string; timeZone: string }>;
  calendarLinks: { google: string; outlook: string; outlookLive: string } | null;
  pageUrl: string;
  icsUrl: string;
  mayManage: boolean;
  mayAnswer: boolean;
  myAttendance: string | null;
  agenda: Array<{ id: string; title: string; presenter: string; minutes: number }>;
  poll: { deadline: string | null; closed: boolean; answeredByMe: boolean } | null;
}

/** The user's notifications (newest first), straight from the API. */
export async function notificationsOf(app: FastifyInstance, who: Participant) {
  const response = await request(app, { url: '/api/notifications?limit=100', cookie: who.cookie });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items as Array<{ kind: string; subject: { kind: string; id: string; title: string }; details: Record<string, unknown>; excerpt: string }>;
}

/** The wall-clock time of an instant in a zone, by the platform's Intl (independent of the server's luxon). */
export function wallClock(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((part) => part.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
