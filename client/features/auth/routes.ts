import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute } from '../../app/routing.js';

/** The auth feature's pages as the shell routes them (this feature's pages are in the entry: client/main.ts); listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/login', access: 'guest', instance: true, title: () => msg('Sign in'), render: () => html`<cn-login-page></cn-login-page>` },
  { path: '/forgot-password', access: 'guest', instance: true, title: () => msg('Forgot your password?'), render: () => html`<cn-forgot-password-page></cn-forgot-password-page>` },
  {
    path: '/confirm-email/:token',
    access: 'public',
    instance: true,
    title: () => msg('Confirm your new e-mail address'),
    render: ({ token }) => html`<cn-confirm-email-page .token=${token ?? ''}></cn-confirm-email-page>`,
  },
  {
    path: '/reset-password/:token',
    access: 'public',
    instance: true,
    title: () => msg('Choose a new password'),
    render: ({ token }) => html`<cn-reset-password-page .token=${token ?? ''}></cn-reset-password-page>`,
  },
];
