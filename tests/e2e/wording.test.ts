import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { addMember, call, signIn, type Person } from './scenario.js';
import { buildTour, TOUR_THREAD, TOUR_ZONE, type Tour } from './tour.js';

const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

/** Every text of the page, shadow roots included, as one line. */
async function pageText(page: Page): Promise<string> {
  const text = await page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Document | ShadowRoot | Element) => {
      for (const node of Array.from((root as ParentNode).childNodes)) {
        if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
        else if (node instanceof Element) {
          if (node.localName === 'style' || node.localName === 'script') continue;
          if (node.shadowRoot) walk(node.shadowRoot);
          walk(node);
        }
      }
    };
    walk(document.body);
    return parts.join(' ');
  });
  return squash(text);
}

describeInBrowser('wording in every language', () => {
  let h: Harness;
  let tour: Tour;
  let spanish: Person;
  let french: Person;

  const pageFor = async (person: Person | null, locale = 'en-US') => {
    const context = await h.newContext({ timezoneId: TOUR_ZONE, locale });
    if (person) await signIn(h, context, person);
    return h.watch(await context.newPage(), { expectedStatuses: [{ status: 401, path: '/api/me' }] });
  };

  beforeAll(async () => {
    h = await startHarness();
    tour = await buildTour(h);
    spanish = await addMember(h, tour.admin, { displayName: 'Diego Ramírez', email: 'diego@inegi.org.mx', password: 'diego-password-1', countryId: 'mx', locale: 'es', timeZone: TOUR_ZONE });
    french = await addMember(h, tour.admin, { displayName: 'Jean Pierre', email: 'jean@ihsi.ht', password: 'jean-password-1', countryId: 'ht', locale: 'fr', timeZone: 'America/Port-au-Prince' });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('writes counts with each language’s plural forms', async () => {
    const page = await pageFor(french);
    await page.goto(`/meetings/${tour.pollMeetingId}`);
    // One person of the group answered the poll: French uses the singular for 0 and 1.
    await expect.poll(async () => pageText(page)).toMatch(/\b1 personne invitée sur \d+ a répondu\./);
    expect(await pageText(page)).not.toMatch(/\b1 personnes/);
  });

  it('names an open action item with a status, not a verb, and writes months and times as Spanish does', async () => {
    const page = await pageFor(spanish);
    await page.goto('/meetings/action-items');
    const status = page.getByRole('combobox', { name: 'Estado', exact: true });
    await status.waitFor();
    const open = squash(await status.locator('option[value="open"]').textContent());
    expect(open).not.toBe('Abrir');
    expect(open).toMatch(/^Abiert[oa]s?$/);

    await page.goto('/meetings/calendar?month=2026-12');
    const title = page.locator('cn-meetings-calendar-page #month-title');
    await expect.poll(async () => squash(await title.innerText())).toBe('Diciembre de 2026');

    // A sentence that ends with a time ending in "a. m." gets one period, not two.
    const invitation = await call<{ acceptUrl: string }>(h, 'POST', '/api/invitations', { email: 'nuevo@dane.gov.co', role: 'member', countryId: 'co' }, tour.admin.cookie);
    const guest = await pageFor(null, 'es-MX');
    await guest.goto(new URL(invitation.acceptUrl).pathname);
    await expect.poll(async () => pageText(guest)).toMatch(/La invitación es válida hasta/);
    expect(await pageText(guest)).not.toMatch(/m\.\./);
  });

  it('lists time zones by their Spanish city names', async () => {
    const page = await pageFor(spanish);
    await page.goto('/profile');
    const zone = page.getByRole('combobox', { name: 'Zona horaria', exact: true });
    await zone.waitFor();
    const label = async (value: string) => squash(await zone.locator(`option[value="${value}"]`).textContent());
    expect(await label('America/Mexico_City')).toMatch(/^Ciudad de México \(/);
    expect(await label('America/New_York')).toMatch(/^Nueva York \(/);
    expect(await label('America/Sao_Paulo')).toMatch(/^São Paulo \(/);
    expect(await label('America/Port_of_Spain')).toMatch(/^Puerto España \(/);
  });

  it('shows a mentioned country by its name', async () => {
    const page = await pageFor(spanish);
    await page.goto(`/debates/t/${tour.threadId}`);
    await page.getByRole('heading', { level: 1, name: TOUR_THREAD }).waitFor();
    const mention = page.locator('cn-thread-page a.mention-country').first();
    expect(squash(await mention.textContent())).toBe('@México');
    const english = await pageFor(tour.coordinator);
    await english.goto(`/debates/t/${tour.threadId}`);
    await expect.poll(async () => squash(await english.locator('cn-thread-page a.mention-country').first().textContent())).toBe('@Mexico');
  });

  it('offers the way home, back, search and the section’s list on the 404 and 403 pages', async () => {
    const page = await pageFor(tour.member);
    await page.goto('/documents/of/nowhere');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    const main = page.locator('main');
    expect(await main.getByRole('link', { name: 'Home page' }).getAttribute('href')).toBe('/');
    expect(await main.getByRole('link', { name: 'Document library' }).getAttribute('href')).toBe('/documents');
    expect(await main.getByRole('searchbox', { name: 'Search the forum' }).count()).toBe(1);
    await main.getByRole('button', { name: 'Go back' }).waitFor();

    await page.goto('/admin/users');
    await page.getByRole('heading', { level: 1, name: 'You do not have access to this page' }).waitFor();
    expect(await main.getByRole('link', { name: 'Home page' }).getAttribute('href')).toBe('/');
    expect(await main.getByRole('searchbox', { name: 'Search the forum' }).count()).toBe(1);
    // The search goes to the search page with the words typed.
    await main.getByRole('searchbox', { name: 'Search the forum' }).fill('mortalidad');
    await main.getByRole('searchbox', { name: 'Search the forum' }).press('Enter');
    await page.waitForURL(/\/search\?q=mortalidad/);
  });
});
