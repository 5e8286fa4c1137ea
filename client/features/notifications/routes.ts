import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute } from '../../app/routing.js';

/** The notifications feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/notifications', access: 'user', title: () => msg('Notifications'), render: () => html`<cn-notifications-page></cn-notifications-page>` },
];
