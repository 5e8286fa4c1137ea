import { css } from 'lit';

/**
 * A long picker in a framed fieldset, with a search box over its list: the link picker (threads
 * and documents to link) and the meetings' checklist (invitees to check).
 */
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

  input[type='search'] {
    font: inherit;
    min-block-size: 2.4rem;
    padding: 0.3rem 0.6rem;
    border: 1px solid var(--cn-color-border-strong);
    border-radius: var(--cn-radius);
  }
`;
