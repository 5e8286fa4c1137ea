import { css, html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { AppElement } from './base-element.js';
import { roleLabel } from './format.js';
import { groupHome } from './group-address.js';
import { groupsOf } from './models.js';
import { baseStyles } from '../ui/styles/shared.styles.js';
import { OutsideClickController } from '../controllers/outside-click-controller.js';

/**
 * The header's working-group switch, for a person in more than one group: a disclosure button
 * naming the current group, opening the list of their groups as plain links to each group's home
 * (`/g/<slug>/`). Links rather than a select: choosing with the arrow keys must not leave the
 * page, and a link opens in a new tab as any other. Escape, a click or focus elsewhere close it.
 */
export class CnGroupSwitcher extends AppElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-block;
        position: relative;
        min-inline-size: 0;
      }

      .toggle {
        display: inline-flex;
        align-items: center;
        gap: var(--cn-space-2);
        max-inline-size: 22rem;
        font: inherit;
        font-size: 0.875rem;
        font-weight: 600;
        color: #fff;
        background: transparent;
        border: 1px solid rgb(255 255 255 / 55%);
        border-radius: var(--cn-radius);
        padding: 0.3rem 0.6rem;
        min-block-size: 2.25rem;
        cursor: pointer;
      }

      .toggle:hover,
      .toggle[aria-expanded='true'] {
        background: rgb(255 255 255 / 12%);
      }

      .toggle:focus-visible {
        outline-color: #fff;
      }

      .name {
        overflow: hidden;
        white-space: nowrap;
        text-overflow: ellipsis;
      }

      .caret {
        flex: none;
        inline-size: 0.75rem;
        block-size: 0.75rem;
        fill: currentColor;
      }

      .menu {
        position: absolute;
        inset-inline-start: 0;
        inset-block-start: calc(100% + 0.4rem);
        z-index: 10;
        min-inline-size: 16rem;
        max-inline-size: min(24rem, calc(100vw - 2rem));
        padding: var(--cn-space-2);
        background: var(--cn-color-surface);
        color: var(--cn-color-text);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        box-shadow: 0 12px 30px rgb(15 30 50 / 20%);
      }

      .menu-title {
        margin: 0;
        padding: var(--cn-space-1) var(--cn-space-3) var(--cn-space-2);
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
      }

      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }

      a {
        display: grid;
        padding: 0.5rem var(--cn-space-3);
        border-radius: var(--cn-radius);
        color: var(--cn-color-link);
        text-decoration: none;
        overflow-wrap: anywhere;
      }

      a:hover {
        background: var(--cn-color-primary-soft);
        color: var(--cn-color-primary-strong);
      }

      a:focus-visible {
        outline-color: var(--cn-color-focus);
      }

      a[aria-current='true'] {
        font-weight: 700;
        box-shadow: inset 3px 0 0 var(--cn-color-primary);
      }

      .role {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
        font-weight: 400;
      }

      @media (max-width: 640px) {
        .toggle {
          max-inline-size: 11rem;
        }

        /* Under a switch that sits mid-row, a list as wide as its names would run off a phone's
           screen: there it spans the screen, just under the header's first row. */
        .menu {
          position: fixed;
          inset-inline: var(--cn-space-3);
          inset-block-start: 3.5rem;
          min-inline-size: 0;
          max-inline-size: none;
        }
      }
    `,
  ];

  static override properties = { open: { state: true } };

  declare private open: boolean;

  constructor() {
    super();
    this.open = false;
    new OutsideClickController(this, { isOpen: () => this.open, inside: () => this, close: () => (this.open = false) });
  }

  protected override render() {
    const user = this.user;
    const groups = groupsOf(user);
    if (!user || groups.length < 2) return nothing;
    return html`
      <button type="button" class="toggle" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="group-menu" @click=${this.toggle} @keydown=${this.onKeydown}>
        <span class="visually-hidden">${msg('Working group:')}</span>
        <span class="name">${user.groupName}</span>
        <svg class="caret" viewBox="0 0 12 12" aria-hidden="true"><path d="M2 4h8L6 8.5z" /></svg>
      </button>
      <div id="group-menu" class="menu" ?hidden=${!this.open} @keydown=${this.onKeydown} @focusout=${this.onFocusOut}>
        <p class="menu-title" id="group-menu-title">${msg('Switch to another working group')}</p>
        <ul aria-labelledby="group-menu-title" @click=${this.close}>
          ${groups.map(
            (group) => html`
              <li>
                <a href=${groupHome(group.slug)} aria-current=${group.slug === user.groupSlug ? 'true' : nothing}>
                  <span>${group.name}</span>
                  <span class="role">${roleLabel(group.role)}</span>
                </a>
              </li>
            `,
          )}
        </ul>
      </div>
    `;
  }

  private toggle() {
    this.open = !this.open;
  }

  private close() {
    this.open = false;
  }

  private onKeydown(event: KeyboardEvent) {
    if (event.key !== 'Escape' || !this.open) return;
    this.open = false;
    this.renderRoot.querySelector<HTMLElement>('.toggle')?.focus();
  }

  private onFocusOut(event: FocusEvent) {
    const next = event.relatedTarget as Node | null;
    if (next && !this.renderRoot.contains(next)) this.open = false;
  }

}
