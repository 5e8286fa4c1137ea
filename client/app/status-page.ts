import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from './base-element.js';
import { groupHome, splitGroupPath } from './group-address.js';
import { groupsOf } from './models.js';
import { baseStyles, pageStyles } from '../ui/styles/shared.styles.js';

/** Who a refused page is for, as the refusal says it. */
export type ForbiddenAudience = 'inviters' | 'publishers' | 'admins' | 'instance-admins';

function audienceText(audience: ForbiddenAudience): string {
  switch (audience) {
    case 'inviters':
      return msg('This page is for the administrators and the coordinator of the group.');
    case 'publishers':
      return msg('This page is for the administrators, the coordinator and the secretariat of the group.');
    case 'admins':
      return msg('This page is for the administrators of the group.');
    case 'instance-admins':
      return msg('This page is for the administrators of this Concilia, who create its working groups.');
  }
}

/** What the shell shows for an unknown address, a page the person may not open, or a group they are not in. */
export class CnStatusPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      form.search {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2);
      }

      form.search input {
        flex: 1 1 12rem;
        font: inherit;
        min-block-size: 2.6rem;
        padding: 0.35rem 0.6rem;
        border: 1px solid var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
      }

      ul.ways {
        margin: 0;
        padding-inline-start: var(--cn-space-5);
        display: grid;
        gap: var(--cn-space-2);
      }

      .link-button {
        font: inherit;
        color: var(--cn-color-link);
        text-decoration: underline;
        background: none;
        border: 0;
        padding: 0;
        cursor: pointer;
      }

      .code {
        font-size: 0.875rem;
        font-weight: 700;
        letter-spacing: 0.08em;
        text-transform: uppercase;
        color: var(--cn-color-muted);
      }
    `,
  ];

  static override properties = { kind: {}, audience: {}, group: {} };

  declare kind: 'not-found' | 'forbidden' | 'not-member';
  /** For `forbidden`: who may open the page. */
  declare audience: ForbiddenAudience;
  /** For `not-member`: the slug of the group the address names. */
  declare group: string;

  constructor() {
    super();
    this.kind = 'not-found';
    this.audience = 'inviters';
    this.group = '';
  }

  protected override render() {
    if (this.kind === 'not-member') return this.renderNotMember();
    const forbidden = this.kind === 'forbidden';
    return html`
      <div class="narrow stack">
        <p class="code">${forbidden ? '403' : '404'}</p>
        <h1 tabindex="-1">${forbidden ? msg('You do not have access to this page') : msg('Page not found')}</h1>
        <p>${forbidden ? audienceText(this.audience) : msg('The address may be mistyped, or the page may have moved.')}</p>
        ${this.user ? this.renderWaysOn() : html`<p><a href="/login">${msg('Go to the sign-in page')}</a></p>`}
      </div>
    `;
  }

  /** An address of a group the person is not in (or that does not exist): the groups they are in instead. */
  private renderNotMember() {
    const groups = groupsOf(this.user);
    return html`
      <div class="narrow stack">
        <p class="code">403</p>
        <h1 tabindex="-1">${msg('You are not a member of this group')}</h1>
        <p>${msg(str`The address names the group “${this.group}”, which you do not belong to, or which does not exist. Someone who administers it can invite you.`)}</p>
        ${groups.length
          ? html`
              <h2>${msg('Your groups')}</h2>
              <ul class="ways">
                ${groups.map((group) => html`<li><a href=${groupHome(group.slug)}>${group.name}</a></li>`)}
              </ul>
            `
          : this.user
            ? html`<p><a href="/">${msg('Home page')}</a></p>`
            : html`<p><a href="/login">${msg('Go to the sign-in page')}</a></p>`}
      </div>
    `;
  }

  /** Where to go from here: home, back, a search, and the list of the section the address was in. */
  private renderWaysOn() {
    const section = sectionOf(splitGroupPath(window.location.pathname).path);
    return html`
      <form class="search" role="search" aria-label=${msg('Search the forum')} @submit=${this.search}>
        <input type="search" name="q" aria-label=${msg('Search the forum')} placeholder=${msg('Words to find')} autocomplete="off" maxlength="200" />
        <cn-button variant="primary"><button type="submit">${msg('Search')}</button></cn-button>
      </form>
      <ul class="ways">
        <li><a href="/">${msg('Home page')}</a></li>
        ${section ? html`<li><a href=${section.href}>${section.label()}</a></li>` : nothing}
        ${window.history.length > 1
          ? html`<li><button type="button" class="link-button" @click=${() => window.history.back()}>${msg('Go back')}</button></li>`
          : nothing}
      </ul>
    `;
  }

  private search(event: SubmitEvent) {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget as HTMLFormElement).get('q') ?? '').trim();
    this.services.navigate(q ? `/search?${new URLSearchParams({ q })}` : '/search');
  }
}

/** The list a mistyped or refused address most likely belonged to, by its first segment. */
function sectionOf(path: string): { href: string; label: () => string } | null {
  const first = path.split('/')[1] ?? '';
  switch (first) {
    case 'debates':
      return { href: '/debates', label: () => msg('All debates') };
    case 'documents':
      return { href: '/documents', label: () => msg('Document library') };
    case 'meetings':
      return { href: '/meetings', label: () => msg('All meetings') };
    case 'people':
    case 'directory':
    case 'admin':
      return { href: '/directory', label: () => msg('Member directory') };
    case 'notifications':
      return { href: '/notifications', label: () => msg('Notifications') };
    default:
      return null;
  }
}
