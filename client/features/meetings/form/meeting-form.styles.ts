import { css } from 'lit';

/** The meeting form's layout: its fieldsets as cards, rows of proposed times and agenda items, the time preview, the sticky save bar. */
export const meetingFormStyles = css`
  form.meeting {
    max-inline-size: 54rem;
  }

  fieldset.card {
    padding: var(--cn-space-5);
  }

  fieldset.card > legend {
    float: left;
    inline-size: 100%;
    font-size: 1.15rem;
  }

  fieldset.card > legend + * {
    clear: both;
  }

  input,
  select,
  textarea {
    font: inherit;
  }

  .three {
    display: grid;
    grid-template-columns: repeat(3, minmax(0, 1fr));
    gap: var(--cn-space-3);
    align-items: start;
  }

  .choice-row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-2) var(--cn-space-5);
  }

  .choice-row label {
    display: inline-flex;
    gap: var(--cn-space-2);
    align-items: center;
    min-block-size: 2.25rem;
    cursor: pointer;
  }

  .rows {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--cn-space-3);
  }

  .rows > li {
    display: grid;
    gap: var(--cn-space-2);
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    padding: var(--cn-space-3);
    background: var(--cn-color-bg);
  }

  .row-head {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: var(--cn-space-2);
    font-weight: 600;
  }

  .row-tools {
    display: flex;
    gap: var(--cn-space-1);
  }

  .agenda-fields {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(0, 2fr) minmax(6rem, 1fr);
    gap: var(--cn-space-3);
  }

  .preview {
    border-inline-start: 3px solid var(--cn-color-primary);
    padding-inline-start: var(--cn-space-3);
  }

  .preview-label {
    font-size: 0.8125rem;
    color: var(--cn-color-muted);
    margin-block-end: var(--cn-space-1);
  }

  .problem {
    color: var(--cn-color-danger-strong);
    font-size: 0.875rem;
    font-weight: 600;
  }

  .draft {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-3);
    align-items: center;
  }

  .sticky-actions {
    position: sticky;
    inset-block-end: 0;
    background: var(--cn-color-bg);
    padding-block: var(--cn-space-3);
    border-block-start: 1px solid var(--cn-color-border);
  }

  @media (max-width: 640px) {
    .three,
    .agenda-fields {
      grid-template-columns: 1fr;
    }
  }
`;
