import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { PagePart } from '../../../app/base-element.js';
import type { CnMarkdownEditor } from '../../../ui/markdown-editor/markdown-editor.js';
import { sanitizedPostHtml } from '../../../ui/trusted-html.js';
import { formatClock, viewerZone } from '../meeting-time.js';
import { meetingsApi } from '../meetings-api.js';
import type { ChatMessage, Room } from '../models.js';
import { describeRoomError } from './room-model.js';
import { emit } from '../../../app/events.js';

/**
 * The room's chat: the messages (a log, announced politely), earlier ones on request, who is
 * writing, and while the room is open a Markdown box that keeps a draft and sends with
 * Ctrl+Enter. It keeps the log scrolled to the newest message when the reader was there.
 *
 * @event cn-chat-message - detail ChatMessage: the reader's message, sent.
 * @event cn-chat-earlier - the reader asks for earlier messages.
 * @event cn-chat-typing - the reader is typing (a notice for the others).
 */
export class CnRoomChat extends PagePart {
  static override properties = {
    meetingId: {},
    room: { attribute: false },
    messages: { attribute: false },
    hasEarlier: { type: Boolean },
    typing: { attribute: false },
    sending: { state: true },
    error: { state: true },
  };

  declare meetingId: string;
  declare room: Room | null;
  declare messages: ChatMessage[];
  declare hasEarlier: boolean;
  /** The names of the others writing now. */
  declare typing: string[];
  declare private sending: boolean;
  declare private error: string;

  constructor() {
    super();
    this.meetingId = '';
    this.room = null;
    this.messages = [];
    this.hasEarlier = false;
    this.typing = [];
    this.sending = false;
    this.error = '';
  }

  private log() {
    return this.querySelector<HTMLElement>('.chat-log');
  }

  /** Whether the reader is at the newest message (then a new one keeps them there). */
  atEnd(): boolean {
    const list = this.log();
    return !list || list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  async scrollToEnd(): Promise<void> {
    await this.pageUpdated();
    const list = this.log();
    if (list) list.scrollTop = list.scrollHeight;
  }

  protected override render() {
    const room = this.room;
    if (!room) return nothing;
    const zone = viewerZone(this.user);
    const typing = this.typing;
    return html`
      <div class="panel" aria-labelledby="chat-title">
        <h3 id="chat-title">${room.open ? msg('Chat') : msg('Chat transcript')}</h3>
        ${this.hasEarlier
          ? html`<div><cn-button size="small" variant="quiet"><button type="button" @click=${() => this.dispatchEvent(new Event('cn-chat-earlier', { bubbles: true }))}>${msg('Show earlier messages')}</button></cn-button></div>`
          : nothing}
        ${this.messages.length === 0 ? html`<p class="sub">${room.open ? msg('No message yet. Say hello!') : msg('Nothing was written in the chat.')}</p>` : nothing}
        <div class="chat-log" role="log" aria-labelledby="chat-title" aria-live="polite" tabindex="0">
        <ol class="chat">
          ${repeat(
            this.messages,
            (message) => message.id,
            (message) => html`<li>
              <span class="who"><strong>${message.author.displayName}</strong> · <time datetime=${message.createdAt}>${formatClock(message.createdAt, zone)}</time></span>
              <div class="post-body">${sanitizedPostHtml(message.html, this.services.countries)}</div>
            </li>`,
          )}
        </ol>
        </div>
        ${room.open
          ? html`<form class="stack" @submit=${this.send} @cn-editor-submit=${(event: Event) => (event.currentTarget as HTMLFormElement).requestSubmit()}>
              <p class="typing" aria-live="polite">
                ${typing.length === 1 ? msg(str`${typing[0]} is writing…`) : typing.length > 1 ? msg(str`${typing.join(', ')} are writing…`) : ''}
              </p>
              <cn-markdown-editor
                .label=${msg('Your message')}
                .draftKey=${`concilia.meeting-chat.${this.meetingId}.${room.occurrenceId}`}
                .error=${this.error}
                @cn-editor-typing=${() => this.dispatchEvent(new Event('cn-chat-typing', { bubbles: true }))}
              ></cn-markdown-editor>
              <div>
                <cn-button variant="primary" ?loading=${this.sending}>
                  <button type="submit" aria-disabled=${this.sending ? 'true' : 'false'}>${msg('Send')}</button>
                </cn-button>
              </div>
            </form>`
          : nothing}
      </div>
    `;
  }

  private async send(event: SubmitEvent) {
    event.preventDefault();
    const editor = this.querySelector<CnMarkdownEditor>('cn-markdown-editor');
    if (!editor || this.sending) return;
    const body = editor.value;
    if (!body.trim()) {
      this.error = msg('Write a message first.');
      editor.focus();
      return;
    }
    this.sending = true;
    this.error = '';
    try {
      const message = await meetingsApi.sendMessage(this.meetingId, body);
      editor.clear();
      emit(this, 'cn-chat-message', message, { bubbles: true });
      await this.scrollToEnd();
      editor.focus();
    } catch (error) {
      // The text stays in the box (and in its draft) to send again.
      this.error = describeRoomError(error);
    } finally {
      this.sending = false;
    }
  }
}

declare global {
  interface HTMLElementEventMap {
    /** Show earlier messages. */
    'cn-chat-earlier': Event;
    /** The reader types a message. */
    'cn-chat-typing': Event;
    /** A message was sent. */
    'cn-chat-message': CustomEvent<ChatMessage>;
  }
}
