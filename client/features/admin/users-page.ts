import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import type { CnInviteDialog } from './invite-dialog.js';
import type { CnInvitationsPanel } from './invitations-panel.js';

/**
 * Administration of the group. Administrators see the users and the invitations; the
 * coordinator, who may invite but not manage accounts, sees the invitations only.
 */
export class CnAdminUsersPage extends AppElement {
  static override styles = [baseStyles, pageStyles];

  protected override render() {
    const isAdmin = this.user?.role === 'admin';
    return html`
      <div class="page-header">
        <div class="row-between">
          <h1 tabindex="-1">${isAdmin ? msg('Users and invitations') : msg('Invitations')}</h1>
          <div class="row">
            ${isAdmin ? html`<a href="/admin/audit">${msg('Audit log')}</a>` : nothing}
            <cn-button variant="primary"><button type="button" @click=${this.openInvite}>${msg('Invite someone')}</button></cn-button>
          </div>
        </div>
        <p class="lead">
          ${isAdmin
            ? msg('Invite participants, change their roles, and deactivate the accounts of people who left the group.')
            : msg('Invite participants and follow the invitations that are waiting for an answer.')}
        </p>
      </div>
      <div class="stack-lg">
        ${isAdmin ? html`<cn-users-panel></cn-users-panel>` : nothing}
        <cn-invitations-panel></cn-invitations-panel>
      </div>
      <cn-invite-dialog @cn-invitation-created=${this.onInvitationCreated}></cn-invite-dialog>
    `;
  }

  private openInvite() {
    this.renderRoot.querySelector<CnInviteDialog>('cn-invite-dialog')?.show();
  }

  private onInvitationCreated() {
    this.renderRoot.querySelector<CnInvitationsPanel>('cn-invitations-panel')?.refresh();
  }
}
