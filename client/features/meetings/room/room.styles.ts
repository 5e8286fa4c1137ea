import { css } from 'lit';

/** The live room's layout: its panels (agenda, chat, presence, polls, attendance), the chat log, the polls' result bars. */
export const roomStyles = css`
  cn-room-chat,
  cn-room-polls,
  cn-room-attendance {
    display: contents;
  }

  :host {
    display: block;
  }

  .room {
    display: grid;
    gap: var(--cn-space-4);
    border-color: var(--cn-color-primary);
    border-width: 2px;
  }

  .head {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: var(--cn-space-2);
  }

  .live {
    display: inline-flex;
    align-items: center;
    gap: var(--cn-space-2);
    font-size: 0.875rem;
    font-weight: 600;
  }

  .dot {
    inline-size: 0.6rem;
    block-size: 0.6rem;
    border-radius: 50%;
    background: var(--cn-color-success);
  }

  .live.lost .dot {
    background: var(--cn-color-danger);
  }

  .live.lost {
    color: var(--cn-color-danger-strong);
  }

  .grid {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(14rem, 2fr);
    gap: var(--cn-space-4);
    align-items: start;
  }

  .column {
    display: grid;
    gap: var(--cn-space-4);
  }

  .panel {
    display: grid;
    gap: var(--cn-space-2);
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    padding: var(--cn-space-3);
    background: var(--cn-color-surface);
  }

  .panel h3 {
    font-size: 1rem;
  }

  ol.agenda {
    margin: 0;
    padding-inline-start: var(--cn-space-5);
    display: grid;
    gap: var(--cn-space-1);
  }

  ol.agenda li[aria-current='step'] {
    font-weight: 700;
    color: var(--cn-color-primary-strong);
  }

  .now {
    background: var(--cn-color-primary-soft);
    border-radius: var(--cn-radius);
    padding: var(--cn-space-2) var(--cn-space-3);
  }

  .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-2);
  }

  ul.people {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--cn-space-1);
    font-size: 0.9375rem;
  }

  .sub {
    color: var(--cn-color-muted);
    font-size: 0.8125rem;
  }

  /* The log is the scroller around the list: role="log" on the <ol> itself would take its list semantics away. */
  .chat-log {
    max-block-size: 28rem;
    overflow-y: auto;
    padding-inline-end: var(--cn-space-2);
  }

  ol.chat {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--cn-space-3);
  }

  ol.chat li {
    display: grid;
    gap: 2px;
  }

  .who {
    font-size: 0.8125rem;
    color: var(--cn-color-muted);
  }

  .who strong {
    color: var(--cn-color-text);
  }

  .typing {
    font-size: 0.8125rem;
    color: var(--cn-color-muted);
    min-block-size: 1.2em;
  }

  .poll {
    display: grid;
    gap: var(--cn-space-2);
    border-block-start: 1px solid var(--cn-color-border);
    padding-block-start: var(--cn-space-2);
  }

  .poll:first-of-type {
    border-block-start: 0;
    padding-block-start: 0;
  }

  .bar {
    display: grid;
    grid-template-columns: minmax(6rem, 1fr) 2fr auto;
    gap: var(--cn-space-2);
    align-items: center;
    font-size: 0.875rem;
  }

  /* A <progress>, not a width set in a style attribute: the CSP (style-src 'self') refuses inline styles. */
  progress.track {
    appearance: none;
    display: block;
    inline-size: 100%;
    block-size: 0.6rem;
    border: 0;
    border-radius: 999px;
    background: var(--cn-color-neutral-soft);
    overflow: hidden;
  }

  progress.track::-webkit-progress-bar {
    background: var(--cn-color-neutral-soft);
  }

  progress.track::-webkit-progress-value {
    background: var(--cn-color-primary);
  }

  progress.track::-moz-progress-bar {
    background: var(--cn-color-primary);
  }

  button[aria-pressed='true'] {
    font-weight: 700;
  }

  input,
  select,
  textarea {
    font: inherit;
    inline-size: 100%;
    padding: 0.35rem 0.55rem;
    border: 1px solid var(--cn-color-border-strong);
    border-radius: var(--cn-radius);
  }

  details summary {
    cursor: pointer;
    font-weight: 600;
  }

  @media (max-width: 900px) {
    .grid {
      grid-template-columns: 1fr;
    }
  }
`;
