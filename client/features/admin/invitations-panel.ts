import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { affiliationLabel, formatDateTime, formatNumber, roleLabel } from '../../app/format.js';
import type { Invitation, InvitationStatus } from '../../app/models.js';
import { Resource } from '../../controllers/resource.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { adminApi } from './admin-api.js';
import { noAffiliation, tableStyles } from '../../ui/styles/table.styles.js';

const PAGE_SIZE = 20;

function statusLabel(status: InvitationStatus): string {
  switch (status) {
    case 'pending':
      return msg('Pending', { desc: 'Invitation status' });
    case 'accepted':
      return msg('Accepted', { desc: 'Invitation status' });
    case 'revoked':
      return msg('Withdrawn', { desc: 'Invitation status' });
    case 'expired':
      return msg('Expired', { desc: 'Invitation status' });
  }
}

/** Invitations of the group: pending ones (or all) with the option to withdraw them. */
export class CnInvitationsPanel extends AppElement {
  static override styles = [baseStyles, pageStyles, listStyles, tableStyles];

  static override properties = {
    status: { state: true },
    page: { state: true },
    revoking: { state: true },
    revokePending: { state: true },
    revokeError: { state: true },
  };

  declare private status: 'pending' | 'all';
  declare private page: number;
  declare private revoking: Invitation | null;
  declare private revokePending: boolean;
  declare private revokeError: string;

  private invitations = new Resource(this, {
    load: ([status, page], signal) => adminApi.invitations({ status, limit: PAGE_SIZE, offset: page * PAGE_SIZE }, signal),
    args: () => [this.status, this.page] as const,
    isEmpty: ({ items }) => items.length === 0,
    keepWhileLoading: true,
  });

  constructor() {
    super();
    this.status = 'pending';
    this.page = 0;
    this.revoking = null;
    this.revokePending = false;
    this.revokeError = '';
  }

  /** Reloads the list, e.g. after an invitation was created elsewhere on the page. */
  refresh(): void {
    if (this.page !== 0) this.page = 0;
    else void this.invitations.run();
  }

  protected override render() {
    return html`
      <section class="stack" aria-labelledby="invitations-heading">
        <div class="row-between">
          <h2 id="invitations-heading" tabindex="-1">${this.status === 'pending' ? msg('Pending invitations') : msg('All invitations')}</h2>
          <cn-field>
            <label slot="label">${msg('Show')}</label>
            <select
              name="status"
              @change=${(event: Event) => {
                this.status = (event.target as HTMLSelectElement).value === 'all' ? 'all' : 'pending';
                this.page = 0;
              }}
            >
              <option value="pending" ?selected=${this.status === 'pending'}>${msg('Pending only')}</option>
              <option value="all" ?selected=${this.status === 'all'}>${msg('All invitations')}</option>
            </select>
          </cn-field>
        </div>
        ${this.invitations.render({
          loading: msg('Loading the invitations…'),
          complete: ({ items, total }, reloading) => this.renderTable(items, total, reloading),
          empty: () => (this.status === 'pending' ? msg('No invitation is waiting for an answer.') : msg('No invitation has been sent yet.')),
        })}
      </section>
      ${this.renderRevokeDialog()}
    `;
  }

  private renderTable(items: Invitation[], total: number, refreshing: boolean) {
    const timeZone = this.user?.timeZone;
    const labels = { role: msg('Role'), affiliation: msg('Country or organization'), invitedBy: msg('Invited by'), expires: msg('Expires'), status: msg('Status'), actions: msg('Actions') };
    const first = this.page * PAGE_SIZE + 1;
    const last = this.page * PAGE_SIZE + items.length;
    return html`
      <div class="table-wrap" aria-busy=${refreshing ? 'true' : 'false'}>
        <table>
          <caption class="visually-hidden">${this.status === 'pending' ? msg('Pending invitations') : msg('All invitations')}</caption>
          <thead>
            <tr>
              <th scope="col">${msg('E-mail')}</th>
              <th scope="col">${labels.role}</th>
              <th scope="col">${labels.affiliation}</th>
              <th scope="col">${labels.invitedBy}</th>
              <th scope="col">${labels.expires}</th>
              ${this.status === 'all' ? html`<th scope="col">${labels.status}</th>` : nothing}
              <th scope="col">${labels.actions}</th>
            </tr>
          </thead>
          <tbody>
            ${items.map(
              (invitation) => html`
                <tr>
                  <th scope="row">${invitation.email}</th>
                  <td data-label=${labels.role}>${roleLabel(invitation.role)}</td>
                  <td data-label=${labels.affiliation}>${affiliationLabel(invitation, this.services.countries, this.services.organizations) || noAffiliation()}</td>
                  <td data-label=${labels.invitedBy}>${invitation.invitedByName}</td>
                  <td data-label=${labels.expires}>${formatDateTime(invitation.expiresAt, timeZone)}</td>
                  ${this.status === 'all'
                    ? html`<td data-label=${labels.status}><span class=${invitation.status === 'pending' ? 'badge' : 'badge badge-muted'}>${statusLabel(invitation.status)}</span></td>`
                    : nothing}
                  <td data-label=${labels.actions}>
                    ${invitation.status === 'pending'
                      ? html`<cn-button size="small" variant="danger">
                          <button type="button" aria-label=${msg(str`Withdraw: ${invitation.email}`)} @click=${() => this.openRevoke(invitation)}>${msg('Withdraw')}</button>
                        </cn-button>`
                      : nothing}
                  </td>
                </tr>
              `,
            )}
          </tbody>
        </table>
      </div>
      ${total > PAGE_SIZE
        ? html`
            <div class="pager">
              <p role="status">${msg(str`Showing ${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(total)}`)}</p>
              <div class="row">
                <cn-button size="small">
                  <button type="button" aria-disabled=${this.page === 0 ? 'true' : 'false'} @click=${() => this.page > 0 && (this.page -= 1)}>${msg('Previous page')}</button>
                </cn-button>
                <cn-button size="small">
                  <button type="button" aria-disabled=${last >= total ? 'true' : 'false'} @click=${() => last < total && (this.page += 1)}>${msg('Next page')}</button>
                </cn-button>
              </div>
            </div>
          `
        : nothing}
    `;
  }

  private openRevoke(invitation: Invitation) {
    this.revokeError = '';
    this.revokePending = false;
    this.revoking = invitation;
  }

  private renderRevokeDialog() {
    const invitation = this.revoking;
    return html`
      <cn-dialog label=${invitation ? msg(str`Withdraw the invitation for ${invitation.email}?`) : ''} ?open=${Boolean(invitation)} @cn-close=${() => (this.revoking = null)}>
        ${invitation
          ? html`
              <p>${msg('The link stops working at once. You can invite the same address again later.')}</p>
              ${this.revokeError ? html`<div class="alert alert-error" role="alert">${this.revokeError}</div>` : nothing}
              <div class="form-actions">
                <cn-button variant="danger" ?loading=${this.revokePending}>
                  <button type="button" aria-disabled=${this.revokePending ? 'true' : 'false'} @click=${this.revoke}>${msg('Withdraw the invitation')}</button>
                </cn-button>
                <cn-button variant="quiet"><button type="button" autofocus @click=${() => (this.revoking = null)}>${msg('Cancel')}</button></cn-button>
              </div>
            `
          : nothing}
      </cn-dialog>
    `;
  }

  private async revoke() {
    const invitation = this.revoking;
    if (!invitation || this.revokePending) return;
    this.revokePending = true;
    this.revokeError = '';
    try {
      await adminApi.revoke(invitation.id);
      this.revoking = null;
      this.services.toast(msg(str`The invitation for ${invitation.email} was withdrawn.`), 'success');
      await this.invitations.run();
      await this.updateComplete;
      // The row and its button are gone: continue from the section's heading.
      this.renderRoot.querySelector<HTMLElement>('#invitations-heading')?.focus();
    } catch (error) {
      this.revokeError = describeError(error);
    } finally {
      this.revokePending = false;
    }
  }
}
