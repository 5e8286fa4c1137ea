import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute } from '../../app/routing.js';

/** The setup feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/setup', access: 'setup', instance: true, title: () => msg('Set up Concilia'), render: () => html`<cn-setup-page></cn-setup-page>` },
];
