import { html } from 'lit';
import { msg } from '@lit/localize';
import type { AppRoute, NavEntry } from '../../app/routing.js';

/** The meetings feature's pages as the shell routes them; listed in client/app/features.ts. Eager: no page code here. */
export const routes: readonly AppRoute[] = [
  { path: '/meetings', access: 'user', title: () => msg('Meetings'), render: () => html`<cn-meetings-page view="upcoming" .search=${window.location.search}></cn-meetings-page>` },
  { path: '/meetings/mine', access: 'user', title: () => msg('My meetings'), render: () => html`<cn-meetings-page view="mine" .search=${window.location.search}></cn-meetings-page>` },
  { path: '/meetings/polls', access: 'user', title: () => msg('Date polls'), render: () => html`<cn-meetings-page view="polls" .search=${window.location.search}></cn-meetings-page>` },
  { path: '/meetings/past', access: 'user', title: () => msg('Past meetings'), render: () => html`<cn-meetings-page view="past" .search=${window.location.search}></cn-meetings-page>` },
  { path: '/meetings/calendar', access: 'user', title: () => msg('Meetings calendar'), render: () => html`<cn-meetings-calendar-page .search=${window.location.search}></cn-meetings-calendar-page>` },
  // Creating and editing: the coordinator and administrators, the secretariat for workshops (the server decides per kind).
  { path: '/meetings/new', access: 'publisher', title: () => msg('New meeting'), render: () => html`<cn-meeting-form-page .search=${window.location.search}></cn-meeting-form-page>` },
  { path: '/meetings/action-items', access: 'user', title: () => msg('Action items'), render: () => html`<cn-action-items-page .search=${window.location.search}></cn-action-items-page>` },
  { path: '/meetings/:id', access: 'user', title: () => msg('Meeting'), render: ({ id }) => html`<cn-meeting-page .meetingId=${id ?? ''} .search=${window.location.search}></cn-meeting-page>` },
  { path: '/meetings/:id/minutes', access: 'user', title: () => msg('Minutes', { desc: 'Type of document: the record of a meeting' }), render: ({ id }) => html`<cn-minutes-page .meetingId=${id ?? ''} .search=${window.location.search}></cn-minutes-page>` },
  { path: '/meetings/:id/edit', access: 'publisher', title: () => msg('Edit the meeting'), render: ({ id }) => html`<cn-meeting-form-page .meetingId=${id ?? ''}></cn-meeting-form-page>` },
];

export const navigation: readonly NavEntry[] = [
  { href: '/meetings', label: () => msg('Meetings') },
];
