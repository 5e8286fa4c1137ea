import { css } from 'lit';

/** The meeting page's layout: its header and facts, the poll, the occurrences, the attendance, the minutes and the side column. */
export const meetingPageStyles = css`
  .layout {
    display: grid;
    grid-template-columns: minmax(0, 2fr) minmax(16rem, 1fr);
    gap: var(--cn-space-5);
    align-items: start;
  }

  .main,
  aside,
  section {
    grid-template-columns: minmax(0, 1fr);
  }

  .main,
  aside {
    display: grid;
    gap: var(--cn-space-5);
  }

  section {
    display: grid;
    gap: var(--cn-space-3);
  }

  .badges {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-2);
  }

  h1 {
    overflow-wrap: anywhere;
  }

  .row.actions {
    gap: var(--cn-space-2);
  }

  ol.agenda {
    margin: 0;
    padding-inline-start: var(--cn-space-5);
    display: grid;
    gap: var(--cn-space-2);
  }

  ol.agenda .sub {
    display: block;
    color: var(--cn-color-muted);
    font-size: 0.875rem;
  }

  .join-now {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--cn-space-2) var(--cn-space-3);
  }

  .notes {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  ul.links {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--cn-space-2);
  }

  ul.chips {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-1) var(--cn-space-2);
    list-style: none;
    margin: 0;
    padding: 0;
    font-size: 0.9rem;
  }

  ul.chips li {
    background: var(--cn-color-neutral-soft);
    border-radius: 999px;
    padding: 0.1rem 0.6rem;
  }

  textarea {
    font: inherit;
    inline-size: 100%;
    padding: 0.5rem 0.7rem;
    border: 1px solid var(--cn-color-border-strong);
    border-radius: var(--cn-radius);
  }

  @media (max-width: 900px) {
    .layout {
      grid-template-columns: 1fr;
    }
  }
`;
