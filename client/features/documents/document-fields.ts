import { css, html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { ApiError, isApiError } from '../../app/api.js';
import type { AppServices } from '../../app/contexts.js';
import { affiliationOptions, affiliationValue, parseAffiliation } from '../../app/form-options.js';
import { text, type FieldErrors, type FormController } from '../../app/forms.js';
import { fieldError } from '../../ui/field/field.js';
import '../../ui/link-picker/link-picker.js';
import type { LinkedItem } from '../../ui/link-picker/link-picker.js';
import { findThreads } from '../debates/public.js';
import { languageLabel, parseTags, threadIdFrom, typeLabel, visibilityHint, visibilityLabel } from './documents-format.js';
import {
  DOCUMENT_LANGUAGES,
  DOCUMENT_TYPES,
  CHOSEN_VISIBILITIES,
  VISIBILITIES,
  type DocumentDetail,
  type DocumentLanguage,
  type DocumentMetadata,
  type DocumentType,
  type Visibility,
} from './models.js';

/** The metadata form as typed: what a draft keeps and what an edit starts from. */
export interface MetadataValues {
  titleEs: string;
  titleEn: string;
  descriptionEs: string;
  descriptionEn: string;
  type: DocumentType;
  languages: DocumentLanguage[];
  publicationDate: string;
  tags: string;
  indicatorCodes: string[];
  visibility: Visibility;
  /** An affiliationOptions value: "country:cl", "organization:eclac" or "". */
  author: string;
  /** The related debate's id (older drafts may hold a pasted address), chosen with the debate picker. */
  relatedThread: string;
  /** Its title, as the picker showed it. */
  relatedThreadTitle: string;
}

export const emptyValues = (publicationDate: string): MetadataValues => ({
  titleEs: '',
  titleEn: '',
  descriptionEs: '',
  descriptionEn: '',
  type: 'report',
  languages: [],
  publicationDate,
  tags: '',
  indicatorCodes: [],
  visibility: 'group',
  author: '',
  relatedThread: '',
  relatedThreadTitle: '',
});

/** The server lists a document's languages as strings; the form offers only those it knows. */
const isDocumentLanguage = (code: string): code is DocumentLanguage => (DOCUMENT_LANGUAGES as readonly string[]).includes(code);

export function valuesOf(document: DocumentDetail): MetadataValues {
  return {
    titleEs: document.title.es,
    titleEn: document.title.en,
    descriptionEs: document.description.es,
    descriptionEn: document.description.en,
    type: document.type,
    languages: document.languages.filter(isDocumentLanguage),
    publicationDate: document.publicationDate,
    tags: document.tags.join(', '),
    indicatorCodes: [...document.indicatorCodes],
    visibility: document.visibility,
    author: affiliationValue({ countryId: document.authorCountryId, organizationId: document.authorOrganizationId }),
    relatedThread: document.relatedThreadId ?? '',
    relatedThreadTitle: '',
  };
}

const isOneOf = <T extends string>(options: readonly T[], value: string, fallback: T): T => ((options as readonly string[]).includes(value) ? (value as T) : fallback);

/** Reads the form back; the indicator picker is not a form control, so its codes come apart. */
export function readValues(data: FormData, indicatorCodes: string[]): MetadataValues {
  const raw = (name: string) => String(data.get(name) ?? '');
  return {
    titleEs: raw('titleEs'),
    titleEn: raw('titleEn'),
    descriptionEs: raw('descriptionEs'),
    descriptionEn: raw('descriptionEn'),
    type: isOneOf(DOCUMENT_TYPES, raw('type'), 'report'),
    languages: DOCUMENT_LANGUAGES.filter((language) => data.getAll('languages').includes(language)),
    publicationDate: raw('publicationDate'),
    tags: raw('tags'),
    indicatorCodes,
    visibility: isOneOf(VISIBILITIES, raw('visibility'), 'group'),
    author: raw('author'),
    relatedThread: raw('relatedThread'),
    relatedThreadTitle: raw('relatedThreadTitle'),
  };
}

export function metadataOf(values: MetadataValues): DocumentMetadata {
  const { countryId, organizationId } = parseAffiliation(values.author);
  return {
    title: { es: values.titleEs.trim(), en: values.titleEn.trim() },
    description: { es: values.descriptionEs.trim(), en: values.descriptionEn.trim() },
    type: values.type,
    languages: values.languages,
    publicationDate: values.publicationDate.trim(),
    tags: parseTags(values.tags),
    indicatorCodes: values.indicatorCodes,
    visibility: values.visibility,
    authorCountryId: countryId,
    authorOrganizationId: organizationId,
    relatedThreadId: threadIdFrom(values.relatedThread) || null,
  };
}

/** The checks made before sending, mirroring the server's rules (a FormController's validate). */
export function validateMetadata(data: FormData, errors: FieldErrors): void {
  if (!text(data, 'titleEs') && !text(data, 'titleEn')) errors.titleEs = msg('Give the document a title, in Spanish or in English.');
  if (data.getAll('languages').length === 0) errors.languages = msg('Choose at least one language.');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text(data, 'publicationDate'))) errors.publicationDate = msg('Enter the publication date.');
}

/** The server names metadata fields by their JSON path (title.es, metadata.tags.0); the form by control. */
function controlName(field: string): string {
  const path = field.replace(/^metadata\./, '');
  const [head, sub] = path.split('.');
  if (head === 'title' || head === 'description') return `${head}${sub === 'en' ? 'En' : 'Es'}`;
  if (head === 'authorCountryId' || head === 'authorOrganizationId') return 'author';
  if (head === 'relatedThreadId') return 'relatedThread';
  return head ?? path;
}

/** The same error, its field problems renamed after the form's controls so each shows at its place. */
export function withControlNames(error: unknown): unknown {
  if (!isApiError(error) || Object.keys(error.fields).length === 0) return error;
  const fields: Record<string, string> = {};
  for (const [field, problem] of Object.entries(error.fields)) fields[controlName(field)] ??= problem;
  return new ApiError(error.status, error.code, error.message, fields, error.retryAfter);
}

/** Layout of the choice groups (languages, visibility). */
export const documentFieldStyles = css`
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-2) var(--cn-space-5);
  }

  .choices.vertical {
    display: grid;
    gap: var(--cn-space-3);
  }

  .choice {
    display: flex;
    gap: var(--cn-space-2);
    align-items: start;
  }

  .choice input {
    inline-size: 1.1rem;
    block-size: 1.1rem;
    margin-block-start: 0.2rem;
    flex: none;
  }

  .choice-hint {
    display: block;
    font-size: 0.875rem;
    color: var(--cn-color-muted);
  }

  fieldset.group legend {
    font-size: 1rem;
    font-weight: 600;
    margin-block-end: var(--cn-space-2);
  }

  fieldset.group {
    gap: var(--cn-space-2);
  }

  .group-error {
    font-size: 0.9rem;
    font-weight: 600;
    color: var(--cn-color-danger-strong);
  }
`;

/** The picker's linked debate, one array per `values` so a re-render does not undo a choice made since. */
const related = new WeakMap<MetadataValues, LinkedItem[]>();
function relatedItems(values: MetadataValues): LinkedItem[] {
  let items = related.get(values);
  if (!items) {
    items = values.relatedThread ? [{ id: threadIdFrom(values.relatedThread), title: values.relatedThreadTitle || msg('The linked debate') }] : [];
    related.set(values, items);
  }
  return items;
}

/**
 * The picker is not a form control: its choice goes into two hidden inputs, and a change event
 * from them tells the form (draft saving, the field's error) as a typed value would.
 */
function chooseRelated(event: CustomEvent<{ items: LinkedItem[] }>) {
  const picker = event.currentTarget as HTMLElement;
  const item = event.detail.items[0];
  const id = picker.parentElement?.querySelector<HTMLInputElement>('input[name="relatedThread"]');
  const title = picker.parentElement?.querySelector<HTMLInputElement>('input[name="relatedThreadTitle"]');
  if (!id || !title) return;
  id.value = item?.id ?? '';
  title.value = item?.title ?? '';
  id.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

/** A fieldset's error, referenced by the fieldset so it is read with the group's name. */
const groupError = (id: string, message: string | undefined) => (message ? html`<p class="group-error" id=${id}>${message}</p>` : nothing);

/**
 * The metadata controls shared by the upload page and the edit dialog. Controls stay native
 * and uncontrolled (FormController), so `values` only sets where they start.
 */
export function metadataFields(form: FormController, values: MetadataValues, services: AppServices) {
  return html`
    <div class="two-columns">
      <cn-field>
        <label slot="label">${msg('Title in Spanish')}</label>
        <input name="titleEs" lang="es" maxlength="300" autocomplete="off" .value=${values.titleEs} />
        ${fieldError(form.error('titleEs'))}
      </cn-field>
      <cn-field>
        <label slot="label">${msg('Title in English')}</label>
        <input name="titleEn" lang="en" maxlength="300" autocomplete="off" .value=${values.titleEn} />
        ${fieldError(form.error('titleEn'))}
      </cn-field>
    </div>
    <p class="small muted">${msg('One title is enough; give both when the document has them.')}</p>
    <div class="two-columns">
      <cn-field>
        <label slot="label">${msg('Description in Spanish')} <span class="optional">${msg('(optional)')}</span></label>
        <textarea name="descriptionEs" lang="es" maxlength="5000" .value=${values.descriptionEs}></textarea>
        ${fieldError(form.error('descriptionEs'))}
      </cn-field>
      <cn-field>
        <label slot="label">${msg('Description in English')} <span class="optional">${msg('(optional)')}</span></label>
        <textarea name="descriptionEn" lang="en" maxlength="5000" .value=${values.descriptionEn}></textarea>
        ${fieldError(form.error('descriptionEn'))}
      </cn-field>
    </div>
    <div class="two-columns">
      <cn-field>
        <label slot="label">${msg('Type')}</label>
        <select name="type">
          ${DOCUMENT_TYPES.map((type) => html`<option value=${type} ?selected=${type === values.type}>${typeLabel(type)}</option>`)}
        </select>
        ${fieldError(form.error('type'))}
      </cn-field>
      <cn-field>
        <label slot="label">${msg('Publication date')}</label>
        <input name="publicationDate" type="date" required .value=${values.publicationDate} />
        ${fieldError(form.error('publicationDate'))}
      </cn-field>
    </div>
    <fieldset class="group" aria-describedby=${form.error('languages') ? 'languages-error' : nothing}>
      <legend>${msg('Languages of the document')}</legend>
      <div class="choices">
        ${DOCUMENT_LANGUAGES.map(
          (language) => html`
            <label class="choice">
              <input type="checkbox" name="languages" value=${language} .checked=${values.languages.includes(language)} aria-invalid=${form.error('languages') ? 'true' : nothing} />
              <span>${languageLabel(language)}</span>
            </label>
          `,
        )}
      </div>
      ${groupError('languages-error', form.error('languages'))}
    </fieldset>
    <cn-field>
      <label slot="label">${msg('Tags')} <span class="optional">${msg('(optional)')}</span></label>
      <input name="tags" maxlength="300" autocomplete="off" .value=${values.tags} />
      <span slot="hint">${msg('Words that help find the document, separated by commas, e.g. census, poverty.')}</span>
      ${fieldError(form.error('tags'))}
    </cn-field>
    <cn-indicator-picker .value=${values.indicatorCodes}></cn-indicator-picker>
    <div class="two-columns">
      <cn-field>
        <label slot="label">${msg('Author')} <span class="optional">${msg('(optional)')}</span></label>
        <select name="author">${affiliationOptions(services.countries, services.organizations, values.author)}</select>
        <span slot="hint">${msg('The country or organization that wrote the document.')}</span>
        ${fieldError(form.error('author'))}
      </cn-field>
    </div>
    <div class="related">
      <cn-link-picker
        .label=${`${msg('Related debate')} ${msg('(optional)')}`}
        .searchLabel=${msg('Find a debate')}
        .placeholder=${msg('Find a debate by its words')}
        .max=${1}
        .find=${findThreads}
        .items=${relatedItems(values)}
        @cn-links-change=${chooseRelated}
      ></cn-link-picker>
      <input type="hidden" name="relatedThread" .value=${values.relatedThread} />
      <input type="hidden" name="relatedThreadTitle" .value=${values.relatedThreadTitle} />
      ${groupError('relatedThread-error', form.error('relatedThread'))}
    </div>
    <fieldset class="group" aria-describedby=${form.error('visibility') ? 'visibility-error' : nothing}>
      <legend>${msg('Who can see it')}</legend>
      <div class="choices vertical">
        ${(values.visibility === 'restricted' ? VISIBILITIES : CHOSEN_VISIBILITIES).map(
          (visibility) => html`
            <label class="choice">
              <input type="radio" name="visibility" value=${visibility} .checked=${visibility === values.visibility} />
              <span>${visibilityLabel(visibility)}<span class="choice-hint">${visibilityHint(visibility)}</span></span>
            </label>
          `,
        )}
      </div>
      ${groupError('visibility-error', form.error('visibility'))}
    </fieldset>
  `;
}
