import { LitElement, css, html, nothing } from 'lit';
import { ContextProvider } from '@lit/context';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { Router } from '@lit-labs/router';
import { api, onSessionExpired } from './api.js';
import { liveContext, servicesContext, sessionContext, type AppServices, type ToastVariant } from './contexts.js';
import { LiveConnection } from './live-connection.js';
import { describeError } from './errors.js';
import { featureCodeFor, signedInShellCode, undefinedElements } from './features.js';
import { applyLocale, currentLocale, guestLocale, toUiLocale, type UiLocale } from './i18n.js';
import { isPublisher, type Country, type Organization, type User } from './models.js';
import { currentLocation, loginPath, safeNext } from './navigation.js';
import { PRODUCT_NAME } from './product.js';
import type { ForbiddenAudience } from './status-page.js';
import { baseStyles, pageStyles } from '../ui/styles/shared.styles.js';
import type { CnToast } from '../ui/toast/toast.js';

/**
 * Who may open a route:
 *  - setup: only while the forum has not been set up
 *  - guest: people not signed in (signed-in people are sent on)
 *  - public: anyone, signed in or not (invitation and reset links, a public document)
 *  - user: any signed-in person
 *  - inviter: administrators and the coordinator
 *  - publisher: administrators, the coordinator and the secretariat (the document library)
 *  - admin: administrators
 */
type Access = 'home' | 'setup' | 'guest' | 'public' | 'user' | 'inviter' | 'publisher' | 'admin';
type Params = { [key: string]: string | undefined };

interface AppRoute {
  path: string;
  access: Access;
  title: () => string;
  render: (params: Params) => unknown;
}


const canInvite = (user: User | null) => user?.role === 'admin' || user?.role === 'coordinator';

/** Routes only some roles may open: who, and how the refusal page names them. */
const RESTRICTED: Partial<Record<Access, { allowed: (user: User | null) => boolean; audience: ForbiddenAudience }>> = {
  inviter: { allowed: canInvite, audience: 'inviters' },
  publisher: { allowed: isPublisher, audience: 'publishers' },
  admin: { allowed: (user) => user?.role === 'admin', audience: 'admins' },
};

/**
 * The application shell: loads the session and reference data, provides them through
 * context, routes real URLs (with guards) and hosts the header, the main landmark and toasts.
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
  };

  declare private phase: 'loading' | 'ready' | 'failed';
  declare private user: User | null;
  declare private bootError: unknown;

  private setupNeeded = false;
  private countries: Country[] = [];
  private organizations: Organization[] = [];
  private currentRoute: AppRoute | null = null;
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

  private routes: AppRoute[] = [
    { path: '/', access: 'home', title: () => msg('Home'), render: () => html`<cn-home-page></cn-home-page>` },
    { path: '/debates', access: 'user', title: () => msg('Debates'), render: () => html`<cn-debates-page .search=${window.location.search}></cn-debates-page>` },
    {
      path: '/debates/c/:slug',
      access: 'user',
      title: () => msg('Debates'),
      render: ({ slug }) => html`<cn-debates-page .categorySlug=${slug ?? ''} .search=${window.location.search}></cn-debates-page>`,
    },
    { path: '/debates/new', access: 'user', title: () => msg('Start a debate'), render: () => html`<cn-new-thread-page .search=${window.location.search}></cn-new-thread-page>` },
    { path: '/debates/t/:id', access: 'user', title: () => msg('Debate'), render: ({ id }) => html`<cn-thread-page .threadId=${id ?? ''} .hash=${window.location.hash}></cn-thread-page>` },
    { path: '/notifications', access: 'user', title: () => msg('Notifications'), render: () => html`<cn-notifications-page></cn-notifications-page>` },
    { path: '/documents', access: 'user', title: () => msg('Document library'), render: () => html`<cn-library-page .search=${window.location.search}></cn-library-page>` },
    { path: '/documents/new', access: 'publisher', title: () => msg('Upload a document'), render: () => html`<cn-new-document-page></cn-new-document-page>` },
    { path: '/documents/trash', access: 'admin', title: () => msg('Trash'), render: () => html`<cn-document-trash-page></cn-document-trash-page>` },
    // Public: a document shared with anyone opens without signing in; the page offers to sign in otherwise.
    { path: '/documents/:id', access: 'public', title: () => msg('Document'), render: ({ id }) => html`<cn-document-page .documentId=${id ?? ''}></cn-document-page>` },
    { path: '/meetings', access: 'user', title: () => msg('Meetings'), render: () => html`<cn-meetings-page view="upcoming" .search=${window.location.search}></cn-meetings-page>` },
    { path: '/meetings/mine', access: 'user', title: () => msg('My meetings'), render: () => html`<cn-meetings-page view="mine" .search=${window.location.search}></cn-meetings-page>` },
    { path: '/meetings/polls', access: 'user', title: () => msg('Date polls'), render: () => html`<cn-meetings-page view="polls" .search=${window.location.search}></cn-meetings-page>` },
    { path: '/meetings/past', access: 'user', title: () => msg('Past meetings'), render: () => html`<cn-meetings-page view="past" .search=${window.location.search}></cn-meetings-page>` },
    { path: '/meetings/calendar', access: 'user', title: () => msg('Meetings calendar'), render: () => html`<cn-meetings-calendar-page .search=${window.location.search}></cn-meetings-calendar-page>` },
    // Creating and editing: the coordinator and administrators, the secretariat for workshops (the server decides per kind).
    { path: '/meetings/new', access: 'publisher', title: () => msg('New meeting'), render: () => html`<cn-meeting-form-page .search=${window.location.search}></cn-meeting-form-page>` },
    { path: '/meetings/action-items', access: 'user', title: () => msg('Action items'), render: () => html`<cn-action-items-page .search=${window.location.search}></cn-action-items-page>` },
    { path: '/meetings/:id', access: 'user', title: () => msg('Meeting'), render: ({ id }) => html`<cn-meeting-page .meetingId=${id ?? ''} .search=${window.location.search}></cn-meeting-page>` },
    { path: '/meetings/:id/minutes', access: 'user', title: () => msg('Minutes', { desc: 'Type of document: the record of a meeting' }), render: ({ id }) => html`<cn-minutes-page .meetingId=${id ?? ''} .search=${window.location.search}></cn-minutes-page>` },
    { path: '/meetings/:id/edit', access: 'publisher', title: () => msg('Edit the meeting'), render: ({ id }) => html`<cn-meeting-form-page .meetingId=${id ?? ''}></cn-meeting-form-page>` },
    { path: '/consultations', access: 'user', title: () => msg('Consultations'), render: () => html`<cn-consultations-page></cn-consultations-page>` },
    { path: '/consultations/new', access: 'publisher', title: () => msg('New consultation'), render: () => html`<cn-consultation-builder></cn-consultation-builder>` },
    { path: '/consultations/:id', access: 'user', title: () => msg('Consultation'), render: ({ id }) => html`<cn-consultation-page .consultationId=${id ?? ''}></cn-consultation-page>` },
    { path: '/consultations/:id/edit', access: 'publisher', title: () => msg('Edit the consultation'), render: ({ id }) => html`<cn-consultation-builder .consultationId=${id ?? ''}></cn-consultation-builder>` },
    { path: '/discrepancies', access: 'user', title: () => msg('Discrepancies'), render: () => html`<cn-discrepancy-matrix-page .search=${window.location.search}></cn-discrepancy-matrix-page>` },
    { path: '/discrepancies/cases', access: 'user', title: () => msg('Discrepancy cases'), render: () => html`<cn-discrepancy-cases-page .search=${window.location.search}></cn-discrepancy-cases-page>` },
    { path: '/discrepancies/cases/:id', access: 'user', title: () => msg('Discrepancy case'), render: ({ id }) => html`<cn-discrepancy-case-page .caseId=${id ?? ''}></cn-discrepancy-case-page>` },
    { path: '/discrepancies/import', access: 'user', title: () => msg('Import values'), render: () => html`<cn-discrepancy-import-page></cn-discrepancy-import-page>` },
    { path: '/indicators', access: 'user', title: () => msg('Indicator catalogue'), render: () => html`<cn-indicator-catalogue-page .search=${window.location.search}></cn-indicator-catalogue-page>` },
    {
      path: '/indicators/:versionId/:code',
      access: 'user',
      title: () => msg('Indicator'),
      render: ({ versionId, code }) => html`<cn-indicator-hub-page .versionId=${versionId ?? ''} .code=${code ?? ''}></cn-indicator-hub-page>`,
    },
    { path: '/rounds', access: 'user', title: () => msg('Comment rounds'), render: () => html`<cn-rounds-page .search=${window.location.search}></cn-rounds-page>` },
    { path: '/rounds/new', access: 'publisher', title: () => msg('Open a comment round'), render: () => html`<cn-new-round-page .search=${window.location.search}></cn-new-round-page>` },
    { path: '/rounds/:id', access: 'user', title: () => msg('Comment round'), render: ({ id }) => html`<cn-round-page .roundId=${id ?? ''}></cn-round-page>` },
    { path: '/rounds/:id/matrix', access: 'user', title: () => msg('Comment-resolution matrix'), render: ({ id }) => html`<cn-round-matrix-page .roundId=${id ?? ''}></cn-round-matrix-page>` },
    { path: '/rounds/:id/compare', access: 'user', title: () => msg('Compare versions'), render: ({ id }) => html`<cn-round-compare-page .roundId=${id ?? ''}></cn-round-compare-page>` },
    { path: '/search', access: 'user', title: () => msg('Search debates, documents and meetings'), render: () => html`<cn-search-page .search=${window.location.search}></cn-search-page>` },
    { path: '/setup', access: 'setup', title: () => msg('Set up Concilia'), render: () => html`<cn-setup-page></cn-setup-page>` },
    { path: '/login', access: 'guest', title: () => msg('Sign in'), render: () => html`<cn-login-page></cn-login-page>` },
    { path: '/forgot-password', access: 'guest', title: () => msg('Forgot your password?'), render: () => html`<cn-forgot-password-page></cn-forgot-password-page>` },
    {
      path: '/confirm-email/:token',
      access: 'public',
      title: () => msg('Confirm your new e-mail address'),
      render: ({ token }) => html`<cn-confirm-email-page .token=${token ?? ''}></cn-confirm-email-page>`,
    },
    {
      path: '/invitation/:token',
      access: 'public',
      title: () => msg('Invitation'),
      render: ({ token }) => html`<cn-accept-invitation-page .token=${token ?? ''}></cn-accept-invitation-page>`,
    },
    {
      path: '/reset-password/:token',
      access: 'public',
      title: () => msg('Choose a new password'),
      render: ({ token }) => html`<cn-reset-password-page .token=${token ?? ''}></cn-reset-password-page>`,
    },
    { path: '/mail/preferences', access: 'user', title: () => msg('E-mail preferences'), render: () => html`<cn-mail-preferences-page></cn-mail-preferences-page>` },
    { path: '/mail/outbox', access: 'admin', title: () => msg('Outgoing e-mail'), render: () => html`<cn-mail-outbox-page></cn-mail-outbox-page>` },
    { path: '/profile', access: 'user', title: () => msg('Your profile'), render: () => html`<cn-profile-page></cn-profile-page>` },
    { path: '/directory', access: 'user', title: () => msg('Member directory'), render: () => html`<cn-directory-page></cn-directory-page>` },
    { path: '/people/:id', access: 'user', title: () => msg('Participant'), render: ({ id }) => html`<cn-person-page .personId=${id ?? ''}></cn-person-page>` },
    {
      path: '/admin/users',
      access: 'inviter',
      title: () => (this.user?.role === 'admin' ? msg('Users and invitations') : msg('Invitations')),
      render: () => html`<cn-admin-users-page></cn-admin-users-page>`,
    },
    { path: '/admin/audit', access: 'admin', title: () => msg('Audit log'), render: () => html`<cn-audit-page></cn-audit-page>` },
  ];

  private notFoundRoute: AppRoute = {
    path: '/*',
    access: 'public',
    title: () => msg('Page not found'),
    render: () => html`<cn-status-page kind="not-found"></cn-status-page>`,
  };

  private router = new Router(
    this,
    this.routes.map((route) => ({ path: route.path, render: route.render, enter: () => this.enter(route) })),
    { fallback: { render: this.notFoundRoute.render, enter: () => this.enter(this.notFoundRoute) } },
  );

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.phase = 'loading';
    this.user = null;
    this.bootError = null;
    this.booted = this.boot();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.ensureSkipTarget();
    onSessionExpired(this.sessionExpired);
    this.liveConnection.addEventListener('live-session-ended', this.sessionExpired);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    onSessionExpired(null);
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
      this.bootError = error;
      this.phase = 'failed';
      return false;
    }
  }

  private setUser(user: User | null) {
    this.user = user;
    this.sessionProvider.setValue(user);
    // One live connection per signed-in session: topics follow the pages shown.
    if (user) this.liveConnection.start();
    else this.liveConnection.stop();
  }

  /** Route guard: runs before a route is shown, may redirect instead. */
  private async enter(route: AppRoute): Promise<boolean> {
    const navigation = ++this.navigations;
    if (this.phase === 'loading') void this.prefetchPageCode(route);
    if (!(await this.booted)) return false;
    const user = this.user;
    if (this.setupNeeded && route.access !== 'setup') return this.redirect('/setup');
    switch (route.access) {
      case 'home':
        // Signed in, the home page: what is new and what waits for the person.
        if (!user) return this.redirect('/login');
        break;
      case 'setup':
        if (!this.setupNeeded) return this.redirect(user ? '/' : '/login');
        break;
      case 'guest':
        if (user) return this.redirect(safeNext(new URLSearchParams(window.location.search).get('next')) ?? '/');
        break;
      case 'user':
      case 'inviter':
      case 'publisher':
      case 'admin':
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

  /** On the first load, someone signed in gets the page's code alongside the translations and the rest of the start-up, not after them. */
  private async prefetchPageCode(route: AppRoute) {
    if (!(await this.sessionUser.catch(() => null))) return;
    featureCodeFor(route.path)?.catch(() => undefined);
    signedInShellCode()?.catch(() => undefined);
  }

  /** Fetches the code of the route's feature on its first visit; meanwhile the page says it is loading. */
  private async loadPageCode(route: AppRoute): Promise<'ready' | 'failed'> {
    if (this.user) void signedInShellCode()?.catch(() => undefined); // the header shows it when it arrives
    const refused = RESTRICTED[route.access]?.allowed(this.user) === false;
    const code = refused ? null : featureCodeFor(route.path);
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
    if (missing.length) console.error(`No feature defines <${missing.join('>, <')}> for ${route.path}: add its section to client/app/features.ts`);
    return 'ready';
  }

  private redirect(path: string): false {
    window.history.replaceState(window.history.state, '', path);
    void this.router.goto(new URL(path, window.location.origin).pathname);
    return false;
  }

  private navigate(path: string, options: { replace?: boolean } = {}) {
    const url = new URL(path, window.location.origin);
    if (url.origin !== window.location.origin) throw new Error(`Not an in-app path: ${path}`);
    const target = url.pathname + url.search + url.hash;
    if (options.replace) window.history.replaceState(null, '', target);
    else if (target !== currentLocation()) window.history.pushState(null, '', target);
    void this.router.goto(url.pathname);
  }

  private toast(message: string, variant: ToastVariant = 'info') {
    this.renderRoot.querySelector<CnToast>('cn-toast')?.show(message, variant);
  }

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
        app.navigate(safeNext(next) ?? '/', { replace: true });
      },
      signOut: async () => {
        try {
          await api.post('/auth/logout');
        } catch (error) {
          app.toast(describeError(error), 'error');
          return;
        }
        app.setUser(null);
        app.navigate('/login');
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
      <cn-app-header @cn-skip-to-main=${this.skipToMain} .path=${this.currentRoute ? window.location.pathname : ''}></cn-app-header>
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
    const restriction = RESTRICTED[this.currentRoute.access];
    if (restriction && !restriction.allowed(this.user)) {
      return html`<cn-status-page kind="forbidden" .audience=${restriction.audience}></cn-status-page>`;
    }
    return this.router.outlet();
  }

  protected override updated(): void {
    const title = this.phase === 'ready' && this.currentRoute ? this.currentRoute.title() : '';
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
