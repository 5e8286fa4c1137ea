import { LitElement, type PropertyValues } from 'lit';
import { ContextConsumer } from '@lit/context';
import { updateWhenLocaleChanges } from '@lit/localize';
import { servicesContext, sessionContext, type AppServices } from './contexts.js';
import type { User } from './models.js';

/**
 * Base of every view inside the app shell: re-renders when the language changes and reads
 * the session and the shell's services from context.
 */
export class AppElement extends LitElement {
  private sessionConsumer = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  private servicesConsumer = new ContextConsumer(this, { context: servicesContext });
  private headingHadFocus = false;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  /*
   * After a navigation the shell focuses the page's <h1>. A view that swaps its heading when
   * its data arrives (loading → loaded) would drop that focus to <body>; carry it over instead.
   */
  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.headingHadFocus = this.shadowRoot?.activeElement?.localName === 'h1';
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (!this.headingHadFocus) return;
    const heading = this.renderRoot.querySelector<HTMLElement>('h1');
    if (heading && this.shadowRoot?.activeElement !== heading) heading.focus({ preventScroll: true });
  }

  protected get user(): User | null {
    return this.sessionConsumer.value ?? null;
  }

  protected get services(): AppServices {
    const services = this.servicesConsumer.value;
    // Only reachable if a view is rendered outside <cn-app>, which is a programming error.
    if (!services) throw new Error(`${this.localName} must be rendered inside <cn-app>`);
    return services;
  }
}

/**
 * A part of one page (a thread's header, one of its posts, a composer): an element of its own,
 * with its own state and updates, that renders into the page's shadow root rather than one of
 * its own. So the page's styles apply to it, ids and aria references (aria-labelledby, label
 * for) resolve across the parts, a selection can span them, and the page can find and focus any
 * of its elements (a post to land on) as before.
 */
export class PagePart extends AppElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Once the page has drawn what a change asked for, and this part with it (to scroll or focus what it drew). */
  protected async pageUpdated(): Promise<void> {
    const page = (this.getRootNode() as ShadowRoot).host as (Element & { updateComplete?: Promise<unknown> }) | undefined;
    await page?.updateComplete;
    await this.updateComplete;
  }
}
