import { css } from 'lit';
import { baseStyles, pageStyles } from './shared.styles.js';

/** Lists that load in pages: the centred "show more" row and the empty state. */
export const listStyles = css`
  .more {
    display: flex;
    justify-content: center;
    margin-block-start: var(--cn-space-4);
  }

  .empty {
    padding: var(--cn-space-5);
    text-align: center;
    color: var(--cn-color-muted);
    background: var(--cn-color-surface);
    border: 1px dashed var(--cn-color-border-strong);
    border-radius: var(--cn-radius);
  }
`;

/** A small labelled control (label above a select or input), as in filter bars and toolbars. */
export const controlStyles = css`
  .control {
    display: grid;
    gap: var(--cn-space-1);
    font-size: 0.875rem;
  }

  .control label {
    font-weight: 600;
  }
`;

/** A search box over a row of filters, and the pager under the results (the forum's search, the library). */
export const searchFormStyles = css`
  form.search {
    display: grid;
    gap: var(--cn-space-3);
    margin-block-end: var(--cn-space-5);
  }

  .query {
    display: flex;
    gap: var(--cn-space-2);
    flex-wrap: wrap;
  }

  .query input {
    flex: 1 1 16rem;
  }

  .filters {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
    gap: var(--cn-space-3);
  }

  input,
  select {
    font: inherit;
    min-block-size: 2.6rem;
    padding: 0.35rem 0.6rem;
    border: 1px solid var(--cn-color-border-strong);
    border-radius: var(--cn-radius);
    background: var(--cn-color-surface);
    min-inline-size: 0;
    inline-size: 100%;
  }

  .pager {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: var(--cn-space-3);
    margin-block-start: var(--cn-space-4);
  }
`;

/** A page listing things under a search or filter form (the library, the catalogue, meetings, action items). */
export const listPageStyles = [baseStyles, pageStyles, controlStyles, searchFormStyles, listStyles];
