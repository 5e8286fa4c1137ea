import { css, html } from 'lit';
import { msg } from '@lit/localize';
import { AppElement } from './base-element.js';
import { LiveStatusController } from '../controllers/live-status-controller.js';
import { baseStyles } from '../ui/styles/shared.styles.js';

/** A bar under the header while the live connection is lost; gone when it is back. */
export class CnConnectionStatus extends AppElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }

      p {
        margin: 0;
        padding: var(--cn-space-2) var(--cn-space-4);
        text-align: center;
        font-weight: 600;
        font-size: 0.9rem;
        background: #fff4d6;
        color: #5c4300;
        border-block-end: 1px solid #e0c270;
      }
    `,
  ];

  private live = new LiveStatusController(this, { initial: 'connecting' });

  protected override render() {
    // The status region stays in the page so that the change is announced.
    return html`<div role="status">${this.live.status === 'reconnecting' || this.live.status === 'offline' ? html`<p>${msg('Connection lost. Reconnecting…')}</p>` : ''}</div>`;
  }
}
