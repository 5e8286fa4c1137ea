import { css } from 'lit';

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
