import { css } from 'lit';

export const fieldStyles = css`
  :host {
    display: grid;
    gap: 0.375rem;
    align-content: start;
    min-width: 0;
  }

  ::slotted([slot='label']) {
    font-weight: 600;
    color: var(--cn-color-heading);
  }

  ::slotted([slot='hint']) {
    font-size: 0.875rem;
    color: var(--cn-color-muted);
  }

  ::slotted([slot='error']) {
    font-size: 0.9rem;
    font-weight: 600;
    color: var(--cn-color-danger-strong);
  }

  [hidden] {
    display: none !important;
  }

  .error {
    display: flex;
    gap: 0.4rem;
    align-items: flex-start;
  }

  .error-icon {
    flex: none;
    inline-size: 1.1rem;
    block-size: 1.1rem;
    margin-block-start: 0.1rem;
    fill: var(--cn-color-danger);
  }

  ::slotted(input),
  ::slotted(select),
  ::slotted(textarea) {
    inline-size: 100%;
    min-block-size: 2.75rem;
    padding: 0.5rem 0.75rem;
    font: inherit;
    color: var(--cn-color-text);
    background: var(--cn-color-surface);
    border: 1px solid var(--cn-color-border-strong);
    border-radius: var(--cn-radius);
  }

  ::slotted(textarea) {
    min-block-size: 7rem;
    resize: vertical;
    line-height: 1.5;
  }

  ::slotted(input:focus-visible),
  ::slotted(select:focus-visible),
  ::slotted(textarea:focus-visible) {
    outline: 3px solid var(--cn-color-focus);
    outline-offset: 1px;
    border-color: var(--cn-color-primary);
  }

  ::slotted([aria-invalid='true']) {
    border-color: var(--cn-color-danger);
    border-width: 2px;
  }

  ::slotted([readonly]) {
    background: var(--cn-color-neutral-soft);
  }
`;
