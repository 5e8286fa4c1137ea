import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { compareText, countryName, delegationLabel, organizationAcronym, organizationName, searchable } from '../../app/format.js';
import type { Country, Directory, Person } from '../../app/models.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { peopleApi } from './people-api.js';
import { personItem } from './person-item.js';

interface Delegation {
  country: Country;
  name: string;
  focalPoint: Person | null;
  alternates: Person[];
}

const matches = (query: string, ...texts: string[]) => texts.some((value) => searchable(value).includes(query));
const personMatches = (query: string, person: Person) => matches(query, person.displayName, person.jobTitle, person.email);

/**
 * Every member country with its focal point and alternates, then the organizations and
 * anyone else. Administrators and the coordinator can name a delegation's focal point.
 */
export class CnDirectoryPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      .filter {
        display: grid;
        gap: var(--cn-space-2);
        max-inline-size: 30rem;
        margin-block-end: var(--cn-space-5);
      }

      .filter label {
        font-weight: 600;
      }

      .filter input {
        font: inherit;
        min-block-size: 2.75rem;
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
        background: var(--cn-color-surface);
      }

      section + section {
        margin-block-start: var(--cn-space-6);
      }

      section > h2 {
        margin-block-end: var(--cn-space-4);
      }

      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr));
        gap: var(--cn-space-4);
        list-style: none;
        margin: 0;
        padding: 0;
      }

      article {
        display: grid;
        gap: var(--cn-space-3);
        align-content: start;
        block-size: 100%;
      }

      .subtitle {
        color: var(--cn-color-muted);
        font-size: 0.875rem;
        margin-block-start: calc(-1 * var(--cn-space-2));
      }

      .group-label {
        font-size: 0.75rem;
        font-weight: 700;
        letter-spacing: 0.06em;
        text-transform: uppercase;
        color: var(--cn-color-muted);
        margin-block-end: var(--cn-space-1);
      }

      .people {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-3);
      }

      .person {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--cn-space-2);
      }

      .person-main {
        display: grid;
        min-inline-size: 0;
      }

      .person-name {
        font-weight: 600;
      }

      .person-title {
        color: var(--cn-color-muted);
        font-size: 0.9rem;
      }

      .person-email {
        font-size: 0.9rem;
        overflow-wrap: anywhere;
      }

      .vacant {
        color: var(--cn-color-muted);
        font-style: italic;
      }

      .empty-countries {
        margin-block-start: var(--cn-space-5);
        padding: var(--cn-space-4);
        border: 1px dashed var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
        background: var(--cn-color-surface);
      }

      .empty-countries h3 {
        font-size: 0.95rem;
        margin-block-end: var(--cn-space-2);
      }

      .inline-list {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-1) var(--cn-space-2);
        color: var(--cn-color-muted);
        font-size: 0.9rem;
      }

      .inline-list li:not(:last-child)::after {
        content: '·';
        margin-inline-start: var(--cn-space-2);
      }
    `,
  ];

  static override properties = {
    query: { state: true },
    busyId: { state: true },
  };

  declare private query: string;
  declare private busyId: string | null;

  private directory = new Resource(this, {
    load: (_args, signal) => peopleApi.directory(signal),
    args: () => [],
  });

  constructor() {
    super();
    this.query = '';
    this.busyId = null;
  }

  private get canNameFocalPoints() {
    return this.user?.role === 'admin' || this.user?.role === 'coordinator';
  }

  protected override render() {
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg('Member directory')}</h1>
        <p class="lead">${msg('The delegations of the member countries, the secretariat and the observer organizations.')}</p>
      </div>
      <div class="filter" role="search">
        <label for="filter">${msg('Filter by name, country or organization')}</label>
        <input id="filter" type="search" autocomplete="off" .value=${this.query} @input=${(event: InputEvent) => (this.query = (event.target as HTMLInputElement).value)} />
      </div>
      ${this.directory.render({ loading: msg('Loading the directory…'), complete: (directory) => this.renderDirectory(directory) })}
    `;
  }

  private renderDirectory(directory: Directory) {
    const query = searchable(this.query.trim());
    const countries = new Map(this.services.countries.map((country) => [country.id, country]));
    const delegations: Delegation[] = directory.countries
      .map((entry) => {
        const country = countries.get(entry.countryId);
        return country ? { country, name: countryName(country), focalPoint: entry.focalPoint, alternates: entry.alternates } : null;
      })
      .filter((entry): entry is Delegation => entry !== null)
      .sort((a, b) => compareText(a.name, b.name));

    const staffed = delegations.filter((d) => d.focalPoint || d.alternates.length > 0);
    const vacant = delegations.filter((d) => !d.focalPoint && d.alternates.length === 0);

    const visibleStaffed = query
      ? staffed.filter((d) => matches(query, d.name, d.country.nameEn, d.country.nameEs) || [d.focalPoint, ...d.alternates].some((p) => p && personMatches(query, p)))
      : staffed;
    const visibleVacant = query ? vacant.filter((d) => matches(query, d.name, d.country.nameEn, d.country.nameEs)) : vacant;

    const organizations = directory.organizations
      .map((entry) => ({ organization: this.services.organizations.find((o) => o.id === entry.organizationId), people: entry.people, id: entry.organizationId }))
      .sort((a, b) => compareText(organizationAcronym(a.organization) || a.id, organizationAcronym(b.organization) || b.id));
    const visibleOrganizations = query
      ? organizations.filter(
          (o) => matches(query, o.id, o.organization?.acronymEn ?? '', o.organization?.acronymEs ?? '', o.organization?.nameEn ?? '', o.organization?.nameEs ?? '') || o.people.some((p) => personMatches(query, p)),
        )
      : organizations;
    const visibleOthers = query ? directory.others.filter((p) => personMatches(query, p)) : directory.others;

    const nothingFound = query && visibleStaffed.length + visibleVacant.length + visibleOrganizations.length + visibleOthers.length === 0;
    return html`
      <p class="visually-hidden" role="status">${query ? (nothingFound ? msg('Nothing matches the filter.') : msg(str`${visibleStaffed.length + visibleVacant.length} countries and ${visibleOrganizations.length} organizations match the filter.`)) : ''}</p>
      ${nothingFound ? html`<p class="alert alert-info">${msg(str`Nothing matches "${this.query.trim()}".`)}</p>` : nothing}
      ${visibleStaffed.length + visibleVacant.length > 0
        ? html`
            <section aria-labelledby="countries-heading">
              <h2 id="countries-heading">${msg('Countries')}</h2>
              ${visibleStaffed.length > 0
                ? html`<ul class="grid">${visibleStaffed.map((d) => html`<li>${this.renderDelegation(d)}</li>`)}</ul>`
                : html`<p class="muted">${msg('No country has a delegation in the forum yet.')}</p>`}
              ${visibleVacant.length > 0
                ? html`
                    <div class="empty-countries">
                      <h3>${msg('No delegation yet')}</h3>
                      <ul class="inline-list">${visibleVacant.map((d) => html`<li>${d.name}</li>`)}</ul>
                    </div>
                  `
                : nothing}
            </section>
          `
        : nothing}
      ${visibleOrganizations.length > 0
        ? html`
            <section aria-labelledby="organizations-heading">
              <h2 id="organizations-heading">${msg('Organizations')}</h2>
              <ul class="grid">
                ${visibleOrganizations.map(
                  (o) => html`
                    <li>
                      <article class="card" aria-labelledby=${`organization-${o.id}`}>
                        <h3 id=${`organization-${o.id}`}>${organizationAcronym(o.organization) || o.id}</h3>
                        ${o.organization ? html`<p class="subtitle">${organizationName(o.organization)}</p>` : nothing}
                        <ul class="people">${o.people.map((person) => personItem(person))}</ul>
                      </article>
                    </li>
                  `,
                )}
              </ul>
            </section>
          `
        : nothing}
      ${visibleOthers.length > 0
        ? html`
            <section aria-labelledby="others-heading">
              <h2 id="others-heading">${msg('Other participants')}</h2>
              <div class="card"><ul class="people">${visibleOthers.map((person) => personItem(person))}</ul></div>
            </section>
          `
        : nothing}
    `;
  }

  private renderDelegation(delegation: Delegation) {
    const id = `country-${delegation.country.id}`;
    return html`
      <article class="card" aria-labelledby=${id}>
        <h3 id=${id} tabindex="-1">${delegation.name}</h3>
        <div>
          <p class="group-label">${delegationLabel('focal_point')}</p>
          ${delegation.focalPoint
            ? html`<ul class="people">${personItem(delegation.focalPoint)}</ul>`
            : html`<p class="vacant">${msg('No focal point designated yet.')}</p>`}
        </div>
        ${delegation.alternates.length > 0
          ? html`
              <div>
                <p class="group-label">${msg('Alternates')}</p>
                <ul class="people">${delegation.alternates.map((person) => personItem(person, this.renderFocalPointAction(person, delegation)))}</ul>
              </div>
            `
          : nothing}
      </article>
    `;
  }

  private renderFocalPointAction(person: Person, delegation: Delegation) {
    if (!this.canNameFocalPoints || person.role !== 'member') return nothing;
    const busy = this.busyId === person.id;
    return html`
      <cn-button size="small" ?loading=${busy}>
        <button type="button" aria-disabled=${this.busyId ? 'true' : 'false'} aria-label=${msg(str`Make focal point: ${person.displayName}`)} @click=${() => this.makeFocalPoint(person, delegation)}>
          ${msg('Make focal point')}
        </button>
      </cn-button>
    `;
  }

  private async makeFocalPoint(person: Person, delegation: Delegation) {
    if (this.busyId) return;
    this.busyId = person.id;
    try {
      await peopleApi.makeFocalPoint(person.id);
      await this.directory.run();
      await this.updateComplete;
      // The button is gone with the change; keep the keyboard where the person was working.
      this.renderRoot.querySelector<HTMLElement>(`#country-${delegation.country.id}`)?.focus();
      this.services.toast(msg(str`${person.displayName} is now the focal point of ${delegation.name}.`), 'success');
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busyId = null;
    }
  }
}
