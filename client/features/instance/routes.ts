import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute, NavEntry } from '../../app/routing.js';

/** The instance feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  {
    path: '/instance/groups',
    access: 'instance-admin',
    instance: true,
    title: () => msg('Working groups of this Concilia'),
    render: () => html`<cn-instance-groups-page></cn-instance-groups-page>`,
  },
];

export const navigation: readonly NavEntry[] = [
  { href: '/instance/groups', label: () => msg('Working groups of this Concilia'), menu: 'account', shows: (user) => user.instanceAdmin === true },
];
