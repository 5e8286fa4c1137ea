import { css } from 'lit';

/** Rules every shadow root needs: box model, hidden text for screen readers, focus ring, links. */
export const baseStyles = css`
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  [hidden] {
    display: none !important;
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  :focus-visible {
    outline: 3px solid var(--cn-color-focus);
    outline-offset: 2px;
  }

  a {
    color: var(--cn-color-link);
    text-underline-offset: 0.15em;
  }

  a:hover {
    color: var(--cn-color-primary-strong);
    text-decoration-thickness: 2px;
  }

  /*
   * A link styled as a button: the page's own link colour would win over the button's
   * ::slotted rule, so take the button's foreground (its --_fg custom property inherits).
   */
  cn-button > a,
  cn-button > a:hover {
    color: var(--_fg);
    text-decoration: none;
  }
`;

/** Layout shared by the views: headings, cards, alerts, definition lists, tables. */
export const pageStyles = css`
  :host {
    display: block;
  }

  h1,
  h2,
  h3 {
    line-height: 1.25;
    color: var(--cn-color-heading);
    margin: 0;
  }

  h1 {
    font-size: 1.75rem;
    font-weight: 650;
  }

  h1:focus {
    outline: none;
  }

  h2 {
    font-size: 1.25rem;
    font-weight: 650;
  }

  h3 {
    font-size: 1.05rem;
    font-weight: 650;
  }

  p {
    margin: 0;
  }

  /*
   * Single-column grids size their column with minmax(0, 1fr): an "auto" column grows to the
   * widest unbreakable thing inside (a long address, a code line, a table) and pushes the page
   * sideways on a phone; this way it is the content that wraps or scrolls in its own box.
   */
  .page-header,
  .stack,
  .stack-lg,
  form,
  fieldset {
    grid-template-columns: minmax(0, 1fr);
  }

  .page-header {
    display: grid;
    gap: var(--cn-space-2);
    margin-block-end: var(--cn-space-5);
  }

  .lead {
    color: var(--cn-color-muted);
    max-width: 65ch;
  }

  .narrow {
    max-width: 34rem;
    margin-inline: auto;
  }

  .card {
    background: var(--cn-color-surface);
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    box-shadow: var(--cn-shadow);
    padding: var(--cn-space-5);
  }

  .stack {
    display: grid;
    gap: var(--cn-space-4);
  }

  .stack-lg {
    display: grid;
    gap: var(--cn-space-6);
  }

  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--cn-space-3);
  }

  .row-between {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--cn-space-3);
  }

  .muted {
    color: var(--cn-color-muted);
  }

  .small {
    font-size: 0.875rem;
  }

  form {
    display: grid;
    gap: var(--cn-space-4);
  }

  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--cn-space-4);
    min-width: 0;
  }

  legend {
    font-weight: 650;
    font-size: 1.05rem;
    padding: 0;
    margin-block-end: var(--cn-space-3);
    color: var(--cn-color-heading);
  }

  .two-columns {
    display: grid;
    grid-template-columns: repeat(2, minmax(0, 1fr));
    gap: var(--cn-space-4);
    align-items: start;
  }

  .optional {
    font-weight: 400;
    color: var(--cn-color-muted);
  }

  .form-actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-3);
    align-items: center;
    margin-block-start: var(--cn-space-2);
  }

  .alert {
    border-radius: var(--cn-radius);
    padding: var(--cn-space-3) var(--cn-space-4);
    border: 1px solid;
    border-inline-start-width: 4px;
  }

  .alert-error {
    background: var(--cn-color-danger-soft);
    border-color: var(--cn-color-danger);
    color: var(--cn-color-danger-strong);
  }

  .alert-info {
    background: var(--cn-color-primary-soft);
    border-color: var(--cn-color-primary);
    color: var(--cn-color-text);
  }

  .alert-success {
    background: var(--cn-color-success-soft);
    border-color: var(--cn-color-success);
    color: var(--cn-color-text);
  }

  .status {
    display: flex;
    align-items: center;
    gap: var(--cn-space-3);
    color: var(--cn-color-muted);
    padding: var(--cn-space-5) 0;
  }

  .spinner {
    inline-size: 1.25rem;
    block-size: 1.25rem;
    border-radius: 50%;
    border: 3px solid var(--cn-color-border);
    border-top-color: var(--cn-color-primary);
    animation: spin 0.8s linear infinite;
    flex: none;
  }

  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 2.4s;
    }
  }

  .badge {
    display: inline-block;
    font-size: 0.75rem;
    font-weight: 600;
    line-height: 1.4;
    padding: 0.1rem 0.5rem;
    border-radius: 999px;
    background: var(--cn-color-primary-soft);
    color: var(--cn-color-primary-strong);
    white-space: nowrap;
  }

  .badge-muted {
    background: var(--cn-color-neutral-soft);
    color: var(--cn-color-muted);
  }

  .badge-danger {
    background: var(--cn-color-danger-soft);
    color: var(--cn-color-danger-strong);
  }

  dl.details {
    display: grid;
    grid-template-columns: minmax(8rem, max-content) 1fr;
    gap: var(--cn-space-2) var(--cn-space-5);
    margin: 0;
  }

  dl.details dt {
    font-weight: 600;
    color: var(--cn-color-muted);
  }

  dl.details dd {
    margin: 0;
    overflow-wrap: anywhere;
  }

  dl.details.stacked {
    grid-template-columns: 1fr;
    gap: var(--cn-space-1);
  }

  dl.details.stacked dd {
    margin-block-end: var(--cn-space-2);
  }

  /* A list without bullets or numbers, nor their indent: its items are laid out by the page. */
  ul.plain,
  ol.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  @media (max-width: 640px) {
    .two-columns {
      grid-template-columns: 1fr;
    }

    h1 {
      font-size: 1.45rem;
    }

    .card {
      padding: var(--cn-space-4);
    }

    dl.details {
      grid-template-columns: 1fr;
      gap: var(--cn-space-1);
    }

    dl.details dd {
      margin-block-end: var(--cn-space-3);
    }
  }
`;
