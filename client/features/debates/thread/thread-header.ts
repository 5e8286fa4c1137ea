import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { PagePart } from '../../../app/base-element.js';
import { describeError } from '../../../app/errors.js';
import { formatDateTime } from '../../../app/format.js';
import { authorDetails, countryNames } from '../../../app/page-format.js';
import { debatesApi } from '../debates-api.js';
import { categoryName, watchLabel } from '../debates-format.js';
import { WATCH_LEVELS, type Category, type ThreadDetail, type WatchLevel } from '../models.js';
import type { ThreadView } from './live-placement.js';
import { emit } from '../../../app/events.js';
import { hubPathOfRef } from '../../indicators/public.js';

export const isModerator = (role: string | undefined) => role === 'admin' || role === 'coordinator';

type Moderation = 'pin' | 'unpin' | 'lock' | 'unlock';

/**
 * A debate's header: its title, who started it and where, its tags, indicators and countries,
 * and the reader's controls (the view of the posts, the notification level) and, for moderators,
 * pinning, locking and moving it. Who is reading it now closes it.
 *
 * @event cn-thread-change - detail Partial<ThreadDetail>: the debate as a control changed it (pinned, moved, watched).
 * @event cn-view-change - detail ThreadView: the reader chose to see the posts as a conversation or in order.
 */
export class CnThreadHeader extends PagePart {
  static override properties = {
    thread: { attribute: false },
    categories: { attribute: false },
    view: {},
    presence: { attribute: false },
    busy: { state: true },
  };

  declare thread: ThreadDetail | null;
  declare categories: Category[];
  declare view: ThreadView;
  /** The others reading the debate now. */
  declare presence: Array<{ id: string; displayName: string }>;
  declare private busy: Moderation | 'move' | null;

  constructor() {
    super();
    this.thread = null;
    this.categories = [];
    this.view = 'tree';
    this.presence = [];
    this.busy = null;
  }

  protected override render() {
    const thread = this.thread;
    if (!thread) return nothing;
    const category = this.categories.find((c) => c.id === thread.categoryId);
    return html`
      <header class="thread-header">
        <div class="chips">
          ${thread.pinned ? html`<span class="badge">${msg('Pinned')}</span>` : nothing}
          ${thread.locked ? html`<span class="badge badge-danger">${msg('Locked: only moderators can post')}</span>` : nothing}
          ${thread.concluded ? html`<span class="badge">${msg('Concluded')}</span>` : nothing}
        </div>
        <h1 tabindex="-1">${thread.title}</h1>
        ${thread.subject
          ? html`<p class="subject-link">
              ${msg('The discussion of')} <a href=${thread.subject.href} data-subject-kind=${thread.subject.kind}>${thread.subject.title}</a>
            </p>`
          : nothing}
        <p class="meta">
          ${category ? html`<a href=${`/debates/c/${encodeURIComponent(category.slug)}`}>${categoryName(category)}</a> · ` : nothing}
          ${msg(str`Started by ${thread.author.displayName}`)} (${authorDetails(thread.author, this.services)}) ·
          <time datetime=${thread.createdAt}>${formatDateTime(thread.createdAt, this.user?.timeZone)}</time>
        </p>
        ${thread.tags.length + thread.indicatorCodes.length > 0
          ? html`<ul class="plain chips" aria-label=${msg('Tags and indicators')}>
              ${thread.tags.map((tag) => html`<li><a class="chip" href=${`/debates?${new URLSearchParams({ tag })}`}>#${tag}</a></li>`)}
              ${thread.indicatorCodes.map(
                // The indicator's hub: everything tagged with it, this debate among them.
                (code) => html`<li><a class="chip chip-indicator" href=${hubPathOfRef(code)} aria-label=${msg(str`Indicator ${code}`)}>${code}</a></li>`,
              )}
            </ul>`
          : nothing}
        ${thread.participatingCountries.length > 0
          ? html`<p class="meta">${msg('Countries taking part:')} ${countryNames(thread.participatingCountries, this.services).join(', ')}</p>`
          : nothing}
        <div class="toolbar">
          <div class="control">
            <span id="view-label">${msg('Show the posts')}</span>
            <div class="view-switch" role="group" aria-labelledby="view-label">
              <button type="button" aria-pressed=${this.view === 'tree' ? 'true' : 'false'} @click=${() => this.chooseView('tree')}>${msg('As a conversation')}</button>
              <button type="button" aria-pressed=${this.view === 'chronological' ? 'true' : 'false'} @click=${() => this.chooseView('chronological')}>${msg('In order of posting')}</button>
            </div>
          </div>
          <div class="control">
            <label for="watch">${msg('Notifications')}</label>
            <select id="watch" @change=${this.watch}>
              ${WATCH_LEVELS.map((level) => html`<option value=${level} ?selected=${thread.watchLevel === level}>${watchLabel(level)}</option>`)}
            </select>
          </div>
          ${isModerator(this.user?.role) ? this.renderModeration(thread) : nothing}
        </div>
        <p class="presence" aria-live="off">
          ${this.presence.length > 0 ? msg(str`Reading now: ${this.presence.map((u) => u.displayName).join(', ')}`) : ''}
        </p>
      </header>
    `;
  }

  private renderModeration(thread: ThreadDetail) {
    return html`
      <div class="control">
        <span>${msg('Moderation')}</span>
        <div class="row">
          <cn-button size="small" ?loading=${this.busy === 'pin' || this.busy === 'unpin'}>
            <button type="button" @click=${() => this.moderate(thread.pinned ? 'unpin' : 'pin')}>${thread.pinned ? msg('Unpin') : msg('Pin')}</button>
          </cn-button>
          <cn-button size="small" ?loading=${this.busy === 'lock' || this.busy === 'unlock'}>
            <button type="button" @click=${() => this.moderate(thread.locked ? 'unlock' : 'lock')}>${thread.locked ? msg('Unlock') : msg('Lock')}</button>
          </cn-button>
        </div>
      </div>
      <form class="control move" @submit=${this.move}>
        <label for="move-category">${msg('Move to category')}</label>
        <div class="row">
          <select id="move-category" name="categoryId">
            ${this.categories.map((c) => html`<option value=${c.id} ?selected=${c.id === thread.categoryId}>${categoryName(c)}</option>`)}
          </select>
          <cn-button size="small" ?loading=${this.busy === 'move'}><button type="submit">${msg('Move')}</button></cn-button>
        </div>
      </form>
    `;
  }

  private changed(thread: Partial<ThreadDetail>) {
    emit(this, 'cn-thread-change', thread, { bubbles: true });
  }

  private chooseView(view: ThreadView) {
    if (view !== this.view) emit(this, 'cn-view-change', view, { bubbles: true });
  }

  private async moderate(action: Moderation) {
    const thread = this.thread;
    if (!thread || this.busy) return;
    this.busy = action;
    try {
      this.changed(await debatesApi.moderate(thread.id, action));
      const messages = {
        pin: msg('The debate is pinned.'),
        unpin: msg('The debate is no longer pinned.'),
        lock: msg('The debate is locked.'),
        unlock: msg('The debate is open again.'),
      };
      this.services.toast(messages[action], 'success');
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = null;
    }
  }

  private async move(event: SubmitEvent) {
    event.preventDefault();
    const thread = this.thread;
    const categoryId = String(new FormData(event.currentTarget as HTMLFormElement).get('categoryId') ?? '');
    if (!thread || !categoryId || categoryId === thread.categoryId || this.busy) return;
    this.busy = 'move';
    try {
      this.changed(await debatesApi.move(thread.id, categoryId));
      this.services.toast(msg(str`The debate was moved to ${categoryName(this.categories.find((c) => c.id === categoryId))}.`), 'success');
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = null;
    }
  }

  private async watch(event: Event) {
    const thread = this.thread;
    const select = event.target as HTMLSelectElement;
    const level = select.value as WatchLevel;
    if (!thread) return;
    try {
      const updated = await debatesApi.watchThread(thread.id, level);
      this.changed({ watchLevel: updated.watchLevel ?? level });
      this.services.toast(msg('Your notification preference is saved.'), 'success');
    } catch (error) {
      select.value = thread.watchLevel;
      this.services.toast(describeError(error), 'error');
    }
  }
}

declare global {
  interface HTMLElementEventMap {
    /** The thread after a change made in its header (title, tags, pin, lock, watch). */
    'cn-thread-change': CustomEvent<Partial<ThreadDetail>>;
    /** The reader chose to see the posts as a conversation or in order. */
    'cn-view-change': CustomEvent<ThreadView>;
  }
}
