import { html } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { roleOptions } from '../../app/form-options.js';
import { affiliationLabel, formatDateTime, roleLabel, sentence } from '../../app/format.js';
import { check, FormController, text, type FieldErrors, formAlert, submitButton } from '../../app/forms.js';
import { ROLES, type Invitation, type Role } from '../../app/models.js';
import { fieldError } from '../../ui/field/field.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { adminApi } from './admin-api.js';
import { affiliationField, AFFILIATION_ALIASES, readAffiliation } from './affiliation-field.js';
import { emit } from '../../app/events.js';

/**
 * Invites someone by e-mail with a role and an affiliation, then shows the acceptance link
 * to hand over (there is no e-mail delivery yet).
 *
 * @event cn-invitation-created - After an invitation was created.
 */
export class CnInviteDialog extends AppElement {
  static override styles = [baseStyles, pageStyles];

  static override properties = {
    selectedRole: { state: true },
    created: { state: true },
  };

  declare private selectedRole: Role;
  declare private created: { invitation: Invitation; acceptUrl: string } | null;

  private form = new FormController(this);

  constructor() {
    super();
    this.selectedRole = 'member';
    this.created = null;
  }

  /** Opens the dialog; a form left half-filled is kept as it was. */
  show(): void {
    const dialog = this.renderRoot.querySelector<CnDialog>('cn-dialog');
    if (dialog) dialog.open = true;
  }

  private get dialog() {
    return this.renderRoot.querySelector<CnDialog>('cn-dialog');
  }

  protected override render() {
    return html`
      <cn-dialog label=${this.created ? msg('Invitation created') : msg('Invite someone')} @cn-close=${this.onClose}>
        ${this.created ? this.renderCreated(this.created) : this.renderForm()}
      </cn-dialog>
    `;
  }

  private renderForm() {
    const form = this.form;
    const roles = this.user?.role === 'admin' ? ROLES : ROLES.filter((role) => role !== 'admin');
    return html`
      <form id="invite-form" novalidate @submit=${this.submit}>
        <p class="muted">${msg('Concilia creates a personal link to join the group. Send it to the person yourself.')}</p>
        ${formAlert(form)}
        <cn-field>
          <label slot="label">${msg('E-mail')}</label>
          <input name="email" type="email" autocomplete="off" spellcheck="false" required maxlength="254" autofocus />
          ${fieldError(form.error('email'))}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Role')}</label>
          <select name="role" @change=${(event: Event) => (this.selectedRole = (event.target as HTMLSelectElement).value as Role)}>
            ${roleOptions(roles, this.selectedRole)}
          </select>
          ${fieldError(form.error('role'))}
        </cn-field>
        ${affiliationField(this.selectedRole, { countryId: null, organizationId: null }, this.services, form.errors)}
        <div class="form-actions">
          ${submitButton(form, msg('Create invitation'), { pendingLabel: msg('Creating…') })}
          <cn-button variant="quiet"><button type="button" @click=${() => this.dialog?.close()}>${msg('Cancel')}</button></cn-button>
        </div>
      </form>
    `;
  }

  private renderCreated({ invitation, acceptUrl }: { invitation: Invitation; acceptUrl: string }) {
    const affiliation = affiliationLabel(invitation, this.services.countries, this.services.organizations);
    const role = affiliation ? `${roleLabel(invitation.role)} · ${affiliation}` : roleLabel(invitation.role);
    return html`
      <p class="alert alert-success" role="status">${msg(str`Invitation created for ${invitation.email} (${role}).`)}</p>
      <cn-copy-field label=${msg('Acceptance link')} .value=${acceptUrl} autofocus></cn-copy-field>
      <p class="small muted">
        ${sentence(msg(str`Send this link to ${invitation.email}. It works once and expires on ${formatDateTime(invitation.expiresAt, this.user?.timeZone)}.`))}
      </p>
      <div class="form-actions">
        <cn-button variant="primary"><button type="button" @click=${() => this.dialog?.close()}>${msg('Done')}</button></cn-button>
        <cn-button><button type="button" @click=${this.inviteAnother}>${msg('Invite someone else')}</button></cn-button>
      </div>
    `;
  }

  private submit(event: SubmitEvent) {
    return this.form.submit(event, {
      fieldAliases: AFFILIATION_ALIASES,
      validate: (data, errors) => {
        check.email(errors, data, 'email');
        readAffiliation(this.selectedRole, data, errors);
      },
      action: async (data) => {
        const errors: FieldErrors = {};
        const created = await adminApi.invite(text(data, 'email'), this.selectedRole, readAffiliation(this.selectedRole, data, errors));
        this.created = created;
        emit(this, 'cn-invitation-created', created.invitation, { bubbles: true, composed: true });
        await this.updateComplete;
        this.dialog?.focusInitial();
      },
    });
  }

  private async inviteAnother() {
    this.created = null;
    this.selectedRole = 'member';
    this.form.reset();
    await this.updateComplete;
    this.dialog?.focusInitial();
  }

  private onClose() {
    // A finished invitation is not shown again; an unfinished form is kept for the next opening.
    if (this.created) {
      this.created = null;
      this.selectedRole = 'member';
      this.form.reset();
    }
  }
}

declare global {
  interface HTMLElementEventMap {
    /** An invitation was created (its link is shown to copy). */
    'cn-invitation-created': CustomEvent<Invitation>;
  }
}
