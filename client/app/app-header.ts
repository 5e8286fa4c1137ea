import { css, html, nothing, type PropertyValues } from 'lit';
import { msg } from '@lit/localize';
import { AppElement } from './base-element.js';
import { navigationFor } from './features.js';
import { currentLocale, LANGUAGE_NAMES, UI_LOCALES, type UiLocale } from './i18n.js';
import { groupsOf, type User } from './models.js';
import { PRODUCT_NAME } from './product.js';
import { baseStyles } from '../ui/styles/shared.styles.js';
import { OutsideClickController } from '../controllers/outside-click-controller.js';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');

/**
 * The banner: group name (or, for a person in several, the switch between them), main navigation, language switch and the account menu (a disclosure
 * button, so it works with Tab, Enter and Escape without a custom widget). The links in both menus
 * are the features' own (client/app/features.ts).
 */
export class CnAppHeader extends AppElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        background: var(--cn-color-primary);
        color: #fff;
      }

      .skip-link {
        position: absolute;
        inset-inline-start: var(--cn-space-3);
        inset-block-start: -4rem;
        z-index: 30;
        padding: var(--cn-space-2) var(--cn-space-4);
        background: var(--cn-color-surface);
        color: var(--cn-color-link);
        font-weight: 600;
        border: 2px solid var(--cn-color-primary);
        border-radius: var(--cn-radius);
      }

      .skip-link:focus {
        inset-block-start: var(--cn-space-3);
        outline-color: var(--cn-color-focus);
      }

      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cn-space-2) var(--cn-space-5);
        max-inline-size: 72rem;
        margin-inline: auto;
        padding: var(--cn-space-2) var(--cn-space-5);
        min-block-size: 4rem;
      }

      :focus-visible {
        outline-color: #fff;
      }

      a {
        color: inherit;
      }

      .brand {
        display: flex;
        align-items: center;
        gap: var(--cn-space-3);
        text-decoration: none;
        min-inline-size: 0;
      }

      .brand:hover {
        color: #fff;
      }

      .logo {
        flex: none;
        inline-size: 2rem;
        block-size: 2rem;
      }

      .brand-text {
        display: grid;
        line-height: 1.2;
        min-inline-size: 0;
      }

      .product {
        font-weight: 700;
        font-size: 1.1rem;
        letter-spacing: 0.01em;
      }

      .group {
        font-size: 0.8125rem;
        opacity: 0.92;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
        max-inline-size: 22rem;
      }

      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-1);
        list-style: none;
        margin: 0;
        padding: 0;
      }

      nav a {
        display: inline-block;
        padding: 0.5rem 0.75rem;
        border-radius: var(--cn-radius);
        text-decoration: none;
        font-weight: 600;
      }

      nav a:hover {
        background: rgb(255 255 255 / 12%);
        color: #fff;
      }

      nav a[aria-current='page'] {
        background: rgb(255 255 255 / 18%);
        box-shadow: inset 0 -3px 0 #fff;
      }

      .tools {
        display: flex;
        align-items: center;
        gap: var(--cn-space-3);
        margin-inline-start: auto;
      }

      .languages {
        display: inline-flex;
        border: 1px solid rgb(255 255 255 / 55%);
        border-radius: var(--cn-radius);
        overflow: hidden;
      }

      .languages button {
        font: inherit;
        font-size: 0.875rem;
        padding: 0.35rem 0.65rem;
        min-block-size: 2.25rem;
        background: transparent;
        color: #fff;
        border: 0;
        cursor: pointer;
      }

      .languages button + button {
        border-inline-start: 1px solid rgb(255 255 255 / 55%);
      }

      .languages button[aria-pressed='true'] {
        background: #fff;
        color: var(--cn-color-primary-strong);
        font-weight: 700;
      }

      .languages button:focus-visible {
        outline-offset: -4px;
        outline-color: var(--cn-color-focus);
      }

      .languages button[aria-pressed='false']:focus-visible {
        outline-color: #fff;
      }

      .account {
        position: relative;
      }

      .account-toggle {
        display: inline-flex;
        align-items: center;
        gap: var(--cn-space-2);
        font: inherit;
        font-weight: 600;
        color: #fff;
        background: transparent;
        border: 1px solid transparent;
        border-radius: var(--cn-radius);
        padding: 0.25rem 0.5rem;
        min-block-size: 2.5rem;
        cursor: pointer;
      }

      .account-toggle:hover,
      .account-toggle[aria-expanded='true'] {
        background: rgb(255 255 255 / 12%);
      }

      .avatar {
        display: inline-grid;
        place-items: center;
        inline-size: 2rem;
        block-size: 2rem;
        border-radius: 50%;
        background: #fff;
        color: var(--cn-color-primary-strong);
        font-size: 0.8125rem;
        font-weight: 700;
      }

      .caret {
        inline-size: 0.75rem;
        block-size: 0.75rem;
        fill: currentColor;
      }

      .menu {
        position: absolute;
        inset-inline-end: 0;
        inset-block-start: calc(100% + 0.4rem);
        z-index: 10;
        min-inline-size: 15rem;
        padding: var(--cn-space-2);
        background: var(--cn-color-surface);
        color: var(--cn-color-text);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        box-shadow: 0 12px 30px rgb(15 30 50 / 20%);
      }

      .menu :focus-visible {
        outline-color: var(--cn-color-focus);
      }

      .menu-identity {
        padding: var(--cn-space-2) var(--cn-space-3) var(--cn-space-3);
        border-block-end: 1px solid var(--cn-color-border);
        margin-block-end: var(--cn-space-2);
        font-size: 0.875rem;
        overflow-wrap: anywhere;
      }

      .menu-identity strong {
        display: block;
        color: var(--cn-color-heading);
      }

      .menu-identity span {
        color: var(--cn-color-muted);
      }

      .menu ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }

      .menu a,
      .menu button {
        display: block;
        inline-size: 100%;
        text-align: start;
        font: inherit;
        padding: 0.55rem var(--cn-space-3);
        border: 0;
        border-radius: var(--cn-radius);
        background: transparent;
        color: var(--cn-color-link);
        text-decoration: none;
        cursor: pointer;
      }

      .menu a:hover,
      .menu button:hover {
        background: var(--cn-color-primary-soft);
        color: var(--cn-color-primary-strong);
      }

      @media (max-width: 640px) {
        header {
          padding: var(--cn-space-2) var(--cn-space-4);
          column-gap: var(--cn-space-3);
        }

        .group {
          max-inline-size: 11rem;
        }

        nav {
          order: 3;
          flex-basis: 100%;
          border-block-start: 1px solid rgb(255 255 255 / 25%);
          padding-block-start: var(--cn-space-1);
        }

        nav a {
          padding-inline: 0.6rem;
        }

        /* Four language names do not fit beside the bell and the account on a phone: the bell and
           the account stay beside the brand, and the switch takes a row of its own under the links. */
        .tools {
          display: contents;
        }

        cn-notification-bell {
          margin-inline-start: auto;
        }

        .languages {
          order: 4;
          flex-basis: 100%;
          display: flex;
          margin-block-end: var(--cn-space-1);
        }

        .languages button {
          flex: 1 1 0;
          padding-inline: 0.25rem;
        }

        .account-name {
          position: absolute;
          inline-size: 1px;
          block-size: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
          white-space: nowrap;
        }
      }
    `,
  ];

  static override properties = {
    path: {},
    menuOpen: { state: true },
  };

  /** The current location's pathname, to mark the current navigation link. */
  declare path: string;
  declare private menuOpen: boolean;

  constructor() {
    super();
    this.path = '';
    this.menuOpen = false;
    new OutsideClickController(this, { isOpen: () => this.menuOpen, inside: () => this.renderRoot.querySelector('.account'), close: () => (this.menuOpen = false) });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('path')) this.menuOpen = false;
  }

  protected override render() {
    const user = this.user;
    // In several groups, the switch names the current one instead of the brand.
    const switchesGroup = groupsOf(user).length > 1;
    return html`
      <header>
        <a class="skip-link" href="#main" @click=${this.skipToMain}>${msg('Skip to main content')}</a>
        <a class="brand" href="/">
          <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="6" fill="#fff" />
            <path d="M21.5 10.2A8 8 0 1 0 21.5 21.8" fill="none" stroke="#0b4f8a" stroke-width="3.2" stroke-linecap="round" />
          </svg>
          <span class="brand-text">
            <span class="product">${PRODUCT_NAME}</span>
            ${user && !switchesGroup ? html`<span class="group">${user.groupName}</span>` : nothing}
          </span>
        </a>
        ${switchesGroup ? html`<cn-group-switcher></cn-group-switcher>` : nothing}
        ${user ? this.renderNav(user) : nothing}
        <div class="tools">
          <div class="languages" role="group" aria-label=${msg('Language')}>
            ${UI_LOCALES.map(
              (locale) => html`
                <button type="button" lang=${locale} aria-pressed=${currentLocale() === locale ? 'true' : 'false'} @click=${() => this.chooseLanguage(locale)}>
                  ${LANGUAGE_NAMES[locale]}
                </button>
              `,
            )}
          </div>
          ${user ? html`<cn-notification-bell .path=${this.path}></cn-notification-bell>` : nothing}
          ${user ? this.renderAccount(user) : nothing}
        </div>
      </header>
    `;
  }

  private renderNav(user: User) {
    const links = navigationFor(user, 'main');
    return html`
      <nav aria-label=${msg('Main')}>
        <ul>
          ${links.map(
            (link) => html`<li><a href=${link.href} aria-current=${this.isCurrent(link.href) ? 'page' : nothing}>${link.label(user)}</a></li>`,
          )}
        </ul>
      </nav>
    `;
  }

  private isCurrent(href: string) {
    if (href === '/') return this.path === '/';
    return this.path === href || this.path.startsWith(`${href}/`);
  }

  private renderAccount(user: User) {
    return html`
      <div class="account" @keydown=${this.onMenuKeydown} @focusout=${this.onMenuFocusOut}>
        <button type="button" class="account-toggle" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="account-menu" @click=${this.toggleMenu}>
          <span class="avatar" aria-hidden="true">${initials(user.displayName)}</span>
          <span class="account-name">${user.displayName}</span>
          <svg class="caret" viewBox="0 0 12 12" aria-hidden="true"><path d="M2 4h8L6 8.5z" /></svg>
        </button>
        <div id="account-menu" class="menu" ?hidden=${!this.menuOpen}>
          <p class="menu-identity"><strong>${user.displayName}</strong><span>${user.email}</span></p>
          <ul>
            ${navigationFor(user, 'account').map((link) => html`<li><a href=${link.href} @click=${this.closeMenu}>${link.label(user)}</a></li>`)}
            <li><button type="button" @click=${this.signOut}>${msg('Sign out')}</button></li>
          </ul>
        </div>
      </div>
    `;
  }

  /** The target lives in the shell's shadow root, out of reach of a fragment link: the shell moves focus. */
  private skipToMain(event: Event) {
    event.preventDefault();
    this.dispatchEvent(new Event('cn-skip-to-main', { bubbles: true, composed: true }));
  }

  private async chooseLanguage(locale: UiLocale) {
    await this.services.setLanguage(locale);
  }

  private toggleMenu() {
    this.menuOpen = !this.menuOpen;
  }

  private closeMenu() {
    this.menuOpen = false;
  }

  private async signOut() {
    this.menuOpen = false;
    await this.services.signOut();
  }

  private onMenuKeydown(event: KeyboardEvent) {
    if (event.key === 'Escape' && this.menuOpen) {
      this.menuOpen = false;
      this.renderRoot.querySelector<HTMLElement>('.account-toggle')?.focus();
    }
  }

  private onMenuFocusOut(event: FocusEvent) {
    const next = event.relatedTarget as Node | null;
    const account = this.renderRoot.querySelector('.account');
    if (next && account && !account.contains(next)) this.menuOpen = false;
  }

}

declare global {
  interface HTMLElementEventMap {
    /** "Skip to the content": the shell moves focus to the page. */
    'cn-skip-to-main': Event;
  }
}
