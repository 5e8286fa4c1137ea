import { LitElement, css, html, nothing } from 'lit';
import { ContextProvider } from '@lit/context';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { Router } from '@lit-labs/router';
import { api, isApiError, onNotAMember, onSessionExpired, writesSettled } from './api.js';
import { liveContext, servicesContext, sessionContext, type AppServices, type ToastVariant } from './contexts.js';
import { LiveConnection } from './live-connection.js';
import { describeError } from './errors.js';
import { featureCodeFor, isInstancePath, ROUTES, signedInShellCode, undefinedElements, type ShellRoute } from './features.js';
import { currentRequestGroup, GROUP_PREFIX, groupAddress, setRequestGroup, splitGroupPath } from './group-address.js';
import { keepLinksInGroup } from './group-links.js';
import { applyLocale, currentLocale, guestLocale, toUiLocale, type UiLocale } from './i18n.js';
import { groupsOf, isPublisher, type Country, type Organization, type User } from './models.js';
import { currentLocation, HOME_PATH, loginPath, safeNext, SETUP_PATH } from './navigation.js';
import { PRODUCT_NAME } from './product.js';
import type { Access } from './routing.js';
import type { ForbiddenAudience } from './status-page.js';
import { baseStyles, pageStyles } from '../ui/styles/shared.styles.js';
import type { CnToast } from '../ui/toast/toast.js';

const canInvite = (user: User | null) => user?.role === 'admin' || user?.role === 'coordinator';

/** Routes only some roles may open: who, and how the refusal page names them. */
const RESTRICTED: Partial<Record<Access, { allowed: (user: User | null) => boolean; audience: ForbiddenAudience }>> = {
  inviter: { allowed: canInvite, audience: 'inviters' },
  publisher: { allowed: isPublisher, audience: 'publishers' },
  admin: { allowed: (user) => user?.role === 'admin', audience: 'admins' },
  'instance-admin': { allowed: (user) => user?.instanceAdmin === true, audience: 'instance-admins' },
};

/** The address of an app path in the group the page is in (client/app/group-address.ts). */
const appPath = (path: string) => groupAddress(path, currentRequestGroup(), isInstancePath);

/** A group page's patterns under `/g/<slug>`: its home with and without the closing slash. */
const groupPatterns = (path: string) => (path === '/' ? [`${GROUP_PREFIX}:group`, `${GROUP_PREFIX}:group/`] : [`${GROUP_PREFIX}:group${path}`]);

/**
 * The application shell: loads the session and reference data, provides them through
 * context, routes real URLs (with guards) to the pages the features list (client/app/features.ts:
 * the shell names none) and hosts the header, the main landmark and toasts.
 */
export class CnApp extends LitElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-block-size: 100vh;
      }

      main {
        flex: 1;
        inline-size: 100%;
        max-inline-size: 72rem;
        margin-inline: auto;
        padding: var(--cn-space-6) var(--cn-space-5) var(--cn-space-6);
      }

      main:focus {
        outline: none;
      }

      .boot {
        display: grid;
        place-items: center;
        min-block-size: 50vh;
      }

      footer {
        border-block-start: 1px solid var(--cn-color-border);
        color: var(--cn-color-muted);
        font-size: 0.8125rem;
        text-align: center;
        padding: var(--cn-space-4);
      }

      @media (max-width: 640px) {
        main {
          padding: var(--cn-space-5) var(--cn-space-4);
        }
      }
    `,
  ];

  static override properties = {
    phase: { state: true },
    user: { state: true },
    bootError: { state: true },
    notMember: { state: true },
  };

  declare private phase: 'loading' | 'ready' | 'failed';
  declare private user: User | null;
  declare private bootError: unknown;
  /** The group the address names when the person is not one of its members (or it does not exist): shown instead of the page. */
  declare private notMember: string | null;

  private setupNeeded = false;
  private countries: Country[] = [];
  private organizations: Organization[] = [];
  private currentRoute: ShellRoute | null = null;
  private firstNavigation = true;
  private focusAfterRender = false;
  private booted: Promise<boolean>;
  /** Who is signed in, known before the rest of the start-up is. */
  private sessionUser: Promise<User | null> = Promise.resolve(null);
  private navigations = 0;
  /**
   * The code of the page being opened, fetched the first time one of its feature's routes is visited.
   * Not reactive, like currentRoute: the router renders once it has switched to the new route.
   */
  private pageCode: 'ready' | 'loading' | 'failed' = 'ready';

  private sessionProvider = new ContextProvider(this, { context: sessionContext, initialValue: null });
  private servicesProvider = new ContextProvider(this, { context: servicesContext, initialValue: this.createServices() });
  /** The page's one live channel connection, open while someone is signed in. */
  private liveConnection = new LiveConnection();
  private liveProvider = new ContextProvider(this, { context: liveContext, initialValue: this.liveConnection });

  private notFoundRoute: ShellRoute = {
    path: '/*',
    access: 'public',
    title: () => msg('Page not found'),
    render: () => html`<cn-status-page kind="not-found"></cn-status-page>`,
    feature: '',
  };

  /** Every page at its path, and each group page also under `/g/<slug>` (the group's `group` parameter). */
  private router = new Router(
    this,
    [
      ...ROUTES.map((route) => ({ path: route.path, render: route.render, enter: () => this.enter(route, null) })),
      ...ROUTES.filter((route) => !route.instance).flatMap((route) =>
        groupPatterns(route.path).map((path) => ({ path, render: route.render, enter: (params: { group?: string }) => this.enter(route, params.group ?? null) })),
      ),
    ],
    { fallback: { render: this.notFoundRoute.render, enter: () => this.enter(this.notFoundRoute, splitGroupPath(window.location.pathname).slug) } },
  );
  private stopKeepingLinks: (() => void) | null = null;
  /** The group the request that answered `user` named (null: none, the person's first). */
  private userFor: string | null = null;
  /** The group this page started working in, once someone was signed in: its live connection's, and the features' caches'. */
  private pageGroup: string | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.phase = 'loading';
    this.user = null;
    this.bootError = null;
    this.notMember = null;
    // The first requests are already the address's group's.
    setRequestGroup(splitGroupPath(window.location.pathname).slug);
    this.booted = this.boot();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.ensureSkipTarget();
    onSessionExpired(this.sessionExpired);
    onNotAMember(this.refusedByGroup);
    this.stopKeepingLinks = keepLinksInGroup(appPath);
    this.liveConnection.addEventListener('live-session-ended', this.sessionExpired);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    onSessionExpired(null);
    onNotAMember(null);
    this.stopKeepingLinks?.();
    this.stopKeepingLinks = null;
    this.liveConnection.removeEventListener('live-session-ended', this.sessionExpired);
    this.liveConnection.stop();
  }

  private async boot(): Promise<boolean> {
    // Start loading the likely language while the session is fetched.
    const guessed = applyLocale(guestLocale());
    // Not /me: its 401 for a visitor who is not signed in would be logged as an error on every such load.
    this.sessionUser = api.get<{ user: User | null }>('/session').then((response) => response.user);
    try {
      const [setup, user, countries, organizations] = await Promise.all([
        api.get<{ needed: boolean }>('/setup'),
        this.sessionUser,
        api.get<{ items: Country[] }>('/countries'),
        api.get<{ items: Organization[] }>('/organizations'),
      ]);
      await guessed;
      this.setupNeeded = setup.needed;
      this.countries = countries.items;
      this.organizations = organizations.items;
      this.setUser(user);
      if (user) await applyLocale(toUiLocale(user.locale));
      this.phase = 'ready';
      return true;
    } catch (error) {
      await guessed.catch(() => undefined);
      const group = currentRequestGroup();
      if (isApiError(error) && error.code === 'not_a_member' && group) {
        // Start in the person's first group, to say so and offer theirs, rather than fail to start.
        this.notMember = group;
        setRequestGroup(null);
        return this.boot();
      }
      this.bootError = error;
      this.phase = 'failed';
      return false;
    }
  }

  private setUser(user: User | null) {
    this.user = user;
    this.userFor = currentRequestGroup();
    if (user && this.pageGroup === undefined) this.pageGroup = user.groupSlug;
    this.sessionProvider.setValue(user);
    // One live connection per signed-in session: topics follow the pages shown.
    if (user) this.liveConnection.start();
    else this.liveConnection.stop();
  }

  /**
   * Route guard: runs before a route is shown, may redirect instead. `group`: the slug of the
   * address's `/g/<slug>` (null for an address without one: the person's first group).
   */
  private async enter(route: ShellRoute, group: string | null): Promise<boolean> {
    const navigation = ++this.navigations;
    if (this.phase === 'loading') void this.prefetchPageCode(route);
    if (!(await this.booted)) return false;
    const user = this.user;
    if (!this.enterGroup(route, group)) {
      await writesSettled();
      window.location.reload();
      return false;
    }
    if (this.setupNeeded && route.access !== 'setup') return this.redirect(SETUP_PATH);
    switch (route.access) {
      case 'home':
        // Signed in, the home page: what is new and what waits for the person.
        if (!user) return this.redirect(loginPath(''));
        break;
      case 'setup':
        if (!this.setupNeeded) return this.redirect(user ? HOME_PATH : loginPath(''));
        break;
      case 'guest':
        if (user) return this.redirect(safeNext(new URLSearchParams(window.location.search).get('next')) ?? HOME_PATH);
        break;
      case 'user':
      case 'inviter':
      case 'publisher':
      case 'admin':
      case 'instance-admin':
        if (!user) return this.redirect(loginPath(currentLocation()));
        break;
      case 'public':
        break;
    }
    const pageCode = await this.loadPageCode(route);
    // Another navigation started while this page's code was on its way: that one is shown.
    if (navigation !== this.navigations) return false;
    this.pageCode = pageCode;
    this.currentRoute = route;
    this.focusAfterRender = !this.firstNavigation;
    this.firstNavigation = false;
    return true;
  }

  /**
   * Makes the address's group the page's, or reloads the page when it is another group than the
   * one loaded: the signed-in person (their role), the live connection and the features' caches
   * all belong to one group, and a fresh start is the one way to leave none of them behind.
   * False when the page must be loaded again, for the address's group.
   */
  private enterGroup(route: ShellRoute, group: string | null): boolean {
    const user = this.user;
    if (route.instance) {
      // Sign-in and the links sent by mail name no group; a signed-in person's instance pages keep theirs.
      if (!user) setRequestGroup(null);
      this.notMember = null;
      return true;
    }
    if (group !== null && group === this.notMember) return true;
    this.notMember = null;
    const loaded = user?.groupSlug;
    const wanted = group ?? groupsOf(user)[0]?.slug ?? loaded;
    // Not when the person was answered for this very group already: whatever the server made of it
    // (a slug it spells otherwise, say), loading again would answer the same, forever. Otherwise
    // (signed in from a page of no group, a group joined since, one the person is not in) the page
    // loads again and the server says who they are there. So it does when the person is answered
    // in another group than the page started in (joining one by invitation).
    if (user && loaded && ((wanted && wanted !== loaded && group !== this.userFor) || loaded !== this.pageGroup)) return false;
    setRequestGroup(group);
    return true;
  }

  /** On the first load, someone signed in gets the page's code alongside the translations and the rest of the start-up, not after them. */
  private async prefetchPageCode(route: ShellRoute) {
    if (!(await this.sessionUser.catch(() => null))) return;
    featureCodeFor(route)?.catch(() => undefined);
    signedInShellCode()?.catch(() => undefined);
  }

  /** Fetches the code of the route's feature on its first visit; meanwhile the page says it is loading. */
  private async loadPageCode(route: ShellRoute): Promise<'ready' | 'failed'> {
    if (this.user) void signedInShellCode()?.catch(() => undefined); // the header shows it when it arrives
    const refused = RESTRICTED[route.access]?.allowed(this.user) === false;
    const code = refused ? null : featureCodeFor(route);
    if (code) {
      this.pageCode = 'loading';
      this.requestUpdate(); // the current page gives way to the loading status
      try {
        await code;
      } catch {
        return 'failed';
      }
    }
    const missing = refused ? [] : undefinedElements(route.render({}));
    if (missing.length) console.error(`No feature defines <${missing.join('>, <')}> for ${route.path}: its feature's define.ts must define it (client/app/features.ts)`);
    return 'ready';
  }

  private redirect(to: string): false {
    const path = appPath(to);
    window.history.replaceState(window.history.state, '', path);
    void this.router.goto(new URL(path, window.location.origin).pathname);
    return false;
  }

  /** Goes to an app path: in the page's group, as a link would (client/app/group-links.ts). */
  private navigate(to: string, options: { replace?: boolean } = {}) {
    const url = new URL(appPath(to), window.location.origin);
    if (url.origin !== window.location.origin) throw new Error(`Not an in-app path: ${to}`);
    const target = url.pathname + url.search + url.hash;
    if (options.replace) window.history.replaceState(null, '', target);
    else if (target !== currentLocation()) window.history.pushState(null, '', target);
    void this.router.goto(url.pathname);
  }

  private toast(message: string, variant: ToastVariant = 'info') {
    this.renderRoot.querySelector<CnToast>('cn-toast')?.show(message, variant);
  }

  /** The server says the person is not a member of the group the page is for. */
  private refusedByGroup = () => {
    const group = currentRequestGroup();
    if (group) this.notMember = group;
  };

  private sessionExpired = () => {
    if (!this.user) return;
    this.setUser(null);
    this.toast(msg('Your session has ended. Please sign in again.'), 'info');
    this.navigate(loginPath(currentLocation()), { replace: true });
  };

  private createServices(): AppServices {
    const app = this;
    return {
      get countries() {
        return app.countries;
      },
      get organizations() {
        return app.organizations;
      },
      navigate: (path, options) => app.navigate(path, options),
      signedIn: async (user, next) => {
        app.setupNeeded = false;
        app.setUser(user);
        await applyLocale(toUiLocale(user.locale));
        app.navigate(safeNext(next) ?? HOME_PATH, { replace: true });
      },
      signOut: async () => {
        try {
          await api.post('/auth/logout');
        } catch (error) {
          app.toast(describeError(error), 'error');
          return;
        }
        app.setUser(null);
        app.navigate(loginPath(''));
        app.toast(msg('You are signed out.'), 'success');
      },
      userChanged: async (user) => {
        app.setUser(user);
        await applyLocale(toUiLocale(user.locale));
      },
      setLanguage: async (locale: UiLocale) => {
        await applyLocale(locale);
        const user = app.user;
        if (!user || user.locale === locale) return;
        try {
          const response = await api.patch<{ user: User }>('/me', { locale });
          app.setUser(response.user);
        } catch (error) {
          app.toast(`${msg('Your language choice could not be saved to your profile.')} ${describeError(error)}`, 'error');
        }
      },
      toast: (message, variant) => app.toast(message, variant),
    };
  }

  protected override render() {
    return html`
      <cn-app-header @cn-skip-to-main=${this.skipToMain} .path=${this.currentRoute ? splitGroupPath(window.location.pathname).path : ''}></cn-app-header>
      ${this.user ? html`<cn-connection-status></cn-connection-status>` : nothing}
      <main id="main" tabindex="-1"><slot name="main-start"></slot>${this.renderMain()}</main>
      <footer>${msg('Concilia: collaborative forum of the statistical working group, with ECLAC as technical secretariat.')}</footer>
      <cn-toast></cn-toast>
    `;
  }

  private renderMain() {
    if (this.phase === 'failed') {
      return html`
        <div class="narrow stack" role="alert">
          <h1 tabindex="-1">${msg('Concilia could not start')}</h1>
          <p>${describeError(this.bootError)}</p>
          <div><cn-button variant="primary"><button type="button" @click=${() => window.location.reload()}>${msg('Try again')}</button></cn-button></div>
        </div>
      `;
    }
    if (this.pageCode === 'failed') {
      return html`
        <div class="narrow stack" role="alert">
          <h1 tabindex="-1">${msg('This page could not be loaded')}</h1>
          <p>${msg('Check your connection, then try again.')}</p>
          <div><cn-button variant="primary"><button type="button" @click=${() => window.location.reload()}>${msg('Try again')}</button></cn-button></div>
        </div>
      `;
    }
    if (this.phase === 'loading' || !this.currentRoute || this.pageCode === 'loading') {
      return html`<div class="boot"><div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading…')}</div></div>`;
    }
    if (this.notMember !== null) return html`<cn-status-page kind="not-member" .group=${this.notMember}></cn-status-page>`;
    const restriction = RESTRICTED[this.currentRoute.access];
    if (restriction && !restriction.allowed(this.user)) {
      return html`<cn-status-page kind="forbidden" .audience=${restriction.audience}></cn-status-page>`;
    }
    return this.router.outlet();
  }

  protected override updated(): void {
    const title = this.phase !== 'ready' || !this.currentRoute ? '' : this.notMember !== null ? msg('Not a member of this group') : this.currentRoute.title(this.user);
    const suffix = this.user?.groupName ? `${this.user.groupName} · ${PRODUCT_NAME}` : PRODUCT_NAME;
    document.title = title && title !== PRODUCT_NAME ? `${title} · ${suffix}` : suffix;
    if (currentLocale() !== document.documentElement.lang) document.documentElement.lang = currentLocale();
    if (this.focusAfterRender) {
      this.focusAfterRender = false;
      void this.focusNewPage();
    }
  }

  /** After a navigation, focus the new page's heading so screen readers announce where they are. */
  private async focusNewPage() {
    const main = this.renderRoot.querySelector<HTMLElement>('main');
    const page = main?.querySelector(':scope > :not(slot)') as (HTMLElement & { updateComplete?: Promise<unknown> }) | null | undefined;
    if (page?.updateComplete) await page.updateComplete;
    const heading = page?.shadowRoot?.querySelector<HTMLElement>('h1') ?? main?.querySelector<HTMLElement>('h1');
    window.scrollTo({ top: 0 });
    (heading ?? main)?.focus({ preventScroll: true });
  }

  /*
   * The skip link's target. <main> lives in this element's shadow root, where "#main" cannot
   * reach it (fragments, and tools such as axe, look ids up in the document), so an empty,
   * focusable marker in the document, slotted at the very start of <main>, stands for it. The
   * link itself (cn-skip-to-main) focuses <main>, across the shadow roots.
   */
  private ensureSkipTarget() {
    if (this.querySelector(':scope > #main')) return;
    const marker = document.createElement('span');
    marker.id = 'main';
    marker.slot = 'main-start';
    marker.tabIndex = -1;
    this.prepend(marker);
  }

  private skipToMain() {
    const main = this.renderRoot.querySelector<HTMLElement>('main');
    main?.focus();
    main?.scrollIntoView();
  }
}
