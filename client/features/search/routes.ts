import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute, NavEntry } from '../../app/routing.js';

/** The search feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/search', access: 'user', title: () => msg('Search debates, documents and meetings'), render: () => html`<cn-search-page .search=${window.location.search}></cn-search-page>` },
];

export const navigation: readonly NavEntry[] = [
  { href: '/search', label: () => msg('Search') },
];
