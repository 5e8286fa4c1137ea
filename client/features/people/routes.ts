import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute, NavEntry } from '../../app/routing.js';

/** The people feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/profile', access: 'user', title: () => msg('Your profile'), render: () => html`<cn-profile-page></cn-profile-page>` },
  { path: '/directory', access: 'user', title: () => msg('Member directory'), render: () => html`<cn-directory-page></cn-directory-page>` },
  { path: '/people/:id', access: 'user', title: () => msg('Participant'), render: ({ id }) => html`<cn-person-page .personId=${id ?? ''}></cn-person-page>` },
];

export const navigation: readonly NavEntry[] = [
  { href: '/directory', label: () => msg('Directory') },
  { href: '/profile', label: () => msg('Your profile'), menu: 'account' },
];
