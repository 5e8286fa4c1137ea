import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { formatDateTime } from '../../app/format.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { documentsApi } from './documents-api.js';
import { auditActionLabel } from './documents-format.js';
import type { AuditEntry } from './models.js';

/** A metadata field as the edit form names it. */
function fieldLabel(field: string): string {
  switch (field) {
    case 'title':
      return msg('title');
    case 'description':
      return msg('description');
    case 'type':
      return msg('type');
    case 'languages':
      return msg('languages');
    case 'publicationDate':
      return msg('publication date');
    case 'tags':
      return msg('tags');
    case 'indicatorCodes':
      return msg('indicators');
    case 'visibility':
      return msg('who can see it');
    case 'authorCountryId':
    case 'authorOrganizationId':
      return msg('author');
    case 'relatedThreadId':
      return msg('related debate');
    default:
      return field;
  }
}

/** What the server tells about an entry, where it has something a person can read. */
function detailsText(entry: AuditEntry): string {
  const details = (entry.details ?? {}) as { version?: unknown; changeNote?: unknown; fileName?: unknown; fields?: unknown };
  const parts: string[] = [];
  if (typeof details.version === 'number') parts.push(msg(str`Version ${details.version}`));
  if (typeof details.fileName === 'string' && details.fileName) parts.push(details.fileName);
  if (typeof details.changeNote === 'string' && details.changeNote) parts.push(`“${details.changeNote}”`);
  if (Array.isArray(details.fields) && details.fields.length > 0) {
    const fields = [...new Set(details.fields.map((field) => fieldLabel(String(field))))];
    parts.push(msg(str`Changed: ${fields.join(', ')}`));
  }
  return parts.join(' · ');
}

/** A document's audit trail, newest first; `revision` reloads it after a change. */
export class CnDocumentActivity extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      ol {
        display: grid;
        gap: var(--cn-space-2);
      }

      li {
        display: grid;
        gap: 0.1rem;
        padding-block-end: var(--cn-space-2);
        border-block-end: 1px solid var(--cn-color-border);
      }

      li:last-child {
        border-block-end: 0;
      }

      .action {
        font-weight: 600;
      }
    `,
  ];

  static override properties = { documentId: {}, revision: { type: Number } };

  declare documentId: string;
  declare revision: number;

  private entries = new Resource(this, {
    load: ([id], signal) => documentsApi.audit(id, signal),
    args: () => [this.documentId, this.revision] as const,
  });

  constructor() {
    super();
    this.documentId = '';
    this.revision = 0;
  }

  protected override render() {
    return this.entries.render({
      loading: msg('Loading the activity…'),
      inline: true,
      complete: (entries) =>
        entries.length === 0
          ? html`<p class="muted">${msg('No activity recorded yet.')}</p>`
          : html`
              <ol class="plain">
                ${entries.map((entry) => {
                  const details = detailsText(entry);
                  return html`
                    <li>
                      <span class="action">${auditActionLabel(entry.action) ?? entry.action}</span>
                      <span class="small muted">
                        <time datetime=${entry.at}>${formatDateTime(entry.at, this.user?.timeZone)}</time>
                        · ${entry.actor ? entry.actor.displayName : msg('Concilia (automatic)')}
                      </span>
                      ${details ? html`<span class="small">${details}</span>` : nothing}
                    </li>
                  `;
                })}
              </ol>
            `,
    });
  }
}
