import { CnAuditPage } from './audit-page.js';
import { CnInvitationsPanel } from './invitations-panel.js';
import { CnInviteDialog } from './invite-dialog.js';
import { CnAdminUsersPage } from './users-page.js';
import { CnUsersPanel } from './users-panel.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = {
  'cn-admin-users-page': CnAdminUsersPage,
  'cn-audit-page': CnAuditPage,
  'cn-users-panel': CnUsersPanel,
  'cn-invitations-panel': CnInvitationsPanel,
  'cn-invite-dialog': CnInviteDialog,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
