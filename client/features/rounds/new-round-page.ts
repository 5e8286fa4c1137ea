import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { contentLanguage } from '../../app/i18n.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { roundHref, roundsApi, type LibraryEntry } from './rounds-api.js';
import { localized } from './rounds-format.js';
import { roundsStyles } from './rounds.styles.js';

interface Choices {
  documents: LibraryEntry[];
  countries: Array<{ id: string; nameEs: string; nameEn: string }>;
  organizations: Array<{ id: string; acronymEn: string; acronymEs: string }>;
}

/** "yyyy-mm-ddThh:mm" in the browser's zone, two weeks ahead: the usual time a round gives. */
function defaultDeadline(): string {
  const date = new Date(Date.now() + 14 * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T17:00`;
}

/** The secretariat or the coordinator open a comment round on a version of a library document. */
export class CnNewRoundPage extends AppElement {
  static override styles = [baseStyles, pageStyles, roundsStyles];
  static override properties = { search: { type: String }, documentId: { state: true }, busy: { state: true }, formError: { state: true } };

  declare search: string;
  declare private documentId: string;
  declare private busy: boolean;
  declare private formError: string;

  // The form's three lists arrive together: the form shows once it can offer every choice.
  private choices = new Resource(this, {
    load: async (_args, signal): Promise<Choices> => {
      const [documents, countries, organizations] = await Promise.all([roundsApi.library(signal), roundsApi.countries(signal), roundsApi.organizations(signal)]);
      return { documents, countries, organizations };
    },
    args: () => [],
    isEmpty: (choices) => choices.documents.length === 0,
    loaded: (choices) => {
      if (!this.documentId && choices.documents[0]) this.documentId = choices.documents[0].id;
    },
  });

  constructor() {
    super();
    this.search = '';
    this.documentId = '';
    this.busy = false;
    this.formError = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.documentId = new URLSearchParams(this.search).get('documentId') ?? '';
  }

  protected override render() {
    return html`
      <p class="small"><a href="/rounds">${msg('← All comment rounds')}</a></p>
      <div class="page-header"><h1 tabindex="-1">${msg('Open a comment round')}</h1></div>
      ${this.renderBody()}
    `;
  }

  private renderBody() {
    return this.choices.render({
      loading: msg('Loading…'),
      empty: () => msg('The library has no document to comment on yet.'),
      complete: (choices) => this.renderForm(choices),
    });
  }

  private renderForm(choices: Choices) {
    const document = choices.documents.find((entry) => entry.id === this.documentId) ?? choices.documents[0]!;
    const versions = Array.from({ length: document.latestVersion.number }, (_, index) => document.latestVersion.number - index);
    const spanish = contentLanguage() === 'es';
    return html`
      <form class="stack narrow" novalidate @submit=${this.submit}>
        ${this.formError ? html`<div class="alert alert-error" role="alert">${this.formError}</div>` : nothing}
        <cn-field>
          <label slot="label">${msg('Document')}</label>
          <select name="documentId" @change=${(event: Event) => (this.documentId = (event.target as HTMLSelectElement).value)}>
            ${choices.documents.map((entry) => html`<option value=${entry.id} ?selected=${entry.id === document.id}>${localized(entry.title).text}</option>`)}
          </select>
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Version to comment on')}</label>
          <select name="version">
            ${versions.map((number) => html`<option value=${number}>${msg(str`Version ${number}`)}</option>`)}
          </select>
          <span slot="hint">${msg('DOCX keeps its headings as numbered sections; PDF and text are shown by paragraph.')}</span>
        </cn-field>
        <fieldset>
          <legend>${msg('Countries consulted')}</legend>
          <div class="choices">
            ${choices.countries.map((country) => html`<label><input type="checkbox" name="countryIds" value=${country.id} checked /> ${spanish ? country.nameEs : country.nameEn}</label>`)}
          </div>
        </fieldset>
        <fieldset>
          <legend>${msg('Agencies consulted')}</legend>
          <div class="choices">
            ${choices.organizations
              .filter((organization) => organization.id !== 'eclac')
              .map((organization) => html`<label><input type="checkbox" name="organizationIds" value=${organization.id} /> ${spanish ? organization.acronymEs : organization.acronymEn}</label>`)}
          </div>
        </fieldset>
        <cn-field>
          <label slot="label">${msg('Deadline for comments')}</label>
          <input type="datetime-local" name="deadline" required .value=${defaultDeadline()} />
          <span slot="hint">${msg('In your time zone. Delegations that have not submitted are reminded a day before.')}</span>
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Instructions')} <span class="optional">${msg('(optional)')}</span></label>
          <textarea name="instructions" maxlength="20000" rows="4"></textarea>
        </cn-field>
        <div class="form-actions">
          <cn-button variant="primary" ?loading=${this.busy}>
            <button type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${msg('Open the round')}</button>
          </cn-button>
        </div>
      </form>
    `;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) return;
    const data = new FormData(event.target as HTMLFormElement);
    const deadline = new Date(String(data.get('deadline') ?? ''));
    if (Number.isNaN(deadline.getTime())) {
      this.formError = msg('Give the deadline for comments.');
      return;
    }
    this.busy = true;
    this.formError = '';
    try {
      const round = await roundsApi.create({
        documentId: String(data.get('documentId')),
        version: Number(data.get('version')),
        consulted: { countryIds: data.getAll('countryIds').map(String), organizationIds: data.getAll('organizationIds').map(String) },
        deadline: deadline.toISOString(),
        instructions: String(data.get('instructions') ?? ''),
      });
      this.services.toast(msg('The comment round is open.'), 'success');
      this.services.navigate(roundHref(round.id));
    } catch (error) {
      this.formError = describeError(error);
    } finally {
      this.busy = false;
    }
  }
}
