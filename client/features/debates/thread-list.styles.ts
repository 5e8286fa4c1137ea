import { css } from 'lit';

export const threadListStyles = css`
  .layout {
    display: grid;
    grid-template-columns: minmax(13rem, 17rem) minmax(0, 1fr);
    gap: var(--cn-space-5);
    align-items: start;
  }

  .categories a {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0 var(--cn-space-2);
    padding: var(--cn-space-2) var(--cn-space-3);
    border-radius: var(--cn-radius);
    text-decoration: none;
    color: var(--cn-color-text);
    border-inline-start: 3px solid transparent;
  }

  .categories a:hover {
    background: var(--cn-color-primary-soft);
  }

  .categories a[aria-current='page'] {
    background: var(--cn-color-primary-soft);
    border-inline-start-color: var(--cn-color-primary);
  }

  .category-name {
    font-weight: 600;
    color: var(--cn-color-link);
  }

  .category-description {
    grid-column: 1 / -1;
    font-size: 0.8125rem;
    color: var(--cn-color-muted);
  }

  .count {
    font-size: 0.8125rem;
    color: var(--cn-color-muted);
  }

  .filters {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--cn-space-3);
    margin-block-end: var(--cn-space-4);
  }

  .filter-field {
    display: grid;
    gap: var(--cn-space-1);
  }

  .filter-field label {
    font-weight: 600;
    font-size: 0.875rem;
  }

  .filter-field input,
  .filter-field select {
    font: inherit;
    min-block-size: 2.5rem;
    padding: 0.35rem 0.6rem;
    border: 1px solid var(--cn-color-border-strong);
    border-radius: var(--cn-radius);
    background: var(--cn-color-surface);
    inline-size: 12rem;
    max-inline-size: 100%;
  }

  .filter-actions {
    display: flex;
    gap: var(--cn-space-2);
  }

  .thread-list {
    display: grid;
    gap: var(--cn-space-3);
  }

  .thread {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(11rem, 14rem);
    gap: var(--cn-space-3) var(--cn-space-5);
    padding: var(--cn-space-4);
    background: var(--cn-color-surface);
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    box-shadow: var(--cn-shadow);
  }

  .thread.unread {
    border-inline-start: 4px solid var(--cn-color-primary);
  }

  .thread-main {
    display: grid;
    gap: var(--cn-space-1);
    min-inline-size: 0;
  }

  .thread-title {
    font-size: 1.05rem;
    overflow-wrap: anywhere;
  }

  .thread.unread .thread-title a {
    font-weight: 700;
  }

  .thread-title a {
    font-weight: 600;
  }

  .flags {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-1);
  }

  .flags:empty {
    display: none;
  }

  .badge-unread {
    background: var(--cn-color-primary);
    color: #fff;
  }

  .meta {
    font-size: 0.875rem;
    color: var(--cn-color-muted);
  }

  .chips {
    margin-block-start: var(--cn-space-1);
  }

  .stats {
    display: grid;
    gap: var(--cn-space-1);
    margin: 0;
    font-size: 0.875rem;
    align-content: start;
  }

  .stats div {
    display: grid;
  }

  .stats dt {
    color: var(--cn-color-muted);
    font-size: 0.75rem;
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }

  .stats dd {
    margin: 0;
  }

  .layout > * {
    min-inline-size: 0;
  }

  @media (max-width: 800px) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }

    .categories ul {
      display: flex;
      gap: var(--cn-space-1);
      overflow-x: auto;
      padding-block-end: var(--cn-space-1);
    }

    .categories a {
      white-space: nowrap;
    }

    .category-description {
      display: none;
    }

    .thread {
      grid-template-columns: minmax(0, 1fr);
    }

    .stats {
      grid-auto-flow: row;
      grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr));
    }
  }
`;
