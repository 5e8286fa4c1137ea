import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { ButtonVariant } from '../ui/button/button.js';
import { msg, str } from '@lit/localize';
import { isApiError } from './api.js';
import { describeError, describeFieldProblem } from './errors.js';
import { formatNumber } from './format.js';
import { plural } from './plural.js';

export type FieldErrors = Record<string, string>;

export interface SubmitOptions {
  /** Checks run before anything is sent: they write a message per field name into `errors` (the check helpers below do). */
  validate?: (data: FormData, errors: FieldErrors) => void;
  /** Sends the form; throw (an ApiError) to have the form show what went wrong. */
  action: (data: FormData, form: HTMLFormElement) => Promise<void>;
  /** Server field names that a control of another name shows, e.g. countryId → affiliation. */
  fieldAliases?: Record<string, string>;
  /** Control to focus when the failure concerns no field in particular (e.g. the password after a refused sign-in). */
  focusOnFailure?: string;
}

/**
 * State of one form: pending, errors by field, and the message of the announced alert.
 *
 * Controls are native and uncontrolled, so a failed submit never loses what was typed.
 * After a failure, focus moves to the first control in error, whose `aria-describedby`
 * (set by cn-field) reads the message out.
 */
export class FormController implements ReactiveController {
  pending = false;
  errors: FieldErrors = {};
  /** Shown in the form's role="alert" region; cleared on each submit so a repeat is announced again. */
  message = '';

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  /** Whether `message` only counts the field errors (then it goes when they are all fixed). */
  private messageCountsFields = false;

  /*
   * A field's error goes as soon as its value changes: the person is fixing it, and a message
   * left under a corrected field reads as if the fix were wrong. Input and change events are
   * composed, so the host hears those of every control in its shadow root (and of custom
   * controls that dispatch them with a name, like the indicator picker).
   */
  hostConnected(): void {
    this.host.addEventListener('input', this.onEdit);
    this.host.addEventListener('change', this.onEdit);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('input', this.onEdit);
    this.host.removeEventListener('change', this.onEdit);
  }

  private onEdit = (event: Event) => {
    const control = event.composedPath()[0] as Partial<HTMLInputElement> | undefined;
    const name = typeof control?.name === 'string' ? control.name : '';
    if (!name || !(name in this.errors)) return;
    const { [name]: _fixed, ...rest } = this.errors;
    this.errors = rest;
    if (Object.keys(rest).length === 0 && this.messageCountsFields) this.message = '';
    this.host.requestUpdate();
  };

  error(name: string): string | undefined {
    return this.errors[name];
  }

  reset(): void {
    this.errors = {};
    this.message = '';
    this.pending = false;
    this.host.requestUpdate();
  }

  /** Use as the form's submit listener: `@submit=${(e) => this.form.submit(e, {...})}`. */
  async submit(event: SubmitEvent, options: SubmitOptions): Promise<void> {
    event.preventDefault();
    if (this.pending) return;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);

    this.message = '';
    this.messageCountsFields = false;
    const errors: FieldErrors = {};
    options.validate?.(data, errors);
    this.errors = errors;
    if (Object.keys(this.errors).length > 0) {
      await this.showProblems(form, Object.keys(this.errors).length);
      return;
    }

    this.pending = true;
    this.host.requestUpdate();
    try {
      await options.action(data, form);
      this.pending = false;
      this.host.requestUpdate();
    } catch (error) {
      this.pending = false;
      if (isApiError(error) && Object.keys(error.fields).length > 0) {
        const aliases = options.fieldAliases ?? {};
        const errors: FieldErrors = {};
        const unplaced: string[] = [];
        for (const [field, problem] of Object.entries(error.fields)) {
          // A form may show a server field under another control, e.g. countryId in a combined "affiliation" select.
          const name = form.elements.namedItem(field) ? field : (aliases[field] ?? field);
          const text = describeFieldProblem(field, problem);
          if (form.elements.namedItem(name)) errors[name] ??= text;
          else unplaced.push(text);
        }
        this.errors = errors;
        if (Object.keys(errors).length > 0 && unplaced.length === 0) {
          await this.showProblems(form, Object.keys(errors).length, error.code === 'validation_failed' ? undefined : describeError(error));
          return;
        }
        this.message = [describeError(error), ...unplaced].join(' ');
      } else {
        this.errors = {};
        this.message = describeError(error);
      }
      this.host.requestUpdate();
      await this.focusFirstProblem(form, options.focusOnFailure);
    }
  }

  private async showProblems(form: HTMLFormElement, count: number, message?: string) {
    this.messageCountsFields = message === undefined;
    this.message = message ?? fieldsNeedAttention(count);
    this.host.requestUpdate();
    await this.focusFirstProblem(form);
  }

  private async focusFirstProblem(form: HTMLFormElement, fallback?: string) {
    await this.host.updateComplete;
    // cn-field links the error text to its control on slotchange, which runs after this render.
    await new Promise((resolve) => setTimeout(resolve));
    for (const element of Array.from(form.elements)) {
      const name = (element as HTMLInputElement).name;
      if (name && this.errors[name] && element instanceof HTMLElement) {
        focusControl(element);
        return;
      }
    }
    const other = fallback ? form.elements.namedItem(fallback) : null;
    if (other instanceof HTMLElement) focusControl(other);
  }
}

/** "2 fields need your attention." (never 0, so the singular may spell out "one"). */
export const fieldsNeedAttention = (count: number) =>
  plural(count, {
    one: msg('One field needs your attention.', { id: 'fields-need-attention.one' }),
    other: msg(str`${formatNumber(count)} fields need your attention.`, { id: 'fields-need-attention.other' }),
  });

function focusControl(element: HTMLElement) {
  element.focus();
  // A password is retyped rather than edited, so it is selected.
  if (element instanceof HTMLInputElement && element.type === 'password') element.select();
}

/** Text of a form field, trimmed; '' when absent. */
export const text = (data: FormData, name: string): string => {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
};

/** A password exactly as typed (spaces count). */
export const raw = (data: FormData, name: string): string => {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
};

export const PASSWORD_MIN_LENGTH = 10;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Small checks shared by the forms; each adds a message when the field fails. */
export const check = {
  required(errors: FieldErrors, data: FormData, name: string) {
    if (!errors[name] && !text(data, name)) errors[name] = msg('This field is required.');
  },
  email(errors: FieldErrors, data: FormData, name: string) {
    if (errors[name]) return;
    const value = text(data, name);
    if (!value) errors[name] = msg('Enter your e-mail address.');
    else if (!EMAIL.test(value)) errors[name] = msg('Enter a valid e-mail address, like name@example.org.');
  },
  newPassword(errors: FieldErrors, data: FormData, name: string) {
    if (errors[name]) return;
    if (raw(data, name).length < PASSWORD_MIN_LENGTH) errors[name] = msg(str`Use at least ${PASSWORD_MIN_LENGTH} characters.`);
  },
  sameAs(errors: FieldErrors, data: FormData, name: string, other: string) {
    if (errors[name] || errors[other]) return;
    if (raw(data, name) !== raw(data, other)) errors[name] = msg('The two passwords are not the same.');
  },
};

/** The form's error message where there is one, in a role="alert" region so it is read out when it appears. */
export const formAlert = (form: FormController) => (form.message ? html`<div class="alert alert-error" role="alert">${form.message}</div>` : nothing);

/**
 * The form's submit button: shown busy while the form is pending (and labelled `pendingLabel`
 * meanwhile, if given), aria-disabled rather than disabled so that focus stays on it.
 */
export function submitButton(form: FormController, label: string, options: { pendingLabel?: string; variant?: ButtonVariant } = {}) {
  return html`
    <cn-button variant=${options.variant ?? 'primary'} ?loading=${form.pending}>
      <button type="submit" aria-disabled=${form.pending ? 'true' : 'false'}>${form.pending && options.pendingLabel ? options.pendingLabel : label}</button>
    </cn-button>
  `;
}
