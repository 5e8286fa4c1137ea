import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { call, signIn } from './scenario.js';
import { buildTour, TOUR_MEETING, TOUR_ZONE, type Tour, type TourPage } from './tour.js';

/** axe-core's own build, evaluated in the page through the debugging protocol (the CSP refuses inline scripts, rightly). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  nodes: string[];
}

async function axe(page: Page, rules?: string[]): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (only) => {
    const engine = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const result = await engine.run(document, { resultTypes: ['violations'], ...(only ? { runOnly: { type: 'rule', values: only } } : {}) });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  }, rules ?? null);
}

const serious = (violations: Violation[]) => violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');

describeInBrowser('accessibility (axe-core in Chromium)', () => {
  let h: Harness;
  let tour: Tour;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    tour = await buildTour(h);
    const context = await h.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: TOUR_ZONE });
    await signIn(h, context, tour.coordinator);
    page = h.watch(await context.newPage());
  });

  afterAll(async () => {
    await h?.close();
  });

  it('the live room keeps its chat a list inside a log, with no serious or critical violation on the meeting page', async () => {
    await page.goto(`/meetings/${tour.meetingId}`);
    await page.getByRole('heading', { level: 1, name: TOUR_MEETING }).waitFor();
    const log = page.getByRole('log', { name: 'Chat' });
    await log.getByRole('listitem').first().waitFor();
    expect(serious(await axe(page))).toEqual([]);
  });

  it('names each search landmark of the meeting form', async () => {
    await page.goto('/meetings/new');
    await page.getByRole('heading', { level: 1, name: 'New meeting' }).waitFor();
    await page.locator('cn-link-picker').first().waitFor();
    const violations = await axe(page);
    expect(serious(violations)).toEqual([]);
    expect(violations.filter((v) => v.id.startsWith('landmark'))).toEqual([]);
  });

  it('the skip link reaches the main content across shadow roots', async () => {
    await page.goto('/debates');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await axe(page, ['skip-link', 'bypass'])).toEqual([]);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    expect(await skip.evaluate((link) => link.matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    // Focus is now in the main landmark, and the next Tab goes to the page's first control, not the header's.
    const inMain = () =>
      page.evaluate(() => {
        let active: Element | null = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        for (let node: Node | null = active; node; node = (node as Element).assignedSlot ?? node.parentNode ?? (node as ShadowRoot).host ?? null) {
          if ((node as Element).localName === 'main') return true;
        }
        return false;
      });
    expect(await inMain()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await inMain()).toBe(true);
  });

  // Every page of the tour (every client route: tests/client/tour-routes.test.ts), in Spanish and
  // English, at desktop and phone widths: no serious or critical violation anywhere.
  const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;
  for (const locale of ['en', 'es'] as const) {
    for (const [widthName, viewport] of Object.entries(WIDTHS)) {
      it(`every page in ${locale === 'es' ? 'Spanish' : 'English'} at ${widthName} width has no serious or critical violation`, async () => {
        for (const person of [tour.coordinator, tour.admin]) await call(h, 'PATCH', '/api/me', { locale }, person.cookie);
        const pages: Partial<Record<TourPage['as'], Page>> = {};
        const pageAs = async (as: TourPage['as']) => {
          if (!pages[as]) {
            const context = await h.newContext({ viewport, timezoneId: TOUR_ZONE, locale: locale === 'es' ? 'es-CL' : 'en-US', ...(widthName === 'phone' ? { isMobile: true, hasTouch: true } : {}) });
            if (as !== 'guest') await signIn(h, context, tour[as]);
            pages[as] = h.watch(await context.newPage());
          }
          return pages[as];
        };
        const found: string[] = [];
        for (const { name, path, as } of [...tour.pages, ...tour.guestPages]) {
          const page = await pageAs(as);
          await page.goto(path);
          await page.locator('h1').first().waitFor();
          await expect.poll(() => page.locator('.spinner').filter({ visible: true }).count(), { timeout: 10_000 }).toBe(0);
          for (const violation of serious(await axe(page))) found.push(`${name} (${path}): ${violation.id} [${violation.impact}] ${violation.nodes.slice(0, 3).join(' ')}`);
        }
        for (const page of Object.values(pages)) await page.context().close();
        expect(found).toEqual([]);
      }, 300_000);
    }
  }
});
