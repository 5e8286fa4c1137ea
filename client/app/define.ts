import { CnAppHeader } from './app-header.js';
import { CnApp } from './app-root.js';
import { CnStatusPage } from './status-page.js';
import { defineElements, type ElementsOf } from '../ui/define-elements.js';

const ELEMENTS = {
  'cn-app-header': CnAppHeader,
  'cn-status-page': CnStatusPage,
  // Last: defining <cn-app> upgrades the element in index.html and starts the app.
  'cn-app': CnApp,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
