import type { Locator } from 'playwright-core';
import { AppShell } from './app-shell.js';

/** The home page: what is new and what waits for the person, one card per section. */
export class HomePage extends AppShell {
  async goto(): Promise<void> {
    await this.page.goto('/');
    await this.waitUntilShown();
  }

  async waitUntilShown(): Promise<void> {
    await this.heading(this.t.homeHeading).waitFor();
  }

  /** A section's card, named by its heading (which ends with the count said in full). */
  section(heading: string): Locator {
    return this.page.getByRole('region', { name: new RegExp(`^${heading}`) });
  }

  /** The count a section shows, as a number. */
  async count(heading: string): Promise<number> {
    return Number((await this.section(heading).locator('.count').innerText()).replace(/\D/g, ''));
  }

  item(heading: string, text: string | RegExp): Locator {
    return this.section(heading).getByRole('listitem').filter({ hasText: text });
  }
}
