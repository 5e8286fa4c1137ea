import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatDateTime, formatNumber } from '../../app/format.js';
import { plural } from '../../app/plural.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { mailApi, type OutboxItem, type OutboxStatus } from './mail-api.js';

const STATUSES: OutboxStatus[] = ['pending', 'sending', 'sent', 'failed', 'expired'];

/** The administrators' outbox: every message, its state and the server's last answer; failed ones sent again. */
export class CnMailOutboxPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      ul.messages {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ul.messages > li {
        padding-block: var(--space-2, 0.5rem);
        border-block-end: 1px solid var(--color-border, #ddd);
        overflow-wrap: anywhere;
      }
      pre {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2, 0.5rem);
      }
    `,
  ];

  static override properties = { status: { state: true }, offset: { state: true }, opened: { state: true }, notice: { state: true } };

  declare private status: string;
  declare private offset: number;
  declare private opened: Map<string, string>;
  declare private notice: string | null;

  private page = new Resource(this, {
    args: () => [this.status, this.offset] as const,
    load: ([status, offset], signal) => mailApi.outbox(status, offset, signal),
  });

  constructor() {
    super();
    this.status = '';
    this.offset = 0;
    this.opened = new Map();
    this.notice = null;
  }

  private statusLabel(status: OutboxStatus): string {
    return { pending: msg('Waiting'), sending: msg('Being sent'), sent: msg('Sent'), failed: msg('Failed'), expired: msg('Not sent in time') }[status];
  }

  protected override render() {
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg('Outgoing e-mail')}</h1>
      </div>
      ${this.notice ? html`<p class="alert alert-success" role="status">${this.notice}</p>` : nothing}
      ${this.page.render({
        loading: msg('Loading…'),
        complete: (page) => html`
          ${page.sending ? nothing : html`<p class="alert alert-info" role="note">${msg('No SMTP server is configured: messages stay here and nothing is sent. The links in them can be copied from each message.')}</p>`}
          <div class="filters" role="group" aria-label=${msg('Show')}>
            <cn-button variant=${this.status === '' ? 'primary' : 'default'}><button type="button" aria-pressed=${this.status === '' ? 'true' : 'false'} @click=${() => this.filter('')}>${msg('All')}</button></cn-button>
            ${STATUSES.map(
              (status) => html`<cn-button variant=${this.status === status ? 'primary' : 'default'}>
                <button type="button" aria-pressed=${this.status === status ? 'true' : 'false'} @click=${() => this.filter(status)}>${this.statusLabel(status)} (${page.counts[status]})</button>
              </cn-button>`,
            )}
            ${page.counts.failed > 0 ? html`<cn-button><button type="button" @click=${this.retryFailed}>${msg('Send the failed ones again')}</button></cn-button>` : nothing}
          </div>
          ${page.items.length === 0
            ? html`<p class="muted">${msg('No messages here.')}</p>`
            : html`<ul class="messages">
                ${page.items.map((item) => this.renderItem(item))}
              </ul>`}
          <p class="small muted">${msg(str`${page.items.length} of ${page.total}`)}</p>
          <div class="form-actions">
            ${this.offset > 0 ? html`<cn-button><button type="button" @click=${() => (this.offset = Math.max(0, this.offset - 50))}>${msg('Newer')}</button></cn-button>` : nothing}
            ${this.offset + page.items.length < page.total ? html`<cn-button><button type="button" @click=${() => (this.offset += 50)}>${msg('Older')}</button></cn-button>` : nothing}
          </div>
        `,
      })}
    `;
  }

  private renderItem(item: OutboxItem) {
    const text = this.opened.get(item.id);
    return html`<li>
      <strong>${item.subject}</strong>
      <div class="small">${item.to.name ? `${item.to.name} <${item.to.address}>` : item.to.address} · ${item.kind} · ${formatDateTime(item.createdAt)}</div>
      <div class="small">${this.statusLabel(item.status)}${item.attempts > 0 ? ` · ${plural(item.attempts, { one: msg(str`${formatNumber(item.attempts)} attempt`, { id: 'mail-attempts.one' }), other: msg(str`${formatNumber(item.attempts)} attempts`, { id: 'mail-attempts.other' }) })}` : ''}${item.lastError ? ` · ${item.lastError}` : ''}</div>
      <div class="form-actions">
        <cn-button><button type="button" aria-expanded=${text === undefined ? 'false' : 'true'} @click=${() => this.toggle(item.id)}>${text === undefined ? msg('Show the text') : msg('Hide the text')}</button></cn-button>
        ${item.status === 'failed' || item.status === 'expired' ? html`<cn-button><button type="button" @click=${() => this.retry(item.id)}>${msg('Send again')}</button></cn-button>` : nothing}
      </div>
      ${text !== undefined ? html`<pre>${text}</pre>` : nothing}
    </li>`;
  }

  private filter(status: string) {
    this.status = status;
    this.offset = 0;
  }

  private async toggle(id: string) {
    const opened = new Map(this.opened);
    if (opened.has(id)) opened.delete(id);
    else {
      try {
        opened.set(id, (await mailApi.message(id)).text);
      } catch (error) {
        this.notice = describeError(error);
        return;
      }
    }
    this.opened = opened;
  }

  private async retry(id: string) {
    try {
      await mailApi.retry(id);
      this.notice = msg('The message will be sent again.');
    } catch (error) {
      this.notice = describeError(error);
    }
    void this.page.run();
  }

  private async retryFailed() {
    try {
      const { retried } = await mailApi.retryFailed();
      this.notice = plural(retried, { one: msg(str`${formatNumber(retried)} message will be sent again.`, { id: 'mail-retried.one' }), other: msg(str`${formatNumber(retried)} messages will be sent again.`, { id: 'mail-retried.other' }) });
    } catch (error) {
      this.notice = describeError(error);
    }
    void this.page.run();
  }
}
