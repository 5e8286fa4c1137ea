import { CnAuditPage } from './audit-page.js';
import { CnInvitationsPanel } from './invitations-panel.js';
import { CnInviteDialog } from './invite-dialog.js';
import { CnAdminUsersPage } from './users-page.js';
import { CnUsersPanel } from './users-panel.js';

customElements.define('cn-admin-users-page', CnAdminUsersPage);
customElements.define('cn-audit-page', CnAuditPage);
customElements.define('cn-users-panel', CnUsersPanel);
customElements.define('cn-invitations-panel', CnInvitationsPanel);
customElements.define('cn-invite-dialog', CnInviteDialog);

declare global {
  interface HTMLElementTagNameMap {
    'cn-admin-users-page': CnAdminUsersPage;
    'cn-audit-page': CnAuditPage;
    'cn-users-panel': CnUsersPanel;
    'cn-invitations-panel': CnInvitationsPanel;
    'cn-invite-dialog': CnInviteDialog;
  }
}
