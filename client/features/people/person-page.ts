import { zoneCityName } from '../../app/zone-names.js';
import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { affiliationLabel, countryName, delegationLabel, formatTimeNow, organizationName, roleLabel } from '../../app/format.js';
import { languageName } from '../../app/i18n.js';
import type { Person } from '../../app/models.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { peopleApi } from './people-api.js';

/** A participant's public profile. */
export class CnPersonPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      .identity {
        display: flex;
        gap: var(--cn-space-4);
        align-items: center;
      }

      .avatar {
        flex: none;
        display: grid;
        place-items: center;
        inline-size: 4rem;
        block-size: 4rem;
        border-radius: 50%;
        background: var(--cn-color-primary-soft);
        color: var(--cn-color-primary-strong);
        font-size: 1.4rem;
        font-weight: 700;
      }

      .name-block {
        display: grid;
        gap: var(--cn-space-1);
      }

      .bio {
        white-space: pre-wrap;
        max-inline-size: 70ch;
      }
    `,
  ];

  static override properties = { personId: {} };

  declare personId: string;

  private person = new Task(this, {
    task: ([id], { signal }) => peopleApi.person(id, signal),
    args: () => [this.personId] as const,
  });

  constructor() {
    super();
    this.personId = '';
  }

  protected override render() {
    return html`
      <p class="small"><a href="/directory">${msg('← Back to the directory')}</a></p>
      ${this.person.render({
        initial: () => this.renderLoading(),
        pending: () => this.renderLoading(),
        complete: (person) => this.renderPerson(person),
        error: (error) => this.renderError(error),
      })}
    `;
  }

  private renderLoading() {
    return html`
      <h1 tabindex="-1" class="visually-hidden">${msg('Participant')}</h1>
      <div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading the profile…')}</div>
    `;
  }

  private renderError(error: unknown) {
    const missing = isApiError(error) && error.status === 404;
    return html`
      <div class="page-header"><h1 tabindex="-1">${missing ? msg('Participant not found') : msg('The profile could not be loaded')}</h1></div>
      <div class="alert alert-error stack" role="alert">
        <p>${missing ? msg('This person is not in the directory. The account may have been deactivated.') : describeError(error)}</p>
        ${missing ? nothing : html`<div><cn-button><button type="button" @click=${() => this.person.run()}>${msg('Try again')}</button></cn-button></div>`}
      </div>
    `;
  }

  private renderPerson(person: Person) {
    const { countries, organizations } = this.services;
    const affiliation = affiliationLabel(person, countries, organizations);
    const country = person.countryId ? countries.find((c) => c.id === person.countryId) : undefined;
    const organization = person.organizationId ? organizations.find((o) => o.id === person.organizationId) : undefined;
    const initials = person.displayName
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]?.toUpperCase() ?? '')
      .join('');
    const itsMe = this.user?.id === person.id;
    return html`
      <div class="stack-lg">
        <div class="identity">
          <span class="avatar" aria-hidden="true">${initials}</span>
          <div class="name-block">
            <h1 tabindex="-1">${person.displayName}</h1>
            <p class="muted">${[person.jobTitle, affiliation].filter(Boolean).join(' · ')}</p>
          </div>
        </div>
        <div class="card">
          <dl class="details">
            <dt>${msg('Role')}</dt>
            <dd>${roleLabel(person.role)}${person.delegationRole ? html` · ${delegationLabel(person.delegationRole)}` : nothing}</dd>
            ${country ? html`<dt>${msg('Country')}</dt><dd>${countryName(country)}</dd>` : nothing}
            ${organization ? html`<dt>${msg('Organization')}</dt><dd>${organizationName(organization)}</dd>` : nothing}
            <dt>${msg('E-mail')}</dt>
            <dd><a href=${`mailto:${person.email}`}>${person.email}</a></dd>
            <dt>${msg('Time zone')}</dt>
            <dd>${msg(str`${zoneCityName(person.timeZone)} (local time ${formatTimeNow(person.timeZone)})`)}</dd>
            <dt>${msg('Language')}</dt>
            <dd>${languageName(person.locale)}</dd>
          </dl>
        </div>
        <section class="stack" aria-labelledby="about">
          <h2 id="about">${msg('About')}</h2>
          ${person.bio ? html`<p class="bio">${person.bio}</p>` : html`<p class="muted">${msg('No presentation yet.')}</p>`}
        </section>
        ${itsMe ? html`<p><cn-button><a href="/profile">${msg('Edit your profile')}</a></cn-button></p>` : nothing}
      </div>
    `;
  }
}
