import { AppShell } from './app-shell.js';

export interface AcceptDetails {
  displayName: string;
  password: string;
  locale: 'es' | 'en' | 'pt' | 'fr';
  timeZone: string;
}

/** The page an invitation link opens. */
export class AcceptInvitationPage extends AppShell {
  async goto(url: string, groupName: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('heading', { level: 1, name: `${this.t.joinPrefix}${groupName}`, exact: true }).waitFor();
  }

  async accept(details: AcceptDetails): Promise<void> {
    const page = this.page;
    await page.getByRole('textbox', { name: this.t.yourName }).fill(details.displayName);
    await page.getByLabel(this.t.password, { exact: true }).fill(details.password);
    await page.getByRole('combobox', { name: this.t.language }).selectOption(details.locale);
    await page.getByRole('combobox', { name: this.t.timeZone }).selectOption(details.timeZone);
    await page.getByRole('button', { name: this.t.acceptAndJoin }).click();
  }
}
