import { css, html } from 'lit';
import { msg } from '@lit/localize';
import { AppElement } from './base-element.js';
import { baseStyles, pageStyles } from '../ui/styles/shared.styles.js';

/** Who a refused page is for, as the refusal says it. */
export type ForbiddenAudience = 'inviters' | 'publishers' | 'admins';

function audienceText(audience: ForbiddenAudience): string {
  switch (audience) {
    case 'inviters':
      return msg('This page is for the administrators and the coordinator of the group.');
    case 'publishers':
      return msg('This page is for the administrators, the coordinator and the secretariat of the group.');
    case 'admins':
      return msg('This page is for the administrators of the group.');
  }
}

/** What the shell shows for an unknown address or a page the person may not open. */
export class CnStatusPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      .code {
        font-size: 0.875rem;
        font-weight: 700;
        letter-spacing: 0.08em;
        text-transform: uppercase;
        color: var(--cn-color-muted);
      }
    `,
  ];

  static override properties = { kind: {}, audience: {} };

  declare kind: 'not-found' | 'forbidden';
  /** For `forbidden`: who may open the page. */
  declare audience: ForbiddenAudience;

  constructor() {
    super();
    this.kind = 'not-found';
    this.audience = 'inviters';
  }

  protected override render() {
    const home = this.user ? '/directory' : '/login';
    const homeLabel = this.user ? msg('Go to the member directory') : msg('Go to the sign-in page');
    if (this.kind === 'forbidden') {
      return html`
        <div class="narrow stack">
          <p class="code">403</p>
          <h1 tabindex="-1">${msg('You do not have access to this page')}</h1>
          <p>${audienceText(this.audience)}</p>
          <p><a href=${home}>${homeLabel}</a></p>
        </div>
      `;
    }
    return html`
      <div class="narrow stack">
        <p class="code">404</p>
        <h1 tabindex="-1">${msg('Page not found')}</h1>
        <p>${msg('The address may be mistyped, or the page may have moved.')}</p>
        <p><a href=${home}>${homeLabel}</a></p>
      </div>
    `;
  }
}
