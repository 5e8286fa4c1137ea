import { css } from 'lit';

export const threadStyles = css`
  /* The page's parts (thread/*.ts) draw into this page: each is a block around what it draws. */
  cn-thread-header,
  cn-post-item,
  cn-post-composer,
  cn-post-dialog {
    display: block;
  }

  .thread-header {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--cn-space-3);
    margin-block-end: var(--cn-space-5);
  }

  .thread-header h1 {
    overflow-wrap: anywhere;
  }

  .meta {
    font-size: 0.9rem;
    color: var(--cn-color-muted);
  }

  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-3);
    align-items: end;
    padding: var(--cn-space-3) var(--cn-space-4);
    background: var(--cn-color-surface);
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
  }

  select {
    font: inherit;
    min-block-size: 2.5rem;
    padding: 0.3rem 0.5rem;
    border: 1px solid var(--cn-color-border-strong);
    border-radius: var(--cn-radius);
    background: var(--cn-color-surface);
    max-inline-size: 100%;
  }

  .view-switch {
    display: inline-flex;
    border: 1px solid var(--cn-color-border-strong);
    border-radius: var(--cn-radius);
    overflow: hidden;
  }

  .view-switch button {
    font: inherit;
    font-size: 0.875rem;
    padding: 0.3rem 0.75rem;
    min-block-size: 2.5rem;
    border: 0;
    background: var(--cn-color-surface);
    cursor: pointer;
  }

  .view-switch button + button {
    border-inline-start: 1px solid var(--cn-color-border-strong);
  }

  .view-switch button[aria-pressed='true'] {
    background: var(--cn-color-primary);
    color: #fff;
    font-weight: 600;
  }

  .view-switch button:focus-visible {
    outline-offset: -4px;
  }

  .presence {
    font-size: 0.875rem;
    color: var(--cn-color-muted);
    min-block-size: 1.3rem;
  }

  .posts {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--cn-space-3);
  }

  .post {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--cn-space-2);
    padding: var(--cn-space-4);
    background: var(--cn-color-surface);
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    box-shadow: var(--cn-shadow);
    scroll-margin-block: 5rem;
  }

  .post:focus {
    outline: 3px solid var(--cn-color-focus);
    outline-offset: 2px;
  }

  .post.opening {
    border-block-start: 4px solid var(--cn-color-primary);
  }

  .post.unread {
    border-inline-start: 4px solid var(--cn-color-primary);
  }

  .since-last-visit {
    display: flex;
    align-items: center;
    gap: var(--cn-space-3);
    margin-block-end: var(--cn-space-3);
    color: var(--cn-color-primary);
    font-size: 0.8125rem;
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }

  .since-last-visit::before,
  .since-last-visit::after {
    content: '';
    flex: 1;
    border-block-start: 2px solid var(--cn-color-primary);
  }

  .post.fresh {
    animation: fresh 2.5s ease-out;
  }

  @keyframes fresh {
    from {
      background: var(--cn-color-primary-soft);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .post.fresh {
      animation: none;
    }
  }

  /* A reply is indented by one step per level (up to four), a smaller step on a phone. */
  :host {
    --cn-indent-step: 1.5rem;
  }
  .indent-1 {
    margin-inline-start: var(--cn-indent-step);
  }
  .indent-2 {
    margin-inline-start: calc(2 * var(--cn-indent-step));
  }
  .indent-3 {
    margin-inline-start: calc(3 * var(--cn-indent-step));
  }
  .indent-4 {
    margin-inline-start: calc(4 * var(--cn-indent-step));
  }

  .post-head {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-1) var(--cn-space-3);
    align-items: baseline;
    font-size: 0.875rem;
  }

  .post-author {
    font-weight: 650;
    font-size: 0.95rem;
    color: var(--cn-color-heading);
  }

  .post-head .muted {
    color: var(--cn-color-muted);
  }

  .in-reply {
    font-size: 0.8125rem;
  }

  .link-button {
    font: inherit;
    padding: 0;
    border: 0;
    background: none;
    color: var(--cn-color-link);
    text-decoration: underline;
    text-underline-offset: 0.15em;
    cursor: pointer;
  }

  .state-note {
    font-style: italic;
    color: var(--cn-color-muted);
  }

  .hidden-note {
    padding: var(--cn-space-2) var(--cn-space-3);
    background: var(--cn-color-danger-soft);
    color: var(--cn-color-danger-strong);
    border-radius: var(--cn-radius);
    font-size: 0.875rem;
  }

  .post.is-hidden .post-body {
    opacity: 0.75;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-2);
    align-items: center;
  }

  .agree {
    display: inline-flex;
    align-items: stretch;
  }

  .agree button[aria-pressed='true'] {
    font-weight: 700;
  }

  .file-action {
    position: relative;
    display: inline-flex;
  }

  .queued-files {
    display: grid;
    gap: var(--cn-space-2);
  }

  .queued-file {
    display: grid;
    gap: var(--cn-space-2);
    padding: var(--cn-space-2) var(--cn-space-3);
    border: 1px dashed var(--cn-color-border-strong);
    border-radius: var(--cn-radius);
  }

  .upload-error {
    color: var(--cn-color-danger-strong);
    font-weight: 600;
    font-size: 0.875rem;
    overflow-wrap: anywhere;
  }

  .reply-form {
    margin-block-start: var(--cn-space-2);
    padding: var(--cn-space-3);
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    background: var(--cn-color-bg);
  }

  .more {
    display: flex;
    justify-content: center;
    margin-block: var(--cn-space-4);
  }

  .pill {
    position: fixed;
    inset-block-end: var(--cn-space-5);
    inset-inline-start: 50%;
    transform: translateX(-50%);
    z-index: 15;
  }

  .pill button {
    font: inherit;
    font-weight: 600;
    padding: 0.55rem 1.1rem;
    border: 0;
    border-radius: 999px;
    background: var(--cn-color-primary);
    color: #fff;
    box-shadow: 0 6px 18px rgb(15 30 50 / 30%);
    cursor: pointer;
  }

  .final-reply {
    margin-block-start: var(--cn-space-5);
  }

  .who li {
    padding: var(--cn-space-1) 0;
  }

  .revision + .revision {
    border-block-start: 1px solid var(--cn-color-border);
    padding-block-start: var(--cn-space-3);
    margin-block-start: var(--cn-space-3);
  }

  @media (max-width: 640px) {
    :host {
      --cn-indent-step: 0.6rem;
    }

    .post {
      padding: var(--cn-space-3);
    }
  }
`;
