import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute, NavEntry } from '../../app/routing.js';

/** The home feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/', access: 'home', title: () => msg('Home'), render: () => html`<cn-home-page></cn-home-page>` },
];

export const navigation: readonly NavEntry[] = [
  { href: '/', label: () => msg('Home') },
];
