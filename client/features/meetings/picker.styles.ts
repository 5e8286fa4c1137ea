import { css } from 'lit';

/** The framed fieldset a long picker sits in (invitees to check, threads and documents to link). */
export const pickerStyles = css`
  :host {
    display: block;
  }

  fieldset {
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    margin: 0;
    padding: var(--cn-space-3);
    display: grid;
    gap: var(--cn-space-2);
    min-inline-size: 0;
  }

  legend {
    font-weight: 600;
    padding-inline: var(--cn-space-1);
  }
`;

/** A row of radio or check choices (going / maybe / not going; yes / if need be / no), each label a large target. */
export const choiceStyles = css`
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-2) var(--cn-space-4);
  }

  .choices label {
    display: inline-flex;
    align-items: center;
    gap: var(--cn-space-2);
    min-block-size: 2.25rem;
    cursor: pointer;
  }
`;
