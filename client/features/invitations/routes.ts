import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute } from '../../app/routing.js';

/** The invitations feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  {
    path: '/invitation/:token',
    access: 'public',
    instance: true,
    title: () => msg('Invitation'),
    render: ({ token }) => html`<cn-accept-invitation-page .token=${token ?? ''}></cn-accept-invitation-page>`,
  },
];
