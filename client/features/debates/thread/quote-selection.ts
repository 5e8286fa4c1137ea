import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Text the reader selected in one post, offered for quoting in a reply. */
export interface Quote {
  postId: string;
  text: string;
}

/**
 * Follows the reader's selection inside the host's posts (`.post-body[data-post]` in its shadow
 * root): while some text of one post is selected, `quote` says which post and what text, so the
 * post offers "Quote the selection". Pressing that button keeps the quote although the click
 * moves the selection.
 */
export class QuoteSelectionController implements ReactiveController {
  quote: Quote | null = null;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('selectionchange', this.onSelectionChange);
  }

  hostDisconnected(): void {
    document.removeEventListener('selectionchange', this.onSelectionChange);
  }

  /** The quote of a post as Markdown ("Ana wrote:" and the lines as a block quote), once; null if none is selected there. */
  take(postId: string, heading: string): string | null {
    const quote = this.quote;
    if (!quote || quote.postId !== postId) return null;
    this.set(null);
    const lines = quote.text.split(/\r?\n/).map((line) => `> ${line}`.trimEnd());
    return `${heading}\n${lines.join('\n')}`;
  }

  private set(quote: Quote | null) {
    this.quote = quote;
    this.host.requestUpdate();
  }

  private onSelectionChange = () => {
    const root = this.host.shadowRoot as (ShadowRoot & { getSelection?: () => Selection | null }) | null;
    if (!root) return;
    // Chromium answers through the shadow root; other engines through composed ranges.
    const selection = root.getSelection?.() ?? document.getSelection();
    const text = selection?.toString().trim() ?? '';
    let node: Node | null = selection?.anchorNode ?? null;
    if (!root.getSelection && selection && 'getComposedRanges' in selection) {
      try {
        const ranges = (selection as Selection & { getComposedRanges(options: { shadowRoots: ShadowRoot[] }): StaticRange[] }).getComposedRanges({ shadowRoots: [root] });
        node = ranges[0]?.startContainer ?? node;
      } catch {
        // An engine with the older signature: quoting is then not offered.
      }
    }
    const element = node instanceof Element ? node : node?.parentElement;
    const body = element?.closest?.('.post-body[data-post]');
    if (text && body && root.contains(body)) {
      this.set({ postId: (body as HTMLElement).dataset.post!, text: text.slice(0, 2000) });
    } else if (!text && this.quote) {
      const active = root.activeElement;
      if (!active?.classList.contains('quote-button')) this.set(null);
    }
  };
}
