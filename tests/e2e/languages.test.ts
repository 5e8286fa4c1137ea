import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInBrowser, startHarness, type Harness } from './harness.js';
import { LANGUAGE_NAMES } from './pages/app-shell.js';
import { DebatesListPage } from './pages/debates-pages.js';
import { LoginPage } from './pages/login-page.js';
import { addMember, call, createCategory, setUp, signIn, type Person } from './scenario.js';

const ADMIN = { displayName: 'Ana Administradora', email: 'ana.admin@cepal.org', password: 'una-clave-larga-1' };
const BRAZIL = { displayName: 'Paulo Nascimento', email: 'paulo.nascimento@ibge.gov.br', password: 'senha-do-paulo-1', countryId: 'br', locale: 'pt' as const, timeZone: 'America/Sao_Paulo' };
/** Content is stored in Spanish and English only: Portuguese readers get the Spanish, French readers the English. */
const CATEGORY = { slug: 'poverty', nameEs: 'Pobreza y hambre', nameEn: 'Poverty and hunger' };
const TITLE = 'Cobertura do registro civil em 2024';
/** Chrome logs this 401 answer as an error; here it is expected (a wrong password). */
const SIGNED_OUT = [{ status: 401, path: '/api/auth/login' }];

const storedLocale = async (page: Page) => (await page.evaluate(async () => (await (await fetch('/api/me')).json()) as { user: { locale: string } })).user.locale;

describeInBrowser('interface languages', () => {
  let h: Harness;
  let brazil: Person;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await setUp(h, ADMIN);
    const category = await createCategory(h, admin, CATEGORY);
    brazil = await addMember(h, admin, BRAZIL);
    await call(h, 'POST', '/api/threads', { categoryId: category.id, title: TITLE, body: 'Como cada instituto mede a cobertura?' }, brazil.cookie);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('a profile in Portuguese gets the interface in Portuguese over an English browser, switches to French, keeps it, and saves a language from the profile', async () => {
    const context = await h.newContext({ viewport: { width: 1280, height: 900 } }); // the browser says en-US
    await signIn(h, context, brazil);
    const page = h.watch(await context.newPage());

    // Portuguese, from the profile: header, navigation and the debates page.
    const pt = new DebatesListPage(page, 'pt');
    await page.goto('/debates');
    await pt.waitUntilShown();
    expect(await page.getAttribute('html', 'lang')).toBe('pt');
    for (const name of [pt.t.debatesNav, pt.t.documentsNav, pt.t.directoryNav, pt.t.search]) await pt.navLink(name).waitFor();
    await page.getByRole('link', { name: pt.t.skipLink }).waitFor({ state: 'attached' });
    expect(await pt.languageSwitch().getByRole('button').allInnerTexts()).toEqual([...LANGUAGE_NAMES]);
    expect(await pt.languageSwitch().getByRole('button', { name: 'Português' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('link', { name: pt.t.startDebate, exact: true }).waitFor();
    const thread = pt.thread(TITLE);
    await thread.getByText(`Iniciado por ${BRAZIL.displayName}`).waitFor();
    // Brazilian Portuguese counts 0 as singular (CLDR), as the plural helper does.
    await thread.getByText('0 resposta', { exact: true }).waitFor();
    await thread.getByText('Brasil', { exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Categorias' }).getByText(CATEGORY.nameEs).waitFor();
    await page.getByRole('textbox', { name: 'Etiqueta' }).waitFor();

    // French from the switch: everything changes at once, and the profile keeps it.
    await pt.switchLanguage('Français');
    const fr = new DebatesListPage(page, 'fr');
    await fr.waitUntilShown();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    for (const name of [fr.t.debatesNav, fr.t.documentsNav, fr.t.directoryNav, fr.t.search]) await fr.navLink(name).waitFor();
    expect(await fr.languageSwitch().getByRole('button', { name: 'Français' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('link', { name: fr.t.startDebate, exact: true }).waitFor();
    await fr.thread(TITLE).getByText(`Lancé par ${BRAZIL.displayName}`).waitFor();
    await fr.thread(TITLE).getByText('Brazil', { exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Catégories' }).getByText(CATEGORY.nameEn).waitFor();
    await page.getByRole('textbox', { name: 'Mot-clé' }).waitFor();
    await expect.poll(() => storedLocale(page)).toBe('fr');

    // A reload keeps French, from this browser and, once the browser forgets, from the profile.
    await page.reload();
    await fr.waitUntilShown();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.evaluate(() => window.localStorage.clear());
    await page.reload();
    await fr.waitUntilShown();
    await fr.navLink(fr.t.directoryNav).waitFor();
    expect(await page.title()).toContain('Débats');

    // The profile's language field offers the four languages and saves the choice.
    await page.goto('/profile');
    await fr.heading(fr.t.profileHeading).waitFor();
    const field = page.getByRole('combobox', { name: fr.t.language, exact: true });
    expect(await field.inputValue()).toBe('fr');
    expect(await field.getByRole('option').allInnerTexts()).toEqual([...LANGUAGE_NAMES]);
    await field.selectOption({ label: 'Português' });
    await page.getByRole('button', { name: fr.t.saveProfile, exact: true }).click();
    await pt.heading(pt.t.profileHeading).waitFor();
    await page.getByText('Seu perfil foi salvo.').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('pt');
    expect(await storedLocale(page)).toBe('pt');

    expect(h.problems).toEqual([]);
  }, 60_000);

  it('a visitor whose browser speaks Portuguese of Portugal or the French of Haiti gets the sign-in page in that language', async () => {
    for (const [browserLocale, language] of [
      ['pt-PT', 'pt'],
      ['fr-HT', 'fr'],
    ] as const) {
      const context = await h.newContext({ locale: browserLocale });
      const page = h.watch(await context.newPage(), { expectedStatuses: SIGNED_OUT });
      const login = new LoginPage(page, language);
      await login.goto();
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      await login.signIn(BRAZIL.email, 'not-the-password');
      await login.alert().getByText(login.t.wrongCredentials).waitFor();
      await context.close();
    }
    expect(h.problems).toEqual([]);
  }, 60_000);
});
