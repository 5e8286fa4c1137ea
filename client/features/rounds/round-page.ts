import { html, nothing, type PropertyValues } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatDateTime } from '../../app/format.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { roundsApi, type AnchorInput, type Block, type CommentType, type MoreComments, type RoundComment, type RoundDetail } from './rounds-api.js';
import { localized, statusLabel, typeLabel } from './rounds-format.js';
import { roundsStyles } from './rounds.styles.js';

type Action = 'open' | 'close' | 'conclude' | 'publish' | 'attach' | 'silence' | 'withdraw' | 'submit' | 'break' | 'comment';

interface Composing {
  /** null: the document as a whole. */
  blockId: string | null;
  exact: string;
  start: number | null;
}

/** A datetime-local value (the browser's zone) as an instant, or null. */
const instant = (value: FormDataEntryValue | null) => {
  const date = new Date(String(value ?? ''));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

/**
 * A comment round: the version's text as numbered sections and paragraphs with the comments in a
 * margin beside each (below it on a phone), passages chosen by selecting them (or by typing the
 * words), the delegation's drafts and submission, and the organizers' steps. Changes others make
 * (a submission, a disposition) arrive over the live channel and reload the round.
 */
export class CnRoundPage extends AppElement {
  static override styles = [baseStyles, pageStyles, roundsStyles];
  static override properties = {
    roundId: { type: String },
    composing: { state: true },
    selection: { state: true },
    busy: { state: true },
    actionError: { state: true },
    later: { state: true },
    more: { state: true },
    moreState: { state: true },
  };

  declare roundId: string;
  declare private composing: Composing | null;
  declare private selection: Composing | null;
  /** The action under way (its button shows it), or null: one at a time. */
  declare private busy: Action | null;
  declare private actionError: string;
  /**
   * The comments further on in the text than the round's answer carries (it carries those on the
   * document and its opening paragraphs), loaded a window at a time as the reader nears them, and
   * where the next window starts (null: none left). They belong to the answer in `laterOf`.
   */
  declare private later: RoundComment[];
  declare private more: MoreComments;
  declare private moreState: 'idle' | 'loading' | 'failed';
  private moreError = '';
  private laterOf: RoundDetail | undefined;
  /** Loads the next window when its place in the text comes near the screen. */
  private moreObserver: IntersectionObserver | null = null;
  private observed: Element | null = null;

  private live = new LiveSubscriptionController(this, {
    topics: () => (this.roundId ? [`round:${this.roundId}`] : []),
    onMessage: (message) => {
      if (message.type === 'event') void this.round.run();
    },
  });

  // A reload (a live event's, an action's) keeps the round on screen, and with it the comment being
  // written; a reload that a later one supersedes is aborted and its answer ignored (Resource's task
  // keeps only the last run's), so an older answer never replaces a newer one; a reload that fails
  // leaves the round shown, marked out of date.
  private round = new Resource(this, {
    load: ([id], signal) => roundsApi.get(id, signal),
    args: () => [this.roundId] as const,
    staleOnFailure: true,
    loaded: (detail) => this.roundLoaded(detail),
  });

  constructor() {
    super();
    this.roundId = '';
    this.composing = null;
    this.selection = null;
    this.busy = null;
    this.actionError = '';
    this.later = [];
    this.more = null;
    this.moreState = 'idle';
    void this.live;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (typeof IntersectionObserver === 'undefined') return;
    this.moreObserver = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && this.moreState === 'idle') void this.loadMore();
    }, { rootMargin: '800px 0px' });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.moreObserver?.disconnect();
    this.moreObserver = null;
    this.observed = null;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const sentinel = this.shadowRoot?.querySelector('[data-more-comments]') ?? null;
    if (sentinel === this.observed || !this.moreObserver) return;
    if (this.observed) this.moreObserver.unobserve(this.observed);
    this.observed = sentinel;
    if (sentinel) this.moreObserver.observe(sentinel);
  }

  /** The index of the block through which comments are shown (Infinity: all of them). */
  private reached(detail: RoundDetail | undefined, more: MoreComments): number {
    if (!detail) return -1;
    return more === null ? Number.POSITIVE_INFINITY : detail.structure.blocks.findIndex((block) => block.id === more.after);
  }

  /**
   * The next windows of comments, until the one through block `until` (or just the next). A newer
   * answer of the round (a reload) replaces what was loaded: this load then stops unheard.
   */
  private async loadMore(until?: number) {
    const detail = this.laterOf;
    if (!detail || !this.more) return;
    this.moreState = 'loading';
    try {
      do {
        const next = await roundsApi.later(detail.round.id, this.more.after);
        if (this.laterOf !== detail) return;
        this.later = [...this.later, ...next.comments];
        this.more = next.moreComments;
      } while (until !== undefined && this.more && this.reached(detail, this.more) < until);
      this.moreState = 'idle';
    } catch (error) {
      if (this.laterOf !== detail) return;
      this.moreError = describeError(error);
      this.moreState = 'failed';
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // Another round in the same element: what was being written belonged to the previous one.
    if (changed.has('roundId') && changed.get('roundId')) {
      this.composing = null;
      this.selection = null;
      this.actionError = '';
    }
  }

  /** A new answer of the round (a reload after a live event or an action): the comments further on are loaded again, as far as the reader had them. */
  private roundLoaded(detail: RoundDetail) {
    if (detail === this.laterOf) return;
    const had = this.laterOf?.round.id === detail.round.id ? this.reached(this.laterOf, this.more) : -1;
    this.laterOf = detail;
    this.later = [];
    this.more = detail.moreComments;
    this.moreState = 'idle';
    if (this.more && had > this.reached(detail, this.more)) void this.loadMore(had);
  }

  /** Runs an action; on success the round is loaded again (also for this page: the live event may come later). */
  private async act(action: Action, work: () => Promise<unknown>, done: string) {
    if (this.busy) return;
    this.busy = action;
    this.actionError = '';
    try {
      await work();
      this.services.toast(done, 'success');
      await this.round.run();
      // A live event's reload may have superseded this one (its answer is then ignored): the action
      // is over once the newest answer is shown, not before (its button would come back too early).
      await this.round.settled.catch(() => undefined);
    } catch (error) {
      this.actionError = describeError(error);
    } finally {
      this.busy = null;
    }
  }

  /** An action's button: its spinner while it runs. */
  private running(action: Action) {
    return this.busy === action;
  }

  protected override render() {
    const detail = this.round.value;
    // Before the round is there: Resource's loading state, or its failure with "Try again".
    if (!detail) return this.round.render({ loading: msg('Loading the round…'), complete: () => nothing });
    const { round } = detail;
    const title = localized(round.documentTitle);
    const zone = this.user?.timeZone;
    return html`
      <p class="small"><a href="/rounds">${msg('← All comment rounds')}</a></p>
      <div class="page-header">
        <h1 tabindex="-1"><span lang=${title.lang}>${title.text}</span></h1>
        <p class="lead">
          <span class="badge" data-status=${round.status}>${statusLabel(round.status)}</span>
          ${msg(str`Version ${round.version}`)} · ${msg(str`Comments until ${formatDateTime(round.deadline, zone)}`)}
          ${round.replyDeadline ? html` · ${msg(str`Replies until ${formatDateTime(round.replyDeadline, zone)}`)}` : nothing}
        </p>
        ${round.instructions ? html`<p class="description">${round.instructions}</p>` : nothing}
        <p class="toolbar">
          <a href=${`/rounds/${encodeURIComponent(round.id)}/matrix`}>${msg('Comment-resolution matrix')}</a>
          ${round.nextVersion !== null ? html`<a href=${`/rounds/${encodeURIComponent(round.id)}/compare`}>${msg(str`Compare versions ${round.version} and ${round.nextVersion}`)}</a>` : nothing}
        </p>
      </div>
      ${this.renderStale()} ${this.actionError ? html`<div class="alert alert-error" role="alert">${this.actionError}</div>` : nothing}
      ${this.renderOrganizerPanel(detail)} ${this.renderDelegationPanel(detail)} ${this.renderSilence(detail)}
      <section aria-labelledby="text-heading" @cn-round-changed=${() => this.round.run()}>
        <h2 id="text-heading">${msg('The text and its comments')}</h2>
        ${this.renderDocumentComments(detail)}
        <div @mouseup=${this.noteSelection} @keyup=${this.noteSelection}>
          ${detail.structure.blocks.map((block) => html`${this.renderBlock(detail, block)}${this.more?.after === block.id ? this.renderMore(this.more.count) : nothing}`)}
        </div>
      </section>
    `;
  }

  /**
   * A reload that failed: the round stays shown under a warning that it may be out of date. Laid out
   * here, inside the page's one template, rather than by round.render(), which puts the warning and
   * the page in another template and so would rebuild the page, emptying the comment being written.
   */
  private renderStale() {
    if (!this.round.failed) return nothing;
    return this.round.renderFailure({ message: `${msg('What is shown may be out of date:')} ${describeError(this.round.error)}` });
  }

  private renderOrganizerPanel(detail: RoundDetail) {
    if (!detail.me.isOrganizer) return nothing;
    const { round } = detail;
    const id = round.id;
    const submitted = detail.parties.filter((party) => party.submittedAt !== null).length;
    const publish = (event: SubmitEvent) => {
      event.preventDefault();
      const replyDeadline = instant(new FormData(event.target as HTMLFormElement).get('replyDeadline'));
      if (replyDeadline) void this.act('publish', () => roundsApi.publish(id, replyDeadline), msg('The dispositions are published.'));
    };
    const attach = (event: SubmitEvent) => {
      event.preventDefault();
      const version = Number(new FormData(event.target as HTMLFormElement).get('version'));
      void this.act('attach', () => roundsApi.nextVersion(id, version), msg('The next version is attached; the comments are re-anchored.'));
    };
    const silence = (event: SubmitEvent) => {
      event.preventDefault();
      const deadline = instant(new FormData(event.target as HTMLFormElement).get('deadline'));
      if (deadline) void this.act('silence', () => roundsApi.startSilence(id, deadline), msg('The silence procedure has started.'));
    };
    const others = detail.versions.filter((version) => version.number !== round.version);
    return html`<section class="card stack" aria-labelledby="organizers-heading">
      <h2 id="organizers-heading">${msg('Running the round')}</h2>
      <p>${msg(str`${submitted} of ${detail.parties.length} consulted delegations have submitted.`)}</p>
      <ul class="small">
        ${detail.parties.map((party) => html`<li>${party.name}: ${party.submittedAt ? msg(str`submitted (${party.comments} comments)`) : msg('not yet')}</li>`)}
      </ul>
      <div class="toolbar">
        ${round.status === 'draft' ? html`<cn-button variant="primary" ?loading=${this.running('open')}><button type="button" @click=${() => this.act('open', () => roundsApi.step(id, 'open'), msg('The round is open.'))}>${msg('Open the round')}</button></cn-button>` : nothing}
        ${round.status === 'open' ? html`<cn-button ?loading=${this.running('close')}><button type="button" @click=${() => this.act('close', () => roundsApi.step(id, 'close'), msg('Commenting is closed.'))}>${msg('Close commenting')}</button></cn-button>` : nothing}
        ${round.status === 'dispositions' ? html`<cn-button ?loading=${this.running('conclude')}><button type="button" @click=${() => this.act('conclude', () => roundsApi.step(id, 'conclude'), msg('The round is concluded.'))}>${msg('Conclude the round')}</button></cn-button>` : nothing}
      </div>
      ${round.status === 'closed'
        ? html`<form class="toolbar" @submit=${publish}>
            <cn-field><label slot="label">${msg('Replies until')}</label><input type="datetime-local" name="replyDeadline" required /></cn-field>
            <cn-button variant="primary" ?loading=${this.running('publish')}><button type="submit">${msg('Publish the dispositions')}</button></cn-button>
          </form>`
        : nothing}
      ${['closed', 'dispositions', 'concluded'].includes(round.status)
        ? html`<form class="toolbar" @submit=${attach}>
            <cn-field>
              <label slot="label">${msg('Next version')}</label>
              <select name="version">${others.map((version) => html`<option value=${version.number} ?selected=${version.number === round.nextVersion}>${msg(str`Version ${version.number}`)}</option>`)}</select>
              <span slot="hint"><a href=${`/documents/${encodeURIComponent(round.documentId)}`}>${msg('Upload it in the library first.')}</a></span>
            </cn-field>
            <cn-button ?loading=${this.running('attach')}><button type="submit" ?disabled=${others.length === 0}>${msg('Attach as the next version')}</button></cn-button>
          </form>`
        : nothing}
      ${round.nextVersion !== null && (!detail.silence || detail.silence.outcome !== 'running')
        ? html`<form class="toolbar" @submit=${silence}>
            <cn-field><label slot="label">${msg('Silence procedure until')}</label><input type="datetime-local" name="deadline" required /></cn-field>
            <cn-button ?loading=${this.running('silence')}><button type="submit">${msg('Start the silence procedure')}</button></cn-button>
          </form>`
        : nothing}
    </section>`;
  }

  private renderDelegationPanel(detail: RoundDetail) {
    const me = detail.me;
    if (!me.party) return nothing;
    const id = detail.round.id;
    const open = detail.round.status === 'open';
    return html`<section class="card stack" aria-labelledby="delegation-heading">
      <h2 id="delegation-heading">${msg(str`Your delegation: ${me.partyName ?? ''}`)}</h2>
      ${me.submission
        ? html`<p>${msg(str`Submitted on ${formatDateTime(me.submission.submittedAt, this.user?.timeZone)}.`)}</p>`
        : html`<p>${msg(str`${me.drafts} draft comments, seen only by your delegation until they are submitted.`)}</p>`}
      ${open && me.maySubmit
        ? me.submission
          ? html`<div><cn-button ?loading=${this.running('withdraw')}><button type="button" @click=${() => this.act('withdraw', () => roundsApi.withdraw(id), msg('The submission is withdrawn; the comments are drafts again.'))}>${msg('Withdraw to amend')}</button></cn-button></div>`
          : html`<div><cn-button variant="primary" ?loading=${this.running('submit')}><button type="button" @click=${() => this.act('submit', () => roundsApi.submit(id), msg('Your delegation’s comments are submitted.'))}>${msg('Submit our comments')}</button></cn-button></div>`
        : nothing}
    </section>`;
  }

  private renderSilence(detail: RoundDetail) {
    const silence = detail.silence;
    if (!silence) return nothing;
    const zone = this.user?.timeZone;
    const outcome = { running: msg('Running'), adopted: msg('Adopted'), broken: msg('Silence broken'), cancelled: msg('Cancelled', { id: 'round-silence-cancelled', desc: 'Outcome of a silence procedure' }) }[silence.outcome];
    const breakIt = (event: SubmitEvent) => {
      event.preventDefault();
      const reason = String(new FormData(event.target as HTMLFormElement).get('reason') ?? '').trim();
      if (reason) void this.act('break', () => roundsApi.breakSilence(detail.round.id, reason), msg('Your country has broken silence.'));
    };
    return html`<section class="card stack" aria-labelledby="silence-heading">
      <h2 id="silence-heading">${msg(str`Silence procedure on version ${silence.version}`)}</h2>
      <p><span class="badge" data-silence=${silence.outcome}>${outcome}</span> ${msg(str`Until ${formatDateTime(silence.deadline, zone)}`)}</p>
      ${silence.breaks.length ? html`<ul>${silence.breaks.map((entry) => html`<li><strong>${entry.name}</strong>: ${entry.reason}</li>`)}</ul>` : nothing}
      ${silence.mayBreak
        ? html`<form class="inline" @submit=${breakIt}>
            <cn-field><label slot="label">${msg('Reason for breaking silence')}</label><textarea name="reason" required maxlength="5000" rows="2"></textarea></cn-field>
            <div><cn-button ?loading=${this.running('break')}><button type="submit">${msg('Break silence')}</button></cn-button></div>
          </form>`
        : nothing}
    </section>`;
  }

  /** Where the comments loaded so far stop: the next ones load as it comes near the screen, or with its button. */
  private renderMore(count: number) {
    return html`<div class="more-comments" data-more-comments>
      <p class="small muted" role="status">
        ${this.moreState === 'loading' ? msg('Loading the comments further on…') : this.moreState === 'failed' ? `${msg('The comments further on could not be loaded.')} ${this.moreError}` : nothing}
      </p>
      ${this.moreState === 'loading'
        ? nothing
        : html`<cn-button size="small"><button type="button" @click=${() => this.loadMore()}>${msg(str`Show more comments (${count} further on)`)}</button></cn-button>`}
    </div>`;
  }

  private commentsOn(detail: RoundDetail, blockId: string | null): RoundComment[] {
    const all = detail === this.laterOf && this.later.length ? [...detail.comments, ...this.later] : detail.comments;
    return all.filter((comment) => (comment.anchor.kind === 'document' ? blockId === null : comment.anchor.blockId === blockId));
  }

  private mayComment(detail: RoundDetail) {
    return detail.round.status === 'open' && detail.me.party !== null && detail.me.submission === null;
  }

  private renderDocumentComments(detail: RoundDetail) {
    const comments = this.commentsOn(detail, null);
    const composing = this.composing?.blockId === null;
    return html`<div class="block" data-block="document">
      <div class="text">
        <span class="label">${msg('All')}</span>
        <p class="para muted">${msg('Comments on the document as a whole')}</p>
        ${this.mayComment(detail) && !composing
          ? html`<div class="block-actions"><cn-button size="small"><button type="button" @click=${() => (this.composing = { blockId: null, exact: '', start: null })}>${msg('Comment on the whole document')}</button></cn-button></div>`
          : nothing}
      </div>
      <div class="margin">${comments.map((comment) => this.renderComment(detail, comment))} ${composing ? this.renderForm(detail) : nothing}</div>
    </div>`;
  }

  private renderBlock(detail: RoundDetail, block: Block) {
    const comments = this.commentsOn(detail, block.id);
    const composing = this.composing?.blockId === block.id;
    const selected = this.selection?.blockId === block.id ? this.selection : null;
    const label = block.kind === 'title' ? msg('Title') : block.label;
    const textClass = block.kind === 'paragraph' ? 'para' : 'para heading';
    return html`<div class="block" id=${block.id} data-block=${block.id}>
      <div class="text">
        <span class="label">${label}</span>
        ${block.kind === 'heading'
          ? html`<h3 class=${textClass} data-block-text=${block.id}>${block.text}</h3>`
          : html`<p class=${textClass} data-block-text=${block.id}>${block.text}</p>`}
        ${this.mayComment(detail) && !composing
          ? html`<div class="block-actions">
              <cn-button size="small"><button type="button" @click=${() => (this.composing = { blockId: block.id, exact: '', start: null })}>${msg(str`Comment on ${label}`)}</button></cn-button>
              ${selected
                ? html`<cn-button size="small" variant="primary"><button type="button" @click=${() => (this.composing = selected)}>${msg('Comment on the selected passage')}</button></cn-button>`
                : nothing}
            </div>`
          : nothing}
      </div>
      <div class="margin">${comments.map((comment) => this.renderComment(detail, comment))} ${composing ? this.renderForm(detail) : nothing}</div>
    </div>`;
  }

  private renderComment(detail: RoundDetail, comment: RoundComment) {
    return html`<cn-round-comment .comment=${comment} .round=${detail}></cn-round-comment>`;
  }

  private renderForm(detail: RoundDetail) {
    const composing = this.composing!;
    const types: CommentType[] = ['general', 'technical', 'editorial'];
    return html`<form class="inline card" @submit=${(event: SubmitEvent) => this.submitComment(event, detail)}>
      ${composing.blockId !== null
        ? html`<cn-field>
            <label slot="label">${msg('Passage')} <span class="optional">${msg('(optional: the exact words)')}</span></label>
            <textarea name="exact" rows="2" .value=${composing.exact}></textarea>
          </cn-field>`
        : nothing}
      <cn-field>
        <label slot="label">${msg('Type')}</label>
        <select name="type">${types.map((type) => html`<option value=${type}>${typeLabel(type)}</option>`)}</select>
      </cn-field>
      <cn-field>
        <label slot="label">${msg('Comment')}</label>
        <textarea name="text" rows="3" required maxlength="10000"></textarea>
      </cn-field>
      <cn-field>
        <label slot="label">${msg('Proposed text')} <span class="optional">${msg('(optional)')}</span></label>
        <textarea name="proposedText" rows="2" maxlength="10000"></textarea>
      </cn-field>
      <div class="toolbar">
        <cn-button size="small" variant="primary" ?loading=${this.running('comment')}><button type="submit">${msg('Save as a draft of my delegation')}</button></cn-button>
        <cn-button size="small"><button type="button" @click=${() => (this.composing = null)}>${msg('Cancel')}</button></cn-button>
      </div>
    </form>`;
  }

  private submitComment(event: SubmitEvent, detail: RoundDetail) {
    event.preventDefault();
    const composing = this.composing;
    if (!composing) return;
    const data = new FormData(event.target as HTMLFormElement);
    const text = String(data.get('text') ?? '').trim();
    if (!text) {
      this.actionError = msg('Write the comment.');
      return;
    }
    const exact = String(data.get('exact') ?? '').trim();
    const anchor: AnchorInput =
      composing.blockId === null
        ? { kind: 'document' }
        : exact
          ? { kind: 'passage', blockId: composing.blockId, exact, ...(composing.start !== null && exact === composing.exact.trim() ? { start: composing.start } : {}) }
          : { kind: 'paragraph', blockId: composing.blockId };
    const proposed = String(data.get('proposedText') ?? '').trim();
    void this.act('comment', async () => {
      await roundsApi.comment(detail.round.id, { type: data.get('type') as CommentType, text, proposedText: proposed || null, anchor });
      this.composing = null;
      this.selection = null;
    }, msg('Your draft is saved; your focal point submits it with the delegation’s comments.'));
  }

  /** A passage selected inside one paragraph becomes the one to comment on. */
  private noteSelection = () => {
    const root = this.shadowRoot as ShadowRoot & { getSelection?: () => Selection | null };
    const selection = root.getSelection?.() ?? document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    const element = (node: Node) => (node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement);
    const start = element(range.startContainer)?.closest('[data-block-text]');
    const end = element(range.endContainer)?.closest('[data-block-text]');
    if (!start || start !== end) return;
    const before = document.createRange();
    before.selectNodeContents(start);
    before.setEnd(range.startContainer, range.startOffset);
    const exact = range.toString();
    if (!exact.trim()) return;
    this.selection = { blockId: start.getAttribute('data-block-text')!, exact, start: before.toString().length };
  };
}
