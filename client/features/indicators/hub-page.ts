import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { contentLanguage, currentLocale, pickContent } from '../../app/i18n.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { Resource } from '../../controllers/resource.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { taggedCount } from './catalogue-page.js';
import { hubPath, indicatorsApi, type Hub } from './indicators-api.js';

/** A tagged thing's state word, as the subject's feature gives it; words the client does not know are shown as given. */
const badgeLabel = (badge: string) => (badge === 'concluded' ? msg('Concluded') : badge);

const title = (text: { en: string; es: string } | null) => (text ? pickContent(text.es, text.en) : '');

/** How a kind of tagged thing is headed on the hub; kinds the client does not know keep their name. */
function kindLabel(kind: string): string {
  switch (kind) {
    case 'thread':
      return msg('Debates');
    case 'document':
      return msg('Documents');
    case 'meeting':
      return msg('Meetings');
    case 'minutes':
      return msg('Minutes', { desc: 'Type of document: the record of a meeting' });
    case 'consultation':
      return msg('Consultations');
    case 'discrepancy_case':
      return msg('Discrepancy cases');
    default:
      return kind;
  }
}

/**
 * An indicator's hub: its titles in both content languages, where it sits in its framework, what
 * it corresponds to in other frameworks, and everything tagged with it that the reader may read,
 * by kind; the discrepancy register's cases for it are a link away. New and retagged debates
 * reach an open hub live.
 */
export class CnIndicatorHubPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    listStyles,
    css`
      .other-language {
        color: var(--cn-color-muted);
        margin-block-start: var(--cn-space-1);
      }
      code {
        font-family: var(--cn-font-mono);
        font-weight: 600;
      }
      dl.facts {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: var(--cn-space-1) var(--cn-space-3);
        margin: 0;
      }
      dl.facts dt {
        font-weight: 600;
      }
      dl.facts dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      @media (max-width: 30rem) {
        dl.facts {
          grid-template-columns: 1fr;
        }
        dl.facts dd {
          margin-block-end: var(--cn-space-2);
        }
      }
      section {
        margin-block: var(--cn-space-5);
      }
      ul.things {
        display: grid;
        gap: var(--cn-space-2);
      }
      ul.things li {
        padding: var(--cn-space-2) var(--cn-space-3);
        background: var(--cn-color-surface);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        overflow-wrap: anywhere;
      }
      ul.things .summary {
        margin: var(--cn-space-1) 0 0;
        color: var(--cn-color-muted);
      }
      .relation {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
      }
    `,
  ];

  static override properties = { versionId: {}, code: {} };

  declare versionId: string;
  declare code: string;

  private hub = new Resource(this, {
    load: ([versionId, code], signal) => indicatorsApi.hub(versionId, code, signal),
    args: () => [this.versionId, this.code] as const,
    staleOnFailure: true,
    loaded: (hub) => {
      document.title = `${hub.indicator.code} ${title(hub.indicator.title)} · Concilia`;
    },
  });

  // Debates started or retagged while the hub is open: what is tagged may have changed.
  private live = new LiveSubscriptionController(this, {
    topics: () => (this.user ? [`group:${this.user.groupId}`] : []),
    onMessage: (message) => {
      if ((message.type === 'event' && (message.event === 'thread.created' || message.event === 'thread.updated')) || message.type === 'resync') void this.hub.run();
    },
  });

  constructor() {
    super();
    this.versionId = '';
    this.code = '';
  }

  protected override render() {
    return this.hub.render({
      loading: msg('Loading the indicator…'),
      failure: (error) =>
        (error as { status?: number }).status === 404
          ? { message: msg('The catalogue has no such indicator.'), retry: false, next: html`<a href="/indicators">${msg('Browse the catalogue')}</a>` }
          : null,
      complete: (hub) => this.renderHub(hub),
    });
  }

  private renderHub(hub: Hub) {
    const indicator = hub.indicator;
    const reading = contentLanguage(currentLocale());
    const other = reading === 'es' ? indicator.title.en : indicator.title.es;
    const otherLang = reading === 'es' ? 'en' : 'es';
    return html`
      <div class="page-header">
        <p class="muted"><a href=${`/indicators${hub.version.id === 'mdg-2008' ? '' : `?version=${encodeURIComponent(hub.version.id)}`}`}>${title(hub.version.title)}</a></p>
        <h1 tabindex="-1"><code>${indicator.code}</code> ${title(indicator.title)}</h1>
        ${other && other !== title(indicator.title) ? html`<p class="other-language" lang=${otherLang}>${other}</p>` : nothing}
      </div>
      <dl class="facts">
        <dt>${msg('Goal')}</dt>
        <dd>${/^\D+\s\d/.test(title(hub.goal.title)) ? title(hub.goal.title) : html`${hub.goal.code}${hub.goal.title ? html` · ${title(hub.goal.title)}` : nothing}`}</dd>
        <dt>${msg('Targets')}</dt>
        <dd>${hub.targets.map((target, i) => html`${i > 0 ? html`<br />` : nothing}${target.code}${target.title ? html` · ${title(target.title)}` : nothing}`)}</dd>
        ${indicator.tier ? html`<dt>${msg('Tier')}</dt><dd>${indicator.tier}</dd>` : nothing}
        ${indicator.custodians.length > 0 ? html`<dt>${msg('Custodian agencies')}</dt><dd>${indicator.custodians.join(', ')}</dd>` : nothing}
        ${indicator.unit ? html`<dt>${msg('Unit')}</dt><dd><code>${indicator.unit}</code></dd>` : nothing}
        ${indicator.seriesCodes.length > 0 ? html`<dt>${msg('Series')}</dt><dd>${indicator.seriesCodes.map((s, i) => html`${i > 0 ? ', ' : ''}<code>${s}</code>`)}</dd>` : nothing}
        ${indicator.complementary ? html`<dt>${msg('Origin')}</dt><dd>${msg('Complementary indicator added by the group')}</dd>` : nothing}
      </dl>

      ${hub.crosswalk.length > 0
        ? html`<section aria-labelledby="crosswalk">
            <h2 id="crosswalk">${msg('In other frameworks')}</h2>
            <ul class="plain things">
              ${hub.crosswalk.map(
                (link) => html`<li>
                  <span class="relation">${link.relation === 'equivalent' ? msg('Same measure') : msg('Related measure (another definition)')}</span><br />
                  ${link.indicators.length > 0
                    ? link.indicators.map((linked, i) => html`${i > 0 ? html`<br />` : nothing}<a href=${hubPath(linked.versionId, link.code)}>${link.family} <code>${link.code}</code> ${title(linked.title)}</a>`)
                    : html`${link.family} <code>${link.code}</code> <span class="muted">${msg('(not in the catalogue yet)')}</span>`}
                </li>`,
              )}
            </ul>
          </section>`
        : nothing}

      <section aria-labelledby="tagged">
        <h2 id="tagged">${msg('Tagged with this indicator')} <span class="muted">(${taggedCount(indicator.count)})</span></h2>
        ${hub.tagged.length === 0
          ? html`<p class="empty muted">${msg('Nothing you can see is tagged with this indicator yet.')}</p>`
          : hub.tagged.map(
              (group) => html`<h3>${kindLabel(group.kind)}</h3>
                <ul class="plain things">
                  ${group.items.map(
                    (item) =>
                      html`<li>
                        <a href=${item.href}>${item.title || msg('(untitled)')}</a>
                        ${item.badge ? html` <span class="badge" data-badge>${badgeLabel(item.badge)}</span>` : nothing}
                        ${item.summary
                          ? html`<p class="summary" data-summary>${item.kind === 'thread' ? html`<strong>${msg('Outcome:')}</strong> ` : nothing}${item.summary}</p>`
                          : nothing}
                      </li>`,
                  )}
                </ul>`,
            )}
      </section>

      <section aria-labelledby="register">
        <h2 id="register">${msg('Discrepancy register')}</h2>
        <p><a href=${hub.discrepancies.href}>${msg(str`Cases of indicator ${indicator.code}`)}</a></p>
      </section>
    `;
  }
}
