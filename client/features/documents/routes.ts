import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute, NavEntry } from '../../app/routing.js';

/** The documents feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/documents', access: 'user', title: () => msg('Document library'), render: () => html`<cn-library-page .search=${window.location.search}></cn-library-page>` },
  { path: '/documents/new', access: 'publisher', title: () => msg('Upload a document'), render: () => html`<cn-new-document-page></cn-new-document-page>` },
  { path: '/documents/trash', access: 'admin', title: () => msg('Trash'), render: () => html`<cn-document-trash-page></cn-document-trash-page>` },
  // Public: a document shared with anyone opens without signing in; the page offers to sign in otherwise.
  { path: '/documents/:id', access: 'public', title: () => msg('Document'), render: ({ id }) => html`<cn-document-page .documentId=${id ?? ''}></cn-document-page>` },
];

export const navigation: readonly NavEntry[] = [
  { href: '/documents', label: () => msg('Documents') },
];
