import { createContext } from '@lit/context';
import type { UiLocale } from './i18n.js';
import type { LiveConnection } from './live-connection.js';
import type { Country, Organization, User } from './models.js';
import type { ToastVariant } from '../ui/toast/toast.js';

export type { ToastVariant };

/**
 * What the app shell offers every view. The object itself never changes, so views that
 * consume it do not re-render; the session has its own context because it does change.
 */
export interface AppServices {
  /** Countries and organizations, loaded once at start. */
  readonly countries: readonly Country[];
  readonly organizations: readonly Organization[];
  /** Goes to an in-app path (with query), adding a history entry unless `replace`. */
  navigate(path: string, options?: { replace?: boolean }): void;
  /** After setup, sign-in or accepting an invitation: adopts the user and their language, then goes on. */
  signedIn(user: User, next?: string): Promise<void>;
  signOut(): Promise<void>;
  /** After the signed-in user's profile changed on the server. */
  userChanged(user: User): Promise<void>;
  /** The language switch: changes the interface now and, when signed in, saves it to the profile. */
  setLanguage(locale: UiLocale): Promise<void>;
  toast(message: string, variant?: ToastVariant): void;
}

export const sessionContext = createContext<User | null>(Symbol('concilia-session'));
export const servicesContext = createContext<AppServices>(Symbol('concilia-services'));
/** The page's one live channel connection (provided by the shell; null outside it, e.g. in isolated tests). */
export const liveContext = createContext<LiveConnection | null>(Symbol('concilia-live'));
