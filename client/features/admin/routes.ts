import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute, NavEntry } from '../../app/routing.js';

/** The admin feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  {
    path: '/admin/users',
    access: 'inviter',
    title: (user) => (user?.role === 'admin' ? msg('Users and invitations') : msg('Invitations')),
    render: () => html`<cn-admin-users-page></cn-admin-users-page>`,
  },
  { path: '/admin/audit', access: 'admin', title: () => msg('Audit log'), render: () => html`<cn-audit-page></cn-audit-page>` },
];

export const navigation: readonly NavEntry[] = [
  {
    href: '/admin/users',
    label: (user) => (user.role === 'admin' ? msg('Users') : msg('Invitations')),
    shows: (user) => user.role === 'admin' || user.role === 'coordinator',
  },
];
