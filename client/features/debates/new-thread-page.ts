import { css, html } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { drafts } from '../../app/drafts.js';
import { FormController, text, formAlert, submitButton } from '../../app/forms.js';
import { fieldError } from '../../ui/field/field.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { debatesApi } from './debates-api.js';
import { categoryName } from './debates-format.js';
import type { CnAttachmentPicker } from './attachment-picker.js';
import type { CnIndicatorPicker } from '../../ui/indicator-picker/indicator-picker.js';
import type { CnMarkdownEditor } from '../../ui/markdown-editor/markdown-editor.js';
import type { Category } from './models.js';
import { filesForNewPost } from './post-attachments.js';

const DRAFT_KEY = 'concilia.draft.new-thread';
const BODY_DRAFT_KEY = 'concilia.draft.new-thread.body';

interface Draft {
  title: string;
  categoryId: string;
  tags: string;
  indicatorCodes: string[];
}

const parseTags = (value: string) => [...new Set(value.split(',').map((tag) => tag.trim().replace(/^#/, '')).filter(Boolean))];

/**
 * Starts a debate: title, category, Markdown body, files, tags and indicators; the draft (not
 * the files) survives reloads. The chosen files go with the opening post to the debate's page,
 * which uploads them under it.
 */
export class CnNewThreadPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      form {
        max-inline-size: 52rem;
      }
    `,
  ];

  static override properties = {
    search: {},
    body: { state: true },
    bodyError: { state: true },
  };

  /** The location's query string (?category=slug). */
  declare search: string;
  declare private body: string;
  declare private bodyError: string;

  private form = new FormController(this);
  private draft: Draft = { title: '', categoryId: '', tags: '', indicatorCodes: [] };

  private categories = new Resource(this, {
    load: (_args, signal) => debatesApi.categories(signal),
    args: () => [],
  });

  constructor() {
    super();
    this.search = '';
    this.body = '';
    this.bodyError = '';
    try {
      this.draft = { ...this.draft, ...(JSON.parse(drafts.read(DRAFT_KEY) || '{}') as Partial<Draft>) };
    } catch {
      // A damaged draft is dropped.
    }
  }

  protected override render() {
    return html`
      <p class="small"><a href="/">${msg('← Back to the debates')}</a></p>
      <div class="page-header">
        <h1 tabindex="-1">${msg('Start a debate')}</h1>
        <p class="lead">${msg('Your draft is kept on this device until you publish it.')}</p>
      </div>
      ${this.categories.render({
        loading: msg('Loading…'),
        complete: (categories) => {
          const startable = categories.filter((c) => c.mayStart);
          if (startable.length === 0) return html`<p class="alert alert-info">${msg('You cannot start debates in any category.')}</p>`;
          const wantedSlug = new URLSearchParams(this.search).get('category');
          const selected = startable.find((c) => c.slug === wantedSlug)?.id ?? (startable.some((c) => c.id === this.draft.categoryId) ? this.draft.categoryId : startable[0]!.id);
          return this.renderForm(startable, selected);
        },
      })}
    `;
  }

  private renderForm(categories: Category[], selected: string) {
    const form = this.form;
    return html`
      <form class="card" novalidate @submit=${this.submit} @input=${this.saveDraft} @change=${this.saveDraft} @cn-editor-submit=${this.submitFromEditor}>
        ${formAlert(form)}
        <cn-field>
          <label slot="label">${msg('Title')}</label>
          <input name="title" required maxlength="200" autocomplete="off" .value=${this.draft.title} />
          ${fieldError(form.error('title'))}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Category')}</label>
          <select name="categoryId">
            ${categories.map((c) => html`<option value=${c.id} ?selected=${c.id === selected}>${categoryName(c)}</option>`)}
          </select>
          ${fieldError(form.error('categoryId'))}
        </cn-field>
        <input type="hidden" name="body" .value=${this.body} />
        <cn-markdown-editor
          .label=${msg('Message')}
          .draftKey=${BODY_DRAFT_KEY}
          .error=${form.error('body') ?? ''}
          @input=${this.onBodyInput}
        ></cn-markdown-editor>
        <cn-attachment-picker></cn-attachment-picker>
        <cn-field>
          <label slot="label">${msg('Tags')} <span class="optional">${msg('(optional)')}</span></label>
          <input name="tags" maxlength="300" autocomplete="off" .value=${this.draft.tags} />
          <span slot="hint">${msg('Words that help find the debate, separated by commas, e.g. census, poverty.')}</span>
          ${fieldError(form.error('tags'))}
        </cn-field>
        <cn-indicator-picker .value=${this.draft.indicatorCodes} @change=${this.saveDraft}></cn-indicator-picker>
        <div class="form-actions">
          ${submitButton(form, msg('Publish the debate'), { pendingLabel: msg('Publishing…') })}
          <cn-button variant="quiet"><button type="button" @click=${this.discard}>${msg('Discard the draft')}</button></cn-button>
        </div>
      </form>
    `;
  }

  private get editor() {
    return this.renderRoot.querySelector<CnMarkdownEditor>('cn-markdown-editor');
  }

  private get picker() {
    return this.renderRoot.querySelector<CnIndicatorPicker>('cn-indicator-picker');
  }

  private get attachments() {
    return this.renderRoot.querySelector<CnAttachmentPicker>('cn-attachment-picker');
  }

  private onBodyInput() {
    this.body = this.editor?.value ?? '';
  }

  private saveDraft = () => {
    const form = this.renderRoot.querySelector('form');
    if (!form) return;
    const data = new FormData(form);
    this.draft = { title: text(data, 'title'), categoryId: text(data, 'categoryId'), tags: String(data.get('tags') ?? ''), indicatorCodes: this.picker?.value ?? [] };
    drafts.write(DRAFT_KEY, this.draft.title || this.draft.tags || this.draft.indicatorCodes.length ? JSON.stringify(this.draft) : '');
  };

  private submitFromEditor() {
    this.renderRoot.querySelector('form')?.requestSubmit();
  }

  private async submit(event: SubmitEvent) {
    this.body = this.editor?.value ?? '';
    await this.updateComplete;
    await this.form.submit(event, {
      validate: (data, errors) => {
        if (!text(data, 'title')) errors.title = msg('Give the debate a title.');
        else if (text(data, 'title').length < 3) errors.title = msg(str`Use at least ${3} characters.`);
        if (!this.body.trim()) errors.body = msg('Write the opening message.');
      },
      action: async (data) => {
        const created = await debatesApi.startThread({
          categoryId: text(data, 'categoryId'),
          title: text(data, 'title'),
          body: this.body,
          tags: parseTags(String(data.get('tags') ?? '')),
          indicatorCodes: this.picker?.value ?? [],
        });
        drafts.clear(DRAFT_KEY);
        this.editor?.clear();
        filesForNewPost.handOver(created.post.id, this.attachments?.files ?? []);
        this.attachments?.clear();
        this.services.toast(msg('Your debate is published.'), 'success');
        this.services.navigate(`/debates/t/${encodeURIComponent(created.thread.id)}`);
      },
    });
    if (this.form.error('body')) this.editor?.focus();
  }

  private discard() {
    drafts.clear(DRAFT_KEY);
    this.editor?.clear();
    this.draft = { title: '', categoryId: '', tags: '', indicatorCodes: [] };
    this.body = '';
    this.form.reset();
    this.renderRoot.querySelector('form')?.reset();
    const picker = this.picker;
    if (picker) picker.value = [];
    this.attachments?.clear();
    this.services.toast(msg('The draft was discarded.'), 'info');
  }
}
