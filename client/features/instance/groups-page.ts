import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { ApiError, isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { formatDate, formatNumber } from '../../app/format.js';
import { check, FormController, formAlert, submitButton, text, type FieldErrors } from '../../app/forms.js';
import { groupHome, isGroupSlug } from '../../app/group-address.js';
import { plural } from '../../app/plural.js';
import { Resource } from '../../controllers/resource.js';
import { fieldError } from '../../ui/field/field.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { instanceApi, type InstanceGroup } from './instance-api.js';
import { suggestSlug } from './slug.js';

/**
 * The instance administrators' page: the working groups this Concilia hosts, and a form that
 * creates one. Its creator becomes one of its administrators (and invites its people from the
 * group's own pages), with, if named, another person who has an account. The address is suggested
 * from the name until the person writes one; a refused form keeps everything typed and says what
 * to change.
 */
export class CnInstanceGroupsPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    listStyles,
    css`
      ul.groups {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-3);
      }

      ul.groups > li {
        padding: var(--cn-space-3) var(--cn-space-4);
        background: var(--cn-color-surface);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        overflow-wrap: anywhere;
      }

      ul.groups h3 {
        margin: 0;
        font-size: 1.05rem;
      }

      ul.groups dl {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-1) var(--cn-space-5);
        margin: var(--cn-space-2) 0 0;
        font-size: 0.875rem;
      }

      ul.groups dl div {
        display: flex;
        gap: var(--cn-space-2);
      }

      ul.groups dt {
        color: var(--cn-color-muted);
      }

      ul.groups dd {
        margin: 0;
      }

      textarea {
        min-block-size: 5rem;
      }
    `,
  ];

  static override properties = { notice: { state: true } };

  declare private notice: string;

  private form = new FormController(this);
  /** Whether the person wrote the address themselves: the name then no longer rewrites it. */
  private slugEdited = false;

  private groups = new Resource(this, {
    args: () => [] as const,
    load: (_args, signal) => instanceApi.groups(signal).then((page) => page.items),
    isEmpty: (items) => items.length === 0,
  });

  constructor() {
    super();
    this.notice = '';
  }

  protected override render() {
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg('Working groups of this Concilia')}</h1>
        <p class="lead">${msg('Each group has its own people, debates, meetings and library. A person may belong to several, with a different role in each.')}</p>
      </div>
      <div class="stack-lg">
        <section class="stack" aria-labelledby="list-heading">
          <h2 id="list-heading">${msg('Groups')}</h2>
          ${this.groups.render({
            loading: msg('Loading the groups…'),
            empty: () => msg('There are no groups yet.'),
            complete: (items) => this.renderList(items),
          })}
        </section>
        <section class="stack" aria-labelledby="create-heading">
          <h2 id="create-heading">${msg('Create a group')}</h2>
          ${this.notice ? html`<p class="alert alert-success" role="status">${this.notice}</p>` : nothing}
          ${this.renderForm()}
        </section>
      </div>
    `;
  }

  private renderList(items: InstanceGroup[]) {
    return html`
      <ul class="groups">
        ${items.map(
          (group) => html`
            <li>
              <h3>${group.name}</h3>
              <dl>
                <div>
                  <dt>${msg('Address')}</dt>
                  <dd><a href=${groupHome(group.slug)}>${groupHome(group.slug)}</a></dd>
                </div>
                <div>
                  <dt>${msg('Members')}</dt>
                  <dd>${formatNumber(group.memberCount)}</dd>
                </div>
                <div>
                  <dt>${msg('Created')}</dt>
                  <dd>${formatDate(group.createdAt, this.user?.timeZone)}</dd>
                </div>
              </dl>
              ${group.description ? html`<p class="small muted">${group.description}</p>` : nothing}
            </li>
          `,
        )}
      </ul>
      <p class="small muted">${plural(items.length, { one: msg(str`${formatNumber(items.length)} group`, { id: 'instance-groups.one' }), other: msg(str`${formatNumber(items.length)} groups`, { id: 'instance-groups.other' }) })}</p>
    `;
  }

  private renderForm() {
    const form = this.form;
    return html`
      <form class="card stack" novalidate @submit=${this.submit}>
        ${formAlert(form)}
        <cn-field>
          <label slot="label">${msg('Name')}</label>
          <input name="name" required minlength="3" maxlength="160" autocomplete="off" @input=${this.onNameInput} />
          ${fieldError(form.error('name'))}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Address')}</label>
          <input name="slug" required minlength="2" maxlength="40" autocomplete="off" spellcheck="false" autocapitalize="none" @input=${this.onSlugInput} />
          <span slot="hint">${msg('The group’s pages will be at /g/ followed by this. Lower-case letters, digits and hyphens; suggested from the name.')}</span>
          ${fieldError(form.error('slug'))}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Description')} <span class="optional">${msg('(optional)')}</span></label>
          <textarea name="description" maxlength="2000"></textarea>
          ${fieldError(form.error('description'))}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Another administrator’s e-mail')} <span class="optional">${msg('(optional)')}</span></label>
          <input name="adminEmail" type="email" autocomplete="off" spellcheck="false" />
          <span slot="hint">${msg('You become an administrator of the group, and so does this person, who must already have an account. Invite everyone else from the group’s own pages.')}</span>
          ${fieldError(form.error('adminEmail'))}
        </cn-field>
        <div class="form-actions">${submitButton(form, msg('Create the group'), { pendingLabel: msg('Creating…') })}</div>
      </form>
    `;
  }

  private onNameInput(event: InputEvent) {
    if (this.slugEdited) return;
    const form = (event.target as HTMLInputElement).form;
    const slug = form?.elements.namedItem('slug');
    if (slug instanceof HTMLInputElement) slug.value = suggestSlug((event.target as HTMLInputElement).value);
  }

  private onSlugInput(event: InputEvent) {
    // Emptied: the name suggests it again.
    this.slugEdited = (event.target as HTMLInputElement).value !== '';
  }

  private submit(event: SubmitEvent) {
    this.notice = '';
    return this.form.submit(event, {
      validate: (data, errors) => {
        check.required(errors, data, 'name');
        if (!errors.name && text(data, 'name').length < 3) errors.name = msg(str`Use at least ${3} characters.`);
        checkSlug(errors, text(data, 'slug'));
        if (text(data, 'adminEmail')) check.email(errors, data, 'adminEmail');
      },
      action: async (data, form) => {
        const description = text(data, 'description');
        const adminEmail = text(data, 'adminEmail');
        let group: InstanceGroup;
        try {
          group = await instanceApi.createGroup({ name: text(data, 'name'), slug: text(data, 'slug'), adminEmail, ...(description ? { description } : {}) });
        } catch (error) {
          // The address is the one field a conflict is about: say so beside it.
          if (isApiError(error) && error.code === 'slug_taken') throw new ApiError(error.status, error.code, error.message, { slug: 'is taken' });
          throw error;
        }
        this.groups.value = [...(this.groups.value ?? []), group];
        form.reset();
        this.slugEdited = false;
        this.notice = adminEmail
          ? msg(str`The group ${group.name} is created, at ${groupHome(group.slug)}. You and ${adminEmail} are its administrators.`)
          : msg(str`The group ${group.name} is created, at ${groupHome(group.slug)}. You are its administrator: invite its people from its own pages.`);
      },
    });
  }
}

const slugRule = () => msg('Use 2 to 40 lower-case letters, digits and hyphens, beginning and ending with a letter or digit.');

function checkSlug(errors: FieldErrors, slug: string) {
  if (!slug) errors.slug = msg('This field is required.');
  else if (!isGroupSlug(slug)) errors.slug = slugRule();
}
