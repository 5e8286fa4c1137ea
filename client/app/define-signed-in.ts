import { CnConnectionStatus } from '../features/debates/connection-status.js';
import { CnNotificationBell } from '../features/notifications/notification-bell.js';

// The shell's parts only a signed-in person sees: a chunk fetched once someone is signed in
// (client/app/features.ts), so the sign-in page does not carry them.
customElements.define('cn-notification-bell', CnNotificationBell);
customElements.define('cn-connection-status', CnConnectionStatus);

declare global {
  interface HTMLElementTagNameMap {
    'cn-notification-bell': CnNotificationBell;
    'cn-connection-status': CnConnectionStatus;
  }
}
