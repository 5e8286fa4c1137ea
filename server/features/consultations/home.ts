import type { SessionUser } from '../../plugins/sessions/index.js';
import type { HomeSection } from '../home/public.js';
import { deadlineInstant, respondentStatus } from './domain/lifecycle.js';
import { type Core, toConsultation } from './core.js';
import * as may from './permissions.js';

/** A respondent status that still owes an answer. */
const WAITING = new Set(['not_started', 'draft', 'extended']);

/**
 * "Waiting for my country" on the home page: the open consultations the reader's delegation still
 * has to answer (not started, a draft, an extension), nearest deadline first, the deadline shown in
 * the reader's zone. Empty for whoever answers for no addressed respondent.
 */
export function waitingHomeSection(core: Core): HomeSection {
  return {
    id: 'consultations.waiting',
    order: 25,
    seeAllPath: '/consultations',
    // No topic of its own: a delegation's status lives on per-consultation topics, and a section
    // follows a few topics, never one per item. The page asks again on each visit.
    live: () => ({ topics: [], events: [] }),
    load: async (user: SessionUser, { now, limit }) => {
      // A member answers for their country, an observer for their agency: one respondent for every consultation.
      const respondent = user.role === 'member' ? user.countryId : user.role === 'observer' ? user.organizationId : null;
      if (!respondent) return { count: 0, items: [] };
      const rows = (await core.repository.openOf(user.groupId)).filter((row) => may.respondentOf(user, row.targets) === respondent);
      const states = await core.repository.statesOf(rows.map((row) => row.id), respondent);
      const waiting = rows
        .map((row) => {
          const state = states.get(row.id) ?? core.stateOf(undefined, respondent).state;
          const consultation = toConsultation(row);
          return { row, status: respondentStatus(consultation, state, now.getTime()), at: deadlineInstant(consultation.deadline) };
        })
        .filter((item) => WAITING.has(item.status))
        .sort((a, b) => a.at - b.at);
      return {
        count: waiting.length,
        items: waiting.slice(0, limit).map(({ row, status, at }) => ({
          id: row.id,
          kind: 'consultation',
          path: `/consultations/${encodeURIComponent(row.id)}`,
          title: row.titleEs || row.titleEn,
          titles: { es: row.titleEs, en: row.titleEn },
          at,
          timeZone: row.deadlineZone,
          state: status,
        })),
      };
    },
  };
}
