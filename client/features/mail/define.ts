import { CnMailOutboxPage } from './outbox-page.js';
import { CnMailPreferencesPage } from './preferences-page.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = {
  'cn-mail-preferences-page': CnMailPreferencesPage,
  'cn-mail-outbox-page': CnMailOutboxPage,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
