import { afterAll, beforeAll, expect, it } from 'vitest';
import * as fixtures from '../fixtures/xss-payloads.js';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { ThreadPage } from './pages/debates-pages.js';
import { addMember, call, createCategory, setUp, signIn, type Person } from './scenario.js';

/** The payload list, whatever the fixture module names its export. */
const PAYLOADS: readonly string[] = (Object.values(fixtures).find((value) => Array.isArray(value)) as string[] | undefined) ?? [];

const ADMIN = { displayName: 'Ana Admin', email: 'ana@cepal.org', password: 'ana-password-1' };
const TITLE = 'Hostile markup <img src=x onerror="window.__xss=1">';

/** Only these schemes may survive in a rendered post (relative links resolve to http:). */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

describeInBrowser('hostile posts', () => {
  let h: Harness;
  let author: Person;
  let threadId = '';

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    const category = await createCategory(h, admin, { slug: 'hostile-markup', nameEn: 'Hostile markup', nameEs: 'Marcado hostil' });
    author = await addMember(h, admin, { displayName: 'Mallory <b>Bold</b>', email: 'mallory@ine.cl', password: 'mallory-password-1', countryId: 'cl' });
    const created = await call<{ thread: { id: string }; post: { id: string } }>(
      h,
      'POST',
      '/api/threads',
      { categoryId: category.id, title: TITLE, body: PAYLOADS[0], tags: ['<script>x</script>'] },
      author.cookie,
    );
    threadId = created.thread.id;
    for (const payload of PAYLOADS.slice(1)) {
      await call(h, 'POST', `/api/threads/${threadId}/posts`, { body: payload, parentId: created.post.id }, author.cookie);
    }
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('renders every payload inert', async () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(50);
    const context = await h.newContext({ viewport: { width: 1280, height: 900 } });
    await signIn(h, context, author);
    const page = h.watch(await context.newPage());
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // A popup or a navigation away would also be an execution.
    const popups: string[] = [];
    context.on('page', (popup) => popups.push(popup.url()));

    await page.goto(`/debates/t/${threadId}`);
    const thread = new ThreadPage(page);
    await thread.waitUntilShown(TITLE);
    // Every post, through the "load more" pages.
    const more = page.getByRole('button', { name: 'Load more posts' });
    while (await more.isVisible()) {
      await more.click();
      await page.waitForTimeout(300);
    }
    await expect.poll(() => thread.posts().count(), { timeout: 10_000 }).toBe(PAYLOADS.length);

    // Nothing dangerous survived in the rendered posts.
    const survivors = await page.evaluate(() => {
      const host = document.querySelector('cn-app')?.shadowRoot?.querySelector('cn-thread-page')?.shadowRoot;
      const bodies = [...(host?.querySelectorAll('.post-body') ?? [])];
      const found: string[] = [];
      for (const body of bodies) {
        for (const element of body.querySelectorAll('*')) {
          if (/^(script|iframe|object|embed|style|link|meta|base|form|svg|math|template)$/i.test(element.localName)) found.push(`<${element.localName}>`);
          // A task list's checkbox is the one input a post may show, and it cannot be changed.
          if (element.localName === 'input' && !((element as HTMLInputElement).type === 'checkbox' && (element as HTMLInputElement).disabled)) found.push(`input[type=${(element as HTMLInputElement).type}]`);
          if (element.localName === 'label' && element.attributes.length > 0) found.push('label with attributes');
          for (const attribute of element.attributes) {
            if (/^on/i.test(attribute.name) || attribute.name === 'style' || attribute.name === 'srcdoc' || attribute.name === 'formaction') found.push(`${element.localName}[${attribute.name}]`);
            if (/^(href|src|xlink:href|action)$/i.test(attribute.name) && /^\s*(javascript|vbscript|data):/i.test(attribute.value) && !(attribute.name === 'src' && /^data:image\/(png|gif|jpe?g|webp);/i.test(attribute.value))) {
              found.push(`${element.localName}[${attribute.name}=${attribute.value}]`);
            }
          }
        }
      }
      return found;
    });
    expect(survivors).toEqual([]);

    // Every link in the posts has a harmless scheme; click those that are not plain web links.
    const links = page.locator('cn-thread-page .post-body a');
    const count = await links.count();
    const unsafe: string[] = [];
    for (let i = 0; i < count; i++) {
      const link = links.nth(i);
      const href = await link.getAttribute('href');
      if (href === null) continue; // the sanitizer dropped the address: an inert anchor
      // The scheme as the browser parsed it (entities, case and spaces resolved).
      const protocol = await link.evaluate((a) => (a as HTMLAnchorElement).protocol);
      if (!SAFE_PROTOCOLS.has(protocol)) {
        await link.click().catch(() => undefined);
        unsafe.push(`${protocol} ${href}`);
      }
    }

    expect(unsafe).toEqual([]);

    // Hover and click over every post body (mouseover/click handlers, if any survived).
    const bodies = page.locator('cn-thread-page .post-body');
    for (let i = 0; i < (await bodies.count()); i++) {
      await bodies.nth(i).hover({ timeout: 2000 }).catch(() => undefined);
    }
    await page.waitForTimeout(500);

    expect(dialogs).toEqual([]);
    expect(popups).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    // The strict CSP may have refused something the sanitizer let through: tolerated only
    // because nothing ran (checked above); any other problem fails.
    const cspReports = h.problems.filter((problem) => /Content.Security.Policy/i.test(problem));
    if (cspReports.length > 0) console.warn(`CSP refused ${cspReports.length} thing(s):\n${cspReports.join('\n')}`);
    expect(h.problems.filter((problem) => !/Content.Security.Policy/i.test(problem))).toEqual([]);
    expect(new URL(page.url()).pathname).toBe(`/debates/t/${threadId}`);
  }, 120_000);
});
