import { CnIndicatorCataloguePage } from './catalogue-page.js';
import { CnIndicatorHubPage } from './hub-page.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = {
  'cn-indicator-catalogue-page': CnIndicatorCataloguePage,
  'cn-indicator-hub-page': CnIndicatorHubPage,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
