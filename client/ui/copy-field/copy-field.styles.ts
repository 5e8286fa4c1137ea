import { css } from 'lit';

export const copyFieldStyles = css`
  :host {
    display: grid;
    gap: 0.375rem;
  }

  label {
    font-weight: 600;
    color: var(--cn-color-heading);
  }

  .row {
    display: flex;
    gap: var(--cn-space-2);
  }

  input {
    flex: 1;
    min-inline-size: 0;
    min-block-size: 2.75rem;
    padding: 0.5rem 0.75rem;
    font: inherit;
    font-family: var(--cn-font-mono);
    font-size: 0.875rem;
    color: var(--cn-color-text);
    background: var(--cn-color-neutral-soft);
    border: 1px solid var(--cn-color-border-strong);
    border-radius: var(--cn-radius);
  }

  input:focus-visible,
  button:focus-visible {
    outline: 3px solid var(--cn-color-focus);
    outline-offset: 1px;
  }

  button {
    flex: none;
    min-block-size: 2.75rem;
    padding: 0.5rem 1rem;
    font: inherit;
    font-weight: 600;
    color: #fff;
    background: var(--cn-color-primary);
    border: 1px solid var(--cn-color-primary);
    border-radius: var(--cn-radius);
    cursor: pointer;
  }

  button:hover {
    background: var(--cn-color-primary-strong);
  }

  .status {
    min-block-size: 1.25rem;
    font-size: 0.875rem;
    color: var(--cn-color-success);
    font-weight: 600;
  }

  @media (max-width: 480px) {
    .row {
      flex-direction: column;
    }
  }
`;
