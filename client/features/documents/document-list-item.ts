import { css, html, nothing } from 'lit';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { formatNumber } from '../../app/format.js';
import { searchSnippetHtml } from '../debates/trusted-html.js';
import { downloadHref } from './documents-api.js';
import { formatBytes, formatCalendarDate, languageLabel, localizedText, typeLabel, visibilityLabel } from './documents-format.js';
import type { DocumentSummary } from './models.js';

export const documentHref = (document: DocumentSummary) => `/documents/${encodeURIComponent(document.id)}`;

/** "Report · 3 May 2024 · Spanish, English": what a list says under a document's title. */
export function documentFacts(document: DocumentSummary) {
  return html`${typeLabel(document.type)} ·
    <time datetime=${document.publicationDate}>${formatCalendarDate(document.publicationDate)}</time> ·
    ${document.languages.map(languageLabel).join(', ')}`;
}

/** The passage that matched a search, if any (server-escaped, only <mark> inside). */
export const documentSnippet = (document: DocumentSummary) =>
  document.snippetHtml
    ? html`<p class="snippet">
        ${document.matchedVersion ? html`<strong>${msg(str`Found in version ${document.matchedVersion}:`)}</strong> ` : nothing}${searchSnippetHtml(document.snippetHtml)}
      </p>`
    : nothing;

/** One document of the library list; its title is an <h2>, under the page's <h1>. */
export function documentListItem(document: DocumentSummary) {
  const title = localizedText(document.title);
  const headingId = `document-${document.id}`;
  const latest = document.latestVersion;
  return html`
    <li>
      <article class="document" aria-labelledby=${headingId}>
        <div class="document-main">
          <h2 class="document-title" id=${headingId} lang=${title.lang}><a href=${documentHref(document)}>${title.text}</a></h2>
          ${document.visibility === 'group' ? nothing : html`<p><span class="badge ${document.visibility === 'draft' ? 'badge-muted' : ''}">${visibilityLabel(document.visibility)}</span></p>`}
          <p class="meta">${documentFacts(document)}</p>
          ${documentSnippet(document)}
        </div>
        <div class="document-side">
          <p class="meta">
            ${msg(str`Version ${latest.number}`)} · ${formatBytes(latest.size)} ·
            ${plural(document.downloadCount, { one: msg(str`${formatNumber(document.downloadCount)} download`, { id: 'downloads.one' }), other: msg(str`${formatNumber(document.downloadCount)} downloads`, { id: 'downloads.other' }) })}
          </p>
          <cn-button size="small">
            <a href=${downloadHref(document.id, { attachment: true })} download>${msg('Download')}<span class="visually-hidden">: <span lang=${title.lang}>${title.text}</span></span></a>
          </cn-button>
        </div>
      </article>
    </li>
  `;
}

export const documentListStyles = css`
  .documents {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--cn-space-3);
  }

  .document {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: var(--cn-space-2) var(--cn-space-5);
    padding: var(--cn-space-4);
    background: var(--cn-color-surface);
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    box-shadow: var(--cn-shadow);
  }

  .document-main,
  .document-side {
    display: grid;
    gap: var(--cn-space-1);
    align-content: start;
    min-inline-size: 0;
  }

  .document-side {
    justify-items: end;
    text-align: end;
  }

  .document-title {
    font-size: 1.05rem;
    overflow-wrap: anywhere;
  }

  .meta {
    font-size: 0.875rem;
    color: var(--cn-color-muted);
  }

  .snippet {
    overflow-wrap: anywhere;
  }

  @media (max-width: 640px) {
    .document {
      grid-template-columns: minmax(0, 1fr);
    }

    .document-side {
      justify-items: start;
      text-align: start;
    }
  }
`;
