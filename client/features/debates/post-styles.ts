import { css } from 'lit';

/** Typography of rendered Markdown (posts, previews, revisions). */
export const postBodyStyles = css`
  .post-body {
    overflow-wrap: anywhere;
    line-height: 1.6;
  }

  .post-body > * + * {
    margin-block-start: 0.75em;
  }

  .post-body p,
  .post-body ul,
  .post-body ol,
  .post-body pre,
  .post-body blockquote,
  .post-body table {
    margin-block: 0;
  }

  .post-body > * + * {
    margin-block-start: 0.75em;
  }

  .post-body blockquote {
    margin-inline: 0;
    padding: 0.25em 0.9em;
    border-inline-start: 4px solid var(--cn-color-border-strong);
    color: var(--cn-color-muted);
    background: var(--cn-color-neutral-soft);
  }

  .post-body pre {
    overflow-x: auto;
    max-inline-size: 100%;
    padding: 0.75em;
    background: var(--cn-color-neutral-soft);
    border-radius: var(--cn-radius);
  }

  .post-body code {
    font-family: var(--cn-font-mono);
    font-size: 0.9em;
  }

  .post-body img {
    max-inline-size: 100%;
    block-size: auto;
  }

  .post-body table {
    border-collapse: collapse;
    display: block;
    overflow-x: auto;
    max-inline-size: 100%;
  }

  .post-body th,
  .post-body td {
    border: 1px solid var(--cn-color-border);
    padding: 0.3em 0.6em;
  }

  /* Task lists: the disabled checkbox (server-rendered, its state the author's) takes the bullet's place. */
  .post-body .task-list-item {
    list-style: none;
  }

  .post-body .task-list-item input[type='checkbox'] {
    margin-block: 0;
    margin-inline: -1.35em 0.35em;
    inline-size: 1em;
    block-size: 1em;
    vertical-align: -0.1em;
  }

  .post-body .mention {
    font-weight: 600;
    color: var(--cn-color-primary-strong);
    background: var(--cn-color-primary-soft);
    border-radius: 3px;
    padding: 0 0.2em;
  }

  .post-body mark,
  mark {
    background: #fff1a8;
    color: inherit;
  }
`;

/** Hints and errors under the composer's controls (the editor, the file picker). */
export const composerMessageStyles = css`
  .hint {
    font-size: 0.8125rem;
    color: var(--cn-color-muted);
  }

  .error {
    color: var(--cn-color-danger-strong);
    font-weight: 600;
    font-size: 0.9rem;
  }
`;
