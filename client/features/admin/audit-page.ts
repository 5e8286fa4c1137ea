import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { api } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { formatDateTime, formatNumber } from '../../app/format.js';
import { text } from '../../app/forms.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { tableStyles as adminTableStyles } from '../../ui/styles/table.styles.js';
import { rangePager } from '../../ui/pager/pager.js';

const PAGE_SIZE = 50;

export interface AuditEntry {
  id: number;
  subjectKind: string;
  subjectId: string;
  actor: { id: string; displayName: string } | null;
  action: string;
  details: Record<string, unknown>;
  ip: string | null;
  at: string;
}

interface AuditPage {
  items: AuditEntry[];
  total: number;
  actions: string[];
  subjectKinds: string[];
  retentionDays: number;
}

interface Filters {
  action: string;
  actorId: string;
  actorName: string;
  subjectKind: string;
  from: string;
  to: string;
  page: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const FILTER_KEYS = ['action', 'actorId', 'actorName', 'subjectKind', 'from', 'to'] as const;

function filtersFromUrl(): Filters {
  const params = new URLSearchParams(window.location.search);
  const day = (key: string) => {
    const value = params.get(key) ?? '';
    return DAY.test(value) ? value : '';
  };
  const page = Number(params.get('page') ?? '1');
  return {
    action: params.get('action') ?? '',
    actorId: params.get('actorId') ?? '',
    actorName: params.get('actorName') ?? '',
    subjectKind: params.get('subjectKind') ?? '',
    from: day('from'),
    to: day('to'),
    page: Number.isInteger(page) && page > 1 ? page - 1 : 0,
  };
}

/** The filters as the API's query (the actor's name is only for the page). */
function apiQuery(filters: Filters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of ['action', 'actorId', 'subjectKind', 'from', 'to'] as const) if (filters[key]) query[key] = filters[key];
  return query;
}

/** The audit log's actions in words; an action this list does not know yet shows as its code. */
function actionLabel(action: string): string {
  const labels: Record<string, () => string> = {
    'user.role_changed': () => msg('Role changed'),
    'user.delegation_changed': () => msg('Focal point or alternate changed'),
    'user.deactivated': () => msg('Account deactivated'),
    'user.reactivated': () => msg('Account reactivated'),
    'user.signed_in_new_address': () => msg('Signed in from a new address'),
    'invitation.created': () => msg('Invitation sent'),
    'invitation.revoked': () => msg('Invitation revoked'),
    'invitation.accepted': () => msg('Invitation accepted'),
    'thread.pinned': () => msg('Thread pinned'),
    'thread.unpinned': () => msg('Thread unpinned'),
    'thread.locked': () => msg('Thread locked'),
    'thread.unlocked': () => msg('Thread unlocked'),
    'thread.moved': () => msg('Thread moved'),
    'post.hidden': () => msg('Post hidden'),
    'post.unhidden': () => msg('Post shown again'),
    'document.uploaded': () => msg('Document published'),
    'document.version_added': () => msg('Document version added'),
    'document.updated': () => msg('Document changed'),
    'document.deleted': () => msg('Document moved to the trash'),
    'document.restored': () => msg('Document restored'),
    'document.purged': () => msg('Document purged'),
    'discrepancy_case.published': () => msg('Discrepancy case published'),
    'consultation.exported': () => msg('Consultation answers exported'),
  };
  return labels[action]?.() ?? action;
}

function subjectKindLabel(kind: string): string {
  const labels: Record<string, () => string> = {
    user: () => msg('Person'),
    invitation: () => msg('Invitation'),
    thread: () => msg('Thread'),
    post: () => msg('Post'),
    document: () => msg('Document'),
    discrepancy_case: () => msg('Discrepancy case'),
    consultation: () => msg('Consultation'),
  };
  return labels[kind]?.() ?? kind;
}

/** Where a subject can be seen, when it has a page of its own. */
function subjectHref(entry: AuditEntry): string | null {
  const id = encodeURIComponent(entry.subjectId);
  if (entry.subjectKind === 'user') return `/people/${id}`;
  if (entry.subjectKind === 'thread') return `/debates/t/${id}`;
  if (entry.subjectKind === 'document') return `/documents/${id}`;
  if (entry.subjectKind === 'discrepancy_case') return `/discrepancies/cases/${id}`;
  if (entry.subjectKind === 'consultation') return `/consultations/${id}`;
  return null;
}

/** The details of an entry as short "key: value" lines, for people rather than machines. */
function detailLines(details: Record<string, unknown>): string[] {
  return Object.entries(details).map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

/**
 * The audit log, for administrators: who did what to what, when and from where; filtered by
 * action, person, kind of subject and days, paged, and downloadable as CSV with the same filters.
 * The filters live in the address, so a link shows the same view.
 */
export class CnAuditPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    adminTableStyles,
    css`
      .details {
        margin: 0;
        padding: 0;
        list-style: none;
        font-size: 0.875rem;
        overflow-wrap: anywhere;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: var(--cn-space-2);
      }
      .csv-link {
        align-self: end;
        padding-block: var(--cn-space-2);
      }
      .link-button {
        background: none;
        border: 0;
        padding: 0;
        font: inherit;
        color: var(--cn-color-link, inherit);
        text-decoration: underline;
        cursor: pointer;
        text-align: start;
      }
    `,
  ];

  static override properties = { filters: { state: true } };
  declare private filters: Filters;

  /** Other filters keep the current entries shown (marked busy) until theirs arrive. */
  private log = new Resource(this, {
    args: () => [this.filters] as const,
    load: ([filters], signal) => api.get<AuditPage>('/admin/audit', { query: { ...apiQuery(filters), limit: PAGE_SIZE, offset: filters.page * PAGE_SIZE }, signal }),
    keepWhileLoading: true,
  });

  constructor() {
    super();
    this.filters = filtersFromUrl();
  }

  private setFilters(filters: Filters) {
    this.filters = filters;
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
    if (filters.page > 0) params.set('page', String(filters.page + 1));
    const search = params.toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${search ? `?${search}` : ''}`);
  }

  protected override render() {
    const facets = this.log.value;
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg('Audit log')}</h1>
        <p class="lead">
          ${msg('Changes of roles and accounts, invitations, moderation, the library’s changes and sign-ins from new addresses: who did what, when and from where.')}
          ${facets ? msg(str`Entries are kept for ${formatNumber(facets.retentionDays)} days.`) : nothing}
        </p>
      </div>
      <section class="stack" aria-labelledby="audit-heading">
        <h2 id="audit-heading" class="visually-hidden">${msg('Entries')}</h2>
        ${this.renderFilters(facets)}
        ${this.log.render({ loading: msg('Loading the audit log…'), complete: (page, reloading) => this.renderTable(page, reloading) })}
      </section>
    `;
  }

  private renderFilters(facets: AuditPage | undefined) {
    const filters = this.filters;
    const actions = [...new Set([...(facets?.actions ?? []), ...(filters.action ? [filters.action] : [])])];
    const kinds = [...new Set([...(facets?.subjectKinds ?? []), ...(filters.subjectKind ? [filters.subjectKind] : [])])];
    const csvQuery = new URLSearchParams(apiQuery(filters)).toString();
    return html`
      <form class="toolbar" role="search" aria-label=${msg('Filter the audit log')} @submit=${this.applyFilters}>
        <cn-field>
          <label slot="label">${msg('Action')}</label>
          <select name="action" @change=${this.submitFilters}>
            <option value="" ?selected=${filters.action === ''}>${msg('All actions')}</option>
            ${actions.map((action) => html`<option value=${action} ?selected=${filters.action === action}>${actionLabel(action)}</option>`)}
          </select>
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Concerning')}</label>
          <select name="subjectKind" @change=${this.submitFilters}>
            <option value="" ?selected=${filters.subjectKind === ''}>${msg('Everything')}</option>
            ${kinds.map((kind) => html`<option value=${kind} ?selected=${filters.subjectKind === kind}>${subjectKindLabel(kind)}</option>`)}
          </select>
        </cn-field>
        <cn-field>
          <label slot="label">${msg('From')}</label>
          <input name="from" type="date" .value=${filters.from} />
        </cn-field>
        <cn-field>
          <label slot="label">${msg('To')}</label>
          <input name="to" type="date" .value=${filters.to} />
        </cn-field>
        <cn-button variant="primary"><button type="submit">${msg('Filter')}</button></cn-button>
        <a class="csv-link" href=${`/api/admin/audit.csv${csvQuery ? `?${csvQuery}` : ''}`} download>${msg('Download as CSV')}</a>
      </form>
      ${filters.actorId
        ? html`<p class="chip">
            ${msg(str`Only what ${filters.actorName || filters.actorId} did`)}
            <cn-button size="small" variant="quiet">
              <button type="button" @click=${() => this.setFilters({ ...this.filters, actorId: '', actorName: '', page: 0 })}>${msg('Show everyone')}</button>
            </cn-button>
          </p>`
        : nothing}
    `;
  }

  private submitFilters(event: Event) {
    (event.target as HTMLSelectElement).form?.requestSubmit();
  }

  private applyFilters(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const day = (key: string) => (DAY.test(text(data, key)) ? text(data, key) : '');
    this.setFilters({ ...this.filters, action: text(data, 'action'), subjectKind: text(data, 'subjectKind'), from: day('from'), to: day('to'), page: 0 });
  }

  private renderTable({ items, total }: AuditPage, refreshing: boolean) {
    const { page } = this.filters;
    if (items.length === 0) {
      const filtered = FILTER_KEYS.some((key) => this.filters[key]);
      return html`<p class="alert alert-info" role="status">${filtered ? msg('No entry matches these filters.') : msg('The audit log is empty.')}</p>`;
    }
    const labels = { when: msg('When'), action: msg('Action'), subject: msg('Concerning'), who: msg('Who'), from: msg('From address'), details: msg('Details') };
    return html`
      <div class="table-wrap" aria-busy=${refreshing ? 'true' : 'false'}>
        <table>
          <caption class="visually-hidden">${msg('Audit log entries, newest first')}</caption>
          <thead>
            <tr>
              <th scope="col">${labels.when}</th>
              <th scope="col">${labels.action}</th>
              <th scope="col">${labels.subject}</th>
              <th scope="col">${labels.who}</th>
              <th scope="col">${labels.from}</th>
              <th scope="col">${labels.details}</th>
            </tr>
          </thead>
          <tbody>
            ${items.map((entry) => this.renderRow(entry, labels))}
          </tbody>
        </table>
      </div>
      ${rangePager({ page, pageSize: PAGE_SIZE, shown: items.length, total, go: (next) => this.setFilters({ ...this.filters, page: next }) })}
    `;
  }

  private renderRow(entry: AuditEntry, labels: Record<'when' | 'action' | 'subject' | 'who' | 'from' | 'details', string>) {
    const href = subjectHref(entry);
    const actor = entry.actor;
    return html`
      <tr>
        <th scope="row">${formatDateTime(entry.at, this.user?.timeZone)}</th>
        <td data-label=${labels.action}>${actionLabel(entry.action)}</td>
        <td data-label=${labels.subject}>
          ${subjectKindLabel(entry.subjectKind)}
          <span class="cell-sub">${href ? html`<a href=${href}>${entry.subjectId}</a>` : entry.subjectId}</span>
        </td>
        <td data-label=${labels.who}>
          ${actor
            ? html`<button
                type="button"
                class="link-button"
                aria-label=${msg(str`Only what ${actor.displayName} did`)}
                @click=${() => this.setFilters({ ...this.filters, actorId: actor.id, actorName: actor.displayName, page: 0 })}
              >
                ${actor.displayName}
              </button>`
            : html`<span class="muted">${msg('The system')}</span>`}
        </td>
        <td data-label=${labels.from}>${entry.ip ?? html`<span class="muted" aria-hidden="true">—</span>`}</td>
        <td data-label=${labels.details}>
          ${Object.keys(entry.details).length > 0 ? html`<ul class="details">${detailLines(entry.details).map((line) => html`<li>${line}</li>`)}</ul>` : nothing}
        </td>
      </tr>
    `;
  }
}
