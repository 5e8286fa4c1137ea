import { CnConnectionStatus } from './connection-status.js';
import { CnGroupSwitcher } from './group-switcher.js';
import { CnNotificationBell } from '../features/notifications/public.js';
import { defineElements, type ElementsOf } from '../ui/define-elements.js';

// The shell's parts only a signed-in person sees: a chunk fetched once someone is signed in
// (client/app/features.ts), so the sign-in page does not carry them.
const ELEMENTS = {
  'cn-notification-bell': CnNotificationBell,
  'cn-connection-status': CnConnectionStatus,
  'cn-group-switcher': CnGroupSwitcher,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
