import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute, NavEntry } from '../../app/routing.js';

/** The consultations feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/consultations', access: 'user', title: () => msg('Consultations'), render: () => html`<cn-consultations-page></cn-consultations-page>` },
  { path: '/consultations/new', access: 'publisher', title: () => msg('New consultation'), render: () => html`<cn-consultation-builder></cn-consultation-builder>` },
  { path: '/consultations/:id', access: 'user', title: () => msg('Consultation'), render: ({ id }) => html`<cn-consultation-page .consultationId=${id ?? ''}></cn-consultation-page>` },
  { path: '/consultations/:id/edit', access: 'publisher', title: () => msg('Edit the consultation'), render: ({ id }) => html`<cn-consultation-builder .consultationId=${id ?? ''}></cn-consultation-builder>` },
];

export const navigation: readonly NavEntry[] = [
  { href: '/consultations', label: () => msg('Consultations') },
];
