import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatDateTime } from '../../app/format.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { Resource } from '../../controllers/resource.js';
import { postBodyStyles } from '../../ui/styles/post-body.styles.js';
import { baseStyles } from '../../ui/styles/shared.styles.js';
import { sanitizedPostHtml } from '../../ui/trusted-html.js';
import { POSITION_KINDS, proposalsApi, type Eligibility, type PollChoice, type PositionKind, type Proposal } from './proposals-api.js';

type Stored = Proposal['positions'][number];

export const positionLabel = (position: PositionKind | null): string =>
  position === null ? msg('No position yet') : { agree: msg('Agree'), abstain: msg('Abstain', { id: 'proposal-position-abstain' }), disagree: msg('Disagree'), block: msg('Block') }[position];

/** A week from now, as a datetime-local value in the reader's zone (the browser's). */
function aWeekFromNow(): string {
  const at = new Date(Date.now() + 7 * 86_400_000);
  at.setMinutes(0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:00`;
}

/**
 * The proposals of a thread, mounted at the top of the thread page (client/features/debates through
 * this feature's public.ts): outcomes pinned first, then each proposal with its statement, live
 * results (counts, and the country grid with who has not taken a position), the reader's position
 * form, and for the proposer or a moderator closing it and writing the outcome. Follows the
 * thread's live topic: any change to a proposal loads them again.
 */
export class CnThreadProposals extends AppElement {
  static override styles = [
    baseStyles,
    postBodyStyles,
    css`
      :host { display: block; margin-block: var(--cn-space-3); }
      .outcome { border: 2px solid var(--cn-color-success, #1b7f3b); border-radius: var(--cn-radius); padding: var(--cn-space-3); margin-block-end: var(--cn-space-3); }
      .proposal { border: 1px solid var(--cn-color-border); border-radius: var(--cn-radius); padding: var(--cn-space-3); margin-block-end: var(--cn-space-3); }
      h2, h3 { margin-block: 0 var(--cn-space-2); font-size: 1.1rem; }
      .meta { color: var(--cn-color-muted); font-size: 0.9rem; margin: 0 0 var(--cn-space-2); }
      .counts { display: flex; flex-wrap: wrap; gap: var(--cn-space-1) var(--cn-space-3); padding: 0; list-style: none; }
      .table-wrap { overflow-x: auto; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: start; padding: var(--cn-space-1) var(--cn-space-2); border-block-end: 1px solid var(--cn-color-border); vertical-align: top; }
      .pending { color: var(--cn-color-muted); font-style: italic; }
      fieldset { border: 1px solid var(--cn-color-border); border-radius: var(--cn-radius); padding: var(--cn-space-2) var(--cn-space-3); margin-block: var(--cn-space-2); }
      .choices { display: flex; flex-wrap: wrap; gap: var(--cn-space-2) var(--cn-space-3); }
      .choices label { display: inline-flex; gap: var(--cn-space-1); align-items: center; min-height: 44px; }
      label.field { display: grid; gap: var(--cn-space-1); margin-block: var(--cn-space-2); }
      textarea, input[type='datetime-local'] { width: 100%; box-sizing: border-box; font: inherit; }
      textarea { min-height: 5rem; }
      .actions { display: flex; flex-wrap: wrap; gap: var(--cn-space-2); margin-block-start: var(--cn-space-2); }
      .alert { margin-block: var(--cn-space-2); }
      .poll-choice { display: flex; gap: var(--cn-space-2); align-items: flex-start; padding-block: var(--cn-space-1); min-height: 44px; overflow-wrap: anywhere; }
      .poll-choice input { margin-block-start: 0.3rem; }
      .poll-choice .meta { margin: 0; }
    `,
  ];

  static override properties = {
    threadId: { attribute: 'thread-id' },
    composing: { state: true },
    pollChoices: { state: true },
    busy: { state: true },
    conflicts: { state: true },
    errors: { state: true },
  };

  declare threadId: string;
  declare private composing: boolean;
  /** "From a meeting's poll": undefined while closed, null while its choices load. */
  declare private pollChoices: PollChoice[] | null | undefined;
  /** The proposal (or 'new') a request is under way for. */
  declare private busy: string | null;
  /** The stored position a refused answer met (another delegate's), per proposal. */
  declare private conflicts: Map<string, Stored | null>;
  declare private errors: Map<string, string>;

  private readonly proposals = new Resource(this, {
    args: () => [this.threadId] as const,
    load: ([threadId], signal) => proposalsApi.ofThread(threadId, signal),
    staleOnFailure: true,
  });

  private readonly live = new LiveSubscriptionController(this, {
    topics: () => (this.threadId ? [`thread:${this.threadId}`] : []),
    onMessage: (message) => {
      if ((message.type === 'event' && (message.event === 'proposal.changed' || message.event === 'thread.outcome')) || message.type === 'resync') void this.proposals.run();
    },
  });

  constructor() {
    super();
    this.threadId = '';
    this.composing = false;
    this.pollChoices = undefined;
    this.busy = null;
    this.conflicts = new Map();
    this.errors = new Map();
  }

  protected override render() {
    return this.proposals.render({
      loading: msg('Loading the proposals…'),
      inline: true,
      complete: ({ items, mayPropose }) => html`
        ${repeat(items.filter((item) => item.outcome !== null), (item) => item.id, (item) => this.renderOutcome(item))}
        <section aria-labelledby="proposals-heading">
          <h2 id="proposals-heading" class=${items.length === 0 ? 'visually-hidden' : ''}>${msg('Proposals')}</h2>
          ${repeat(items, (item) => item.id, (item) => this.renderProposal(item))}
          ${mayPropose ? this.renderNew() : nothing}
        </section>
      `,
    });
  }

  private renderOutcome(proposal: Proposal) {
    return html`<aside class="outcome" data-outcome=${proposal.id} aria-labelledby=${`outcome-${proposal.id}`}>
      <h2 id=${`outcome-${proposal.id}`}>${msg('Outcome')}</h2>
      <div class="post-body">${sanitizedPostHtml(proposal.outcomeHtml ?? '')}</div>
      <p class="meta">${msg(str`Written by ${proposal.names[proposal.outcome!.by] ?? ''} on ${formatDateTime(proposal.outcome!.at, this.user?.timeZone)}`)}</p>
    </aside>`;
  }

  private renderProposal(proposal: Proposal) {
    const tz = this.user?.timeZone;
    const closing = proposal.closedAt ?? proposal.closesAt;
    const { counts } = proposal.results;
    return html`<article class="proposal" data-proposal=${proposal.id} aria-labelledby=${`proposal-${proposal.id}`}>
      <h3 id=${`proposal-${proposal.id}`}>${msg(str`Proposal by ${proposal.names[proposal.proposerId] ?? ''}`)}</h3>
      <p class="meta">
        ${proposal.open ? msg(str`Open until ${formatDateTime(closing, tz)}`) : msg(str`Closed on ${formatDateTime(closing, tz)}`)} ·
        ${proposal.eligibility === 'one_per_country' ? msg('One position per country delegation') : msg('Every participant takes a position')}
      </p>
      <div class="post-body">${sanitizedPostHtml(proposal.statementHtml)}</div>
      <ul class="counts" aria-label=${msg('Results')}>
        ${POSITION_KINDS.map((kind) => html`<li data-count=${kind}>${positionLabel(kind)}: <strong>${counts[kind]}</strong></li>`)}
        <li data-count="none">${msg('No position yet')}: <strong>${counts.none}</strong></li>
      </ul>
      ${proposal.results.grid ? this.renderGrid(proposal) : this.renderPeople(proposal)}
      ${proposal.open && proposal.mine.mayTakePosition ? this.renderPositionForm(proposal) : nothing}
      ${proposal.open && proposal.mine.mayManage
        ? html`<div class="actions"><cn-button ?loading=${this.busy === proposal.id}><button type="button" @click=${() => this.close(proposal)}>${msg('Close now')}</button></cn-button></div>`
        : nothing}
      ${!proposal.open && proposal.mine.mayManage ? this.renderOutcomeForm(proposal) : nothing}
      ${this.errors.get(proposal.id) ? html`<p class="alert alert-error" role="alert">${this.errors.get(proposal.id)}</p>` : nothing}
    </article>`;
  }

  private renderGrid(proposal: Proposal) {
    return html`<div class="table-wrap">
      <table>
        <caption class="visually-hidden">${msg('Positions by country')}</caption>
        <thead><tr><th scope="col">${msg('Country')}</th><th scope="col">${msg('Position')}</th><th scope="col">${msg('Reason')}</th></tr></thead>
        <tbody>
          ${proposal.results.grid!.map(
            (row) => html`<tr data-country=${row.countryId} data-position=${row.position ?? 'none'}>
              <th scope="row">${row.name}</th>
              <td class=${row.position ? '' : 'pending'}>${positionLabel(row.position)}${row.by ? html`<br /><span class="meta">${proposal.names[row.by] ?? ''}</span>` : nothing}</td>
              <td>${row.reason ?? ''}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderPeople(proposal: Proposal) {
    const pending = proposal.results.pending.map((id) => proposal.names[id] ?? '').filter(Boolean);
    return html`
      ${proposal.positions.length > 0
        ? html`<ul>
            ${proposal.positions.map((position) => html`<li data-voter=${position.voterKey}>${proposal.names[position.by] ?? ''}: ${positionLabel(position.position)}${position.reason ? html` — ${position.reason}` : nothing}</li>`)}
          </ul>`
        : nothing}
      ${pending.length > 0 ? html`<p class="pending">${msg(str`No position yet: ${pending.join(', ')}`)}</p>` : nothing}
    `;
  }

  private renderPositionForm(proposal: Proposal) {
    const mine = proposal.mine.position;
    const conflict = this.conflicts.get(proposal.id);
    const legend = proposal.eligibility === 'one_per_country' ? msg('Your delegation’s position') : msg('Your position');
    return html`<form @submit=${(event: SubmitEvent) => this.take(event, proposal)}>
      <fieldset>
        <legend>${legend}</legend>
        <div class="choices">
          ${POSITION_KINDS.map((kind) => html`<label><input type="radio" name="position" value=${kind} ?checked=${mine?.position === kind} required />${positionLabel(kind)}</label>`)}
        </div>
        <label class="field">${msg('Reason (required for a block)')}<textarea name="reason" maxlength="2000" .value=${mine?.reason ?? ''}></textarea></label>
      </fieldset>
      ${conflict !== undefined
        ? html`<p class="alert alert-info" role="alert">
            ${conflict
              ? msg(str`${proposal.names[conflict.by] ?? msg('Someone of your delegation')} has meanwhile answered “${positionLabel(conflict.position)}”. Send again to replace it.`)
              : msg('The position changed meanwhile. Send again to replace it.')}
          </p>`
        : nothing}
      <div class="actions">
        <cn-button ?loading=${this.busy === proposal.id}><button type="submit">${mine ? msg('Change position') : msg('Take position')}</button></cn-button>
      </div>
    </form>`;
  }

  private renderOutcomeForm(proposal: Proposal) {
    return html`<form @submit=${(event: SubmitEvent) => this.writeOutcome(event, proposal)}>
      <label class="field">${proposal.outcome ? msg('Edit the outcome (Markdown)') : msg('Outcome (Markdown), pinned at the top of the debate')}<textarea name="outcome" required maxlength="5000" .value=${proposal.outcome?.markdown ?? ''}></textarea></label>
      <label><input type="checkbox" name="conclude" /> ${msg('Mark the debate as concluded')}</label>
      <div class="actions"><cn-button ?loading=${this.busy === proposal.id}><button type="submit">${proposal.outcome ? msg('Update outcome') : msg('Publish outcome')}</button></cn-button></div>
    </form>`;
  }

  private renderNew() {
    if (this.pollChoices !== undefined) return this.renderFromPoll(this.pollChoices);
    if (!this.composing) {
      return html`<div class="actions">
        <cn-button><button type="button" @click=${this.openNew}>${msg('Put a proposal')}</button></cn-button>
        <cn-button variant="secondary"><button type="button" @click=${this.openFromPoll}>${msg("From a meeting's poll")}</button></cn-button>
      </div>`;
    }
    return html`<form class="proposal" @submit=${this.create} aria-labelledby="new-proposal-heading">
      <h3 id="new-proposal-heading">${msg('New proposal')}</h3>
      <label class="field">${msg('Statement (Markdown)')}<textarea name="statement" required maxlength="20000"></textarea></label>
      <label class="field">${msg('Closes at')}<input type="datetime-local" name="closesAt" required .value=${aWeekFromNow()} /></label>
      <fieldset>
        <legend>${msg('Who takes a position')}</legend>
        <div class="choices">
          <label><input type="radio" name="eligibility" value="one_per_country" checked />${msg('One position per country delegation')}</label>
          <label><input type="radio" name="eligibility" value="participants" />${msg('Every participant')}</label>
        </div>
      </fieldset>
      ${this.errors.get('new') ? html`<p class="alert alert-error" role="alert">${this.errors.get('new')}</p>` : nothing}
      <div class="actions">
        <cn-button ?loading=${this.busy === 'new'}><button type="submit">${msg('Put the proposal')}</button></cn-button>
        <cn-button variant="secondary"><button type="button" @click=${() => (this.composing = false)}>${msg('Cancel')}</button></cn-button>
      </div>
    </form>`;
  }

  /** A closed quick poll of a meeting, turned into a proposal: its answers carry over as positions. */
  private renderFromPoll(choices: PollChoice[] | null) {
    const cancel = html`<cn-button variant="secondary"><button type="button" @click=${this.closeFromPoll}>${msg('Cancel')}</button></cn-button>`;
    const error = this.errors.get('poll') ? html`<p class="alert alert-error" role="alert">${this.errors.get('poll')}</p>` : nothing;
    if (choices === null) {
      return html`<div class="proposal" aria-busy="true"><p class="meta">${msg("Loading the meetings' polls…")}</p>${error}<div class="actions">${cancel}</div></div>`;
    }
    const tz = this.user?.timeZone;
    return html`<form class="proposal" data-from-poll @submit=${this.createFromPoll} aria-labelledby="from-poll-heading">
      <h3 id="from-poll-heading" tabindex="-1">${msg("A proposal from a meeting's poll")}</h3>
      ${choices.length === 0
        ? html`<p class="empty">${msg('No closed poll of a meeting you can see is waiting to become a proposal.')}</p>`
        : html`<fieldset>
              <legend>${msg('Closed poll')}</legend>
              ${choices.map(
                (poll, index) =>
                  html`<label class="poll-choice"
                    ><input type="radio" name="pollId" value=${poll.id} required ?checked=${index === 0} />
                    <span
                      ><strong>${poll.question}</strong><br /><span class="meta"
                        >${poll.meetingTitle}, ${formatDateTime(poll.occurrenceStartsAt, tz)} ·
                        ${poll.scope === 'country' ? msg(str`Answers by country: ${poll.answerCount}`) : msg(str`Answers: ${poll.answerCount}`)}${poll.linked ? html` · ${msg('Linked to this debate')}` : nothing}</span
                      ></span
                    ></label
                  >`,
              )}
            </fieldset>
            <p class="meta">${msg('Yes, no and abstain answers carry over as agree, disagree and abstain positions, which each can change until the close.')}</p>
            <label class="field">${msg('Statement (Markdown, optional: by default the poll’s question and meeting)')}<textarea name="statement" maxlength="20000"></textarea></label>
            <label class="field">${msg('Closes at')}<input type="datetime-local" name="closesAt" required .value=${aWeekFromNow()} /></label>`}
      ${error}
      <div class="actions">
        ${choices.length > 0 ? html`<cn-button ?loading=${this.busy === 'poll'}><button type="submit">${msg('Turn into a proposal')}</button></cn-button>` : nothing} ${cancel}
      </div>
    </form>`;
  }

  private openFromPoll = async () => {
    this.pollChoices = null;
    this.setError('poll', null);
    try {
      this.pollChoices = await proposalsApi.pollChoices(this.threadId);
    } catch (error) {
      this.setError('poll', describeError(error));
      return;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#from-poll-heading')?.focus();
  };

  private closeFromPoll = () => {
    this.pollChoices = undefined;
    this.setError('poll', null);
  };

  private createFromPoll = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const statement = String(data.get('statement') ?? '').trim();
    void this.run('poll', async () => {
      const proposal = await proposalsApi.fromPoll(this.threadId, {
        pollId: String(data.get('pollId') ?? ''),
        closesAt: new Date(String(data.get('closesAt'))).toISOString(),
        ...(statement ? { statement } : {}),
      });
      const loaded = this.proposals.value;
      if (loaded && !loaded.items.some((item) => item.id === proposal.id)) this.proposals.value = { ...loaded, items: [...loaded.items, proposal] };
      this.pollChoices = undefined;
      this.services.toast(msg('The proposal is open.'), 'success');
    });
  };

  private openNew = async () => {
    this.composing = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>('textarea[name="statement"]')?.focus();
  };

  private setError(key: string, message: string | null) {
    const errors = new Map(this.errors);
    if (message) errors.set(key, message);
    else errors.delete(key);
    this.errors = errors;
  }

  /** Puts the answer in place of the loaded proposal, without waiting for the live event. */
  private replace(proposal: Proposal) {
    const loaded = this.proposals.value;
    if (loaded) this.proposals.value = { ...loaded, items: loaded.items.map((item) => (item.id === proposal.id ? proposal : item)) };
  }

  private async run(key: string, work: () => Promise<void>) {
    if (this.busy) return;
    this.busy = key;
    this.setError(key, null);
    try {
      await work();
    } catch (error) {
      this.setError(key, describeError(error));
    } finally {
      this.busy = null;
    }
  }

  private create = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    void this.run('new', async () => {
      const proposal = await proposalsApi.create(this.threadId, {
        statement: String(data.get('statement') ?? ''),
        closesAt: new Date(String(data.get('closesAt'))).toISOString(),
        eligibility: String(data.get('eligibility')) as Eligibility,
      });
      const loaded = this.proposals.value;
      if (loaded && !loaded.items.some((item) => item.id === proposal.id)) this.proposals.value = { ...loaded, items: [...loaded.items, proposal] };
      this.composing = false;
      this.services.toast(msg('The proposal is open.'), 'success');
    });
  };

  private take(event: SubmitEvent, proposal: Proposal) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const position = String(data.get('position') ?? '') as PositionKind;
    const reason = String(data.get('reason') ?? '').trim() || null;
    const conflict = this.conflicts.get(proposal.id);
    // After a refusal the reader has seen the stored position: sending again replaces that revision.
    const replaces = conflict !== undefined ? (conflict?.revision ?? null) : proposal.mine.position && proposal.mine.position.by !== this.user?.id ? proposal.mine.position.revision : undefined;
    void this.run(proposal.id, async () => {
      try {
        this.replace(await proposalsApi.take(proposal.id, { position, reason, ...(replaces === undefined ? {} : { replaces }) }));
        const conflicts = new Map(this.conflicts);
        conflicts.delete(proposal.id);
        this.conflicts = conflicts;
        this.services.toast(msg(str`Position saved: ${positionLabel(position)}.`), 'success');
      } catch (error) {
        if (isApiError(error) && error.code === 'position_changed') {
          const stored = (error.details as { position?: Stored | null } | null)?.position ?? null;
          this.conflicts = new Map(this.conflicts).set(proposal.id, stored);
          void this.proposals.run();
          return;
        }
        throw error;
      }
    });
  }

  private close(proposal: Proposal) {
    void this.run(proposal.id, async () => {
      this.replace(await proposalsApi.close(proposal.id));
      this.services.toast(msg('The proposal is closed.'), 'success');
    });
  }

  private writeOutcome(event: SubmitEvent, proposal: Proposal) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    void this.run(proposal.id, async () => {
      this.replace(await proposalsApi.outcome(proposal.id, { markdown: String(data.get('outcome') ?? ''), concludeThread: data.get('conclude') === 'on' }));
      this.services.toast(msg('The outcome is published.'), 'success');
    });
  }
}
