import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../client/app/features.js';
import { NOT_TOURED, TOUR_PAGES } from '../e2e/tour.js';

/**
 * The browser tour (tests/e2e/tour.ts) is what the accessibility, phone-width and wording tests
 * walk: a page it misses is checked by none of them. So every route a client feature registers
 * (client/app/features.ts) must be a tour page, or be listed in NOT_TOURED with the reason; a new
 * page fails here until it is walked.
 */
describe('the browser tour', () => {
  const registered = ROUTES.map((route) => route.path);

  it('walks every client route, or says why not', () => {
    const toured = new Set(TOUR_PAGES.map((page) => page.route));
    expect(registered.filter((route) => !toured.has(route) && !(route in NOT_TOURED))).toEqual([]);
  });

  it('names only routes that exist, and opens an address each route matches', () => {
    expect(TOUR_PAGES.map((page) => page.route).filter((route) => !registered.includes(route))).toEqual([]);
    expect(Object.keys(NOT_TOURED).filter((route) => !registered.includes(route))).toEqual([]);
    for (const [route, reason] of Object.entries(NOT_TOURED)) expect(reason.length, route).toBeGreaterThan(10);
    // The route's pattern, as a regular expression: each :name one path segment.
    const sample = { threadId: 't1', categorySlug: 'general', documentId: 'd1', meetingId: 'm1', pollMeetingId: 'm2', memberId: 'p1', consultationId: 'c1', draftConsultationId: 'c2', caseId: 'k1', roundId: 'r1', invitationToken: 'tok' };
    for (const page of TOUR_PAGES) {
      const pattern = new RegExp(`^${page.route.replace(/:[a-z]+/gi, '[^/]+')}$`);
      expect(page.path(sample).split('?')[0], page.name).toMatch(pattern);
    }
  });

  it('fails for a route it does not walk', () => {
    const toured = new Set(TOUR_PAGES.map((page) => page.route));
    const withNew = [...registered, '/reports/:id'];
    expect(withNew.filter((route) => !toured.has(route) && !(route in NOT_TOURED))).toEqual(['/reports/:id']);
  });
});
