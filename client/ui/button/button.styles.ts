import { css } from 'lit';

export const buttonStyles = css`
  :host {
    display: inline-flex;
    position: relative;
    vertical-align: middle;
    --_bg: var(--cn-color-surface);
    --_fg: var(--cn-color-primary);
    --_border: var(--cn-color-primary);
    --_bg-hover: var(--cn-color-primary-soft);
  }

  :host([variant='primary']) {
    --_bg: var(--cn-color-primary);
    --_fg: #fff;
    --_border: var(--cn-color-primary);
    --_bg-hover: var(--cn-color-primary-strong);
  }

  :host([variant='danger']) {
    --_bg: var(--cn-color-danger);
    --_fg: #fff;
    --_border: var(--cn-color-danger);
    --_bg-hover: var(--cn-color-danger-strong);
  }

  :host([variant='quiet']) {
    --_bg: transparent;
    --_fg: var(--cn-color-link);
    --_border: transparent;
    --_bg-hover: var(--cn-color-primary-soft);
  }

  ::slotted(button),
  ::slotted(a) {
    appearance: none;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    min-block-size: 2.75rem;
    padding: 0.5rem 1.1rem;
    font: inherit;
    font-weight: 600;
    line-height: 1.2;
    text-decoration: none;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--cn-radius);
    cursor: pointer;
    transition: background-color 120ms ease-out;
  }

  :host([size='small']) ::slotted(button),
  :host([size='small']) ::slotted(a) {
    min-block-size: 2.25rem;
    padding: 0.3rem 0.75rem;
    font-size: 0.875rem;
  }

  ::slotted(button:hover),
  ::slotted(a:hover) {
    background: var(--_bg-hover);
    color: var(--_fg);
  }

  ::slotted(:focus-visible) {
    outline: 3px solid var(--cn-color-focus);
    outline-offset: 2px;
  }

  ::slotted([aria-disabled='true']),
  ::slotted(button:disabled) {
    opacity: 0.65;
    cursor: not-allowed;
  }

  :host([loading]) ::slotted(button) {
    cursor: progress;
    padding-inline-end: 2.5rem;
  }

  .spinner {
    position: absolute;
    inset-inline-end: 0.85rem;
    inset-block-start: 50%;
    inline-size: 1rem;
    block-size: 1rem;
    margin-block-start: -0.5rem;
    border-radius: 50%;
    border: 2px solid var(--_fg);
    border-right-color: transparent;
    animation: spin 0.8s linear infinite;
    pointer-events: none;
  }

  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    ::slotted(button),
    ::slotted(a) {
      transition: none;
    }

    .spinner {
      animation-duration: 2.4s;
    }
  }

  @media (forced-colors: active) {
    ::slotted(button),
    ::slotted(a) {
      border: 1px solid ButtonText;
    }
  }
`;
