import type { Page } from 'playwright-core';
import { AppShell } from './app-shell.js';

export interface SetupDetails {
  groupName: string;
  displayName: string;
  email: string;
  password: string;
  locale: 'es' | 'en' | 'pt' | 'fr';
  timeZone: string;
}

/** The first-run form that creates the group and its administrator. */
export class SetupPage extends AppShell {
  constructor(page: Page) {
    super(page, 'en');
  }

  async waitUntilShown(): Promise<void> {
    await this.heading(this.t.setupHeading).waitFor();
  }

  async fill(details: SetupDetails): Promise<void> {
    const page = this.page;
    await page.getByRole('textbox', { name: this.t.groupName }).fill(details.groupName);
    await page.getByRole('textbox', { name: this.t.yourName }).fill(details.displayName);
    await page.getByRole('textbox', { name: this.t.email, exact: true }).fill(details.email);
    await page.getByLabel(this.t.password, { exact: true }).fill(details.password);
    await page.getByRole('combobox', { name: this.t.language }).selectOption(details.locale);
    await page.getByRole('combobox', { name: this.t.timeZone }).selectOption(details.timeZone);
  }

  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: this.t.createGroup }).click();
  }
}
