import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { signIn } from './scenario.js';
import { buildTour, TOUR_MEETING, TOUR_ZONE, type Tour } from './tour.js';

const PHONE = { width: 390, height: 844 };

/**
 * What sticks out of the viewport sideways: the page's scroll width, and every element (across
 * shadow roots) whose box passes the right or left edge, unless an ancestor clips or scrolls it
 * in a box of its own (a wide table scrolling inside its frame is fine; the page moving is not).
 */
async function sideways(page: Page): Promise<{ scrollWidth: number; outside: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const parentOf = (element: Element): Element | null =>
      (element.assignedSlot ?? element.parentElement ?? ((element.parentNode as ShadowRoot | null)?.host as Element | undefined) ?? null) as Element | null;
    const clipped = (element: Element) => {
      for (let ancestor = parentOf(element); ancestor; ancestor = parentOf(ancestor)) {
        const overflow = getComputedStyle(ancestor).overflowX;
        if (overflow !== 'visible') return true;
      }
      return false;
    };
    const describe = (element: Element) => {
      const path: string[] = [];
      for (let e: Element | null = element; e && path.length < 5; e = parentOf(e)) path.push(e.localName + (e.classList.length ? `.${[...e.classList].join('.')}` : ''));
      return path.join(' < ');
    };
    const outside: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const element of Array.from(root.querySelectorAll('*'))) {
        const rect = element.getBoundingClientRect();
        if (rect.width > 0 && rect.height > 0 && (rect.right > width + 1 || rect.left < -1) && !clipped(element)) {
          outside.push(`${describe(element)} (${Math.round(rect.left)}–${Math.round(rect.right)})`);
        }
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);
    return { scrollWidth: document.documentElement.scrollWidth, outside: outside.slice(0, 10) };
  });
}

describeInBrowser('phone width (390 px)', () => {
  let h: Harness;
  let tour: Tour;
  const pages: Record<'coordinator' | 'admin', Page | null> = { coordinator: null, admin: null };

  const open = async (as: 'coordinator' | 'admin', path: string) => {
    let page = pages[as];
    if (!page) {
      const context = await h.newContext({ viewport: PHONE, timezoneId: TOUR_ZONE, isMobile: true, hasTouch: true });
      await signIn(h, context, tour[as]);
      // The tour's comment round has no next version attached yet: its comparison answers 400
      // (next_version_missing), which the compare page shows as its state.
      const comparing = tour.pages.filter((p) => p.route === '/rounds/:id/compare').map((p) => ({ status: 400, path: `/api${p.path.replace(/\/compare$/, '/comparison')}` }));
      page = h.watch(await context.newPage(), { expectedStatuses: comparing });
      pages[as] = page;
    }
    await page.goto(path);
    await page.locator('h1').first().waitFor();
    // Lists and panels load after the heading: wait until no spinner is left.
    await expect.poll(() => page.locator('.spinner').filter({ visible: true }).count(), { timeout: 10_000 }).toBe(0);
    return page;
  };

  beforeAll(async () => {
    h = await startHarness();
    tour = await buildTour(h);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('no main page scrolls sideways, whatever the posts hold (long words, addresses, code, tables)', async () => {
    const failures: string[] = [];
    for (const { name, path, as } of tour.pages) {
      const page = await open(as, path);
      const { scrollWidth, outside } = await sideways(page);
      if (scrollWidth > PHONE.width || outside.length > 0) failures.push(`${name} (${path}): ${scrollWidth} px wide; ${outside.join('; ')}`);
    }
    expect(failures).toEqual([]);
    expect(h.problems).toEqual([]);
  }, 300_000);

  it('puts the link to join the call on the first screen of the meeting page', async () => {
    const page = await open('coordinator', `/meetings/${tour.meetingId}`);
    await page.getByRole('heading', { level: 1, name: TOUR_MEETING }).waitFor();
    const join = page.getByRole('link', { name: 'Join the call' }).first();
    await join.waitFor();
    const box = await join.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
    expect(await join.getAttribute('href')).toBe('https://meet.jit.si/concilia-sesion-de-coordinacion-regional-2026');
  });

  it('keeps the column names of the poll results when the table becomes cards', async () => {
    const page = await open('coordinator', `/meetings/${tour.pollMeetingId}`);
    const results = page.getByRole('region', { name: 'Results, best first' });
    const firstRow = results.locator('tbody tr').first();
    await firstRow.waitFor();
    // Each figure says what it counts, on screen, next to it.
    const cells = await firstRow.locator('td').evaluateAll((tds) =>
      tds.map((td) => ({ label: getComputedStyle(td, '::before').content, text: (td.textContent ?? '').trim() })),
    );
    expect(cells.slice(0, 4).map((cell) => cell.label)).toEqual(['"Yes"', '"If need be"', '"No"', '"Countries covered"']);
  });

  it('folds the library filters behind a "Filters" disclosure that counts the active ones', async () => {
    let page = await open('coordinator', '/documents');
    const filters = page.getByText('Filters', { exact: true });
    await filters.waitFor();
    // Folded: the type filter is not shown, and the first document is on the first screen.
    expect(await page.getByRole('combobox', { name: 'Type' }).isVisible()).toBe(false);
    const first = page.locator('cn-library-page ol.documents > li').first();
    const box = await first.boundingBox();
    expect(box!.y).toBeLessThan(PHONE.height);

    await filters.click();
    await page.getByRole('combobox', { name: 'Type' }).selectOption('report');
    await page.getByRole('textbox', { name: 'Tag' }).fill('mortalidad');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/type=report/);
    page = await open('coordinator', '/documents?type=report&tag=mortalidad');
    await page.getByText('Filters (2 active)', { exact: true }).waitFor();
  });
});
