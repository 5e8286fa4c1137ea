import { css } from 'lit';

export const dialogStyles = css`
  :host {
    display: contents;
  }

  dialog {
    inline-size: min(36rem, calc(100vw - 2rem));
    max-block-size: calc(100dvh - 2rem);
    padding: 0;
    border: 1px solid var(--cn-color-border);
    border-radius: calc(var(--cn-radius) * 1.5);
    background: var(--cn-color-surface);
    color: var(--cn-color-text);
    box-shadow: 0 20px 45px rgb(15 30 50 / 25%);
    overflow: auto;
  }

  dialog::backdrop {
    background: rgb(15 25 40 / 55%);
  }

  dialog[open] {
    animation: appear 140ms ease-out;
  }

  @keyframes appear {
    from {
      opacity: 0;
      transform: translateY(0.5rem);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    dialog[open] {
      animation: none;
    }
  }

  header {
    display: flex;
    align-items: flex-start;
    justify-content: space-between;
    gap: var(--cn-space-3);
    padding: var(--cn-space-4) var(--cn-space-5) 0;
  }

  h2 {
    margin: 0;
    font-size: 1.2rem;
    line-height: 1.3;
    color: var(--cn-color-heading);
    padding-block-start: 0.35rem;
  }

  .close {
    flex: none;
    inline-size: 2.5rem;
    block-size: 2.5rem;
    display: inline-grid;
    place-items: center;
    border: 1px solid transparent;
    border-radius: var(--cn-radius);
    background: transparent;
    color: var(--cn-color-muted);
    cursor: pointer;
  }

  .close:hover {
    background: var(--cn-color-neutral-soft);
    color: var(--cn-color-text);
  }

  .close:focus-visible {
    outline: 3px solid var(--cn-color-focus);
    outline-offset: 1px;
  }

  .close svg {
    inline-size: 1.1rem;
    block-size: 1.1rem;
    fill: currentColor;
  }

  .body {
    padding: var(--cn-space-4) var(--cn-space-5);
    display: grid;
    gap: var(--cn-space-4);
  }

  footer {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: var(--cn-space-3);
    padding: 0 var(--cn-space-5) var(--cn-space-5);
  }

  footer.empty {
    display: none;
  }
`;
