import { css } from 'lit';

/** The rounds' pages: the list, the reader with its comment margin, the comment cards. */
export const roundsStyles = css`
  ul.rounds {
    list-style: none;
    padding: 0;
    display: grid;
    gap: var(--cn-space-3);
  }

  fieldset {
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    padding: var(--cn-space-3);
  }

  .choices {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr));
    gap: var(--cn-space-1) var(--cn-space-3);
  }

  .choices label {
    display: flex;
    gap: var(--cn-space-2);
    align-items: center;
  }

  /* The reader: the text on the left, its comments in a margin on the right; one column on a phone. */
  .block {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(0, 22rem);
    gap: var(--cn-space-4);
    padding-block: var(--cn-space-2);
    border-block-end: 1px solid var(--cn-color-border);
  }

  @media (max-width: 48rem) {
    .block {
      grid-template-columns: minmax(0, 1fr);
    }
  }

  .text {
    display: grid;
    grid-template-columns: 4.5rem minmax(0, 1fr);
    gap: var(--cn-space-2);
    align-items: start;
  }

  .label {
    font-variant-numeric: tabular-nums;
    color: var(--cn-color-muted);
    font-size: 0.875rem;
    padding-block-start: 0.15rem;
  }

  .heading {
    font-weight: 700;
    font-size: 1.1rem;
  }

  .para {
    margin: 0;
    overflow-wrap: anywhere;
    line-height: 1.6;
  }

  .block-actions {
    grid-column: 2;
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-2);
    margin-block-start: var(--cn-space-1);
  }

  .margin {
    display: grid;
    gap: var(--cn-space-2);
    align-content: start;
  }

  .comment {
    border: 1px solid var(--cn-color-border);
    border-inline-start: 4px solid var(--cn-color-primary, #1f5fa8);
    border-radius: var(--cn-radius);
    padding: var(--cn-space-2) var(--cn-space-3);
    background: var(--cn-color-surface);
    font-size: 0.9375rem;
    overflow-wrap: anywhere;
  }

  .comment.draft {
    border-inline-start-color: var(--cn-color-border-strong);
    border-style: dashed;
  }

  .comment p {
    margin-block: var(--cn-space-1);
  }

  .quote {
    font-style: italic;
    border-inline-start: 2px solid var(--cn-color-border-strong);
    padding-inline-start: var(--cn-space-2);
  }

  .proposed {
    background: color-mix(in srgb, #2e7d32 8%, transparent);
    padding: var(--cn-space-1) var(--cn-space-2);
    border-radius: var(--cn-radius);
  }

  .disposition {
    border-block-start: 1px solid var(--cn-color-border);
    margin-block-start: var(--cn-space-2);
    padding-block-start: var(--cn-space-2);
  }

  form.inline {
    display: grid;
    gap: var(--cn-space-2);
    margin-block-start: var(--cn-space-2);
  }

  textarea,
  select,
  input {
    font: inherit;
    max-inline-size: 100%;
  }

  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-2);
    align-items: end;
  }

  .table-wrap {
    overflow-x: auto;
  }

  table.matrix {
    border-collapse: collapse;
    inline-size: 100%;
    font-size: 0.875rem;
  }

  table.matrix th,
  table.matrix td {
    border: 1px solid var(--cn-color-border);
    padding: var(--cn-space-1) var(--cn-space-2);
    vertical-align: top;
    text-align: start;
    overflow-wrap: anywhere;
  }

  .compare {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    gap: var(--cn-space-2) var(--cn-space-4);
  }

  @media (max-width: 48rem) {
    .compare {
      grid-template-columns: minmax(0, 1fr);
    }
  }

  .pair {
    display: contents;
  }

  ins {
    background: color-mix(in srgb, #2e7d32 18%, transparent);
    text-decoration: none;
  }

  del {
    background: color-mix(in srgb, #c62828 15%, transparent);
  }
  .more-comments {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--cn-space-2);
    padding: var(--cn-space-2) 0;
    border-top: 1px dashed var(--cn-color-border);
  }
`;
