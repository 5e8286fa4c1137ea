import type { Locator } from 'playwright-core';
import { AppShell } from './app-shell.js';

/** The member directory. */
export class DirectoryPage extends AppShell {
  async waitUntilShown(): Promise<void> {
    await this.heading(this.t.directoryHeading).waitFor();
  }

  /** A country's delegation card, named by the country as the current language writes it. */
  delegation(countryName: string): Locator {
    return this.page.getByRole('article', { name: countryName, exact: true });
  }

  personLink(card: Locator, displayName: string): Locator {
    return card.getByRole('link', { name: displayName, exact: true });
  }
}
