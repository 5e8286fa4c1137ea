import { css, html, nothing, type PropertyValues } from 'lit';
import { formatNumber } from '../../app/format.js';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { pickContent } from '../../app/i18n.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { debatesApi } from './debates-api.js';
import { drafts } from './debates-format.js';
import type { Mentionable } from './models.js';
import { sanitizedPostHtml } from './trusted-html.js';
import { composerMessageStyles, postBodyStyles } from './post-styles.js';

interface MentionOption {
  id: string;
  insert: string;
  label: string;
  detail: string;
}

const TYPING_EVERY_MS = 2500;
let counter = 0;

/**
 * A Markdown text area with a Write/Preview switch, @-mentions of people and countries (an
 * ARIA combobox with a listbox), a draft kept in localStorage under `draftKey`, throttled
 * typing notices and Ctrl/Cmd+Enter to send.
 *
 * @event cn-editor-submit - Ctrl/Cmd+Enter: the host submits its form.
 * @event cn-editor-typing - At most every few seconds while the person types.
 */
export class CnMarkdownEditor extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    composerMessageStyles,
    postBodyStyles,
    css`
      :host {
        display: grid;
        gap: var(--cn-space-2);
      }

      .top {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: end;
        gap: var(--cn-space-2);
      }

      label {
        font-weight: 600;
        color: var(--cn-color-heading);
      }

      .tabs {
        display: inline-flex;
        border: 1px solid var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
        overflow: hidden;
      }

      .tabs button {
        font: inherit;
        font-size: 0.875rem;
        padding: 0.3rem 0.75rem;
        min-block-size: 2.25rem;
        border: 0;
        background: var(--cn-color-surface);
        color: var(--cn-color-text);
        cursor: pointer;
      }

      .tabs button + button {
        border-inline-start: 1px solid var(--cn-color-border-strong);
      }

      .tabs button[aria-pressed='true'] {
        background: var(--cn-color-primary);
        color: #fff;
        font-weight: 600;
      }

      .tabs button:focus-visible {
        outline-offset: -4px;
      }

      .area {
        position: relative;
      }

      textarea {
        font: inherit;
        inline-size: 100%;
        min-block-size: 9rem;
        resize: vertical;
        padding: 0.6rem 0.75rem;
        border: 1px solid var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
        background: var(--cn-color-surface);
        color: var(--cn-color-text);
      }

      textarea[aria-invalid='true'] {
        border-color: var(--cn-color-danger);
        border-width: 2px;
      }

      .preview {
        min-block-size: 9rem;
        padding: 0.6rem 0.75rem;
        border: 1px dashed var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
        background: var(--cn-color-surface);
      }


      [role='listbox'] {
        position: absolute;
        z-index: 20;
        inset-inline: 0;
        max-block-size: 16rem;
        overflow: auto;
        margin: 0.25rem 0 0;
        padding: var(--cn-space-1);
        list-style: none;
        background: var(--cn-color-surface);
        border: 1px solid var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
        box-shadow: 0 12px 30px rgb(15 30 50 / 20%);
      }

      [role='option'] {
        display: flex;
        justify-content: space-between;
        gap: var(--cn-space-3);
        padding: 0.45rem var(--cn-space-3);
        border-radius: var(--cn-radius);
        cursor: pointer;
      }

      [role='option'][aria-selected='true'] {
        background: var(--cn-color-primary);
        color: #fff;
      }

      [role='option'] span:last-child {
        font-size: 0.8125rem;
        opacity: 0.85;
      }
    `,
  ];

  static override properties = {
    label: {},
    draftKey: { attribute: false },
    error: {},
    value: { state: true },
    previewing: { state: true },
    previewHtml: { state: true },
    previewError: { state: true },
    options: { state: true },
    activeIndex: { state: true },
  };

  declare label: string;
  /** localStorage key of the unsent text; '' keeps no draft. */
  declare draftKey: string;
  /** A problem with the text, shown under it and announced with the control. */
  declare error: string;
  declare value: string;
  declare private previewing: boolean;
  declare private previewHtml: string | null;
  declare private previewError: string;
  declare private options: MentionOption[];
  declare private activeIndex: number;

  private readonly uid = `editor-${++counter}`;
  private lastTyping = 0;
  private mentionStart = -1;
  private mentionAbort: AbortController | null = null;
  private draftTimer: number | undefined;
  private initialValue: string | null = null;

  constructor() {
    super();
    this.label = '';
    this.draftKey = '';
    this.error = '';
    this.value = '';
    this.previewing = false;
    this.previewHtml = null;
    this.previewError = '';
    this.options = [];
    this.activeIndex = -1;
  }

  /** Text to start from when there is no draft (editing a post). */
  setInitial(text: string): void {
    this.initialValue = text;
    this.value = (this.draftKey && drafts.read(this.draftKey)) || text;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('draftKey') && this.draftKey) this.value = drafts.read(this.draftKey) || this.initialValue || '';
  }

  get textarea(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  override focus(options?: FocusOptions): void {
    if (this.previewing) this.previewing = false;
    void this.updateComplete.then(() => this.textarea?.focus(options));
  }

  /** Forgets the draft, after the text was sent. */
  clear(): void {
    window.clearTimeout(this.draftTimer);
    if (this.draftKey) drafts.clear(this.draftKey);
    this.value = '';
    this.initialValue = null;
    this.previewing = false;
    this.previewHtml = null;
  }

  /** Adds text at the end (a quotation), keeping what was written, and focuses the area. */
  insertBlock(text: string): void {
    const current = this.value.replace(/\s+$/, '');
    this.value = current ? `${current}\n\n${text}\n\n` : `${text}\n\n`;
    this.saveDraft();
    this.focus();
    void this.updateComplete.then(() => {
      const area = this.textarea;
      if (area) area.selectionStart = area.selectionEnd = area.value.length;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.draftTimer !== undefined) {
      window.clearTimeout(this.draftTimer);
      if (this.draftKey) drafts.write(this.draftKey, this.value);
    }
    this.mentionAbort?.abort();
  }

  protected override render() {
    const listId = `${this.uid}-mentions`;
    const open = this.options.length > 0;
    const describedBy = [this.error ? `${this.uid}-error` : '', `${this.uid}-hint`].filter(Boolean).join(' ');
    return html`
      <div class="top">
        <label for=${`${this.uid}-text`} @click=${() => this.focus()}>${this.label}</label>
        <div class="tabs" role="group" aria-label=${msg('Editor mode')}>
          <button type="button" aria-pressed=${this.previewing ? 'false' : 'true'} @click=${() => this.showWrite()}>${msg('Write')}</button>
          <button type="button" aria-pressed=${this.previewing ? 'true' : 'false'} @click=${this.showPreview}>${msg('Preview')}</button>
        </div>
      </div>
      <div class="area" ?hidden=${this.previewing}>
        <textarea
          id=${`${this.uid}-text`}
          rows="7"
          maxlength="50000"
          role="combobox"
          aria-autocomplete="list"
          aria-haspopup="listbox"
          aria-controls=${listId}
          aria-expanded=${open ? 'true' : 'false'}
          aria-activedescendant=${open && this.activeIndex >= 0 ? `${listId}-${this.activeIndex}` : ''}
          aria-describedby=${describedBy}
          aria-invalid=${this.error ? 'true' : 'false'}
          .value=${this.value}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
          @blur=${() => window.setTimeout(() => this.closeMentions(), 150)}
        ></textarea>
        <ul id=${listId} role="listbox" aria-label=${msg('People and countries to mention')} ?hidden=${!open}>
          ${this.options.map(
            (option, index) => html`
              <li id=${`${listId}-${index}`} role="option" aria-selected=${index === this.activeIndex ? 'true' : 'false'} @mousedown=${(event: Event) => { event.preventDefault(); this.choose(option); }}>
                <span>${option.label}</span><span>${option.detail}</span>
              </li>
            `,
          )}
        </ul>
      </div>
      ${this.previewing
        ? html`<div class="preview post-body" tabindex="0" aria-label=${msg('Preview')} aria-busy=${this.previewHtml === null && !this.previewError ? 'true' : 'false'}>
            ${this.previewError
              ? html`<p class="error" role="alert">${this.previewError}</p>`
              : this.previewHtml === null
                ? html`<p class="muted" role="status">${msg('Preparing the preview…')}</p>`
                : this.previewHtml
                  ? sanitizedPostHtml(this.previewHtml, this.services.countries)
                  : html`<p class="muted">${msg('Nothing to preview yet.')}</p>`}
          </div>`
        : nothing}
      ${this.error ? html`<p class="error" id=${`${this.uid}-error`}>${this.error}</p>` : nothing}
      <p class="hint" id=${`${this.uid}-hint`}>
        ${msg('Markdown: **bold**, _italics_, lists, quotes, [link](https://…). Type @ to mention a person or a country. Ctrl+Enter sends.')}
      </p>
      <p class="visually-hidden" role="status">${open ? plural(this.options.length, { one: msg(str`${formatNumber(this.options.length)} suggestion. Use the arrow keys and Enter.`, { id: 'suggestions.one' }), other: msg(str`${formatNumber(this.options.length)} suggestions. Use the arrow keys and Enter.`, { id: 'suggestions.other' }) }) : ''}</p>
    `;
  }

  private showWrite() {
    this.previewing = false;
    void this.updateComplete.then(() => this.textarea?.focus());
  }

  private async showPreview() {
    this.closeMentions();
    this.previewing = true;
    this.previewHtml = null;
    this.previewError = '';
    const body = this.value;
    if (!body.trim()) {
      this.previewHtml = '';
      return;
    }
    try {
      const rendered = await debatesApi.preview(body);
      if (this.previewing && body === this.value) this.previewHtml = rendered;
    } catch (error) {
      this.previewError = describeError(error);
    }
  }

  private onInput(event: InputEvent) {
    const area = event.target as HTMLTextAreaElement;
    this.value = area.value;
    this.saveDraft();
    this.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    const now = Date.now();
    if (now - this.lastTyping > TYPING_EVERY_MS) {
      this.lastTyping = now;
      this.dispatchEvent(new Event('cn-editor-typing', { bubbles: true, composed: true }));
    }
    void this.lookForMention(area);
  }

  private saveDraft() {
    if (!this.draftKey) return;
    window.clearTimeout(this.draftTimer);
    const key = this.draftKey;
    this.draftTimer = window.setTimeout(() => {
      this.draftTimer = undefined;
      drafts.write(key, this.value);
    }, 400);
  }

  private async lookForMention(area: HTMLTextAreaElement) {
    const before = area.value.slice(0, area.selectionStart);
    const match = /(^|[\s(])@([\p{L}\p{N}._-]{1,40})$/u.exec(before);
    if (!match) {
      this.closeMentions();
      return;
    }
    const query = match[2]!;
    this.mentionStart = before.length - query.length - 1;
    this.mentionAbort?.abort();
    const abort = new AbortController();
    this.mentionAbort = abort;
    let found: Mentionable;
    try {
      found = await debatesApi.mentionable(query, abort.signal);
    } catch {
      return; // Suggestions are a convenience: typing the handle still works.
    }
    if (abort.signal.aborted) return;
    this.options = [
      ...found.people.map((person) => ({
        id: `p-${person.id}`,
        insert: `@${person.handle}`,
        label: person.displayName,
        detail: `@${person.handle}`,
      })),
      ...found.countries.map((country) => ({
        id: `c-${country.code}`,
        insert: `@${country.code.toUpperCase()}`,
        label: pickContent(country.nameEs, country.nameEn),
        detail: msg(str`@${country.code.toUpperCase()} · everyone in the delegation`),
      })),
    ].slice(0, 12);
    this.activeIndex = this.options.length > 0 ? 0 : -1;
  }

  private closeMentions() {
    this.mentionAbort?.abort();
    this.options = [];
    this.activeIndex = -1;
  }

  private choose(option: MentionOption) {
    const area = this.textarea;
    if (!area || this.mentionStart < 0) return;
    const caret = area.selectionStart;
    const text = `${area.value.slice(0, this.mentionStart)}${option.insert} ${area.value.slice(caret)}`;
    const position = this.mentionStart + option.insert.length + 1;
    this.value = text;
    area.value = text;
    area.selectionStart = area.selectionEnd = position;
    this.saveDraft();
    this.closeMentions();
    area.focus();
  }

  private onKeydown(event: KeyboardEvent) {
    if (this.options.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.activeIndex = (this.activeIndex + step + this.options.length) % this.options.length;
        return;
      }
      if ((event.key === 'Enter' || event.key === 'Tab') && this.activeIndex >= 0 && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        this.choose(this.options[this.activeIndex]!);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.closeMentions();
        return;
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (this.draftTimer !== undefined && this.draftKey) drafts.write(this.draftKey, this.value);
      this.dispatchEvent(new Event('cn-editor-submit', { bubbles: true, composed: true }));
    }
  }
}
