import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { formatDateTime } from '../../app/format.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { roundsApi, type RoundComment, type RoundDetail } from './rounds-api.js';
import { anchorLabel, DISPOSITION_KINDS, dispositionLabel, reanchorLabel, replyLabel, typeLabel } from './rounds-format.js';
import { roundsStyles } from './rounds.styles.js';

declare global {
  interface HTMLElementEventMap {
    /** A comment, its disposition or its reply changed: the page loads the round again. */
    'cn-round-changed': CustomEvent<void>;
  }
}

/**
 * One comment in the reader's margin: who made it and on what, its text and proposed change, and
 * once decided the secretariat's disposition and the delegation's reply. The organizers record
 * the disposition here; the delegation's submitter replies here; a draft's author deletes it here.
 */
export class CnRoundComment extends AppElement {
  static override styles = [baseStyles, pageStyles, roundsStyles];
  static override properties = { comment: { attribute: false }, round: { attribute: false }, busy: { state: true }, error: { state: true } };

  declare comment: RoundComment;
  declare round: RoundDetail;
  declare private busy: boolean;
  declare private error: string;

  constructor() {
    super();
    this.busy = false;
    this.error = '';
  }

  private changed() {
    this.dispatchEvent(new CustomEvent('cn-round-changed', { bubbles: true, composed: true }));
  }

  private async act(work: () => Promise<unknown>, done: string) {
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      await work();
      this.services.toast(done, 'success');
      this.changed();
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const comment = this.comment;
    const zone = this.user?.timeZone;
    const draft = comment.state === 'draft';
    return html`<article class="comment ${draft ? 'draft' : ''}" aria-label=${msg(str`Comment by ${comment.partyName} on ${anchorLabel(comment.anchor)}`)}>
      <p class="small">
        <strong>${comment.partyName}</strong> · ${typeLabel(comment.type)} · ${anchorLabel(comment.anchor)}
        ${draft ? html` · <span class="badge badge-muted">${msg('Draft', { id: 'round-comment-draft', desc: 'A comment its delegation has not submitted yet' })}</span> <span class="muted">${msg(str`by ${comment.authorName}`)}</span>` : nothing}
      </p>
      ${comment.anchor.kind === 'passage' ? html`<p class="quote">“${comment.anchor.quote.exact}”</p>` : nothing}
      <p>${comment.text}</p>
      ${comment.proposedText ? html`<p class="proposed"><span class="visually-hidden">${msg('Proposed text:')} </span>${msg('Proposed:')} ${comment.proposedText}</p>` : nothing}
      ${comment.reanchored ? this.renderReanchored(comment.reanchored) : nothing}
      ${comment.disposition ? this.renderDisposition(comment, zone) : nothing}
      ${this.renderDispositionForm(comment)} ${this.renderReplyForm(comment)}
      ${comment.mayEdit
        ? html`<cn-button size="small" ?loading=${this.busy}>
            <button type="button" @click=${() => this.act(() => roundsApi.deleteComment(this.round.round.id, comment.id), msg('The draft is deleted.'))}>${msg('Delete the draft')}</button>
          </cn-button>`
        : nothing}
      ${this.error ? html`<p class="alert alert-error" role="alert">${this.error}</p>` : nothing}
    </article>`;
  }

  private renderReanchored(reanchored: NonNullable<RoundComment['reanchored']>) {
    const version = this.round.round.nextVersion;
    const where = reanchored.anchor && reanchored.anchor.kind !== 'document' ? reanchored.anchor.label : null;
    return html`<p class="small" data-reanchor=${reanchored.status}>
      <span class="badge ${reanchored.status === 'orphaned' ? 'badge-danger' : ''}">${reanchorLabel(reanchored.status)}</span>
      ${where && version !== null ? msg(str`Version ${version}: ${where}`) : nothing}
    </p>`;
  }

  private renderDisposition(comment: RoundComment, zone: string | undefined) {
    const disposition = comment.disposition!;
    return html`<div class="disposition">
      <p><strong>${dispositionLabel(disposition.kind)}</strong> <span class="small muted">${formatDateTime(disposition.decidedAt, zone)}</span></p>
      ${disposition.rationale ? html`<p>${disposition.rationale}</p>` : nothing}
      ${disposition.appliedIn?.label ? html`<p class="small">${msg(str`Applied in version ${disposition.appliedIn.versionId}, ${disposition.appliedIn.label}`)}</p>` : nothing}
      ${comment.effectiveReply !== 'none' ? html`<p class="small"><span class="badge">${replyLabel(comment.effectiveReply)}</span> ${comment.reply?.text ?? ''}</p>` : nothing}
    </div>`;
  }

  private renderDispositionForm(comment: RoundComment) {
    const status = this.round.round.status;
    if (!this.round.me.isOrganizer || comment.state !== 'submitted' || (status !== 'closed' && status !== 'dispositions')) return nothing;
    const current = comment.disposition;
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      const data = new FormData(event.target as HTMLFormElement);
      const rationale = String(data.get('rationale') ?? '').trim();
      void this.act(() => roundsApi.dispose(this.round.round.id, comment.id, data.get('kind') as (typeof DISPOSITION_KINDS)[number], rationale || null), msg('The disposition is saved.'));
    };
    return html`<form class="inline" @submit=${submit}>
      <cn-field>
        <label slot="label">${msg('Disposition')}</label>
        <select name="kind">
          ${DISPOSITION_KINDS.map((kind) => html`<option value=${kind} ?selected=${current?.kind === kind}>${dispositionLabel(kind)}</option>`)}
        </select>
      </cn-field>
      <cn-field>
        <label slot="label">${msg('Observations of the secretariat')}</label>
        <textarea name="rationale" rows="2" maxlength="10000" .value=${current?.rationale ?? ''}></textarea>
        <span slot="hint">${msg('Required unless the comment is accepted or noted.')}</span>
      </cn-field>
      <div><cn-button size="small" variant="primary" ?loading=${this.busy}><button type="submit">${msg('Save the disposition')}</button></cn-button></div>
    </form>`;
  }

  private renderReplyForm(comment: RoundComment) {
    if (!comment.mayReply) return nothing;
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      const data = new FormData(event.target as HTMLFormElement);
      const text = String(data.get('text') ?? '').trim();
      void this.act(() => roundsApi.reply(this.round.round.id, comment.id, data.get('kind') as 'satisfied' | 'objects', text || null), msg('Your reply is saved.'));
    };
    return html`<form class="inline" @submit=${submit}>
      <fieldset>
        <legend>${msg('Your delegation’s reply')}</legend>
        <label><input type="radio" name="kind" value="satisfied" ?checked=${comment.reply?.kind !== 'objects'} /> ${msg('Satisfied')}</label>
        <label><input type="radio" name="kind" value="objects" ?checked=${comment.reply?.kind === 'objects'} /> ${msg('Objects')}</label>
      </fieldset>
      <cn-field>
        <label slot="label">${msg('Reason')} <span class="optional">${msg('(required to object)')}</span></label>
        <textarea name="text" rows="2" maxlength="5000" .value=${comment.reply?.text ?? ''}></textarea>
      </cn-field>
      <div><cn-button size="small" variant="primary" ?loading=${this.busy}><button type="submit">${msg('Send the reply')}</button></cn-button></div>
    </form>`;
  }
}
