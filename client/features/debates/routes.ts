import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute, NavEntry } from '../../app/routing.js';

/** The debates feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/debates', access: 'user', title: () => msg('Debates'), render: () => html`<cn-debates-page .search=${window.location.search}></cn-debates-page>` },
  {
    path: '/debates/c/:slug',
    access: 'user',
    title: () => msg('Debates'),
    render: ({ slug }) => html`<cn-debates-page .categorySlug=${slug ?? ''} .search=${window.location.search}></cn-debates-page>`,
  },
  { path: '/debates/new', access: 'user', title: () => msg('Start a debate'), render: () => html`<cn-new-thread-page .search=${window.location.search}></cn-new-thread-page>` },
  { path: '/debates/t/:id', access: 'user', title: () => msg('Debate'), render: ({ id }) => html`<cn-thread-page .threadId=${id ?? ''} .hash=${window.location.hash}></cn-thread-page>` },
];

export const navigation: readonly NavEntry[] = [
  { href: '/debates', label: () => msg('Debates') },
];
