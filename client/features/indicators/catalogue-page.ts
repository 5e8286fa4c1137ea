import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AddressedPage } from '../../app/addressed-page.js';
import { formatNumber } from '../../app/format.js';
import { pickContent } from '../../app/i18n.js';
import { formQuery } from '../../app/navigation.js';
import { plural } from '../../app/plural.js';
import { Resource } from '../../controllers/resource.js';
import { listPageStyles } from '../../ui/styles/list.styles.js';
import { hubPath, indicatorsApi, type Catalogue, type CatalogueGoal, type CatalogueIndicator, type FrameworkList } from './indicators-api.js';

const DEFAULT_VERSION = 'mdg-2008';

const title = (text: { en: string; es: string } | null) => (text ? pickContent(text.es, text.en) : '');

/** "3 things tagged", the count of a goal, target or indicator. */
export const taggedCount = (n: number) =>
  plural(n, { one: msg(str`${formatNumber(n)} thing tagged`, { id: 'indicators-tagged.one' }), other: msg(str`${formatNumber(n)} things tagged`, { id: 'indicators-tagged.other' }) });

/**
 * The indicator catalogue: one version of a framework (the MDG list of 2008 by default) by goal and
 * target, each with the count of what is tagged with it that the reader may read, and a search box.
 * The version and the search live in the address (?version=sdg-2025&q=mortalidad).
 */
export class CnIndicatorCataloguePage extends AddressedPage {
  static override styles = [
    ...listPageStyles,
    css`
      details.goal {
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        background: var(--cn-color-surface);
        margin-block-end: var(--cn-space-3);
      }
      details.goal > summary {
        cursor: pointer;
        padding: var(--cn-space-3);
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: var(--cn-space-2);
        font-weight: 600;
      }
      details.goal > summary:focus-visible {
        outline: 2px solid var(--cn-color-focus, currentColor);
        outline-offset: 2px;
      }
      .body {
        padding: 0 var(--cn-space-3) var(--cn-space-3);
        display: grid;
        gap: var(--cn-space-3);
      }
      h3 {
        font-size: 0.95rem;
        margin: 0;
        font-weight: 600;
      }
      ul.indicators {
        display: grid;
        gap: var(--cn-space-1);
      }
      ul.indicators li {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: var(--cn-space-1) var(--cn-space-3);
        padding-block: var(--cn-space-1);
        border-block-end: 1px solid var(--cn-color-border);
      }
      ul.indicators li:last-child {
        border-block-end: none;
      }
      .indicator a {
        overflow-wrap: anywhere;
      }
      code {
        font-family: var(--cn-font-mono);
        font-weight: 600;
      }
      .count {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
        white-space: nowrap;
      }
      .count.some {
        color: inherit;
        font-weight: 600;
      }
      .meta {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
        inline-size: 100%;
      }
    `,
  ];

  private frameworks = new Resource(this, {
    load: (_args, signal) => indicatorsApi.frameworks(signal),
    args: () => [] as const,
  });

  private catalogue = new Resource(this, {
    load: ([version, q], signal) => indicatorsApi.catalogue(version, q, signal),
    args: () => [this.version, this.q] as const,
    keepWhileLoading: true,
    isEmpty: (catalogue) => catalogue.shown === 0,
  });

  private get version(): string {
    return this.params.get('version')?.trim() || DEFAULT_VERSION;
  }

  private get q(): string {
    return this.params.get('q')?.trim() ?? '';
  }

  protected override render() {
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg('Indicator catalogue')}</h1>
        <p class="lead">${msg('Goals, targets and indicators of each framework, with what the group has tagged with them.')}</p>
      </div>
      <form class="search card" role="search" aria-label=${msg('Search the catalogue')} @submit=${this.submit}>
        <div class="filters">
          <div class="control">
            <label for="version">${msg('Framework')}</label>
            <select id="version" name="version" @change=${(event: Event) => (event.target as HTMLSelectElement).form?.requestSubmit()}>
              ${this.versionOptions(this.frameworks.value)}
            </select>
          </div>
          <div class="control">
            <label for="q">${msg('Code or words')}</label>
            <input id="q" name="q" type="search" autocomplete="off" .value=${this.q} placeholder=${msg('e.g. 4.1 or mortality')} />
          </div>
        </div>
        <div><cn-button variant="primary" size="small"><button type="submit">${msg('Search')}</button></cn-button></div>
      </form>
      <p class="muted" role="status" aria-live="polite">${this.countText()}</p>
      ${this.catalogue.render({
        loading: msg('Loading the catalogue…'),
        announced: true,
        empty: () => (this.q ? msg('No indicator matches.') : msg('This framework has no indicators yet.')),
        failure: (error) => ((error as { status?: number }).status === 404 ? { message: msg('There is no such framework version.'), retry: false, next: html`<a href="/indicators">${msg('See the MDG list')}</a>` } : null),
        complete: (catalogue, reloading) => this.renderCatalogue(catalogue, reloading),
      })}
    `;
  }

  private versionOptions(list: FrameworkList | undefined) {
    const versions = list?.items.flatMap((framework) => framework.versions.map((version) => ({ id: version.id, label: title(version.title) }))) ?? [];
    if (!versions.some((version) => version.id === this.version)) versions.unshift({ id: this.version, label: this.version });
    return versions.map((version) => html`<option value=${version.id} ?selected=${version.id === this.version}>${version.label}</option>`);
  }

  private countText(): string {
    if (this.catalogue.loading) return msg('Loading the catalogue…');
    const catalogue = this.catalogue.value;
    if (this.catalogue.failed || !catalogue) return '';
    return plural(catalogue.shown, { one: msg(str`${formatNumber(catalogue.shown)} indicator`, { id: 'indicators-shown.one' }), other: msg(str`${formatNumber(catalogue.shown)} indicators`, { id: 'indicators-shown.other' }) });
  }

  private renderCatalogue(catalogue: Catalogue, reloading: boolean) {
    const open = this.q !== '' || catalogue.goals.length === 1;
    return html`<div aria-busy=${reloading ? 'true' : 'false'}>${catalogue.goals.map((goal) => this.renderGoal(catalogue, goal, open))}</div>`;
  }

  private renderGoal(catalogue: Catalogue, goal: CatalogueGoal, open: boolean) {
    const goalTitle = title(goal.title);
    return html`
      <details class="goal" ?open=${open}>
        <summary>
          <span>${/^\D+\s\d/.test(goalTitle) ? goalTitle : html`${msg(str`Goal ${goal.code}`)}${goalTitle ? html`: ${goalTitle}` : nothing}`}</span>
          <span class="count ${goal.count > 0 ? 'some' : ''}">${taggedCount(goal.count)}</span>
        </summary>
        <div class="body">
          ${goal.targets.map(
            (target) => html`
              <section aria-label=${msg(str`Target ${target.code}`)}>
                <h3>${msg(str`Target ${target.code}`)}${target.title ? html`: <span class="muted">${title(target.title)}</span>` : nothing}</h3>
                ${target.indicators.length === 0
                  ? html`<p class="muted">${msg('No indicator of its own.')}</p>`
                  : html`<ul class="plain indicators">
                      ${target.indicators.map((indicator) => this.renderIndicator(catalogue, indicator))}
                    </ul>`}
              </section>
            `,
          )}
        </div>
      </details>
    `;
  }

  private renderIndicator(catalogue: Catalogue, indicator: CatalogueIndicator) {
    const details = [
      indicator.tier ? msg(str`Tier ${indicator.tier}`) : '',
      indicator.custodians.length > 0 ? msg(str`Custodians: ${indicator.custodians.join(', ')}`) : '',
      indicator.sharedWith ? msg(str`Listed under target ${indicator.sharedWith}`) : '',
      indicator.complementary ? msg('Complementary indicator') : '',
    ].filter(Boolean);
    return html`<li>
      <span class="indicator"><a href=${hubPath(catalogue.version.id, indicator.code)}><code>${indicator.code}</code> ${title(indicator.title)}</a></span>
      <span class="count ${indicator.count > 0 ? 'some' : ''}">${taggedCount(indicator.count)}</span>
      ${details.length > 0 ? html`<span class="meta">${details.join(' · ')}</span>` : nothing}
    </li>`;
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const params = formQuery(new FormData(event.currentTarget as HTMLFormElement), ['version', 'q']);
    if (params.get('version') === DEFAULT_VERSION) params.delete('version');
    const query = params.toString();
    this.services.navigate(query ? `/indicators?${query}` : '/indicators');
  }
}
