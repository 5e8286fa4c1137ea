import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { msg, str } from '@lit/localize';
import type { UploadOptions } from '../app/api.js';
import { formatBytes } from '../app/files.js';

/** Screen readers hear the progress at these steps only; every percent would drown the page. */
const ANNOUNCE_EVERY = 25;

/**
 * One file upload at a time for its host: progress for a <progress> bar and a polite live
 * region, cancelling, and a warning before the tab is closed mid-upload. Leaving the view
 * cancels the upload, since nothing would be left to show its outcome.
 */
export class UploadController implements ReactiveController {
  sent = 0;
  total = 0;
  /** What the live region says; changes only at ANNOUNCE_EVERY steps. */
  announcement = '';
  private abort: AbortController | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get active(): boolean {
    return this.abort !== null;
  }

  get percent(): number {
    return this.total > 0 ? Math.min(100, Math.round((this.sent / this.total) * 100)) : 0;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.cancel();
  }

  /** Runs `send` with progress and cancellation wired in; rejects with an AbortError when cancelled. */
  async run<T>(send: (options: UploadOptions) => Promise<T>): Promise<T> {
    this.abort = new AbortController();
    this.sent = 0;
    this.total = 0;
    this.announcement = msg('Uploading the file…');
    window.addEventListener('beforeunload', this.onBeforeUnload);
    this.host.requestUpdate();
    try {
      return await send({ signal: this.abort.signal, onProgress: this.onProgress });
    } finally {
      this.abort = null;
      this.announcement = '';
      window.removeEventListener('beforeunload', this.onBeforeUnload);
      this.host.requestUpdate();
    }
  }

  cancel(): void {
    this.abort?.abort();
  }

  private onProgress = (sent: number, total: number) => {
    const before = this.percent;
    this.sent = sent;
    this.total = total;
    const step = Math.floor(this.percent / ANNOUNCE_EVERY) * ANNOUNCE_EVERY;
    if (step > Math.floor(before / ANNOUNCE_EVERY) * ANNOUNCE_EVERY) {
      this.announcement = step >= 100 ? msg('File sent; the server is checking it…') : msg(str`Uploading: ${step}%`);
    }
    this.host.requestUpdate();
  };

  private onBeforeUnload = (event: BeforeUnloadEvent) => {
    event.preventDefault();
  };

  /** The bar, its figures and a cancel button; the live region is always rendered so it is registered before it speaks. */
  render() {
    const percent = this.percent;
    return html`
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
      ${this.active
        ? html`
            <div class="upload-progress">
              <label for="upload-progress-bar">${msg('Upload progress')}</label>
              <progress id="upload-progress-bar" max="100" .value=${percent}>${percent}%</progress>
              <p class="small muted">
                ${this.total > 0 ? msg(str`${percent}% · ${formatBytes(this.sent)} of ${formatBytes(this.total)}`) : msg('Starting…')}
              </p>
              <div>
                <cn-button size="small" variant="quiet"><button type="button" @click=${() => this.cancel()}>${msg('Cancel the upload')}</button></cn-button>
              </div>
            </div>
          `
        : nothing}
    `;
  }
}

export const uploadProgressStyles = css`
  .upload-progress {
    display: grid;
    gap: var(--cn-space-1);
  }

  .upload-progress label {
    font-weight: 600;
    font-size: 0.875rem;
  }

  .upload-progress progress {
    inline-size: 100%;
    block-size: 0.9rem;
    accent-color: var(--cn-color-primary);
  }
`;
