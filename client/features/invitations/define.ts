import { CnAcceptInvitationPage } from './accept-page.js';

customElements.define('cn-accept-invitation-page', CnAcceptInvitationPage);

declare global {
  interface HTMLElementTagNameMap {
    'cn-accept-invitation-page': CnAcceptInvitationPage;
  }
}
