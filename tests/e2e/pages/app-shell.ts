import type { Locator, Page } from 'playwright-core';
import { UI, type Language } from './strings.js';

/** How the language switch and the profile's language field name each interface language. */
export const LANGUAGE_NAMES = ['Español', 'English', 'Português', 'Français'] as const;
export type LanguageName = (typeof LANGUAGE_NAMES)[number];

/** The header every page shares: navigation, language switch and account menu. */
export class AppShell {
  constructor(
    readonly page: Page,
    readonly language: Language = 'en',
  ) {}

  get t() {
    return UI[this.language];
  }

  banner(): Locator {
    return this.page.getByRole('banner');
  }

  navLink(name: string): Locator {
    return this.page.getByRole('navigation').getByRole('link', { name, exact: true });
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { level: 1, name, exact: true });
  }

  /** The language switch in the header: one toggle button per interface language. */
  languageSwitch(): Locator {
    return this.page.getByRole('group', { name: this.t.language, exact: true });
  }

  /** The language switch names each language in that language, so "English" works from any language. */
  async switchLanguage(name: LanguageName): Promise<void> {
    await this.languageSwitch().getByRole('button', { name, exact: true }).click();
  }

  async signOut(displayName: string): Promise<void> {
    await this.page.getByRole('button', { name: displayName, exact: true }).click();
    await this.page.getByRole('button', { name: this.t.signOut, exact: true }).click();
  }
}
