import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute, NavEntry } from '../../app/routing.js';

/** The mail feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/mail/preferences', access: 'user', title: () => msg('E-mail preferences'), render: () => html`<cn-mail-preferences-page></cn-mail-preferences-page>` },
  { path: '/mail/outbox', access: 'admin', title: () => msg('Outgoing e-mail'), render: () => html`<cn-mail-outbox-page></cn-mail-outbox-page>` },
];

export const navigation: readonly NavEntry[] = [
  { href: '/mail/preferences', label: () => msg('E-mail preferences'), menu: 'account' },
  { href: '/mail/outbox', label: () => msg('Outgoing e-mail'), menu: 'account', shows: (user) => user.role === 'admin' },
];
