import { CnAcceptInvitationPage } from './accept-page.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = { 'cn-accept-invitation-page': CnAcceptInvitationPage };
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
