import { css } from 'lit';

/** Category and indicator chips shown with a thread. */
export const chipStyles = css`
  .chip {
    display: inline-block;
    font-size: 0.8125rem;
    padding: 0.05rem 0.5rem;
    border: 1px solid var(--cn-color-border-strong);
    border-radius: 999px;
    text-decoration: none;
  }

  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-1) var(--cn-space-2);
  }

  .chip-indicator {
    font-family: var(--cn-font-mono);
    background: var(--cn-color-neutral-soft);
  }
`;
