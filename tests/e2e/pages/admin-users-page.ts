import { AppShell } from './app-shell.js';

export interface InvitationDetails {
  email: string;
  /** The role's label as the role select shows it, e.g. "Member". */
  roleLabel: string;
  /** The country's name as the country select shows it, e.g. "Chile". */
  country: string;
}

/** Users and invitations, as an administrator sees them. */
export class AdminUsersPage extends AppShell {
  async open(): Promise<void> {
    await this.navLink(this.t.usersNav).click();
    await this.heading(this.t.adminHeading).waitFor();
  }

  /** Invites someone and returns the acceptance link the dialog shows. */
  async invite(details: InvitationDetails): Promise<string> {
    const page = this.page;
    await page.getByRole('button', { name: this.t.inviteSomeone, exact: true }).click();
    await page.getByRole('dialog', { name: this.t.inviteSomeone }).waitFor();
    // The dialog's controls are slotted into <cn-dialog>, so in the DOM they are not inside the
    // <dialog> element (they are in the accessibility tree): scope by the component instead,
    // since the page behind the modal has its own "Role" filter.
    const dialog = page.locator('cn-invite-dialog');
    await dialog.getByRole('textbox', { name: this.t.email, exact: true }).fill(details.email);
    await dialog.getByRole('combobox', { name: this.t.role, exact: true }).selectOption({ label: details.roleLabel });
    await dialog.getByRole('combobox', { name: this.t.country, exact: true }).selectOption({ label: details.country });
    await dialog.getByRole('button', { name: this.t.createInvitation, exact: true }).click();
    const link = dialog.getByRole('textbox', { name: this.t.acceptanceLink });
    await link.waitFor();
    const url = await link.inputValue();
    await dialog.getByRole('button', { name: this.t.done, exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    return url;
  }
}
