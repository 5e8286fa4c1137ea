import { css, html } from 'lit';
import { msg } from '@lit/localize';
import { ContextConsumer } from '@lit/context';
import { AppElement } from './base-element.js';
import { liveContext } from './contexts.js';
import type { LiveConnection, LiveStatus, LiveStatusEvent } from './live-connection.js';
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

  static override properties = { status: { state: true } };

  declare private status: LiveStatus;
  private connection: LiveConnection | null = null;

  private liveConsumer = new ContextConsumer(this, {
    context: liveContext,
    subscribe: true,
    callback: (connection) => this.follow(connection ?? null),
  });

  constructor() {
    super();
    this.status = 'connecting';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.follow(null);
  }

  private follow(connection: LiveConnection | null) {
    this.connection?.removeEventListener('live-status', this.onStatus);
    this.connection = connection;
    connection?.addEventListener('live-status', this.onStatus);
    this.status = connection?.status ?? 'connecting';
  }

  private onStatus = (event: LiveStatusEvent) => {
    this.status = event.status;
  };

  protected override render() {
    // The status region stays in the page so that the change is announced.
    return html`<div role="status">${this.status === 'reconnecting' || this.status === 'offline' ? html`<p>${msg('Connection lost. Reconnecting…')}</p>` : ''}</div>`;
  }
}
