import { css, html } from 'lit';
import { msg } from '@lit/localize';

/** An empty "country or organization" cell: a dash to the eye, a word to a screen reader. */
export const noAffiliation = () => html`<span class="muted" aria-hidden="true">—</span><span class="visually-hidden">${msg('None')}</span>`;

/** Data tables (the administration's users and invitations, a document's versions, the trash, a poll's answers); they become stacked cards on a phone. */
export const tableStyles = css`
  .table-wrap {
    overflow-x: auto;
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    background: var(--cn-color-surface);
  }

  table {
    inline-size: 100%;
    border-collapse: collapse;
    font-size: 0.9375rem;
  }

  caption {
    text-align: start;
  }

  th,
  td {
    padding: var(--cn-space-3);
    text-align: start;
    vertical-align: top;
    border-block-end: 1px solid var(--cn-color-border);
  }

  thead th {
    font-size: 0.8125rem;
    font-weight: 700;
    color: var(--cn-color-muted);
    background: var(--cn-color-neutral-soft);
    white-space: nowrap;
  }

  tbody tr:last-child td,
  tbody tr:last-child th {
    border-block-end: 0;
  }

  tbody th {
    font-weight: 600;
    min-inline-size: 11rem;
  }

  .cell-sub {
    display: block;
    font-weight: 400;
    font-size: 0.875rem;
    color: var(--cn-color-muted);
    overflow-wrap: anywhere;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-2);
  }

  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: var(--cn-space-3);
    margin-block-end: var(--cn-space-4);
  }

  .toolbar cn-field {
    flex: 1 1 12rem;
  }

  .toolbar .grow {
    flex: 2 1 16rem;
  }

  .pager {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--cn-space-3);
    margin-block-start: var(--cn-space-3);
  }

  @media (max-width: 720px) {
    table,
    tbody,
    tr,
    th,
    td {
      display: block;
    }

    thead {
      position: absolute;
      inline-size: 1px;
      block-size: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }

    tbody tr {
      padding: var(--cn-space-3);
      border-block-end: 1px solid var(--cn-color-border);
    }

    tbody tr:last-child {
      border-block-end: 0;
    }

    th,
    td {
      border: 0;
      padding: var(--cn-space-1) 0;
    }

    td[data-label]::before {
      content: attr(data-label);
      display: block;
      font-size: 0.75rem;
      font-weight: 700;
      color: var(--cn-color-muted);
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }

    .actions {
      padding-block-start: var(--cn-space-2);
    }
  }
`;
