import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute } from '../../app/routing.js';

/** The rounds feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/rounds', access: 'user', title: () => msg('Comment rounds'), render: () => html`<cn-rounds-page .search=${window.location.search}></cn-rounds-page>` },
  { path: '/rounds/new', access: 'publisher', title: () => msg('Open a comment round'), render: () => html`<cn-new-round-page .search=${window.location.search}></cn-new-round-page>` },
  { path: '/rounds/:id', access: 'user', title: () => msg('Comment round'), render: ({ id }) => html`<cn-round-page .roundId=${id ?? ''}></cn-round-page>` },
  { path: '/rounds/:id/matrix', access: 'user', title: () => msg('Comment-resolution matrix'), render: ({ id }) => html`<cn-round-matrix-page .roundId=${id ?? ''}></cn-round-matrix-page>` },
  { path: '/rounds/:id/compare', access: 'user', title: () => msg('Compare versions'), render: ({ id }) => html`<cn-round-compare-page .roundId=${id ?? ''}></cn-round-compare-page>` },
];
