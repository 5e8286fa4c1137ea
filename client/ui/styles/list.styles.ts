import { css } from 'lit';

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
