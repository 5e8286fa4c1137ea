import { css } from 'lit';

export const toastStyles = css`
  :host {
    position: fixed;
    inset-block-end: var(--cn-space-4);
    inset-inline-end: var(--cn-space-4);
    z-index: 20;
    display: block;
    max-inline-size: min(28rem, calc(100vw - 2 * var(--cn-space-4)));
    pointer-events: none;
  }

  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--cn-space-2);
  }

  li {
    pointer-events: auto;
    display: flex;
    align-items: flex-start;
    gap: var(--cn-space-3);
    padding: var(--cn-space-3) var(--cn-space-3) var(--cn-space-3) var(--cn-space-4);
    border-radius: var(--cn-radius);
    background: var(--cn-color-heading);
    color: #fff;
    box-shadow: 0 10px 25px rgb(15 30 50 / 25%);
    border-inline-start: 5px solid var(--cn-color-primary-soft);
    animation: enter 160ms ease-out;
  }

  li.success {
    border-inline-start-color: #7fd39b;
  }

  li.error {
    border-inline-start-color: #ff9aa5;
  }

  p {
    margin: 0;
    flex: 1;
    padding-block: 0.3rem;
  }

  button {
    flex: none;
    inline-size: 2rem;
    block-size: 2rem;
    display: inline-grid;
    place-items: center;
    border: 0;
    border-radius: var(--cn-radius);
    background: transparent;
    color: inherit;
    cursor: pointer;
  }

  button:hover {
    background: rgb(255 255 255 / 15%);
  }

  button:focus-visible {
    outline: 3px solid #fff;
    outline-offset: 1px;
  }

  svg {
    inline-size: 0.9rem;
    block-size: 0.9rem;
    fill: currentColor;
  }

  @keyframes enter {
    from {
      opacity: 0;
      transform: translateY(0.5rem);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    li {
      animation: none;
    }
  }

  @media (max-width: 640px) {
    :host {
      inset-inline: var(--cn-space-3);
      inset-block-end: var(--cn-space-3);
      max-inline-size: none;
    }
  }
`;
