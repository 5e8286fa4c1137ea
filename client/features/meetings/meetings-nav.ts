import { css, html, nothing } from 'lit';
import { msg } from '@lit/localize';
import type { User } from '../../app/models.js';
import { mayOrganize } from './meetings-format.js';

export type MeetingsSection = 'upcoming' | 'mine' | 'polls' | 'past' | 'calendar' | 'action-items';

/** The meetings pages' own navigation (links, so each view has its address), and "New meeting". */
export function meetingsNav(current: MeetingsSection, user: User | null) {
  const links: Array<{ section: MeetingsSection; href: string; label: string }> = [
    { section: 'upcoming', href: '/meetings', label: msg('Upcoming') },
    { section: 'mine', href: '/meetings/mine', label: msg('My meetings') },
    { section: 'polls', href: '/meetings/polls', label: msg('Date polls') },
    { section: 'past', href: '/meetings/past', label: msg('Past') },
    { section: 'calendar', href: '/meetings/calendar', label: msg('Calendar') },
    { section: 'action-items', href: '/meetings/action-items', label: msg('Action items') },
  ];
  return html`
    <div class="row-between meetings-bar">
      <nav class="sections" aria-label=${msg('Meetings')}>
        <ul>
          ${links.map((link) => html`<li><a href=${link.href} aria-current=${link.section === current ? 'page' : nothing}>${link.label}</a></li>`)}
        </ul>
      </nav>
      ${mayOrganize(user?.role) ? html`<cn-button variant="primary"><a href="/meetings/new">${msg('New meeting')}</a></cn-button>` : nothing}
    </div>
  `;
}

export const meetingsNavStyles = css`
  .meetings-bar {
    margin-block-end: var(--cn-space-4);
  }

  .sections ul {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-1);
    list-style: none;
    margin: 0;
    padding: 0;
    border-block-end: 1px solid var(--cn-color-border);
  }

  .sections a {
    display: inline-block;
    padding: 0.5rem 0.8rem;
    text-decoration: none;
    font-weight: 600;
    color: var(--cn-color-muted);
    border-block-end: 3px solid transparent;
  }

  .sections a:hover {
    color: var(--cn-color-link);
  }

  .sections a[aria-current='page'] {
    color: var(--cn-color-primary-strong);
    border-block-end-color: var(--cn-color-primary);
  }
`;
