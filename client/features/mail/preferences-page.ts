import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { mailApi, type Delivery, type MailPreferences } from './mail-api.js';

const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** Which e-mails I get: per kind at once, in the daily digest, or never; and the digest's hour in my zone. */
export class CnMailPreferencesPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      .kind {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: var(--space-2, 0.5rem) var(--space-3, 1rem);
        align-items: center;
        padding-block: var(--space-2, 0.5rem);
        border-block-end: 1px solid var(--color-border, #ddd);
      }
      @media (max-width: 40rem) {
        .kind {
          grid-template-columns: 1fr;
        }
      }
      select {
        min-inline-size: 12rem;
        max-inline-size: 100%;
      }
    `,
  ];

  static override properties = { saving: { state: true }, saved: { state: true }, failure: { state: true } };

  declare private saving: boolean;
  declare private saved: boolean;
  declare private failure: unknown;
  private changes: { digestHour?: number; kinds: Record<string, Delivery> } = { kinds: {} };

  private preferences = new Resource(this, {
    args: () => [] as const,
    load: (_args, signal) => mailApi.preferences(signal),
  });

  constructor() {
    super();
    this.saving = false;
    this.saved = false;
    this.failure = null;
  }

  protected override render() {
    return html`
      <div class="narrow">
        <div class="page-header">
          <h1 tabindex="-1">${msg('E-mail preferences')}</h1>
          <p class="lead">${msg('Choose, for each kind of notification, whether Concilia e-mails you at once, gathers it in a daily summary, or does not e-mail it. Nothing you have already read in the forum is e-mailed.')}</p>
        </div>
        ${this.preferences.render({ loading: msg('Loading…'), complete: (preferences) => this.renderForm(preferences) })}
      </div>
    `;
  }

  private deliveryLabel(delivery: Delivery): string {
    return delivery === 'immediately' ? msg('At once') : delivery === 'digest' ? msg('In the daily summary') : msg('Never');
  }

  private renderForm(preferences: MailPreferences) {
    return html`
      <form class="card stack" novalidate @submit=${this.save} @change=${this.changed}>
        ${this.failure ? html`<div class="alert alert-error" role="alert">${describeError(this.failure)}</div>` : nothing}
        ${this.saved ? html`<div class="alert alert-success" role="status">${msg('Your e-mail preferences were saved.')}</div>` : nothing}
        <cn-field>
          <label slot="label" for="digest-hour">${msg('Daily summary at')}</label>
          <select id="digest-hour" name="digestHour">
            ${Array.from({ length: 24 }, (_, hour) => html`<option value=${hour} ?selected=${hour === preferences.digestHour}>${hourLabel(hour)}</option>`)}
          </select>
          <span slot="hint">${msg(str`In your time zone (${preferences.timeZone}). No summary is sent on a day with nothing new.`)}</span>
        </cn-field>
        ${preferences.kinds.length === 0
          ? html`<p class="muted">${msg('There are no kinds of notification to choose about yet.')}</p>`
          : preferences.kinds.map(
              (kind) => html`<div class="kind">
                <label for=${`kind-${kind.kind}`}>${kind.label}</label>
                <select id=${`kind-${kind.kind}`} name=${`kind:${kind.kind}`}>
                  ${(['immediately', 'digest', 'never'] as const)
                    .filter((delivery) => delivery !== 'digest' || kind.digest)
                    .map((delivery) => html`<option value=${delivery} ?selected=${delivery === kind.delivery}>${this.deliveryLabel(delivery)}${delivery === kind.defaultDelivery ? ` (${msg('default')})` : ''}</option>`)}
                </select>
              </div>`,
            )}
        <div class="form-actions">
          <cn-button variant="primary" ?loading=${this.saving}>
            <button type="submit" aria-disabled=${this.saving ? 'true' : 'false'}>${msg('Save')}</button>
          </cn-button>
        </div>
      </form>
    `;
  }

  private changed(event: Event) {
    const select = event.target as HTMLSelectElement;
    this.saved = false;
    if (select.name === 'digestHour') this.changes.digestHour = Number(select.value);
    else if (select.name.startsWith('kind:')) this.changes.kinds[select.name.slice(5)] = select.value as Delivery;
  }

  private async save(event: SubmitEvent) {
    event.preventDefault();
    if (this.saving) return;
    this.saving = true;
    this.failure = null;
    try {
      const saved = await mailApi.savePreferences({ ...(this.changes.digestHour !== undefined ? { digestHour: this.changes.digestHour } : {}), kinds: this.changes.kinds });
      this.changes = { kinds: {} };
      // The server answers with the preferences as saved: shown as they are, without loading them again.
      this.preferences.value = saved;
      this.saved = true;
    } catch (error) {
      this.failure = error;
    } finally {
      this.saving = false;
    }
  }
}
