import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute, NavEntry } from '../../app/routing.js';

/** The discrepancies feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/discrepancies', access: 'user', title: () => msg('Discrepancies'), render: () => html`<cn-discrepancy-matrix-page .search=${window.location.search}></cn-discrepancy-matrix-page>` },
  { path: '/discrepancies/cases', access: 'user', title: () => msg('Discrepancy cases'), render: () => html`<cn-discrepancy-cases-page .search=${window.location.search}></cn-discrepancy-cases-page>` },
  { path: '/discrepancies/cases/:id', access: 'user', title: () => msg('Discrepancy case'), render: ({ id }) => html`<cn-discrepancy-case-page .caseId=${id ?? ''}></cn-discrepancy-case-page>` },
  { path: '/discrepancies/import', access: 'user', title: () => msg('Import values'), render: () => html`<cn-discrepancy-import-page></cn-discrepancy-import-page>` },
];

export const navigation: readonly NavEntry[] = [
  { href: '/discrepancies', label: () => msg('Discrepancies') },
];
