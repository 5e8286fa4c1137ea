import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute, NavEntry } from '../../app/routing.js';

/** The indicator catalogue's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/indicators', access: 'user', title: () => msg('Indicator catalogue'), render: () => html`<cn-indicator-catalogue-page .search=${window.location.search}></cn-indicator-catalogue-page>` },
  {
    path: '/indicators/:versionId/:code',
    access: 'user',
    title: () => msg('Indicator'),
    render: ({ versionId, code }) => html`<cn-indicator-hub-page .versionId=${versionId ?? ''} .code=${code ?? ''}></cn-indicator-hub-page>`,
  },
];

export const navigation: readonly NavEntry[] = [{ href: '/indicators', label: () => msg('Indicators') }];
