import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { roleOptions } from '../../app/form-options.js';
import { affiliationLabel, formatDate, formatDateTime, roleLabel, sentence } from '../../app/format.js';
import { FormController, text, formAlert, submitButton } from '../../app/forms.js';
import { ROLES, type AdminUser, type Role } from '../../app/models.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { fieldError } from '../../ui/field/field.js';
import { Resource } from '../../controllers/resource.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { noAffiliation, tableStyles } from '../../ui/styles/table.styles.js';
import { adminApi } from './admin-api.js';
import { affiliationField, AFFILIATION_ALIASES, readAffiliation } from './affiliation-field.js';
import { rangePager } from '../../ui/pager/pager.js';

const PAGE_SIZE = 25;

interface Filters {
  q: string;
  role: Role | '';
  status: 'active' | 'deactivated' | '';
  page: number;
}

function filtersFromUrl(): Filters {
  const params = new URLSearchParams(window.location.search);
  const role = params.get('role') ?? '';
  const status = params.get('status') ?? '';
  const page = Number(params.get('page') ?? '1');
  return {
    q: params.get('q') ?? '',
    role: (ROLES as readonly string[]).includes(role) ? (role as Role) : '',
    status: status === 'active' || status === 'deactivated' ? status : '',
    page: Number.isInteger(page) && page > 1 ? page - 1 : 0,
  };
}

/** Keeps the filters in the address, so a reload or a shared link shows the same list. */
function writeFiltersToUrl(filters: Filters) {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.role) params.set('role', filters.role);
  if (filters.status) params.set('status', filters.status);
  if (filters.page > 0) params.set('page', String(filters.page + 1));
  const search = params.toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${search ? `?${search}` : ''}`);
}

type Confirmation = { user: AdminUser; action: 'deactivate' | 'reactivate' };

/**
 * The administrator's list of accounts: search, filter by role and status, pages; change a
 * role, deactivate or reactivate (after confirmation), and create password reset links.
 */
export class CnUsersPanel extends AppElement {
  static override styles = [baseStyles, pageStyles, listStyles, tableStyles];

  static override properties = {
    filters: { state: true },
    roleTarget: { state: true },
    chosenRole: { state: true },
    confirmation: { state: true },
    confirmPending: { state: true },
    confirmError: { state: true },
    resetTarget: { state: true },
    resetLink: { state: true },
    resetPending: { state: true },
    resetError: { state: true },
  };

  declare private filters: Filters;
  declare private roleTarget: AdminUser | null;
  declare private chosenRole: Role;
  declare private confirmation: Confirmation | null;
  declare private confirmPending: boolean;
  declare private confirmError: string;
  declare private resetTarget: AdminUser | null;
  declare private resetLink: { url: string; expiresAt: string } | null;
  declare private resetPending: boolean;
  declare private resetError: string;

  private roleForm = new FormController(this);

  private users = new Resource(this, {
    load: ([q, role, status, page], signal) => adminApi.users({ q, role, status, limit: PAGE_SIZE, offset: page * PAGE_SIZE }, signal),
    args: () => [this.filters.q, this.filters.role, this.filters.status, this.filters.page] as const,
    isEmpty: ({ items }) => items.length === 0,
    keepWhileLoading: true,
  });

  constructor() {
    super();
    this.filters = filtersFromUrl();
    this.roleTarget = null;
    this.chosenRole = 'member';
    this.confirmation = null;
    this.confirmPending = false;
    this.confirmError = '';
    this.resetTarget = null;
    this.resetLink = null;
    this.resetPending = false;
    this.resetError = '';
  }

  private setFilters(filters: Filters) {
    this.filters = filters;
    writeFiltersToUrl(filters);
  }

  protected override render() {
    return html`
      <section class="stack" aria-labelledby="users-heading">
        <h2 id="users-heading" tabindex="-1">${msg('Users')}</h2>
        ${this.renderFilters()}
        ${this.users.render({
          loading: msg('Loading the users…'),
          complete: ({ items, total }, reloading) => this.renderTable(items, total, reloading),
          empty: () => (this.filters.q || this.filters.role || this.filters.status ? msg('No user matches these filters.') : msg('There are no users yet.')),
        })}
      </section>
      ${this.renderRoleDialog()} ${this.renderConfirmDialog()} ${this.renderResetDialog()}
    `;
  }

  private renderFilters() {
    const filters = this.filters;
    return html`
      <form class="toolbar" role="search" aria-label=${msg('Search users')} @submit=${this.applyFilters}>
        <cn-field class="grow">
          <label slot="label">${msg('Name or e-mail')}</label>
          <input name="q" type="search" autocomplete="off" maxlength="120" .value=${filters.q} />
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Role')}</label>
          <select name="role" @change=${this.submitFilters}>
            <option value="" ?selected=${filters.role === ''}>${msg('All roles')}</option>
            ${roleOptions(ROLES, filters.role)}
          </select>
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Status')}</label>
          <select name="status" @change=${this.submitFilters}>
            <option value="" ?selected=${filters.status === ''}>${msg('All')}</option>
            <option value="active" ?selected=${filters.status === 'active'}>${msg('Active')}</option>
            <option value="deactivated" ?selected=${filters.status === 'deactivated'}>${msg('Deactivated')}</option>
          </select>
        </cn-field>
        <cn-button variant="primary"><button type="submit">${msg('Search')}</button></cn-button>
      </form>
    `;
  }

  private submitFilters(event: Event) {
    (event.target as HTMLSelectElement).form?.requestSubmit();
  }

  private applyFilters(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const role = text(data, 'role');
    const status = text(data, 'status');
    this.setFilters({
      q: text(data, 'q'),
      role: (ROLES as readonly string[]).includes(role) ? (role as Role) : '',
      status: status === 'active' || status === 'deactivated' ? status : '',
      page: 0,
    });
  }

  private renderTable(items: AdminUser[], total: number, refreshing: boolean) {
    const { page } = this.filters;
    const labels = { name: msg('Name'), role: msg('Role'), affiliation: msg('Country or organization'), status: msg('Status'), joined: msg('Joined'), actions: msg('Actions') };
    return html`
      <div class="table-wrap" aria-busy=${refreshing ? 'true' : 'false'}>
        <table>
          <caption class="visually-hidden">${msg('Users of the group')}</caption>
          <thead>
            <tr>
              <th scope="col">${labels.name}</th>
              <th scope="col">${labels.role}</th>
              <th scope="col">${labels.affiliation}</th>
              <th scope="col">${labels.status}</th>
              <th scope="col">${labels.joined}</th>
              <th scope="col">${labels.actions}</th>
            </tr>
          </thead>
          <tbody>
            ${items.map((user) => this.renderRow(user, labels))}
          </tbody>
        </table>
      </div>
      ${rangePager({ page, pageSize: PAGE_SIZE, shown: items.length, total, go: (next) => this.setFilters({ ...this.filters, page: next }) })}
    `;
  }

  private renderRow(user: AdminUser, labels: Record<'name' | 'role' | 'affiliation' | 'status' | 'joined' | 'actions', string>) {
    const me = this.user;
    const affiliation = affiliationLabel(user, this.services.countries, this.services.organizations);
    return html`
      <tr>
        <th scope="row">
          ${user.active ? html`<a href=${`/people/${encodeURIComponent(user.id)}`}>${user.displayName}</a>` : user.displayName}
          <span class="cell-sub">${user.email}</span>
        </th>
        <td data-label=${labels.role}>${roleLabel(user.role)}</td>
        <td data-label=${labels.affiliation}>${affiliation || noAffiliation()}</td>
        <td data-label=${labels.status}>
          ${user.active
            ? html`<span class="badge">${msg('Active')}</span>`
            : html`<span class="badge badge-muted">${msg('Deactivated')}</span>
                ${user.deactivatedAt ? html`<span class="cell-sub">${formatDate(user.deactivatedAt, me?.timeZone)}</span>` : nothing}`}
        </td>
        <td data-label=${labels.joined}>${formatDate(user.joinedAt, me?.timeZone)}</td>
        <td data-label=${labels.actions}>
          <div class="actions">
            <cn-button size="small">
              <button type="button" aria-label=${msg(str`Change role: ${user.displayName}`)} @click=${() => this.openRoleDialog(user)}>${msg('Change role')}</button>
            </cn-button>
            ${user.id === me?.id
              ? nothing
              : user.active
                ? html`<cn-button size="small" variant="danger">
                    <button type="button" aria-label=${msg(str`Deactivate: ${user.displayName}`)} @click=${() => this.openConfirm(user, 'deactivate')}>${msg('Deactivate')}</button>
                  </cn-button>`
                : html`<cn-button size="small">
                    <button type="button" aria-label=${msg(str`Reactivate: ${user.displayName}`)} @click=${() => this.openConfirm(user, 'reactivate')}>${msg('Reactivate')}</button>
                  </cn-button>`}
            ${user.active
              ? html`<cn-button size="small" variant="quiet">
                  <button type="button" aria-label=${msg(str`Reset password: ${user.displayName}`)} @click=${() => this.openReset(user)}>${msg('Reset password')}</button>
                </cn-button>`
              : nothing}
          </div>
        </td>
      </tr>
    `;
  }

  /* Change of role */

  private openRoleDialog(user: AdminUser) {
    this.roleForm.reset();
    this.chosenRole = user.role;
    this.roleTarget = user;
  }

  private renderRoleDialog() {
    const user = this.roleTarget;
    const form = this.roleForm;
    return html`
      <cn-dialog label=${user ? msg(str`Change the role of ${user.displayName}`) : ''} ?open=${Boolean(user)} @cn-close=${() => (this.roleTarget = null)}>
        ${user
          ? html`
              <form novalidate @submit=${this.saveRole}>
                ${formAlert(form)}
                <cn-field>
                  <label slot="label">${msg('Role')}</label>
                  <select name="role" autofocus @change=${(event: Event) => (this.chosenRole = (event.target as HTMLSelectElement).value as Role)}>
                    ${roleOptions(ROLES, this.chosenRole)}
                  </select>
                  ${fieldError(form.error('role'))}
                </cn-field>
                ${affiliationField(this.chosenRole, user, this.services, form.errors)}
                <div class="form-actions">
                  ${submitButton(form, msg('Save the role'))}
                  <cn-button variant="quiet"><button type="button" @click=${() => (this.roleTarget = null)}>${msg('Cancel')}</button></cn-button>
                </div>
              </form>
            `
          : nothing}
      </cn-dialog>
    `;
  }

  private saveRole(event: SubmitEvent) {
    const user = this.roleTarget;
    if (!user) return;
    return this.roleForm.submit(event, {
      fieldAliases: AFFILIATION_ALIASES,
      validate: (data, errors) => {
        readAffiliation(this.chosenRole, data, errors);
      },
      action: async (data) => {
        const updated = await adminApi.changeRole(user.id, this.chosenRole, readAffiliation(this.chosenRole, data, {}));
        this.roleTarget = null;
        this.services.toast(msg(str`The role of ${updated.displayName} is now ${roleLabel(updated.role)}.`), 'success');
        await this.users.run();
      },
    });
  }

  /* Deactivation and reactivation */

  private openConfirm(user: AdminUser, action: Confirmation['action']) {
    this.confirmError = '';
    this.confirmPending = false;
    this.confirmation = { user, action };
  }

  private renderConfirmDialog() {
    const confirmation = this.confirmation;
    const name = confirmation?.user.displayName ?? '';
    const deactivate = confirmation?.action === 'deactivate';
    return html`
      <cn-dialog
        label=${confirmation ? (deactivate ? msg(str`Deactivate ${name}?`) : msg(str`Reactivate ${name}?`)) : ''}
        ?open=${Boolean(confirmation)}
        @cn-close=${() => (this.confirmation = null)}
      >
        ${confirmation
          ? html`
              <p>
                ${deactivate
                  ? msg('They are signed out at once and can no longer sign in. What they wrote stays. You can reactivate the account later.')
                  : msg('They can sign in again with their previous password, and appear again in the directory.')}
              </p>
              ${this.confirmError ? html`<div class="alert alert-error" role="alert">${this.confirmError}</div>` : nothing}
              <div class="form-actions">
                <cn-button variant=${deactivate ? 'danger' : 'primary'} ?loading=${this.confirmPending}>
                  <button type="button" aria-disabled=${this.confirmPending ? 'true' : 'false'} @click=${this.confirm}>
                    ${deactivate ? msg('Deactivate') : msg('Reactivate')}
                  </button>
                </cn-button>
                <cn-button variant="quiet"><button type="button" autofocus @click=${() => (this.confirmation = null)}>${msg('Cancel')}</button></cn-button>
              </div>
            `
          : nothing}
      </cn-dialog>
    `;
  }

  private async confirm() {
    const confirmation = this.confirmation;
    if (!confirmation || this.confirmPending) return;
    this.confirmPending = true;
    this.confirmError = '';
    try {
      const user = confirmation.action === 'deactivate' ? await adminApi.deactivate(confirmation.user.id) : await adminApi.reactivate(confirmation.user.id);
      this.confirmation = null;
      this.services.toast(
        confirmation.action === 'deactivate' ? msg(str`${user.displayName} was deactivated.`) : msg(str`${user.displayName} was reactivated.`),
        'success',
      );
      await this.users.run();
      await this.updateComplete;
      // The button pressed was replaced by its opposite: continue from the section's heading.
      this.renderRoot.querySelector<HTMLElement>('#users-heading')?.focus();
    } catch (error) {
      this.confirmError = describeError(error);
    } finally {
      this.confirmPending = false;
    }
  }

  /* Password reset links */

  private openReset(user: AdminUser) {
    this.resetLink = null;
    this.resetError = '';
    this.resetPending = false;
    this.resetTarget = user;
  }

  private renderResetDialog() {
    const user = this.resetTarget;
    const link = this.resetLink;
    return html`
      <cn-dialog id="reset-dialog" label=${user ? msg(str`Password reset link for ${user.displayName}`) : ''} ?open=${Boolean(user)} @cn-close=${() => (this.resetTarget = null)}>
        ${user && !link
          ? html`
              <p>${msg(str`Create a link that lets ${user.displayName} choose a new password. It works once. Send it to ${user.email} yourself.`)}</p>
              ${this.resetError ? html`<div class="alert alert-error" role="alert">${this.resetError}</div>` : nothing}
              <div class="form-actions">
                <cn-button variant="primary" ?loading=${this.resetPending}>
                  <button type="button" autofocus aria-disabled=${this.resetPending ? 'true' : 'false'} @click=${this.createResetLink}>${msg('Create the link')}</button>
                </cn-button>
                <cn-button variant="quiet"><button type="button" @click=${() => (this.resetTarget = null)}>${msg('Cancel')}</button></cn-button>
              </div>
            `
          : nothing}
        ${user && link
          ? html`
              <cn-copy-field label=${msg('Password reset link')} .value=${link.url} autofocus></cn-copy-field>
              <p class="small muted">${sentence(msg(str`The link expires on ${formatDateTime(link.expiresAt, this.user?.timeZone)}.`))}</p>
              <div class="form-actions">
                <cn-button variant="primary"><button type="button" @click=${() => (this.resetTarget = null)}>${msg('Done')}</button></cn-button>
              </div>
            `
          : nothing}
      </cn-dialog>
    `;
  }

  private async createResetLink() {
    const user = this.resetTarget;
    if (!user || this.resetPending) return;
    this.resetPending = true;
    this.resetError = '';
    try {
      this.resetLink = await adminApi.resetLink(user.id);
      await this.updateComplete;
      this.renderRoot.querySelector<CnDialog>('#reset-dialog')?.focusInitial();
    } catch (error) {
      this.resetError = describeError(error);
    } finally {
      this.resetPending = false;
    }
  }
}
