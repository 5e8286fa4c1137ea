import type { Locator } from 'playwright-core';
import { AppShell } from './app-shell.js';

export class LoginPage extends AppShell {
  async goto(): Promise<void> {
    await this.page.goto('/login');
    await this.waitUntilShown();
  }

  async waitUntilShown(): Promise<void> {
    await this.heading(this.t.signInHeading).waitFor();
  }

  email(): Locator {
    return this.page.getByRole('textbox', { name: this.t.email, exact: true });
  }

  password(): Locator {
    return this.page.getByLabel(this.t.password, { exact: true });
  }

  alert(): Locator {
    return this.page.getByRole('alert');
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email().fill(email);
    await this.password().fill(password);
    await this.page.getByRole('button', { name: this.t.signIn, exact: true }).click();
  }
}
